//! Buyers order from the catalog (SPEC 11): sign-up as a buyer, checkout priced by the
//! server's quote(), the order frozen with its release, a buyer's own orders, cancelling.

use reqwest::Client;
use seller_console::domain::offer::PurchaseLimit;
use seller_console::domain::pricing::{quote, Period};
use seller_console::domain::statuses::Role;
use seller_console::models::product_release;

use crate::catalog::{list_copy, listed_product};
use crate::helpers::{client, spawn_app, unique, TestApp, PASSWORD};

/// A buyer account, signed in on a client of its own.
async fn buyer(app: &TestApp) -> (Client, i64) {
    let email = format!("{}@buyer.example", unique("b"));
    let id = app.create_user(&email, Role::Buyer);
    let c = client();
    let page = app.login_with(&c, &email, PASSWORD).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/account/orders"));
    (c, id)
}

/// The first SKU of the first specification, and its price for `months` months by quote().
fn first_sku(app: &TestApp, product: i64, months: u32) -> (String, String, i64) {
    app.with_conn(|c| {
        let p = product_release::find_public(c, product).unwrap();
        let r = &p.release.snapshot.release;
        let spec = &r.specs[0];
        let sku = &spec.skus[0];
        let amount = quote(
            spec.billing,
            spec.quantity.as_ref().map(|q| &q.range),
            &sku.prices,
            spec.quantity.as_ref().map(|q| q.range.min),
            &Period::Months(months),
        )
        .unwrap();
        let minor = i64::try_from(amount * rust_decimal::Decimal::ONE_HUNDRED).unwrap();
        (sku.key.clone(), r.currency.clone(), minor)
    })
}

fn choice<'a>(sku: &'a str, count: &'a str, region: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("spec", "0"),
        ("sku", sku),
        ("quantity", "1"),
        ("period", "month"),
        ("count", count),
        ("region", region),
    ]
}

fn query(fields: &[(&str, &str)]) -> String {
    serde_html_form::to_string(fields).unwrap()
}

