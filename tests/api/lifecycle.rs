//! The life of a listed product: modifications (the listed release stays until approval),
//! hide and unhide of the product and of one specification, history, removed products, and
//! that none of it reaches another seller.

use crate::helpers::{client, spawn_app, TestApp};
use crate::products::{approved_seller, refs, saas_form, start};
use crate::review::decide;

/// The Cloud Backup Suite form of `saas_form` with these values changed or added.
fn form_with(group: &str, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form = saas_form(group);
    for (key, value) in changes {
        form.retain(|(k, _)| k != key);
        form.push((key, value.to_string()));
    }
    form
}

/// Posts the editor's form with `op`.
async fn post_form(
    app: &TestApp,
    product: i64,
    form: &[(&'static str, String)],
    op: &str,
) -> crate::helpers::Page {
    let mut form = form.to_vec();
    form.push(("op", op.to_string()));
    app.post(&format!("/console/products/{product}"), &refs(&form))
        .await
}

/// A second specification, "Team", one-time priced by edition.
pub(crate) const TEAM_SPEC: [(&str, &str); 5] = [
    ("s1_name", "Team"),
    ("s1_billing", "yearly_monthly"),
    ("s1_a0_name", "edition"),
    ("s1_a0_values", "Basic"),
    ("s1_p0_key", r#"["Basic"]"#),
];

/// A listed Cloud Backup Suite (with `extra` in its form) and the seller's group id.
pub(crate) async fn listed(app: &TestApp, extra: &[(&'static str, &str)]) -> (i64, String) {
    approved_seller(app).await;
    let group = app
        .count("SELECT MAX(id) AS n FROM service_groups")
        .to_string();
    let id = start(app, "saas").await;
    let logo = crate::uploads::png(120, 120);
    app.upload_with(&app.client, id, "logo", "logo.png", logo)
        .await;
    let page = post_form(app, id, &form_with(&group, extra), "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let application = open_application(app, id);
    let ops = app.operator().await;
    let page = decide(app, &ops, application, "approve", "", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    (id, group)
}

fn open_application(app: &TestApp, product: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(MAX(id), 0) AS n FROM applications WHERE product_id = {product} \
         AND status IN ('pending', 'in_review')"
    ))
}

#[tokio::test]
async fn a_modification_leaves_the_listed_release_live_until_it_is_approved() {
    let app = spawn_app().await;
    let (product, group) = listed(&app, &[]).await;
    let anonymous = client();
    let public = format!("/products/{product}");
    let before = app.get_with(&anonymous, &public).await;
    assert_eq!(before.status, 200);
    before.assert_has("Cloud Backup Suite");

    // The seller modifies the price and submits: a product modification application.
    let page = app.get(&format!("/console/products/{product}/edit")).await;
    page.assert_has("Submit modification");
    page.assert_has("working copy of a listed product");
    let modified = form_with(&group, &[("s0_p0_month", "12.50")]);
    let page = post_form(&app, product, &modified, "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let first = open_application(&app, product);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE id = {first} AND kind = 'product_modification'"
        )),
        1
    );
    // In review: the public page is byte for byte the listed release.
    let during = app.get_with(&anonymous, &public).await;
    assert_eq!(during.body, before.body);
    let list = app.get("/console/products").await;
    list.assert_has("Listed · modification in review");
    list.assert_has(r#"In review <span class="count">1</span>"#);
    list.assert_has(r#"Listed <span class="count">1</span>"#);
    // The reviewer and the seller see the diff: the one price changed, old beside new.
    let ops = app.operator().await;
    let review = app
        .get_with(&ops, &format!("/ops/applications/{first}"))
        .await;
    assert_eq!(review.status, 200);
    let seller_view = app.get(&format!("/console/applications/{first}")).await;
    for page in [&review, &seller_view] {
        page.assert_has("Changes against the listed release (release 1)");
        page.assert_has("SKU Basic");
        page.assert_has("CNY 10.00 per user per month");
        page.assert_has("CNY 12.50 per user per month");
        page.assert_has("unchanged fields, specifications and SKUs are folded away");
        // Nothing else is listed as changed: one row in one specification's table.
        assert_eq!(
            page.body.matches("class=\"diff-changed\"").count(),
            1,
            "{}",
            page.body
        );
        assert!(!page.has("SKU Pro"));
    }
    review.assert_has("History of the product");
    // A second one cannot be opened meanwhile: the working copy is locked.
    let again = post_form(&app, product, &modified, "submit").await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE product_id = {product} \
             AND status IN ('pending', 'in_review')"
        )),
        1
    );

    // Rejected: the listed release stays; the editor shows the reasons and is editable.
    let page = decide(&app, &ops, first, "reject", "Explain the new price.", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.get_with(&anonymous, &public).await.body, before.body);
    let editor = app.get(&format!("/console/products/{product}/edit")).await;
    editor.assert_has("Explain the new price.");
    editor.assert_has("The listed release stays on sale unchanged.");
    assert!(!editor.has("locked against edits"));
    app.get("/console/products")
        .await
        .assert_has("Listed · last application rejected");

    // Submitted again and approved: the new release is live at once.
    let page = post_form(&app, product, &modified, "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let second = open_application(&app, product);
    let page = decide(&app, &ops, second, "approve", "", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let after = app.get_with(&anonymous, &public).await;
    assert_ne!(after.body, before.body);
    after.assert_has("12.50");
    assert!(!before.has("12.50"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM product_releases WHERE product_id = {product}"
        )),
        2
    );
    app.get("/console/products")
        .await
        .assert_has(r#"status-listed">Listed<"#);

    // The history has every step, with the applications.
    let history = app
        .get(&format!("/console/products/{product}/history"))
        .await;
    assert_eq!(history.status, 200);
    for text in [
        &format!("Product modification #{second}"),
        &format!("Product modification #{first}"),
        "Product release #",
        "Submitted",
        "Rejected",
        "Approved",
        "(operations)",
    ] {
        history.assert_has(text);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM product_events WHERE product_id = {product}"
        )),
        // release: submitted, approved; modification 1: submitted, rejected; 2: submitted, approved
        6
    );
}

#[tokio::test]
async fn a_modification_that_changes_nothing_or_drops_a_released_specification_is_refused() {
    let app = spawn_app().await;
    let (product, group) = listed(&app, &[]).await;
    let page = post_form(&app, product, &saas_form(&group), "submit").await;
    assert_eq!(page.status, 422, "{}", page.body);
    page.assert_has("This modification changes nothing");
    // What was typed is still there, and nothing was submitted.
    assert_eq!(
        page.input_value("name").as_deref(),
        Some("Cloud Backup Suite")
    );
    assert_eq!(open_application(&app, product), 0);

    // A new logo alone is a change: submitted, and the diff says so.
    let blue = {
        let img = image::RgbaImage::from_pixel(120, 120, image::Rgba([0, 80, 200, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let old_logo = app.count(&format!(
        "SELECT MIN(id) AS n FROM uploads WHERE product_id = {product} AND kind = 'logo'"
    ));
    app.post(
        &format!("/console/products/{product}/uploads/{old_logo}/delete"),
        &[],
    )
    .await;
    let page = app
        .upload_with(&app.client, product, "logo", "blue.png", blue)
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = post_form(&app, product, &saas_form(&group), "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let logo_change = open_application(&app, product);
    let seller_view = app
        .get(&format!("/console/applications/{logo_change}"))
        .await;
    seller_view.assert_has("Logo:</strong> changed");
    app.post(
        &format!("/console/applications/{logo_change}/withdraw"),
        &[],
    )
    .await;
    assert_eq!(open_application(&app, product), 0);

    let renamed = form_with(&group, &[("s0_name", "Renamed")]);
    let page = post_form(&app, product, &renamed, "submit").await;
    assert_eq!(page.status, 422, "{}", page.body);
    page.assert_has("Released specifications cannot be deleted: put back Standard.");
    assert_eq!(open_application(&app, product), 0);
}

#[tokio::test]
async fn a_hidden_product_leaves_search_and_comes_back_when_shown() {
    let app = spawn_app().await;
    let (product, _) = listed(&app, &[]).await;
    let anonymous = client();
    app.get_with(&anonymous, "/?q=backup")
        .await
        .assert_has("Cloud Backup Suite");

    let page = app
        .post(
            &format!("/console/products/{product}/hide"),
            &[("back", "list")],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/console/products"));
    let home = app.get_with(&anonymous, "/?q=backup").await;
    assert!(!home.has("Cloud Backup Suite"), "{}", home.body);
    let public = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(public.status, 200);
    public.assert_has("taken this product out of the catalog");
    let list = app.get("/console/products").await;
    list.assert_has(r#"status-hidden">Hidden<"#);
    list.assert_has(r#"Hidden <span class="count">1</span>"#);
    list.assert_has(&format!("/console/products/{product}/unhide"));
    // The list's forms carry the viewer's own token, not the cached placeholder.
    assert!(!list.has("__csrf_token_of_the_viewer__"));

    let page = app
        .post(&format!("/console/products/{product}/unhide"), &[])
        .await;
    assert_eq!(page.status, 303);
    app.get_with(&anonymous, "/?q=backup")
        .await
        .assert_has("Cloud Backup Suite");
    let history = app
        .get(&format!("/console/products/{product}/history"))
        .await;
    history.assert_has("Product hidden");
    history.assert_has("Product shown again");
}

#[tokio::test]
async fn a_hidden_specification_is_not_offered_and_the_last_shown_one_stays() {
    let app = spawn_app().await;
    let mut extra: Vec<(&'static str, &str)> = TEAM_SPEC.to_vec();
    extra.push(("s1_p0_month", "30"));
    extra.push(("s1_p0_year", "300"));
    let (product, _) = listed(&app, &extra).await;
    let anonymous = client();
    let public = format!("/products/{product}");
    app.get_with(&anonymous, &public).await.assert_has("Team");

    let hide = format!("/console/products/{product}/specs/hide");
    let page = app.post(&hide, &[("spec", "Team")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = app.get_with(&anonymous, &public).await;
    assert!(!page.has("Team"), "{}", page.body);
    page.assert_has("Standard");
    // The last shown specification of a shown product stays shown.
    let page = app.post(&hide, &[("spec", "Standard")]).await;
    assert_eq!(page.status, 409);
    page.assert_has("keeps at least one shown specification");
    app.get_with(&anonymous, &public)
        .await
        .assert_has("Standard");
    // A name the release does not have changes nothing.
    let page = app.post(&hide, &[("spec", "Nonsense")]).await;
    assert_eq!(page.status, 409);
    let page = app.post(&hide, &[("spec", &"x".repeat(5000))]).await;
    assert_eq!(page.status, 409);

    let overview = app.get(&format!("/console/products/{product}")).await;
    overview.assert_has("The last shown specification of a shown product stays shown.");
    let page = app
        .post(
            &format!("/console/products/{product}/specs/unhide"),
            &[("spec", "Team")],
        )
        .await;
    assert_eq!(page.status, 303);
    app.get_with(&anonymous, &public).await.assert_has("Team");
    let history = app
        .get(&format!("/console/products/{product}/history"))
        .await;
    history.assert_has("Specification hidden: Team");
    history.assert_has("Specification shown again: Team");
}

#[tokio::test]
async fn another_seller_cannot_see_modify_hide_or_read_the_history_of_this_product() {
    let app = spawn_app().await;
    let (product, group) = listed(&app, &[]).await;
    let (other, _) = app.other_seller().await;
    for path in [
        format!("/console/products/{product}"),
        format!("/console/products/{product}/history"),
        format!("/console/products/{product}/edit"),
    ] {
        assert_eq!(app.get_with(&other, &path).await.status, 404, "{path}");
    }
    let modified = form_with(&group, &[("s0_p0_month", "1"), ("op", "submit")]);
    for (path, fields) in [
        (format!("/console/products/{product}"), refs(&modified)),
        (format!("/console/products/{product}/hide"), vec![]),
        (format!("/console/products/{product}/unhide"), vec![]),
        (
            format!("/console/products/{product}/specs/hide"),
            vec![("spec", "Standard")],
        ),
    ] {
        assert_eq!(
            app.post_with(&other, &path, &fields).await.status,
            404,
            "{path}"
        );
    }
    assert_eq!(open_application(&app, product), 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM products WHERE id = {product} AND visibility = 'shown'"
        )),
        1
    );
}

#[tokio::test]
async fn a_removed_product_answers_410_and_refuses_every_action() {
    let app = spawn_app().await;
    let (product, group) = listed(&app, &[]).await;
    app.execute(&format!(
        "UPDATE products SET lifecycle = 'removed' WHERE id = {product}"
    ));
    app.with_conn(|c| {
        seller_console::models::product_release::refresh_entry(
            c,
            product,
            seller_console::db::now(),
        )
    })
    .unwrap();
    let anonymous = client();
    let page = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(page.status, 410);
    page.assert_has("no longer available");
    let home = app.get_with(&anonymous, "/?q=backup").await;
    assert!(!home.has("Cloud Backup Suite"));
    // In My Products, read-only; nothing can be done with it.
    let list = app.get("/console/products").await;
    list.assert_has(r#"Removed <span class="count">1</span>"#);
    let overview = app.get(&format!("/console/products/{product}")).await;
    overview.assert_has("read-only");
    assert!(!overview.has(&format!("/console/products/{product}/hide")));
    let modified = form_with(&group, &[("s0_p0_month", "1")]);
    assert_eq!(
        post_form(&app, product, &modified, "save").await.status,
        409
    );
    assert_eq!(
        post_form(&app, product, &modified, "submit").await.status,
        409
    );
    for path in ["hide", "unhide"] {
        let page = app
            .post(&format!("/console/products/{product}/{path}"), &[])
            .await;
        assert_eq!(page.status, 409, "{path}");
    }
    let page = app
        .post(
            &format!("/console/products/{product}/specs/hide"),
            &[("spec", "Standard")],
        )
        .await;
    assert_eq!(page.status, 409);
    assert_eq!(
        app.get(&format!("/console/products/{product}/delete"))
            .await
            .status,
        409
    );
}

/// Posts the removal confirmation page the way a browser does (multipart, with files).
async fn post_removal(
    app: &TestApp,
    product: i64,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> crate::helpers::Page {
    let token = app.token_with(&app.client).await;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "proof",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    crate::helpers::Page::from(
        app.client
            .post(app.url(&format!("/console/products/{product}/remove")))
            .multipart(form)
            .send()
            .await
            .expect("removal"),
    )
    .await
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

#[tokio::test]
async fn a_removal_needs_a_reason_and_the_name_typed_and_takes_effect_only_when_approved() {
    let app = spawn_app().await;
    let (product, _) = listed(&app, &[]).await;
    let page = app
        .get(&format!("/console/products/{product}/remove"))
        .await;
    assert_eq!(page.status, 200);
    page.assert_has("Removal cannot be undone.");
    page.assert_has("The whole product");
    page.assert_has("SKU “Pro” of specification “Standard”");

    // Bad input: every problem next to its field, what was typed kept, nothing written.
    let page = post_removal(
        &app,
        product,
        &[
            ("target", "product"),
            ("reason", "  "),
            ("confirm_name", "cloud backup suite"),
        ],
        vec![("notice.txt", b"just text".to_vec())],
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.body);
    page.assert_has("Say why it is removed");
    page.assert_has("Type the product&#39;s name exactly as listed");
    page.assert_has("notice.txt: Upload a PDF, PNG or JPEG scan.");
    assert_eq!(
        page.input_value("confirm_name").as_deref(),
        Some("cloud backup suite")
    );
    let too_many = vec![
        ("a.pdf", pdf()),
        ("b.pdf", pdf()),
        ("c.pdf", pdf()),
        ("d.pdf", pdf()),
    ];
    let page = post_removal(
        &app,
        product,
        &[
            ("target", "product"),
            ("reason", "End of life"),
            ("confirm_name", "Cloud Backup Suite"),
        ],
        too_many,
    )
    .await;
    assert_eq!(page.status, 422);
    page.assert_has("Attach at most 3 files.");
    assert_eq!(open_application(&app, product), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM application_files"), 0);

    // A good one: pending, everything still on sale.
    let page = post_removal(
        &app,
        product,
        &[
            ("target", "product"),
            ("reason", "End of life: the service closes in March."),
            ("confirm_name", "Cloud Backup Suite"),
        ],
        vec![("end-of-life.pdf", pdf())],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let removal = open_application(&app, product);
    let anonymous = client();
    assert_eq!(
        app.get_with(&anonymous, &format!("/products/{product}"))
            .await
            .status,
        200
    );
    app.get("/console/products")
        .await
        .assert_has("Listed · removal in review");
    // The reviewer sees what, why and the proof, and can open the file.
    let ops = app.operator().await;
    let review = app
        .get_with(&ops, &format!("/ops/applications/{removal}"))
        .await;
    review.assert_has("The whole product");
    review.assert_has("End of life: the service closes in March.");
    review.assert_has("end-of-life.pdf");
    let file = app.count(&format!(
        "SELECT id AS n FROM application_files WHERE application_id = {removal}"
    ));
    let download = app
        .get_with(&ops, &format!("/ops/applications/{removal}/files/{file}"))
        .await;
    assert_eq!(download.status, 200);
    assert!(download.body.starts_with("%PDF"));
    // Another seller cannot open the form or post to it.
    let (other, _) = app.other_seller().await;
    assert_eq!(
        app.get_with(&other, &format!("/console/products/{product}/remove"))
            .await
            .status,
        404
    );

    let page = decide(&app, &ops, removal, "approve", "", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let gone = app
        .get_with(&anonymous, &format!("/products/{product}"))
        .await;
    assert_eq!(gone.status, 410);
    gone.assert_has("no longer available");
    assert!(!app
        .get_with(&anonymous, "/?q=backup")
        .await
        .has("Cloud Backup Suite"));
    assert_eq!(
        app.get(&format!("/console/products/{product}/remove"))
            .await
            .status,
        409
    );
    let history = app
        .get(&format!("/console/products/{product}/history"))
        .await;
    history.assert_has(&format!("Product removal #{removal}"));
}

#[tokio::test]
async fn removing_a_specification_or_an_sku_lists_a_release_without_it() {
    let app = spawn_app().await;
    let mut extra: Vec<(&'static str, &str)> = TEAM_SPEC.to_vec();
    extra.push(("s1_p0_month", "30"));
    extra.push(("s1_p0_year", "300"));
    let (product, group) = listed(&app, &extra).await;
    let ops = app.operator().await;
    let anonymous = client();
    let public = format!("/products/{product}");

    let page = post_removal(
        &app,
        product,
        &[
            ("target", "spec:1"),
            ("reason", "Merged into Standard"),
            ("confirm_name", "Cloud Backup Suite"),
        ],
        vec![],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let removal = open_application(&app, product);
    assert!(app.get_with(&anonymous, &public).await.has("Team"));
    assert_eq!(
        decide(&app, &ops, removal, "approve", "", &[]).await.status,
        303
    );
    let page = app.get_with(&anonymous, &public).await;
    assert_eq!(page.status, 200);
    assert!(!page.has("Team"), "{}", page.body);
    // It left the working copy too.
    let editor = app.get(&format!("/console/products/{product}/edit")).await;
    assert!(!editor.has("value=\"Team\""));

    // An SKU: never offered again, even though the attributes still make it.
    let page = post_removal(
        &app,
        product,
        &[
            ("target", "sku:0:1"),
            ("reason", "Pro is discontinued"),
            ("confirm_name", "Cloud Backup Suite"),
        ],
        vec![],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let removal = open_application(&app, product);
    assert_eq!(
        decide(&app, &ops, removal, "approve", "", &[]).await.status,
        303
    );
    let page = app.get_with(&anonymous, &public).await;
    assert!(page.has("Basic"));
    assert!(!page.has("20.50"), "{}", page.body);
    // The editor shows Pro as removed, and it needs no price any more.
    let editor = app.get(&format!("/console/products/{product}/edit")).await;
    editor.assert_has("Removed through review: no longer sold, no price needed.");
    // A later modification of the price of Basic does not bring Pro back.
    let modified = form_with(
        &group,
        &[
            ("s0_p0_month", "11"),
            ("s0_p1_month", ""),
            ("s0_p1_year", ""),
        ],
    );
    let page = post_form(&app, product, &modified, "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let m = open_application(&app, product);
    let review = app.get_with(&ops, &format!("/ops/applications/{m}")).await;
    assert!(!review.has("SKU Pro"), "{}", review.body);
    assert_eq!(decide(&app, &ops, m, "approve", "", &[]).await.status, 303);
    let page = app.get_with(&anonymous, &public).await;
    assert!(page.has("11.00"));
    assert!(!page.has("20.50"));
    // Releases: 1 listed, 2 without Team, 3 without Pro, 4 the new price.
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(MAX(number) AS BIGINT) AS n FROM product_releases WHERE product_id = {product}"
        )),
        4
    );
}

#[tokio::test]
async fn limits_regions_and_a_trial_are_checked_listed_shown_and_diffed() {
    let app = spawn_app().await;
    approved_seller(&app).await;
    let group = app
        .count("SELECT MAX(id) AS n FROM service_groups")
        .to_string();
    let id = start(&app, "saas").await;
    app.upload_with(
        &app.client,
        id,
        "logo",
        "logo.png",
        crate::uploads::png(120, 120),
    )
    .await;
    let submit = |changes: Vec<(&'static str, &'static str)>| {
        let mut form = saas_form(&group);
        for (key, _) in &changes {
            form.retain(|(k, _)| k != key);
        }
        form.extend(changes.into_iter().map(|(k, v)| (k, v.to_string())));
        form
    };
    // Bad input in every new field: 422, the message next to the field, nothing submitted.
    type Changes = Vec<(&'static str, &'static str)>;
    let cases: Vec<(Changes, &str, &str)> = vec![
        (
            vec![("s0_limit", "max"), ("s0_limit_max", "0")],
            "s0_limit_max",
            "Enter the maximum quantity per buyer",
        ),
        (
            vec![("s0_limit", "twice")],
            "s0_limit",
            "Choose one of the limits offered.",
        ),
        (
            vec![
                ("s0_billing", "pay_per_use"),
                ("s0_p0_hour", "1"),
                ("s0_p1_hour", "2"),
                ("s0_limit", "once"),
            ],
            "s0_limit",
            "Pay-per-use specifications cannot have a purchase limit.",
        ),
        (
            vec![
                ("s0_billing", "pay_per_use"),
                ("s0_p0_hour", "1"),
                ("s0_p1_hour", "2"),
                ("purchase_limit", "once"),
            ],
            "purchase_limit",
            "A purchase limit cannot apply to pay-per-use specifications",
        ),
        (
            vec![("s0_regions_set", "1")],
            "s0_regions",
            "Choose at least one sales region.",
        ),
        (
            vec![("s0_regions_set", "1"), ("s0_regions", "mars")],
            "s0_regions",
            "Choose regions from the list.",
        ),
        (
            vec![("s1_name", "Free trial"), ("s1_trial_days", "40")],
            "s1_trial_days",
            "A trial lasts 1 to 31 days.",
        ),
    ];
    for (changes, field, message) in cases {
        let page = post_form(&app, id, &submit(changes), "submit").await;
        assert_eq!(page.status, 422, "{field}: {}", page.body);
        page.assert_has(&format!(r#"id="{field}-error""#));
        page.assert_has(message);
    }
    assert_eq!(open_application(&app, id), 0);

    // A good one: Standard sold in two regions, at most 5 per buyer; a 14-day trial.
    let mut good = submit(vec![
        ("s0_limit", "max"),
        ("s0_limit_max", "5"),
        ("s0_regions_set", "1"),
        ("s1_name", "Free trial"),
        ("s1_trial_days", "14"),
    ]);
    good.push(("s0_regions", "cn".into()));
    good.push(("s0_regions", "sg".into()));
    let page = post_form(&app, id, &good, "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let ops = app.operator().await;
    let release = open_application(&app, id);
    assert_eq!(
        decide(&app, &ops, release, "approve", "", &[]).await.status,
        303
    );
    let public = app.get_with(&client(), &format!("/products/{id}")).await;
    public.assert_has("Sold in: Chinese mainland, Singapore · Purchase limit: At most 5 per buyer");
    public.assert_has("Free trial for 14 days");
    public.assert_has("Sold in: All regions");

    // Changing the limit is a modification, and the diff says so.
    let mut modified = good.clone();
    modified.retain(|(k, _)| *k != "s0_limit_max");
    modified.push(("s0_limit_max", "10".into()));
    let page = post_form(&app, id, &modified, "submit").await;
    assert_eq!(page.status, 303, "{}", page.body);
    let m = open_application(&app, id);
    let review = app.get_with(&ops, &format!("/ops/applications/{m}")).await;
    review.assert_has("Purchase limit");
    review.assert_has("At most 5 per buyer");
    review.assert_has("At most 10 per buyer");
    assert!(!review.has("Sales regions</th>"), "regions did not change");
}

#[tokio::test]
async fn visibility_changes_of_one_product_are_bounded_per_day() {
    let app = spawn_app().await;
    let (product, _) = listed(&app, &[]).await;
    // 100 changes already today (as a script hammering the buttons would leave them).
    app.execute(&format!(
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100) \
         INSERT INTO product_events (product_id, kind, created_at) \
         SELECT {product}, CASE WHEN n % 2 = 0 THEN 'hidden' ELSE 'unhidden' END, CURRENT_TIMESTAMP FROM c"
    ));
    let page = app
        .post(&format!("/console/products/{product}/hide"), &[])
        .await;
    assert_eq!(page.status, 409);
    page.assert_has("try again later");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM products WHERE id = {product} AND visibility = 'shown'"
        )),
        1
    );
}

#[tokio::test]
async fn drafts_hold_what_the_seller_can_work_on_not_what_is_in_review() {
    let app = spawn_app().await;
    let (product, application) = crate::review::submitted_product(&app).await;
    let drafts = app.get("/console/drafts").await;
    assert!(!drafts.has("Cloud Backup Suite"), "{}", drafts.body);
    app.get("/console/products")
        .await
        .assert_has("Draft · release in review");
    let ops = app.operator().await;
    let page = decide(&app, &ops, application, "reject", "Add a user guide.", &[]).await;
    assert_eq!(page.status, 303);
    let drafts = app.get("/console/drafts").await;
    drafts.assert_has("Cloud Backup Suite");
    drafts.assert_has("Draft · rejected");
    drafts.assert_has(&format!("/console/products/{product}/delete"));
}
