//! The public catalog: an approved release is listed at / and has its page at /products/{id};
//! anything not approved is not found by the public.

use crate::helpers::{client, spawn_app, TestApp};
use seller_console::domain::product::{ProductForm, Release};
use seller_console::models::{product, product_release};

/// Lists another product of the same seller whose release is `product`'s with another name
/// (and whatever `change` does), released `seconds` after 2020-01-01 00:00: the catalog then
/// orders copies by those times, oldest last.
pub(crate) fn list_copy(
    app: &TestApp,
    product: i64,
    name: &str,
    change: impl FnOnce(&mut Release),
    seconds: i64,
) -> i64 {
    app.with_conn(|c| {
        let listed = product_release::find_public(c, product).unwrap();
        let mut release = listed.release.snapshot.release.clone();
        release.name = name.to_string();
        change(&mut release);
        let form = ProductForm {
            name: name.to_string(),
            ..ProductForm::new_for(release.method)
        };
        let company = listed.company.id;
        let id = product::create_draft(c, company, &form, release.method).unwrap();
        let at = time::macros::datetime!(2020-01-01 00:00) + time::Duration::seconds(seconds);
        product_release::publish(c, id, None, &release, at).unwrap();
        id
    })
}
use crate::review::{decide, submitted_product};

/// A released product's pre-sales contact in force (as an approved pre-sales change leaves it).
pub(crate) fn set_presales(app: &TestApp, product: i64) {
    app.execute(&format!(
        "UPDATE companies SET presales_phone = '+65 6000 1111', \
         presales_email = 'sales@approved.example', presales_address = '1 Secret Lane, Singapore' \
         WHERE id = (SELECT company_id FROM products WHERE id = {product})"
    ));
}

