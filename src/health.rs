//! The check behind /healthz, made off the request path: a thread of its own takes a pooled
//! connection (waiting at most `CHECKOUT`) and asks the database a trivial query every
//! `EVERY`; /healthz answers from the last result at once, however busy the executor's
//! blocking threads and the pool are with other requests.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::db::DbPool;

const EVERY: Duration = Duration::from_millis(500);
/// A pool that has no connection free for this long counts as down.
const CHECKOUT: Duration = Duration::from_secs(2);
/// A result older than this (the checking thread itself stuck) counts as down.
const STALE: Duration = Duration::from_secs(5);

struct Shared {
    healthy: AtomicBool,
    /// Milliseconds since `started` of the last check.
    checked_ms: AtomicU64,
    started: Instant,
    stop: AtomicBool,
}

/// Stops its thread when dropped (with the app's state).
pub struct Health {
    shared: Arc<Shared>,
}

impl Health {
    pub fn start(pool: DbPool) -> Health {
        let shared = Arc::new(Shared {
            healthy: AtomicBool::new(false),
            checked_ms: AtomicU64::new(0),
            started: Instant::now(),
            stop: AtomicBool::new(false),
        });
        let check = |pool: &DbPool| match pool.get_timeout(CHECKOUT) {
            Ok(mut conn) => conn
                .batch_execute("SELECT COUNT(*) FROM app_settings")
                .map_err(|e| e.to_string()),
            Err(e) => Err(format!("no connection within {CHECKOUT:?}: {e}")),
        };
        // The first result before the server answers anything.
        let first = check(&pool).is_ok();
        shared.healthy.store(first, Ordering::Relaxed);
        let worker = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("health-check".into())
            .spawn(move || {
                let mut was_ok = first;
                while !worker.stop.load(Ordering::Relaxed) {
                    std::thread::sleep(EVERY);
                    let result = check(&pool);
                    if let Err(e) = &result {
                        if was_ok {
                            tracing::warn!("health check failed: {e}");
                        }
                    }
                    was_ok = result.is_ok();
                    worker.healthy.store(was_ok, Ordering::Relaxed);
                    let ms = worker.started.elapsed().as_millis() as u64;
                    worker.checked_ms.store(ms, Ordering::Relaxed);
                }
            });
        if let Err(e) = spawned {
            tracing::error!("the health check thread did not start: {e}");
        }
        Health { shared }
    }

    /// The database answered the last check, and that check is recent.
    pub fn healthy(&self) -> bool {
        let checked = Duration::from_millis(self.shared.checked_ms.load(Ordering::Relaxed));
        let age = self.shared.started.elapsed().saturating_sub(checked);
        self.shared.healthy.load(Ordering::Relaxed) && age < STALE
    }
}

impl Drop for Health {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}
