//! Operations console: the review queue (`review`) and notification delivery (`outbox`).

pub mod outbox;
pub mod review;

use actix_web::{web, HttpResponse};

use crate::auth::Operator;
use crate::web::see_other;

pub async fn index(_op: Operator) -> HttpResponse {
    see_other("/ops/applications")
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops", web::get().to(index));
    review::configure(cfg);
    outbox::configure(cfg);
}
