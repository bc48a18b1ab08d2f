//! On PostgreSQL, the sessions read by recent requests, kept in memory so a request that finds
//! its session here makes no round trip to the database (which was most of the cost of a
//! cached My Products page).
//!
//! A cached session is only served while nothing that it was read from can have changed:
//!
//! - Every cached row carries the *epoch* at which its read began; bumping the epoch turns
//!   every older row away. The epoch moves after every write of this process that can touch
//!   a session (the session store's own writes, every committed `write_transaction`, every
//!   request that is not a GET or HEAD), so a browser always sees its own writes at once.
//! - Writes of other instances (or of scripts) reach this process as PostgreSQL notifications:
//!   triggers on sessions, users, messages and the product list versions notify the channel
//!   `session_changes` when they commit, and a listener thread bumps the epoch as it receives
//!   them (within about a millisecond; see `sync` for a barrier).
//! - While the listener is not connected (start-up, a lost connection) nothing is cached or
//!   served from here; a reconnect bumps the epoch, since notifications sent meanwhile are
//!   lost. A row is also never kept past its session's end, and nothing is served once the
//!   listener has not been heard from (a ping answered) for `MAX_SILENCE`: a connection that
//!   hangs without failing cannot hold stale rows for long. A row read long ago is as good as
//!   one read now while nothing has changed, so rows do not age out on a clock (they did, every
//!   2 s, and each time every request of a busy session went to the database at once; a
//!   database that answered slowly just then held them all up together). `MAX_AGE` bounds a
//!   row's life besides, far above that.
//!
//! A read that began before a bump may finish after it: its row carries the older epoch and
//! is never served, so there is no window in which a stale row can be stored as fresh.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;

/// Every process shares one epoch: a write anywhere in it turns away every cached row of every
/// app in it (there is one app per process outside the tests).
static EPOCH: AtomicU64 = AtomicU64::new(0);

/// Turns away every session cached so far. Called after this process's writes.
pub fn invalidate() {
    EPOCH.fetch_add(1, Ordering::SeqCst);
}

/// Where a read of the database begins: the epoch its row will carry (see `put`).
pub fn epoch() -> u64 {
    EPOCH.load(Ordering::SeqCst)
}

/// The notification channel the triggers of migration 000012 notify.
pub const CHANNEL: &str = "session_changes";

/// Nothing is served once the listener's last answered ping is this old (it pings every
/// `PING`): a listener that is stuck may be missing notifications.
pub const MAX_SILENCE: Duration = Duration::from_secs(2);

/// No row is served after this long, whatever the listener says.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// How often the listener looks for notifications that arrived (it cannot wait on the socket:
/// Diesel does not hand it out). Checking reads what the socket already holds, without a round
/// trip.
const POLL: Duration = Duration::from_micros(500);

/// Between two connection attempts of the listener.
const RECONNECT: Duration = Duration::from_secs(1);

/// The listener checks its connection with a query this often.
const PING: Duration = Duration::from_secs(1);

#[derive(Clone)]
struct Entry<T> {
    epoch: u64,
    read_at: Instant,
    /// The session's end (sliding expiry or absolute end, the earlier): never served past it.
    until: time::PrimitiveDateTime,
    value: T,
}

/// What the listener of one cache says: whether it is listening, and the last barrier seen.
#[derive(Default)]
struct Listener {
    /// Whether the listener is connected and listening: only then is anything cached.
    live: AtomicBool,
    /// Barrier payloads the listener has seen (see `sync`).
    seen: AtomicU64,
    /// When the listener last heard from the database (connected, or a ping answered), in
    /// milliseconds since `START`.
    heard: AtomicI64,
}

/// The clock of `Listener::heard`.
static START: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

fn millis_now() -> i64 {
    START.elapsed().as_millis() as i64
}

/// The listeners of this process by database URL, for `sync`.
static LISTENERS: std::sync::Mutex<Vec<(String, Weak<Listener>)>> =
    std::sync::Mutex::new(Vec::new());

pub struct SessionCache<T: Clone + Send + Sync + 'static> {
    rows: Cache<String, Entry<T>>,
    listener: Arc<Listener>,
}

