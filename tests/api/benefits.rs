//! Policies and Benefits (SPEC 13): eligibility from the seller's own orders, slot and coupon
//! requests as applications, operations' allocation of a month, the slots on the catalog home.

use reqwest::Client;
use seller_console::domain::benefits::open_months;
use seller_console::domain::statuses::Role;

use crate::catalog::listed_product;
use crate::helpers::{client, spawn_app, unique, TestApp, PASSWORD};
use crate::settlement::paid_order;

async fn buyer(app: &TestApp) -> Client {
    let email = format!("{}@buyer.example", unique("b"));
    app.create_user(&email, Role::Buyer);
    let c = client();
    assert_eq!(app.login_with(&c, &email, PASSWORD).await.status, 303);
    c
}

fn next_month() -> String {
    open_months(time::OffsetDateTime::now_utc().date())[0].clone()
}

/// Makes the seller of `product` have `usd` dollars of paid transactions, in one order.
async fn transactions(app: &TestApp, b: &Client, product: i64, usd: i64) -> i64 {
    let order = paid_order(app, b, product).await;
    app.execute(&format!(
        "UPDATE orders SET currency = 'USD', amount_minor = {} WHERE id = {order}",
        usd * 100
    ));
    order
}

#[tokio::test]
async fn the_benefits_page_shows_each_benefit_and_the_banner_opens_at_100000_dollars() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let page = app.get("/console/benefits").await;
    assert_eq!(page.status, 200);
    for text in [
        "Homepage banner recommendation",
        "Product display in the featured zones",
        "Eligibility for product resale",
        "Joint marketing campaigns",
        "Sales enablement",
        "Test coupons",
        "Technical support",
        "Training",
        "Your paid transactions: USD 0.00 of USD 100,000.00 (0 orders).",
        "USD 100,000.00 more of paid transactions makes you eligible.",
    ] {
        page.assert_has(text);
    }
    // Registered (its product is listed): a featured zone can be asked for, not the banner.
    assert!(page.has("<option value=\"featured\""));
    assert!(!page.has("<option value=\"banner\""));

    let b = buyer(&app).await;
    let order = transactions(&app, &b, product, 99_999).await;
    app.get("/console/benefits")
        .await
        .assert_has("USD 1.00 more of paid transactions");
    // A refund counts against it; an unpaid order does not count.
    app.execute(&format!(
        "UPDATE orders SET amount_minor = 10000000 WHERE id = {order}"
    ));
    let unpaid = paid_order(&app, &b, product).await;
    app.execute(&format!(
        "UPDATE orders SET state = 'pending_payment', currency = 'USD', amount_minor = 99999900 WHERE id = {unpaid}"
    ));
    let page = app.get("/console/benefits").await;
    page.assert_has("Your paid transactions: USD 100,000.00 of USD 100,000.00 (1 orders).");
    assert!(page.has("<option value=\"banner\""));
    // Converted at the configured rate: CNY 714,285.72 × 0.14 is USD 100,000.00.
    app.execute(&format!(
        "UPDATE orders SET currency = 'CNY', amount_minor = 71428572 WHERE id = {order}"
    ));
    app.get("/console/benefits")
        .await
        .assert_has("USD 100,000.00 of USD 100,000.00");
    // Another seller's orders are not this one's.
    let (other, _) = app.other_seller().await;
    app.get_with(&other, "/console/benefits")
        .await
        .assert_has("USD 0.00 of USD 100,000.00");
}

#[tokio::test]
async fn a_slot_request_is_an_application_two_weeks_ahead_once_a_month() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let month = next_month();
    let this_month =
        seller_console::domain::settlement::period_of(time::OffsetDateTime::now_utc().date());
    let product_text = product.to_string();
    let ask = |slot: &'static str, month: String| {
        let p = product_text.clone();
        let app = &app;
        async move {
            app.post(
                "/console/benefits/slot",
                &[
                    ("slot", slot),
                    ("month", &month),
                    ("product", &p),
                    ("note", "Spring campaign"),
                ],
            )
            .await
        }
    };
    let soon = ask("featured", this_month).await;
    assert_eq!(soon.status, 422);
    soon.assert_has("A slot is requested at least 14 days before its month starts.");
    let banner = ask("banner", month.clone()).await;
    assert_eq!(banner.status, 422);
    banner.assert_has("The homepage banner needs USD 100,000 of paid transactions.");
    let (other, other_email) = app.other_seller().await;
    app.approve_company_of(&other_email);
    let not_theirs = app
        .post_with(
            &other,
            "/console/benefits/slot",
            &[
                ("slot", "featured"),
                ("month", &month),
                ("product", &product.to_string()),
            ],
        )
        .await;
    assert_eq!(not_theirs.status, 422);
    not_theirs.assert_has("Choose one of your products in the catalog.");

    let asked = ask("featured", month.clone()).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let page = app.get("/console/benefits").await;
    page.assert_has("is submitted. Review is due by");
    page.assert_has("Product display in the featured zones");
    page.assert_has(&format!("{month} · Cloud Backup Suite"));
    let id = app.count("SELECT MAX(id) AS n FROM applications WHERE kind = 'featured_request'");
    let application = app.get(&format!("/console/applications/{id}")).await;
    assert_eq!(application.status, 200);
    application.assert_has("Featured zone request");
    application.assert_has("Spring campaign");
    let again = ask("featured", month.clone()).await;
    assert_eq!(again.status, 422);
    again.assert_has(&format!("You already have a slot request for {month}"));
    // Operations see it in the review queue and in the month's allocation.
    let ops = app.operator().await;
    app.get_with(&ops, "/ops/applications")
        .await
        .assert_has("Featured zone request");
    let month_page = app
        .get_with(&ops, &format!("/ops/benefits?month={month}"))
        .await;
    assert_eq!(month_page.status, 200);
    month_page.assert_has(&format!("{month} · Cloud Backup Suite"));
}

