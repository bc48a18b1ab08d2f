//! CSRF: a synchronizer token kept in the server-side session, checked on every form POST.
//!
//! Every state-changing handler takes `CsrfForm<T>`, which refuses the request before the
//! handler runs unless the form's `csrf_token` equals the session's token.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use rand::distributions::{Alphanumeric, DistString};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::i18n::Msg;

/// The session's token, made on first use. Only for a signed-in session: an anonymous
/// visitor's forms carry the visitor token (see `visitor`), so showing them writes nothing.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(super::CSRF) {
        return t;
    }
    let t = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 43);
    let _ = session.insert(super::CSRF, &t);
    t
}

/// The request's form must carry the session's token or, for an anonymous visitor without
/// one, the visitor token of its cookie.
pub fn verify(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    let session = req.get_session();
    let expected = match session.get::<String>(super::CSRF).ok().flatten() {
        Some(t) => Some(t),
        None if session.get::<i64>(super::USER_ID).ok().flatten().is_none() => {
            super::visitor::expected_token(req)
        }
        None => None,
    };
    match expected {
        Some(e)
            if !submitted.is_empty() && bool::from(e.as_bytes().ct_eq(submitted.as_bytes())) =>
        {
            Ok(())
        }
        _ => Err(AppError::Csrf),
    }
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

/// A urlencoded form whose CSRF token has been checked. Repeated keys (checkboxes) become Vecs.
pub struct CsrfForm<T>(pub T);

/// Forms larger than this are refused: no field of ours comes near it.
const FORM_LIMIT: usize = 256 * 1024;

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let bytes = body
                .await
                .map_err(|_| AppError::BadRequest(Msg::new("error-form-unreadable")))?;
            if bytes.len() > FORM_LIMIT {
                return Err(AppError::BadRequest(Msg::new("error-form-too-large")));
            }
            let token: TokenField = serde_html_form::from_bytes(&bytes)
                .map_err(|_| AppError::BadRequest(Msg::new("error-form-unreadable")))?;
            verify(&req, &token.csrf_token)?;
            // Control characters are dropped before the handler sees the values: the form is
            // read from the cleaned pairs (linear in the body, which FORM_LIMIT bounds).
            let pairs = crate::web::form_pairs(&bytes)?;
            let cleaned = serde_html_form::to_string(&pairs)
                .map_err(|_| AppError::BadRequest(Msg::new("error-form-unreadable")))?;
            let form = serde_html_form::from_str(&cleaned).map_err(|e| {
                tracing::debug!("form not read: {e}");
                AppError::BadRequest(Msg::new("error-form-unreadable"))
            })?;
            Ok(CsrfForm(form))
        })
    }
}

/// For POSTs whose only field is the token (sign-out, delete).
#[derive(Deserialize)]
pub struct NoFields {}
