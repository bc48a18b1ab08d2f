//! Review: the operators' queue and decisions, the seller's My Applications and messages, and
//! what a decision changes.

use reqwest::Client;

use crate::helpers::{spawn_app, TestApp};
use crate::products::{approved_seller, refs, saas_form, start};

/// A seller's SaaS product submitted for release; returns (product id, application id).
pub(crate) async fn submitted_product(app: &TestApp) -> (i64, i64) {
    let group = approved_seller(app).await;
    let id = start(app, "saas").await;
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
    let app_id = app.count(&format!(
        "SELECT id AS n FROM applications WHERE product_id = {id} AND status = 'pending'"
    ));
    (id, app_id)
}

pub(crate) fn email_of(app: &TestApp, user: i64) -> String {
    use diesel::{QueryDsl, RunQueryDsl};
    use seller_console::db::schema::users;
    let mut conn = app.pool.get().unwrap();
    users::table
        .find(user)
        .select(users::email)
        .first(&mut conn)
        .unwrap()
}

pub(crate) async fn decide(
    app: &TestApp,
    ops: &Client,
    id: i64,
    outcome: &str,
    reason: &str,
    fields: &[&str],
) -> crate::helpers::Page {
    let mut form = vec![("outcome", outcome), ("reason", reason)];
    for f in fields {
        form.push(("fields", f));
    }
    app.post_with(ops, &format!("/ops/applications/{id}/decision"), &form)
        .await
}