#[tokio::test]
async fn operations_allocate_a_months_slots_by_arrival_then_amount_and_the_home_shows_them() {
    let app = spawn_app().await;
    let month = next_month();
    let b = buyer(&app).await;
    let mut sellers = Vec::new();
    // Four eligible sellers ask the same day for the month's three banners; their amounts
    // rank them.
    for k in 0..4i64 {
        let product = listed_product(&app).await;
        app.execute(&format!(
            "UPDATE products SET name = 'Banner product {k}' WHERE id = {product}"
        ));
        app.execute(&format!(
            "UPDATE catalog_entries SET name = 'Banner product {k}' WHERE product_id = {product}"
        ));
        transactions(&app, &b, product, 100_000 + k * 1_000).await;
        let asked = app
            .post(
                "/console/benefits/slot",
                &[
                    ("slot", "banner"),
                    ("month", &month),
                    ("product", &product.to_string()),
                ],
            )
            .await;
        assert_eq!(asked.status, 303, "{}", asked.body);
        sellers.push(product);
    }
    let ops = app.operator().await;
    let page = app
        .get_with(&ops, &format!("/ops/benefits?month={month}"))
        .await;
    let pos = |k: i64| page.body.find(&format!("Banner product {k}")).unwrap();
    assert!(
        pos(3) < pos(2) && pos(2) < pos(1) && pos(1) < pos(0),
        "ranked by amount"
    );
    let allocated = app
        .post_with(
            &ops,
            "/ops/benefits/allocate",
            &[("month", &month), ("slot", "banner")],
        )
        .await;
    assert_eq!(allocated.status, 303);
    app.get_with(&ops, &format!("/ops/benefits?month={month}"))
        .await
        .assert_has("3 approved, 1 rejected.");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'banner_request' AND status = 'approved'"),
        3
    );
    // The lowest amount lost, and was told why, in both languages.
    let rejected_subject = app.count(
        "SELECT COUNT(*) AS n FROM applications WHERE kind = 'banner_request' AND status = 'rejected' \
         AND subject LIKE '%Banner product 0%' AND latest_comment LIKE '%slots of%are taken%'",
    );
    assert_eq!(rejected_subject, 1);
    // Allocating again changes nothing; an approval beyond the slots fails.
    app.post_with(
        &ops,
        "/ops/benefits/allocate",
        &[("month", &month), ("slot", "banner")],
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'banner_request' AND status = 'approved'"),
        3
    );

    // The home shows the month's approved banners on top (moved to this month to see them).
    let this_month =
        seller_console::domain::settlement::period_of(time::OffsetDateTime::now_utc().date());
    app.execute(&format!(
        "UPDATE benefit_requests SET month = '{this_month}'"
    ));
    let home = app.get_with(&client(), "/").await;
    home.assert_has("Recommended");
    let hero = home.body.find("class=\"hero\"").unwrap();
    for k in 1..4 {
        let at = home
            .body
            .find(&format!("Banner product {k}</a></h2>"))
            .unwrap();
        assert!(at < hero, "banner {k} is above the hero");
    }
    assert!(!home.has("Banner product 0</a></h2>"));
    // Not on a search.
    assert!(!app
        .get_with(&client(), "/?q=banner")
        .await
        .has("Recommended"));
}

#[tokio::test]
async fn test_coupons_are_requested_once_per_product_up_to_1000_dollars() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let p = product.to_string();
    for (amount, purpose, message) in [
        ("1000.01", "Access test", "A request is at most USD 1,000."),
        ("0", "Access test", "The amount must be more than 0."),
        ("lots", "Access test", "Give the amount in US dollars"),
        ("500", " ", "Say what the coupons are for."),
    ] {
        let refused = app
            .post(
                "/console/benefits/coupon",
                &[
                    ("coupon_product", &p),
                    ("amount", amount),
                    ("purpose", purpose),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{amount}");
        refused.assert_has(message);
        assert_eq!(refused.input_value("amount").as_deref(), Some(amount));
    }
    let asked = app
        .post(
            "/console/benefits/coupon",
            &[
                ("coupon_product", &p),
                ("amount", "1000"),
                ("purpose", "Access test"),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    app.get("/console/benefits")
        .await
        .assert_has("Cloud Backup Suite · USD 1,000.00");
    let again = app
        .post(
            "/console/benefits/coupon",
            &[
                ("coupon_product", &p),
                ("amount", "10"),
                ("purpose", "More"),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    again.assert_has("Coupons were already requested for this product: once per product.");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'test_coupon_request'"),
        1
    );
}
