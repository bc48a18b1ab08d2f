//! Builds the HTTP server: state, session middleware, security headers, routes.

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::SessionMiddleware;
use actix_web::cookie::{time::Duration, Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, Logger};
use actix_web::{web, App, HttpResponse, HttpServer};

use crate::auth::session_store::DbSessionStore;
use crate::config::Config;
use crate::db::{self, DbPool};
use crate::models::settings;
use crate::outbox::worker::{self, WorkerHandle};
use tokio::sync::Notify;

/// Password hashes and checks running at once in one process.
const PASSWORD_CONCURRENCY: usize = 2;

pub struct AppState {
    pub pool: DbPool,
    pub config: Config,
    pub backend: db::Backend,
    /// Wakes this process's outbox worker when a transaction has queued mail.
    pub mail_wakeup: std::sync::Arc<tokio::sync::Notify>,
    /// Rendered My Products pages, each checked against the database before it is served.
    pub list_cache: crate::cache::PageCache,
    /// Rendered Product Transaction lists (see `cache`), under each seller's order version.
    pub orders_cache: crate::cache::PageCache<crate::cache::OrdersKey>,
    /// Catalog results, each checked against the catalog's version before it is served.
    pub catalog_cache: crate::cache::CatalogCache,
    /// Turns for catalog queries (their cost grows with the catalog): see `search_turn`.
    pub search_slots: Arc<tokio::sync::Semaphore>,
    /// Turns for argon2 (about 19 MB and tens of milliseconds each): see `password_turn`.
    pub password_slots: Arc<tokio::sync::Semaphore>,
    /// Per-client limits of this process: sign-ups, open connections.
    pub limiters: Arc<crate::limits::Limiters>,
    /// Keys of the visitor and device tokens.
    pub secrets: crate::auth::visitor::Secrets,
    pub cookies: crate::auth::visitor::CookieNames,
    /// Signs the session cookie; also read to recognise an owner's ended session.
    pub cookie_key: Key,
    /// The database check behind /healthz.
    pub health: crate::health::Health,
    /// Signs and checks the payment provider's notifications.
    pub payments: crate::payments::TestProvider,
}

impl AppState {
    /// Where notices link to and how often their mail is tried, for database work to take.
    pub fn notifier(&self) -> crate::applications::Notifier {
        crate::applications::Notifier {
            base_url: self.config.base_url.clone(),
            max_attempts: self.config.mail.max_attempts,
            sms: self.config.mail.sms.is_some(),
        }
    }

    /// A read on the pool, off the executor's thread: see `db::run`.
    pub async fn read<F, T>(&self, f: F) -> Result<T, crate::error::AppError>
    where
        F: FnOnce(&mut db::DbConn) -> Result<T, crate::error::AppError> + Send + 'static,
        T: Send + 'static,
    {
        db::run(&self.pool, f).await
    }

    /// A turn to run a catalog query: waits up to `search_wait_ms` for one of
    /// `search_concurrency`, else `Busy` (503), so searches queue or are refused and never take
    /// every blocking thread from the other pages. Hold it until the query is done.
    pub async fn search_turn(
        &self,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, crate::error::AppError> {
        let wait = std::time::Duration::from_millis(self.config.limits.search_wait_ms);
        match tokio::time::timeout(wait, self.search_slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(crate::error::AppError::Busy("error-busy-search")),
        }
    }

    /// Runs a password hash or check off the executor, at most `PASSWORD_CONCURRENCY` at once
    /// in this process: a burst of sign-ins then waits its turn (up to 5 s, then 503) instead of
    /// taking every blocking thread from the database work of other pages.
    pub async fn hash_password<F, T>(&self, f: F) -> Result<T, crate::error::AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let wait = std::time::Duration::from_secs(5);
        let turn =
            match tokio::time::timeout(wait, self.password_slots.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                _ => return Err(crate::error::AppError::Busy("error-busy-sign-in")),
            };
        web::block(move || {
            let _turn = turn;
            f()
        })
        .await
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("{e}")))
    }

    /// A lookup whose cost does not grow with the data: see `db::point_read`.
    pub async fn point_read<F, T>(&self, f: F) -> Result<T, crate::error::AppError>
    where
        F: FnOnce(&mut db::DbConn) -> Result<T, crate::error::AppError> + Send + 'static,
        T: Send + 'static,
    {
        db::point_read(&self.pool, self.backend, f).await
    }
}