#[tokio::test]
async fn an_approved_release_is_listed_and_the_seller_is_told_by_message_and_mail() {
    let app = spawn_app().await;
    let (product, id) = submitted_product(&app).await;
    let seller_email: String = {
        let company = app.count(&format!(
            "SELECT company_id AS n FROM products WHERE id = {product}"
        ));
        let user = app.count(&format!(
            "SELECT MIN(id) AS n FROM users WHERE company_id = {company}"
        ));
        email_of(&app, user)
    };
    let ops = app.operator().await;

    // The queue lists it; the detail page shows everything submitted.
    let queue = app.get_with(&ops, "/ops/applications").await;
    assert_eq!(queue.status, 200);
    queue.assert_has(&format!("#{id}"));
    queue.assert_has("Cloud Backup Suite");
    let detail = app.get_with(&ops, &format!("/ops/applications/{id}")).await;
    detail.assert_has("Submitted product");
    detail.assert_has("CNY 20.50 per user per month");
    detail.assert_has("CNY 200.00 per user per year");
    detail.assert_has("Weekday desk");
    detail.assert_has("logo.png");
    detail.assert_has("Claim for review");
    // The reviewer can open the uploaded files.
    let upload = app.count(&format!(
        "SELECT id AS n FROM uploads WHERE product_id = {product}"
    ));
    let file = ops
        .get(app.url(&format!("/ops/applications/{id}/uploads/{upload}")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");

    // Claim: In review, with the reviewer's name on both sides.
    let page = app
        .post_with(&ops, &format!("/ops/applications/{id}/claim"), &[])
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(&format!("/console/applications/{id}")).await;
    page.assert_has("In review");
    page.assert_has("Claimed for review");

    let page = decide(&app, &ops, id, "approve", "", &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = app.get_with(&ops, "/ops/applications").await;
    page.assert_has(&format!("Application #{id} approved"));

    // The seller: Approved in My Applications, the product listed, an unread message.
    let list = app.get("/console/applications").await;
    list.assert_has("Approved");
    list.assert_has("Cloud Backup Suite");
    list.assert_has("aria-label=\"1 unread\"");
    let products = app.get("/console/products").await;
    products.assert_has("Listed");
    let messages = app.get("/console/messages").await;
    messages.assert_has(&format!(
        "Product release #{id} approved: Cloud Backup Suite"
    ));
    messages.assert_has("Unread");

    // The email is in the outbox, to the seller, written with the decision.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE application_id = {id} AND recipient = '{seller_email}' AND status = 'queued'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE subject LIKE 'Application #{id} approved:%'"
        )),
        1
    );

    // Reading the message clears the count in the header.
    let message = app.count("SELECT MAX(id) AS n FROM messages");
    let page = app
        .post(
            &format!("/console/messages/{message}/read"),
            &[("next", "link")],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location.as_deref(),
        Some(format!("/console/applications/{id}").as_str())
    );
    let page = app.get("/console/messages").await;
    assert!(!page.has("aria-label=\"1 unread\""));

    // The timeline has every step: submitted, claimed, approved.
    let page = app.get(&format!("/console/applications/{id}")).await;
    page.assert_has("Submitted");
    page.assert_has("Claimed for review");
    page.assert_has("Operations");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM application_events WHERE application_id = {id}"
        )),
        3
    );
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_fix_and_resubmit_opens_the_editor_at_the_fields() {
    let app = spawn_app().await;
    let (product, id) = submitted_product(&app).await;
    let ops = app.operator().await;

    // No reason: refused next to the field, the choices kept.
    let page = decide(&app, &ops, id, "reject", "  ", &["overview"]).await;
    assert_eq!(page.status, 422);
    page.assert_has("Give the reason for the rejection");
    assert!(page.body.contains(r#"value="overview" checked"#));
    let page = decide(&app, &ops, id, "", "", &[]).await;
    assert_eq!(page.status, 422);
    page.assert_has("Choose approve or reject.");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE id = {id} AND status = 'pending'"
        )),
        1
    );

    let page = decide(
        &app,
        &ops,
        id,
        "reject",
        "The overview <b>must</b> say what is backed up.",
        &["overview", "name", "bogus"],
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);

    let page = app.get(&format!("/console/applications/{id}")).await;
    page.assert_has("Rejected");
    page.assert_has("The overview <b>must</b> say what is backed up.");
    assert!(!page.body.contains("<b>must</b>"), "the reason is escaped");
    page.assert_has("Fields to fix");
    page.assert_has("Product name");
    page.assert_has(&format!("/console/products/{product}/edit#name"));
    page.assert_has("Delete");
    assert!(!page.has("Withdraw"));

    // The editor: unlocked, the reason on top, the named fields marked.
    let page = app.get(&format!("/console/products/{product}/edit")).await;
    page.assert_has("Rejected in review");
    page.assert_has("The reviewer asked for a change here.");
    assert!(page.body.contains(r#"id="overview-error""#));
    assert!(page.body.contains(r#"id="name-error""#));
    assert!(!page.has("locked against edits"));

    // Fix and resubmit: a new application, pending again.
    let mut form = saas_form(
        &app.count("SELECT MAX(id) AS n FROM service_groups")
            .to_string(),
    );
    form.retain(|(k, _)| *k != "overview");
    form.push((
        "overview",
        "Daily backups of every cloud disk, kept 30 days.".into(),
    ));
    form.push(("op", "submit".into()));
    let page = app
        .post(&format!("/console/products/{product}"), &refs(&form))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE product_id = {product} AND status = 'pending'"
        )),
        1
    );
    let mail = app.count(&format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE application_id = {id} AND body_text LIKE '%Fields to fix: Product name, Overview%'"
    ));
    assert_eq!(mail, 1);
}

