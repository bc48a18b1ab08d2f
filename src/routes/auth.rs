//! Sign up, sign in (throttled), sign out, change password.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::{CsrfForm, NoFields};
use crate::auth::visitor::{self, Visitor};
use crate::auth::{password, session_store, throttle, MaybeUser, SignedIn, CSRF, USER_ID};
use crate::db::{self, write_transaction};
use crate::domain::fields::{is_email, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::pending_signup;
use crate::models::user::{normalise_email, User};
use crate::startup::AppState;
use crate::views::pages::{
    LoginPage, LogoutPage, PasswordPage, SignupConfirmPage, SignupPage, SignupSentPage,
};
use crate::views::PageCtx;
use crate::web::{client_of, flash, render, render_status, safe_next, see_other};

/// No address is longer (RFC 5321); nothing longer is looked up or stored.
const MAX_EMAIL_CHARS: usize = 254;

pub fn home_of(user: &User) -> &'static str {
    match user.role() {
        r if r.is_staff() => "/ops/applications",
        crate::domain::statuses::Role::Buyer => "/account/orders",
        _ => "/console",
    }
}

/// A new session id at every sign-in (no fixation), and a new CSRF token with it.
fn sign_in(session: &Session, user: &User) -> AppResult<()> {
    session.renew();
    session.remove(CSRF);
    session
        .insert(USER_ID, user.id)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(
    session: Session,
    visitor: Visitor,
    MaybeUser(user): MaybeUser,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let next = safe_next(query.next.as_deref());
    if let Some(u) = &user {
        return Ok(see_other(next.as_deref().unwrap_or(home_of(u))));
    }
    let page = render(&LoginPage {
        ctx: PageCtx::visitor(&session, &visitor, "login"),
        email: String::new(),
        next: next.unwrap_or_default(),
        error: None,
        errors: FieldErrors::new(),
    })?;
    Ok(visitor.finish(page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

enum Gate {
    Refused(throttle::Refusal),
    Check(Option<User>),
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let email = normalise_email(&form.email);
    let page = |error: Msg| LoginPage {
        ctx: PageCtx::visitor(&session, &visitor, "login"),
        email: form.email.trim().chars().take(MAX_EMAIL_CHARS).collect(),
        next: safe_next(Some(&form.next)).unwrap_or_default(),
        error: Some(error),
        errors: FieldErrors::new(),
    };
    // No account has a longer email: nothing to look up, nothing to count.
    if email.chars().count() > MAX_EMAIL_CHARS
        || form.password.chars().count() > password::MAX_LENGTH
    {
        let refused = render_status(
            &page(Msg::new("auth-wrong-credentials")),
            StatusCode::UNAUTHORIZED,
        )?;
        return Ok(visitor.finish(refused));
    }
    let account = throttle::account_key(&email);
    let client = client_of(&req, state.config.limits.trust_proxy);
    let device_user = visitor::known_device(&req, &state);
    let client_failures = state.config.limits.login_failures_per_client;
    let (lookup, account_q, client_q) = (email.clone(), account.clone(), client.clone());
    let gate = db::run(&state.pool, move |conn| {
        let user = User::find_by_email(conn, &lookup)?;
        let known = matches!((&user, device_user), (Some(u), Some(d)) if u.id == d);
        match throttle::refusal(conn, &account_q, &client_q, known, client_failures)? {
            Some(refusal) => Ok(Gate::Refused(refusal)),
            None => Ok(Gate::Check(user)),
        }
    })
    .await?;

    let user = match gate {
        Gate::Refused(refusal) => {
            let refused = render_status(&page(refusal.message()), StatusCode::TOO_MANY_REQUESTS)?;
            return Ok(visitor.finish(refused));
        }
        Gate::Check(user) => user,
    };

    // argon2 is deliberately slow: verify off the executor, without holding a connection.
    let submitted = form.password.clone();
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = state
        .hash_password(move || match stored {
            Some(hash) => password::verify(&submitted, &hash),
            None => {
                password::verify_nothing(&submitted);
                false
            }
        })
        .await?;

    db::run(&state.pool, move |conn| {
        if ok {
            throttle::clear(conn, &account, &client)
        } else {
            throttle::record_failure(conn, &account, &client)
        }
    })
    .await?;

    match (ok, user) {
        (true, Some(user)) => {
            sign_in(&session, &user)?;
            let target = safe_next(Some(&form.next)).unwrap_or_else(|| home_of(&user).to_string());
            let mut response = see_other(&target);
            // This browser has now signed in to the account: throttling never locks it out.
            let _ = response.add_cookie(&visitor::device_cookie(&state, user.id));
            Ok(response)
        }
        _ => {
            let refused = render_status(
                &page(Msg::new("auth-wrong-credentials")),
                StatusCode::UNAUTHORIZED,
            )?;
            Ok(visitor.finish(refused))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignupQuery {
    /// "buyer": the sign-up of a buyer, linked from the catalog.
    #[serde(rename = "as")]
    role: String,
}

pub async fn signup_form(
    session: Session,
    visitor: Visitor,
    MaybeUser(user): MaybeUser,
    query: web::Query<SignupQuery>,
) -> AppResult<HttpResponse> {
    if let Some(u) = &user {
        return Ok(see_other(home_of(u)));
    }
    let page = render(&SignupPage {
        ctx: PageCtx::visitor(&session, &visitor, "signup"),
        email: String::new(),
        buyer: query.role == "buyer",
        errors: FieldErrors::new(),
    })?;
    Ok(visitor.finish(page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignupForm {
    email: String,
    password: String,
    password_confirm: String,
    /// "buyer" from the catalog's sign-up link; anything else signs up a seller.
    #[serde(default)]
    role: String,
}

pub async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SignupForm>,
) -> AppResult<HttpResponse> {
    let email = normalise_email(&form.email);
    let mut errors = FieldErrors::new();
    if !is_email(&email) {
        errors.add("email", Msg::new("auth-email-invalid"));
    }
    if let Some(msg) = password::check_new(&form.password) {
        errors.add("password", msg);
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", Msg::new("auth-passwords-differ"));
    }
    let page = |errors: FieldErrors| SignupPage {
        ctx: PageCtx::visitor(&session, &visitor, "signup"),
        email: form.email.trim().chars().take(MAX_EMAIL_CHARS).collect(),
        buyer: form.role == "buyer",
        errors,
    };
    if !errors.is_empty() {
        let refused = render_status(&page(errors), StatusCode::UNPROCESSABLE_ENTITY)?;
        return Ok(visitor.finish(refused));
    }
    // Each sign-up writes a row and sends a mail: a client gets a few an hour.
    if !state
        .limiters
        .signup(&client_of(&req, state.config.limits.trust_proxy))
    {
        let mut errors = FieldErrors::new();
        errors.add("email", Msg::new("auth-signup-throttled"));
        let refused = render_status(&page(errors), StatusCode::TOO_MANY_REQUESTS)?;
        return Ok(visitor.finish(refused));
    }
    // Hashed whether or not the address has an account, so the answer takes as long.
    let pw = form.password.clone();
    let hash = state.hash_password(move || password::hash(&pw)).await??;
    let (base, attempts) = (
        state.config.base_url.clone(),
        state.config.mail.max_attempts,
    );
    // The mail is rendered in the language of the visitor who asked for it (see `request`).
    let viewer = crate::i18n::viewer();
    let role = if form.role == "buyer" {
        crate::domain::statuses::Role::Buyer
    } else {
        crate::domain::statuses::Role::Seller
    };
    let queued = db::run(&state.pool, move |conn| {
        crate::i18n::with(viewer, || {
            pending_signup::request(conn, &email, &hash, role, &base, attempts)
        })
    })
    .await?;
    if queued {
        state.mail_wakeup.notify_one();
    }
    // The same answer for a new address and one with an account: the mail tells them apart.
    Ok(visitor.finish(see_other("/signup/sent")))
}

pub async fn signup_sent(session: Session, visitor: Visitor) -> AppResult<HttpResponse> {
    let page = render(&SignupSentPage {
        ctx: PageCtx::visitor(&session, &visitor, "signup"),
    })?;
    Ok(visitor.finish(page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmQuery {
    token: String,
}

pub async fn confirm_form(
    state: web::Data<AppState>,
    session: Session,
    visitor: Visitor,
    query: web::Query<ConfirmQuery>,
) -> AppResult<HttpResponse> {
    let token: String = query.token.chars().take(100).collect();
    let lookup = token.clone();
    let email = db::run(&state.pool, move |c| pending_signup::email_of(c, &lookup)).await?;
    let status = if email.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = render_status(
        &SignupConfirmPage {
            ctx: PageCtx::visitor(&session, &visitor, "signup"),
            email,
            token,
        },
        status,
    )?;
    Ok(visitor.finish(page))
}

pub async fn confirm(
    state: web::Data<AppState>,
    session: Session,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<ConfirmQuery>,
) -> AppResult<HttpResponse> {
    let token: String = form.token.chars().take(100).collect();
    let lookup = token.clone();
    let user = db::run(&state.pool, move |c| pending_signup::confirm(c, &lookup)).await?;
    let Some(user) = user else {
        let page = render_status(
            &SignupConfirmPage {
                ctx: PageCtx::visitor(&session, &visitor, "signup"),
                email: None,
                token,
            },
            StatusCode::NOT_FOUND,
        )?;
        return Ok(visitor.finish(page));
    };
    sign_in(&session, &user)?;
    flash(&session, "success", Msg::new("auth-welcome"));
    let mut response = see_other(home_of(&user));
    let _ = response.add_cookie(&visitor::device_cookie(&state, user.id));
    Ok(response)
}

/// Typing /logout into the address bar asks to confirm; only the POST signs out.
pub async fn logout_page(session: Session, MaybeUser(user): MaybeUser) -> AppResult<HttpResponse> {
    match user {
        None => Ok(see_other("/login")),
        Some(u) => render(&LogoutPage {
            ctx: PageCtx::new(&session, Some(&u), "logout"),
        }),
    }
}

pub async fn logout(session: Session, _form: CsrfForm<NoFields>) -> HttpResponse {
    session.purge();
    see_other("/login")
}

pub async fn password_form(session: Session, SignedIn(user): SignedIn) -> AppResult<HttpResponse> {
    render(&PasswordPage {
        ctx: PageCtx::new(&session, Some(&user), "password"),
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

pub async fn change_password(
    state: web::Data<AppState>,
    session: Session,
    SignedIn(user): SignedIn,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    // The signed-in user comes without the hash (see `extract`): read it here.
    let user_id = user.id;
    let stored = db::run(&state.pool, move |c| User::find(c, user_id))
        .await?
        .map(|u| u.password_hash)
        .unwrap_or_default();
    let current = form.current_password.clone();
    let current_ok = state
        .hash_password(move || password::verify(&current, &stored))
        .await?;
    let mut errors = FieldErrors::new();
    if !current_ok {
        errors.add("current_password", Msg::new("auth-current-password-wrong"));
    }
    if let Some(msg) = password::check_new(&form.new_password) {
        errors.add("new_password", msg);
    } else if form.new_password != form.new_password_confirm {
        errors.add("new_password_confirm", Msg::new("auth-passwords-differ"));
    }
    if !errors.is_empty() {
        return render_status(
            &PasswordPage {
                ctx: PageCtx::new(&session, Some(&user), "password"),
                errors,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let new_pw = form.new_password.clone();
    let hash = state
        .hash_password(move || password::hash(&new_pw))
        .await??;
    let user_id = user.id;
    db::run(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            User::set_password(conn, user_id, &hash)?;
            session_store::end_all_for_user(conn, user_id)?;
            Ok(())
        })
    })
    .await?;
    // Every old session is gone from the store; this browser carries on under a new id.
    sign_in(&session, &user)?;
    flash(&session, "success", Msg::new("auth-password-changed"));
    Ok(see_other(home_of(&user)))
}
