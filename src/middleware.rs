//! What every request passes before its route, and every response after: a cap on one
//! client's connections, cross-site posts refused, control characters out of the query, a
//! deadline for the body, and `Cache-Control: no-store` for anything a signed-in user sees.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use futures_util::Stream;

use crate::error::AppError;
use crate::limits::ConnectionCount;
use crate::startup::AppState;

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if req.conn_data::<ConnectionCount>().is_some_and(|c| c.over) {
        let response = HttpResponse::TooManyRequests()
            .force_close()
            .content_type("text/plain; charset=utf-8")
            .body(crate::i18n::with(viewer_of(req.request()), || {
                crate::i18n::tr("error-too-many-connections")
            }));
        return Ok(req.into_response(response).map_into_boxed_body());
    }
    if is_cross_site(&req, &state.config.base_url) {
        // Outside the session: the cookie's or the browser's language.
        let page = crate::i18n::with(viewer_of(req.request()), || AppError::Csrf.error_response());
        return Ok(req.into_response(page).map_into_boxed_body());
    }
    clean_query(&mut req);
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let limits = &state.config.limits;
        let payload = req.take_payload();
        req.set_payload(Payload::from(Box::pin(Deadline::new(
            payload,
            Duration::from_secs(limits.body_timeout_secs),
            Duration::from_secs(limits.body_idle_secs),
        )) as actix_http::BoxedPayloadStream));
    }
    let signed_in = req.cookie(&state.cookies.session).is_some();
    let is_static = req.path().starts_with("/static/");
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let mut response = next.call(req).await?.map_into_boxed_body();
    if writes {
        // Whatever the request wrote is committed: the next request (of this browser or any
        // other) reads sessions afresh. See `session_cache`.
        crate::auth::session_cache::invalidate();
    }
    let sets_session = response
        .response()
        .cookies()
        .any(|c| c.name() == state.cookies.session);
    if (signed_in || sets_session) && !is_static {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    Ok(response)
}

/// The cookies that carry an anonymous visitor's language and time zone (a signed-in user's
/// account settings come first). `tz` is also written by /static/js/tz.js from the browser.
pub const LANG_COOKIE: &str = "lang";
pub const TZ_COOKIE: &str = "tz";

/// Who reads this response: the signed-in user's settings, else the cookies, else the
/// browser's `Accept-Language`, else English and UTC.
pub fn viewer_of(req: &actix_web::HttpRequest) -> crate::i18n::Viewer {
    use crate::i18n::{zone::Zone, Lang, Viewer};
    use actix_session::SessionExt;
    let user = req
        .get_session()
        .get::<crate::auth::session_store::SignedInUser>(crate::auth::session_store::SIGNED_IN)
        .ok()
        .flatten();
    let lang = user
        .as_ref()
        .and_then(|u| u.language.as_deref())
        .and_then(Lang::from_tag)
        .or_else(|| {
            req.cookie(LANG_COOKIE)
                .and_then(|c| Lang::from_tag(c.value()))
        })
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::negotiate)
        })
        .unwrap_or_default();
    let zone = user
        .as_ref()
        .and_then(|u| u.time_zone.as_deref())
        .and_then(Zone::named)
        .or_else(|| req.cookie(TZ_COOKIE).and_then(|c| Zone::named(c.value())))
        .unwrap_or_default();
    // A form's result page cannot be opened again by its URL: come back to the form's page.
    let page = if req.method() == Method::GET {
        req.uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
            .to_string()
    } else {
        crate::auth::extract::same_site_referer(req).unwrap_or_else(|| "/".to_string())
    };
    let page = crate::web::safe_next(Some(&page)).unwrap_or_else(|| "/".to_string());
    Viewer { lang, zone, page }
}

/// Renders everything of the request for its viewer (see `i18n::viewer`), error pages
/// included: a handler's or an extractor's error becomes its page inside this scope.
pub async fn viewer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let viewer = viewer_of(req.request());
    let lang = viewer.lang;
    // Handlers' and extractors' errors are already pages here (rendered inside the scope).
    let mut response = crate::i18n::scope(viewer, next.call(req))
        .await?
        .map_into_boxed_body();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        header::HeaderValue::from_static(lang.code()),
    );
    // The same URL is a page in either language: a shared cache must not mix them.
    headers.append(
        header::VARY,
        header::HeaderValue::from_static("Accept-Language, Cookie"),
    );
    Ok(response)
}

/// A state-changing request another site made the browser send: `Sec-Fetch-Site` says so, or
/// the `Origin` is not this site's. (Requests with neither, from old browsers and scripts,
/// still need their CSRF token.)
fn is_cross_site(req: &ServiceRequest, base_url: &str) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let info = req.connection_info();
    let own = format!("{}://{}", info.scheme(), info.host());
    let base = base_url.trim_end_matches('/');
    !(origin.eq_ignore_ascii_case(&own) || origin.eq_ignore_ascii_case(base))
}

/// Control characters in the query string are dropped before any handler reads it: none
/// belongs in a search or a filter, and PostgreSQL refuses a NUL outright.
fn clean_query(req: &mut ServiceRequest) {
    let Some(query) = req.uri().query() else {
        return;
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if !pairs
        .iter()
        .any(|(k, v)| k.chars().chain(v.chars()).any(char::is_control))
    {
        return;
    }
    let cleaned = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| {
            (
                crate::web::strip_controls(k, false),
                crate::web::strip_controls(v, false),
            )
        }))
        .finish();
    let path_and_query = format!("{}?{cleaned}", req.path());
    if let Ok(uri) = path_and_query.parse::<actix_web::http::Uri>() {
        req.head_mut().uri = uri;
    }
}

/// A request body that must arrive whole by `total` and never pause longer than `idle`: a
/// body trickled a byte at a time cannot hold its connection (and its worker's attention)
/// for ever.
struct Deadline {
    inner: Payload,
    idle: Duration,
    idle_timer: Pin<Box<actix_web::rt::time::Sleep>>,
    total_timer: Pin<Box<actix_web::rt::time::Sleep>>,
}

impl Deadline {
    fn new(inner: Payload, total: Duration, idle: Duration) -> Deadline {
        Deadline {
            inner,
            idle,
            idle_timer: Box::pin(actix_web::rt::time::sleep(idle)),
            total_timer: Box::pin(actix_web::rt::time::sleep(total)),
        }
    }
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                let next = actix_web::rt::time::Instant::now() + this.idle;
                this.idle_timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                let late = this.total_timer.as_mut().poll(cx).is_ready()
                    || this.idle_timer.as_mut().poll(cx).is_ready();
                if late {
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body did not arrive in time",
                    )))))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}
