//! The public catalog: listed products at / and each product's page at /products/{id}.

use actix_session::Session;
use actix_web::{web, HttpResponse};

use crate::auth::MaybeUser;
use crate::error::AppResult;
use crate::views::pages::CatalogHome;
use crate::views::PageCtx;
use crate::web::render;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home));
}

pub async fn home(session: Session, MaybeUser(user): MaybeUser) -> AppResult<HttpResponse> {
    render(&CatalogHome {
        ctx: PageCtx::read_only(&session, user.as_ref(), "home"),
    })
}
