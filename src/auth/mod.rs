//! Accounts and sessions: password hashing, the database session store, CSRF, throttling, and
//! the extractors that put the signed-in user into a handler.

pub mod csrf;
pub mod extract;
pub mod password;
pub mod session_cache;
pub mod session_store;
pub mod throttle;
pub mod visitor;

pub use extract::{Buyer, MaybeUser, Operator, Seller, SignedIn};

/// Session keys. Values are JSON, as actix-session stores them.
pub const USER_ID: &str = "user_id";
pub const CSRF: &str = "csrf";
pub const FLASH: &str = "flash";
