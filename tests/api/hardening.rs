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

/// `n` listed products of one company in the catalog (with their releases and catalog
/// entries, search text included), made by the database itself. Half say "abcd" and are in
/// category ai, half say "xcde" and are in databases: a search for one in the other's
/// category finds half the catalog by each condition and nothing by both.
pub fn fill_catalog(app: &TestApp, n: u32) {
    app.execute(
        "INSERT INTO companies (legal_name, registration_status, created_at, updated_at) \
         VALUES ('Bulk Co', 'approved', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    );
    app.execute(&format!(
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {n}) \
         INSERT INTO products (company_id, name, delivery_method, lifecycle, form, created_at, updated_at) \
         SELECT (SELECT MAX(id) FROM companies), 'Bulk product ' || n, 'saas', 'live', '{{}}', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM c"
    ));
    let bulk = "(SELECT MAX(id) FROM companies)";
    app.execute(&format!(
        "INSERT INTO product_releases (product_id, number, name, snapshot, released_at) \
         SELECT id, 1, name, '{{}}', created_at FROM products WHERE company_id = {bulk}"
    ));
    app.execute(&format!(
        "UPDATE products SET listed_release_id = (SELECT r.id FROM product_releases r \
         WHERE r.product_id = products.id) WHERE company_id = {bulk}"
    ));
    app.execute(&format!(
        "INSERT INTO catalog_entries (product_id, release_id, company_id, delivery_method, \
         category, name, overview, listed_at, name_terms, body_terms) \
         SELECT id, listed_release_id, company_id, 'saas', \
         CASE WHEN id % 2 = 0 THEN 'ai' ELSE 'database' END, name, 'Bulk', created_at, \
         ' bulk product ' || id || ' ', \
         CASE WHEN id % 2 = 0 THEN ' bulk abcd ' ELSE ' bulk xcde ' END FROM products \
         WHERE company_id = {bulk}"
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
    fill_catalog(&app, 100_000);
    // Half the catalog by its text, half by its category, nothing by both: every match of
    // the word must be read to be refused.
    let started = Instant::now();
    let page = app.get("/?q=abcd&category=database").await;
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
        // Shorter than sixteen searches take one after another, however fast the machine.
        l.search_wait_ms = 20;
    }))
    .await;
    fill_catalog(&app, 100_000);
    let searches: Vec<_> = (0..16)
        .map(|i| {
            let client = crate::helpers::client();
            let url = app.url(&format!("/?q=abcd&category=database&page={}", i + 1));
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
        "sixteen slow searches with one turn: some must be refused"
    );
    assert!(
        slowest < Duration::from_millis(100),
        "healthz took {slowest:?}"
    );
}

fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn anonymous_visitors_write_no_session_and_only_small_bounded_rows() {
    let app = spawn_app().await;
    let owner = crate::helpers::client();
    let email = format!("{}@seller.example", crate::helpers::unique("s"));
    app.signup_with(&owner, &email).await;
    let id = {
        let page = app
            .post_with(
                &owner,
                "/console/products/new",
                &[("delivery_method", "saas")],
            )
            .await;
        page.location
            .unwrap()
            .trim_start_matches("/console/products/")
            .trim_end_matches("/edit")
            .parse::<i64>()
            .unwrap()
    };
    let sessions = app.count("SELECT COUNT(*) AS n FROM sessions");
    let huge = "x".repeat(100_000);
    for _ in 0..10 {
        let anon = crate::helpers::client();
        // The sign-in page, and a failed sign-in with a 100 000-character email.
        let page = app.get_with(&anon, "/login").await;
        let token = crate::helpers::csrf_in(&page.body).expect("a token without a session");
        let page = app
            .post_raw_with(
                &anon,
                "/login",
                &[
                    ("csrf_token", &token),
                    ("email", &huge),
                    ("password", "nope-nope"),
                ],
            )
            .await;
        assert_eq!(page.status, 401);
        // A cookie-less post of a big form to the editor, as a forged cross-site form would be.
        let r = anon
            .post(app.url(&format!("/console/products/{id}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "op=save&name=Injected&overview={}",
                "y".repeat(200_000)
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert!(set_cookies(&r).iter().all(|c| !c.starts_with("sc_session")));
        app.get_with(&anon, "/").await;
        app.get_with(&anon, "/signup").await;
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions"), sessions);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM form_stashes"), 0);
    // A failed sign-in stores a hash of the account and the client's address, nothing typed.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM login_failures WHERE LENGTH(account) > 64 OR LENGTH(client) > 64"
        ),
        0
    );
    // The owner's session is untouched and nothing was written into the draft.
    let page = app
        .get_with(&owner, &format!("/console/products/{id}/edit"))
        .await;
    assert_eq!(page.status, 200);
    assert!(!page.has("Injected"));
}

