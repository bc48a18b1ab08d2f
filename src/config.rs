//! Settings read once from the environment at start-up and passed down explicitly.

use time::Date;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    /// Absolute base for links in emails; also decides the cookie's Secure flag.
    pub base_url: String,
    pub holidays: Vec<Date>,
    /// REVIEW_TIME_ZONE: where review due dates are counted ("3 working days" are working days
    /// there); default Asia/Shanghai.
    pub review_zone: crate::i18n::zone::Zone,
    /// SALES_REGIONS: the regions a specification can be sold in (default: the marketplace's).
    pub regions: Vec<crate::domain::offer::Region>,
    pub seed_demo: bool,
    pub session_ttl_hours: i64,
    pub pool_size: u32,
    /// Memory for rendered My Products pages (see `cache`); 0 turns the cache off.
    pub list_cache_mb: u64,
    /// SESSION_CACHE: on PostgreSQL, keep recently read sessions in memory (see
    /// `auth::session_cache`); `0` reads every session from the database.
    pub session_cache: bool,
    /// ORDER_PAY_HOURS and AUTO_ACCEPT_DAYS (see `OrderTimes`).
    pub orders: OrderTimes,
    /// USD_RATES: what one unit of each currency is worth in US dollars, for the banner
    /// threshold of Policies and Benefits (SPEC 13), e.g. `USD=1,CNY=0.14`.
    pub usd_rates: UsdRates,
    pub mail: MailConfig,
    pub limits: Limits,
}

/// What one request or one client may take of the server (issue 9: no request can crash or
/// stall it). Every count has a default that suits one instance; each is an env variable.
#[derive(Debug, Clone)]
pub struct Limits {
    /// DB_BUDGET_MS: the time a request's database work may take before it is stopped and
    /// answered with 503 (SQLite progress handler, PostgreSQL statement_timeout).
    pub db_budget_ms: u64,
    /// SEARCH_CONCURRENCY: catalog list and search queries running at once in this process;
    /// more wait up to `search_wait_ms`, then get 503.
    pub search_concurrency: usize,
    pub search_wait_ms: u64,
    /// TRUST_PROXY=1: the client is the address a proxy in front reports (Forwarded,
    /// X-Forwarded-For), not the connection's peer. Only behind a proxy that sets it.
    pub trust_proxy: bool,
    /// LOGIN_FAILURES_PER_CLIENT: failed sign-ins of one client, across all accounts, within
    /// 15 minutes before it is refused for the rest of them.
    pub login_failures_per_client: i64,
    /// SIGNUPS_PER_CLIENT_HOUR: accounts one client may create an hour.
    pub signups_per_client_hour: u32,
    /// SESSION_MAX_HOURS: a session ends this long after signing in, however active.
    pub session_max_hours: i64,
    /// MAX_CONNECTIONS_PER_CLIENT: open connections of one client address (0: no cap); past
    /// it a request is answered 429 and its connection closed.
    pub max_connections_per_client: u32,
    /// BODY_TIMEOUT_SECS: a request body must arrive whole within this time, and
    /// BODY_IDLE_SECS: with no pause longer than this; otherwise 400 and the connection closes.
    pub body_timeout_secs: u64,
    pub body_idle_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            db_budget_ms: 3_000,
            search_concurrency: 2,
            search_wait_ms: 1_000,
            trust_proxy: false,
            login_failures_per_client: 20,
            signups_per_client_hour: 10,
            session_max_hours: 7 * 24,
            max_connections_per_client: 128,
            body_timeout_secs: 60,
            body_idle_secs: 10,
        }
    }
}

impl Limits {
    pub fn from_env() -> anyhow::Result<Limits> {
        let d = Limits::default();
        Ok(Limits {
            db_budget_ms: env_num("DB_BUDGET_MS")?.unwrap_or(d.db_budget_ms),
            search_concurrency: env_num::<usize>("SEARCH_CONCURRENCY")?
                .unwrap_or(d.search_concurrency)
                .max(1),
            search_wait_ms: env_num("SEARCH_WAIT_MS")?.unwrap_or(d.search_wait_ms),
            trust_proxy: std::env::var("TRUST_PROXY")
                .map(|v| v == "1" || v == "true")
                .unwrap_or(d.trust_proxy),
            login_failures_per_client: env_num::<i64>("LOGIN_FAILURES_PER_CLIENT")?
                .unwrap_or(d.login_failures_per_client)
                .max(1),
            signups_per_client_hour: env_num("SIGNUPS_PER_CLIENT_HOUR")?
                .unwrap_or(d.signups_per_client_hour),
            session_max_hours: env_num::<i64>("SESSION_MAX_HOURS")?
                .unwrap_or(d.session_max_hours)
                .max(1),
            max_connections_per_client: env_num("MAX_CONNECTIONS_PER_CLIENT")?
                .unwrap_or(d.max_connections_per_client),
            body_timeout_secs: env_num::<u64>("BODY_TIMEOUT_SECS")?
                .unwrap_or(d.body_timeout_secs)
                .max(1),
            body_idle_secs: env_num::<u64>("BODY_IDLE_SECS")?
                .unwrap_or(d.body_idle_secs)
                .max(1),
        })
    }
}

