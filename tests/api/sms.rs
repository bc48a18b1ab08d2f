//! SMS (issue 12): with SMS_GATEWAY_URL set, review results and order events also reach the
//! business contact's phone as a signed JSON POST, through the outbox with its retries and
//! delivery states. The gateway here is a real HTTP server inside the test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use seller_console::config::SmsConfig;
use seller_console::domain::statuses::Role;
use seller_console::outbox::sms::{verify, SmsRequest};

use crate::helpers::{client, spawn_app_with, unique, TestOptions, PASSWORD};

const SECRET: &str = "gateway-secret-for-tests";

#[derive(Default)]
struct Gateway {
    /// What arrived, and whether its signature was right.
    received: Mutex<Vec<(SmsRequest, bool)>>,
    /// The statuses to answer with, in turn; 200 once they run out.
    script: Mutex<Vec<u16>>,
}

async fn receive(req: HttpRequest, body: web::Bytes, g: web::Data<Gateway>) -> HttpResponse {
    let signed = req
        .headers()
        .get("x-signature")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| verify(SECRET, &body, s));
    if let Ok(r) = serde_json::from_slice::<SmsRequest>(&body) {
        g.received.lock().unwrap().push((r, signed));
    }
    let status = {
        let mut script = g.script.lock().unwrap();
        if script.is_empty() {
            200
        } else {
            script.remove(0)
        }
    };
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

/// A gateway on a free port, answering `script` in turn.
fn gateway(script: Vec<u16>) -> (String, Arc<Gateway>) {
    let g = web::Data::new(Gateway {
        script: Mutex::new(script),
        ..Default::default()
    });
    let inner = g.clone().into_inner();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/sms",
        listener.local_addr().unwrap().port()
    );
    let server = HttpServer::new(move || {
        App::new()
            .app_data(g.clone())
            .route("/sms", web::post().to(receive))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (url, inner)
}

async fn until<F: Fn() -> bool>(what: &str, f: F) {
    let start = std::time::Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn review_results_and_order_events_reach_the_business_contact_by_sms() {
    let (url, g) = gateway(vec![503]);
    let app = spawn_app_with(TestOptions {
        worker: true,
        sms: Some(SmsConfig {
            url,
            secret: SECRET.into(),
        }),
        ..Default::default()
    })
    .await;
    let (product, application) = crate::review::submitted_product(&app).await;
    crate::catalog::set_presales(&app, product);
    app.execute(
        "UPDATE companies SET contact_phone = '+86 138 0000 0000' \
         WHERE id = (SELECT company_id FROM products ORDER BY id DESC LIMIT 1)",
    );
    let ops = app.operator().await;
    let decided = crate::review::decide(&app, &ops, application, "approve", "", &[]).await;
    assert_eq!(decided.status, 303);
    // The first answer is a 503: the outbox tries again and the second gets through.
    until("the review result", || {
        g.received
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _)| r.text.contains("approved"))
            .count()
            >= 2
    })
    .await;
    let email = format!("{}@buyer.example", unique("b"));
    app.create_user(&email, Role::Buyer);
    let b = client();
    app.login_with(&b, &email, PASSWORD).await;
    let order = crate::settlement::paid_order(&app, &b, product).await;
    until("the order's SMS", || {
        g.received
            .lock()
            .unwrap()
            .iter()
            .any(|(r, _)| r.text.contains(&format!("Order #{order} paid")))
    })
    .await;
    let received = g.received.lock().unwrap().clone();
    for (r, signed) in &received {
        assert!(signed, "signed: {r:?}");
        assert_eq!(r.to, "+86 138 0000 0000");
        assert!(r.id.starts_with("outbox-"));
    }
    let review: Vec<_> = received
        .iter()
        .filter(|(r, _)| r.text.contains("approved"))
        .collect();
    assert_eq!(
        review[0].0.id, review[1].0.id,
        "a retry carries the same id"
    );
    assert!(review[0]
        .0
        .text
        .contains(&format!("/console/applications/{application}")));
    until("every SMS sent", || {
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms' AND status <> 'sent'")
            == 0
    })
    .await;
    assert_eq!(
        app.count("SELECT CAST(MAX(attempts) AS BIGINT) AS n FROM outbox WHERE channel = 'sms'"),
        2
    );
    // The operators see them with the mail, marked as SMS.
    let page = app.get_with(&ops, "/ops/outbox").await;
    page.assert_has("SMS");
    page.assert_has("+86 138 0000 0000");
}

#[tokio::test]
async fn a_refused_sms_fails_for_good_and_without_a_gateway_no_sms_is_queued() {
    let (url, g) = gateway(vec![400]);
    let app = spawn_app_with(TestOptions {
        worker: true,
        sms: Some(SmsConfig {
            url,
            secret: SECRET.into(),
        }),
        ..Default::default()
    })
    .await;
    let (product, application) = crate::review::submitted_product(&app).await;
    crate::catalog::set_presales(&app, product);
    app.execute("UPDATE companies SET contact_phone = '+65 6000 2222'");
    let ops = app.operator().await;
    crate::review::decide(&app, &ops, application, "approve", "", &[]).await;
    until("the failed SMS", || {
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms' AND status = 'failed'")
            == 1
    })
    .await;
    assert_eq!(g.received.lock().unwrap().len(), 1, "a 400 is not retried");
    assert_eq!(
        app.count("SELECT CAST(attempts AS BIGINT) AS n FROM outbox WHERE channel = 'sms'"),
        1
    );

    // No gateway configured: mail only.
    let plain = spawn_app_with(TestOptions::default()).await;
    let (product, application) = crate::review::submitted_product(&plain).await;
    crate::catalog::set_presales(&plain, product);
    plain.execute("UPDATE companies SET contact_phone = '+65 6000 3333'");
    let ops = plain.operator().await;
    crate::review::decide(&plain, &ops, application, "approve", "", &[]).await;
    assert_eq!(
        plain.count("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'"),
        0
    );
    assert!(plain.count("SELECT COUNT(*) AS n FROM outbox") > 0);
}
