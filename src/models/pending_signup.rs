//! Sign-ups waiting for their email to be confirmed. Asking to sign up answers the same
//! whether or not the address has an account; the mail says which, to the mailbox's owner.

use diesel::prelude::*;
use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};

use crate::db::schema::pending_signups;
use crate::db::DbConn;
use crate::domain::statuses::Role;
use crate::email::{self, SignupMail};
use crate::error::AppError;
use crate::models::company::Company;
use crate::models::user::{NewUser, User};

/// A confirmation link works this long.
pub const VALID_HOURS: i64 = 24;
/// One address gets at most one sign-up mail this often, however often it is typed in.
pub const RESEND_MINUTES: i64 = 2;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Records a sign-up of `email` (its password already hashed) and queues the mail that
/// answers it: a confirmation link, or, if the address has an account, a pointer to sign in.
/// Returns whether a mail was queued (none when one went to the address moments ago). The
/// mail is in the current viewer's language (the visitor who signed up), or in the account
/// owner's chosen one when the address has an account.
pub fn request(
    conn: &mut DbConn,
    email: &str,
    password_hash: &str,
    role: Role,
    base_url: &str,
    max_attempts: i32,
) -> Result<bool, AppError> {
    let now = crate::db::now();
    crate::db::write_transaction(conn, |conn| {
        let recent: Option<time::PrimitiveDateTime> = pending_signups::table
            .find(email)
            .select(pending_signups::created_at)
            .first(conn)
            .optional()?;
        if recent.is_some_and(|at| at > now - time::Duration::minutes(RESEND_MINUTES)) {
            return Ok(false);
        }
        diesel::delete(pending_signups::table.find(email)).execute(conn)?;
        let token = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 43);
        let exists = User::email_taken(conn, email)?;
        diesel::insert_into(pending_signups::table)
            .values((
                pending_signups::email.eq(email),
                pending_signups::token_hash.eq(token_hash(&token)),
                pending_signups::password_hash.eq(if exists { "" } else { password_hash }),
                pending_signups::role.eq(role.as_str()),
                pending_signups::created_at.eq(now),
                pending_signups::expires_at.eq(now + time::Duration::hours(VALID_HOURS)),
            ))
            .execute(conn)?;
        let mail = if exists {
            // The account's owner reads it in the language they chose, if they chose one.
            let mut viewer = crate::i18n::viewer();
            if let Some(lang) = User::find_by_email(conn, email)?
                .and_then(|u| u.language)
                .and_then(|l| crate::i18n::Lang::from_tag(&l))
            {
                viewer.lang = lang;
            }
            crate::i18n::with(viewer, || {
                email::signup_exists(&SignupMail {
                    email,
                    link: format!("{base_url}/login"),
                })
            })?
        } else {
            email::signup_confirm(&SignupMail {
                email,
                link: format!("{base_url}/signup/confirm?token={token}"),
            })?
        };
        crate::outbox::enqueue(conn, &mail, max_attempts)?;
        Ok(true)
    })
}

/// The address a live confirmation token is for.
pub fn email_of(conn: &mut DbConn, token: &str) -> Result<Option<String>, AppError> {
    Ok(pending_signups::table
        .filter(pending_signups::token_hash.eq(token_hash(token)))
        .filter(pending_signups::expires_at.gt(crate::db::now()))
        .filter(pending_signups::password_hash.ne(""))
        .select(pending_signups::email)
        .first(conn)
        .optional()?)
}

/// Creates the account of a live token (its company unregistered) and uses the token up;
/// `None` if the token is not live or the address got an account meanwhile.
pub fn confirm(conn: &mut DbConn, token: &str) -> Result<Option<User>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let found: Option<(String, String, String)> = pending_signups::table
            .filter(pending_signups::token_hash.eq(token_hash(token)))
            .filter(pending_signups::expires_at.gt(crate::db::now()))
            .filter(pending_signups::password_hash.ne(""))
            .select((
                pending_signups::email,
                pending_signups::password_hash,
                pending_signups::role,
            ))
            .first(conn)
            .optional()?;
        let Some((email, hash, role)) = found else {
            return Ok(None);
        };
        diesel::delete(pending_signups::table.find(&email)).execute(conn)?;
        if User::email_taken(conn, &email)? {
            return Ok(None);
        }
        // A buyer has no company: no seller console, only its orders.
        // The column's CHECK allows only these two: anything else is an error, not a seller.
        let role = match Role::parse(&role) {
            Some(r @ (Role::Seller | Role::Buyer)) => r,
            _ => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "unknown sign-up role stored: {role:?}"
                )))
            }
        };
        let company_id = match role {
            Role::Buyer => None,
            _ => Some(Company::create_unregistered(conn)?),
        };
        let now = crate::db::now();
        let id = User::insert(
            conn,
            &NewUser {
                email: &email,
                password_hash: &hash,
                role: role.as_str(),
                company_id,
                created_at: now,
                password_changed_at: now,
            },
        )?;
        User::find(conn, id)
    })
}

/// Sign-ups whose link ran out; run by the sweeper.
pub fn purge_expired(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(pending_signups::table.filter(pending_signups::expires_at.le(crate::db::now())))
        .execute(conn)
}
