use crate::helpers::{client, spawn_app, unique, PASSWORD};

#[tokio::test]
async fn signing_up_lands_on_the_dashboard_signed_in() {
    let app = spawn_app().await;
    let email = format!("{}@new.example", unique("u"));
    let page = app.signup_with(&app.client, &email).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/console"));
    let page = app.get("/console").await;
    assert_eq!(page.status, 200);
    page.assert_has("Register your company");
    page.assert_has(&email);
}

#[tokio::test]
async fn a_short_password_at_sign_up_is_refused_and_the_email_kept() {
    let app = spawn_app().await;
    let page = app
        .post(
            "/signup",
            &[
                ("email", "keep.me@new.example"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Use at least 8 characters.");
    assert_eq!(
        page.input_value("email").as_deref(),
        Some("keep.me@new.example")
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users"), 0);
}

#[tokio::test]
async fn a_bad_email_or_mismatched_passwords_are_refused_next_to_the_field() {
    let app = spawn_app().await;
    let page = app
        .post(
            "/signup",
            &[
                ("email", "not-an-email"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Enter a valid email address.");
    let page = app
        .post(
            "/signup",
            &[
                ("email", "a@b.example"),
                ("password", PASSWORD),
                ("password_confirm", "different1"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("The two passwords are not the same.");
}

#[tokio::test]
async fn an_email_can_sign_up_only_once_and_the_answer_does_not_say_so() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let other = client();
    // A new address and one with an account get the same answer...
    let fresh = app
        .post_with(
            &other,
            "/signup",
            &[
                ("email", "someone-new@new.example"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    let taken = app.signup_with(&other, &email.to_uppercase()).await;
    assert_eq!(taken.status, fresh.status);
    assert_eq!(taken.location, fresh.location);
    assert_eq!(taken.location.as_deref(), Some("/signup/sent"));
    let sent = app.get_with(&other, "/signup/sent").await;
    sent.assert_has("Check your inbox");
    // ...and only the mailbox learns which: a link to sign in, no second account.
    let (subject, text) = app.last_mail_to(&email).unwrap();
    assert_eq!(subject, "You already have a Seller Console account");
    assert!(text.contains("/login"), "{text}");
    assert!(app.signup_token(&email).is_none());
    let (subject, _) = app.last_mail_to("someone-new@new.example").unwrap();
    assert_eq!(subject, "Confirm your Seller Console account");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM users WHERE email = '{}'",
            email.to_lowercase()
        )),
        1
    );
}

#[tokio::test]
async fn a_confirmation_link_works_once() {
    let app = spawn_app().await;
    let email = format!("{}@new.example", unique("u"));
    let page = app.signup_with(&app.client, &email).await;
    assert_eq!(page.location.as_deref(), Some("/console"));
    // The link was used up: it no longer makes an account.
    let fresh = client();
    let page = app
        .get_with(&fresh, "/signup/confirm?token=not-a-real-token")
        .await;
    assert_eq!(page.status, 404);
    page.assert_has("This link does not work");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM pending_signups"), 0);
}

#[tokio::test]
async fn a_wrong_password_shows_a_message_and_keeps_the_email() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let c = client();
    let page = app.login_with(&c, &email, "wrong-password").await;
    assert_eq!(page.status, 401);
    page.assert_has("The email or password is not right.");
    assert_eq!(page.input_value("email").as_deref(), Some(email.as_str()));
    assert_eq!(app.get_with(&c, "/console").await.status, 303);
}

#[tokio::test]
async fn the_sixth_failure_within_fifteen_minutes_is_refused_for_a_while() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let c = client();
    for _ in 0..5 {
        assert_eq!(
            app.login_with(&c, &email, "wrong-password").await.status,
            401
        );
    }
    // Even the right password is refused while the account is throttled.
    let page = app.login_with(&c, &email, PASSWORD).await;
    assert_eq!(page.status, 429);
    page.assert_has("Too many failed sign-in attempts");
    page.assert_has("minutes");
    // Another account is not affected.
    let (_, other) = app.other_seller().await;
    assert_eq!(
        app.login_with(&client(), &other, PASSWORD).await.status,
        303
    );
}

#[tokio::test]
async fn an_anonymous_visitor_is_sent_to_login_and_comes_back() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let c = client();
    let page = app.get_with(&c, "/console/seller/support").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.location.as_deref(),
        Some("/login?next=%2Fconsole%2Fseller%2Fsupport")
    );
    let page = app
        .get_with(&c, "/login?next=%2Fconsole%2Fseller%2Fsupport")
        .await;
    page.assert_has(r#"name="next" value="/console/seller/support""#);
    let page = app
        .post_with(
            &c,
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "/console/seller/support"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/console/seller/support"));
    assert_eq!(
        app.get_with(&c, "/console/seller/support").await.status,
        200
    );
}

#[tokio::test]
async fn next_never_leads_off_the_site() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let c = client();
    let page = app
        .post_with(
            &c,
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/console"));
}

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sc_session="))
        .map(str::to_string)
}

#[tokio::test]
async fn the_session_id_is_renewed_at_sign_in_and_the_cookie_is_locked_down() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    // The sign-in form writes no session: its CSRF token is bound to a visitor cookie.
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c.get(app.url("/login")).send().await.unwrap();
    assert!(session_cookie(&r).is_none());
    let visitor = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sc_visitor="))
        .map(str::to_string)
        .expect("visitor cookie");
    assert!(visitor.contains("HttpOnly"));
    assert!(visitor.contains("SameSite=Lax"));
    let cookie_pair = visitor.split(';').next().unwrap().to_string();
    let token = crate::helpers::csrf_in(&r.text().await.unwrap()).unwrap();
    let body = serde_html_form::to_string([
        ("csrf_token", token.as_str()),
        ("email", &email),
        ("password", PASSWORD),
    ])
    .unwrap();
    let r = c
        .post(app.url("/login"))
        .header("cookie", &cookie_pair)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let after = session_cookie(&r).expect("new session cookie");
    assert!(after.contains("HttpOnly"));
    assert!(after.contains("SameSite=Lax"));
    assert_ne!(after.split(';').next().unwrap(), cookie_pair);
    // The pre-sign-in id is not signed in.
    let r = c
        .get(app.url("/console"))
        .header("cookie", &cookie_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn a_cookie_from_before_sign_out_no_longer_works() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    assert_eq!(app.get("/console").await.status, 200);
    // A copy of the signed-in cookie, as someone who stole it would keep.
    let stolen = app.cookie_header();
    assert!(stolen.contains("sc_session="));
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = thief
        .get(app.url("/console"))
        .header("cookie", &stolen)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the copy works while the session lives");

    let page = app.post("/logout", &[]).await;
    assert_eq!(page.status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM sessions WHERE user_id IS NOT NULL"),
        0
    );
    let r = thief
        .get(app.url("/console"))
        .header("cookie", &stolen)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let laptop = client();
    assert_eq!(app.login_with(&laptop, &email, PASSWORD).await.status, 303);
    assert_eq!(app.get_with(&laptop, "/console").await.status, 200);

    let new_password = "an0ther-passw0rd";
    let page = app
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new_password),
                ("new_password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    // This browser carries on; the other is signed out.
    let page = app.get("/console").await;
    assert_eq!(page.status, 200);
    page.assert_has("Password changed");
    assert_eq!(app.get_with(&laptop, "/console").await.status, 303);
    // Old password no longer works, the new one does.
    assert_eq!(
        app.login_with(&client(), &email, PASSWORD).await.status,
        401
    );
    assert_eq!(
        app.login_with(&client(), &email, new_password).await.status,
        303
    );
}

#[tokio::test]
async fn a_wrong_current_password_does_not_change_it() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    let page = app
        .post(
            "/account/password",
            &[
                ("current_password", "nope-nope"),
                ("new_password", "whatever-123"),
                ("new_password_confirm", "whatever-123"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("The current password is not right.");
    assert_eq!(
        app.login_with(&client(), &email, PASSWORD).await.status,
        303
    );
}

#[tokio::test]
async fn a_post_without_a_valid_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let group = [
        ("name", "Desk"),
        ("phone", "+65 6123 4567"),
        ("email", "d@x.example"),
        ("service_days", "Mon"),
        ("hours_start", "09:00"),
        ("hours_end", "18:00"),
    ];
    let page = app
        .post_raw_with(&app.client, "/console/seller/support/groups", &group)
        .await;
    assert_eq!(page.status, 403);
    page.assert_has("Reload the page");
    let mut forged = vec![("csrf_token", "forged-token")];
    forged.extend_from_slice(&group);
    let page = app
        .post_raw_with(&app.client, "/console/seller/support/groups", &forged)
        .await;
    assert_eq!(page.status, 403);
    let page = app.post_raw_with(&app.client, "/logout", &[]).await;
    assert_eq!(page.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM service_groups"), 0);
    assert_eq!(app.get("/console").await.status, 200, "still signed in");
}

#[tokio::test]
async fn a_token_from_another_session_is_refused() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let (other, _) = app.other_seller().await;
    let other_token = app.token_with(&other).await;
    let page = app
        .post_raw_with(
            &app.client,
            "/console/seller/support/contact",
            &[("csrf_token", &other_token), ("contact_name", "X Y")],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[tokio::test]
async fn opening_logout_asks_before_signing_out() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let page = app.get("/logout").await;
    assert_eq!(page.status, 200);
    page.assert_has("Sign out of Seller Console on this browser?");
    assert_eq!(
        app.get("/console").await.status,
        200,
        "a GET signs nobody out"
    );
    assert_eq!(app.post("/logout", &[]).await.status, 303);
    let page = app.get("/logout").await;
    assert_eq!(page.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn an_anonymous_visit_to_the_home_page_leaves_no_session_behind() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    page.assert_has("Sign in");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions"), 0);
    assert!(app.cookie_header().is_empty());
}

#[tokio::test]
async fn reading_pages_does_not_rewrite_the_session() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    app.get("/console").await; // shows (and so clears) the welcome message
    let stamp = || app.count("SELECT COUNT(*) AS n FROM sessions WHERE user_id IS NOT NULL");
    assert_eq!(stamp(), 1);
    let expiry = || {
        #[derive(diesel::QueryableByName)]
        struct E {
            #[diesel(sql_type = diesel::sql_types::Timestamp)]
            expires_at: time::PrimitiveDateTime,
        }
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().unwrap();
        diesel::sql_query("SELECT expires_at FROM sessions WHERE user_id IS NOT NULL")
            .get_result::<E>(&mut conn)
            .unwrap()
            .expires_at
    };
    let before = expiry();
    for path in [
        "/console",
        "/console/seller/support",
        "/console/seller/registration",
        "/",
    ] {
        assert_eq!(app.get(path).await.status, 200, "{path}");
    }
    assert_eq!(expiry(), before, "a page view must not write the session");
}

#[tokio::test]
async fn the_user_read_with_the_session_is_never_stored_in_it() {
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    // Views (read with the session) and a post that changes the session (a flash message).
    app.get("/console").await;
    app.get("/console/products").await;
    let page = app
        .post("/console/products/new", &[("delivery_method", "saas")])
        .await;
    assert_eq!(page.status, 303);
    app.get("/console/products").await;
    let stored = app.count(
        "SELECT COUNT(*) AS n FROM sessions WHERE user_id IS NOT NULL \
         AND state NOT LIKE '%__signed_in%'",
    );
    assert_eq!(stored, 1, "the session is stored without the reserved key");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM sessions WHERE state LIKE '%__signed_in%'"),
        0
    );
    // The header still counts unread messages, read with the session.
    app.execute(&format!(
        "INSERT INTO messages (company_id, title, body, created_at) SELECT company_id, \
         'Hello', 'Hi', '2026-01-01 00:00:00' FROM users WHERE email = '{email}'"
    ));
    let page = app.get("/console").await;
    page.assert_has(r#"<span class="badge" aria-label="1 unread">1</span>"#);
}

/// Another instance (here: SQL run behind the app's back, without waiting for the app to hear
/// of it) changes a user and ends their session: this instance, which may hold the session in
/// memory on PostgreSQL, shows the change within moments: cached rows do not age out on a
/// clock, so only the notification can have turned them away.
#[tokio::test]
async fn what_another_instance_changes_in_a_session_shows_here_within_moments() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let email = app.signed_in_seller().await;
    for _ in 0..3 {
        let page = app.get("/console").await;
        assert_eq!(page.status, 200);
        page.assert_has(r#"<html lang="en">"#);
    }
    let elsewhere = |sql: String| {
        let mut conn = app.pool.get().unwrap();
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    };
    let within = std::time::Duration::from_millis(500);

    elsewhere(format!(
        "UPDATE users SET language = 'zh-CN' WHERE email = '{email}'"
    ));
    let started = std::time::Instant::now();
    loop {
        let page = app.get("/console").await;
        if page.has(r#"<html lang="zh-CN">"#) {
            break;
        }
        assert!(started.elapsed() < within, "still English after {within:?}");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }

    elsewhere("DELETE FROM sessions".to_string());
    let started = std::time::Instant::now();
    loop {
        let page = app.get("/console").await;
        if page.status == 303 {
            assert!(page.location.unwrap_or_default().starts_with("/login"));
            break;
        }
        assert!(
            started.elapsed() < within,
            "still signed in after {within:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}
