//! Unsubscription and renewal (SPEC 11): a refund asked by the buyer and decided by the
//! seller, the bill that follows it, a renewal that continues a subscription, and the buyer's
//! company the seller sees.

use reqwest::Client;
use seller_console::applications::NotifySettings;
use seller_console::domain::statuses::Role;
use seller_console::models::bill;

use crate::catalog::listed_product;
use crate::helpers::{client, spawn_app, unique, TestApp, PASSWORD};
use crate::settlement::paid_order;

const SETTINGS: NotifySettings = NotifySettings {
    base_url: "http://127.0.0.1",
    max_attempts: 3,
    sms: false,
};

async fn buyer(app: &TestApp) -> (Client, String) {
    let email = format!("{}@buyer.example", unique("b"));
    app.create_user(&email, Role::Buyer);
    let c = client();
    assert_eq!(app.login_with(&c, &email, PASSWORD).await.status, 303);
    (c, email)
}

fn amount_of(app: &TestApp, order: i64) -> i64 {
    app.count(&format!(
        "SELECT amount_minor AS n FROM orders WHERE id = {order}"
    ))
}

#[tokio::test]
async fn a_buyer_asks_for_a_refund_the_seller_decides_and_the_order_stops() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, buyer_email) = buyer(&app).await;
    let order = paid_order(&app, &b, product).await;
    let paid = amount_of(&app, order);
    let path = format!("/account/orders/{order}");
    let page = app.get_with(&b, &path).await;
    page.assert_has("Unsubscribe and ask for a refund");
    let paid_text = format!("{}.{:02}", paid / 100, paid % 100);
    assert_eq!(
        page.input_value("amount").as_deref(),
        Some(paid_text.as_str())
    );

    // Bad input: the message next to the field, what was typed kept, nothing written.
    let over = format!("{}.01", paid / 100);
    for (amount, reason, message) in [
        ("0", "x", "The refund must be more than 0."),
        (
            over.as_str(),
            "x",
            "The refund cannot be more than what was paid",
        ),
        (
            "ten",
            "x",
            "Give the amount as a number with at most two decimals",
        ),
        ("1.00", "  ", "Say why you ask for a refund."),
    ] {
        let refused = app
            .post_with(
                &b,
                &format!("{path}/refund"),
                &[("amount", amount), ("reason", reason)],
            )
            .await;
        assert_eq!(refused.status, 422, "{amount}");
        refused.assert_has(message);
        assert_eq!(refused.input_value("amount").as_deref(), Some(amount));
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM order_refunds"), 0);
    // Not another buyer's to ask, not another seller's to decide.
    let (other_buyer, _) = buyer(&app).await;
    assert_eq!(
        app.post_with(
            &other_buyer,
            &format!("{path}/refund"),
            &[("amount", "1.00"), ("reason", "mine")]
        )
        .await
        .status,
        404
    );

    let asked = app
        .post_with(
            &b,
            &format!("{path}/refund"),
            &[("amount", "1.00"), ("reason", "We moved to <another> tool")],
        )
        .await;
    assert_eq!(asked.status, 303);
    let page = app.get_with(&b, &path).await;
    page.assert_has("Your refund request is sent to the seller.");
    page.assert_has("We moved to <another> tool");
    assert!(!page.body.contains("<another>"));
    let again = app
        .post_with(
            &b,
            &format!("{path}/refund"),
            &[("amount", "1.00"), ("reason", "again")],
        )
        .await;
    assert_eq!(again.status, 422);
    again.assert_has("A refund request of this order is waiting for the seller.");

    let (other_seller, _) = app.other_seller().await;
    assert_eq!(
        app.post_with(
            &other_seller,
            &format!("/console/orders/{order}/refund"),
            &[("decision", "approve"), ("note", "")]
        )
        .await
        .status,
        404
    );
    let seller_page = app.get(&format!("/console/orders/{order}")).await;
    seller_page.assert_has("The buyer asks for");
    seller_page.assert_has("Refund requested");
    let no_note = app
        .post(
            &format!("/console/orders/{order}/refund"),
            &[("decision", "reject"), ("note", "")],
        )
        .await;
    assert_eq!(no_note.status, 422);
    no_note.assert_has("Say why you reject the refund.");
    let rejected = app
        .post(
            &format!("/console/orders/{order}/refund"),
            &[("decision", "reject"), ("note", "Used all month")],
        )
        .await;
    assert_eq!(rejected.status, 303);
    let page = app.get_with(&b, &path).await;
    page.assert_has("Rejected");
    page.assert_has("Used all month");
    let (subject, _) = app.last_mail_to(&buyer_email).unwrap();
    assert!(subject.contains("refund rejected"), "{subject}");

    // Product Transaction keeps its rendered list until one of the seller's orders changes.
    let before = app.get("/console/orders").await;
    assert!(!before.has("status-unsubscribed"));
    // Asked again and approved: unsubscribed at once, its period ended now.
    app.post_with(
        &b,
        &format!("{path}/refund"),
        &[("amount", "1.00"), ("reason", "Please reconsider")],
    )
    .await;
    let approved = app
        .post(
            &format!("/console/orders/{order}/refund"),
            &[("decision", "approve"), ("note", "")],
        )
        .await;
    assert_eq!(approved.status, 303);
    let page = app.get_with(&b, &path).await;
    page.assert_has("Unsubscribed");
    page.assert_has("Refund approved");
    assert!(
        !page.has("Unsubscribe and ask for a refund"),
        "nothing more to ask"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM orders WHERE id = {order} AND state = 'unsubscribed' \
             AND refunded_minor = 100 AND expires_at <= refunded_at"
        )),
        1
    );
    let (subject, _) = app.last_mail_to(&buyer_email).unwrap();
    assert!(subject.contains("refund approved"), "{subject}");
    app.get("/console/orders")
        .await
        .assert_has("status status-unsubscribed");
    // A refund asked of an order that is over is refused.
    let closed = app
        .post_with(
            &b,
            &format!("{path}/refund"),
            &[("amount", "1.00"), ("reason", "more")],
        )
        .await;
    assert_eq!(closed.status, 422);
    closed.assert_has("This order cannot be unsubscribed now.");
}

