//! The public catalog: an approved release is listed at / and has its page at /products/{id};
//! anything not approved is not found by the public.

use crate::helpers::{client, spawn_app, TestApp};
use crate::review::{decide, submitted_product};

/// A released product's pre-sales contact in force (as an approved pre-sales change leaves it).
fn set_presales(app: &TestApp, product: i64) {
    app.execute(&format!(
        "UPDATE companies SET presales_phone = '+65 6000 1111', \
         presales_email = 'sales@approved.example', presales_address = '1 Secret Lane, Singapore' \
         WHERE id = (SELECT company_id FROM products WHERE id = {product})"
    ));
}

async fn listed_product(app: &TestApp) -> i64 {
    let (product, id) = submitted_product(app).await;
    set_presales(app, product);
    let ops = app.operator().await;
    let page = decide(app, &ops, id, "approve", "", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    product
}

#[tokio::test]
async fn an_approved_release_is_in_the_catalog_and_its_page_shows_what_buyers_need() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let anonymous = client();

    let home = app.get_with(&anonymous, "/").await;
    assert_eq!(home.status, 200);
    home.assert_has("Cloud Backup Suite");
    home.assert_has(&format!("href=\"/products/{product}\""));
    home.assert_has("Backups of every cloud disk, kept for 30 days.");
    home.assert_has("Approved Co");

    let page = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(page.status, 200);
    for text in [
        "Cloud Backup Suite",
        "V1.0",
        "Backups of every cloud disk, kept for 30 days.",
        "<strong>backups</strong>",
        "Incremental",
        "Specifications and prices",
        "Standard",
        "Services and Support",
        "Weekday desk",
        "+65 6123 4567",
        "desk@acme.example",
        "+65 6000 1111",
        "sales@approved.example",
        "https://backup.example.com",
    ] {
        page.assert_has(text);
    }
    assert!(
        !page.has("<script>alert(1)"),
        "the introduction is sanitised"
    );
    assert!(!page.has("1 Secret Lane"), "the address is never public");

    // The simulator prices on the public page with the same rules as the editor.
    let sku = page
        .body
        .split("name=\"sku\"")
        .nth(1)
        .and_then(|s| s.split("value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let priced = app
        .get_with(
            &anonymous,
            &format!(
                "/products/{product}?spec=0&sku={}&quantity=2&period=month&count=1",
                seller_console::web::url_encode(&crate::helpers::decode_entities(&sku))
            ),
        )
        .await;
    assert_eq!(priced.status, 200);
    priced.assert_has("Price: <strong>CNY ");
    let bad = app
        .get_with(
            &anonymous,
            &format!("/products/{product}?spec=0&quantity=abc&period=month&count=1"),
        )
        .await;
    assert_eq!(bad.status, 200);
    bad.assert_has("Enter the quantity as a whole number.");

    let logo = anonymous
        .get(app.url(&format!("/products/{product}/logo")))
        .send()
        .await
        .unwrap();
    assert_eq!(logo.status(), 200);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.headers()["x-content-type-options"], "nosniff");
    let bytes = logo.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
}

#[tokio::test]
async fn a_product_that_is_not_approved_is_not_found_by_the_public() {
    let app = spawn_app().await;
    let (product, id) = submitted_product(&app).await;
    let anonymous = client();
    let status = |path: String| {
        let anonymous = anonymous.clone();
        let app = &app;
        async move { app.get_with(&anonymous, &path).await.status }
    };
    // In review.
    assert_eq!(status(format!("/products/{product}")).await, 404);
    assert_eq!(status(format!("/products/{product}/logo")).await, 404);
    assert!(!app
        .get_with(&anonymous, "/")
        .await
        .has("Cloud Backup Suite"));
    // Rejected.
    let ops = app.operator().await;
    let page = decide(&app, &ops, id, "reject", "Blurry logo.", &["logo"]).await;
    assert_eq!(page.status, 303);
    assert_eq!(status(format!("/products/{product}")).await, 404);
    assert_eq!(status(format!("/products/{product}/logo")).await, 404);
    // A draft, not even submitted; nonsense ids.
    let draft = crate::products::start(&app, "image").await;
    assert_eq!(status(format!("/products/{draft}")).await, 404);
    for path in [
        "/products/abc",
        "/products/99999999",
        "/products/99999999999999999999999",
        "/products/-1/logo",
    ] {
        assert_eq!(status(path.to_string()).await, 404, "{path}");
    }
    // The owner still sees it only in the console's preview.
    assert_eq!(
        app.get(&format!("/console/products/{product}/preview"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_hidden_product_is_out_of_the_catalog_but_reachable_by_its_address() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    app.execute(&format!(
        "UPDATE products SET status = 'hidden' WHERE id = {product}"
    ));
    let anonymous = client();
    let home = app.get_with(&anonymous, "/?q=backup").await;
    assert!(!home.has("Cloud Backup Suite"), "{}", home.body);
    home.assert_has("No listed product matches your search.");
    let page = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(page.status, 200);
    page.assert_has("Cloud Backup Suite");
    page.assert_has("taken this product out of the catalog");
}

#[tokio::test]
async fn the_catalog_searches_by_name_filters_by_method_and_pages() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let anonymous = client();
    for (query, found) in [
        ("/?q=backup", true),
        ("/?q=BACKUP+suite", true),
        ("/?q=nothing+like+it", false),
        ("/?q=%25", false),
        ("/?q=_", false),
        ("/?method=saas", true),
        ("/?method=image", false),
        ("/?method=nonsense", true),
        ("/?page=abc", true),
        ("/?page=-3", true),
        ("/?page=2", false),
        ("/?page=99999999999", false),
    ] {
        let page = app.get_with(&anonymous, query).await;
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(
            page.has(&format!("href=\"/products/{product}\"")),
            found,
            "{query}"
        );
    }
    let long = "x".repeat(5000);
    let page = app.get_with(&anonymous, &format!("/?q={long}")).await;
    assert_eq!(page.status, 200);

    // 30 more listed products make a second page of 24 a page.
    let company = app.count(&format!(
        "SELECT company_id AS n FROM products WHERE id = {product}"
    ));
    for i in 0..30 {
        app.execute(&format!(
            "INSERT INTO products (company_id, name, delivery_method, status, form, created_at, \
             updated_at) VALUES ({company}, 'Bulk product {i:02}', 'image', 'listed', '{{}}', \
             '2020-01-01 00:00:00', '2020-01-01 00:00:{i:02}')"
        ));
    }
    let first = app.get_with(&anonymous, "/").await;
    first.assert_has("(31 products)");
    first.assert_has("Page 1 of 2");
    first.assert_has("Bulk product 29");
    assert!(!first.has("Bulk product 00"));
    let second = app.get_with(&anonymous, "/?q=&method=&page=2").await;
    second.assert_has("Page 2 of 2");
    second.assert_has("Bulk product 00");
    assert!(!second.has("Bulk product 29"));
}
