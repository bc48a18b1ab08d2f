//! Settlement (SPEC 12): the monthly bill job, a bill's lines and totals, and its way from
//! generated to paid (or disputed), on the seller's side and on operations'.

use reqwest::Client;
use seller_console::applications::NotifySettings;
use seller_console::domain::statuses::Role;
use seller_console::models::bill;

use crate::catalog::listed_product;
use crate::helpers::spawn_app;
use crate::helpers::{client, unique, TestApp, PASSWORD};

const SETTINGS: NotifySettings = NotifySettings {
    base_url: "http://127.0.0.1",
    max_attempts: 3,
    sms: false,
};

async fn buyer(app: &TestApp) -> Client {
    let email = format!("{}@buyer.example", unique("b"));
    app.create_user(&email, Role::Buyer);
    let c = client();
    assert_eq!(app.login_with(&c, &email, PASSWORD).await.status, 303);
    c
}

/// A paid order of the product's first SKU (a SaaS order completes when paid).
pub(crate) async fn paid_order(app: &TestApp, b: &Client, product: i64) -> i64 {
    let sku = app.with_conn(|c| {
        let p = seller_console::models::product_release::find_public(c, product).unwrap();
        p.release.snapshot.release.specs[0].skus[0].key.clone()
    });
    let placed = app
        .post_with(
            b,
            &format!("/products/{product}/order"),
            &[
                ("spec", "0"),
                ("sku", &sku),
                ("quantity", "1"),
                ("period", "month"),
                ("count", "1"),
                ("region", "cn"),
            ],
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let id: i64 = placed
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let paid = app
        .post_with(b, &format!("/account/orders/{id}/pay-test"), &[])
        .await;
    assert_eq!(paid.status, 303);
    id
}

fn generate(app: &TestApp, period: &str) -> usize {
    app.with_conn(|c| bill::generate(c, period, &SETTINGS).unwrap())
}

fn seller_email_of(app: &TestApp, product: i64) -> String {
    #[derive(diesel::QueryableByName)]
    struct E {
        #[diesel(sql_type = diesel::sql_types::Text)]
        email: String,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.pool.get().unwrap();
    diesel::sql_query(format!(
        "SELECT email FROM users WHERE company_id = \
         (SELECT company_id FROM products WHERE id = {product}) ORDER BY id LIMIT 1"
    ))
    .get_result::<E>(&mut conn)
    .unwrap()
    .email
}

#[tokio::test]
async fn the_bill_job_bills_each_ready_order_once_at_its_exact_share_and_rolls_the_rest_over() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let seller = seller_email_of(&app, product);
    let b = buyer(&app).await;
    let (october, november, unpaid) = (
        paid_order(&app, &b, product).await,
        paid_order(&app, &b, product).await,
        paid_order(&app, &b, product).await,
    );
    // A ready order of October at a share of 12.5%; one completed in November; one that is
    // not paid (so never ready).
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-10-15 10:00:00', amount_minor = 123457, \
         platform_share_bp = 1250 WHERE id = {october}"
    ));
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-11-03 08:00:00' WHERE id = {november}"
    ));
    app.execute(&format!(
        "UPDATE orders SET state = 'pending_payment', closed_at = NULL, paid_at = NULL \
         WHERE id = {unpaid}"
    ));

    assert_eq!(generate(&app, "2026-10"), 1);
    assert_eq!(
        generate(&app, "2026-10"),
        0,
        "one bill per seller and month"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bills"), 1);
    let list = app.get("/console/settlement").await;
    assert_eq!(list.status, 200);
    list.assert_has("Bill for 2026-10");
    list.assert_has("Generated");
    let id = app.count("SELECT MAX(id) AS n FROM bills");
    let page = app.get(&format!("/console/settlement/{id}")).await;
    assert_eq!(page.status, 200);
    page.assert_has(&format!("#{october}"));
    assert!(
        !page.has(&format!("#{november}<")),
        "November's order rolls over"
    );
    page.assert_has("1,234.57");
    page.assert_has("12.5%");
    // 1,234.57 × (1 − 12.5%) = 1,080.24875, exactly.
    page.assert_has("1,080.24875");
    page.assert_has("1 line");
    // The seller heard of it in the console and by mail.
    app.get("/console/messages")
        .await
        .assert_has("Your bill for 2026-10 is ready");
    let (subject, text) = app.last_mail_to(&seller).expect("a mail");
    assert_eq!(subject, "Your bill for 2026-10 is ready");
    assert!(text.contains("1,080.24875"), "{text}");

    // November's bill takes the order completed then, and nothing billed before.
    assert_eq!(generate(&app, "2026-11"), 1);
    let nov = app.count("SELECT MAX(id) AS n FROM bills");
    let page = app.get(&format!("/console/settlement/{nov}")).await;
    page.assert_has(&format!("#{november}"));
    assert!(!page.has(&format!("#{october}<")));
    assert!(!page.has(&format!("#{unpaid}<")));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM bill_lines"),
        2,
        "each order on one bill"
    );
    // The stored totals are the sums of the lines.
    assert_eq!(
        app.count(
            "SELECT CAST(COALESCE(SUM(settlement_micros), 0) AS BIGINT) AS n FROM bill_totals"
        ),
        app.count(
            "SELECT CAST(COALESCE(SUM(settlement_micros), 0) AS BIGINT) AS n FROM bill_lines"
        )
    );

    // The lines as CSV: a header and one row, with the exact amounts.
    let csv = app
        .get(&format!("/console/settlement/{id}/lines.csv"))
        .await;
    assert_eq!(csv.status, 200);
    let rows: Vec<&str> = csv.body.lines().collect();
    assert_eq!(rows.len(), 2, "{}", csv.body);
    assert!(rows[0].contains("Settlement amount"));
    assert!(
        rows[1].contains("1234.57") && rows[1].contains("1080.24875"),
        "{}",
        rows[1]
    );

    // Another seller sees none of it; a buyer has no settlement.
    let (other, _) = app.other_seller().await;
    for path in [
        format!("/console/settlement/{id}"),
        format!("/console/settlement/{id}/lines.csv"),
        format!("/console/settlement/{id}/invoice"),
    ] {
        assert_eq!(app.get_with(&other, &path).await.status, 404, "{path}");
    }
    assert!(!app
        .get_with(&other, "/console/settlement")
        .await
        .has("Bill for 2026-10"));
    assert_eq!(
        app.post_with(&other, &format!("/console/settlement/{id}/confirm"), &[])
            .await
            .status,
        404
    );
    assert_eq!(app.get_with(&b, "/console/settlement").await.status, 403);
}

