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

/// A reserved state key: the signed-in user as read with the session (see `load`). It lives
/// only in the request's copy of the state and is never written back.
pub const SIGNED_IN: &str = "__signed_in";

/// The signed-in user and what the console header and My Products need of their company,
/// read in the same statement as the session: on SQLite every statement is a read
/// transaction, whose shared-memory lock two workers contend for.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SignedInUser {
    pub id: i64,
    pub email: String,
    pub role: crate::domain::statuses::Role,
    pub company_id: Option<i64>,
    pub created_at: time::PrimitiveDateTime,
    pub password_changed_at: time::PrimitiveDateTime,
    /// Unread messages of the company, counted up to `UNREAD_CAP` (the header says "99+"),
    /// so reading it costs the same however many there are.
    pub unread: i64,
    /// The company's product list version (see `cache`).
    pub products_version: i64,
    /// The company's order list version (Product Transaction's cache).
    #[serde(default)]
    pub orders_version: i64,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The unread count stops here: more than 99 shows as "99+".
pub const UNREAD_CAP: i64 = 100;

/// The row `LoadSession` reads: the state and, when signed in, the user and company figures.
pub type SessionRow = (
    String,
    Option<i64>,
    Option<String>,
    Option<crate::domain::statuses::Role>,
    Option<i64>,
    Option<time::PrimitiveDateTime>,
    Option<time::PrimitiveDateTime>,
    i64,
    i64,
    Option<String>,
    Option<String>,
    time::PrimitiveDateTime,
    time::PrimitiveDateTime,
    i64,
);

fn signed_in_user(row: &SessionRow) -> Option<SignedInUser> {
    Some(SignedInUser {
        id: row.1?,
        email: row.2.clone()?,
        role: row.3?,
        company_id: row.4,
        created_at: row.5?,
        password_changed_at: row.6?,
        unread: row.7,
        products_version: row.8,
        orders_version: row.13,
        language: row.9.clone(),
        time_zone: row.10.clone(),
    })
}

/// The session with its user, the company's unread count and product list version, in one
/// statement. Diesel's query builder has no correlated subqueries, and `sql_query` is never
/// kept prepared, so it is a query type of its own: one text for both backends, with Diesel
/// placing the bind parameters, prepared once per connection.
#[derive(Debug, Clone, diesel::query_builder::QueryId)]
struct LoadSession {
    hash: String,
    now: time::PrimitiveDateTime,
}

impl diesel::query_builder::Query for LoadSession {
    type SqlType = (
        diesel::sql_types::Text,
        diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
        diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
        diesel::sql_types::BigInt,
        diesel::sql_types::BigInt,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Timestamp,
        diesel::sql_types::Timestamp,
        diesel::sql_types::BigInt,
    );
}

impl<DB> diesel::query_builder::QueryFragment<DB> for LoadSession
where
    DB: diesel::backend::Backend,
    String: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    time::PrimitiveDateTime: diesel::serialize::ToSql<diesel::sql_types::Timestamp, DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        out.push_sql(
            "SELECT s.state, u.id, u.email, u.role, u.company_id, u.created_at, \
             u.password_changed_at, \
             (SELECT COUNT(*) FROM (SELECT 1 AS one FROM messages m \
               WHERE m.company_id = u.company_id AND m.read_at IS NULL \
               LIMIT 100) AS unread), \
             COALESCE((SELECT v.version FROM company_product_versions v \
               WHERE v.company_id = u.company_id), 0), \
             u.language, u.time_zone, s.expires_at, s.ends_at, \
             COALESCE((SELECT o.version FROM company_order_versions o \
               WHERE o.company_id = u.company_id), 0) \
             FROM sessions s LEFT JOIN users u ON u.id = s.user_id \
             WHERE s.key_hash = ",
        );
        out.push_bind_param::<diesel::sql_types::Text, _>(&self.hash)?;
        out.push_sql(" AND s.expires_at > ");
        out.push_bind_param::<diesel::sql_types::Timestamp, _>(&self.now)?;
        out.push_sql(" AND s.ends_at > ");
        out.push_bind_param::<diesel::sql_types::Timestamp, _>(&self.now)?;
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for LoadSession {}

/// What is stored: the state without the reserved key.
fn stored(state: &State) -> anyhow::Result<String> {
    if state.contains_key(SIGNED_IN) {
        let mut state = state.clone();
        state.remove(SIGNED_IN);
        return Ok(serde_json::to_string(&state)?);
    }
    Ok(serde_json::to_string(state)?)
}

/// Sessions read lately, on PostgreSQL (see `session_cache`).
pub type Cache = std::sync::Arc<super::session_cache::SessionCache<SessionRow>>;

/// Sessions a process keeps in memory at most.
pub const CACHED_SESSIONS: usize = 10_000;

/// The cache of a backend: PostgreSQL's, with its listener started; none on SQLite, where a
/// read is a local file's and every instance shares the file.
pub fn cache_for(backend: crate::db::Backend, url: &str) -> Option<Cache> {
    (backend == crate::db::Backend::Postgres).then(|| {
        let cache = super::session_cache::SessionCache::new(CACHED_SESSIONS);
        cache.listen(url.to_string());
        cache
    })
}

#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
    backend: crate::db::Backend,
    /// A session ends this long after it began, however active it is.
    lifetime: time::Duration,
    cache: Option<Cache>,
}

