//! Decision emails: written to the outbox with the decision, delivered by the worker over SMTP
//! (or as .eml files), retried through an outage, visible and retryable at /ops/outbox.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use mail_parser::MimeHeaders;

use seller_console::applications::{self as review, Decision, NotifySettings};
use seller_console::db::schema::{applications, outbox as outbox_table};
use seller_console::domain::statuses::Role;
use seller_console::email::transport::outbox_id_of;
use seller_console::outbox::{self, NewMail, OutboxMessage};

use crate::helpers::{spawn_app_with, unique, MailApp, TestOptions};
use crate::review::{decide, email_of, submitted_product};
use crate::smtp::SmtpServer;

fn row(app: &MailApp, id: i64) -> OutboxMessage {
    let mut conn = app.pool.get().unwrap();
    outbox::find(&mut conn, id).unwrap()
}

fn outbox_id_for(app: &MailApp, application: i64) -> i64 {
    app.count(&format!(
        "SELECT id AS n FROM outbox WHERE application_id = {application}"
    ))
}

/// Polls `check` until it holds or `timeout` passes; returns whether it held.
async fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    check()
}

/// A submitted release decided by an operator; returns (application id, seller's email,
/// the operator's client).
async fn decided(app: &MailApp, outcome: &str, reason: &str) -> (i64, String, reqwest::Client) {
    let (_, id) = submitted_product(app).await;
    let seller = email_of(
        app,
        app.count(&format!(
            "SELECT submitted_by AS n FROM applications WHERE id = {id}"
        )),
    );
    let ops = app.operator().await;
    let page = decide(app, &ops, id, outcome, reason, &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    (id, seller, ops)
}

#[tokio::test]
async fn a_decision_mail_arrives_once_with_both_parts_the_reason_and_an_absolute_link() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: true,
        // No polling to speak of: the review handler's wake-up must bring the worker.
        poll_ms: 600_000,
        ..TestOptions::default()
    })
    .await;
    let (id, seller, ops) = decided(&app, "reject", "The logo is blurry.").await;

    let got = smtp.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "the decision's mail arrives");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.count(), 1, "and only once");

    let mail = &got[0];
    assert_eq!(mail.rcpt_to, vec![seller.clone()]);
    assert_eq!(mail.mail_from, "no-reply@seller-console.local");
    let parsed = mail.parsed();
    let to = parsed
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some(seller.as_str()));
    let from = parsed
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(from, Some("no-reply@seller-console.local"));
    let subject = parsed.subject().unwrap_or_default().to_string();
    assert!(subject.contains(&format!("#{id}")), "{subject}");
    assert!(subject.contains("rejected"), "{subject}");
    assert_eq!(
        parsed
            .content_type()
            .map(|c| c.subtype().unwrap_or_default()),
        Some("alternative")
    );
    let text = parsed.body_text(0).expect("a text part").to_string();
    let html = parsed.body_html(0).expect("an html part").to_string();
    let link = format!("{}/console/applications/{id}", app.address);
    for (part, body) in [("text", &text), ("html", &html)] {
        assert!(body.contains("rejected"), "{part}: {body}");
        assert!(body.contains("The logo is blurry."), "{part}: {body}");
        assert!(body.contains(&link), "{part} has {link}: {body}");
    }
    assert!(parsed.text_bodies().count() == 1 && parsed.html_bodies().count() == 1);

    let outbox_id = outbox_id_for(&app, id);
    assert_eq!(outbox_id_of(&mail.message_id()), Some(outbox_id));
    let stored = row(&app, outbox_id);
    assert_eq!(stored.status.as_str(), "sent");
    assert_eq!(stored.attempts, 1);
    assert!(stored.sent_at.is_some());

    // Operations see it, with both bodies; the HTML only inside a sandbox.
    let list = app.get_with(&ops, "/ops/outbox").await;
    assert_eq!(list.status, 200);
    list.assert_has(&seller);
    list.assert_has(&subject);
    list.assert_has(&format!("/ops/applications/{id}"));
    let detail = app
        .get_with(&ops, &format!("/ops/outbox/{outbox_id}"))
        .await;
    detail.assert_has("The logo is blurry.");
    detail.assert_has(&format!("src=\"/ops/outbox/{outbox_id}/html\""));
    let html_page = ops
        .get(app.url(&format!("/ops/outbox/{outbox_id}/html")))
        .send()
        .await
        .unwrap();
    let csp = html_page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.starts_with("sandbox"), "{csp}");
    assert!(html_page.text().await.unwrap().contains(&link));
}