/// Applies the schema migrations, then the data steps that need the application's own code
/// (releases approved before releases were their own records get one, with the search text
/// rendered as the catalog renders it). Safe to run on every start.
pub fn migrate(url: &str) -> anyhow::Result<()> {
    db::run_migrations(url)?;
    let mut conn = db::ConnManager::new(url)
        .establish()
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
    let written = crate::models::product_release::backfill(&mut conn)
        .map_err(|e| anyhow::anyhow!("release backfill failed: {e}"))?;
    if written > 0 {
        tracing::info!(written, "gave approved products their release records");
    }
    Ok(())
}

/// For the command-line tools (seeding, bench data, creating an operator): the pool without
/// the request budget, whose bulk statements may take longer.
pub fn prepare_tool_database(config: &Config) -> anyhow::Result<DbPool> {
    migrate(&config.database_url)?;
    db::build_pool(
        &config.database_url,
        config.pool_size,
        std::time::Duration::ZERO,
    )
}

/// Applies migrations and opens the server's pool; fails fast with the database's own error.
pub fn prepare_database(config: &Config) -> anyhow::Result<DbPool> {
    migrate(&config.database_url)?;
    db::build_pool(
        &config.database_url,
        config.pool_size,
        std::time::Duration::from_millis(config.limits.db_budget_ms),
    )
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Headers of every response; over https also HSTS (a year, subdomains included).
fn security_headers(secure: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Content-Security-Policy", CSP));
    if secure {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

pub fn run(listener: TcpListener, pool: DbPool, config: Config) -> anyhow::Result<Server> {
    run_with_wakeup(listener, pool, config, Arc::new(Notify::new()))
}

/// Like `run`, with the Notify the handlers ping after committing mail, shared with the outbox
/// worker (see `spawn_outbox_worker`).
pub fn run_with_wakeup(
    listener: TcpListener,
    pool: DbPool,
    config: Config,
    mail_wakeup: Arc<Notify>,
) -> anyhow::Result<Server> {
    let key = {
        let mut conn = pool.get()?;
        settings::cookie_key(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let secrets = crate::auth::visitor::Secrets::new(&key);
    let payments = crate::payments::TestProvider::new(
        &std::env::var("PAYMENT_SECRET")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(String::into_bytes)
            .unwrap_or_else(|| key.to_vec()),
    );
    let key = Key::from(&key);
    let secure = config.cookie_secure();
    let cookies = crate::auth::visitor::CookieNames::new(secure);
    let ttl = Duration::hours(config.session_ttl_hours);
    let lifetime = time::Duration::hours(config.limits.session_max_hours);
    let limiters = Arc::new(crate::limits::Limiters::new(&config.limits));
    // actix starts one worker per core by default; share the pool's connections between them.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let blocking_threads = (pool.max_size() as usize / workers).max(2);
    let backend = db::Backend::from_url(&config.database_url);
    let session_cache = config
        .session_cache
        .then(|| crate::auth::session_store::cache_for(backend, &config.database_url))
        .flatten();
    let state = web::Data::new(AppState {
        list_cache: crate::cache::PageCache::new(config.list_cache_mb),
        orders_cache: crate::cache::PageCache::new(config.list_cache_mb / 4),
        // A quarter of the list pages' memory: a result is a fifth of a page's size.
        catalog_cache: crate::cache::CatalogCache::new(config.list_cache_mb / 4),
        search_slots: Arc::new(tokio::sync::Semaphore::new(
            config.limits.search_concurrency,
        )),
        password_slots: Arc::new(tokio::sync::Semaphore::new(PASSWORD_CONCURRENCY)),
        limiters: limiters.clone(),
        secrets,
        cookies: cookies.clone(),
        cookie_key: key.clone(),
        health: crate::health::Health::start(pool.clone()),
        payments,
        backend,
        pool: pool.clone(),
        config,
        mail_wakeup,
    });
    let server = HttpServer::new(move || {
        let store = DbSessionStore::new(pool.clone(), backend, lifetime, session_cache.clone());
        let sessions = SessionMiddleware::builder(store, key.clone())
            .cookie_name(cookies.session.clone())
            .cookie_path("/".to_string())
            .cookie_http_only(true)
            .cookie_secure(secure)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Signed)
            .session_lifecycle(BrowserSession::default().state_ttl(ttl))
            .build();
        App::new()
            .app_data(state.clone())
            .wrap(actix_web::middleware::from_fn(crate::middleware::viewer))
            .wrap(sessions)
            .wrap(actix_web::middleware::from_fn(crate::middleware::guard))
            .wrap(security_headers(secure))
            .wrap(Logger::new("%r %s %Dms"))
            .configure(crate::routes::configure)
            .configure(crate::bench::configure)
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(crate::error::AppError::NotFound)
            }))
    })
    // Blocking threads beyond the pool's connections only queue for one, and their context
    // switches were the p99 of the list pages.
    .worker_max_blocking_threads(blocking_threads)
    // Each connection counts against its client's cap while it is open (see `middleware`).
    .on_connect(move |conn, data| {
        if let Some(socket) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
            if let Ok(peer) = socket.peer_addr() {
                data.insert(limiters.connection(peer.ip()));
            }
        }
    })
    // The request head must arrive within 5 s, an idle keep-alive connection closes after 5 s.
    .client_request_timeout(std::time::Duration::from_secs(5))
    .keep_alive(std::time::Duration::from_secs(5))
    .listen(listener)?
    .run();
    Ok(server)
}

