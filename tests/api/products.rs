use crate::helpers::{spawn_app, TestApp};

/// Starts a draft of `method` for the signed-in seller; returns its id.
pub(crate) async fn start(app: &TestApp, method: &str) -> i64 {
    let page = app
        .post("/console/products/new", &[("delivery_method", method)])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.location.unwrap();
    location
        .trim_start_matches("/console/products/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap()
}

/// An approved seller with a service group that meets the 8 × 5 minimum; returns the group id.
pub(crate) async fn approved_seller(app: &TestApp) -> String {
    let email = app.signed_in_seller().await;
    app.approve_company_of(&email);
    let page = app
        .post(
            "/console/seller/support/groups",
            &[
                ("name", "Weekday desk"),
                ("phone", "+65 6123 4567"),
                ("email", "desk@acme.example"),
                ("service_days", "Mon"),
                ("service_days", "Tue"),
                ("service_days", "Wed"),
                ("service_days", "Thu"),
                ("service_days", "Fri"),
                ("hours_start", "09:00"),
                ("hours_end", "18:00"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    app.count("SELECT MAX(id) AS n FROM service_groups")
        .to_string()
}

pub(crate) fn saas_form(group: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Cloud Backup Suite".into()),
        ("version", "V1.0".into()),
        ("category", "devops".into()),
        ("currency", "CNY".into()),
        (
            "overview",
            "Backups of every cloud disk, kept for 30 days.".into(),
        ),
        (
            "introduction",
            "<p>Automatic <strong>backups</strong> of cloud disks.</p><script>alert(1)</script>"
                .into(),
        ),
        ("highlights", "Incremental\nEncrypted".into()),
        (
            "eula",
            "You may use the service under these terms and conditions.".into(),
        ),
        ("user_guide_url", "https://docs.example.com/backup".into()),
        ("service_group_id", group.to_string()),
        ("saas_url", "https://backup.example.com".into()),
        ("saas_trial", "yes".into()),
        ("s0_name", "Standard".into()),
        ("s0_billing", "yearly_monthly".into()),
        ("s0_a0_name", "edition".into()),
        ("s0_a0_values", "Basic, Pro".into()),
        ("s0_qname", "users".into()),
        ("s0_qunit", "user".into()),
        ("s0_qmin", "1".into()),
        ("s0_qmax", "100".into()),
        ("s0_qstep", "1".into()),
        ("s0_qpricing", "linear".into()),
        ("s0_p0_key", r#"["Basic"]"#.into()),
        ("s0_p0_month", "10".into()),
        ("s0_p0_year", "100".into()),
        ("s0_p1_key", r#"["Pro"]"#.into()),
        ("s0_p1_month", "20.50".into()),
        ("s0_p1_year", "200".into()),
    ]
}

pub(crate) fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn replace(form: &mut Vec<(&'static str, String)>, key: &'static str, value: &str) {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.to_string()));
}

#[tokio::test]
async fn each_delivery_method_opens_an_editor_with_its_own_fields() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    for (method, field) in [
        ("image", "Image reference"),
        ("saas", "Service URL"),
        ("license", "License type"),
        ("professional_services", "Average delivery duration"),
        ("consulting_services", "Your site"),
    ] {
        let id = start(&app, method).await;
        let page = app.get(&format!("/console/products/{id}/edit")).await;
        assert_eq!(page.status, 200, "{method}");
        page.assert_has(field);
        page.assert_has("Save as draft");
        assert_eq!(
            page.has("Specifications and prices"),
            method != "consulting_services",
            "{method}"
        );
    }
    let page = app
        .post("/console/products/new", &[("delivery_method", "rocket")])
        .await;
    assert_eq!(page.status, 400);
}

#[tokio::test]
async fn a_draft_keeps_everything_typed_even_when_invalid() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    let long_name = "N".repeat(61);
    let page = app
        .post(
            &format!("/console/products/{id}"),
            &[
                ("op", "save"),
                ("name", &long_name),
                ("version", "one"),
                ("s0_qmin", "ten"),
                ("s0_p0_key", "[]"),
                ("s0_p0_month", "-5"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("At most 60 characters.");
    page.assert_has("Enter a whole number.");
    page.assert_has("Draft saved at");
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert_eq!(
        page.input_value("name").as_deref(),
        Some(long_name.as_str())
    );
    assert_eq!(page.input_value("version").as_deref(), Some("one"));
    assert_eq!(page.input_value("s0_qmin").as_deref(), Some("ten"));
    let drafts = app.get("/console/drafts").await;
    drafts.assert_has(&long_name);
}

#[tokio::test]
async fn autosave_answers_with_the_time_and_stores_the_draft() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "license").await;
    let page = app
        .post(
            &format!("/console/products/{id}/autosave"),
            &[("name", "Typed just now"), ("license_type", "perpetual")],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.starts_with("Draft saved at "), "{}", page.body);
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert_eq!(page.input_value("name").as_deref(), Some("Typed just now"));
    page.assert_has(r#"<option value="perpetual" selected>"#);
    // Without a token the background save is refused like any other form.
    let page = app
        .post_raw_with(
            &app.client,
            &format!("/console/products/{id}/autosave"),
            &[("name", "forged")],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[tokio::test]
async fn drafts_can_be_resumed_cloned_and_deleted_after_confirmation() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "image").await;
    app.post(
        &format!("/console/products/{id}"),
        &[("op", "save"), ("name", "Hardened Ubuntu")],
    )
    .await;
    let drafts = app.get("/console/drafts").await;
    drafts.assert_has("Hardened Ubuntu");
    drafts.assert_has("Resume");

    let page = app
        .post(&format!("/console/products/{id}/clone"), &[])
        .await;
    assert_eq!(page.status, 303);
    let copy = app.get(page.location.as_deref().unwrap()).await;
    assert_eq!(
        copy.input_value("name").as_deref(),
        Some("Hardened Ubuntu (copy)")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM products WHERE lifecycle = 'draft'"),
        2
    );

    let confirm = app.get(&format!("/console/products/{id}/delete")).await;
    assert_eq!(confirm.status, 200);
    confirm.assert_has("This cannot be undone.");
    let page = app
        .post(&format!("/console/products/{id}/delete"), &[])
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM products"), 1);
    assert_eq!(
        app.get(&format!("/console/products/{id}/edit"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn an_unapproved_seller_is_told_why_and_keeps_the_draft() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    let mut form = saas_form("1");
    form.push(("op", "submit".into()));
    let page = app
        .post(&format!("/console/products/{id}"), &refs(&form))
        .await;
    assert_eq!(page.status, 403);
    page.assert_has("Only sellers whose registration is approved can submit products");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications"), 0);
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert_eq!(
        page.input_value("name").as_deref(),
        Some("Cloud Backup Suite")
    );
}

#[tokio::test]
async fn submitting_shows_every_failed_requirement_next_to_its_field() {
    let app = spawn_app().await;
    approved_seller(&app).await;
    let id = start(&app, "saas").await;
    let form: Vec<(&str, &str)> = vec![
        ("op", "submit"),
        ("name", "FREE Backup V2 call 13800138000"),
        ("version", "1.0"),
        ("s0_name", "Standard"),
        ("s0_billing", "yearly_monthly"),
        ("s0_a0_name", "os"),
        ("s0_a0_values", "Linux"),
        ("s0_qname", "users"),
        ("s0_qunit", "user"),
        ("s0_qmin", "10"),
        ("s0_qmax", "5"),
        ("s0_qstep", "1"),
        ("s0_qpricing", "linear"),
    ];
    let page = app.post(&format!("/console/products/{id}"), &form).await;
    assert_eq!(page.status, 422);
    for (field, text) in [
        ("name", ""),
        ("version", "V1.0"),
        ("category", "Choose a category."),
        ("overview", "short overview"),
        ("user_guide_url", "user guide"),
        ("service_group_id", "after-sales service group"),
        ("saas_url", "service's web address"),
        ("logo", "120×120 PNG"),
        ("s0_a0_name", "reserved attribute name"),
        ("s0_qmax", ""),
    ] {
        assert!(
            page.has(&format!(r#"id="{field}-error""#)),
            "{field} has no message:\n{}",
            page.body
        );
        assert!(page.has(text), "{field}: {text}");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM products WHERE lifecycle = 'draft'"),
        1
    );
}

#[tokio::test]
async fn bad_prices_are_refused_with_their_message() {
    let app = spawn_app().await;
    let group = approved_seller(&app).await;
    let id = start(&app, "saas").await;
    for (value, message) in [
        ("-5", "negative"),
        ("ten", ""),
        ("1.999", "2 decimal places"),
    ] {
        let mut form = saas_form(&group);
        replace(&mut form, "s0_p0_month", value);
        form.push(("op", "submit".into()));
        let page = app
            .post(&format!("/console/products/{id}"), &refs(&form))
            .await;
        assert_eq!(page.status, 422, "{value}");
        assert!(page.has(r#"id="s0_p0_month-error""#), "{value}");
        assert!(page.has(message), "{value}: {message}");
        assert_eq!(
            page.input_value("name").as_deref(),
            Some("Cloud Backup Suite"),
            "typed values kept"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications"), 0);
}

#[tokio::test]
async fn a_valid_submission_becomes_a_release_application_and_locks_the_product() {
    let app = spawn_app().await;
    let group = approved_seller(&app).await;
    let id = start(&app, "saas").await;
    let logo = crate::uploads::png(120, 120);
    assert_eq!(
        app.upload_with(&app.client, id, "logo", "logo.png", logo)
            .await
            .status,
        303
    );
    let mut form = saas_form(&group);
    form.push(("op", "submit".into()));
    let page = app
        .post(&format!("/console/products/{id}"), &refs(&form))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let list = app.get("/console/products").await;
    list.assert_has("Submitted for review as application #");
    list.assert_has("10 or more release requests");
    list.assert_has("Cloud Backup Suite");
    list.assert_has("In review");

    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'product_release' AND status = 'pending'"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM specifications"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM skus"), 2);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM sku_prices WHERE amount_minor = 2050"),
        1
    );

    // Locked: the editor says so and a save is refused without changing anything.
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    page.assert_has("locked against edits");
    let page = app
        .post(
            &format!("/console/products/{id}"),
            &[("op", "save"), ("name", "Changed")],
        )
        .await;
    assert_eq!(page.status, 409);
    let page = app
        .post(
            &format!("/console/products/{id}/autosave"),
            &[("name", "Changed")],
        )
        .await;
    assert_eq!(page.status, 409);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM products WHERE name = 'Cloud Backup Suite'"),
        1
    );

    // The introduction was sanitised for the snapshot.
    let page = app.get(&format!("/console/products/{id}/preview")).await;
    page.assert_has("<strong>backups</strong>");
    assert!(!page.body.contains("<script>alert(1)</script>"));
}

#[tokio::test]
async fn the_preview_shows_the_buyer_page_and_the_simulator_prices_exactly() {
    let app = spawn_app().await;
    let group = approved_seller(&app).await;
    let id = start(&app, "saas").await;
    let mut form = saas_form(&group);
    form.push(("op", "save".into()));
    assert_eq!(
        app.post(&format!("/console/products/{id}"), &refs(&form))
            .await
            .status,
        303
    );
    let page = app.get(&format!("/console/products/{id}/preview")).await;
    assert_eq!(page.status, 200);
    page.assert_has("Cloud Backup Suite");
    page.assert_has("CNY 20.50 per user per month");
    page.assert_has("Weekday desk");
    // Pro, 7 users, 3 months: 20.50 × 7 × 3 = 430.50
    let sku = crate::helpers::decode_entities(r#"["Pro"]"#);
    let url = format!(
        "/console/products/{id}/preview?spec=0&sku={}&quantity=7&period=month&count=3",
        seller_console::web::url_encode(&sku)
    );
    let page = app.get(&url).await;
    page.assert_has("Price: <strong>CNY 430.50</strong>");
    // Off the quantity range: a message, not a price.
    let page = app.get(&url.replace("quantity=7", "quantity=101")).await;
    assert!(!page.has("Price: <strong>"));
    assert!(page.has(r#"<p class="error" role="status">"#));
}

#[tokio::test]
async fn another_seller_can_reach_none_of_these_products() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    app.post(
        &format!("/console/products/{id}"),
        &[("op", "save"), ("name", "Secret Product")],
    )
    .await;
    let (other, _) = app.other_seller().await;
    for path in ["edit", "preview", "delete"] {
        assert_eq!(
            app.get_with(&other, &format!("/console/products/{id}/{path}"))
                .await
                .status,
            404,
            "{path}"
        );
    }
    for (path, fields) in [
        (
            format!("/console/products/{id}"),
            vec![("op", "save"), ("name", "Hijacked")],
        ),
        (format!("/console/products/{id}"), vec![("op", "submit")]),
        (
            format!("/console/products/{id}/autosave"),
            vec![("name", "Hijacked")],
        ),
        (format!("/console/products/{id}/clone"), vec![]),
        (format!("/console/products/{id}/delete"), vec![]),
    ] {
        assert_eq!(
            app.post_with(&other, &path, &fields).await.status,
            404,
            "{path}"
        );
    }
    assert!(!app
        .get_with(&other, "/console/products")
        .await
        .has("Secret Product"));
    assert!(!app
        .get_with(&other, "/console/drafts")
        .await
        .has("Secret Product"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM products WHERE name = 'Secret Product'"),
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM products"), 1);
}

#[tokio::test]
async fn my_products_searches_filters_sorts_and_pages_fifty_at_a_time() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let company = app.count(&format!(
        "SELECT company_id AS n FROM users WHERE email = '{email}'"
    ));
    // 58 drafts, the last 3 in their first review, inserted directly: only the list is under
    // test here.
    for i in 0..58 {
        let method = if i < 55 { "saas" } else { "image" };
        app.execute(&format!(
            "INSERT INTO products (company_id, name, delivery_method, form, created_at, updated_at) \
             VALUES ({company}, 'Product {i:02}', '{method}', '{{}}', '2026-01-01 00:00:{:02}', '2026-01-01 00:00:{:02}')",
            i % 60,
            i % 60
        ));
        if i >= 55 {
            open_application(&app, &email, "product_release");
        }
    }
    let page = app.get("/console/products").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.body.matches("<tr>").count() - 1,
        50,
        "50 rows and a header"
    );
    page.assert_has("Page 1 of 2 (58 products)");
    page.assert_has(r#"All <span class="count">58</span>"#);
    page.assert_has(r#"Drafts <span class="count">58</span>"#);
    page.assert_has(r#"In review <span class="count">3</span>"#);
    page.assert_has("Draft · release in review");
    assert!(
        page.body.find("Product 57").unwrap() < page.body.find("Product 56").unwrap(),
        "newest first"
    );

    let page = app.get("/console/products?page=2").await;
    assert_eq!(page.body.matches("<tr>").count() - 1, 8);

    let page = app.get("/console/products?status=in_review").await;
    page.assert_has("(3 products)");
    let page = app.get("/console/products?method=image&status=").await;
    page.assert_has("(3 products)");
    let page = app.get("/console/products?q=product%2007").await;
    page.assert_has("(1 products)");
    page.assert_has("Product 07");
    let page = app.get("/console/products?q=%25").await;
    page.assert_has("No products match.");
    let page = app.get("/console/products?sort=name_asc").await;
    assert!(page.body.find("Product 00").unwrap() < page.body.find("Product 01").unwrap());
    // Nonsense parameters fall back to defaults rather than failing.
    assert_eq!(
        app.get("/console/products?page=abc&status=zzz&sort=zzz")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn my_products_shows_every_change_at_once_whoever_made_it() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let company = app.count(&format!(
        "SELECT company_id AS n FROM users WHERE email = '{email}'"
    ));
    let id = start(&app, "saas").await;
    let page = app.get("/console/products").await;
    page.assert_has("(untitled)");
    page.assert_has(r#"Drafts <span class="count">1</span>"#);
    // Seen twice: the second view is the cached page.
    assert_eq!(app.get("/console/products").await.body, page.body);

    // Writes that bypass this process (another instance, an operator's decision, a script)
    // show on the next view: the database moves the list's version itself.
    app.execute(&format!(
        "UPDATE products SET name = 'Renamed elsewhere' WHERE id = {id}"
    ));
    app.get("/console/products")
        .await
        .assert_has("Renamed elsewhere");
    // An application is part of the product's state: its open one shows at once too.
    open_application(&app, &email, "product_release");
    let page = app.get("/console/products").await;
    page.assert_has(r#"In review <span class="count">1</span>"#);
    page.assert_has("Draft · release in review");
    app.execute("UPDATE applications SET status = 'rejected'");
    let page = app.get("/console/products").await;
    page.assert_has(r#"In review <span class="count">0</span>"#);
    page.assert_has("Draft · rejected");
    app.execute("UPDATE products SET lifecycle = 'live'");
    let page = app.get("/console/products").await;
    page.assert_has(r#"Drafts <span class="count">0</span>"#);
    page.assert_has(r#"Listed <span class="count">1</span>"#);
    app.execute(&format!(
        "INSERT INTO products (company_id, name, delivery_method, form, created_at, \
         updated_at) VALUES ({company}, 'Inserted elsewhere', 'image', '{{}}', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    ));
    app.get("/console/products")
        .await
        .assert_has("Inserted elsewhere");
    app.execute(&format!("DELETE FROM products WHERE id = {id}"));
    let page = app.get("/console/products").await;
    assert!(!page.has("Renamed elsewhere"), "{}", page.body);
    page.assert_has(r#"All <span class="count">1</span>"#);

    // The cached page is this company's: another seller's list is its own.
    let (other, _) = app.other_seller().await;
    let theirs = app.get_with(&other, "/console/products").await;
    assert!(!theirs.has("Inserted elsewhere"));
    theirs.assert_has(r#"All <span class="count">0</span>"#);
}

#[tokio::test]
async fn values_typed_when_the_session_ended_come_back_after_signing_in() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    app.post(
        &format!("/console/products/{id}"),
        &[("op", "save"), ("name", "Saved earlier")],
    )
    .await;
    let token = app.token_with(&app.client).await;
    // The session expires (a sign-out deletes it, and then nothing is kept: see hardening).
    app.expire_sessions();
    let page = app
        .post_raw_with(
            &app.client,
            &format!("/console/products/{id}"),
            &[
                ("csrf_token", &token),
                ("op", "save"),
                ("name", "Typed before expiry"),
                ("overview", "Not lost"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location.as_deref(),
        Some(format!("/login?next=%2Fconsole%2Fproducts%2F{id}%2Fedit").as_str())
    );
    // Nothing was written without a signed-in seller.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM products WHERE name = 'Saved earlier'"),
        1
    );

    let page = app
        .post(
            "/login",
            &[
                ("email", &email),
                ("password", crate::helpers::PASSWORD),
                ("next", &format!("/console/products/{id}/edit")),
            ],
        )
        .await;
    assert_eq!(page.location, Some(format!("/console/products/{id}/edit")));
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    page.assert_has("You were signed out before your last changes were saved");
    assert_eq!(
        page.input_value("name").as_deref(),
        Some("Typed before expiry")
    );
    page.assert_has("Not lost");
    // Shown once; saving them is the seller's own, token-checked act.
    assert_eq!(
        app.post(
            &format!("/console/products/{id}"),
            &[("op", "save"), ("name", "Typed before expiry")]
        )
        .await
        .status,
        303
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM products WHERE name = 'Typed before expiry'"),
        1
    );
}

#[tokio::test]
async fn another_sellers_stash_is_never_shown_on_this_product() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    // An anonymous visitor (or a forged cross-site post) stashes values for this product id.
    let (stranger, _) = app.other_seller().await;
    app.post_with(&stranger, "/logout", &[]).await;
    app.post_raw_with(
        &stranger,
        &format!("/console/products/{id}"),
        &[("name", "Injected")],
    )
    .await;
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert!(!page.has("Injected"));
    assert!(!page.has("You were signed out"));
}

#[tokio::test]
async fn a_form_post_without_a_session_returns_to_the_page_it_came_from() {
    let app = spawn_app().await;
    let anon = crate::helpers::client();
    let r = anon
        .post(app.url("/console/seller/support/groups"))
        .header("referer", app.url("/console/seller/support"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/login?next=%2Fconsole%2Fseller%2Fsupport"
    );
    let r = anon
        .post(app.url("/console/seller/support/groups"))
        .header("referer", "https://evil.example/console/seller/support")
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/login?next=%2Fconsole");
}

#[tokio::test]
async fn a_rejected_product_shows_the_reasons_and_can_be_edited() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    app.post(
        &format!("/console/products/{id}"),
        &[("op", "save"), ("name", "Needs Work")],
    )
    .await;
    let company = app.count(&format!(
        "SELECT company_id AS n FROM products WHERE id = {id}"
    ));
    let user = app.count(&format!(
        "SELECT id AS n FROM users WHERE company_id = {company}"
    ));
    // A rejection as stored (tests/api/review.rs goes through the review console).
    app.execute(&format!(
        "INSERT INTO applications (company_id, kind, subject, status, payload, product_id, submitted_by, submitted_at, due_date, may_take_longer, latest_comment, updated_at) \
         VALUES ({company}, 'product_release', 'Needs Work', 'rejected', '{{}}', {id}, {user}, '2026-11-20 10:00:00', '2026-11-25', FALSE, 'The overview is too vague.', '2026-11-21 10:00:00')"
    ));
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    page.assert_has("Rejected in review");
    page.assert_has(">application #");
    page.assert_has("The overview is too vague.");
    assert!(!page.has("locked against edits"));
    assert_eq!(
        app.post(
            &format!("/console/products/{id}"),
            &[("op", "save"), ("name", "Fixed")]
        )
        .await
        .status,
        303
    );
}

#[tokio::test]
async fn a_product_whose_stored_status_is_unknown_reads_as_an_error_not_a_default() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = start(&app, "saas").await;
    // Written past the CHECK constraint, as a newer version or a hand edit might leave it.
    app.with_conn(|c| {
        let bypass = match seller_console::db::backend_of(c) {
            seller_console::db::Backend::Sqlite => "PRAGMA ignore_check_constraints = ON",
            seller_console::db::Backend::Postgres => {
                "ALTER TABLE products DROP CONSTRAINT IF EXISTS products_lifecycle_check"
            }
        };
        diesel::sql_query(bypass).execute(c).unwrap();
        diesel::sql_query(format!(
            "UPDATE products SET lifecycle = 'archived' WHERE id = {id}"
        ))
        .execute(c)
        .unwrap();
    });
    let company = app.count(&format!(
        "SELECT company_id AS n FROM products WHERE id = {id}"
    ));
    let read = app.with_conn(|c| seller_console::models::product::find_for_company(c, company, id));
    let err = read.expect_err("an unknown status is not read as any known one");
    assert!(
        format!("{err:?}").contains("unknown Lifecycle stored: \"archived\""),
        "{err:?}"
    );
    // The editor does not open it as a draft (or anything else).
    let page = app.get(&format!("/console/products/{id}/edit")).await;
    assert_eq!(page.status, 500);
    assert!(!page.has("product-form"));
}

/// An open application of `kind` for the newest product of the seller `email`, written directly.
fn open_application(app: &TestApp, email: &str, kind: &str) {
    app.execute(&format!(
        "INSERT INTO applications (company_id, kind, subject, status, payload, product_id, \
         submitted_by, submitted_at, due_date, may_take_longer, updated_at) \
         SELECT u.company_id, '{kind}', 'A product', 'pending', '{{}}', \
         (SELECT MAX(p.id) FROM products p WHERE p.company_id = u.company_id), u.id, \
         '2026-01-01 00:00:00', '2026-01-06', FALSE, '2026-01-01 00:00:00' \
         FROM users u WHERE u.email = '{email}'"
    ));
}