#[tokio::test]
async fn approved_registration_and_contact_change_come_into_force() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let page = app
        .post(
            "/console/seller/registration",
            &crate::registration::valid(),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let reg = app.count("SELECT MAX(id) AS n FROM applications");
    let ops = app.operator().await;
    let detail = app
        .get_with(&ops, &format!("/ops/applications/{reg}"))
        .await;
    detail.assert_has("Submitted values");
    detail.assert_has("UEN-201912345");
    assert_eq!(
        decide(&app, &ops, reg, "approve", "Documents certified.", &[])
            .await
            .status,
        303
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM companies WHERE registration_status = 'approved' AND legal_name = 'Acme Cloud Ltd' AND id = (SELECT company_id FROM users WHERE email = '{email}')"
        )),
        1
    );
    let page = app.get("/console").await;
    page.assert_has("Acme Cloud Ltd");

    let page = app
        .post(
            "/console/seller/support/contact",
            &[
                ("contact_name", "Wei Zhang"),
                ("contact_phone", "+65 6999 0000"),
                ("contact_email", "wei@acme.example"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    let change = app.count("SELECT MAX(id) AS n FROM applications");
    assert_eq!(
        decide(&app, &ops, change, "approve", "", &[]).await.status,
        303
    );
    let page = app.get("/console/seller/support").await;
    page.assert_has("Wei Zhang");
    page.assert_has("+65 6999 0000");
    assert!(!page.has("Pending change"));
    // A company name change: refused when blank, reviewed, then in force.
    let page = app
        .post("/console/seller/registration/name", &[("legal_name", " ")])
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Enter the new legal name");
    let page = app
        .post(
            "/console/seller/registration/name",
            &[("legal_name", "Acme Cloud Holdings Ltd")],
        )
        .await;
    assert_eq!(page.status, 303);
    let page = app.get("/console/seller/registration").await;
    page.assert_has("Pending change");
    page.assert_has("Acme Cloud Holdings Ltd");
    let page = app
        .post(
            "/console/seller/registration/name",
            &[("legal_name", "Another Name Ltd")],
        )
        .await;
    assert_eq!(page.status, 303);
    app.get("/console/seller/registration")
        .await
        .assert_has("already under review");
    let change = app.count("SELECT MAX(id) AS n FROM applications");
    let page = app
        .get("/console/applications?kind=company_name_change")
        .await;
    page.assert_has("Company name change");
    assert_eq!(
        decide(&app, &ops, change, "approve", "", &[]).await.status,
        303
    );
    let page = app.get("/console").await;
    page.assert_has("Acme Cloud Holdings Ltd");
}

#[tokio::test]
async fn a_pending_release_can_be_withdrawn_and_a_rejected_one_deleted() {
    let app = spawn_app().await;
    let (product, id) = submitted_product(&app).await;
    let page = app
        .get(&format!("/console/applications/{id}/withdraw"))
        .await;
    page.assert_has(&format!("Withdraw application #{id}?"));
    let page = app
        .post(&format!("/console/applications/{id}/withdraw"), &[])
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(&format!("/console/applications/{id}")).await;
    page.assert_has("Withdrawn");
    page.assert_has("Withdrawn by the seller");
    // The product is a draft again and can be edited.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM products WHERE id = {product} AND lifecycle = 'draft'"
        )),
        1
    );
    // Withdrawing twice: a clear 409.
    let page = app
        .post(&format!("/console/applications/{id}/withdraw"), &[])
        .await;
    assert_eq!(page.status, 409);
    page.assert_has("can no longer be withdrawn");
    // An operator cannot decide it any more.
    let ops = app.operator().await;
    let page = decide(&app, &ops, id, "approve", "", &[]).await;
    assert_eq!(page.status, 409);
    page.assert_has("already withdrawn by the seller");

    // Delete: gone from the seller's list, kept for operations.
    let page = app.get(&format!("/console/applications/{id}/delete")).await;
    page.assert_has("Delete application");
    let page = app
        .post(&format!("/console/applications/{id}/delete"), &[])
        .await;
    assert_eq!(page.status, 303);
    let page = app.get("/console/applications").await;
    assert!(!page.has(&format!("/console/applications/{id}\"")));
    assert_eq!(
        app.get(&format!("/console/applications/{id}")).await.status,
        404
    );
    assert_eq!(
        app.get_with(&ops, &format!("/ops/applications/{id}"))
            .await
            .status,
        200
    );

    // An approved application cannot be deleted.
    let mut form = saas_form(
        &app.count("SELECT MAX(id) AS n FROM service_groups")
            .to_string(),
    );
    form.push(("op", "submit".into()));
    app.post(&format!("/console/products/{product}"), &refs(&form))
        .await;
    let again = app.count(&format!(
        "SELECT id AS n FROM applications WHERE product_id = {product} AND status = 'pending'"
    ));
    assert_eq!(
        decide(&app, &ops, again, "approve", "", &[]).await.status,
        303
    );
    let page = app
        .post(&format!("/console/applications/{again}/delete"), &[])
        .await;
    assert_eq!(page.status, 409);
}