#[tokio::test]
async fn the_bill_follows_a_refund_netted_before_billing_or_as_a_negative_line_after() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let (early, late) = (
        paid_order(&app, &b, product).await,
        paid_order(&app, &b, product).await,
    );
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-05-10 00:00:00' WHERE id = {late}"
    ));
    // May's bill takes the late-refunded order at its full amount.
    assert_eq!(
        app.with_conn(|c| bill::generate(c, "2026-05", &SETTINGS).unwrap()),
        1
    );
    for order in [early, late] {
        app.post_with(
            &b,
            &format!("/account/orders/{order}/refund"),
            &[("amount", "1.00"), ("reason", "not needed")],
        )
        .await;
        assert_eq!(
            app.post(
                &format!("/console/orders/{order}/refund"),
                &[("decision", "approve"), ("note", "ok")]
            )
            .await
            .status,
            303
        );
    }
    app.execute(&format!(
        "UPDATE orders SET closed_at = '2026-06-01 00:00:00', refunded_at = '2026-06-02 00:00:00' \
         WHERE id = {early}"
    ));
    app.execute(&format!(
        "UPDATE orders SET refunded_at = '2026-06-15 00:00:00' WHERE id = {late}"
    ));
    assert_eq!(
        app.with_conn(|c| bill::generate(c, "2026-06", &SETTINGS).unwrap()),
        1
    );
    let june = app.count("SELECT MAX(id) AS n FROM bills");
    let csv = app
        .get(&format!("/console/settlement/{june}/lines.csv"))
        .await;
    let rows: Vec<&str> = csv.body.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{}", csv.body);
    let early_amount = amount_of(&app, early);
    let net = format!(
        "{}.{:02}",
        (early_amount - 100) / 100,
        (early_amount - 100) % 100
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with(&format!("{early},Sale,")) && r.contains(&net)),
        "the early refund is netted: {rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with(&format!("{late},Refund,")) && r.contains(",-1.00,")),
        "the late refund is a negative line: {rows:?}"
    );
    // Nothing more to bill: each order and each refund is on one bill.
    assert_eq!(
        app.with_conn(|c| bill::generate(c, "2026-07", &SETTINGS).unwrap()),
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM bill_lines"), 3);
}

fn as_str(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn a_renewal_continues_the_subscription_and_the_seller_sees_the_buyers_company() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let first = paid_order(&app, &b, product).await;
    let page = app.get_with(&b, &format!("/account/orders/{first}")).await;
    page.assert_has(&format!("/account/orders/{first}/renew"));
    let renew = app
        .get_with(&b, &format!("/account/orders/{first}/renew"))
        .await;
    assert_eq!(renew.status, 303);
    let checkout_link = renew.location.unwrap();
    assert!(
        checkout_link.contains(&format!("renews={first}")),
        "{checkout_link}"
    );
    let checkout = app.get_with(&b, &checkout_link).await;
    assert_eq!(checkout.status, 200, "{}", checkout.body);
    checkout.assert_has(&format!("This order renews order #{first}"));
    // The checkout's fields, as its confirmation form posts them.
    let query = checkout_link.split_once('?').unwrap().1;
    let mut fields: Vec<(String, String)> = serde_html_form::from_str(query).unwrap();
    fields.retain(|(k, _)| k != "company");
    let long = "C".repeat(201);
    let mut too_long = fields.clone();
    too_long.push(("company".into(), long));
    let refused = app
        .post_with(
            &b,
            &format!("/products/{product}/order"),
            &as_str(&too_long),
        )
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_has("At most 200 characters.");
    let mut ok = fields.clone();
    ok.push(("company".into(), "Acme <Holdings> Ltd".into()));
    let placed = app
        .post_with(&b, &format!("/products/{product}/order"), &as_str(&ok))
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let second: i64 = placed
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    app.post_with(&b, &format!("/account/orders/{second}/pay-test"), &[])
        .await;
    // It starts where the first ends.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM orders a, orders b WHERE a.id = {first} AND b.id = {second} \
             AND b.starts_at = a.expires_at AND b.renews_order_id = a.id"
        )),
        1
    );
    app.get_with(&b, &format!("/account/orders/{second}"))
        .await
        .assert_has("Renews order");
    let list = app.get("/console/orders").await;
    list.assert_has("Acme <Holdings> Ltd");
    assert!(!list.body.contains("<Holdings>"));
    let csv = app.get("/console/orders.csv").await;
    assert!(csv.body.lines().next().unwrap().contains("Buyer company"));
    assert!(csv.body.contains("Acme <Holdings> Ltd"));

    // Only the buyer's own paid subscription can be renewed.
    let (other, _) = buyer(&app).await;
    assert_eq!(
        app.get_with(&other, &format!("/account/orders/{first}/renew"))
            .await
            .status,
        404
    );
    let mut forged = fields.clone();
    forged.retain(|(k, _)| k != "renews");
    forged.push(("renews".into(), "999999".into()));
    let refused = app
        .post_with(&b, &format!("/products/{product}/order"), &as_str(&forged))
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_has("This order cannot be renewed");
}
