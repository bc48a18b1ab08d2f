//! Sign-in throttling, kept in the database so it holds across app instances (an in-memory
//! limiter such as governor would count per process).
//!
//! Two limits: an account that failed `ACCOUNT_FAILURES` times within the window is refused to
//! browsers that never signed in to it, and one client may fail `client_failures` times within
//! the window across all accounts (no spraying one password over many accounts). A browser
//! with the account's device cookie passes both, so nobody can keep the owner out.

use diesel::prelude::*;
use sha2::{Digest, Sha256};
use time::Duration;

use crate::db::schema::login_failures;
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::Msg;

/// Failures of one account within the window before new browsers are refused.
pub const ACCOUNT_FAILURES: i64 = 5;
pub const WINDOW_MINUTES: i64 = 15;

/// What is stored of an attempted account: a hash of the normalised email, a bounded row
/// whatever was typed.
pub fn account_key(email: &str) -> String {
    hex::encode(Sha256::digest(email.as_bytes()))
}

/// Why an attempt is refused, with the minutes until it may be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This client failed too often, whichever accounts it tried.
    Client(i64),
    /// This account failed too often, and this browser never signed in to it.
    Account(i64),
}

impl Refusal {
    /// What the sign-in page says: why, and in how many minutes to try again.
    pub fn message(self) -> Msg {
        let (key, minutes) = match self {
            Refusal::Client(m) => ("auth-refused-network", m),
            Refusal::Account(m) => ("auth-refused-account", m),
        };
        Msg::new(key).arg("minutes", minutes)
    }
}

/// Minutes until the oldest of the last `max` failures leaves the window, if there are `max`.
fn minutes_left(failures: &[time::PrimitiveDateTime], max: i64) -> Option<i64> {
    if (failures.len() as i64) < max {
        return None;
    }
    let oldest = *failures.last()?;
    let free_at = oldest + Duration::minutes(WINDOW_MINUTES);
    let left = (free_at - crate::db::now()).whole_seconds();
    Some(((left + 59) / 60).max(1))
}

/// Whether an attempt on `account` from `client` may be checked now. Both reads are bounded by
/// their limit.
pub fn refusal(
    conn: &mut DbConn,
    account: &str,
    client: &str,
    known_device: bool,
    client_failures: i64,
) -> Result<Option<Refusal>, AppError> {
    // The account's own browser is never kept out, by its own limit nor by its network's.
    if known_device {
        return Ok(None);
    }
    let since = crate::db::now() - Duration::minutes(WINDOW_MINUTES);
    let by_client: Vec<time::PrimitiveDateTime> = login_failures::table
        .filter(login_failures::client.eq(client))
        .filter(login_failures::failed_at.gt(since))
        .order(login_failures::failed_at.desc())
        .limit(client_failures)
        .select(login_failures::failed_at)
        .load(conn)?;
    if let Some(minutes) = minutes_left(&by_client, client_failures) {
        return Ok(Some(Refusal::Client(minutes)));
    }
    let by_account: Vec<time::PrimitiveDateTime> = login_failures::table
        .filter(login_failures::account.eq(account))
        .filter(login_failures::failed_at.gt(since))
        .order(login_failures::failed_at.desc())
        .limit(ACCOUNT_FAILURES)
        .select(login_failures::failed_at)
        .load(conn)?;
    Ok(minutes_left(&by_account, ACCOUNT_FAILURES).map(Refusal::Account))
}

pub fn record_failure(conn: &mut DbConn, account: &str, client: &str) -> Result<(), AppError> {
    let now = crate::db::now();
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::account.eq(account),
            login_failures::client.eq(client),
            login_failures::failed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A successful sign-in forgets this client's failures on the account (the owner's typos),
/// not other clients' (someone else's attempts keep counting against them).
pub fn clear(conn: &mut DbConn, account: &str, client: &str) -> Result<(), AppError> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::account.eq(account))
            .filter(login_failures::client.eq(client)),
    )
    .execute(conn)?;
    Ok(())
}

/// Failures that left the window; run by the sweeper.
pub fn purge_old(conn: &mut DbConn) -> QueryResult<usize> {
    let before = crate::db::now() - Duration::minutes(WINDOW_MINUTES);
    diesel::delete(login_failures::table.filter(login_failures::failed_at.le(before))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_refusal_says_when_to_try_again_with_the_right_plural() {
        assert_eq!(
            Refusal::Client(1).message().render(Lang::En),
            "Too many failed sign-in attempts from your network. Try again in 1 minute."
        );
        assert_eq!(
            Refusal::Account(5).message().render(Lang::En),
            "Too many failed sign-in attempts for this account from browsers that have not \
             signed in to it before. Try again in 5 minutes."
        );
        assert_eq!(
            Refusal::Client(5).message().render(Lang::ZhCn),
            "您所在网络的登录失败次数过多，请 5 分钟后再试。"
        );
    }
}