#[tokio::test]
async fn two_operators_deciding_at_once_record_exactly_one_decision() {
    let app = spawn_app().await;
    let (_, id) = submitted_product(&app).await;
    let a = app.operator().await;
    let b = app.operator().await;
    let token_a = app.token_with(&a).await;
    let token_b = app.token_with(&b).await;
    let path = format!("/ops/applications/{id}/decision");
    let form_a = [
        ("csrf_token", token_a.as_str()),
        ("outcome", "approve"),
        ("reason", ""),
    ];
    let form_b = [
        ("csrf_token", token_b.as_str()),
        ("outcome", "reject"),
        ("reason", "Not ready."),
    ];
    let (ra, rb) = tokio::join!(
        app.post_raw_with(&a, &path, &form_a),
        app.post_raw_with(&b, &path, &form_b),
    );
    let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409], "{} / {}", ra.body, rb.body);
    let loser = if ra.status == 409 { &ra } else { &rb };
    loser.assert_has("Your decision was not recorded.");
    loser.assert_has("@ops.example");
    let decided = app.count(&format!(
        "SELECT COUNT(*) AS n FROM application_events WHERE application_id = {id} AND status IN ('approved', 'rejected')"
    ));
    assert_eq!(decided, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE application_id = {id}"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM messages WHERE application_id = {id}"
        )),
        1
    );
}

