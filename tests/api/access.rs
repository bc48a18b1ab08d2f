//! Every route of the application's own route table (`routes::table`), as every kind of
//! visitor, with real ids of one company: the status each must get, and that nothing of that
//! company leaks to anyone else. A route added later without an expectation here fails the
//! test. Every POST route is also tried without a token, with another session's token and
//! from another site.

use std::collections::HashMap;

use reqwest::{Client, Method};

use crate::helpers::{client, csrf_in, spawn_app, Page, TestApp};
use crate::products::start;
use crate::review::{decide, submitted_product};

/// Who asks: nobody signed in, the owning seller, another approved seller, a seller whose
/// company is not registered, an operator.
const WHO: [&str; 5] = [
    "anonymous",
    "owner",
    "other seller",
    "unregistered",
    "operator",
];

/// The status each visitor gets, in the order of `WHO`. 303 to an anonymous visitor must be
/// the way to sign in. `OWN` marks an owner's POST that would change the fixtures: it is
/// tried only without a token, with another's and from another site.
const OWN: u16 = 0;

#[rustfmt::skip]
const EXPECTED: &[(&str, &str, [u16; 5])] = &[
    ("GET", "/static/css/app.css", [200, 200, 200, 200, 200]),
    ("GET", "/static/js/autosave.js", [200, 200, 200, 200, 200]),
    ("GET", "/static/js/tz.js", [200, 200, 200, 200, 200]),
    ("GET", "/language", [303, 303, 303, 303, 303]),
    ("POST", "/account/language", [303, OWN, 400, 400, 400]),
    ("GET", "/account/settings", [303, 200, 200, 200, 200]),
    ("POST", "/account/settings", [303, OWN, 303, 303, 303]),
    ("GET", "/console/products", [303, 200, 200, 200, 403]),
    ("GET", "/console", [303, 200, 200, 200, 403]),
    ("GET", "/console/drafts", [303, 200, 200, 200, 403]),
    ("GET", "/", [200, 200, 200, 200, 200]),
    ("GET", "/products/{id}", [200, 200, 200, 200, 200]),
    ("GET", "/products/{id}/logo", [200, 200, 200, 200, 200]),
    // Ordering is for buyers only (their own tests: orders.rs).
    ("GET", "/products/{id}/order", [303, 403, 403, 403, 403]),
    ("POST", "/products/{id}/order", [303, 403, 403, 403, 403]),
    ("GET", "/account/orders", [303, 403, 403, 403, 403]),
    ("GET", "/account/orders/{id}", [303, 403, 403, 403, 403]),
    ("POST", "/account/orders/{id}/cancel", [303, 403, 403, 403, 403]),
    ("POST", "/account/orders/{id}/pay-test", [303, 403, 403, 403, 403]),
    ("POST", "/account/orders/{id}/accept", [303, 403, 403, 403, 403]),
    ("POST", "/account/orders/{id}/refund", [303, 403, 403, 403, 403]),
    ("GET", "/account/orders/{id}/renew", [303, 403, 403, 403, 403]),
    // The provider's webhook answers a form (unsigned) with 401, whoever sends it.
    ("POST", "/payments/test/notify", [401, 401, 401, 401, 401]),
    ("GET", "/ops", [303, 403, 403, 403, 303]),
    ("GET", "/ops/applications", [303, 403, 403, 403, 200]),
    ("GET", "/ops/applications/{id}", [303, 403, 403, 403, 200]),
    // A decided application is not claimed: back to it, with a message saying so.
    ("POST", "/ops/applications/{id}/claim", [303, 403, 403, 403, 303]),
    ("POST", "/ops/applications/{id}/decision", [303, 403, 403, 403, 409]),
    ("GET", "/ops/applications/{id}/uploads/{upload}", [303, 403, 403, 403, 200]),
    // The owner's application is a release: it has no proof files.
    ("GET", "/ops/applications/{id}/files/{file}", [303, 403, 403, 403, 404]),
    ("GET", "/ops/outbox", [303, 403, 403, 403, 200]),
    ("GET", "/ops/orders", [303, 403, 403, 403, 200]),
    // No reference typed: refused next to the field.
    ("POST", "/ops/orders/{id}/pay", [303, 403, 403, 403, 422]),
    ("GET", "/ops/outbox/{id}", [303, 403, 403, 403, 200]),
    ("GET", "/ops/outbox/{id}/html", [303, 403, 403, 403, 200]),
    ("POST", "/ops/outbox/{id}/retry", [303, 403, 403, 403, 409]),
    ("GET", "/console/applications", [303, 200, 200, 200, 403]),
    ("GET", "/console/applications/{id}", [303, 200, 404, 404, 403]),
    ("GET", "/console/applications/{id}/withdraw", [303, 409, 404, 404, 403]),
    ("POST", "/console/applications/{id}/withdraw", [303, OWN, 404, 404, 403]),
    ("GET", "/console/applications/{id}/delete", [303, 409, 404, 404, 403]),
    ("POST", "/console/applications/{id}/delete", [303, OWN, 404, 404, 403]),
    ("GET", "/console/messages", [303, 200, 200, 200, 403]),
    ("GET", "/console/orders", [303, 200, 200, 200, 403]),
    ("GET", "/console/orders.csv", [303, 200, 200, 200, 403]),
    // No order has the draft's id: the seller's own orders are tested in orders.rs.
    ("GET", "/console/orders/{id}", [303, 404, 404, 404, 403]),
    ("POST", "/console/orders/{id}/advance", [303, 404, 404, 404, 403]),
    // No decision chosen: refused before the order is looked up.
    ("POST", "/console/orders/{id}/refund", [303, 400, 400, 400, 403]),
    ("GET", "/console/benefits", [303, 200, 200, 200, 403]),
    // Nothing chosen: refused next to the field.
    ("POST", "/console/benefits/slot", [303, 422, 422, 422, 403]),
    ("POST", "/console/benefits/coupon", [303, 422, 422, 422, 403]),
    ("GET", "/ops/benefits", [303, 403, 403, 403, 200]),
    ("POST", "/ops/benefits/allocate", [303, 403, 403, 403, 400]),
    ("GET", "/console/settlement", [303, 200, 200, 200, 403]),
    ("GET", "/console/settlement/{id}", [303, 200, 404, 404, 403]),
    ("GET", "/console/settlement/{id}/lines.csv", [303, 200, 404, 404, 403]),
    // No invoice is uploaded yet.
    ("GET", "/console/settlement/{id}/invoice", [303, 404, 404, 404, 403]),
    ("POST", "/console/settlement/{id}/confirm", [303, OWN, 404, 404, 403]),
    // No reason typed: refused next to the field.
    ("POST", "/console/settlement/{id}/dispute", [303, 422, 404, 404, 403]),
    // A form that is not multipart is unreadable, before the bill is looked up.
    ("POST", "/console/settlement/{id}/invoice", [303, 400, 400, 400, 403]),
    ("GET", "/ops/settlement", [303, 403, 403, 403, 200]),
    ("POST", "/ops/settlement/run", [303, 403, 403, 403, 422]),
    ("GET", "/ops/settlement/{id}", [303, 403, 403, 403, 200]),
    ("GET", "/ops/settlement/{id}/lines.csv", [303, 403, 403, 403, 200]),
    ("GET", "/ops/settlement/{id}/invoice", [303, 403, 403, 403, 404]),
    // A generated bill is not approved (the seller confirms first): back to it, saying so.
    ("POST", "/ops/settlement/{id}/approve", [303, 403, 403, 403, 303]),
    ("POST", "/ops/settlement/{id}/resolve", [303, 403, 403, 403, 422]),
    ("POST", "/ops/settlement/{id}/pay", [303, 403, 403, 403, 422]),
    ("POST", "/console/messages/read-all", [303, OWN, 303, 303, 403]),
    ("POST", "/console/messages/{id}/read", [303, OWN, 404, 404, 403]),
    ("GET", "/healthz", [200, 200, 200, 200, 200]),
    ("GET", "/login", [200, 303, 303, 303, 303]),
    ("POST", "/login", [401, 401, 401, 401, 401]),
    ("GET", "/signup", [200, 303, 303, 303, 303]),
    ("POST", "/signup", [422, 422, 422, 422, 422]),
    ("GET", "/signup/sent", [200, 200, 200, 200, 200]),
    ("GET", "/signup/confirm", [404, 404, 404, 404, 404]),
    ("POST", "/signup/confirm", [404, 404, 404, 404, 404]),
    ("GET", "/logout", [303, 200, 200, 200, 200]),
    ("POST", "/logout", [303, OWN, 303, 303, 303]),
    ("GET", "/console/token", [303, 200, 200, 200, 403]),
    ("GET", "/account/password", [303, 200, 200, 200, 200]),
    ("POST", "/account/password", [303, OWN, 422, 422, 422]),
    ("GET", "/console/products/new", [303, 200, 200, 200, 403]),
    ("POST", "/console/products/new", [303, OWN, 400, 400, 403]),
    ("GET", "/console/products/{id}", [303, 200, 404, 404, 403]),
    ("GET", "/console/products/{id}/history", [303, 200, 404, 404, 403]),
    ("POST", "/console/products/{id}/hide", [303, OWN, 404, 404, 403]),
    ("POST", "/console/products/{id}/unhide", [303, OWN, 404, 404, 403]),
    ("POST", "/console/products/{id}/specs/hide", [303, OWN, 404, 404, 403]),
    ("POST", "/console/products/{id}/specs/unhide", [303, OWN, 404, 404, 403]),
    // The draft is not listed: there is nothing to remove yet.
    ("GET", "/console/products/{id}/remove", [303, 409, 404, 404, 403]),
    ("POST", "/console/products/{id}/remove", [303, OWN, 404, 404, 403]),
    ("GET", "/console/products/{id}/edit", [303, 200, 404, 404, 403]),
    ("POST", "/console/products/{id}", [303, OWN, 404, 404, 403]),
    ("POST", "/console/products/{id}/autosave", [303, OWN, 404, 404, 403]),
    ("GET", "/console/products/{id}/preview", [303, 200, 404, 404, 403]),
    ("GET", "/console/products/{id}/delete", [303, 200, 404, 404, 403]),
    ("POST", "/console/products/{id}/delete", [303, OWN, 404, 404, 403]),
    ("POST", "/console/products/{id}/clone", [303, OWN, 404, 404, 403]),
    ("POST", "/console/products/{id}/uploads", [303, OWN, 404, 404, 403]),
    ("GET", "/console/products/{id}/uploads/{upload}", [303, 200, 404, 404, 403]),
    ("POST", "/console/products/{id}/uploads/{upload}/delete", [303, OWN, 404, 404, 403]),
    ("GET", "/console/seller/registration", [303, 200, 200, 200, 403]),
    ("POST", "/console/seller/registration", [303, OWN, 409, 422, 403]),
    ("POST", "/console/seller/registration/name", [303, OWN, 422, 409, 403]),
    ("GET", "/console/seller/support", [303, 200, 200, 200, 403]),
    ("POST", "/console/seller/support/contact", [303, OWN, 422, 422, 403]),
    ("POST", "/console/seller/support/presales", [303, OWN, 422, 422, 403]),
    ("POST", "/console/seller/support/groups", [303, OWN, 422, 422, 403]),
    ("GET", "/console/seller/support/groups/{id}/edit", [303, 200, 404, 404, 403]),
    ("POST", "/console/seller/support/groups/{id}", [303, OWN, 404, 404, 403]),
    ("GET", "/console/seller/support/groups/{id}/delete", [303, 200, 404, 404, 403]),
    ("POST", "/console/seller/support/groups/{id}/delete", [303, OWN, 404, 404, 403]),
];

