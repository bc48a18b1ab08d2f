//! Per-client limits held in this process's memory (governor): how often one client may make
//! an anonymous write such as a sign-up, and how many connections it may hold open. Sign-in
//! failures are counted in the database instead (`auth::throttle`), so they hold across
//! instances; these only need to hold per instance.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Limits;

/// Distinct clients remembered before the oldest state is dropped: a flood of addresses
/// cannot grow the limiter without bound.
const MAX_TRACKED_CLIENTS: usize = 100_000;

pub struct Limiters {
    signups: DefaultKeyedRateLimiter<String>,
    /// Open connections per client address (see `ConnectionCount`).
    connections: Arc<Mutex<HashMap<IpAddr, u32>>>,
    max_connections: u32,
}

impl Limiters {
    pub fn new(limits: &Limits) -> Limiters {
        let per_hour =
            NonZeroU32::new(limits.signups_per_client_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        Limiters {
            signups: RateLimiter::keyed(Quota::per_hour(per_hour)),
            connections: Arc::new(Mutex::new(HashMap::new())),
            max_connections: limits.max_connections_per_client,
        }
    }

    /// Whether this client may sign up now (and counts it).
    pub fn signup(&self, client: &str) -> bool {
        if self.signups.len() > MAX_TRACKED_CLIENTS {
            self.signups.retain_recent();
        }
        self.signups.check_key(&client.to_string()).is_ok()
    }

    /// Counts a new connection from `ip`; the count drops when the returned value does (it
    /// lives as long as the connection). `over` says the client has more open than allowed.
    pub fn connection(&self, ip: IpAddr) -> ConnectionCount {
        let mut open = self.connections.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(ip).or_insert(0);
        *n = n.saturating_add(1);
        ConnectionCount {
            ip,
            over: self.max_connections > 0 && *n > self.max_connections,
            connections: self.connections.clone(),
        }
    }
}

/// One open connection of a client, kept in the connection's own data.
pub struct ConnectionCount {
    ip: IpAddr,
    pub over: bool,
    connections: Arc<Mutex<HashMap<IpAddr, u32>>>,
}

impl Drop for ConnectionCount {
    fn drop(&mut self) {
        let mut open = self.connections.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}