#[tokio::test]
async fn concurrent_decisions_on_many_applications_each_record_one() {
    // Many races at once, on the backend the suite runs on: every application ends with
    // exactly one decision, one message and one email.
    let app = spawn_app().await;
    let group = approved_seller(&app).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let product = start(&app, "saas").await;
        app.upload_with(
            &app.client,
            product,
            "logo",
            "logo.png",
            crate::uploads::png(120, 120),
        )
        .await;
        let mut form = saas_form(&group);
        form.retain(|(k, _)| *k != "name");
        form.push(("name", format!("Product {i}")));
        form.push(("op", "submit".into()));
        let page = app
            .post(&format!("/console/products/{product}"), &refs(&form))
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        ids.push(app.count(&format!(
            "SELECT id AS n FROM applications WHERE product_id = {product}"
        )));
    }
    let a = app.operator().await;
    let b = app.operator().await;
    let token_a = app.token_with(&a).await;
    let token_b = app.token_with(&b).await;
    let mut posts = Vec::new();
    for id in &ids {
        let path = format!("/ops/applications/{id}/decision");
        for (client, token, outcome) in [(&a, &token_a, "approve"), (&b, &token_b, "reject")] {
            let url = app.url(&path);
            let client = client.clone();
            let token = token.clone();
            posts.push(tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[
                        ("csrf_token", token.as_str()),
                        ("outcome", outcome),
                        ("reason", "Race"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
    }
    let mut ok = 0;
    let mut conflict = 0;
    for p in posts {
        match p.await.unwrap() {
            303 => ok += 1,
            409 => conflict += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((ok, conflict), (6, 6));
    for id in ids {
        for table in ["outbox", "messages"] {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE application_id = {id}"
                )),
                1,
                "{table} of #{id}"
            );
        }
    }
}

#[tokio::test]
async fn the_queue_shows_overdue_applications_first() {
    let app = spawn_app().await;
    let (_, first) = submitted_product(&app).await;
    let (other, _) = app.other_seller().await;
    let page = app
        .post_with(
            &other,
            "/console/seller/registration",
            &crate::registration::valid(),
        )
        .await;
    assert_eq!(page.status, 303);
    let second = app.count("SELECT MAX(id) AS n FROM applications");
    app.execute(&format!(
        "UPDATE applications SET due_date = '2020-01-06' WHERE id = {second}"
    ));
    let ops = app.operator().await;
    let page = app.get_with(&ops, "/ops/applications").await;
    let a = page.body.find(&format!("#{second}<")).expect("overdue row");
    let b = page.body.find(&format!("#{first}<")).expect("other row");
    assert!(a < b, "overdue first");
    page.assert_has("Overdue");
    // Filters: by type.
    let page = app
        .get_with(&ops, "/ops/applications?kind=registration")
        .await;
    assert!(page.has(&format!("#{second}<")));
    assert!(!page.has(&format!("#{first}<")));
    // Decided applications leave the queue but stay findable by status.
    assert_eq!(
        decide(&app, &ops, first, "approve", "", &[]).await.status,
        303
    );
    let page = app.get_with(&ops, "/ops/applications").await;
    assert!(!page.has(&format!("#{first}<")));
    let page = app
        .get_with(&ops, "/ops/applications?status=approved")
        .await;
    assert!(page.has(&format!("#{first}<")));
    // Bad parameters fall back to the defaults.
    let page = app
        .get_with(&ops, "/ops/applications?status=nope&kind=%3Cx%3E&page=-3")
        .await;
    assert_eq!(page.status, 200);
}

#[tokio::test]
async fn nobody_reaches_what_is_not_theirs() {
    let app = spawn_app().await;
    let (_, id) = submitted_product(&app).await;
    let ops = app.operator().await;
    assert_eq!(
        decide(&app, &ops, id, "reject", "No.", &[]).await.status,
        303
    );
    let message = app.count("SELECT MAX(id) AS n FROM messages");

    // A seller cannot open the operations pages or decide.
    for path in [
        "/ops/applications".to_string(),
        format!("/ops/applications/{id}"),
    ] {
        assert_eq!(app.get(&path).await.status, 403, "{path}");
    }
    let page = app
        .post(
            &format!("/ops/applications/{id}/decision"),
            &[("outcome", "approve")],
        )
        .await;
    assert_eq!(page.status, 403);

    // Another seller: 404 on this seller's application, its actions and its messages.
    let (other, _) = app.other_seller().await;
    for path in [
        format!("/console/applications/{id}"),
        format!("/console/applications/{id}/withdraw"),
        format!("/console/applications/{id}/delete"),
    ] {
        assert_eq!(app.get_with(&other, &path).await.status, 404, "{path}");
    }
    for path in [
        format!("/console/applications/{id}/delete"),
        format!("/console/applications/{id}/withdraw"),
        format!("/console/messages/{message}/read"),
    ] {
        assert_eq!(
            app.post_with(&other, &path, &[]).await.status,
            404,
            "{path}"
        );
    }
    let page = app.get_with(&other, "/console/messages").await;
    assert!(!page.has("No."));
    let page = app.get_with(&other, "/console/applications").await;
    assert!(!page.has(&format!("#{id}<")));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE id = {id} AND hidden_by_seller = FALSE"
        )),
        1
    );

    // An operator cannot act as a seller.
    for path in ["/console/applications", "/console/messages"] {
        assert_eq!(app.get_with(&ops, path).await.status, 403, "{path}");
    }
    // Without a CSRF token: 403, nothing decided.
    let (_, second) = {
        let (c, _) = app.other_seller().await;
        let page = app
            .post_with(
                &c,
                "/console/seller/registration",
                &crate::registration::valid(),
            )
            .await;
        assert_eq!(page.status, 303);
        (c, app.count("SELECT MAX(id) AS n FROM applications"))
    };
    let page = app
        .post_raw_with(
            &ops,
            &format!("/ops/applications/{second}/decision"),
            &[("outcome", "approve")],
        )
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE id = {second} AND status = 'pending'"
        )),
        1
    );
}