#[tokio::test]
async fn two_instances_running_the_bill_job_at_once_make_one_bill_per_seller() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let b = buyer(&app).await;
    let mut orders = Vec::new();
    for _ in 0..3 {
        orders.push(paid_order(&app, &b, product).await);
    }
    // Three sellers: the orders of two are moved to two other companies.
    for order in &orders[1..] {
        let (_, email) = app.other_seller().await;
        app.execute(&format!(
            "UPDATE orders SET company_id = (SELECT company_id FROM users WHERE email = '{email}') \
             WHERE id = {order}"
        ));
    }
    app.execute("UPDATE orders SET closed_at = '2026-09-10 00:00:00'");
    let barrier = std::sync::Barrier::new(2);
    let made: usize = std::thread::scope(|s| {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut conn = app.pool.get().unwrap();
                    barrier.wait();
                    bill::generate(&mut conn, "2026-09", &SETTINGS).unwrap()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).sum()
    });
    assert_eq!(made, 3);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bills"), 3);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT company_id) AS n FROM bills"),
        3
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bill_lines"), 3);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM orders WHERE sale_bill_id IS NOT NULL"),
        3
    );
    // The job that runs on the 7th records the month once, and then does not run it again.
    let due = |day: time::Date| app.with_conn(|c| bill::run_due(c, day, &SETTINGS).unwrap());
    assert_eq!(
        due(time::macros::date!(2026 - 10 - 06)),
        None,
        "not before the 7th"
    );
    assert_eq!(
        due(time::macros::date!(2026 - 10 - 07)),
        Some(("2026-09".to_string(), 0))
    );
    assert_eq!(due(time::macros::date!(2026 - 10 - 08)), None);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bill_runs"), 1);
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

