//! Template structs. Each page embeds a `PageCtx`: who is signed in, the CSRF token, the flash
//! message and which navigation entry is active.

use actix_session::Session;

use crate::auth::csrf;
use crate::domain::statuses::Role;
use crate::i18n::{Arg, Lang, Msg};
use crate::models::user::User;
use crate::web::{take_flash, Flash};

#[derive(Debug, Clone)]
pub struct PageCtx {
    pub user_email: Option<String>,
    pub role: Option<Role>,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub nav: &'static str,
    /// Unread messages of a seller's company (console header); 0 elsewhere.
    pub unread: i64,
    /// The reader's language (`<html lang>`, the switcher) and the page to come back to.
    pub lang: Lang,
    pub page: String,
    pub zone_name: String,
}

impl PageCtx {
    /// A page of a signed-in user (an anonymous one gets no token: see `visitor`).
    pub fn new(session: &Session, user: Option<&User>, nav: &'static str) -> PageCtx {
        PageCtx {
            user_email: user.map(|u| u.email.clone()),
            role: user.map(User::role),
            csrf_token: if user.is_some() {
                csrf::token(session)
            } else {
                String::new()
            },
            flash: take_flash(session),
            nav,
            unread: 0,
            ..PageCtx::blank(nav)
        }
    }

    /// Nobody signed in, nothing to show but the page: the base of the others.
    fn blank(nav: &'static str) -> PageCtx {
        let viewer = crate::i18n::viewer();
        PageCtx {
            user_email: None,
            role: None,
            csrf_token: String::new(),
            flash: None,
            nav,
            unread: 0,
            lang: viewer.lang,
            page: viewer.page,
            zone_name: viewer.zone.name().to_string(),
        }
    }

    /// An anonymous page with a form (sign in, sign up): the visitor's token, no session.
    pub fn visitor(
        session: &Session,
        visitor: &crate::auth::visitor::Visitor,
        nav: &'static str,
    ) -> PageCtx {
        PageCtx {
            user_email: None,
            role: None,
            csrf_token: visitor.token.clone(),
            flash: take_flash(session),
            ..PageCtx::blank(nav)
        }
    }

    /// A console page of a seller: with the unread message count for the header.
    pub fn seller(session: &Session, seller: &crate::auth::Seller, nav: &'static str) -> PageCtx {
        PageCtx {
            unread: seller.unread,
            ..PageCtx::new(session, Some(&seller.user), nav)
        }
    }

    /// For a page with no form for this visitor: an anonymous visit then leaves no session behind.
    pub fn read_only(session: &Session, user: Option<&User>, nav: &'static str) -> PageCtx {
        match user {
            Some(_) => PageCtx::new(session, user, nav),
            None => PageCtx::blank(nav),
        }
    }

    /// The message `key` in the reader's language.
    pub fn t(&self, key: &str) -> String {
        crate::i18n::t(self.lang, key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &'static str, name: &'static str, value: impl Into<Arg>) -> String {
        Msg::new(key).arg(name, value).render(self.lang)
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &'static str,
        name: &'static str,
        value: impl Into<Arg>,
        name2: &'static str,
        value2: impl Into<Arg>,
    ) -> String {
        Msg::new(key)
            .arg(name, value)
            .arg(name2, value2)
            .render(self.lang)
    }

    /// The other language, offered by the switcher in the header.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::En => Lang::ZhCn,
            Lang::ZhCn => Lang::En,
        }
    }

    /// The switcher's link for a visitor without a session (no form, no token needed: it only
    /// sets a cookie).
    pub fn switch_href(&self) -> String {
        format!(
            "/language?lang={}&next={}",
            self.other_lang().code(),
            crate::web::url_encode(&self.page)
        )
    }

    /// The unread count as the header shows it: "99+" past 99.
    pub fn unread_label(&self) -> String {
        if self.unread >= crate::auth::session_store::UNREAD_CAP {
            "99+".to_string()
        } else {
            self.unread.to_string()
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role.map(Role::is_staff).unwrap_or(false)
    }

    pub fn is_buyer(&self) -> bool {
        self.role == Some(Role::Buyer)
    }

    pub fn is_seller(&self) -> bool {
        self.role == Some(Role::Seller)
    }

    pub fn active(&self, nav: &str) -> &'static str {
        if self.nav == nav {
            "active"
        } else {
            ""
        }
    }

    pub fn current(&self, nav: &str) -> &'static str {
        if self.nav == nav {
            "page"
        } else {
            "false"
        }
    }
}

pub mod benefits;
pub mod catalog;
pub mod lifecycle;
pub mod messages;
pub mod orders;
pub mod outbox;
pub mod pages;
pub mod products;
pub mod release;
pub mod review;
