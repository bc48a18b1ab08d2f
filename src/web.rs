//! Small response helpers shared by handlers: render, redirect, flash messages, safe `next`.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Text without control characters: all of them for a single-line value, all but tabs and
/// line breaks for text that may span lines. (PostgreSQL refuses a NUL; none of them is ever
/// meant in what a form sends.)
pub fn strip_controls(s: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_lines && matches!(c, '\t' | '\n' | '\r'));
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !bad(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A urlencoded form body as its pairs, control characters dropped (line breaks kept for the
/// fields that take them; single-line fields refuse those themselves).
pub fn form_pairs(bytes: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let pairs: Vec<(String, String)> = serde_html_form::from_bytes(bytes)
        .map_err(|_| AppError::BadRequest(crate::i18n::Msg::new("error-form-unreadable")))?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| {
            (
                strip_controls(&k, false).into_owned(),
                strip_controls(&v, true).into_owned(),
            )
        })
        .collect())
}

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

/// A message for the next page; kept as a key with arguments, so it shows in the language of
/// the page it lands on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: String,
    pub message: crate::i18n::Msg,
}

pub fn flash(session: &Session, kind: &str, message: impl Into<crate::i18n::Msg>) {
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

/// Only a path on this site: `/console/...`, never `//evil.example`, `https://…`, or anything a
/// browser would read as another site once it drops tabs and line breaks (`/\t/evil.example`)
/// or turns a backslash into a slash. No control characters or whitespace at all: they also
/// could not go into a Location header.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?;
    if n.len() > 2_000
        || !n.starts_with('/')
        || n.starts_with("//")
        || n.chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    // Resolved as a browser would, it must still be a path on this site.
    let base = url::Url::parse("http://this-site.invalid/").ok()?;
    let resolved = base.join(n).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    Some(resolved[url::Position::BeforePath..].to_string())
}

/// The client a request comes from, for per-client limits: the peer's address, or with
/// `TRUST_PROXY` the one the proxy in front reports (Forwarded / X-Forwarded-For).
pub fn client_of(req: &actix_web::HttpRequest, trust_proxy: bool) -> String {
    let reported = if trust_proxy {
        req.connection_info().realip_remote_addr().map(|a| {
            match a.parse::<std::net::SocketAddr>() {
                Ok(sa) => sa.ip().to_string(),
                Err(_) => a.to_string(),
            }
        })
    } else {
        None
    };
    reported
        .or_else(|| req.peer_addr().map(|a| a.ip().to_string()))
        .unwrap_or_default()
        .chars()
        .take(64)
        .collect()
}

/// A stored UTC time in the viewer's zone, named: "2026-12-04 17:00 CST".
pub fn format_time(t: &time::PrimitiveDateTime) -> String {
    crate::i18n::time(t)
}

/// A calendar date with its weekday in the reader's language: "2026-12-07 (Mon)",
/// "2026-12-07（周一）".
pub fn format_date(d: &time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let weekday = match d.weekday() {
        time::Weekday::Monday => "weekday-mon",
        time::Weekday::Tuesday => "weekday-tue",
        time::Weekday::Wednesday => "weekday-wed",
        time::Weekday::Thursday => "weekday-thu",
        time::Weekday::Friday => "weekday-fri",
        time::Weekday::Saturday => "weekday-sat",
        time::Weekday::Sunday => "weekday-sun",
    };
    crate::i18n::Msg::new("date-with-weekday")
        .arg("date", d.format(fmt).unwrap_or_default())
        .arg("weekday", crate::i18n::Msg::new(weekday))
        .to_string()
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

/// A file's size as people read it: "34 KB", "2.5 MB".
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
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
        for bad in [
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            "/\x0b/evil.example",
            "/ /evil.example",
            "/console\r\nSet-Cookie: x=1",
            "/\u{3000}/evil.example",
            " /console",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(
            safe_next(Some("/console/products?status=draft#top")).as_deref(),
            Some("/console/products?status=draft#top")
        );
        assert_eq!(
            safe_next(Some("/a/../console")).as_deref(),
            Some("/console")
        );
    }
}
