//! The health check and the static assets (compiled into the binary).

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

const APP_CSS: &str = include_str!("../../static/css/app.css");

/// Static assets are compiled in, so the binary serves them wherever it is started.
pub async fn app_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(APP_CSS)
}

const AUTOSAVE_JS: &str = include_str!("../../static/js/autosave.js");

pub async fn autosave_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(AUTOSAVE_JS)
}
