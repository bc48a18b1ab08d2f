//! Instance-wide settings kept in the database, so every app instance shares them.

use base64::Engine;
use diesel::prelude::*;
use rand::RngCore;

use crate::db::schema::app_settings;
use crate::db::DbConn;
use crate::error::AppError;

const COOKIE_KEY: &str = "cookie_key";

pub fn get(conn: &mut DbConn, name: &str) -> Result<Option<String>, AppError> {
    Ok(app_settings::table
        .find(name)
        .select(app_settings::value)
        .first(conn)
        .optional()?)
}

/// The 64-byte key that signs session cookies: made on first start, then shared by all
/// instances through the database. Two instances starting at once: the insert that loses the
/// race fails on the primary key, and both read back the winner's key.
pub fn cookie_key(conn: &mut DbConn) -> Result<Vec<u8>, AppError> {
    let engine = base64::engine::general_purpose::STANDARD;
    if get(conn, COOKIE_KEY)?.is_none() {
        let mut key = [0u8; 64];
        rand::rngs::OsRng.fill_bytes(&mut key);
        let _ = diesel::insert_into(app_settings::table)
            .values((
                app_settings::name.eq(COOKIE_KEY),
                app_settings::value.eq(engine.encode(key)),
            ))
            .execute(conn);
    }
    let stored = get(conn, COOKIE_KEY)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("cookie key missing")))?;
    engine
        .decode(stored)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie key unreadable: {e}")))
}
