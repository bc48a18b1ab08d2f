//! Every form, every field, a table of hostile values: the answer is never a 5xx; a refusal is
//! a 4xx with a message, and a refused form changes nothing stored. (The product editor is the
//! one form that keeps what was typed when it is refused: a draft holds invalid values within
//! their limits, by design; past the limits it stores nothing either.) Runs on both backends.

use reqwest::Client;

use crate::helpers::{client, csrf_in, spawn_app, Page, TestApp, PASSWORD};
use crate::products::{approved_seller, start};
use crate::review::submitted_product;

/// Hostile values, as they go into the urlencoded body (already percent-encoded, so invalid
/// UTF-8 can be sent too).
fn hostile() -> Vec<(&'static str, String)> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    vec![
        ("100 000 characters", "x".repeat(100_000)),
        ("a NUL", enc("a\u{0}b")),
        (
            "control characters",
            enc("\u{1}\u{2}\u{1b}[31m\u{7f}\u{85}"),
        ),
        ("CR/LF", enc("line\r\nBcc: x@evil.example")),
        ("a huge number", "99999999999999999999999999".to_string()),
        (
            "a huge negative number",
            "-99999999999999999999999999".to_string(),
        ),
        ("full-width digits", enc("１２３")),
        ("invalid UTF-8", "%FF%FE%FDabc".to_string()),
        ("markup", enc("<script>alert(1)</script>")),
        (
            "a huge list",
            enc(&(0..10_000)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")),
        ),
    ]
}

/// A form: where it posts, who posts it, a valid body, and the fields to try.
struct Form<'a> {
    path: String,
    who: &'a Client,
    base: Vec<(&'static str, String)>,
    editor: bool,
}