/// A number from the environment; `None` when unset or blank.
fn env_num<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().parse::<T>())
        .transpose()
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))
}

/// How mail leaves: over SMTP when `SMTP_URL` is set, otherwise as .eml files in `mail_dir`.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` (lettre's URL syntax; `smtps://` and `?tls=required` work too).
    pub smtp_url: Option<String>,
    pub mail_dir: std::path::PathBuf,
    pub from: String,
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// The first retry waits this long; each further one twice as long (capped at an hour).
    pub backoff_base_ms: u64,
    /// How often a worker looks for due messages it was not woken for (other instances' mail,
    /// retries). A decision in this process wakes the worker at once.
    pub poll_interval_ms: u64,
    /// Run the outbox worker in this process (OUTBOX_WORKER=0 turns it off).
    pub worker: bool,
    /// SMS_GATEWAY_URL and SMS_GATEWAY_SECRET: review results and order events also go as SMS,
    /// a JSON POST signed with the secret (see `outbox::sms`). Unset: no SMS.
    pub sms: Option<SmsConfig>,
}

#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub url: String,
    pub secret: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            mail_dir: std::path::PathBuf::from("data/mail"),
            from: "Seller Console <no-reply@seller-console.local>".to_string(),
            max_attempts: 8,
            backoff_base_ms: 2_000,
            poll_interval_ms: 1_000,
            worker: true,
            sms: None,
        }
    }
}

/// Connections in the pool unless DATABASE_POOL_SIZE says otherwise. SQLite: 8 (readers of the
/// WAL don't contend). PostgreSQL: this machine's cores, at least 4 (the catalog's two search
/// turns plus two, so searches never hold every connection): PostgreSQL serves a few
/// connections per core best; on a 2-core machine with the database beside the app, 8
/// connections made My Products' p99 16–20 ms where 4 made it about 12 ms at the same
/// throughput (README, Benchmarks). With the database on a bigger machine, set it to about
/// twice the database's cores.
pub fn default_pool_size(database_url: &str) -> u32 {
    if database_url.starts_with("postgres") {
        std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(4)
            .clamp(4, 16)
    } else {
        8
    }
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
        let database_url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        Ok(Config {
            database_url: database_url.clone(),
            bind,
            base_url: base_url.trim_end_matches('/').to_string(),
            holidays,
            review_zone: match var("REVIEW_TIME_ZONE") {
                Some(name) => crate::i18n::zone::Zone::named(&name).ok_or_else(|| {
                    anyhow::anyhow!("REVIEW_TIME_ZONE: {name:?} is not an IANA time zone")
                })?,
                None => crate::i18n::zone::Zone::review_default(),
            },
            regions: match var("SALES_REGIONS") {
                Some(list) => crate::domain::offer::parse_regions(&list)
                    .map_err(|e| anyhow::anyhow!("SALES_REGIONS: {e}"))?,
                None => crate::domain::offer::default_regions(),
            },
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
                .unwrap_or_else(|| default_pool_size(&database_url)),
            list_cache_mb: var("LIST_CACHE_MB")
                .map(|v| v.parse())
                .transpose()
                .map_err(|e| anyhow::anyhow!("LIST_CACHE_MB: {e}"))?
                .unwrap_or(64),
            session_cache: match var("SESSION_CACHE").as_deref() {
                None | Some("1") => true,
                Some("0") => false,
                Some(other) => anyhow::bail!("SESSION_CACHE: {other:?} is neither 0 nor 1"),
            },
            orders: OrderTimes {
                pay_hours: bounded_var("ORDER_PAY_HOURS", 1, 720)?.unwrap_or(24),
                auto_accept_days: bounded_var("AUTO_ACCEPT_DAYS", 1, 90)?.unwrap_or(7),
            },
            usd_rates: match var("USD_RATES") {
                Some(list) => {
                    UsdRates::parse(&list).map_err(|e| anyhow::anyhow!("USD_RATES: {e}"))?
                }
                None => UsdRates::default(),
            },
            mail: MailConfig::from_env()?,
            limits: Limits::from_env()?,
        })
    }

    pub fn cookie_secure(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

impl MailConfig {
    pub fn from_env() -> anyhow::Result<MailConfig> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        fn num<T: std::str::FromStr>(name: &str, value: Option<String>) -> anyhow::Result<Option<T>>
        where
            T::Err: std::fmt::Display,
        {
            value
                .map(|v| v.trim().parse::<T>())
                .transpose()
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))
        }
        let d = MailConfig::default();
        Ok(MailConfig {
            smtp_url: var("SMTP_URL"),
            mail_dir: var("MAIL_DIR").map(Into::into).unwrap_or(d.mail_dir),
            from: var("MAIL_FROM").unwrap_or(d.from),
            max_attempts: num("OUTBOX_MAX_ATTEMPTS", var("OUTBOX_MAX_ATTEMPTS"))?
                .unwrap_or(d.max_attempts)
                .max(1),
            backoff_base_ms: num("OUTBOX_BACKOFF_MS", var("OUTBOX_BACKOFF_MS"))?
                .unwrap_or(d.backoff_base_ms),
            poll_interval_ms: num("OUTBOX_POLL_MS", var("OUTBOX_POLL_MS"))?
                .unwrap_or(d.poll_interval_ms)
                .max(10),
            worker: var("OUTBOX_WORKER")
                .map(|v| v != "0" && v != "false")
                .unwrap_or(true),
            sms: match (var("SMS_GATEWAY_URL"), var("SMS_GATEWAY_SECRET")) {
                (None, _) => None,
                (Some(_), None) => anyhow::bail!("SMS_GATEWAY_URL needs SMS_GATEWAY_SECRET"),
                (Some(url), Some(secret)) => {
                    let parsed = url::Url::parse(&url)
                        .map_err(|e| anyhow::anyhow!("SMS_GATEWAY_URL: {e}"))?;
                    if !matches!(parsed.scheme(), "http" | "https") {
                        anyhow::bail!("SMS_GATEWAY_URL: not an http(s) URL");
                    }
                    Some(SmsConfig { url, secret })
                }
            },
        })
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