impl<T: Clone + Send + Sync + 'static> SessionCache<T> {
    /// A cache of up to `capacity` sessions; nothing is served until `listen` connects.
    pub fn new(capacity: usize) -> Arc<SessionCache<T>> {
        Arc::new(SessionCache {
            rows: Cache::new(capacity.max(16)),
            listener: Arc::new(Listener::default()),
        })
    }

    /// The row of this session, if one read since the last change is here.
    pub fn get(&self, key: &str, now: time::PrimitiveDateTime) -> Option<T> {
        if !self.listener.live.load(Ordering::SeqCst) {
            return None;
        }
        if !self.listener.heard_lately() {
            return None;
        }
        let entry = self.rows.get(key)?;
        let fresh =
            entry.epoch == epoch() && entry.until > now && entry.read_at.elapsed() < MAX_AGE;
        fresh.then_some(entry.value)
    }

    /// Keeps a row read from the database in a read that began at epoch `began`.
    pub fn put(&self, key: String, began: u64, until: time::PrimitiveDateTime, value: T) {
        if self.listener.live.load(Ordering::SeqCst) && began == epoch() {
            self.rows.insert(
                key,
                Entry {
                    epoch: began,
                    read_at: Instant::now(),
                    until,
                    value,
                },
            );
        }
    }

    fn set_live(&self, live: bool) {
        self.listener.set_live(live);
    }

    /// Starts the listener thread on PostgreSQL: it ends when the cache is dropped.
    pub fn listen(self: &Arc<Self>, url: String) {
        if let Ok(mut all) = LISTENERS.lock() {
            all.retain(|(_, l)| l.strong_count() > 0);
            all.push((url.clone(), Arc::downgrade(&self.listener)));
        }
        let cache = Arc::downgrade(self);
        let spawned = std::thread::Builder::new()
            .name("session-listener".into())
            .spawn(move || listen_loop(cache, &url));
        if let Err(e) = spawned {
            tracing::warn!("session cache off: no listener thread: {e}");
        }
    }
}

impl Listener {
    fn set_live(&self, live: bool) {
        // Notifications may have been missed either way: nothing cached before counts.
        invalidate();
        if live {
            self.heard_now();
        }
        self.live.store(live, Ordering::SeqCst);
        invalidate();
    }

    fn heard_now(&self) {
        self.heard.store(millis_now(), Ordering::SeqCst);
    }

    fn heard_lately(&self) -> bool {
        let heard = self.heard.load(Ordering::SeqCst);
        millis_now() - heard < MAX_SILENCE.as_millis() as i64
    }
}