/// The owner's things, by what the path is about.
struct Ids {
    listed_product: i64,
    listed_upload: i64,
    draft: i64,
    draft_upload: i64,
    application: i64,
    message: i64,
    outbox: i64,
    group: i64,
    bill: i64,
}

impl Ids {
    fn path(&self, pattern: &str) -> String {
        let (id, upload) = if pattern.starts_with("/products/") {
            (self.listed_product, 0)
        } else if pattern.starts_with("/ops/applications/") {
            (self.application, self.listed_upload)
        } else if pattern.starts_with("/ops/outbox/") {
            (self.outbox, 0)
        } else if pattern.starts_with("/console/applications/") {
            (self.application, 0)
        } else if pattern.starts_with("/console/messages/") {
            (self.message, 0)
        } else if pattern.starts_with("/console/seller/support/groups/") {
            (self.group, 0)
        } else if pattern.starts_with("/console/settlement/")
            || pattern.starts_with("/ops/settlement/")
        {
            (self.bill, 0)
        } else {
            (self.draft, self.draft_upload)
        };
        pattern
            .replace("{id}", &id.to_string())
            .replace("{upload}", &upload.to_string())
            .replace("{file}", &upload.to_string())
    }
}

/// What of the owner's company no one else may see (its public listing aside).
const PRIVATE: [&str; 3] = [
    "OwnerDraftMarker",
    "owner-secret@owner.example",
    "OwnerReasonMarker",
];