#[tokio::test]
async fn an_smtp_outage_loses_nothing_and_the_mail_arrives_once_after_it() {
    let smtp = SmtpServer::start().await;
    smtp.stop().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: true,
        backoff_ms: 200,
        max_attempts: 30,
        ..TestOptions::default()
    })
    .await;
    // The decision itself does not depend on the mail server.
    let (id, seller, ops) = decided(&app, "approve", "").await;
    let outbox_id = outbox_id_for(&app, id);
    assert!(
        eventually(Duration::from_secs(10), || row(&app, outbox_id).attempts
            >= 2)
        .await,
        "the worker keeps trying"
    );
    let waiting = row(&app, outbox_id);
    assert!(
        waiting.status.as_str() == "queued" || waiting.status.as_str() == "sending",
        "{}",
        waiting.status.as_str()
    );
    assert!(waiting.last_error.is_some());
    let page = app.get_with(&ops, "/ops/outbox?status=queued").await;
    page.assert_has(&seller);
    page.assert_has("SMTP");

    smtp.restart().await;
    let got = smtp.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got.len(), 1, "delivered after the outage");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(smtp.count(), 1, "exactly once");
    assert_eq!(
        outbox_id_of(&got[0].message_id()),
        Some(outbox_id),
        "the message of this decision"
    );
    let sent = row(&app, outbox_id);
    assert_eq!(sent.status.as_str(), "sent");
    assert!(sent.attempts >= 3);
}

#[tokio::test]
async fn after_the_last_attempt_a_mail_is_failed_and_retry_sends_it() {
    let smtp = SmtpServer::start().await;
    smtp.stop().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: true,
        backoff_ms: 50,
        max_attempts: 2,
        ..TestOptions::default()
    })
    .await;
    let (id, seller, ops) = decided(&app, "approve", "").await;
    let outbox_id = outbox_id_for(&app, id);
    assert!(
        eventually(Duration::from_secs(10), || row(&app, outbox_id)
            .status
            .as_str()
            == "failed")
        .await,
        "failed after two attempts"
    );
    assert_eq!(row(&app, outbox_id).attempts, 2);
    let page = app.get_with(&ops, "/ops/outbox?status=failed").await;
    page.assert_has(&seller);
    page.assert_has("Failed");
    page.assert_has("2 of 2");
    let detail = app
        .get_with(&ops, &format!("/ops/outbox/{outbox_id}"))
        .await;
    detail.assert_has(&format!("action=\"/ops/outbox/{outbox_id}/retry\""));

    smtp.restart().await;
    let retry = format!("/ops/outbox/{outbox_id}/retry");
    let refused = app.post_raw_with(&ops, &retry, &[]).await;
    assert_eq!(refused.status, 403, "no CSRF token, no retry");
    assert_eq!(row(&app, outbox_id).status.as_str(), "failed");

    let page = app.post_with(&ops, &retry, &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let got = smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1);
    assert!(
        eventually(Duration::from_secs(5), || row(&app, outbox_id)
            .status
            .as_str()
            == "sent")
        .await
    );
    assert_eq!(row(&app, outbox_id).attempts, 1, "a fresh set of attempts");

    // Only a failed message goes again.
    let again = app.post_with(&ops, &retry, &[]).await;
    assert_eq!(again.status, 409);
    again.assert_has("only a failed message can be retried");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.count(), 1);
}