async fn upload_invoice(
    app: &TestApp,
    c: &Client,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> crate::helpers::Page {
    let token = app.token_with(c).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    crate::helpers::Page::from(
        c.post(app.url(&format!("/console/settlement/{id}/invoice")))
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_bill_is_confirmed_approved_invoiced_and_paid_and_each_step_is_checked() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let seller = seller_email_of(&app, product);
    let b = buyer(&app).await;
    let order = paid_order(&app, &b, product).await;
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-08-20 00:00:00' WHERE id = {order}"
    ));
    assert_eq!(generate(&app, "2026-08"), 1);
    let id = app.count("SELECT MAX(id) AS n FROM bills");
    let ops = app.operator().await;
    let path = format!("/console/settlement/{id}");

    // Nothing moves out of order: no approval before the seller confirms, no invoice before
    // approval, no payout before the invoice.
    app.post_with(&ops, &format!("/ops/settlement/{id}/approve"), &[])
        .await;
    app.get_with(&ops, &format!("/ops/settlement/{id}"))
        .await
        .assert_has("This bill cannot do that now.");
    let early = upload_invoice(&app, &app.client, id, "invoice.pdf", pdf()).await;
    assert_eq!(early.status, 409);
    early.assert_has("This bill does not take an invoice now.");

    let confirmed = app.post(&format!("{path}/confirm"), &[]).await;
    assert_eq!(confirmed.status, 303);
    let page = app.get(&path).await;
    page.assert_has("The bill is confirmed. Operations approve it next.");
    page.assert_has("Pending approval");
    // A buyer or a seller is not operations.
    assert_eq!(
        app.post(&format!("/ops/settlement/{id}/approve"), &[])
            .await
            .status,
        403
    );
    let approved = app
        .post_with(&ops, &format!("/ops/settlement/{id}/approve"), &[])
        .await;
    assert_eq!(approved.status, 303);
    app.get_with(&ops, &format!("/ops/settlement/{id}"))
        .await
        .assert_has("Waiting for the seller's invoice.");
    let (subject, _) = app.last_mail_to(&seller).unwrap();
    assert_eq!(
        subject,
        "Your bill for 2026-08 is approved: upload your invoice"
    );
    // A payout needs the invoice first.
    app.post_with(
        &ops,
        &format!("/ops/settlement/{id}/pay"),
        &[("reference", "TRF-1")],
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM bills WHERE id = {id} AND state = 'paid'"
        )),
        0
    );

    // The invoice is judged by its content, not its name.
    let fake = upload_invoice(&app, &app.client, id, "invoice.pdf", b"just text".to_vec()).await;
    assert_eq!(fake.status, 422);
    fake.assert_has("The invoice must be a PDF, PNG or JPEG file.");
    let big = upload_invoice(
        &app,
        &app.client,
        id,
        "big.pdf",
        vec![b'%'; 11 * 1024 * 1024],
    )
    .await;
    assert_eq!(big.status, 413);
    let (other, _) = app.other_seller().await;
    assert_eq!(
        upload_invoice(&app, &other, id, "invoice.pdf", pdf())
            .await
            .status,
        404
    );
    let stored = upload_invoice(&app, &app.client, id, "invoice.pdf", pdf()).await;
    assert_eq!(stored.status, 303, "{}", stored.body);
    app.get(&path)
        .await
        .assert_has("The invoice is uploaded. Operations record the payout next.");
    let file = app
        .get_with(&ops, &format!("/ops/settlement/{id}/invoice"))
        .await;
    assert_eq!(file.status, 200);
    assert!(file.body.starts_with("%PDF"));

    // The payout reference is required, and kept when refused.
    let empty = app
        .post_with(
            &ops,
            &format!("/ops/settlement/{id}/pay"),
            &[("reference", " ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    let long = "R".repeat(101);
    let refused = app
        .post_with(
            &ops,
            &format!("/ops/settlement/{id}/pay"),
            &[("reference", &long)],
        )
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_has("At most 100 characters.");
    let paid = app
        .post_with(
            &ops,
            &format!("/ops/settlement/{id}/pay"),
            &[("reference", "TRF-2026-0042")],
        )
        .await;
    assert_eq!(paid.status, 303);
    let page = app.get(&path).await;
    page.assert_has("Paid");
    page.assert_has("TRF-2026-0042");
    let (subject, text) = app.last_mail_to(&seller).unwrap();
    assert_eq!(subject, "Your bill for 2026-08 is paid out");
    assert!(text.contains("TRF-2026-0042"));
    // Paid is the end.
    let again = upload_invoice(&app, &app.client, id, "invoice.pdf", pdf()).await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn a_disputed_bill_needs_a_reason_and_operations_settle_it() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let b = buyer(&app).await;
    let order = paid_order(&app, &b, product).await;
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-07-20 00:00:00' WHERE id = {order}"
    ));
    assert_eq!(generate(&app, "2026-07"), 1);
    let id = app.count("SELECT MAX(id) AS n FROM bills");
    let path = format!("/console/settlement/{id}");

    let empty = app
        .post(&format!("{path}/dispute"), &[("reason", "  ")])
        .await;
    assert_eq!(empty.status, 422);
    empty.assert_has("Say why you dispute the bill.");
    let long = "x".repeat(1001);
    let refused = app
        .post(&format!("{path}/dispute"), &[("reason", &long)])
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_has("At most 1000 characters.");
    assert!(refused.has(&"x".repeat(1000)), "what was typed is kept");
    let disputed = app
        .post(
            &format!("{path}/dispute"),
            &[("reason", "Order <b>#1</b> was refunded")],
        )
        .await;
    assert_eq!(disputed.status, 303);
    let page = app.get(&path).await;
    page.assert_has("Disputed");
    // Shown as typed, and escaped.
    page.assert_has("Order <b>#1</b> was refunded");
    assert!(!page.body.contains("<b>#1</b>"));
    assert!(!page.has("Confirm the bill"));

    let ops = app.operator().await;
    let list = app.get_with(&ops, "/ops/settlement?state=disputed").await;
    list.assert_has("Bill for 2026-07");
    let no_note = app
        .post_with(
            &ops,
            &format!("/ops/settlement/{id}/resolve"),
            &[("note", "")],
        )
        .await;
    assert_eq!(no_note.status, 422);
    no_note.assert_has("Say how the dispute was settled.");
    let resolved = app
        .post_with(
            &ops,
            &format!("/ops/settlement/{id}/resolve"),
            &[("note", "Checked: the order stands.")],
        )
        .await;
    assert_eq!(resolved.status, 303);
    let page = app.get(&path).await;
    page.assert_has("Pending approval");
    page.assert_has("Checked: the order stands.");
    app.get("/console/messages")
        .await
        .assert_has("Your dispute of the bill for 2026-07 is settled");
}

