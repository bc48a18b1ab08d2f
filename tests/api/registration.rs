use seller_console::domain::working_days::due_from;
use seller_console::web::format_date;

use crate::helpers::spawn_app;

const PATH: &str = "/console/seller/registration";

pub(crate) fn valid() -> Vec<(&'static str, &'static str)> {
    vec![
        ("legal_name", "Acme Cloud Ltd"),
        ("country_region", "SG"),
        ("established_on", "2019-05-01"),
        ("licence_number", "UEN-201912345"),
        ("offerings", "saas"),
        ("offerings", "apis"),
        ("tax_number", "GST-1234567"),
        ("bank_name", "DBS Bank"),
        ("bank_account_name", "Acme Cloud Ltd"),
        ("bank_account_number", "0721 2345 6789"),
        ("presales_staff", "2"),
        ("aftersales_staff", "3"),
        ("support_days", "Mon"),
        ("support_days", "Tue"),
        ("support_days", "Wed"),
        ("support_days", "Thu"),
        ("support_days", "Fri"),
        ("support_start", "09:00"),
        ("support_end", "18:00"),
        ("contact_name", "Mei Tan"),
        ("contact_email", "mei@acme.example"),
        ("agreement", "accepted"),
    ]
}

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = valid().into_iter().filter(|(k, _)| *k != field).collect();
    if !value.is_empty() {
        let name = valid()
            .into_iter()
            .find(|(k, _)| *k == field)
            .map(|(k, _)| k)
            .unwrap_or("agreement");
        v.push((name, value));
    }
    v
}

#[tokio::test]
async fn a_valid_registration_becomes_an_application_due_in_three_working_days() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app.get(PATH).await;
    assert_eq!(page.status, 200);
    page.assert_has("Register your company");

    let page = app.post(PATH, &valid()).await;
    assert_eq!(page.status, 303, "{}", page.body);
    // Counted from the review zone's day, which is not UTC's on a Sunday evening (UTC).
    let due = format_date(&due_from(
        seller_console::db::now(),
        &seller_console::i18n::zone::Zone::review_default(),
        &[],
    ));

    let dashboard = app.get("/console").await;
    dashboard.assert_has("Registration submitted as application #");
    dashboard.assert_has("Pending review");
    dashboard.assert_has(&due);
    dashboard.assert_has("Acme Cloud Ltd");

    let page = app.get(PATH).await;
    page.assert_has("Pending review");
    page.assert_has("UEN-201912345");
    page.assert_has("Asia/Singapore");
    page.assert_has("version 2026-01, accepted");
    assert!(
        !page.has("Submit registration"),
        "no form while under review"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'registration' AND status = 'pending'"),
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM application_events"), 1);
}

#[tokio::test]
async fn a_registration_under_review_cannot_be_submitted_again() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    assert_eq!(app.post(PATH, &valid()).await.status, 303);
    let page = app.post(PATH, &valid()).await;
    assert_eq!(page.status, 303);
    app.get(PATH).await.assert_has("already under review");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications"), 1);
}