/// How long an unpaid order waits for payment, and how many days after delivery a service the
/// buyer has not accepted is accepted automatically (SPEC 11).
#[derive(Debug, Clone, Copy)]
pub struct OrderTimes {
    pub pay_hours: i64,
    pub auto_accept_days: i64,
}

impl Default for OrderTimes {
    fn default() -> Self {
        OrderTimes {
            pay_hours: 24,
            auto_accept_days: 7,
        }
    }
}

/// Currency rates to US dollars: (ISO code, dollars per unit).
#[derive(Debug, Clone)]
pub struct UsdRates(pub Vec<(String, rust_decimal::Decimal)>);

impl Default for UsdRates {
    fn default() -> Self {
        UsdRates(vec![
            ("USD".into(), rust_decimal::Decimal::ONE),
            ("CNY".into(), rust_decimal::Decimal::new(14, 2)),
            ("EUR".into(), rust_decimal::Decimal::new(108, 2)),
        ])
    }
}

impl UsdRates {
    /// `CODE=rate,...`: three-letter codes, positive decimal rates, at most 50 of them.
    pub fn parse(text: &str) -> Result<UsdRates, String> {
        let mut rates = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, rate) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?} is not CODE=rate"))?;
            let code = code.trim().to_ascii_uppercase();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(format!("{code:?} is not a three-letter currency code"));
            }
            let rate: rust_decimal::Decimal = rate
                .trim()
                .parse()
                .map_err(|_| format!("{rate:?} is not a number"))?;
            if rate <= rust_decimal::Decimal::ZERO {
                return Err(format!("the rate of {code} must be more than 0"));
            }
            rates.push((code, rate));
        }
        if rates.is_empty() || rates.len() > 50 {
            return Err("give between 1 and 50 rates".into());
        }
        Ok(UsdRates(rates))
    }
}

/// A whole number from the environment within `min..=max`; unset is `None`.
fn bounded_var(name: &str, min: i64, max: i64) -> anyhow::Result<Option<i64>> {
    let Some(raw) = std::env::var(name).ok().filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => anyhow::bail!("{name}: {raw:?} is not a whole number from {min} to {max}"),
    }
}