#[tokio::test]
async fn operations_make_a_past_months_bills_and_see_every_sellers_bills() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let b = buyer(&app).await;
    let order = paid_order(&app, &b, product).await;
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-06-20 00:00:00' WHERE id = {order}"
    ));
    let ops = app.operator().await;
    let page = app.get_with(&ops, "/ops/settlement").await;
    assert_eq!(page.status, 200);
    page.assert_has("Make a month's bills");
    for (period, message) in [
        ("June", "Give a month as YYYY-MM."),
        ("2999-01", "Bills are made only for a month that has ended."),
    ] {
        let refused = app
            .post_with(&ops, "/ops/settlement/run", &[("period", period)])
            .await;
        assert_eq!(refused.status, 422, "{period}");
        refused.assert_has(message);
        assert_eq!(refused.input_value("period").as_deref(), Some(period));
    }
    let ran = app
        .post_with(&ops, "/ops/settlement/run", &[("period", "2026-06")])
        .await;
    assert_eq!(ran.status, 303);
    let page = app.get_with(&ops, "/ops/settlement?period=2026-06").await;
    page.assert_has("Bills for 2026-06: 1 made.");
    page.assert_has("Bill for 2026-06");
    page.assert_has("Approved Co");
    page.assert_has("Page 1 of 1 (1 bill)");
    let id = app.count("SELECT MAX(id) AS n FROM bills");
    let csv = app
        .get_with(&ops, &format!("/ops/settlement/{id}/lines.csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 2);
    // A seller is not operations.
    assert_eq!(app.get("/ops/settlement").await.status, 403);
    assert_eq!(
        app.post("/ops/settlement/run", &[("period", "2026-06")])
            .await
            .status,
        403
    );
}
