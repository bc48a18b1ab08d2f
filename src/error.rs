//! One error type for every handler; each variant knows its status and renders a page.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::i18n::Msg;

/// What the visitor reads is a message key, rendered in their language (`Display` renders in
/// the current viewer's).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", Msg::new("error-not-found"))]
    NotFound,
    #[error("{}", Msg::new("error-forbidden"))]
    Forbidden,
    #[error("{0}")]
    BadRequest(Msg),
    /// The request is fine but the thing is not in a state that allows it (e.g. locked).
    #[error("{0}")]
    Conflict(Msg),
    #[error("{}", Msg::new("error-csrf"))]
    Csrf,
    /// Carries the path to come back to after signing in.
    #[error("{}", Msg::new("error-login-required"))]
    LoginRequired(String),
    /// Carries the cause for the log; the visitor reads the same message whatever it is.
    #[error("{}", Msg::new("error-unavailable"))]
    Unavailable(String),
    /// The request's database work ran past its time budget and was stopped.
    #[error("{}", Msg::new("error-too-slow"))]
    TooSlow,
    /// Too many of these at once (searches, password checks): this one waited for its turn
    /// and got none. The message (a key) says which.
    #[error("{}", Msg::new(.0))]
    Busy(&'static str),
    #[error("{}", Msg::new("error-internal"))]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn is_unique_violation(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            AppError::Internal(e) => matches!(
                e.downcast_ref::<Error>(),
                Some(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
            ),
            _ => false,
        }
    }

    pub fn unavailable(e: impl std::fmt::Display) -> AppError {
        AppError::Unavailable(e.to_string())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            e if crate::db::is_over_budget(&e) => AppError::TooSlow,
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: String,
    lang: crate::i18n::Lang,
}

impl ErrorPage<'_> {
    fn t(&self, key: &str) -> String {
        crate::i18n::t(self.lang, key)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::LoginRequired(_) => StatusCode::SEE_OTHER,
            AppError::Unavailable(_) | AppError::TooSlow | AppError::Busy(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::LoginRequired(next) = self {
            let target = format!("/login?next={}", crate::web::url_encode(next));
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target))
                .finish();
        }
        match self {
            AppError::Internal(e) => tracing::error!("internal error: {e:#}"),
            AppError::Unavailable(e) => tracing::warn!("unavailable: {e}"),
            AppError::TooSlow => tracing::warn!("a request ran past its database budget"),
            _ => {}
        }
        let status = self.status_code();
        let key = format!("error-status-{}", status.as_u16());
        let title = if crate::i18n::has_key(&key) {
            crate::i18n::tr(&key)
        } else {
            status.canonical_reason().unwrap_or("Error").to_string()
        };
        let page = ErrorPage {
            status: status.as_u16(),
            title: &title,
            message: self.to_string(),
            lang: crate::i18n::lang(),
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "<!doctype html><title>Error</title><p>Error</p>".to_string());
        let mut response = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header((header::RETRY_AFTER, "2"));
        }
        response.content_type("text/html; charset=utf-8").body(body)
    }
}

pub type AppResult<T> = Result<T, AppError>;