#[tokio::test]
async fn without_an_smtp_url_the_mail_is_written_to_the_mail_dir() {
    let app = spawn_app_with(TestOptions {
        worker: true,
        ..TestOptions::default()
    })
    .await;
    let (id, seller, _) = decided(&app, "approve", "Welcome aboard").await;
    let dir = app.config.mail.mail_dir.clone();
    let files = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default()
    };
    // A file appears before its last byte is written: wait until the mail in it is whole.
    let whole = || {
        files().first().is_some_and(|f| {
            std::fs::read(f).is_ok_and(|raw| {
                mail_parser::MessageParser::default()
                    .parse(&raw)
                    .is_some_and(|m| m.to().is_some())
            })
        })
    };
    assert!(eventually(Duration::from_secs(10), whole).await);
    let found = files();
    assert_eq!(found.len(), 1);
    let raw = std::fs::read(&found[0]).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let to = parsed
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some(seller.as_str()));
    assert!(parsed.subject().unwrap_or_default().contains("approved"));
    assert!(parsed
        .body_text(0)
        .unwrap()
        .contains(&format!("/console/applications/{id}")));
    let outbox_id = outbox_id_for(&app, id);
    assert!(
        eventually(Duration::from_secs(5), || row(&app, outbox_id)
            .status
            .as_str()
            == "sent")
        .await
    );
}

fn queue_one(app: &MailApp, recipient: &str, max_attempts: i32) -> i64 {
    let mut conn = app.pool.get().unwrap();
    let mail = NewMail {
        company_id: None,
        application_id: None,
        recipient: recipient.to_string(),
        subject: "Hello".to_string(),
        body_text: "Hello".to_string(),
        body_html: "<p>Hello</p>".to_string(),
    };
    outbox::enqueue(&mut conn, &mail, max_attempts).unwrap()
}

#[tokio::test]
async fn a_permanent_smtp_refusal_fails_the_mail_at_once() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: true,
        ..TestOptions::default()
    })
    .await;
    let id = queue_one(&app, "reject-me@example.com", 8);
    app.wakeup.notify_one();
    assert!(
        eventually(Duration::from_secs(10), || row(&app, id).status.as_str()
            == "failed")
        .await
    );
    let failed = row(&app, id);
    assert_eq!(failed.attempts, 1, "no retries after a 5xx");
    assert!(
        failed
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("No such user"),
        "{:?}",
        failed.last_error
    );
    assert_eq!(smtp.count(), 0);
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_cannot_overwrite_the_next_claim() {
    use seller_console::email::transport::SendError;
    use seller_console::outbox::worker::{claim, record};
    let app = spawn_app_with(TestOptions::default()).await;
    let id = queue_one(&app, "buyer@example.com", 3);
    let mut conn = app.pool.get().unwrap();
    let first = claim(&mut conn, "worker-a", 10).unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        claim(&mut conn, "worker-b", 10).unwrap().is_empty(),
        "leased"
    );
    // Worker a stalls past its lease; worker b takes the row over.
    app.execute(&format!(
        "UPDATE outbox SET locked_until = '2000-01-01 00:00:00' WHERE id = {id}"
    ));
    let second = claim(&mut conn, "worker-b", 10).unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].claimed_by.as_deref(), Some("worker-b"));
    let failure = Err(SendError {
        permanent: true,
        message: "late".into(),
    });
    assert!(!record(&mut conn, "worker-a", &first[0], &failure, 100).unwrap());
    assert_eq!(
        row(&app, id).status.as_str(),
        "sending",
        "a's late failure changes nothing"
    );
    assert!(record(&mut conn, "worker-b", &second[0], &Ok(()), 100).unwrap());
    let sent = row(&app, id);
    assert_eq!(sent.status.as_str(), "sent");
    assert_eq!(sent.last_error, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_deliver_each_of_200_queued_mails_exactly_once() {
    // Meant for PostgreSQL's SKIP LOCKED; SQLite's single writer gives the same guarantee, so
    // it runs on both.
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: false,
        pool_size: 8,
        ..TestOptions::default()
    })
    .await;
    {
        let mut conn = app.pool.get().unwrap();
        for i in 0..200 {
            let mail = NewMail {
                company_id: None,
                application_id: None,
                recipient: format!("buyer{i}@example.com"),
                subject: format!("Mail {i}"),
                body_text: format!("Text {i}"),
                body_html: format!("<p>Html {i}</p>"),
            };
            outbox::enqueue(&mut conn, &mail, 5).unwrap();
        }
    }
    let first = app.spawn_worker();
    let second = app.spawn_worker();
    assert_ne!(first, second);
    app.wakeup.notify_waiters();

    let got = smtp.wait_for(200, Duration::from_secs(60)).await;
    assert_eq!(got.len(), 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = smtp.messages();
    assert_eq!(all.len(), 200, "nothing sent twice");
    let ids: HashSet<String> = all.iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), 200, "200 distinct Message-IDs");
    assert!(
        eventually(Duration::from_secs(5), || app
            .count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'")
            == 200)
        .await
    );
    let claimed_by = app.count("SELECT COUNT(DISTINCT claimed_by) AS n FROM outbox");
    println!("200 mails delivered by {claimed_by} worker(s)");
}