#[tokio::test]
async fn a_buyer_signs_up_from_the_catalog_and_has_no_seller_console() {
    let app = spawn_app().await;
    let page = app.get_with(&client(), "/signup?as=buyer").await;
    page.assert_has("Create a buyer account");
    page.assert_has(r#"name="role" value="buyer""#);
    // Through the mail's link, as a visitor signs up.
    let email = format!("{}@new-buyer.example", unique("nb"));
    let visitor = client();
    let token = app.token_with(&visitor).await;
    let sent = app
        .post_raw_with(
            &visitor,
            "/signup",
            &[
                ("csrf_token", token.as_str()),
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("role", "buyer"),
            ],
        )
        .await;
    assert_eq!(sent.location.as_deref(), Some("/signup/sent"));
    let token = app.signup_token(&email).expect("a confirmation mail");
    let confirm = app
        .get_with(&visitor, &format!("/signup/confirm?token={token}"))
        .await;
    let csrf = crate::helpers::csrf_in(&confirm.body).unwrap();
    let confirmed = app
        .post_raw_with(
            &visitor,
            "/signup/confirm",
            &[("csrf_token", &csrf), ("token", &token)],
        )
        .await;
    assert_eq!(confirmed.location.as_deref(), Some("/account/orders"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM users WHERE email = '{email}' AND role = 'buyer' \
             AND company_id IS NULL"
        )),
        1
    );
    let b = visitor;
    let orders = app.get_with(&b, "/account/orders").await;
    assert_eq!(orders.status, 200);
    orders.assert_has("You have no orders yet.");
    orders.assert_has(r#"href="/account/orders">My Orders</a>"#);
    assert_eq!(app.get_with(&b, "/console").await.status, 403);
    assert_eq!(app.get_with(&b, "/console/products").await.status, 403);
    assert_eq!(app.get_with(&b, "/ops/applications").await.status, 403);
}

#[tokio::test]
async fn a_buyer_orders_at_the_quoted_price_frozen_with_the_release_and_can_cancel() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, buyer_id) = buyer(&app).await;
    let (sku, currency, minor) = first_sku(&app, product, 3);
    let fields = choice(&sku, "3", "cn");

    // The product page offers it; the checkout shows the server's price before anything is
    // written.
    let page = app.get_with(&b, &format!("/products/{product}")).await;
    page.assert_has(&format!(r#"formaction="/products/{product}/order""#));
    let checkout = app
        .get_with(&b, &format!("/products/{product}/order?{}", query(&fields)))
        .await;
    assert_eq!(checkout.status, 200, "{}", checkout.body);
    let amount = format!("{currency} {}", rust_decimal::Decimal::new(minor, 2));
    checkout.assert_has("Place order");
    checkout.assert_has("3 months");
    assert!(
        checkout.has(&amount)
            || checkout.has(&seller_console::i18n::money(
                &currency,
                &rust_decimal::Decimal::new(minor, 2)
            )),
        "no {amount} in {}",
        checkout.body
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM orders"), 0);

    let placed = app
        .post_with(&b, &format!("/products/{product}/order"), &fields)
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let location = placed.location.unwrap();
    let order: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT amount_minor AS n FROM orders WHERE id = {order}"
        )),
        minor
    );
    assert_eq!(
        app.count(&format!(
            "SELECT release_id AS n FROM orders WHERE id = {order}"
        )),
        app.count(&format!(
            "SELECT listed_release_id AS n FROM products WHERE id = {product}"
        ))
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(platform_share_bp AS BIGINT) AS n FROM orders WHERE id = {order}"
        )),
        1000
    );
    assert_eq!(
        app.count(&format!(
            "SELECT buyer_id AS n FROM orders WHERE id = {order}"
        )),
        buyer_id
    );
    let page = app.get_with(&b, &location).await;
    page.assert_has("Your order is placed. It waits for payment.");
    page.assert_has("Pending payment");
    page.assert_has("Order placed");
    let list = app.get_with(&b, "/account/orders").await;
    list.assert_has(&format!(r#"href="/account/orders/{order}""#));

    // Another buyer sees none of it and cannot cancel it.
    let (other, _) = buyer(&app).await;
    assert_eq!(app.get_with(&other, &location).await.status, 404);
    assert!(!app.get_with(&other, "/account/orders").await.has(&location));
    let theirs = app
        .post_with(&other, &format!("/account/orders/{order}/cancel"), &[])
        .await;
    assert_eq!(theirs.status, 404);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM orders WHERE id = {order} AND state = 'pending_payment'"
        )),
        1
    );

    // The buyer cancels; a second time says it can no longer be.
    let cancelled = app
        .post_with(&b, &format!("/account/orders/{order}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, 303);
    let page = app.get_with(&b, &location).await;
    page.assert_has("The order is cancelled.");
    page.assert_has("Cancelled by the buyer");
    assert!(!page.has("Cancel the order"));
    app.post_with(&b, &format!("/account/orders/{order}/cancel"), &[])
        .await;
    app.get_with(&b, &location)
        .await
        .assert_has("This order can no longer be cancelled.");
}

#[tokio::test]
async fn a_choice_outside_the_rules_is_refused_next_to_its_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    // A copy sold only in Singapore, one purchase per buyer.
    let limited = list_copy(
        &app,
        product,
        "Limited copy",
        |r| {
            for s in &mut r.specs {
                s.regions = vec!["sg".to_string()];
            }
            r.purchase_limit = Some(PurchaseLimit::OncePerBuyer);
        },
        1,
    );
    let (b, _) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, limited, 1);
    let path = format!("/products/{limited}/order");

    for (fields, message) in [
        (
            choice(&sku, "1", "cn"),
            "This specification is not sold in that region",
        ),
        (choice(&sku, "99", "sg"), "months"),
        (choice("no-such-sku", "1", "sg"), "Choose one of the SKUs"),
        (
            vec![
                ("spec", "7"),
                ("sku", sku.as_str()),
                ("period", "month"),
                ("count", "1"),
                ("region", "sg"),
            ],
            "Choose one of the specifications offered.",
        ),
    ] {
        let at_checkout = app
            .get_with(&b, &format!("{path}?{}", query(&fields)))
            .await;
        assert_eq!(at_checkout.status, 422, "{fields:?}: {}", at_checkout.body);
        at_checkout.assert_has(message);
        assert!(!at_checkout.has("Place order"));
        let posted = app.post_with(&b, &path, &fields).await;
        assert_eq!(posted.status, 422, "{fields:?}");
        posted.assert_has(message);
        // What was typed is kept in the form.
        posted.assert_has(&format!(r#"value="{}""#, fields[4].1));
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM orders"), 0);

    // One purchase per buyer: the second is refused while the first is held; once the first
    // is cancelled it no longer counts.
    let ok = choice(&sku, "1", "sg");
    let first = app.post_with(&b, &path, &ok).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let again = app.post_with(&b, &path, &ok).await;
    assert_eq!(again.status, 422);
    again.assert_has("one purchase per buyer");
    let order: i64 = first
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    app.post_with(&b, &format!("/account/orders/{order}/cancel"), &[])
        .await;
    assert_eq!(app.post_with(&b, &path, &ok).await.status, 303);

    // A hidden product is not ordered; nor is it by a seller.
    app.execute(&format!(
        "UPDATE products SET visibility = 'hidden' WHERE id = {limited}"
    ));
    assert_eq!(app.post_with(&b, &path, &ok).await.status, 404);
    let seller = app.post(&format!("/products/{product}/order"), &ok).await;
    assert_eq!(seller.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM orders"), 2);
}

#[tokio::test]
async fn the_checkout_and_the_orders_are_in_chinese_for_a_chinese_buyer() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, buyer_id) = buyer(&app).await;
    app.execute(&format!(
        "UPDATE users SET language = 'zh-CN' WHERE id = {buyer_id}"
    ));
    let (sku, _, _) = first_sku(&app, product, 1);
    let fields = choice(&sku, "2", "cn");
    let checkout = app
        .get_with(&b, &format!("/products/{product}/order?{}", query(&fields)))
        .await;
    checkout.assert_has("提交订单");
    checkout.assert_has("2 个月");
    let placed = app
        .post_with(&b, &format!("/products/{product}/order"), &fields)
        .await;
    let page = app.get_with(&b, &placed.location.unwrap()).await;
    page.assert_has("待支付");
    page.assert_has("买家下单");
    let (subject, text) = app
        .last_mail_to(&crate::review::email_of(&app, buyer_id))
        .expect("a mail to the buyer");
    assert!(subject.contains("已提交"), "{subject}");
    assert!(text.contains("查看订单"), "{text}");
    for english in [
        "Place order",
        "Pending payment",
        "Timeline",
        "Amount",
        "My Orders",
    ] {
        assert!(
            !page.has(english) && !checkout.has(english),
            "{english} in Chinese pages"
        );
    }
}

#[tokio::test]
async fn operations_record_a_bank_transfer_and_the_rules_are_checked_again_at_payment() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, buyer_id) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, product, 1);
    let fields = choice(&sku, "2", "cn");
    let place = |b: &Client| {
        let (app, fields) = (&app, fields.clone());
        let b = b.clone();
        async move {
            let placed = app
                .post_with(&b, &format!("/products/{product}/order"), &fields)
                .await;
            assert_eq!(placed.status, 303, "{}", placed.body);
            placed
                .location
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .parse::<i64>()
                .unwrap()
        }
    };
    let first = place(&b).await;
    let second = place(&b).await;
    let ops = app.operator().await;
    let queue = app.get_with(&ops, "/ops/orders").await;
    assert_eq!(queue.status, 200);
    queue.assert_has(&format!("/ops/orders/{first}/pay"));
    queue.assert_has("@buyer.example");

    // No reference: refused next to the field, nothing paid.
    let refused = app
        .post_with(
            &ops,
            &format!("/ops/orders/{first}/pay"),
            &[("reference", " ")],
        )
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_has("Enter the bank transfer");
    let paid = app
        .post_with(
            &ops,
            &format!("/ops/orders/{first}/pay"),
            &[("reference", "TRX-0001")],
        )
        .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    // A SaaS order completes when paid and runs two months from then.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM orders WHERE id = {first} AND state = 'completed' \
             AND paid_at IS NOT NULL AND expires_at > paid_at"
        )),
        1
    );
    let page = app.get_with(&b, &format!("/account/orders/{first}")).await;
    page.assert_has("Completed");
    page.assert_has("Payment received: bank transfer TRX-0001");
    // The buyer is told by email, the seller in its message center and by email, all in the
    // payment's transaction.
    let buyer_email = crate::review::email_of(&app, buyer_id);
    let (subject, text) = app.last_mail_to(&buyer_email).expect("a mail to the buyer");
    assert_eq!(subject, format!("Order #{first} paid: Cloud Backup Suite"));
    assert!(text.contains("bank transfer TRX-0001"), "{text}");
    assert!(text.contains(&format!("/account/orders/{first}")), "{text}");
    let messages = app.get("/console/messages").await;
    messages.assert_has(&format!("Order #{first} paid: Cloud Backup Suite"));
    messages.assert_has(&format!("Order #{second} placed: Cloud Backup Suite"));
    // The same payment again changes nothing.
    let again = app
        .post_with(
            &ops,
            &format!("/ops/orders/{first}/pay"),
            &[("reference", "TRX-0001")],
        )
        .await;
    assert_eq!(again.status, 422);
    again.assert_has("This order is not waiting for payment.");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM order_events WHERE order_id = {first} AND kind = 'paid'"
        )),
        1
    );

    // Hidden since it was ordered: the second order cannot be paid.
    app.execute(&format!(
        "UPDATE products SET visibility = 'hidden' WHERE id = {product}"
    ));
    let hidden = app
        .post_with(
            &ops,
            &format!("/ops/orders/{second}/pay"),
            &[("reference", "TRX-0002")],
        )
        .await;
    assert_eq!(hidden.status, 422);
    hidden.assert_has("The product is no longer sold");
    hidden.assert_has(r#"value="TRX-0002""#);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM orders WHERE id = {second} AND state = 'pending_payment'"
        )),
        1
    );
    // Buyers and sellers never reach the operations' page.
    assert_eq!(app.get_with(&b, "/ops/orders").await.status, 403);
    assert_eq!(
        app.post_with(
            &b,
            &format!("/ops/orders/{second}/pay"),
            &[("reference", "x")]
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn a_purchase_over_the_limit_is_refused_again_at_payment() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, product, 1);
    let fields = choice(&sku, "1", "cn");
    let path = format!("/products/{product}/order");
    // Two orders placed while there was no limit; then one purchase per buyer.
    let a = app.post_with(&b, &path, &fields).await.location.unwrap();
    let c = app.post_with(&b, &path, &fields).await.location.unwrap();
    let id = |l: &str| l.rsplit('/').next().unwrap().to_string();
    app.with_conn(|conn| {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use seller_console::db::schema::product_releases;
        let p = product_release::find_public(conn, product).unwrap();
        let mut snapshot = p.release.snapshot.clone();
        snapshot.release.purchase_limit = Some(PurchaseLimit::OncePerBuyer);
        diesel::update(product_releases::table.filter(product_releases::id.eq(p.release.id)))
            .set(product_releases::snapshot.eq(serde_json::to_string(&snapshot).unwrap()))
            .execute(conn)
            .unwrap();
    });
    let ops = app.operator().await;
    let first = app
        .post_with(
            &ops,
            &format!("/ops/orders/{}/pay", id(&a)),
            &[("reference", "A")],
        )
        .await;
    assert_eq!(first.status, 422, "the other unpaid order is held too");
    // Once the other is cancelled, this one is paid; then a new order is refused.
    app.post_with(&b, &format!("/account/orders/{}/cancel", id(&c)), &[])
        .await;
    let first = app
        .post_with(
            &ops,
            &format!("/ops/orders/{}/pay", id(&a)),
            &[("reference", "A")],
        )
        .await;
    assert_eq!(first.status, 303, "{}", first.body);
    let more = app.post_with(&b, &path, &fields).await;
    assert_eq!(more.status, 422);
    more.assert_has("one purchase per buyer");
}

