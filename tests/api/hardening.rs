//! Findings of the black-box test (issue 9): requests that could crash or stall the server,
//! and the weaker points of sessions, headers and files. Each test failed before its fix.

use std::time::{Duration, Instant};

use crate::helpers::{spawn_app, TestApp};
use crate::products::{approved_seller, start};

/// Resident memory of this process (the app runs in it), in bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// `n` attributes of `values` values each, as the editor posts them.
fn attributes(n: usize, values: usize) -> Vec<(String, String)> {
    let list: Vec<String> = (0..values).map(|v| format!("v{v}")).collect();
    (0..n)
        .flat_map(|a| {
            [
                (format!("s0_a{a}_name"), format!("attr{a}")),
                (format!("s0_a{a}_values"), list.join(",")),
            ]
        })
        .collect()
}

/// Stores a draft's form as it could have been saved before the limits were checked.
fn store_form(app: &TestApp, id: i64, attributes: usize, values: usize) {
    let list: Vec<String> = (0..values).map(|v| format!("v{v}")).collect();
    let attrs: Vec<serde_json::Value> = (0..attributes)
        .map(|a| serde_json::json!({"name": format!("attr{a}"), "values": list.join(",")}))
        .collect();
    let form = serde_json::json!({
        "delivery_method": "saas",
        "name": "Huge Matrix",
        "currency": "CNY",
        "specs": [{"name": "All", "billing": "yearly_monthly", "attributes": attrs}],
    });
    app.execute(&format!(
        "UPDATE products SET form = '{}' WHERE id = {id}",
        form.to_string().replace('\'', "''")
    ));
}

fn owned(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn a_draft_of_four_attributes_of_a_hundred_values_is_refused_and_kept_on_the_page() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    let before = app.count(&format!(
        "SELECT COUNT(*) AS n FROM products WHERE id = {id} AND form LIKE '%v99%'"
    ));
    assert_eq!(before, 0);
    let mut fields = attributes(4, 100);
    fields.push(("op".into(), "save".into()));
    fields.push(("name".into(), "Typed name".into()));
    let started = Instant::now();
    let page = app
        .post(&format!("/console/products/{id}"), &owned(&fields))
        .await;
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(page.status, 422);
    page.assert_has("An attribute can have at most 20 values; this one has 100.");
    assert_eq!(page.input_value("name").as_deref(), Some("Typed name"));
    assert!(page.has("v98,v99"), "the typed values are kept on the page");
    // Nothing past the limits was stored, by the form post nor by the background save.
    let page = app
        .post(&format!("/console/products/{id}/autosave"), &owned(&fields))
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("The draft was not saved.");
    let stored = app.count(&format!(
        "SELECT COUNT(*) AS n FROM products WHERE id = {id} AND form LIKE '%v99%'"
    ));
    assert_eq!(stored, 0);
    // Twelve values of four attributes are within the value limit, but make 20 736 SKUs.
    let mut fields = attributes(4, 12);
    fields.push(("op".into(), "save".into()));
    let page = app
        .post(&format!("/console/products/{id}"), &owned(&fields))
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("These attributes make 20736 SKUs; a specification can have at most 200.");
}

#[tokio::test]
async fn an_old_draft_past_the_limits_opens_at_once_and_says_why() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    store_form(&app, id, 4, 100);
    let memory = rss();
    let started = Instant::now();
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(page.status, 200);
    page.assert_has("An attribute can have at most 20 values; this one has 100.");
    let page = app.get(&format!("/console/products/{id}/preview")).await;
    assert_eq!(page.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let grown = rss().saturating_sub(memory);
    assert!(
        grown < 64 << 20,
        "opening the editor grew memory by {grown} bytes"
    );
    // The server is still there.
    assert_eq!(app.get("/healthz").await.status, 200);
}

#[tokio::test]
async fn release_checks_of_tens_of_thousands_of_skus_finish_at_once() {
    let app = spawn_app().await;
    approved_seller(&app).await;
    for (values, skus) in [(12, "20736"), (20, "160000")] {
        let id = start(&app, "saas").await;
        store_form(&app, id, 4, values);
        let started = Instant::now();
        let page = app.get(&format!("/console/products/{id}/preview")).await;
        assert_eq!(page.status, 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        // Submitting posts the same values: refused at once, with the count.
        let mut fields = attributes(4, values);
        fields.push(("op".into(), "submit".into()));
        fields.push(("s0_name".into(), "All".into()));
        fields.push(("s0_billing".into(), "yearly_monthly".into()));
        let started = Instant::now();
        let page = app
            .post(&format!("/console/products/{id}"), &owned(&fields))
            .await;
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(page.status, 422);
        page.assert_has(&format!("These attributes make {skus} SKUs"));
    }
}

/// `n` listed products of one company, made by the database itself.
fn fill_catalog(app: &TestApp, n: u32) {
    app.execute(
        "INSERT INTO companies (legal_name, registration_status, created_at, updated_at) \
         VALUES ('Bulk Co', 'approved', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    );
    app.execute(&format!(
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {n}) \
         INSERT INTO products (company_id, name, delivery_method, status, form, created_at, updated_at) \
         SELECT (SELECT MAX(id) FROM companies), 'Bulk product ' || n, 'saas', 'listed', '{{}}', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM c"
    ));
}

fn with_limits(f: impl FnOnce(&mut seller_console::config::Limits)) -> crate::helpers::TestOptions {
    let mut options = crate::helpers::TestOptions::default();
    f(&mut options.limits);
    options
}

#[tokio::test]
async fn a_search_past_the_database_budget_is_stopped_with_a_clear_503() {
    let app = crate::helpers::spawn_app_with(with_limits(|l| l.db_budget_ms = 10)).await;
    fill_catalog(&app, 300_000);
    let started = Instant::now();
    let page = app.get("/?q=nothing-matches-this").await;
    let took = started.elapsed();
    assert_eq!(page.status, 503, "{}", page.body);
    page.assert_has("This took too long to answer and was stopped.");
    assert!(took < Duration::from_secs(1), "{took:?}");
    // The connection it used is fine for the next request.
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/login").await.status, 200);
}

#[tokio::test]
async fn healthz_answers_at_once_while_anonymous_searches_queue_or_are_refused() {
    let app = crate::helpers::spawn_app_with(with_limits(|l| {
        l.search_concurrency = 1;
        l.search_wait_ms = 200;
    }))
    .await;
    fill_catalog(&app, 200_000);
    let searches: Vec<_> = (0..8)
        .map(|i| {
            let client = crate::helpers::client();
            let url = app.url(&format!("/?q=nothing{i}"));
            tokio::spawn(async move {
                let r = client.get(url).send().await.expect("search");
                let status = r.status().as_u16();
                (status, r.text().await.unwrap_or_default())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(app.get("/healthz").await.status, 200);
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let mut refused = 0;
    for s in searches {
        let (status, body) = s.await.unwrap();
        assert!(status == 200 || status == 503, "{status}");
        if status == 503 {
            assert!(
                body.contains("Too many searches are running right now."),
                "{body}"
            );
            refused += 1;
        }
    }
    assert!(
        refused > 0,
        "eight slow searches with one turn: some must be refused"
    );
    assert!(
        slowest < Duration::from_millis(100),
        "healthz took {slowest:?}"
    );
}
