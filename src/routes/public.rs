//! Public pages: catalog home and the health check.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::auth::MaybeUser;
use crate::db;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::views::pages::CatalogHome;
use crate::views::PageCtx;
use crate::web::render;

pub async fn home(session: Session, MaybeUser(user): MaybeUser) -> AppResult<HttpResponse> {
    render(&CatalogHome {
        ctx: PageCtx::read_only(&session, user.as_ref(), "home"),
    })
}

/// 200 when the database answers a query that reads a table, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let result = db::run(&state.pool, |conn| {
        Ok(conn.batch_execute("SELECT COUNT(*) FROM app_settings")?)
    })
    .await;
    match result {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(e) => {
            tracing::warn!("health check failed: {e}");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}