/// Waits until every change committed on the database at `url` before this call has reached
/// the listeners of this process on that database (true), or `timeout` passes (false):
/// PostgreSQL delivers notifications in commit order, so once a barrier sent after them
/// arrives, they have too. For tests and tools that write behind the app's back.
pub fn sync(url: &str, conn: &mut diesel::pg::PgConnection, timeout: Duration) -> bool {
    use diesel::RunQueryDsl;
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let listeners: Vec<Arc<Listener>> = match LISTENERS.lock() {
        Ok(all) => all
            .iter()
            .filter(|(u, _)| u == url)
            .filter_map(|(_, l)| l.upgrade())
            .collect(),
        Err(_) => return false,
    };
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let sent =
        diesel::sql_query(format!("SELECT pg_notify('{CHANNEL}', 'sync {n}')")).execute(conn);
    if sent.is_err() {
        return false;
    }
    let start = Instant::now();
    // A listener that is not live serves nothing, so it is not waited for.
    let caught_up =
        |l: &Arc<Listener>| !l.live.load(Ordering::SeqCst) || l.seen.load(Ordering::SeqCst) >= n;
    while start.elapsed() < timeout {
        if listeners.iter().all(caught_up) {
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

fn listen_loop<T: Clone + Send + Sync + 'static>(cache: Weak<SessionCache<T>>, url: &str) {
    use diesel::{Connection, RunQueryDsl};
    loop {
        let Some(strong) = cache.upgrade() else {
            return;
        };
        let conn = diesel::pg::PgConnection::establish(url).and_then(|mut c| {
            diesel::sql_query(format!("LISTEN {CHANNEL}"))
                .execute(&mut c)
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
            Ok(c)
        });
        let mut conn = match conn {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("session cache off: listener cannot connect: {e}");
                drop(strong);
                std::thread::sleep(RECONNECT);
                continue;
            }
        };
        strong.set_live(true);
        drop(strong);
        let mut pinged = Instant::now();
        let lost = loop {
            let Some(strong) = cache.upgrade() else {
                return;
            };
            let mut changed = false;
            let mut failed = None;
            for n in conn.notifications_iter() {
                match n {
                    Ok(n) => {
                        changed = true;
                        if let Some(seq) = n.payload.strip_prefix("sync ") {
                            if let Ok(seq) = seq.parse::<u64>() {
                                strong.listener.seen.fetch_max(seq, Ordering::SeqCst);
                            }
                        }
                    }
                    Err(e) => {
                        failed = Some(e.to_string());
                        break;
                    }
                }
            }
            if changed {
                invalidate();
            }
            if failed.is_none() && pinged.elapsed() >= PING {
                pinged = Instant::now();
                match diesel::sql_query("SELECT 1").execute(&mut conn) {
                    // Every notification committed before the ping came ahead of its answer.
                    Ok(_) => strong.listener.heard_now(),
                    Err(e) => failed = Some(e.to_string()),
                }
            }
            if let Some(e) = failed {
                strong.set_live(false);
                break e;
            }
            drop(strong);
            std::thread::sleep(POLL);
        };
        tracing::warn!("session cache off until the listener reconnects: {lost}");
        std::thread::sleep(RECONNECT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later() -> time::PrimitiveDateTime {
        crate::db::now() + time::Duration::hours(1)
    }

    fn live_cache() -> Arc<SessionCache<u32>> {
        let cache = SessionCache::new(16);
        cache.set_live(true);
        cache
    }

    #[test]
    fn nothing_is_served_while_the_listener_is_away() {
        let cache = SessionCache::<u32>::new(16);
        cache.put("k".into(), epoch(), later(), 1);
        assert_eq!(cache.get("k", crate::db::now()), None);
    }

    #[test]
    fn a_row_is_served_until_anything_changes() {
        let cache = live_cache();
        let began = epoch();
        cache.put("k".into(), began, later(), 7);
        // Another test of this process may bump the epoch meanwhile: then it is gone, which
        // is what a change means.
        if epoch() == began {
            assert_eq!(cache.get("k", crate::db::now()), Some(7));
        }
        invalidate();
        assert_eq!(cache.get("k", crate::db::now()), None);
    }

    #[test]
    fn a_read_overtaken_by_a_change_is_never_kept() {
        let cache = live_cache();
        let began = epoch();
        invalidate();
        cache.put("k".into(), began, later(), 7);
        assert_eq!(cache.get("k", crate::db::now()), None);
    }

    #[test]
    fn an_ended_session_is_never_served() {
        let cache = live_cache();
        let ended = crate::db::now() - time::Duration::seconds(1);
        cache.put("k".into(), epoch(), ended, 7);
        assert_eq!(cache.get("k", crate::db::now()), None);
    }

    #[test]
    fn a_listener_not_heard_from_lately_serves_nothing() {
        let cache = live_cache();
        cache.put("k".into(), epoch(), later(), 7);
        // Its last answered ping was longer ago than MAX_SILENCE.
        let long_ago = millis_now() - MAX_SILENCE.as_millis() as i64 - 1;
        cache.listener.heard.store(long_ago, Ordering::SeqCst);
        assert_eq!(cache.get("k", crate::db::now()), None);
        cache.listener.heard_now();
        // Heard again: the row is back, unless another test changed something meanwhile.
        let began = epoch();
        cache.put("k".into(), began, later(), 7);
        if epoch() == began {
            assert_eq!(cache.get("k", crate::db::now()), Some(7));
        }
    }

    #[test]
    fn losing_the_listener_turns_everything_away() {
        let cache = live_cache();
        cache.put("k".into(), epoch(), later(), 7);
        cache.set_live(false);
        assert_eq!(cache.get("k", crate::db::now()), None);
    }
}
