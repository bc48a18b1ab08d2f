//! Template structs. Each page embeds a `PageCtx`: who is signed in, the CSRF token, the flash
//! message and which navigation entry is active.

use actix_session::Session;

use crate::auth::csrf;
use crate::domain::statuses::Role;
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
            nav,
            unread: 0,
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
            None => PageCtx {
                user_email: None,
                role: None,
                csrf_token: String::new(),
                flash: None,
                nav,
                unread: 0,
            },
        }
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

pub mod catalog;
pub mod lifecycle;
pub mod messages;
pub mod outbox;
pub mod pages;
pub mod products;
pub mod release;
pub mod review;
