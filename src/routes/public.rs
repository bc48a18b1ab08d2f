//! The health check and the static assets (compiled into the binary).

use actix_web::{web, HttpResponse};

use crate::startup::AppState;

/// 200 when the database answered the last check (a trivial query on a pooled connection,
/// every half second, see `health`), 503 otherwise. Answered at once from that result: it
/// never waits behind other requests' database work.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    if state.health.healthy() {
        HttpResponse::Ok().content_type("text/plain").body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable")
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

const TZ_JS: &str = include_str!("../../static/js/tz.js");

pub async fn tz_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(TZ_JS)
}