pub(crate) async fn listed_product(app: &TestApp) -> i64 {
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
        "UPDATE products SET visibility = 'hidden' WHERE id = {product}"
    ));
    app.with_conn(|c| product_release::refresh_entry(c, product, seller_console::db::now()))
        .unwrap();
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
    for i in 0..30 {
        list_copy(&app, product, &format!("Bulk product {i:02}"), |_| {}, i);
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

fn ids_in_order(body: &str) -> Vec<i64> {
    body.split("<h3><a href=\"/products/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn search_finds_words_of_the_name_overview_and_introduction_in_english_and_chinese() {
    let app = spawn_app().await;
    let backup = listed_product(&app).await;
    let chinese = list_copy(
        &app,
        backup,
        "云端数据库备份",
        |r| {
            r.overview = "自动备份每一块云硬盘，保留三十天。".into();
            r.introduction = "<p>支持<strong>增量</strong>恢复与加密存储。</p>".into();
            r.category = "database".into();
        },
        1,
    );
    let anonymous = client();
    for (query, expected) in [
        // English: a name word, an overview word, an introduction word (inside markup).
        ("suite", vec![backup]),
        ("disk", vec![backup]),
        ("automatic", vec![backup]),
        ("BACKUPS+automatic", vec![backup]),
        // Part of a word of three letters or more; shorter terms are whole words.
        ("backu", vec![backup]),
        ("of", vec![backup]),
        ("o", vec![]),
        // Chinese: three characters and more anywhere, one and two as words of the text.
        ("数据库", vec![chinese]),
        ("备份", vec![chinese]),
        ("云", vec![chinese]),
        ("增量恢复", vec![chinese]),
        ("加密", vec![chinese]),
        ("数据库 增量", vec![chinese]),
        ("数据库 suite", vec![]),
        // Nothing to search for, or nothing like it.
        ("zyxwvut", vec![]),
        ("%25", vec![]),
        ("%22+OR+1%3D1", vec![]),
        ("NEAR%28a+b%29", vec![]),
    ] {
        let page = app.get_with(&anonymous, &format!("/?q={query}")).await;
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(ids_in_order(&page.body), expected, "{query}");
        if expected.is_empty() {
            page.assert_has("No listed product matches your search.");
        }
    }
    // The card is the listed release's: name, overview, seller.
    let page = app.get_with(&anonymous, "/?q=%E5%A4%87%E4%BB%BD").await;
    page.assert_has("云端数据库备份");
    page.assert_has("自动备份每一块云硬盘，保留三十天。");
    page.assert_has("Approved Co");
    // Filters narrow the search: category and delivery method.
    for (query, expected) in [
        ("/?category=database", vec![chinese]),
        ("/?category=devops", vec![backup]),
        ("/?category=nonsense", vec![backup, chinese]),
        ("/?q=backup&category=devops", vec![backup]),
        ("/?q=%E5%A4%87%E4%BB%BD&method=image", vec![]),
        ("/?q=%E5%A4%87%E4%BB%BD&method=saas", vec![chinese]),
    ] {
        let page = app.get_with(&anonymous, query).await;
        assert_eq!(page.status, 200, "{query}");
        let mut ids = ids_in_order(&page.body);
        ids.sort();
        assert_eq!(ids, expected, "{query}");
    }
}

#[tokio::test]
async fn relevance_puts_name_matches_first_and_newest_puts_the_latest_release_first() {
    let app = spawn_app().await;
    let first = listed_product(&app).await;
    // Older, with the word in its name.
    let named = list_copy(&app, first, "Zephyr Vault", |_| {}, 1);
    // Newer, with the word only in its overview.
    let described = list_copy(
        &app,
        first,
        "Plain Vault",
        |r| r.overview = "Works like a zephyr.".into(),
        2,
    );
    let anonymous = client();
    let relevance = app.get_with(&anonymous, "/?q=zephyr").await;
    assert_eq!(ids_in_order(&relevance.body), vec![named, described]);
    let newest = app.get_with(&anonymous, "/?q=zephyr&sort=newest").await;
    assert_eq!(ids_in_order(&newest.body), vec![described, named]);
    newest.assert_has("<option value=\"newest\" selected>");
    // Without a search: the latest to enter the catalog first.
    let home = app.get_with(&anonymous, "/?sort=newest").await;
    assert_eq!(ids_in_order(&home.body), vec![described, named, first]);
}

#[tokio::test]
async fn the_catalog_and_product_page_show_the_listed_release_not_the_working_copy() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    let anonymous = client();
    let before = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    let logo_before = anonymous
        .get(app.url(&format!("/products/{product}/logo")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(before.status, 200);
    // Everything the seller can edit changes in the working copy and its rows.
    app.execute(&format!(
        "UPDATE products SET name = 'Changed Name', form = '{{}}' WHERE id = {product}"
    ));
    app.execute("UPDATE sku_prices SET amount_minor = 1");
    app.execute("UPDATE specifications SET name = 'Changed spec'");
    app.execute(&format!("DELETE FROM uploads WHERE product_id = {product}"));
    app.execute("UPDATE service_groups SET name = 'Changed desk', phone = '+1 000'");
    let after = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(after.status, 200);
    assert_eq!(after.body, before.body, "the public page is the release's");
    let logo_after = anonymous
        .get(app.url(&format!("/products/{product}/logo")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(logo_after, logo_before);
    let home = app.get_with(&anonymous, "/?q=backup").await;
    home.assert_has("Cloud Backup Suite");
    assert!(!home.has("Changed Name"));
    // The release is numbered and points at the application it came from.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM product_releases r JOIN applications a \
             ON a.id = r.application_id WHERE r.product_id = {product} AND r.number = 1 \
             AND a.status = 'approved'"
        )),
        1
    );
}

#[tokio::test]
async fn a_product_approved_before_releases_existed_gets_its_release_from_the_backfill() {
    let app = spawn_app().await;
    let product = listed_product(&app).await;
    // As the database stood before releases were their own records.
    app.execute("DELETE FROM catalog_entries");
    app.execute("UPDATE products SET listed_release_id = NULL");
    app.execute("DELETE FROM product_release_files");
    app.execute("DELETE FROM product_releases");
    let anonymous = client();
    assert_eq!(
        app.get_with(&anonymous, &format!("/products/{product}"))
            .await
            .status,
        404
    );
    let written = app.with_conn(product_release::backfill).unwrap();
    assert_eq!(written, 1);
    // Running it again finds nothing to do.
    assert_eq!(app.with_conn(product_release::backfill).unwrap(), 0);
    let page = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(page.status, 200);
    page.assert_has("Weekday desk");
    let home = app.get_with(&anonymous, "/?q=backups").await;
    assert_eq!(ids_in_order(&home.body), vec![product]);
}

#[tokio::test]
async fn the_simulator_asks_for_hours_on_a_pay_per_use_specification() {
    use rust_decimal_macros::dec;
    use seller_console::domain::pricing::{Amount, PeriodKind};
    use seller_console::domain::statuses::BillingMode;
    let app = spawn_app().await;
    let monthly = listed_product(&app).await;
    let hourly = list_copy(
        &app,
        monthly,
        "Hourly Backup",
        |r| {
            let spec = &mut r.specs[0];
            spec.billing = BillingMode::PayPerUse;
            for sku in &mut spec.skus {
                sku.prices.amounts = vec![(PeriodKind::Hour, Amount::Flat(dec!(0.50)))];
            }
        },
        1,
    );
    let anonymous = client();
    let page = app
        .get_with(&anonymous, &format!("/products/{hourly}"))
        .await;
    assert_eq!(page.status, 200);
    page.assert_has("<option value=\"hour\"");
    assert!(!page.has("Months (1–11)"), "months on pay-per-use");
    let page = app
        .get_with(&anonymous, &format!("/products/{monthly}"))
        .await;
    page.assert_has("Months (1–11)");
    assert!(!page.has("<option value=\"hour\""));
}

#[tokio::test]
async fn a_repeated_search_shows_every_change_to_the_catalog_at_once() {
    let app = spawn_app().await;
    let first = listed_product(&app).await;
    let anonymous = client();
    let search = "/?q=vault";
    assert!(ids_in_order(&app.get_with(&anonymous, search).await.body).is_empty());
    // Listed after that search was answered (and kept): the same search finds it.
    let vault = list_copy(&app, first, "Cold Vault", |_| {}, 1);
    assert_eq!(
        ids_in_order(&app.get_with(&anonymous, search).await.body),
        vec![vault]
    );
    // Taken out of the catalog by any means (here a statement, as another instance would).
    app.execute(&format!(
        "DELETE FROM catalog_entries WHERE product_id = {vault}"
    ));
    assert!(ids_in_order(&app.get_with(&anonymous, search).await.body).is_empty());
    // A seller's new name is on its cards at once.
    app.get_with(&anonymous, "/?q=backup")
        .await
        .assert_has("Approved Co");
    app.execute(&format!(
        "UPDATE companies SET legal_name = 'Renamed Co' \
         WHERE id = (SELECT company_id FROM products WHERE id = {first})"
    ));
    let page = app.get_with(&anonymous, "/?q=backup").await;
    page.assert_has("Renamed Co");
    assert!(!page.has("Approved Co"));
}