#[tokio::test]
async fn one_client_gets_a_few_sign_ups_an_hour() {
    let app = crate::helpers::spawn_app_with(with_limits(|l| l.signups_per_client_hour = 3)).await;
    for i in 0..3 {
        let page = app
            .signup_with(
                &crate::helpers::client(),
                &format!("limit{i}@seller.example"),
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
    }
    let page = app
        .signup_with(&crate::helpers::client(), "limit3@seller.example")
        .await;
    assert_eq!(page.status, 429);
    page.assert_has("Too many sign-ups from your network");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE email = 'limit3@seller.example'"),
        0
    );
}

#[tokio::test]
async fn a_forged_cross_site_post_is_refused_and_keeps_nothing() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    let token = app.token_with(&app.client).await;
    // From another site, even with the victim's cookie and token: refused.
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let r = app
            .client
            .post(app.url(&format!("/console/products/{id}")))
            .header(header, value)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf_token={token}&op=save&name=Forged"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}: {value}");
    }
    // The same form from this site's own page is fine.
    let r = app
        .client
        .post(app.url(&format!("/console/products/{id}")))
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&op=save&name=Mine"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // A post whose session was signed out keeps nothing for later.
    let email = app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    let token = app.token_with(&app.client).await;
    app.post("/logout", &[]).await;
    app.post_raw_with(
        &app.client,
        &format!("/console/products/{id}"),
        &[
            ("csrf_token", &token),
            ("op", "save"),
            ("name", "After sign-out"),
        ],
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM form_stashes"), 0);
    app.login_with(&app.client, &email, crate::helpers::PASSWORD)
        .await;
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert!(!page.has("After sign-out"));
}

#[tokio::test]
async fn next_never_leaves_the_site_and_never_breaks_the_redirect() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    for next in [
        "/%09/evil.example",
        "/%0d/evil.example",
        "/%0a/evil.example",
        "/%0b/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/%E3%80%80/evil.example",
    ] {
        let page = app.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status, 303, "{next}: {}", page.body);
        assert_eq!(page.location.as_deref(), Some("/console"), "{next}");
    }
    let page = app.get("/login?next=/console/drafts").await;
    assert_eq!(page.location.as_deref(), Some("/console/drafts"));
}