#[tokio::test]
async fn only_operators_reach_the_outbox_and_bad_input_is_a_4xx() {
    let app = spawn_app_with(TestOptions::default()).await;
    let (id, _, ops) = decided(&app, "approve", "").await;
    let outbox_id = outbox_id_for(&app, id);

    // The seller (the app's own client) is refused; a visitor is sent to sign in.
    assert_eq!(app.get("/ops/outbox").await.status, 403);
    assert_eq!(
        app.get(&format!("/ops/outbox/{outbox_id}")).await.status,
        403
    );
    assert_eq!(
        app.get(&format!("/ops/outbox/{outbox_id}/html"))
            .await
            .status,
        403
    );
    let retry = format!("/ops/outbox/{outbox_id}/retry");
    assert_eq!(app.post(&retry, &[]).await.status, 403);
    let anonymous = crate::helpers::client();
    let page = app.get_with(&anonymous, "/ops/outbox").await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap_or_default().starts_with("/login"));

    assert_eq!(app.post_raw_with(&ops, &retry, &[]).await.status, 403);
    assert_eq!(app.get_with(&ops, "/ops/outbox/abc").await.status, 404);
    assert_eq!(app.get_with(&ops, "/ops/outbox/99999999").await.status, 404);
    assert_eq!(
        app.get_with(&ops, "/ops/outbox/99999999999999999999999")
            .await
            .status,
        404
    );
    assert_eq!(
        app.post_with(&ops, "/ops/outbox/abc/retry", &[])
            .await
            .status,
        404
    );
    assert_eq!(
        app.post_with(&ops, "/ops/outbox/99999999/retry", &[])
            .await
            .status,
        404
    );
    for q in [
        "?page=-1",
        "?page=abc",
        "?status=nonsense",
        "?page=99999999999",
    ] {
        let page = app.get_with(&ops, &format!("/ops/outbox{q}")).await;
        assert_eq!(page.status, 200, "{q}");
    }
    // Queued, not failed: a retry would send it twice.
    let page = app.post_with(&ops, &retry, &[]).await;
    assert_eq!(page.status, 409);
    page.assert_has("only a failed message can be retried");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// The latency benchmark (SPEC §9: an approval's email reaches the SMTP server within 1 s):