#[tokio::test]
async fn the_editor_of_a_product_in_review_is_read_only_with_the_one_action_that_applies() {
    let app = spawn_app().await;
    let (product, id) = submitted_product(&app).await;
    let page = app.get(&format!("/console/products/{product}/edit")).await;
    assert_eq!(page.status, 200);
    page.assert_has("locked against edits: the form below is read-only");
    page.assert_has(&format!(
        "href=\"/console/applications/{id}\" class=\"button primary\">Open application #{id}"
    ));
    for button in [
        "value=\"save\"",
        "value=\"submit\"",
        "value=\"add_spec\"",
        "value=\"add_attr_0\"",
        "value=\"refresh\"",
        "action=\"/console/products/{product}/uploads\"",
    ] {
        let button = button.replace("{product}", &product.to_string());
        assert!(!page.has(&button), "{button} on a locked editor");
    }
    // Rejected, it is editable again with every button.
    let ops = app.operator().await;
    assert_eq!(
        decide(&app, &ops, id, "reject", "Blurry logo.", &["logo"])
            .await
            .status,
        303
    );
    let page = app.get(&format!("/console/products/{product}/edit")).await;
    assert!(!page.has("read-only"));
    page.assert_has("value=\"submit\"");
    page.assert_has("value=\"add_spec\"");
}

#[tokio::test]
async fn an_application_whose_stored_kind_or_status_is_unknown_reads_as_an_error() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let (_, id) = submitted_product(&app).await;
    for (column, value) in [("kind", "product_rename"), ("status", "lost")] {
        app.with_conn(|c| {
            let bypass = match seller_console::db::backend_of(c) {
                seller_console::db::Backend::Sqlite => {
                    "PRAGMA ignore_check_constraints = ON".to_string()
                }
                seller_console::db::Backend::Postgres => format!(
                    "ALTER TABLE applications DROP CONSTRAINT IF EXISTS applications_{column}_check"
                ),
            };
            diesel::sql_query(bypass).execute(c).unwrap();
            diesel::sql_query(format!(
                "UPDATE applications SET {column} = '{value}' WHERE id = {id}"
            ))
            .execute(c)
            .unwrap();
        });
        let read = app.with_conn(|c| seller_console::models::review::find(c, id));
        let err = read.expect_err("an unknown value is not read as a known one");
        assert!(
            format!("{err:?}").contains(&format!("{value:?}")),
            "{err:?}"
        );
        // Neither side's page shows it as something it is not.
        let ops = app.operator().await;
        let page = app.get_with(&ops, &format!("/ops/applications/{id}")).await;
        assert_eq!(page.status, 500, "{column}");
        let page = app.get(&format!("/console/applications/{id}")).await;
        assert_eq!(page.status, 500, "{column}");
        // Put it back for the next column.
        let original = if column == "kind" {
            "product_release"
        } else {
            "pending"
        };
        app.execute(&format!(
            "UPDATE applications SET {column} = '{original}' WHERE id = {id}"
        ));
    }
}

#[tokio::test]
async fn a_payload_that_is_not_its_kinds_fails_the_decision_and_writes_nothing() {
    let app = spawn_app().await;
    let (product, id) = submitted_product(&app).await;
    app.execute(&format!(
        "UPDATE applications SET payload = '{{\"legal_name\": \"Not a release\"}}' WHERE id = {id}"
    ));
    let ops = app.operator().await;
    let page = decide(&app, &ops, id, "approve", "", &[]).await;
    assert_eq!(page.status, 500);
    // Nothing of the decision was written: still pending, not listed, no mail, no message.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM applications WHERE id = {id} AND status = 'pending'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM products WHERE id = {product} AND lifecycle = 'draft'"
        )),
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM product_releases"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM messages"), 0);
    // Its page says it cannot be read rather than showing something else.
    let page = app.get_with(&ops, &format!("/ops/applications/{id}")).await;
    assert_eq!(page.status, 500);
}
