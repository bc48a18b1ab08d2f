//! Settings read once from the environment at start-up and passed down explicitly.

use time::Date;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    /// Absolute base for links in emails; also decides the cookie's Secure flag.
    pub base_url: String,
    pub holidays: Vec<Date>,
    pub seed_demo: bool,
    pub session_ttl_hours: i64,
    pub pool_size: u32,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/seller-console.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let bind = var("BIND").unwrap_or_else(|| DEFAULT_BIND.to_string());
        let base_url = var("BASE_URL").unwrap_or_else(|| format!("http://{bind}"));
        let holidays = match var("HOLIDAYS") {
            Some(list) => parse_holidays(&list)?,
            None => Vec::new(),
        };
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            bind,
            base_url: base_url.trim_end_matches('/').to_string(),
            holidays,
            seed_demo: var("SEED_DEMO")
                .map(|v| v != "0" && v != "false")
                .unwrap_or(true),
            session_ttl_hours: var("SESSION_TTL_HOURS")
                .map(|v| v.parse())
                .transpose()
                .map_err(|e| anyhow::anyhow!("SESSION_TTL_HOURS: {e}"))?
                .unwrap_or(24),
            pool_size: var("DATABASE_POOL_SIZE")
                .map(|v| v.parse())
                .transpose()
                .map_err(|e| anyhow::anyhow!("DATABASE_POOL_SIZE: {e}"))?
                .unwrap_or(8),
        })
    }

    pub fn cookie_secure(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// `HOLIDAYS=2026-12-25,2027-01-01`: days on which reviews do not count down.
pub fn parse_holidays(list: &str) -> anyhow::Result<Vec<Date>> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Date::parse(s, fmt).map_err(|e| anyhow::anyhow!("HOLIDAYS: {s:?}: {e}")))
        .collect()
}
