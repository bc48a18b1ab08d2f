//! actix-session's `SessionStore` over Diesel: sessions live in the database, so sign-out and a
//! password change end them for real, and every app instance sees the same sessions.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use diesel::prelude::*;
use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};

use crate::db::schema::sessions;
use crate::db::{DbConn, DbPool};

type State = HashMap<String, String>;

#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
    backend: crate::db::Backend,
}

impl DbSessionStore {
    pub fn new(pool: DbPool, backend: crate::db::Backend) -> Self {
        DbSessionStore { pool, backend }
    }

    /// Loading a session is the read every request makes: see `db::read`.
    async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut DbConn) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        crate::db::read(&self.pool, self.backend, move |conn| {
            f(conn).map_err(crate::error::AppError::Internal)
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
    }

    async fn with_conn<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut DbConn) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}

/// Only a hash of the key is stored: a leaked table does not hand out live cookies.
fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn user_of(state: &State) -> Option<i64> {
    state.get(super::USER_ID).and_then(|v| v.parse().ok())
}

fn expiry(ttl: &Duration) -> time::PrimitiveDateTime {
    let secs = ttl.whole_seconds().max(60);
    crate::db::now() + time::Duration::seconds(secs)
}

fn insert(conn: &mut DbConn, state: &State, ttl: &Duration) -> anyhow::Result<SessionKey> {
    let key = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 64);
    diesel::insert_into(sessions::table)
        .values((
            sessions::key_hash.eq(key_hash(&key)),
            sessions::user_id.eq(user_of(state)),
            sessions::state.eq(serde_json::to_string(state)?),
            sessions::expires_at.eq(expiry(ttl)),
        ))
        .execute(conn)?;
    Ok(SessionKey::try_from(key)?)
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let hash = key_hash(session_key.as_ref());
        let row: Option<String> = self
            .read(move |conn| {
                Ok(sessions::table
                    .filter(sessions::key_hash.eq(hash))
                    .filter(sessions::expires_at.gt(crate::db::now()))
                    .select(sessions::state)
                    .first(conn)
                    .optional()?)
            })
            .await
            .map_err(LoadError::Other)?;
        match row {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(&self, session_state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let ttl = *ttl;
        self.with_conn(move |conn| insert(conn, &session_state, &ttl))
            .await
            .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let ttl = *ttl;
        self.with_conn(move |conn| {
            let n = diesel::update(sessions::table.find(key_hash(session_key.as_ref())))
                .filter(sessions::expires_at.gt(crate::db::now()))
                .set((
                    sessions::user_id.eq(user_of(&session_state)),
                    sessions::state.eq(serde_json::to_string(&session_state)?),
                    sessions::expires_at.eq(expiry(&ttl)),
                ))
                .execute(conn)?;
            if n == 1 {
                Ok(session_key)
            } else {
                // Ended meanwhile (sign-out elsewhere, password change, expiry): never revive
                // the old key; the state goes under a fresh one.
                insert(conn, &session_state, &ttl)
            }
        })
        .await
        .map_err(UpdateError::Other)
    }

    async fn update_ttl(&self, session_key: &SessionKey, ttl: &Duration) -> anyhow::Result<()> {
        let hash = key_hash(session_key.as_ref());
        let ttl = *ttl;
        self.with_conn(move |conn| {
            diesel::update(sessions::table.find(hash))
                .set(sessions::expires_at.eq(expiry(&ttl)))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        let hash = key_hash(session_key.as_ref());
        self.with_conn(move |conn| {
            diesel::delete(sessions::table.find(hash)).execute(conn)?;
            Ok(())
        })
        .await
    }
}

/// Ends every session of a user, e.g. after a password change.
pub fn end_all_for_user(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn purge_expired(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(crate::db::now()))).execute(conn)
}
