use crate::helpers::{spawn_app, unique, TestApp};

const PAGE: &str = "/console/seller/support";

fn group(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", name),
        ("phone", "+65 6123 4567"),
        ("email", "desk@acme.example"),
        ("service_days", "Mon"),
        ("service_days", "Tue"),
        ("service_days", "Sat"),
        ("hours_start", "09:00"),
        ("hours_end", "18:00"),
    ]
}

fn group_ids(app: &TestApp) -> Vec<i64> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.pool.get().unwrap();
    diesel::sql_query("SELECT id FROM service_groups ORDER BY id")
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[tokio::test]
async fn a_contact_change_waits_for_review_while_the_old_values_stay_in_force() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app.get(PAGE).await;
    assert_eq!(page.status, 200);
    page.assert_has("None yet.");

    let page = app
        .post(
            "/console/seller/support/contact",
            &[
                ("contact_name", "Mei Tan"),
                ("contact_phone", "+65 6123 4567"),
                ("contact_email", "Mei@Acme.example"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(PAGE).await;
    page.assert_has("submitted for review as application #");
    page.assert_has("In force");
    page.assert_has("Pending change");
    page.assert_has("mei@acme.example");
    page.assert_has("None yet.");
    page.assert_has("decision due by");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM companies WHERE contact_name IS NOT NULL"),
        0
    );

    // A second change while the first is open is refused, naming it.
    let page = app
        .post(
            "/console/seller/support/contact",
            &[
                ("contact_name", "Other One"),
                ("contact_phone", "+65 6123 0000"),
                ("contact_email", "o@acme.example"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(PAGE).await;
    page.assert_has("already under review (application #");
    assert!(!page.has("Other One"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'business_contact_change'"),
        1
    );
}

#[tokio::test]
async fn bad_contact_values_are_refused_next_to_the_field_and_kept() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let long = "x".repeat(101);
    let page = app
        .post(
            "/console/seller/support/contact",
            &[
                ("contact_name", &long),
                ("contact_phone", "call me"),
                ("contact_email", "nope"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("2 to 100 characters");
    page.assert_has("Enter a phone number");
    page.assert_has("Enter a valid email address.");
    page.assert_has(r#"id="contact_phone-error""#);
    assert_eq!(
        page.input_value("contact_phone").as_deref(),
        Some("call me")
    );
    assert_eq!(page.input_value("contact_email").as_deref(), Some("nope"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications"), 0);
}

#[tokio::test]
async fn a_presales_change_is_reviewed_and_bad_values_are_refused() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app
        .post(
            "/console/seller/support/presales",
            &[
                ("presales_phone", "12"),
                ("presales_email", "a@b.example"),
                ("presales_address", ""),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Enter a phone number");
    page.assert_has("contact address (5 to 300 characters)");
    let page = app
        .post(
            "/console/seller/support/presales",
            &[
                ("presales_phone", "+65 6000 1234"),
                ("presales_email", "sales@acme.example"),
                ("presales_address", "1 Fusionopolis Way, Singapore"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(PAGE).await;
    page.assert_has("Pre-sales info change submitted for review");
    page.assert_has("1 Fusionopolis Way, Singapore");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'presales_info_change' AND status = 'pending'"), 1);
}

#[tokio::test]
async fn a_group_can_be_added_edited_and_deleted() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app
        .post("/console/seller/support/groups", &group("Weekday desk"))
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(PAGE).await;
    page.assert_has("Service group \"Weekday desk\" added.");
    page.assert_has("Weekday desk");
    page.assert_has("Mon, Tue, Sat");
    page.assert_has("09:00–18:00");
    page.assert_has("(1 of 6)");

    let id = group_ids(&app)[0];
    let edit = app
        .get(&format!("/console/seller/support/groups/{id}/edit"))
        .await;
    assert_eq!(edit.status, 200);
    assert_eq!(edit.input_value("name").as_deref(), Some("Weekday desk"));
    let mut changed = group("Evening desk");
    changed.retain(|(k, _)| *k != "hours_end");
    changed.push(("hours_end", "23:00"));
    let page = app
        .post(&format!("/console/seller/support/groups/{id}"), &changed)
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(PAGE).await;
    page.assert_has("Evening desk");
    page.assert_has("09:00–23:00");

    let confirm = app
        .get(&format!("/console/seller/support/groups/{id}/delete"))
        .await;
    assert_eq!(confirm.status, 200);
    confirm.assert_has("This cannot be undone.");
    let page = app
        .post(&format!("/console/seller/support/groups/{id}/delete"), &[])
        .await;
    assert_eq!(page.status, 303);
    let page = app.get(PAGE).await;
    page.assert_has("Service group deleted.");
    assert!(!page.has("Evening desk</td>"));
    assert!(group_ids(&app).is_empty());
}

#[tokio::test]
async fn the_seventh_group_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    for i in 1..=6 {
        let name = format!("Desk {i}");
        assert_eq!(
            app.post("/console/seller/support/groups", &group(&name))
                .await
                .status,
            303
        );
    }
    let page = app.get(PAGE).await;
    page.assert_has("(6 of 6)");
    page.assert_has("You have 6 groups, the most a seller can keep.");
    let page = app
        .post("/console/seller/support/groups", &group("Desk 7"))
        .await;
    assert_eq!(page.status, 409);
    page.assert_has("You already have 6 after-sales service groups");
    assert_eq!(
        page.input_value("name").as_deref(),
        Some("Desk 7"),
        "typed values kept"
    );
    assert_eq!(group_ids(&app).len(), 6);
}

#[tokio::test]
async fn bad_group_values_are_refused_next_to_their_fields() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let long = "n".repeat(61);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("name", "", "group name (2 to 60 characters)"),
        ("name", &long, "group name (2 to 60 characters)"),
        ("phone", "phone", "Enter a phone number"),
        ("email", "x@", "Enter a valid email address."),
        ("hours_start", "25:00", "start time as HH:MM"),
        ("hours_end", "08:00", "end time must be after the start"),
        ("service_days", "", "Choose at least one service day."),
    ];
    for (field, value, message) in cases {
        let mut form: Vec<(&str, &str)> = group("Desk")
            .into_iter()
            .filter(|(k, _)| *k != field)
            .collect();
        if !value.is_empty() {
            form.push((field, value));
        }
        let page = app.post("/console/seller/support/groups", &form).await;
        assert_eq!(page.status, 422, "{field}={value}");
        assert!(page.has(message), "{field}: expected {message:?}");
        assert!(
            page.has(&format!(r#"id="{field}-error""#)),
            "{field}: next to the field"
        );
        if field != "phone" {
            assert_eq!(page.input_value("phone").as_deref(), Some("+65 6123 4567"));
        }
    }
    assert!(group_ids(&app).is_empty());
}

#[tokio::test]
async fn another_seller_cannot_read_change_or_delete_these_groups_or_contacts() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    assert_eq!(
        app.post("/console/seller/support/groups", &group("Private desk"))
            .await
            .status,
        303
    );
    assert_eq!(
        app.post(
            "/console/seller/support/contact",
            &[
                ("contact_name", "Mei Tan"),
                ("contact_phone", "+65 6123 4567"),
                ("contact_email", "mei@acme.example")
            ],
        )
        .await
        .status,
        303
    );
    let id = group_ids(&app)[0];
    let (other, _) = app.other_seller().await;

    let page = app.get_with(&other, PAGE).await;
    assert_eq!(page.status, 200);
    assert!(!page.has("Private desk"));
    assert!(!page.has("mei@acme.example"));
    assert_eq!(
        app.get_with(&other, &format!("/console/seller/support/groups/{id}/edit"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_with(
            &other,
            &format!("/console/seller/support/groups/{id}/delete")
        )
        .await
        .status,
        404
    );
    let page = app
        .post_with(
            &other,
            &format!("/console/seller/support/groups/{id}"),
            &group("Hijacked"),
        )
        .await;
    assert_eq!(page.status, 404);
    let page = app
        .post_with(
            &other,
            &format!("/console/seller/support/groups/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(page.status, 404);
    let page = app.get(PAGE).await;
    page.assert_has("Private desk");
    assert!(!page.has("Hijacked"));
    assert_eq!(group_ids(&app).len(), 1);
    // Ids that do not exist, or are not numbers, are 404 too, never 500.
    assert_eq!(
        app.get("/console/seller/support/groups/999999/edit")
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/console/seller/support/groups/abc/edit")
            .await
            .status,
        404
    );
    let _ = unique("x");
}

#[tokio::test]
async fn an_anonymous_post_is_sent_to_sign_in_and_changes_nothing() {
    let app = spawn_app().await;
    let c = crate::helpers::client();
    let page = app
        .post_raw_with(&c, "/console/seller/support/groups", &group("Anon"))
        .await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().starts_with("/login?next="));
    assert!(group_ids(&app).is_empty());
}

#[tokio::test]
async fn concurrent_adds_never_make_a_seventh_group() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    for i in 1..=4 {
        let name = format!("Desk {i}");
        assert_eq!(
            app.post("/console/seller/support/groups", &group(&name))
                .await
                .status,
            303
        );
    }
    // Six tabs submit at once; only two places are left.
    let token = app.token_with(&app.client).await;
    let posts = (0..6).map(|i| {
        let name = format!("Tab {i}");
        let token = token.clone();
        let app = &app;
        async move {
            let mut fields = vec![("csrf_token", token.as_str())];
            let g = group(&name);
            fields.extend(g.iter().copied());
            app.post_raw_with(&app.client, "/console/seller/support/groups", &fields)
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(posts).await;
    let added = statuses.iter().filter(|s| **s == 303).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((added, refused), (2, 4), "{statuses:?}");
    assert_eq!(group_ids(&app).len(), 6);
}