fn body(base: &[(&'static str, String)], token: &str, field: &str, raw: &str) -> String {
    let mut parts = vec![format!("csrf_token={token}")];
    let mut replaced = false;
    for (k, v) in base {
        if *k == field {
            if !replaced {
                parts.push(format!("{k}={raw}"));
                replaced = true;
            }
        } else {
            let v: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
            parts.push(format!("{k}={v}"));
        }
    }
    if !replaced {
        parts.push(format!("{field}={raw}"));
    }
    parts.join("&")
}

async fn token(app: &TestApp, who: &Client) -> String {
    for path in ["/account/password", "/login"] {
        if let Some(t) = csrf_in(&app.get_with(who, path).await.body) {
            return t;
        }
    }
    panic!("no token");
}

/// What the forms can change.
fn stored(app: &TestApp) -> Vec<i64> {
    [
        "SELECT COUNT(*) AS n FROM products",
        "SELECT COALESCE(SUM(LENGTH(form) + LENGTH(name)), 0) AS n FROM products",
        "SELECT COUNT(*) AS n FROM companies",
        "SELECT COALESCE(SUM(COALESCE(LENGTH(legal_name), 0) + COALESCE(LENGTH(contact_name), 0) \
         + COALESCE(LENGTH(contact_email), 0) + COALESCE(LENGTH(presales_address), 0)), 0) AS n FROM companies",
        "SELECT COUNT(*) AS n FROM service_groups",
        "SELECT COALESCE(SUM(LENGTH(name) + LENGTH(phone) + LENGTH(email)), 0) AS n FROM service_groups",
        "SELECT COUNT(*) AS n FROM applications",
        "SELECT COALESCE(SUM(LENGTH(payload) + LENGTH(status)), 0) AS n FROM applications",
        "SELECT COUNT(*) AS n FROM users",
        "SELECT COALESCE(SUM(LENGTH(password_hash)), 0) AS n FROM users",
        "SELECT COUNT(*) AS n FROM pending_signups",
        "SELECT COUNT(*) AS n FROM uploads",
    ]
    .iter()
    .map(|q| app.count(q))
    .collect()
}

fn has_message(page: &Page) -> bool {
    [
        "class=\"error\"",
        "class=\"error-summary\"",
        "class=\"error-page\"",
        "This link does not work",
    ]
    .iter()
    .any(|m| page.has(m))
}

#[tokio::test]
async fn no_hostile_value_in_any_field_gives_a_5xx_or_a_half_written_change() {
    let app = spawn_app().await;
    // The owner: approved, a service group, a draft; an unregistered seller; an operator with
    // an application to decide.
    let (_, application) = submitted_product(&app).await;
    let group = app.count("SELECT MIN(id) AS n FROM service_groups");
    let draft = start(&app, "saas").await;
    let (unregistered, _) = app.other_seller().await;
    let operator = app.operator().await;
    let anonymous = client();
    let s = |v: &str| v.to_string();
    let group_form = vec![
        ("name", s("Weekend desk")),
        ("phone", s("+65 6123 4567")),
        ("email", s("weekend@acme.example")),
        ("service_days", s("Sat")),
        ("service_days", s("Sun")),
        ("hours_start", s("09:00")),
        ("hours_end", s("18:00")),
    ];
    let editor = vec![
        ("op", s("save")),
        ("name", s("Hostile Input Suite")),
        ("version", s("V1.0")),
        ("category", s("devops")),
        ("currency", s("CNY")),
        ("overview", s("An overview of ten characters at least.")),
        ("introduction", s("<p>Introduction of the product.</p>")),
        ("highlights", s("One\nTwo")),
        ("eula", s("The terms and conditions of use.")),
        ("user_guide_url", s("https://docs.example.com")),
        ("service_group_id", group.to_string()),
        ("saas_url", s("https://app.example.com")),
        ("saas_trial", s("no")),
        ("s0_name", s("Standard")),
        ("s0_billing", s("yearly_monthly")),
        ("s0_a0_name", s("edition")),
        ("s0_a0_values", s("Basic, Pro")),
        ("s0_qname", s("users")),
        ("s0_qunit", s("user")),
        ("s0_qmin", s("1")),
        ("s0_qmax", s("100")),
        ("s0_qstep", s("1")),
        ("s0_qpricing", s("linear")),
        ("s0_p0_key", s(r#"["Basic"]"#)),
        ("s0_p0_month", s("10")),
        ("s0_p0_year", s("100")),
        ("s99_name", s("Out of range")),
        ("s0_a99_values", s("x")),
        ("s0_p999_month", s("1")),
    ];
    let registration: Vec<(&'static str, String)> = crate::registration::valid()
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    let forms = vec![
        Form {
            path: s("/signup"),
            who: &anonymous,
            base: vec![
                ("email", s("new@hostile.example")),
                ("password", s(PASSWORD)),
                ("password_confirm", s(PASSWORD)),
            ],
            editor: false,
        },
        Form {
            path: s("/login"),
            who: &anonymous,
            base: vec![
                ("email", s("nobody@hostile.example")),
                ("password", s("wrong-password")),
                ("next", s("/console")),
            ],
            editor: false,
        },
        Form {
            path: s("/signup/confirm"),
            who: &anonymous,
            base: vec![("token", s("abc"))],
            editor: false,
        },
        Form {
            path: s("/console/seller/registration"),
            who: &unregistered,
            base: registration,
            editor: false,
        },
        Form {
            path: s("/console/seller/registration/name"),
            who: &app.client,
            base: vec![("legal_name", s("Renamed Cloud Ltd"))],
            editor: false,
        },
        Form {
            path: s("/console/seller/support/contact"),
            who: &app.client,
            base: vec![
                ("contact_name", s("Mei Tan")),
                ("contact_phone", s("+65 6123 4567")),
                ("contact_email", s("mei@acme.example")),
            ],
            editor: false,
        },
        Form {
            path: s("/console/seller/support/presales"),
            who: &app.client,
            base: vec![
                ("presales_phone", s("+65 6123 4567")),
                ("presales_email", s("sales@acme.example")),
                ("presales_address", s("1 Cloud Street, Singapore")),
            ],
            editor: false,
        },
        Form {
            path: s("/console/seller/support/groups"),
            who: &app.client,
            base: group_form.clone(),
            editor: false,
        },
        Form {
            path: format!("/console/seller/support/groups/{group}"),
            who: &app.client,
            base: group_form,
            editor: false,
        },
        Form {
            path: s("/console/products/new"),
            who: &app.client,
            base: vec![("delivery_method", s("saas"))],
            editor: false,
        },
        Form {
            path: format!("/console/products/{draft}"),
            who: &app.client,
            base: editor.clone(),
            editor: true,
        },
        Form {
            path: format!("/console/products/{draft}/autosave"),
            who: &app.client,
            base: editor,
            editor: true,
        },
        Form {
            path: format!("/ops/applications/{application}/decision"),
            who: &operator,
            base: vec![
                ("outcome", s("reject")),
                ("reason", s("")),
                ("fields", s("name")),
            ],
            editor: false,
        },
        // Last: a success changes the password the forms after it would need.
        Form {
            path: s("/account/password"),
            who: &app.client,
            base: vec![
                ("current_password", s(PASSWORD)),
                ("new_password", s("another-pass-1")),
                ("new_password_confirm", s("different-pass")),
            ],
            editor: false,
        },
    ];
    let mut problems = Vec::new();
    let mut tried = 0;
    for form in &forms {
        let mut fields: Vec<&str> = form.base.iter().map(|(k, _)| *k).collect();
        fields.dedup();
        fields.push("unknown_field");
        for field in fields {
            for (what, raw) in hostile() {
                let before = stored(&app);
                let token = token(&app, form.who).await;
                let r = form
                    .who
                    .post(app.url(&form.path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body(&form.base, &token, field, &raw))
                    .send()
                    .await
                    .expect("post");
                let page = Page::from(r).await;
                tried += 1;
                let status = page.status.as_u16();
                let case = format!("{} {field} = {what}: {status}", form.path);
                if status >= 500 {
                    problems.push(format!(
                        "{case}\n{}",
                        page.body.chars().take(300).collect::<String>()
                    ));
                } else if (400..500).contains(&status) {
                    let autosave = form.path.ends_with("/autosave");
                    if !autosave && !has_message(&page) {
                        problems.push(format!(
                            "{case}: no message {}",
                            page.body
                                .split("<main")
                                .nth(1)
                                .unwrap_or("")
                                .chars()
                                .take(600)
                                .collect::<String>()
                        ));
                    }
                    if autosave && !page.body.contains("not saved") && status != 403 {
                        problems.push(format!("{case}: no message ({})", page.body));
                    }
                    if !form.editor && stored(&app) != before {
                        problems.push(format!("{case}: refused, but something stored changed"));
                    }
                }
            }
        }
    }
    // Uploads: invalid UTF-8 in the text parts and the file name, a kind that is no kind.
    for (kind, filename) in [
        (vec![0xff, 0xfe, 0xfd], "logo.png".as_bytes().to_vec()),
        (b"logo".to_vec(), vec![0xff, b'.', b'p', b'n', b'g']),
        (b"logo\0".to_vec(), b"a\r\nb.png".to_vec()),
        (b"x".repeat(100_000), b"logo.png".to_vec()),
    ] {
        let before = stored(&app);
        let token = token(&app, &app.client).await;
        let filename = String::from_utf8_lossy(&filename).into_owned();
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .part("kind", reqwest::multipart::Part::bytes(kind))
            .part(
                "file",
                reqwest::multipart::Part::bytes(crate::uploads::png(120, 120)).file_name(filename),
            );
        let page = Page::from(
            app.client
                .post(app.url(&format!("/console/products/{draft}/uploads")))
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await;
        tried += 1;
        let status = page.status.as_u16();
        if status >= 500 {
            problems.push(format!("upload: {status}"));
        } else if status >= 400 && stored(&app) != before {
            problems.push(format!("upload refused with {status} but stored"));
        }
    }
    assert!(tried > 1000, "{tried}");
    assert!(
        problems.is_empty(),
        "{} of {tried} cases: {problems:#?}",
        problems.len()
    );
    // After all of it the console still works for its users.
    assert_eq!(app.get("/healthz").await.status, 200);
    let _ = approved_seller;
}
