//! Languages and time zones (SPEC 10): the switcher, the account's language across sessions,
//! emails and messages in the reader's language, times in the reader's zone, rows written in
//! English before migrated to keys.

use std::time::Duration;

use reqwest::Client;

use crate::helpers::{
    client, client_with_jar, spawn_app, spawn_app_with, Page, TestApp, TestOptions,
};
use crate::review::{decide, email_of, submitted_product};
use crate::smtp::SmtpServer;

async fn get_lang(app: &TestApp, who: &Client, path: &str, accept: &str) -> Page {
    let r = who
        .get(app.url(path))
        .header("accept-language", accept)
        .send()
        .await
        .expect("request");
    Page::from(r).await
}

fn html_lang(page: &Page) -> &str {
    page.body
        .split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
}

#[tokio::test]
async fn the_header_switch_sets_the_language_and_comes_back_to_the_page() {
    let app = spawn_app().await;
    let visitor = client();
    let first = get_lang(&app, &visitor, "/login", "en-GB,en;q=0.9").await;
    assert_eq!(html_lang(&first), "en");
    first.assert_has("Sign in");
    // Without JavaScript: a link, which sets a cookie and comes back to the page.
    first.assert_has("/language?lang=zh-CN&#38;next=%2Flogin");
    // With nothing chosen, the browser's language decides.
    let chinese_browser = get_lang(&app, &client(), "/login", "zh-CN,zh;q=0.9").await;
    assert_eq!(html_lang(&chinese_browser), "zh-CN");

    let switched = get_lang(
        &app,
        &visitor,
        "/language?lang=zh-CN&next=%2Flogin%3Fnext%3D%252Fconsole",
        "en",
    )
    .await;
    assert_eq!(switched.status, 303);
    assert_eq!(switched.location.as_deref(), Some("/login?next=%2Fconsole"));
    // The cookie now wins over the browser's English.
    let page = get_lang(&app, &visitor, "/login?next=%2Fconsole", "en").await;
    assert_eq!(html_lang(&page), "zh-CN");
    page.assert_has("登录");
    assert!(!page.has(">Sign in<"), "{}", page.body);
    // The same URL: the switch back is offered in English's own name.
    page.assert_has(">English</a>");
    // A made-up language or a foreign `next` changes nothing and stays on this site.
    let odd = get_lang(
        &app,
        &visitor,
        "/language?lang=xx&next=https://evil.example/",
        "en",
    )
    .await;
    assert_eq!(odd.location.as_deref(), Some("/"));
    assert_eq!(
        html_lang(&get_lang(&app, &visitor, "/login", "en").await),
        "zh-CN"
    );

    // A signed-in user switches with a form (and a token) that saves the account too.
    app.signed_in_seller().await;
    let saved = app
        .post(
            "/account/language",
            &[("lang", "zh-CN"), ("next", "/console/products")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(saved.location.as_deref(), Some("/console/products"));
    let products = app.get("/console/products").await;
    assert_eq!(html_lang(&products), "zh-CN");
    products.assert_has("我的商品");
    products.assert_has("草稿箱");
    let back = app
        .post(
            "/account/language",
            &[("lang", "en"), ("next", "/console/products")],
        )
        .await;
    assert_eq!(back.status, 303);
    app.get("/console/products").await.assert_has("My Products");
}

#[tokio::test]
async fn a_signed_in_users_language_follows_them_to_a_new_session() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    app.post(
        "/account/language",
        &[("lang", "zh-CN"), ("next", "/console")],
    )
    .await;
    // Another browser, English by its header, no cookie of ours.
    let (other, _) = client_with_jar();
    let signed_in = app
        .login_with(&other, &email, crate::helpers::PASSWORD)
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let console = get_lang(&app, &other, "/console", "en-US,en;q=0.9").await;
    assert_eq!(html_lang(&console), "zh-CN", "{}", console.body);
    console.assert_has("我的商品");
}

#[tokio::test]
async fn settings_keep_language_and_zone_and_refuse_made_up_ones() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let bad = app
        .post(
            "/account/settings",
            &[("language", "klingon"), ("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    bad.assert_has("Choose a time zone from the list.");
    bad.assert_has("Choose English or 中文.");
    let good = app
        .post(
            "/account/settings",
            &[("language", "zh-CN"), ("time_zone", "Asia/Shanghai")],
        )
        .await;
    assert_eq!(good.status, 303);
    let page = app.get("/account/settings").await;
    page.assert_has("设置已保存。");
    page.assert_has(r#"<option value="Asia/Shanghai" selected>"#);
    page.assert_has("当前按 Asia/Shanghai 显示时间。");
}

/// Sets the language of the account that submitted application `id`.
fn set_submitter_language(app: &TestApp, id: i64, lang: &str) -> String {
    let user = app.count(&format!(
        "SELECT submitted_by AS n FROM applications WHERE id = {id}"
    ));
    app.execute(&format!(
        "UPDATE users SET language = '{lang}' WHERE id = {user}"
    ));
    email_of(app, user)
}

#[tokio::test]
async fn a_decision_email_to_a_chinese_seller_arrives_in_chinese() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: true,
        ..TestOptions::default()
    })
    .await;
    let (_, id) = submitted_product(&app).await;
    let seller = set_submitter_language(&app, id, "zh-CN");
    let ops = app.operator().await;
    let page = decide(&app, &ops, id, "reject", "Logo 不清晰", &["name"]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let got = smtp.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_to, vec![seller]);
    let parsed = got[0].parsed();
    let subject = parsed.subject().unwrap_or_default().to_string();
    assert!(
        subject.starts_with(&format!("申请 #{id} 已驳回：商品发布 - ")),
        "{subject}"
    );
    let text = parsed.body_text(0).expect("a text part").to_string();
    let html = parsed.body_html(0).expect("an html part").to_string();
    for (part, body) in [("text", &text), ("html", &html)] {
        assert!(body.contains("您好"), "{part}: {body}");
        assert!(
            body.contains(&format!("您的商品发布申请 #{id}")),
            "{part}: {body}"
        );
        assert!(body.contains("已驳回"), "{part}: {body}");
        assert!(body.contains("驳回原因"), "{part}: {body}");
        assert!(
            body.contains("Logo 不清晰"),
            "{part}: the reason as typed: {body}"
        );
        assert!(body.contains("需修改的字段"), "{part}: {body}");
        assert!(
            !body.contains("Reason") && !body.contains("Hello"),
            "{part}: {body}"
        );
    }
    assert!(html.contains(r#"<html lang="zh-CN">"#), "{html}");
    // The outbox keeps what was sent, in Chinese, whoever reads it later.
    let kept = app.count(&format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE application_id = {id} AND subject LIKE '申请%'"
    ));
    assert_eq!(kept, 1);
}

#[tokio::test]
async fn a_message_written_in_chinese_shows_in_english_when_the_user_switches() {
    let app = spawn_app().await;
    let (_, id) = submitted_product(&app).await;
    set_submitter_language(&app, id, "zh-CN");
    let ops = app.operator().await;
    decide(&app, &ops, id, "reject", "图标模糊", &["name"]).await;
    let zh = app.get("/console/messages").await;
    zh.assert_has(&format!("商品发布 #{id} 已驳回："));
    zh.assert_has("驳回原因：图标模糊");
    app.post(
        "/account/language",
        &[("lang", "en"), ("next", "/console/messages")],
    )
    .await;
    let en = app.get("/console/messages").await;
    en.assert_has(&format!("Product release #{id} rejected:"));
    en.assert_has("Reason: 图标模糊");
    en.assert_has("Fields to fix:");
    assert!(!en.has("驳回原因"), "{}", en.body);
    // The timeline's own steps too; the reviewer's reason stays as typed.
    let timeline = app.get(&format!("/console/applications/{id}")).await;
    timeline.assert_has("Submitted");
    timeline.assert_has("图标模糊");
}

#[tokio::test]
async fn a_stored_utc_time_shows_in_the_readers_zone_with_the_zone_named() {
    let app = spawn_app().await;
    let (_, id) = submitted_product(&app).await;
    let ops = app.operator().await;
    decide(&app, &ops, id, "approve", "", &[]).await;
    app.execute("UPDATE messages SET created_at = '2026-12-04 09:00:00'");
    // No zone chosen and no script ran: UTC, named.
    app.get("/console/messages")
        .await
        .assert_has("2026-12-04 09:00 UTC");
    for (zone, shown) in [
        ("Asia/Shanghai", "2026-12-04 17:00 CST"),
        ("America/New_York", "2026-12-04 04:00 EST"),
    ] {
        let saved = app
            .post(
                "/account/settings",
                &[("language", ""), ("time_zone", zone)],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        app.get("/console/messages").await.assert_has(shown);
    }
    // The browser's zone (the cookie tz.js writes) counts when the account has none.
    app.post("/account/settings", &[("language", ""), ("time_zone", "")])
        .await;
    let url: reqwest::Url = app.address.parse().unwrap();
    app.jar.add_cookie_str("tz=Asia/Shanghai; Path=/", &url);
    app.get("/console/messages")
        .await
        .assert_has("2026-12-04 17:00 CST");
    // A made-up zone in the cookie is UTC, not an error.
    app.jar.add_cookie_str("tz=Nowhere/Else; Path=/", &url);
    app.get("/console/messages")
        .await
        .assert_has("2026-12-04 09:00 UTC");
}

#[tokio::test]
async fn rows_written_in_english_before_are_migrated_and_read_in_either_language() {
    let app = spawn_app().await;
    let (_, id) = submitted_product(&app).await;
    let company = app.count(&format!(
        "SELECT company_id AS n FROM applications WHERE id = {id}"
    ));
    // As the previous version wrote them.
    app.execute(&format!(
        "INSERT INTO messages (company_id, application_id, title, body, created_at) VALUES \
         ({company}, {id}, 'Product release #{id} rejected: Old title', \
          'Reason: Blurry logo' || char(10) || 'Fields to fix: Contact name', '2026-11-30 08:00:00')"
    ).replace("char(10)", if app.is_postgres() { "chr(10)" } else { "char(10)" }));
    app.execute(&format!(
        "UPDATE application_events SET comment = 'Submitted' WHERE application_id = {id}"
    ));
    let rewritten = app.with_conn(|c| seller_console::i18n::migrate::stored_texts(c).unwrap());
    assert!(rewritten >= 2, "{rewritten}");
    assert_eq!(
        app.with_conn(|c| seller_console::i18n::migrate::stored_texts(c).unwrap()),
        0,
        "a second run changes nothing"
    );
    let en = app.get("/console/messages").await;
    en.assert_has(&format!("Product release #{id} rejected: Old title"));
    en.assert_has("Reason: Blurry logo");
    en.assert_has("Fields to fix: Contact name");
    app.post(
        "/account/language",
        &[("lang", "zh-CN"), ("next", "/console/messages")],
    )
    .await;
    let zh = app.get("/console/messages").await;
    zh.assert_has(&format!("商品发布 #{id} 已驳回：Old title"));
    zh.assert_has("驳回原因：Blurry logo");
    zh.assert_has("需修改的字段：联系人姓名");
    app.get(&format!("/console/applications/{id}"))
        .await
        .assert_has("已提交");
}

#[tokio::test]
async fn a_due_date_counts_working_days_of_the_review_zone_skipping_weekends_and_holidays() {
    use seller_console::domain::working_days::{due_from, is_working_day, review_day};
    use seller_console::i18n::zone::Zone;
    let shanghai = Zone::named("Asia/Shanghai").unwrap();
    let now = seller_console::db::now();
    // The next two working days in Shanghai are holidays (whatever weekday the test runs on):
    // the due date moves past them and past the weekend, counted in Shanghai's calendar, not
    // UTC's.
    let today = review_day(now, &shanghai);
    let holidays: Vec<time::Date> = (1..=7)
        .map(|d| today + time::Duration::days(d))
        .filter(|d| is_working_day(*d, &[]))
        .take(2)
        .collect();
    let app = spawn_app_with(TestOptions {
        holidays: holidays.clone(),
        ..TestOptions::default()
    })
    .await;
    let (_, id) = submitted_product(&app).await;
    let stored = app.with_conn(|c| {
        use diesel::{QueryDsl, RunQueryDsl};
        use seller_console::db::schema::applications;
        applications::table
            .find(id)
            .select(applications::due_date)
            .first::<time::Date>(c)
            .unwrap()
    });
    let expected = due_from(now, &shanghai, &holidays);
    assert_eq!(stored, expected);
    assert_ne!(stored, due_from(now, &shanghai, &[]), "the holidays count");
    assert!(
        stored >= today + time::Duration::days(5),
        "{stored}: three working days after two holidays"
    );
    // Shown with its weekday in the reader's language.
    let page = app.get(&format!("/console/applications/{id}")).await;
    page.assert_has(&stored.to_string());
}