#[tokio::test]
async fn product_transaction_shows_a_seller_the_orders_of_its_own_products_only() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, product, 1);
    let path = format!("/products/{product}/order");
    let first = app.post_with(&b, &path, &choice(&sku, "1", "cn")).await;
    let first: i64 = first
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let second = app.post_with(&b, &path, &choice(&sku, "2", "cn")).await;
    let second: i64 = second
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    app.post_with(&b, &format!("/account/orders/{second}/cancel"), &[])
        .await;
    let buyer_email = app.count(&format!(
        "SELECT buyer_id AS n FROM orders WHERE id = {first}"
    ));
    let buyer_email = crate::review::email_of(&app, buyer_email);

    let page = app.get("/console/orders").await;
    assert_eq!(page.status, 200);
    page.assert_has("Product Transaction");
    page.assert_has(&format!(r#"href="/console/orders/{first}""#));
    page.assert_has(&format!(r#"href="/console/orders/{second}""#));
    page.assert_has(&buyer_email);
    // Filters: state, search by order number and by email, a month with nothing.
    let pending = app.get("/console/orders?state=pending_payment").await;
    pending.assert_has(&format!("/console/orders/{first}\""));
    assert!(!pending.has(&format!("/console/orders/{second}\"")));
    let by_number = app.get(&format!("/console/orders?q=%23{second}")).await;
    assert!(
        by_number.has(&format!("/console/orders/{second}\""))
            && !by_number.has(&format!("/console/orders/{first}\""))
    );
    let by_email = app
        .get(&format!("/console/orders?q={}", buyer_email.to_uppercase()))
        .await;
    by_email.assert_has(&format!("/console/orders/{first}\""));
    let old = app.get("/console/orders?month=2020-01").await;
    old.assert_has("No orders of your products match.");
    let bad = app
        .get("/console/orders?month=%00%ff&state=nonsense&product=x&page=-4")
        .await;
    assert_eq!(bad.status, 200);

    let detail = app.get(&format!("/console/orders/{first}")).await;
    detail.assert_has("Pending payment");
    detail.assert_has(&buyer_email);
    detail.assert_has("10%");
    detail.assert_has("Order placed");

    // Another seller sees none of them.
    let (other, _) = app.other_seller().await;
    let theirs = app.get_with(&other, "/console/orders").await;
    assert!(!theirs.has(&buyer_email));
    assert_eq!(
        app.get_with(&other, &format!("/console/orders/{first}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn an_unpaid_order_expires_once_after_its_time_and_cannot_be_paid() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, buyer_id) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, product, 1);
    let placed = app
        .post_with(
            &b,
            &format!("/products/{product}/order"),
            &choice(&sku, "1", "cn"),
        )
        .await;
    let location = placed.location.unwrap();
    let order: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let settings = seller_console::applications::NotifySettings {
        base_url: "http://127.0.0.1",
        max_attempts: 3,
        sms: false,
    };
    // Not yet due: nothing happens.
    assert_eq!(
        app.with_conn(|c| seller_console::models::order::expire_unpaid(c, &settings).unwrap()),
        0
    );
    app.execute(&format!(
        "UPDATE orders SET pay_by = '2020-01-01 00:00:00' WHERE id = {order}"
    ));
    let ops = app.operator().await;
    let late = app
        .post_with(
            &ops,
            &format!("/ops/orders/{order}/pay"),
            &[("reference", "LATE")],
        )
        .await;
    assert_eq!(late.status, 422);
    late.assert_has("This order expired unpaid.");
    // Two sweeps (as two instances would run them): closed once, told once.
    let closed: usize = (0..2)
        .map(|_| {
            app.with_conn(|c| seller_console::models::order::expire_unpaid(c, &settings).unwrap())
        })
        .sum();
    assert_eq!(closed, 1);
    let page = app.get_with(&b, &location).await;
    page.assert_has("Expired");
    page.assert_has("Expired unpaid");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM order_events WHERE order_id = {order} AND kind = 'expired'"
        )),
        1
    );
    let (subject, _) = app
        .last_mail_to(&crate::review::email_of(&app, buyer_id))
        .unwrap();
    assert_eq!(
        subject,
        format!("Order #{order} expired unpaid: Cloud Backup Suite")
    );
}

#[tokio::test]
async fn a_buyer_cannot_pile_up_unpaid_orders() {
    use seller_console::models::order::MAX_UNPAID_PER_BUYER;
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, product, 1);
    let path = format!("/products/{product}/order");
    let fields = choice(&sku, "1", "cn");
    for _ in 0..MAX_UNPAID_PER_BUYER {
        assert_eq!(app.post_with(&b, &path, &fields).await.status, 303);
    }
    let refused = app.post_with(&b, &path, &fields).await;
    assert_eq!(refused.status, 422);
    refused.assert_has("orders waiting for payment");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM orders"),
        MAX_UNPAID_PER_BUYER
    );
}

/// The provider's key as the app derives it (no PAYMENT_SECRET in the tests).
fn provider(app: &TestApp) -> seller_console::payments::TestProvider {
    app.with_conn(|c| {
        let key = seller_console::models::settings::cookie_key(c).unwrap();
        seller_console::payments::TestProvider::new(&key)
    })
}

async fn notify(app: &TestApp, body: &[u8], signature: Option<&str>) -> (u16, String) {
    let mut r = client()
        .post(app.url("/payments/test/notify"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(s) = signature {
        r = r.header("x-signature", s);
    }
    let res = r.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_signed_notification_pays_once_and_a_forged_or_replayed_one_changes_nothing() {
    use seller_console::payments::{Notification, Provider};
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let (sku, currency, minor) = first_sku(&app, product, 1);
    let placed = app
        .post_with(
            &b,
            &format!("/products/{product}/order"),
            &choice(&sku, "1", "cn"),
        )
        .await;
    let order: i64 = placed
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let p = provider(&app);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let note = |id: &str, amount: i64, sent_at: i64| {
        serde_json::to_vec(&Notification {
            id: id.into(),
            order_id: order,
            amount_minor: amount,
            currency: currency.clone(),
            status: "paid".into(),
            sent_at,
        })
        .unwrap()
    };
    let pending = || {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM orders WHERE id = {order} AND state = 'pending_payment'"
        ))
    };
    let good = note("N-1", minor, now);

    // Forged: no signature, another key's, a body changed after signing; stale; wrong amount.
    assert_eq!(notify(&app, &good, None).await.0, 401);
    let other = seller_console::payments::TestProvider::new(b"not the key");
    assert_eq!(notify(&app, &good, Some(&other.sign(&good))).await.0, 401);
    let cheaper = note("N-1", 1, now);
    assert_eq!(notify(&app, &cheaper, Some(&p.sign(&good))).await.0, 401);
    let stale = note("N-2", minor, now - 3_600);
    assert_eq!(notify(&app, &stale, Some(&p.sign(&stale))).await.0, 400);
    let (status, body) = notify(&app, &cheaper, Some(&p.sign(&cheaper))).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("not the order"), "{body}");
    assert_eq!(
        notify(&app, b"{not json", Some(&p.sign(b"{not json")))
            .await
            .0,
        400
    );
    assert_eq!(pending(), 1);

    // Signed and right: paid once; the same notification again changes nothing.
    let (status, body) = notify(&app, &good, Some(&p.sign(&good))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"paid\""), "{body}");
    assert_eq!(pending(), 0);
    let (status, body) = notify(&app, &good, Some(&p.sign(&good))).await;
    assert_eq!(status, 200);
    assert!(body.contains("duplicate"), "{body}");
    // A second notification for the paid order (a new id) is refused too.
    let again = note("N-3", minor, now);
    assert_eq!(notify(&app, &again, Some(&p.sign(&again))).await.0, 409);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM order_events WHERE order_id = {order} AND kind = 'paid'"
        )),
        1
    );
    let page = app.get_with(&b, &format!("/account/orders/{order}")).await;
    page.assert_has("Payment received: payment provider N-1");
}

