//! The operators' review queue, the application detail page, claim, approve and reject.

use actix_session::Session;
use actix_web::{web, HttpResponse};

use crate::auth::Operator;
use crate::error::AppResult;
use crate::views::pages::OpsUnavailable;
use crate::views::PageCtx;
use crate::web::render;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/applications", web::get().to(queue));
}

pub async fn queue(session: Session, Operator(user): Operator) -> AppResult<HttpResponse> {
    render(&OpsUnavailable {
        ctx: PageCtx::new(&session, Some(&user), "ops_applications"),
        heading: "Review queue",
    })
}
