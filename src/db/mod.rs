//! Database access: one connection type over SQLite and PostgreSQL, the pool, migrations.

pub mod schema;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One query code path for both backends.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(diesel::sqlite::SqliteConnection),
    Postgres(diesel::pg::PgConnection),
}

/// Runs one Diesel expression on the backend's own connection: the same source for both
/// backends, as with `DbConn`, but statically typed queries keep their prepared statement by
/// type. (`DbConn` finds a statement by its SQL, so it rebuilds the SQL text of every query it
/// runs; for the reads every request makes, that was a third of the request's CPU.)
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Postgres($c) => $body,
        }
    };
}

pub type DbPool = Pool<ConnManager>;
pub type PooledConn = PooledConnection<ConnManager>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// `sqlite://path`, `sqlite:path` and a bare path all name a SQLite file.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Picks the backend from the URL scheme itself, so a failing PostgreSQL connection reports its
/// real error instead of MultiConnection's generic "invalid connection url".
#[derive(Debug, Clone)]
pub struct ConnManager {
    url: String,
    backend: Backend,
}

impl ConnManager {
    pub fn new(url: &str) -> Self {
        ConnManager {
            url: url.to_string(),
            backend: Backend::from_url(url),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn establish(&self) -> Result<DbConn, diesel::ConnectionError> {
        Ok(match self.backend {
            Backend::Sqlite => DbConn::Sqlite(diesel::sqlite::SqliteConnection::establish(
                sqlite_path(&self.url),
            )?),
            Backend::Postgres => DbConn::Postgres(diesel::pg::PgConnection::establish(&self.url)?),
        })
    }
}

impl diesel::r2d2::ManageConnection for ConnManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        self.establish()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        match conn {
            DbConn::Sqlite(_) => false,
            DbConn::Postgres(c) => diesel::r2d2::R2D2Connection::is_broken(c),
        }
    }
}

/// SQLite needs these on every connection; WAL lets readers run beside the one writer.
#[derive(Debug)]
struct SqlitePragmas;

const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(SQLITE_PRAGMAS)
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// SQLite plans a statement using the values bound to it, so a re-bound `LIMIT ?` expires the
/// prepared statement and Diesel prepares it again on every run (measured: a quarter of the CPU
/// of a list page). Query planner stability keeps the plan, so cached statements stay valid.
/// An auto extension applies it to every connection this process opens.
unsafe extern "C" fn enable_stable_plans(
    db: *mut libsqlite3_sys::sqlite3,
    _err: *mut *mut std::ffi::c_char,
    _api: *const libsqlite3_sys::sqlite3_api_routines,
) -> std::ffi::c_int {
    // SAFETY: SQLite calls this with a valid, open handle; the option takes an int and an
    // optional out-pointer, for which null is allowed.
    unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        );
    }
    libsqlite3_sys::SQLITE_OK
}

fn register_sqlite_settings() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the entry point has the signature SQLite expects and lives for the whole process.
    ONCE.call_once(|| unsafe {
        libsqlite3_sys::sqlite3_auto_extension(Some(enable_stable_plans));
    });
}

/// Applies the embedded migrations of the URL's backend on a connection of its own.
pub fn run_migrations(url: &str) -> anyhow::Result<()> {
    register_sqlite_settings();
    let manager = ConnManager::new(url);
    if manager.backend() == Backend::Sqlite {
        if let Some(dir) = std::path::Path::new(sqlite_path(url)).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    let result = match manager
        .establish()
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?
    {
        DbConn::Sqlite(mut c) => {
            c.batch_execute(SQLITE_PRAGMAS)?;
            c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ())
        }
        DbConn::Postgres(mut c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))
}

pub fn build_pool(url: &str, max_size: u32) -> anyhow::Result<DbPool> {
    register_sqlite_settings();
    let manager = ConnManager::new(url);
    // Fail start-up at once with the real connection error rather than after a pool timeout.
    manager
        .establish()
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
    // No `SELECT 1` at every checkout (three per page): a connection that broke is reported
    // by the query that finds it, and r2d2 drops it.
    let pool = Pool::builder()
        .max_size(max_size)
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(SqlitePragmas))
        .build(manager)?;
    Ok(pool)
}

pub fn backend_of(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Postgres(_) => Backend::Postgres,
    }
}

/// Runs blocking Diesel work off the async executor. The one way handlers touch the database.
pub async fn run<F, T>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(AppError::unavailable)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// Runs a short read. On SQLite it runs right here on the worker: in WAL mode a reader never
/// waits for a writer, the queries of the per-request reads take microseconds, and a hop to a
/// blocking thread cost more than the query (it made the p99 of the list pages). On PostgreSQL
/// (a network round trip) it goes to a blocking thread like every other query. Writes always
/// use `run`: a writer may wait up to busy_timeout for the lock.
pub async fn read<F, T>(pool: &DbPool, backend: Backend, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    if backend == Backend::Sqlite {
        let mut conn = pool.get().map_err(AppError::unavailable)?;
        return f(&mut conn);
    }
    run(pool, f).await
}

/// A transaction that holds the write lock from its first statement.
///
/// SQLite: a deferred transaction that reads first and writes later can fail with SQLITE_BUSY
/// on upgrade, ignoring busy_timeout; a no-op write up front takes the lock at once (what
/// `BEGIN IMMEDIATE` does, which MultiConnection cannot ask for). PostgreSQL: the caller locks
/// the rows it depends on (see `lock_company`).
pub fn write_transaction<T, F>(conn: &mut DbConn, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError>,
{
    conn.transaction(|conn| {
        if backend_of(conn) == Backend::Sqlite {
            diesel::sql_query("UPDATE app_settings SET value = value WHERE 1 = 0").execute(conn)?;
        }
        f(conn)
    })
}

/// Serialises writers of one company's data on both backends: an UPDATE takes PostgreSQL's row
/// lock until commit (MultiConnection has no `FOR UPDATE`), and SQLite has one writer anyway.
pub fn lock_company(conn: &mut DbConn, company_id: i64) -> Result<(), AppError> {
    use diesel::prelude::*;
    use schema::companies::dsl as c;
    let n = diesel::update(c::companies.filter(c::id.eq(company_id)))
        .set(c::id.eq(company_id))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub fn now() -> time::PrimitiveDateTime {
    let now = time::OffsetDateTime::now_utc();
    // Microsecond precision: both backends store it, so a value read back equals the one written.
    let now = now
        .replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now);
    time::PrimitiveDateTime::new(now.date(), now.time())
}