#[tokio::test]
async fn each_failed_requirement_is_shown_next_to_its_field_with_the_typed_values_kept() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let cases: Vec<(&str, &'static str, &str)> = vec![
        ("legal_name", "A", "legal name (2 to 100 characters)"),
        ("country_region", "XX", "Choose the country or region"),
        ("established_on", "2026-13-40", "YYYY-MM-DD"),
        ("established_on", "2099-01-01", "cannot be in the future"),
        ("licence_number", "12", "license number"),
        (
            "licence_number",
            "<script>x</script>",
            "letters, digits and dashes",
        ),
        ("offerings", "", "Choose what the company provides"),
        ("tax_number", "1", "tax registration number"),
        ("bank_name", "", "bank's name"),
        ("bank_account_number", "12", "account number"),
        ("presales_staff", "0", "At least 1 pre-sales support person"),
        (
            "presales_staff",
            "many",
            "At least 1 pre-sales support person",
        ),
        (
            "aftersales_staff",
            "-3",
            "At least 1 after-sales service person",
        ),
        ("support_start", "9am", "start time as HH:MM"),
        ("support_end", "08:00", "end time must be after the start"),
        (
            "support_end",
            "16:59",
            "at least 8 hours a day, 5 days a week",
        ), // shown at support_days
        ("contact_email", "not-mail", "valid email address"),
        ("agreement", "", "accept the Seller Agreement"),
    ];
    for (field, value, message) in cases {
        let page = app.post(PATH, &with(field, value)).await;
        assert_eq!(page.status, 422, "{field}={value}");
        assert!(
            page.has(message),
            "{field}={value}: expected {message:?}\n{}",
            page.body
        );
        let at = if message.contains("8 hours") {
            "support_days"
        } else {
            field
        };
        assert!(
            page.body.contains(&format!(r#"id="{at}-error""#)),
            "{field}: message next to the field"
        );
        // What was typed is still there.
        assert_eq!(
            page.input_value("bank_name").as_deref(),
            if field == "bank_name" {
                Some("")
            } else {
                Some("DBS Bank")
            }
        );
        assert!(page.has(r#"value="SG" selected"#) || field == "country_region");
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM applications"), 0);
}

#[tokio::test]
async fn a_company_younger_than_one_year_is_refused() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let recent = (time::OffsetDateTime::now_utc().date() - time::Duration::days(200)).to_string();
    let mut form = with("established_on", "");
    form.push(("established_on", Box::leak(recent.into_boxed_str())));
    let page = app.post(PATH, &form).await;
    assert_eq!(page.status, 422);
    page.assert_has("at least 1 year before the application date");
}

#[tokio::test]
async fn support_on_four_days_is_refused() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let form: Vec<_> = valid()
        .into_iter()
        .filter(|(k, v)| !(*k == "support_days" && *v == "Fri"))
        .collect();
    let page = app.post(PATH, &form).await;
    assert_eq!(page.status, 422);
    page.assert_has("at least 8 hours a day, 5 days a week");
    assert!(
        page.has(r#"value="Thu" checked"#),
        "the ticked days stay ticked"
    );
    assert!(!page.has(r#"value="Fri" checked"#));
}

#[tokio::test]
async fn markup_typed_into_a_field_comes_back_escaped() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app.post(PATH, &with("legal_name", "<b>x")).await;
    assert_eq!(
        page.status, 303,
        "a valid name with markup is stored as text"
    );
    let page = app.get(PATH).await;
    assert!(!page.body.contains("<b>x"), "markup must be escaped");
    assert!(
        crate::helpers::decode_entities(&page.body).contains("<b>x"),
        "shown as typed"
    );
}

#[tokio::test]
async fn another_seller_never_sees_or_changes_this_registration() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    assert_eq!(app.post(PATH, &valid()).await.status, 303);
    let (other, _) = app.other_seller().await;
    let page = app.get_with(&other, PATH).await;
    assert_eq!(page.status, 200);
    assert!(!page.has("Acme Cloud Ltd"));
    assert!(!page.has("UEN-201912345"));
    page.assert_has("Register your company");
    // The other seller registering creates its own application, not a change to this one.
    let mut form = with("legal_name", "Other Corp");
    form.retain(|(k, _)| *k != "legal_name");
    form.push(("legal_name", "Other Corp"));
    assert_eq!(app.post_with(&other, PATH, &form).await.status, 303);
    app.get(PATH).await.assert_has("Acme Cloud Ltd");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM applications WHERE subject = 'Acme Cloud Ltd'"),
        1
    );
}

#[tokio::test]
async fn the_error_summary_lists_problems_in_the_order_of_the_form() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app.post(PATH, &[("agreement", "")]).await;
    assert_eq!(page.status, 422);
    let at = |text: &str| {
        page.body
            .find(text)
            .unwrap_or_else(|| panic!("{text} missing"))
    };
    assert!(at("href=\"#legal_name\"") < at("href=\"#established_on\""));
    assert!(at("href=\"#established_on\"") < at("href=\"#bank_name\""));
    assert!(at("href=\"#bank_name\"") < at("href=\"#agreement\""));
}
