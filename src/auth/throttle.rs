//! Sign-in throttling per account, kept in the database so it holds across app instances
//! (an in-memory limiter such as governor would count per process).

use diesel::prelude::*;
use time::Duration;

use crate::db::schema::login_failures;
use crate::db::DbConn;
use crate::error::AppError;

/// Failures allowed within the window; the next attempt is refused until the oldest expires.
pub const MAX_FAILURES: i64 = 5;
pub const WINDOW_MINUTES: i64 = 15;

/// Minutes until the account may try again, if it is throttled now.
pub fn minutes_locked(conn: &mut DbConn, email: &str) -> Result<Option<i64>, AppError> {
    let now = crate::db::now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let recent: Vec<time::PrimitiveDateTime> = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .order(login_failures::failed_at.desc())
        .limit(MAX_FAILURES)
        .select(login_failures::failed_at)
        .load(conn)?;
    if (recent.len() as i64) < MAX_FAILURES {
        return Ok(None);
    }
    // The oldest of the last MAX_FAILURES leaves the window first.
    let oldest = recent[recent.len() - 1];
    let free_at = oldest + Duration::minutes(WINDOW_MINUTES);
    let left = (free_at - now).whole_seconds();
    Ok(Some((left + 59) / 60))
}

pub fn record_failure(conn: &mut DbConn, email: &str) -> Result<(), AppError> {
    let now = crate::db::now();
    diesel::delete(
        login_failures::table
            .filter(login_failures::email.eq(email))
            .filter(login_failures::failed_at.le(now - Duration::minutes(WINDOW_MINUTES))),
    )
    .execute(conn)?;
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email),
            login_failures::failed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut DbConn, email: &str) -> Result<(), AppError> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email))).execute(conn)?;
    Ok(())
}
