//! Operations console shell. The review queue and outbox arrive with the review feature.

use actix_session::Session;
use actix_web::HttpResponse;

use crate::auth::Operator;
use crate::error::AppResult;
use crate::views::pages::OpsUnavailable;
use crate::views::PageCtx;
use crate::web::{render, see_other};

pub async fn index(_op: Operator) -> HttpResponse {
    see_other("/ops/applications")
}

pub async fn applications(session: Session, Operator(user): Operator) -> AppResult<HttpResponse> {
    render(&OpsUnavailable {
        ctx: PageCtx::new(&session, Some(&user), "ops_applications"),
        heading: "Review queue",
    })
}

pub async fn outbox(session: Session, Operator(user): Operator) -> AppResult<HttpResponse> {
    render(&OpsUnavailable {
        ctx: PageCtx::new(&session, Some(&user), "ops_outbox"),
        heading: "Notification delivery",
    })
}