#[tokio::test]
async fn a_buyer_pays_through_the_test_provider_from_the_order_page() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let (b, _) = buyer(&app).await;
    let (other, _) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, product, 1);
    let placed = app
        .post_with(
            &b,
            &format!("/products/{product}/order"),
            &choice(&sku, "1", "cn"),
        )
        .await;
    let location = placed.location.unwrap();
    let order: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    app.get_with(&b, &location)
        .await
        .assert_has(&format!(r#"action="/account/orders/{order}/pay-test""#));
    // Not another buyer's to pay.
    let theirs = app
        .post_with(&other, &format!("/account/orders/{order}/pay-test"), &[])
        .await;
    assert_eq!(theirs.status, 404);
    let paid = app
        .post_with(&b, &format!("/account/orders/{order}/pay-test"), &[])
        .await;
    assert_eq!(paid.status, 303);
    let page = app.get_with(&b, &location).await;
    page.assert_has("Payment received. Thank you.");
    page.assert_has("Completed");
    assert!(!page.has("/pay-test"));
}

#[tokio::test]
async fn product_transaction_exports_the_filtered_orders_as_csv_in_batches() {
    use seller_console::models::order::EXPORT_BATCH;
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    // A name a spreadsheet would run as a formula.
    app.execute(&format!(
        "UPDATE product_releases SET snapshot = REPLACE(snapshot, '\"name\":\"Cloud Backup Suite\"', \
         '\"name\":\"=HYPERLINK(1)\"') WHERE product_id = {product}"
    ));
    let (b, _) = buyer(&app).await;
    let (sku, _, minor) = first_sku(&app, product, 1);
    let placed = app
        .post_with(
            &b,
            &format!("/products/{product}/order"),
            &choice(&sku, "1", "cn"),
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let first: i64 = placed
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // More than one batch: copies of the first order.
    let copies = EXPORT_BATCH + 7;
    for _ in 0..copies {
        app.execute(&format!(
            "INSERT INTO orders (buyer_id, product_id, company_id, release_id, product_name, \
             delivery_method, spec_name, sku_key, sku_label, billing, quantity, period_kind, \
             period_count, region, currency, amount_minor, platform_share_bp, trial, state, \
             created_at, updated_at, pay_by) \
             SELECT buyer_id, product_id, company_id, release_id, product_name, delivery_method, \
             spec_name, sku_key, sku_label, billing, quantity, period_kind, period_count, region, \
             currency, amount_minor, platform_share_bp, trial, 'cancelled', created_at, \
             updated_at, pay_by FROM orders WHERE id = {first}"
        ));
    }
    let res = app
        .client
        .get(app.url("/console/orders.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines.len() as i64,
        1 + 1 + copies,
        "a header and every order once"
    );
    assert!(lines[0].starts_with("Order,Product,"), "{}", lines[0]);
    assert!(
        csv.contains(&format!("{first},'=HYPERLINK(1),")),
        "{}",
        lines[lines.len() - 1]
    );
    assert!(csv.contains(&format!(",{}.", minor / 100)), "exact amounts");
    // Filtered as the page is: only the one waiting for payment.
    let pending = app.get("/console/orders.csv?state=pending_payment").await;
    assert_eq!(pending.body.lines().count(), 2, "{}", pending.body);
    // Another seller exports none of it.
    let (other, _) = app.other_seller().await;
    let theirs = app.get_with(&other, "/console/orders.csv").await;
    assert_eq!(theirs.body.lines().count(), 1);
}

#[tokio::test]
async fn the_seller_delivers_a_service_step_by_step_and_the_buyer_accepts_or_it_is_accepted_later()
{
    use seller_console::domain::statuses::DeliveryMethod;
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let service = list_copy(
        &app,
        product,
        "Website in four weeks",
        |r| {
            r.method = DeliveryMethod::ProfessionalServices;
            r.details
                .push(("Service flow".into(), "Website building".into()));
        },
        1,
    );
    let (b, _) = buyer(&app).await;
    let (sku, _, _) = first_sku(&app, service, 1);
    let mut orders = Vec::new();
    for _ in 0..2 {
        let placed = app
            .post_with(
                &b,
                &format!("/products/{service}/order"),
                &choice(&sku, "1", "cn"),
            )
            .await;
        let order: i64 = placed
            .location
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        app.post_with(&b, &format!("/account/orders/{order}/pay-test"), &[])
            .await;
        orders.push(order);
    }
    let (first, second) = (orders[0], orders[1]);
    let page = app.get(&format!("/console/orders/{first}")).await;
    page.assert_has("Processing");
    page.assert_has("Mark as: Design confirmed");
    // Not the buyer's to accept yet, not another seller's to move.
    let early = app
        .post_with(&b, &format!("/account/orders/{first}/accept"), &[])
        .await;
    assert_eq!(early.status, 303);
    app.get_with(&b, &format!("/account/orders/{first}"))
        .await
        .assert_has("This order is not waiting for your acceptance.");
    let (other, other_email) = app.other_seller().await;
    app.approve_company_of(&other_email);
    assert_eq!(
        app.post_with(&other, &format!("/console/orders/{first}/advance"), &[])
            .await
            .status,
        404
    );
    for step in ["Design confirmed", "Site built", "Launched"] {
        let moved = app
            .post(&format!("/console/orders/{first}/advance"), &[])
            .await;
        assert_eq!(moved.status, 303);
        let page = app.get(&format!("/console/orders/{first}")).await;
        page.assert_has("The order moved to its next step.");
        page.assert_has(&format!("Delivery step: {step}"));
    }
    let page = app.get(&format!("/console/orders/{first}")).await;
    assert!(!page.has("Mark as:"), "launched is the last step");
    let buyer_page = app.get_with(&b, &format!("/account/orders/{first}")).await;
    buyer_page.assert_has("Launched");
    buyer_page.assert_has("Accept the delivery");
    let accepted = app
        .post_with(&b, &format!("/account/orders/{first}/accept"), &[])
        .await;
    assert_eq!(accepted.status, 303);
    let buyer_page = app.get_with(&b, &format!("/account/orders/{first}")).await;
    buyer_page.assert_has("You accepted the delivery. The order is completed.");
    buyer_page.assert_has("Completed");
    buyer_page.assert_has("Delivery accepted by the buyer");

    // The second is delivered and left: accepted automatically once its days have passed.
    for _ in 0..3 {
        app.post(&format!("/console/orders/{second}/advance"), &[])
            .await;
    }
    let settings = seller_console::applications::NotifySettings {
        base_url: "http://127.0.0.1",
        max_attempts: 3,
        sms: false,
    };
    let sweep = |app: &TestApp| {
        app.with_conn(|c| seller_console::models::order::auto_accept(c, &settings, 7).unwrap())
    };
    assert_eq!(sweep(&app), 0, "not before its days");
    app.execute(&format!(
        "UPDATE orders SET delivered_at = '2020-01-01 00:00:00' WHERE id = {second}"
    ));
    assert_eq!(sweep(&app) + sweep(&app), 1, "once");
    let page = app.get_with(&b, &format!("/account/orders/{second}")).await;
    page.assert_has("Completed");
    page.assert_has("Delivery accepted automatically");
}