/// Expired sessions are deleted in the background; `load` ignores them meanwhile.
pub fn spawn_session_sweeper(pool: DbPool) {
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            every.tick().await;
            let pool = pool.clone();
            let _ = web::block(move || {
                let mut conn = pool.get()?;
                crate::auth::session_store::purge_expired(&mut conn)?;
                crate::auth::throttle::purge_old(&mut conn)?;
                crate::models::pending_signup::purge_expired(&mut conn)?;
                anyhow::Ok(())
            })
            .await;
        }
    });
}

/// Every minute: unpaid orders past their payment time are closed, and services delivered
/// `AUTO_ACCEPT_DAYS` ago are accepted (each once, whichever instance gets there first), with
/// their notices.
pub fn spawn_order_sweeper(pool: DbPool, config: &Config, wakeup: Arc<Notify>) {
    let (base_url, max_attempts) = (config.base_url.clone(), config.mail.max_attempts);
    let sms = config.mail.sms.is_some();
    let days = config.orders.auto_accept_days;
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            let (pool, base_url) = (pool.clone(), base_url.clone());
            let closed = web::block(move || {
                let mut conn = pool.get()?;
                let settings = crate::applications::NotifySettings {
                    base_url: &base_url,
                    max_attempts,
                    sms,
                };
                let expired = crate::models::order::expire_unpaid(&mut conn, &settings)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let accepted = crate::models::order::auto_accept(&mut conn, &settings, days)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                // The previous month's bills, from the 7th on, until an instance finishes them.
                let today = time::OffsetDateTime::now_utc().date();
                let billed = crate::models::bill::run_due(&mut conn, today, &settings)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                if let Some((period, n)) = &billed {
                    tracing::info!("bills for {period}: {n} made");
                }
                anyhow::Ok(expired + accepted + billed.map_or(0, |(_, n)| n))
            })
            .await;
            match closed {
                Ok(Ok(n)) if n > 0 => wakeup.notify_one(),
                Ok(Err(e)) => tracing::warn!("closing unpaid orders failed: {e}"),
                _ => {}
            }
        }
    });
}

/// Starts this process's outbox worker when the configuration asks for one; must run inside the
/// server's runtime. Fails at once on a bad SMTP_URL, MAIL_FROM or MAIL_DIR.
pub fn spawn_outbox_worker(
    pool: DbPool,
    config: &Config,
    wakeup: Arc<Notify>,
) -> anyhow::Result<Option<WorkerHandle>> {
    if !config.mail.worker {
        return Ok(None);
    }
    worker::spawn(pool, &config.mail, wakeup).map(Some)
}