impl DbSessionStore {
    pub fn new(
        pool: DbPool,
        backend: crate::db::Backend,
        lifetime: time::Duration,
        cache: Option<Cache>,
    ) -> Self {
        DbSessionStore {
            pool,
            backend,
            lifetime,
            cache,
        }
    }

    /// Loading a session is the read every request makes, by primary key with bounded
    /// subqueries: see `db::point_read`.
    async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut DbConn) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        crate::db::point_read(&self.pool, self.backend, move |conn| {
            f(conn).map_err(crate::error::AppError::Internal)
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// A write of the store. A new session (`save`) changes no cached one; any other write
    /// may, so it turns the cached sessions away once done.
    async fn with_conn<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut DbConn) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let done = self.insert_with_conn(f).await;
        super::session_cache::invalidate();
        done
    }

    async fn insert_with_conn<T, F>(&self, f: F) -> anyhow::Result<T>
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

fn insert(
    conn: &mut DbConn,
    state: &State,
    ttl: &Duration,
    lifetime: time::Duration,
) -> anyhow::Result<SessionKey> {
    let key = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 64);
    diesel::insert_into(sessions::table)
        .values((
            sessions::key_hash.eq(key_hash(&key)),
            sessions::user_id.eq(user_of(state)),
            sessions::state.eq(stored(state)?),
            sessions::expires_at.eq(expiry(ttl)),
            sessions::ends_at.eq(crate::db::now() + lifetime),
        ))
        .execute(conn)?;
    Ok(SessionKey::try_from(key)?)
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let hash = key_hash(session_key.as_ref());
        let now = crate::db::now();
        let cached = self.cache.as_ref().and_then(|c| c.get(&hash, now));
        let row = match cached {
            Some(row) => row,
            None => {
                let began = super::session_cache::epoch();
                let key = hash.clone();
                let row: Option<SessionRow> = self
                    .read(move |conn| {
                        let query = LoadSession { hash: key, now };
                        Ok(crate::on_backend!(conn, |c| query
                            .get_result(c)
                            .optional())?)
                    })
                    .await
                    .map_err(LoadError::Other)?;
                let Some(row) = row else {
                    return Ok(None);
                };
                if let Some(cache) = &self.cache {
                    cache.put(hash, began, row.11.min(row.12), row.clone());
                }
                row
            }
        };
        let mut state: State = serde_json::from_str(&row.0)
            .map_err(|e: serde_json::Error| LoadError::Deserialization(e.into()))?;
        state.remove(SIGNED_IN);
        if let Some(user) = signed_in_user(&row) {
            if user_of(&state) == Some(user.id) {
                let json = serde_json::to_string(&user)
                    .map_err(|e| LoadError::Deserialization(e.into()))?;
                state.insert(SIGNED_IN.to_string(), json);
            }
        }
        Ok(Some(state))
    }

    async fn save(&self, session_state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let (ttl, lifetime) = (*ttl, self.lifetime);
        self.insert_with_conn(move |conn| insert(conn, &session_state, &ttl, lifetime))
            .await
            .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let (ttl, lifetime) = (*ttl, self.lifetime);
        self.with_conn(move |conn| {
            let n = diesel::update(sessions::table.find(key_hash(session_key.as_ref())))
                .filter(sessions::expires_at.gt(crate::db::now()))
                .filter(sessions::ends_at.gt(crate::db::now()))
                .set((
                    sessions::user_id.eq(user_of(&session_state)),
                    sessions::state.eq(stored(&session_state)?),
                    sessions::expires_at.eq(expiry(&ttl)),
                ))
                .execute(conn)?;
            if n == 1 {
                Ok(session_key)
            } else {
                // Ended meanwhile (sign-out elsewhere, password change, expiry): never revive
                // the old key; the state goes under a fresh one.
                insert(conn, &session_state, &ttl, lifetime)
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

/// An ended session stays this long, so what its owner typed afterwards can be kept for them
/// (see `ended_session_user`); then it is deleted.
pub const ENDED_GRACE_DAYS: i64 = 7;

pub fn purge_expired(conn: &mut DbConn) -> QueryResult<usize> {
    let now = crate::db::now();
    let grace = now - time::Duration::days(ENDED_GRACE_DAYS);
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(grace)
                .or(sessions::ends_at.le(grace))
                // Anonymous sessions prove nothing: gone as soon as they end.
                .or(sessions::user_id
                    .is_null()
                    .and(sessions::expires_at.le(now))),
        ),
    )
    .execute(conn)
}

/// The user of a session that ended by expiring (not by signing out, which deletes it) within
/// the grace period: proof that a request comes from that user's own browser.
pub fn ended_session_user(conn: &mut DbConn, session_key: &str) -> QueryResult<Option<i64>> {
    let now = crate::db::now();
    let grace = now - time::Duration::days(ENDED_GRACE_DAYS);
    let row: Option<(
        Option<i64>,
        time::PrimitiveDateTime,
        time::PrimitiveDateTime,
    )> = sessions::table
        .find(key_hash(session_key))
        .select((sessions::user_id, sessions::expires_at, sessions::ends_at))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(user, expires, ends)| {
        let ended = expires.min(ends);
        (ended <= now && ended > grace).then_some(user).flatten()
    }))
}
