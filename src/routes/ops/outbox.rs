//! /ops/outbox: each email's delivery state, its bodies, and sending a failed one again.

use crate::routes::map::RouteSink;
use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::{CsrfForm, NoFields};
use crate::auth::Operator;
use crate::db;
use crate::error::AppResult;
use crate::i18n::{tr, Msg};
use crate::outbox::{self, OutboxStatus, PAGE_SIZE};
use crate::startup::AppState;
use crate::views::outbox::{OutboxMessagePage, OutboxPage, OutboxRow};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, path_id, render, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/ops/outbox", list)
        .get("/ops/outbox/{id}", detail)
        .get("/ops/outbox/{id}/html", html)
        .post("/ops/outbox/{id}/retry", retry);
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    pub page: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    Operator(user): Operator,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let status = OutboxStatus::parse(&query.status);
    let page = page_number(query.page.as_deref());
    let (rows, total, counts) = state
        .read(move |c| {
            let (rows, total) = outbox::list(c, status, page)?;
            Ok((rows, total, outbox::counts(c)?))
        })
        .await?;
    let count_of = |s: &str| {
        counts
            .iter()
            .filter(|(code, _)| s.is_empty() || code == s)
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    let mut tabs = vec![(String::new(), tr("ops-outbox-tab-all"), count_of(""))];
    tabs.extend(OutboxStatus::ALL.iter().map(|s| {
        (
            s.as_str().to_string(),
            s.label().to_string(),
            count_of(s.as_str()),
        )
    }));
    render(&OutboxPage {
        ctx: PageCtx::new(&session, Some(&user), "ops_outbox"),
        rows: rows.into_iter().map(|m| OutboxRow { m }).collect(),
        total,
        page,
        pages: page_count(total, PAGE_SIZE),
        status,
        tabs,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    Operator(user): Operator,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let m = state.read(move |c| outbox::find(c, id)).await?;
    render(&OutboxMessagePage {
        ctx: PageCtx::new(&session, Some(&user), "ops_outbox"),
        row: OutboxRow { m },
    })
}

/// The HTML part as the recipient's mail client would show it, for the detail page's iframe.
/// `sandbox` gives it an opaque origin with no scripts, forms or navigation of the parent, and
/// `default-src 'none'` stops it loading anything, so a hostile body cannot act as the operator.
pub async fn html(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let m = state.read(move |c| outbox::find(c, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
             frame-ancestors 'self'",
        ))
        .insert_header(("X-Frame-Options", "SAMEORIGIN"))
        .insert_header(("Cache-Control", "no-store"))
        .body(m.body_html))
}

pub async fn retry(
    state: web::Data<AppState>,
    session: Session,
    _op: Operator,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    db::run(&state.pool, move |c| outbox::retry(c, id)).await?;
    state.mail_wakeup.notify_one();
    flash(
        &session,
        "success",
        Msg::new("ops-flash-retry").arg("id", id),
    );
    Ok(see_other(&format!("/ops/outbox/{id}")))
}
