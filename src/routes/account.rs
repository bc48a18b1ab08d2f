//! The reader's language and time zone: the header's switcher (a cookie for a visitor, the
//! account as well for a signed-in user) and the account settings page.

use actix_session::Session;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::SignedIn;
use crate::db;
use crate::domain::fields::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::i18n::zone::Zone;
use crate::i18n::{Lang, Msg};
use crate::middleware::{LANG_COOKIE, TZ_COOKIE};
use crate::models::user::User;
use crate::startup::AppState;
use crate::views::PageCtx;
use crate::web::{flash, render, render_status, safe_next, see_other};

fn cookie(name: &'static str, value: &str, secure: bool, http_only: bool) -> Cookie<'static> {
    Cookie::build(name, value.to_string())
        .path("/")
        .max_age(CookieDuration::days(365))
        .same_site(SameSite::Lax)
        .secure(secure)
        .http_only(http_only)
        .finish()
}

fn removal(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build(name, "").path("/").finish();
    c.make_removal();
    c
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SwitchQuery {
    lang: String,
    next: String,
}

fn back_to(next: &str) -> String {
    safe_next(Some(next)).unwrap_or_else(|| "/".to_string())
}

/// `GET /language?lang=zh-CN&next=/catalog`: a visitor's switch. It only sets a cookie, so it
/// needs no form and no token; an unknown language changes nothing.
pub async fn switch_cookie(
    state: web::Data<AppState>,
    query: web::Query<SwitchQuery>,
) -> HttpResponse {
    let mut response = see_other(&back_to(&query.next));
    if let Some(lang) = Lang::from_tag(&query.lang) {
        let _ = response.add_cookie(&cookie(
            LANG_COOKIE,
            lang.code(),
            state.config.cookie_secure(),
            true,
        ));
    }
    response
}

/// `POST /account/language`: a signed-in user's switch, kept on the account (so it follows
/// them to every browser) and in the cookie (for the pages after signing out).
pub async fn switch_saved(
    state: web::Data<AppState>,
    SignedIn(user): SignedIn,
    CsrfForm(form): CsrfForm<SwitchQuery>,
) -> AppResult<HttpResponse> {
    let lang = Lang::from_tag(&form.lang)
        .ok_or_else(|| AppError::BadRequest(Msg::new("error-unknown-language")))?;
    let id = user.id;
    db::run(&state.pool, move |c| User::set_language(c, id, lang.code())).await?;
    let mut response = see_other(&back_to(&form.next));
    let _ = response.add_cookie(&cookie(
        LANG_COOKIE,
        lang.code(),
        state.config.cookie_secure(),
        true,
    ));
    Ok(response)
}

#[derive(Template)]
#[template(path = "account/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    /// "" is "as the browser says".
    pub language: String,
    pub time_zone: String,
    pub zones: &'static [String],
    pub errors: FieldErrors,
}

impl SettingsPage {
    pub fn languages(&self) -> [Lang; 2] {
        Lang::ALL
    }
}

/// Every zone of the bundled database, sorted: the settings page's list.
fn zones() -> &'static [String] {
    static ZONES: once_cell::sync::Lazy<Vec<String>> = once_cell::sync::Lazy::new(|| {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.to_string())
            .filter(|n| n.contains('/') || n == "UTC")
            .collect();
        names.sort();
        names.dedup();
        names
    });
    &ZONES
}

pub async fn settings_form(session: Session, SignedIn(user): SignedIn) -> AppResult<HttpResponse> {
    render(&SettingsPage {
        ctx: PageCtx::new(&session, Some(&user), "settings"),
        language: user.language.clone().unwrap_or_default(),
        time_zone: user.time_zone.clone().unwrap_or_default(),
        zones: zones(),
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    language: String,
    time_zone: String,
}

pub async fn save_settings(
    state: web::Data<AppState>,
    session: Session,
    SignedIn(user): SignedIn,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let language = match form.language.trim() {
        "" => None,
        tag => match Lang::from_tag(tag) {
            Some(lang) => Some(lang),
            None => {
                errors.add("language", Msg::new("error-unknown-language"));
                None
            }
        },
    };
    let zone = match form.time_zone.trim() {
        "" => None,
        name => match Zone::named(name) {
            Some(zone) => Some(zone),
            None => {
                errors.add("time_zone", Msg::new("error-unknown-time-zone"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return render_status(
            &SettingsPage {
                ctx: PageCtx::new(&session, Some(&user), "settings"),
                language: form.language.chars().take(16).collect(),
                time_zone: form.time_zone.chars().take(64).collect(),
                zones: zones(),
                errors,
            },
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let id = user.id;
    let (lang_code, zone_name) = (
        language.map(|l| l.code().to_string()),
        zone.as_ref().map(|z| z.name().to_string()),
    );
    let (l, z) = (lang_code.clone(), zone_name.clone());
    db::run(&state.pool, move |c| {
        User::set_preferences(c, id, l.as_deref(), z.as_deref())
    })
    .await?;
    flash(&session, "success", Msg::new("settings-saved"));
    let mut response = see_other("/account/settings");
    let secure = state.config.cookie_secure();
    let _ = match &lang_code {
        Some(code) => response.add_cookie(&cookie(LANG_COOKIE, code, secure, true)),
        None => response.add_cookie(&removal(LANG_COOKIE)),
    };
    if let Some(name) = &zone_name {
        let _ = response.add_cookie(&cookie(TZ_COOKIE, name, secure, false));
    }
    Ok(response)
}
