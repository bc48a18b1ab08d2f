//! One error type for every handler; each variant knows its status and renders a page.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("The page you asked for does not exist.")]
    NotFound,
    #[error("You are not allowed to see or change this.")]
    Forbidden,
    #[error("{0}")]
    BadRequest(String),
    /// The request is fine but the thing is not in a state that allows it (e.g. locked).
    #[error("{0}")]
    Conflict(String),
    #[error(
        "Your form has expired or did not come from this site. Reload the page and try again."
    )]
    Csrf,
    /// Carries the path to come back to after signing in.
    #[error("Please sign in.")]
    LoginRequired(String),
    #[error("The service is temporarily unavailable. Please try again shortly.")]
    Unavailable(String),
    /// The request's database work ran past its time budget and was stopped.
    #[error("This took too long to answer and was stopped. Try a narrower search, or try again in a moment.")]
    TooSlow,
    /// Too many of these at once (searches, password checks): this one waited for its turn
    /// and got none. The message says which.
    #[error("{0}")]
    Busy(&'static str),
    #[error("Something went wrong on our side.")]
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
        let page = ErrorPage {
            status: status.as_u16(),
            title: status.canonical_reason().unwrap_or("Error"),
            message: self.to_string(),
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