async fn request(
    app: &TestApp,
    who: &Client,
    method: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Page {
    let r = match method {
        "GET" => who.get(app.url(path)),
        _ => who
            .request(Method::POST, app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_html_form::to_string(fields).unwrap()),
    };
    Page::from(r.send().await.expect("request")).await
}

async fn token(app: &TestApp, who: &Client) -> String {
    for path in ["/account/password", "/login"] {
        if let Some(t) = csrf_in(&app.get_with(who, path).await.body) {
            return t;
        }
    }
    panic!("no token");
}

#[tokio::test]
async fn every_route_answers_every_visitor_as_expected_and_leaks_nothing() {
    let app = spawn_app().await;
    // The owner: an approved seller with a listed product (and its logo), a draft with a
    // logo, an application, a message, a mail in the outbox and a service group.
    let (listed, application) = submitted_product(&app).await;
    let operator = app.operator().await;
    assert_eq!(
        decide(
            &app,
            &operator,
            application,
            "approve",
            "OwnerReasonMarker",
            &[]
        )
        .await
        .status,
        303
    );
    let draft = start(&app, "saas").await;
    app.upload_with(
        &app.client,
        draft,
        "logo",
        "logo.png",
        crate::uploads::png(120, 120),
    )
    .await;
    app.execute(&format!(
        "UPDATE products SET name = 'OwnerDraftMarker', \
         form = REPLACE(form, '\"name\":\"\"', '\"name\":\"OwnerDraftMarker\"') WHERE id = {draft}"
    ));
    let owner_company = app.count(&format!(
        "SELECT company_id AS n FROM products WHERE id = {draft}"
    ));
    app.execute(&format!(
        "UPDATE companies SET contact_email = 'owner-secret@owner.example' WHERE id = {owner_company}"
    ));
    let ids = Ids {
        listed_product: listed,
        listed_upload: app.count(&format!(
            "SELECT MIN(id) AS n FROM uploads WHERE product_id = {listed}"
        )),
        draft,
        draft_upload: app.count(&format!(
            "SELECT MIN(id) AS n FROM uploads WHERE product_id = {draft}"
        )),
        application,
        message: app.count(&format!(
            "SELECT MAX(id) AS n FROM messages WHERE company_id = {owner_company}"
        )),
        outbox: app.count("SELECT MAX(id) AS n FROM outbox"),
        group: app.count(&format!(
            "SELECT MIN(id) AS n FROM service_groups WHERE company_id = {owner_company}"
        )),
        bill: owner_bill(&app, owner_company),
    };
    // Another approved seller with its own group and draft; an unregistered seller.
    let (other, other_email) = app.other_seller().await;
    app.approve_company_of(&other_email);
    app.post_with(
        &other,
        "/console/products/new",
        &[("delivery_method", "saas")],
    )
    .await;
    let (unregistered, _) = app.other_seller().await;
    let visitors: [Client; 5] = [client(), app.client.clone(), other, unregistered, operator];
    // The markers are there to leak: the owner sees each of them.
    app.get(&format!("/console/products/{draft}/edit"))
        .await
        .assert_has(PRIVATE[0]);
    app.get("/console/seller/support")
        .await
        .assert_has(PRIVATE[1]);
    app.get("/console/messages").await.assert_has(PRIVATE[2]);

    let expected: HashMap<(&str, &str), [u16; 5]> =
        EXPECTED.iter().map(|(m, p, e)| ((*m, *p), *e)).collect();
    let table = seller_console::routes::table();
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    // GETs first, then POSTs; signing out last of all.
    let mut routes: Vec<(String, &'static str)> =
        table.iter().map(|(m, p)| (m.to_string(), *p)).collect();
    routes.sort_by_key(|(m, p)| (m == "POST", *p == "/logout"));
    for (method, pattern) in &routes {
        let Some(statuses) = expected.get(&(method.as_str(), *pattern)) else {
            missing.push(format!("{method} {pattern}"));
            continue;
        };
        let path = ids.path(pattern);
        for (i, who) in visitors.iter().enumerate() {
            let want = statuses[i];
            if want == OWN {
                continue;
            }
            let fields_token;
            let fields: Vec<(&str, &str)> = if method == "POST" {
                fields_token = token(&app, who).await;
                vec![("csrf_token", fields_token.as_str())]
            } else {
                Vec::new()
            };
            let page = request(&app, who, method, &path, &fields).await;
            if page.status.as_u16() != want {
                wrong.push(format!(
                    "{method} {path} as {}: {} (expected {want})",
                    WHO[i], page.status
                ));
            }
            if i == 0 && want == 303 && pattern.starts_with("/console")
                || pattern.starts_with("/ops") && i == 0
            {
                let to_login = page
                    .location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/login"));
                if !to_login {
                    wrong.push(format!(
                        "{method} {path} as anonymous: not sent to sign in ({:?})",
                        page.location
                    ));
                }
            }
            if i != 1 && i != 4 {
                for marker in PRIVATE {
                    if page.has(marker) {
                        wrong.push(format!("{method} {path} as {} shows {marker}", WHO[i]));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes without an expectation: {missing:#?}"
    );
    let listed: Vec<_> = table
        .iter()
        .map(|(m, p)| (m.as_str().to_string(), *p))
        .collect();
    let stale: Vec<_> = EXPECTED
        .iter()
        .filter(|(m, p, _)| !listed.iter().any(|(lm, lp)| lm == m && lp == p))
        .collect();
    assert!(
        stale.is_empty(),
        "expectations of routes that no longer exist: {stale:?}"
    );
    assert!(
        wrong.is_empty(),
        "{} unexpected answers: {wrong:#?}",
        wrong.len()
    );
}

/// Every POST route as the visitor who may use it: without a token, with another session's
/// token, and from another site with the right token. None is accepted and nothing changes.
#[tokio::test]
async fn no_post_route_accepts_a_forgery() {
    let app = spawn_app().await;
    let (listed, application) = submitted_product(&app).await;
    let operator = app.operator().await;
    let draft = start(&app, "saas").await;
    app.upload_with(
        &app.client,
        draft,
        "logo",
        "logo.png",
        crate::uploads::png(120, 120),
    )
    .await;
    let owner_company = app.count(&format!(
        "SELECT company_id AS n FROM products WHERE id = {draft}"
    ));
    let ids = Ids {
        listed_product: listed,
        listed_upload: app.count(&format!(
            "SELECT MIN(id) AS n FROM uploads WHERE product_id = {listed}"
        )),
        draft,
        draft_upload: app.count(&format!(
            "SELECT MIN(id) AS n FROM uploads WHERE product_id = {draft}"
        )),
        application,
        message: 0,
        outbox: 0,
        group: app.count(&format!(
            "SELECT MIN(id) AS n FROM service_groups WHERE company_id = {owner_company}"
        )),
        bill: owner_bill(&app, owner_company),
    };
    let (other, _) = app.other_seller().await;
    let others_token = token(&app, &other).await;
    let anonymous = client();
    let before = fingerprint(&app);
    for (method, pattern) in seller_console::routes::table() {
        if method.as_str() != "POST" {
            continue;
        }
        let path = ids.path(pattern);
        let who = if pattern.starts_with("/ops") {
            &operator
        } else if matches!(pattern, "/login" | "/signup" | "/signup/confirm") {
            &anonymous
        } else {
            &app.client
        };
        let own = token(&app, who).await;
        for (case, fields, origin) in [
            ("without a token", vec![("op", "save")], None),
            (
                "with another session's token",
                vec![("csrf_token", others_token.as_str()), ("op", "save")],
                None,
            ),
            (
                "from another site",
                vec![("csrf_token", own.as_str()), ("op", "save")],
                Some("https://evil.example"),
            ),
        ] {
            let mut r = who
                .post(app.url(&path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_html_form::to_string(&fields).unwrap());
            if let Some(o) = origin {
                r = r.header("origin", o);
            }
            let page = Page::from(r.send().await.unwrap()).await;
            let status = page.status.as_u16();
            assert!(
                status == 403
                    || (status == 400
                        && (pattern.ends_with("/uploads")
                            || pattern.ends_with("/remove")
                            || pattern.ends_with("/invoice")))
                    // The provider's webhook takes no session token: its signature is checked.
                    || (status == 401 && pattern.starts_with("/payments/")),
                "POST {path} {case}: {status}"
            );
        }
    }
    assert_eq!(fingerprint(&app), before, "a forged post changed something");
}

/// A bill of the owner's company (the bill job itself is tested in settlement.rs).
fn owner_bill(app: &TestApp, company: i64) -> i64 {
    app.execute(&format!(
        "INSERT INTO bills (company_id, period, state, line_count, created_at, updated_at) \
         VALUES ({company}, '2026-01', 'generated', 0, '2026-02-07 00:00:00', '2026-02-07 00:00:00')"
    ));
    app.count("SELECT MAX(id) AS n FROM bills")
}

/// Counts of what the POST routes could change.
fn fingerprint(app: &TestApp) -> Vec<i64> {
    [
        "SELECT COUNT(*) AS n FROM products",
        "SELECT COUNT(*) AS n FROM uploads",
        "SELECT COUNT(*) AS n FROM applications",
        "SELECT COUNT(*) AS n FROM application_events",
        "SELECT COUNT(*) AS n FROM service_groups",
        "SELECT COUNT(*) AS n FROM users",
        "SELECT COUNT(*) AS n FROM pending_signups",
        "SELECT COUNT(*) AS n FROM messages WHERE read_at IS NOT NULL",
        "SELECT COUNT(*) AS n FROM products WHERE name = 'Cloud Backup Suite'",
        "SELECT COUNT(*) AS n FROM bills WHERE state = 'generated'",
        "SELECT COUNT(*) AS n FROM bill_runs",
    ]
    .iter()
    .map(|q| app.count(q))
    .collect()
}