/// MAIL_BENCH_N approvals at MAIL_BENCH_RATE per second (default 50; 0 = all at once), each
/// measured from the decision's commit to the receiver having the message, every one arriving
/// exactly once. The suite runs 40 of them; `bash bench/mail.sh` asks for 1000 in a release
/// build and prints the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_latency() {
    let n: usize = std::env::var("MAIL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let rate: f64 = std::env::var("MAIL_BENCH_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50.0);
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(TestOptions {
        smtp_url: Some(smtp.url()),
        worker: true,
        poll_ms: 1000,
        pool_size: 8,
        ..TestOptions::default()
    })
    .await;
    let seller = app.signed_in_seller().await;
    let company = app.count(&format!(
        "SELECT company_id AS n FROM users WHERE email = '{seller}'"
    ));
    let user = app.count(&format!(
        "SELECT id AS n FROM users WHERE email = '{seller}'"
    ));
    let operator = app.create_user(&format!("{}@ops.example", unique("op")), Role::Operator);
    for chunk in (0..n).collect::<Vec<_>>().chunks(100) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "({company}, 'company_name_change', 'Bench Co {i}', 'pending', \
                     '{{\"legal_name\":\"Bench Co {i}\"}}', {user}, '2026-11-20 10:00:00', \
                     '2026-11-25', FALSE, '2026-11-20 10:00:00')"
                )
            })
            .collect();
        app.execute(&format!(
            "INSERT INTO applications (company_id, kind, subject, status, payload, submitted_by, \
             submitted_at, due_date, may_take_longer, updated_at) VALUES {}",
            values.join(", ")
        ));
    }
    let ids: Vec<i64> = {
        let mut conn = app.pool.get().unwrap();
        applications::table
            .filter(applications::company_id.eq(company))
            .filter(applications::status.eq("pending"))
            .order(applications::id)
            .select(applications::id)
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(ids.len(), n);

    let started = Instant::now();
    let mut committed: HashMap<i64, Instant> = HashMap::new();
    for (k, id) in ids.iter().copied().enumerate() {
        if rate > 0.0 {
            let due = started + Duration::from_secs_f64(k as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
        }
        let pool = app.pool.clone();
        let base_url = app.config.base_url.clone();
        let at = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().unwrap();
            let decision = Decision {
                approve: true,
                reason: None,
                fields: vec![],
            };
            let notify = NotifySettings {
                base_url: &base_url,
                max_attempts: 8,
                sms: false,
            };
            review::decide(&mut conn, id, operator, &decision, &notify).unwrap();
            Instant::now()
        })
        .await
        .unwrap();
        // What the review handler does after the commit.
        app.wakeup.notify_one();
        committed.insert(id, at);
    }
    let got = smtp.wait_for(n, Duration::from_secs(120)).await;
    let elapsed = started.elapsed();
    assert_eq!(got.len(), n, "every approval's mail arrives");

    let application_of: HashMap<i64, i64> = {
        let mut conn = app.pool.get().unwrap();
        outbox_table::table
            .select((outbox_table::id, outbox_table::application_id))
            .load::<(i64, Option<i64>)>(&mut conn)
            .unwrap()
            .into_iter()
            .filter_map(|(o, a)| a.map(|a| (o, a)))
            .collect()
    };
    let mut seen = HashSet::new();
    let mut latencies: Vec<Duration> = got
        .iter()
        .map(|m| {
            let outbox_id = outbox_id_of(&m.message_id()).expect("our Message-ID");
            assert!(seen.insert(outbox_id), "outbox #{outbox_id} arrived twice");
            let app_id = application_of[&outbox_id];
            m.at.saturating_duration_since(committed[&app_id])
        })
        .collect();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "mail_latency: backend={} approvals={n} rate={} elapsed={:.1}s \
         p50={:.1}ms p99={:.1}ms max={:.1}ms",
        if app.config.database_url.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        },
        if rate > 0.0 {
            format!("{rate}/s")
        } else {
            "unpaced".to_string()
        },
        elapsed.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap()),
    );
}
