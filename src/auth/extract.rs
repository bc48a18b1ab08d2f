//! Extractors that authorise a request before the handler runs: anonymous visitors of console
//! pages are sent to /login (and come back after), wrong roles get 403.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::{dev::Payload, http::Method, web, FromRequest, HttpRequest};

use super::session_store::{SignedInUser, SIGNED_IN};
use crate::domain::statuses::Role;
use crate::error::AppError;
use crate::models::message;
use crate::models::user::User;
use crate::startup::AppState;

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

async fn current_user(req: &HttpRequest) -> Result<Option<User>, AppError> {
    Ok(load_user(req, false).await?.map(|(user, _)| user))
}

/// The signed-in user with the unread count and product list version read with the session
/// (see `session_store::load`); `None` when the session did not bring them.
fn loaded_with_session(session: &actix_session::Session, id: i64) -> Option<SignedInUser> {
    session
        .get::<SignedInUser>(SIGNED_IN)
        .ok()
        .flatten()
        .filter(|u| u.id == id)
}

/// The signed-in user and, when `with_unread`, their company's unread message count (for the
/// console header). Usually read with the session already; otherwise (a session signed in
/// during this request) read here.
async fn load_user(req: &HttpRequest, with_unread: bool) -> Result<Option<(User, i64)>, AppError> {
    Ok(load_signed_in(req, with_unread)
        .await?
        .map(|(user, unread, _)| (user, unread)))
}

async fn load_signed_in(
    req: &HttpRequest,
    with_unread: bool,
) -> Result<Option<(User, i64, Option<(i64, i64)>)>, AppError> {
    let session = req.get_session();
    let Some(id) = session.get::<i64>(super::USER_ID).ok().flatten() else {
        return Ok(None);
    };
    if let Some(u) = loaded_with_session(&session, id) {
        let user = User {
            id: u.id,
            email: u.email,
            // Not carried with the session; the one page that needs it reads it itself.
            password_hash: String::new(),
            role: u.role,
            company_id: u.company_id,
            created_at: u.created_at,
            password_changed_at: u.password_changed_at,
            language: u.language,
            time_zone: u.time_zone,
        };
        return Ok(Some((
            user,
            u.unread,
            Some((u.products_version, u.orders_version)),
        )));
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
    let found = state
        .read(move |c| {
            let Some(user) = User::find(c, id)? else {
                return Ok(None);
            };
            let unread = match user.company_id {
                Some(company_id) if with_unread => message::unread_count(c, company_id)?,
                _ => 0,
            };
            Ok(Some((user, unread)))
        })
        .await?;
    if found.is_none() {
        session.purge();
    }
    Ok(found.map(|(user, unread)| (user, unread, None)))
}

/// Where to come back to after signing in: the page itself for a GET; for a form post, the
/// page the form was on (a POST-only URL cannot be opened again after signing in).
pub fn login_required(req: &HttpRequest) -> AppError {
    let next = if req.method() == Method::GET {
        req.uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| req.path().to_string())
    } else {
        same_site_referer(req).unwrap_or_else(|| "/console".to_string())
    };
    AppError::LoginRequired(next)
}

pub fn same_site_referer(req: &HttpRequest) -> Option<String> {
    let referer = req
        .headers()
        .get(actix_web::http::header::REFERER)?
        .to_str()
        .ok()?;
    let url = url::Url::parse(referer).ok()?;
    let host = req.connection_info().host().to_string();
    let referer_host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str()?),
        None => url.host_str()?.to_string(),
    };
    (referer_host == host).then(|| match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    })
}

/// Anyone; `None` when not signed in.
pub struct MaybeUser(pub Option<User>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeUser(current_user(&req).await?)) })
    }
}

/// Any signed-in user.
pub struct SignedIn(pub User);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match current_user(&req).await? {
                Some(u) => Ok(SignedIn(u)),
                None => Err(login_required(&req)),
            }
        })
    }
}

/// A user of a seller company. Operators cannot act as sellers.
pub struct Seller {
    pub user: User,
    pub company_id: i64,
    /// Unread messages in the company's message center, shown in the console header.
    pub unread: i64,
    /// The company's product list version as read with the session, when it was.
    pub products_version: Option<i64>,
    /// The company's order list version as read with the session, when it was.
    pub orders_version: Option<i64>,
}

impl Seller {
    pub fn from_user(user: User, unread: i64) -> Result<Seller, AppError> {
        match (user.role(), user.company_id) {
            (Role::Seller, Some(company_id)) => Ok(Seller {
                user,
                company_id,
                unread,
                products_version: None,
                orders_version: None,
            }),
            _ => Err(AppError::Forbidden),
        }
    }
}

impl FromRequest for Seller {
    type Error = AppError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (user, unread, version) = load_signed_in(&req, true)
                .await?
                .ok_or_else(|| login_required(&req))?;
            let mut seller = Seller::from_user(user, unread)?;
            seller.products_version = version.map(|v| v.0);
            seller.orders_version = version.map(|v| v.1);
            Ok(seller)
        })
    }
}

/// Operations staff (operators and admins).
pub struct Operator(pub User);

impl FromRequest for Operator {
    type Error = AppError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = current_user(&req)
                .await?
                .ok_or_else(|| login_required(&req))?;
            if user.role().is_staff() {
                Ok(Operator(user))
            } else {
                Err(AppError::Forbidden)
            }
        })
    }
}

/// A signed-in buyer; anyone else signed in gets 403, a visitor signs in first.
pub struct Buyer(pub User);

impl FromRequest for Buyer {
    type Error = AppError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = current_user(&req)
                .await?
                .ok_or_else(|| login_required(&req))?;
            if user.role() == Role::Buyer {
                Ok(Buyer(user))
            } else {
                Err(AppError::Forbidden)
            }
        })
    }
}
