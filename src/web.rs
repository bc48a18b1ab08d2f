//! Small response helpers shared by handlers: render, redirect, flash messages, safe `next`.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn render<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render_status(page, StatusCode::OK)
}

/// A form with errors comes back as 422 with the messages and every typed value.
pub fn render_status<T: Template>(page: &T, status: StatusCode) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// 303 after a POST, so a reload does not post again.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

pub fn flash(session: &Session, kind: &str, message: impl Into<String>) {
    let _ = session.insert(
        crate::auth::FLASH,
        Flash {
            kind: kind.to_string(),
            message: message.into(),
        },
    );
}

/// Looks before removing: `remove` marks the session changed even when the key is absent,
/// which would rewrite the session row on every page view.
pub fn take_flash(session: &Session) -> Option<Flash> {
    if !session.contains_key(crate::auth::FLASH) {
        return None;
    }
    session
        .remove_as::<Flash>(crate::auth::FLASH)
        .and_then(Result::ok)
}

/// Only a path on this site: `/console/...`, never `//evil.example` or `https://…`.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?.trim();
    if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") && !n.contains("://") {
        Some(n.to_string())
    } else {
        None
    }
}

pub fn format_time(t: &time::PrimitiveDateTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.format(fmt).unwrap_or_default()
}

pub fn format_date(d: &time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] ([weekday repr:short])");
    d.format(fmt).unwrap_or_default()
}

/// A numeric id from the path: `/things/abc` is a page that does not exist, not a bad request.
pub fn path_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound)
}

/// The `page` query parameter: 1 when missing or not a positive number.
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(1_000_000)
}

/// How many pages `total` rows make, at least one.
pub fn page_count(total: i64, page_size: i64) -> i64 {
    ((total + page_size - 1) / page_size).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/console/seller/support")).as_deref(),
            Some("/console/seller/support")
        );
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }
}
