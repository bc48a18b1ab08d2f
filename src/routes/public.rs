//! The health check.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::db;
use crate::startup::AppState;

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
