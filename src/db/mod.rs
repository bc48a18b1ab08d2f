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
    /// The time a request's database work may take (see `WorkClock`); 0 for none.
    budget_ms: u64,
}

impl ConnManager {
    pub fn new(url: &str) -> Self {
        ConnManager {
            url: url.to_string(),
            backend: Backend::from_url(url),
            budget_ms: 0,
        }
    }

    /// Connections whose queries stop once the request's work has run for `budget`.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget_ms = budget.as_millis().min(u128::from(u32::MAX)) as u64;
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn establish(&self) -> Result<DbConn, diesel::ConnectionError> {
        Ok(match self.backend {
            Backend::Sqlite => {
                // The auto extension that SQLite runs inside this open reads the budget.
                BUDGET_FOR_OPEN.with(|b| b.set(self.budget_ms));
                let conn = diesel::sqlite::SqliteConnection::establish(sqlite_path(&self.url));
                BUDGET_FOR_OPEN.with(|b| b.set(0));
                DbConn::Sqlite(conn?)
            }
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

/// Settings of every new connection. SQLite: WAL lets readers run beside the one writer.
/// PostgreSQL: no statement runs longer than the request budget.
#[derive(Debug)]
struct ConnSettings {
    budget_ms: u64,
}

const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for ConnSettings {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        match conn {
            DbConn::Sqlite(c) => c.batch_execute(SQLITE_PRAGMAS),
            DbConn::Postgres(c) if self.budget_ms > 0 => {
                c.batch_execute(&format!("SET statement_timeout = {}", self.budget_ms))
            }
            DbConn::Postgres(_) => Ok(()),
        }
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

thread_local! {
    /// The budget of the SQLite connection being opened on this thread (see `establish`).
    static BUDGET_FOR_OPEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// When the request's database work on this thread began (see `WorkClock`).
    static WORK_STARTED: std::cell::Cell<Option<std::time::Instant>> =
        const { std::cell::Cell::new(None) };
}

/// Marks the database work of one request on this thread; SQLite's progress handler stops a
/// statement of a budgeted connection once the work has run past the budget. Work outside a
/// clock (the outbox worker, migrations, the benchmark loader) is not limited.
struct WorkClock;

impl WorkClock {
    fn start() -> WorkClock {
        WORK_STARTED.with(|s| s.set(Some(std::time::Instant::now())));
        WorkClock
    }
}

impl Drop for WorkClock {
    fn drop(&mut self) {
        WORK_STARTED.with(|s| s.set(None));
    }
}

/// SQLite calls this every `PROGRESS_STEPS` virtual-machine steps; non-zero interrupts the
/// statement (SQLITE_INTERRUPT). The budget travels in the user pointer itself.
unsafe extern "C" fn over_budget(budget_ms: *mut std::ffi::c_void) -> std::ffi::c_int {
    let budget = std::time::Duration::from_millis(budget_ms as usize as u64);
    let over = WORK_STARTED
        .try_with(|s| s.get().is_some_and(|t| t.elapsed() > budget))
        .unwrap_or(false);
    std::ffi::c_int::from(over)
}

/// About a tenth of a millisecond of work between checks of the clock.
const PROGRESS_STEPS: std::ffi::c_int = 4_000;

/// Whether a database error says the statement was stopped by the request's time budget.
pub fn is_over_budget(e: &diesel::result::Error) -> bool {
    match e {
        diesel::result::Error::DatabaseError(_, info) => {
            let m = info.message();
            m == "interrupted" || m.contains("statement timeout")
        }
        _ => false,
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
    let budget_ms = BUDGET_FOR_OPEN.try_with(|b| b.get()).unwrap_or(0);
    if budget_ms > 0 {
        // SAFETY: a valid handle; the handler never dereferences its argument, which is the
        // budget itself rather than a pointer.
        unsafe {
            libsqlite3_sys::sqlite3_progress_handler(
                db,
                PROGRESS_STEPS,
                Some(over_budget),
                budget_ms as usize as *mut std::ffi::c_void,
            );
        }
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
    let mut conn = manager
        .establish()
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
    let result = match &mut conn {
        DbConn::Sqlite(c) => {
            c.batch_execute(SQLITE_PRAGMAS)?;
            c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ())
        }
        DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    // Rows written as English prose before messages were stored as keys (SPEC 10).
    crate::i18n::migrate::stored_texts(&mut conn)
        .map_err(|e| anyhow::anyhow!("migrating stored texts failed: {e}"))?;
    Ok(())
}

/// The pool; each request's database work on it gets `budget` (zero for none).
pub fn build_pool(url: &str, max_size: u32, budget: Duration) -> anyhow::Result<DbPool> {
    register_sqlite_settings();
    let manager = ConnManager::new(url).with_budget(budget);
    let budget_ms = manager.budget_ms;
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
        .connection_customizer(Box::new(ConnSettings { budget_ms }))
        .build(manager)?;
    Ok(pool)
}

pub fn backend_of(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Postgres(_) => Backend::Postgres,
    }
}

/// Runs blocking Diesel work off the async executor, within the pool's time budget. The one
/// way handlers touch the database.
pub async fn run<F, T>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    // What the work renders (an email to the requester) is in the requester's language.
    let viewer = crate::i18n::viewer();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(AppError::unavailable)?;
        let _clock = WorkClock::start();
        crate::i18n::with(viewer, || f(&mut conn))
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// A read whose cost does not grow with the data: a lookup by primary key, or a count
/// bounded by a LIMIT. On SQLite it runs right here on the worker when a connection is free
/// at once (in WAL mode a reader never waits for a writer, and such a query takes
/// microseconds, less than the hop to a blocking thread, which made the p99 of the list
/// pages). Otherwise, and on PostgreSQL (a network round trip), it goes to a blocking thread.
/// Anything else is `run`: a query that grows with the input or the table never runs on the
/// executor's thread.
pub async fn point_read<F, T>(pool: &DbPool, backend: Backend, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    if backend == Backend::Sqlite {
        if let Some(mut conn) = pool.try_get() {
            let _clock = WorkClock::start();
            return f(&mut conn);
        }
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
    let done = outbox_transaction(conn, f);
    // Once committed (or not), what this process has cached of sessions may be older.
    crate::auth::session_cache::invalidate();
    done
}

/// `write_transaction` for the outbox worker's own bookkeeping (claims, delivery states),
/// which no cached session is read from: it leaves the session cache alone, so a month's
/// notices going out do not send every signed-in request back to the database once per batch.
pub fn outbox_transaction<T, F>(conn: &mut DbConn, f: F) -> Result<T, AppError>
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
    let n = if backend_of(conn) == Backend::Sqlite {
        // The write transaction holds SQLite's one write lock already. An UPDATE of the key
        // would make SQLite check every table that references companies (it checks by the
        // columns assigned, not by whether the value changed), scanning those without an index.
        c::companies
            .filter(c::id.eq(company_id))
            .count()
            .get_result::<i64>(conn)? as usize
    } else {
        diesel::update(c::companies.filter(c::id.eq(company_id)))
            .set(c::id.eq(company_id))
            .execute(conn)?
    };
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The same for one user's rows (a buyer's orders): see `lock_company`.
pub fn lock_user(conn: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    use diesel::prelude::*;
    use schema::users::dsl as u;
    if backend_of(conn) == Backend::Sqlite {
        return Ok(());
    }
    diesel::update(u::users.filter(u::id.eq(user_id)))
        .set(u::id.eq(user_id))
        .execute(conn)?;
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
