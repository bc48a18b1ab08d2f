use crate::helpers::spawn_app;

#[tokio::test]
async fn console_shell_has_the_navigation_and_the_user() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let page = app.get("/console").await;
    assert_eq!(page.status, 200);
    for entry in [
        "Product Management",
        "My Products",
        "Drafts",
        "My Applications",
        "Registration",
        "Services and Support",
        "Messages",
        "Sign out",
    ] {
        page.assert_has(entry);
    }
    page.assert_has(&email);
}

#[tokio::test]
async fn operators_get_their_own_shell_and_cannot_act_as_sellers() {
    let app = spawn_app().await;
    let ops = app.operator().await;
    let page = app.get_with(&ops, "/ops/applications").await;
    assert_eq!(page.status, 200);
    page.assert_has("Review queue");
    page.assert_has("Notification delivery");
    assert_eq!(app.get_with(&ops, "/ops/outbox").await.status, 200);
    for path in [
        "/console",
        "/console/seller/registration",
        "/console/seller/support",
    ] {
        assert_eq!(app.get_with(&ops, path).await.status, 403, "{path}");
    }
    let page = app
        .post_with(
            &ops,
            "/console/seller/support/groups",
            &[("name", "Ops group")],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[tokio::test]
async fn sellers_cannot_open_operations_pages() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    for path in ["/ops", "/ops/applications", "/ops/outbox"] {
        assert_eq!(app.get(path).await.status, 403, "{path}");
    }
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    let css = app
        .client
        .get(app.url("/static/css/app.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
}
