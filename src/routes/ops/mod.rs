//! Operations console: the review queue (`review`) and notification delivery (`outbox`).

pub mod benefits;
pub mod orders;
pub mod outbox;
pub mod review;
pub mod settlement;

use crate::routes::map::RouteSink;
use actix_web::HttpResponse;

use crate::auth::Operator;
use crate::web::see_other;

pub async fn index(_op: Operator) -> HttpResponse {
    see_other("/ops/applications")
}

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/ops", index);
    review::routes(r);
    outbox::routes(r);
    orders::routes(r);
    settlement::routes(r);
    benefits::routes(r);
}