#[tokio::test]
async fn nul_and_control_characters_never_give_a_500() {
    let app = spawn_app().await;
    for path in [
        "/?q=a%00b",
        "/?q=%01%02%7f&method=%00",
        "/products/1%00",
        "/login?next=/a%00b",
    ] {
        let page = app.get(path).await;
        assert!(page.status.as_u16() < 500, "{path}: {}", page.status);
    }
    let page = app
        .login_with(&crate::helpers::client(), "a\u{0}b@example.com", "x\u{0}y")
        .await;
    assert_eq!(page.status, 401);
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    let page = app
        .post(
            &format!("/console/products/{id}"),
            &[
                ("op", "save"),
                ("name", "Nul\u{0}name"),
                ("overview", "line\u{7}one\ntwo"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert_eq!(page.input_value("name").as_deref(), Some("Nulname"));
    page.assert_has("lineone\ntwo");
    let page = app
        .post(
            "/console/seller/support/groups",
            &[("name", "Desk\u{0}"), ("phone", "+65 6123 4567\u{0}")],
        )
        .await;
    assert!(page.status.as_u16() < 500, "{}", page.status);
}

#[tokio::test]
async fn failed_sign_ins_never_lock_out_a_browser_that_signed_in_before() {
    let app =
        crate::helpers::spawn_app_with(with_limits(|l| l.login_failures_per_client = 8)).await;
    let owner = crate::helpers::client();
    let email = format!("{}@ops.example", crate::helpers::unique("op"));
    app.create_user(&email, seller_console::domain::statuses::Role::Operator);
    assert_eq!(
        app.login_with(&owner, &email, crate::helpers::PASSWORD)
            .await
            .status,
        303
    );
    app.post_with(&owner, "/logout", &[]).await;
    // Someone else fails five times: their browser is refused for this account...
    let attacker = crate::helpers::client();
    for _ in 0..5 {
        assert_eq!(
            app.login_with(&attacker, &email, "wrong-password")
                .await
                .status,
            401
        );
    }
    let page = app
        .login_with(&attacker, &email, crate::helpers::PASSWORD)
        .await;
    assert_eq!(page.status, 429);
    // ...but the owner's browser, which signed in before, gets in with the right password.
    let page = app
        .login_with(&owner, &email, crate::helpers::PASSWORD)
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

#[tokio::test]
async fn one_client_spraying_many_accounts_is_stopped() {
    let app =
        crate::helpers::spawn_app_with(with_limits(|l| l.login_failures_per_client = 8)).await;
    let sprayer = crate::helpers::client();
    let mut statuses = Vec::new();
    for i in 0..8 {
        statuses.push(
            app.login_with(&sprayer, &format!("nobody{i}@example.com"), "Summer2026!")
                .await
                .status
                .as_u16(),
        );
    }
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let page = app
        .login_with(&sprayer, "nobody-else@example.com", "Summer2026!")
        .await;
    assert_eq!(page.status, 429);
    page.assert_has("Too many failed sign-in attempts from your network");
}

#[tokio::test]
async fn every_response_to_a_signed_in_user_is_not_stored() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    for path in [
        "/console".to_string(),
        "/console/products".to_string(),
        "/console/seller/registration".to_string(),
        format!("/console/products/{id}/edit"),
        "/console/products/999999/edit".to_string(),
        "/no-such-page".to_string(),
        "/".to_string(),
    ] {
        let r = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(
            r.headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}"
        );
    }
    let r = app.client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    let r = crate::helpers::client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("cache-control").is_none());
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("object-src 'none'"), "{csp}");
    assert_eq!(r.headers()["cross-origin-opener-policy"], "same-origin");
    assert!(r.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_only_and_hsts_is_sent() {
    let options = crate::helpers::TestOptions {
        base_url: Some("https://console.example".into()),
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(options).await;
    let email = format!("{}@seller.example", crate::helpers::unique("s"));
    let page = app.signup_with(&crate::helpers::client(), &email).await;
    assert_eq!(page.status, 303);
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = anon.get(app.url("/login")).send().await.unwrap();
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let visitor = set_cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("__Host-sc_visitor="))
        .expect("visitor cookie");
    let pair = visitor.split(';').next().unwrap().to_string();
    let token = crate::helpers::csrf_in(&r.text().await.unwrap()).unwrap();
    let body = serde_html_form::to_string([
        ("csrf_token", token.as_str()),
        ("email", email.as_str()),
        ("password", crate::helpers::PASSWORD),
    ])
    .unwrap();
    let r = anon
        .post(app.url("/login"))
        .header("cookie", &pair)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = set_cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("__Host-sc_session="))
        .expect("__Host- session cookie");
    assert!(session.contains("Secure"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(!session.to_lowercase().contains("domain="), "{session}");
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    assert_eq!(app.get("/console").await.status, 200);
    app.execute("UPDATE sessions SET ends_at = '2000-01-01 00:00:00'");
    let page = app.get("/console").await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().starts_with("/login"));
}

/// Writes `head`, then the body a byte at a time every `pause`; what the server answered
/// (or "" if it closed), and when.
async fn trickle(address: &str, head: &str, body: &[u8], pause: Duration) -> (String, Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = address.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(host).await.unwrap();
    let started = Instant::now();
    socket.write_all(head.as_bytes()).await.unwrap();
    let (mut reader, mut writer) = socket.into_split();
    let body = body.to_vec();
    let writing = tokio::spawn(async move {
        for b in body {
            if writer.write_all(&[b]).await.is_err() {
                break;
            }
            tokio::time::sleep(pause).await;
        }
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), reader.read_to_end(&mut answer)).await;
    writing.abort();
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_body_trickled_a_byte_at_a_time_is_cut_off() {
    let app = crate::helpers::spawn_app_with(with_limits(|l| {
        l.body_idle_secs = 1;
        l.body_timeout_secs = 3;
    }))
    .await;
    let host = app.address.trim_start_matches("http://");
    let body = b"email=a%40b.example&password=xxxxxxxx&csrf_token=t".to_vec();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    // A byte every 2 s: past the idle limit at the first pause.
    let (answer, took) = trickle(&app.address, &head, &body, Duration::from_secs(2)).await;
    assert!(took < Duration::from_secs(6), "{took:?}");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
    // A byte every 0.5 s never pauses too long, but the whole body is late.
    let (answer, took) = trickle(&app.address, &head, &body, Duration::from_millis(500)).await;
    assert!(took < Duration::from_secs(8), "{took:?}");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
}

#[tokio::test]
async fn one_client_cannot_hold_more_connections_than_its_cap() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app =
        crate::helpers::spawn_app_with(with_limits(|l| l.max_connections_per_client = 3)).await;
    let host = app.address.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(tokio::net::TcpStream::connect(&host).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut fourth = tokio::net::TcpStream::connect(&host).await.unwrap();
    fourth
        .write_all(format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(5), fourth.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get("/healthz").await.status, 200);
}

#[tokio::test]
async fn one_line_fields_refuse_line_breaks_next_to_the_field() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app
        .post(
            "/console/seller/support/groups",
            &[
                ("name", "Desk\r\nBcc: x@evil.example"),
                ("phone", "+65 6123 4567"),
                ("email", "desk@acme.example"),
                ("service_days", "Mon"),
                ("hours_start", "09:00"),
                ("hours_end", "18:00"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Keep this on one line");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM service_groups"), 0);
    let id = start(&app, "saas").await;
    let page = app
        .post(
            &format!("/console/products/{id}"),
            &[
                ("op", "save"),
                ("name", "Two\nlines"),
                ("overview", "Two\nlines are fine here"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has(
        r#"id="name-error"><span class="visually-hidden">Error:</span> Keep this on one line"#,
    );
    assert!(!page.has(r#"id="overview-error""#));
}

#[tokio::test]
async fn a_seller_holds_at_most_a_thousand_products() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let first = start(&app, "saas").await;
    app.execute(&format!(
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 999) \
         INSERT INTO products (company_id, name, delivery_method, form, created_at, updated_at) \
         SELECT (SELECT company_id FROM products WHERE id = {first}), 'Draft ' || n, 'saas', '{{}}', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM c"
    ));
    let page = app
        .post("/console/products/new", &[("delivery_method", "saas")])
        .await;
    assert_eq!(page.status, 409);
    page.assert_has("at most 1000 products");
    let page = app
        .post(&format!("/console/products/{first}/clone"), &[])
        .await;
    assert_eq!(page.status, 409);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM products"), 1000);
}
