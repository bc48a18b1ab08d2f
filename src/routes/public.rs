//! The health check.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::startup::AppState;

/// 200 when the database answers a query that reads a (one-row) table, 503 otherwise. A
/// point read: it answers at once however busy the blocking threads are.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let result = state
        .point_read(|conn| Ok(conn.batch_execute("SELECT COUNT(*) FROM app_settings")?))
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
