//! Anonymous visitors and known browsers, without server storage: a random visitor id in a
//! cookie binds the CSRF token of the sign-in and sign-up forms (so showing them writes no
//! session), and a signed device cookie marks a browser that has signed in to an account
//! before (so throttled sign-ins do not lock the owner out).

use std::future::{ready, Ready};

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use hmac::{Hmac, Mac};
use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::startup::AppState;

/// How long a device cookie marks a browser as one that signed in before.
pub const DEVICE_DAYS: i64 = 180;

/// Keys for the tokens below, derived from the cookie key every instance shares.
#[derive(Clone)]
pub struct Secrets {
    key: [u8; 32],
}

impl Secrets {
    pub fn new(cookie_key: &[u8]) -> Secrets {
        let mut h = Sha256::new();
        h.update(b"seller-console visitor and device tokens\0");
        h.update(cookie_key);
        Secrets {
            key: h.finalize().into(),
        }
    }

    fn mac(&self, parts: &[&[u8]]) -> String {
        // HMAC takes a key of any length, so this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// The CSRF token of a visitor's forms.
    pub fn visitor_token(&self, visitor_id: &str) -> String {
        self.mac(&[b"csrf", visitor_id.as_bytes()])
    }

    /// `user.issued.mac`: the value of a device cookie for `user_id`.
    pub fn device_value(&self, user_id: i64, issued: i64) -> String {
        let mac = self.mac(&[
            b"device",
            user_id.to_string().as_bytes(),
            issued.to_string().as_bytes(),
        ]);
        format!("{user_id}.{issued}.{mac}")
    }

    /// The user a device cookie was issued to, if it is ours and not too old.
    pub fn device_user(&self, value: &str, now: i64) -> Option<i64> {
        let mut parts = value.splitn(3, '.');
        let user_id: i64 = parts.next()?.parse().ok()?;
        let issued: i64 = parts.next()?.parse().ok()?;
        let mac = parts.next()?;
        let expected = self.device_value(user_id, issued);
        let ok: bool = expected.as_bytes().ct_eq(value.as_bytes()).into();
        let fresh = now >= issued && now - issued <= DEVICE_DAYS * 86_400;
        (ok && fresh && !mac.is_empty()).then_some(user_id)
    }
}

/// Cookie names: with an https base URL they take the `__Host-` prefix (Secure, Path=/, no
/// Domain: no other host can set or read them).
pub fn cookie_name(base: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

fn state_of(req: &HttpRequest) -> Result<&web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))
}

/// A visitor id is 32 letters and digits; anything else in the cookie is ignored.
fn valid_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The visitor of an anonymous form page: its id (from the cookie, or new) and the token its
/// forms carry. A new id must reach the browser: `finish` adds the cookie to the response.
pub struct Visitor {
    pub token: String,
    new_cookie: Option<Cookie<'static>>,
}

impl Visitor {
    pub fn finish(self, mut response: HttpResponse) -> HttpResponse {
        if let Some(cookie) = self.new_cookie {
            let _ = response.add_cookie(&cookie);
        }
        response
    }
}

impl FromRequest for Visitor {
    type Error = AppError;
    type Future = Ready<Result<Visitor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(state_of(req).map(|state| {
            let name = &state.cookies.visitor;
            match req.cookie(name).filter(|c| valid_id(c.value())) {
                Some(c) => Visitor {
                    token: state.secrets.visitor_token(c.value()),
                    new_cookie: None,
                },
                None => {
                    let id = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32);
                    let cookie = Cookie::build(name.clone(), id.clone())
                        .path("/")
                        .http_only(true)
                        .secure(state.config.cookie_secure())
                        .same_site(SameSite::Lax)
                        .max_age(Duration::days(1))
                        .finish();
                    Visitor {
                        token: state.secrets.visitor_token(&id),
                        new_cookie: Some(cookie),
                    }
                }
            }
        }))
    }
}

/// The token an anonymous request's form must carry, if it has a visitor cookie.
pub fn expected_token(req: &HttpRequest) -> Option<String> {
    let state = state_of(req).ok()?;
    let cookie = req.cookie(&state.cookies.visitor)?;
    valid_id(cookie.value()).then(|| state.secrets.visitor_token(cookie.value()))
}

/// The device cookie to set after `user_id` signed in.
pub fn device_cookie(state: &AppState, user_id: i64) -> Cookie<'static> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Cookie::build(
        state.cookies.device.clone(),
        state.secrets.device_value(user_id, now),
    )
    .path("/")
    .http_only(true)
    .secure(state.config.cookie_secure())
    .same_site(SameSite::Lax)
    .max_age(Duration::days(DEVICE_DAYS))
    .finish()
}

/// The user whose device cookie this request carries, if any.
pub fn known_device(req: &HttpRequest, state: &AppState) -> Option<i64> {
    let cookie = req.cookie(&state.cookies.device)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    state.secrets.device_user(cookie.value(), now)
}

/// The session key in this request's session cookie, if the cookie is one we signed (whether
/// or not the session is still live).
pub fn session_key(req: &HttpRequest, state: &AppState) -> Option<String> {
    let cookie = req.cookie(&state.cookies.session)?;
    let mut jar = actix_web::cookie::CookieJar::new();
    jar.add_original(cookie);
    let verified = jar.signed(&state.cookie_key).get(&state.cookies.session)?;
    Some(verified.value().to_string())
}

/// The names of the console's cookies, fixed at start-up.
#[derive(Debug, Clone)]
pub struct CookieNames {
    pub session: String,
    pub visitor: String,
    pub device: String,
}

impl CookieNames {
    pub fn new(secure: bool) -> CookieNames {
        CookieNames {
            session: cookie_name("sc_session", secure),
            visitor: cookie_name("sc_visitor", secure),
            device: cookie_name("sc_device", secure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_cookies_are_bound_to_their_user_and_age() {
        let s = Secrets::new(b"key");
        let v = s.device_value(7, 1_000);
        assert_eq!(s.device_user(&v, 1_000), Some(7));
        assert_eq!(s.device_user(&v.replacen('7', "8", 1), 1_000), None);
        assert_eq!(s.device_user(&v, 1_000 + DEVICE_DAYS * 86_400 + 1), None);
        assert_eq!(Secrets::new(b"other").device_user(&v, 1_000), None);
        assert_eq!(s.device_user("garbage", 1_000), None);
    }

    #[test]
    fn visitor_tokens_differ_per_visitor_and_key() {
        let s = Secrets::new(b"key");
        assert_ne!(s.visitor_token("a"), s.visitor_token("b"));
        assert_ne!(
            s.visitor_token("a"),
            Secrets::new(b"other").visitor_token("a")
        );
    }
}
