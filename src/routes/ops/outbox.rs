//! /ops/outbox: each email's delivery state.

use actix_session::Session;
use actix_web::{web, HttpResponse};

use crate::auth::Operator;
use crate::error::AppResult;
use crate::views::pages::OpsUnavailable;
use crate::views::PageCtx;
use crate::web::render;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/outbox", web::get().to(outbox));
}

pub async fn outbox(session: Session, Operator(user): Operator) -> AppResult<HttpResponse> {
    render(&OpsUnavailable {
        ctx: PageCtx::new(&session, Some(&user), "ops_outbox"),
        heading: "Notification delivery",
    })
}
