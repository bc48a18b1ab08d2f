//! TestApp: one app per test on a free port with its own database, and a cookie-keeping client.

use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use diesel::{Connection, RunQueryDsl};
use once_cell::sync::Lazy;
use regex::Regex;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, StatusCode};

use seller_console::auth::password;
use seller_console::config::{Config, Limits, MailConfig};
use seller_console::db::{self, DbPool};
use seller_console::domain::statuses::Role;
use seller_console::models::user::{NewUser, User};
use seller_console::startup;

pub const PASSWORD: &str = "s3cure-passw0rd";

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub jar: Arc<Jar>,
    pub pool: DbPool,
    pub database_url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// The production limits, but for sign-ups: a test makes as many sellers as it needs from
/// one address (the tests of that limit lower it again).
pub fn test_limits() -> Limits {
    Limits {
        signups_per_client_hour: 100_000,
        ..Limits::default()
    }
}

/// SQLite in a temp dir by default; a fresh PostgreSQL database when TEST_DATABASE_URL is set.
fn test_database() -> (String, Option<tempfile::TempDir>, Option<(String, String)>) {
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin_url) => {
            let name = unique("sc_test_");
            let mut conn = diesel::pg::PgConnection::establish(&admin_url)
                .expect("TEST_DATABASE_URL must reach PostgreSQL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create test database");
            let (path, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
            let base = path
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .expect("TEST_DATABASE_URL ends in /dbname");
            // Without TLS unless asked for: the test binary exits with app threads still
            // holding connections, and OpenSSL's exit-time cleanup under a live TLS connection
            // aborts the process ("free(): invalid pointer") after every test has passed.
            let options = match query {
                "" => "?sslmode=disable".to_string(),
                q if q.contains("sslmode=") => format!("?{q}"),
                q => format!("?{q}&sslmode=disable"),
            };
            (
                format!("{base}/{name}{options}"),
                None,
                Some((admin_url, name)),
            )
        }
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            (url, Some(dir), None)
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg_admin {
            if let Ok(mut conn) = diesel::pg::PgConnection::establish(admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

pub fn client() -> Client {
    client_with_jar().0
}

pub fn client_with_jar() -> (Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (client, jar)
}

pub async fn spawn_app() -> TestApp {
    let (database_url, dir, pg_admin) = test_database();
    let config = Config {
        database_url: database_url.clone(),
        bind: "127.0.0.1:0".into(),
        base_url: "http://127.0.0.1".into(),
        holidays: vec![],
        review_zone: seller_console::i18n::zone::Zone::review_default(),
        regions: seller_console::domain::offer::default_regions(),
        seed_demo: false,
        session_ttl_hours: 24,
        pool_size: 4,
        list_cache_mb: 16,
        session_cache: true,
        orders: Default::default(),
        usd_rates: Default::default(),
        mail: MailConfig {
            worker: false,
            ..MailConfig::default()
        },
        limits: test_limits(),
    };
    let pool = startup::prepare_database(&config).expect("database ready");
    let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
    let port = listener.local_addr().unwrap().port();
    let server = startup::run(listener, pool.clone(), config).expect("server starts");
    tokio::spawn(server);
    let (client, jar) = client_with_jar();
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        jar,
        pool,
        database_url,
        _sqlite_dir: dir,
        pg_admin,
    }
}

pub fn decode_entities(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

static CSRF: Lazy<Regex> =
    Lazy::new(|| Regex::new(r#"name="csrf_token" value="([^"]+)""#).unwrap());

pub fn csrf_in(html: &str) -> Option<String> {
    CSRF.captures(html).map(|c| c[1].to_string())
}

/// What the user sees: the status and the page text.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    pub async fn from(r: Response) -> Page {
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap_or_default().to_string());
        Page {
            status,
            location,
            body: r.text().await.unwrap_or_default(),
        }
    }

    /// True when the raw HTML or the text a reader sees (entities decoded) contains `text`.
    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text) || decode_entities(&self.body).contains(text)
    }

    #[track_caller]
    pub fn assert_has(&self, text: &str) {
        assert!(
            self.has(text),
            "expected {text:?} in page ({}):\n{}",
            self.status,
            self.body
        );
    }

    /// An input's value as rendered (askama escapes it).
    pub fn input_value(&self, name: &str) -> Option<String> {
        let re = Regex::new(&format!(r#"name="{name}" type="[a-z]+" value="([^"]*)""#)).unwrap();
        re.captures(&self.body).map(|c| c[1].to_string())
    }
}

impl TestApp {
    /// The cookies the app's client would send, as a `Cookie` header value.
    pub fn cookie_header(&self) -> String {
        let url = self.address.parse().expect("url");
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(&self.client, path).await
    }

    pub async fn get_with(&self, client: &Client, path: &str) -> Page {
        Page::from(client.get(self.url(path)).send().await.expect("GET")).await
    }

    /// The session's CSRF token, as a form on a page would carry it.
    pub fn is_postgres(&self) -> bool {
        self.pg_admin.is_some()
    }

    pub async fn token_with(&self, client: &Client) -> String {
        for path in ["/login", "/account/password"] {
            let page = self.get_with(client, path).await;
            if let Some(t) = csrf_in(&page.body) {
                return t;
            }
        }
        panic!("no CSRF token found");
    }

    /// Posts a form the way a browser would: with the session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(&self.client, path, fields).await
    }

    pub async fn post_with(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.token_with(client).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw_with(client, path, &all).await
    }

    /// Uploads a file to a product the way the editor's upload form does.
    pub async fn upload_with(
        &self,
        client: &Client,
        product: i64,
        kind: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> Page {
        let token = self.token_with(client).await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .text("kind", kind.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()),
            );
        Page::from(
            client
                .post(self.url(&format!("/console/products/{product}/uploads")))
                .multipart(form)
                .send()
                .await
                .expect("upload"),
        )
        .await
    }

    /// Posts exactly these fields, without adding a token.
    pub async fn post_raw_with(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let body = serde_html_form::to_string(fields).expect("encode form");
        Page::from(
            client
                .post(self.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// Signs up as a person would: the form, then the link of the mail it sends, then the
    /// confirmation. Returns the last answer: the confirmation's (303 to /console) when an
    /// account was made, or the form's when it was refused or the address had an account.
    pub async fn signup_with(&self, client: &Client, email: &str) -> Page {
        let page = self
            .post_with(
                client,
                "/signup",
                &[
                    ("email", email),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        if page.location.as_deref() != Some("/signup/sent") {
            return page;
        }
        let Some(token) = self.signup_token(email) else {
            return page;
        };
        let confirm = self
            .get_with(client, &format!("/signup/confirm?token={token}"))
            .await;
        let csrf = csrf_in(&confirm.body).expect("the confirmation form");
        self.post_raw_with(
            client,
            "/signup/confirm",
            &[("csrf_token", &csrf), ("token", &token)],
        )
        .await
    }

    /// The newest mail queued to `email`: its subject and text.
    pub fn last_mail_to(&self, email: &str) -> Option<(String, String)> {
        #[derive(diesel::QueryableByName)]
        struct Mail {
            #[diesel(sql_type = diesel::sql_types::Text)]
            subject: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            body_text: String,
        }
        let mut conn = self.pool.get().unwrap();
        diesel::sql_query(
            "SELECT subject, body_text FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind::<diesel::sql_types::Text, _>(email.trim().to_lowercase())
        .get_result::<Mail>(&mut conn)
        .ok()
        .map(|m| (m.subject, m.body_text))
    }

    /// The confirmation token in the newest sign-up mail to `email`, if it has one.
    pub fn signup_token(&self, email: &str) -> Option<String> {
        let (_, text) = self.last_mail_to(email)?;
        let re = Regex::new(r"/signup/confirm\?token=([A-Za-z0-9]+)").unwrap();
        re.captures(&text).map(|c| c[1].to_string())
    }

    pub async fn login_with(&self, client: &Client, email: &str, password: &str) -> Page {
        self.post_with(
            client,
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A new seller, signed in on the app's own client; returns the email. The account is
    /// made directly (as a confirmed sign-up makes it), so no sign-up mail is queued: the
    /// sign-up itself is tested in `auth`.
    pub async fn signed_in_seller(&self) -> String {
        let email = format!("{}@seller.example", unique("s"));
        self.seller_account(&self.client, &email).await;
        email
    }

    /// An unregistered seller company with one user, signed in on `client`.
    pub async fn seller_account(&self, client: &Client, email: &str) {
        let id = self.create_user(email, Role::Seller);
        self.execute(
            "INSERT INTO companies (registration_status, created_at, updated_at) \
             VALUES ('unregistered', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        );
        self.execute(&format!(
            "UPDATE users SET company_id = (SELECT MAX(id) FROM companies) WHERE id = {id}"
        ));
        let page = self.login_with(client, email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }

    /// A second seller on its own client.
    pub async fn other_seller(&self) -> (Client, String) {
        let c = client();
        let email = format!("{}@other.example", unique("o"));
        self.seller_account(&c, &email).await;
        (c, email)
    }

    pub fn create_user(&self, email: &str, role: Role) -> i64 {
        let mut conn = self.pool.get().unwrap();
        let now = db::now();
        User::insert(
            &mut conn,
            &NewUser {
                email,
                password_hash: &password::hash(PASSWORD).unwrap(),
                role: role.as_str(),
                company_id: None,
                created_at: now,
                password_changed_at: now,
            },
        )
        .unwrap()
    }

    /// A signed-in operator on its own client.
    pub async fn operator(&self) -> Client {
        let email = format!("{}@ops.example", unique("op"));
        self.create_user(&email, Role::Operator);
        let c = client();
        let page = self.login_with(&c, &email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        c
    }

    /// Marks the company of `email` as an approved seller (the review console comes later).
    pub fn approve_company_of(&self, email: &str) {
        use diesel::RunQueryDsl;
        let mut conn = self.pool.get().unwrap();
        diesel::sql_query(
            "UPDATE companies SET registration_status = 'approved', legal_name = 'Approved Co' \
             WHERE id = (SELECT company_id FROM users WHERE email = $1)",
        )
        .bind::<diesel::sql_types::Text, _>(email)
        .execute(&mut conn)
        .unwrap();
    }

    /// Runs a statement, e.g. to set up data a feature built later would make. Not bound by
    /// the app's statement budget (a test may load much data through it).
    pub fn execute(&self, sql: &str) {
        use diesel::RunQueryDsl;
        let mut conn = self.pool.get().unwrap();
        conn.transaction::<_, diesel::result::Error, _>(|c| {
            if db::backend_of(c) == db::Backend::Postgres {
                diesel::sql_query("SET LOCAL statement_timeout = 0").execute(c)?;
            }
            diesel::sql_query(sql).execute(c)
        })
        .unwrap();
        self.reach_app(&mut conn);
    }

    /// A write behind the app's back is another instance's: the app hears of it by
    /// notification (PostgreSQL), and this waits until it has (see `session_cache::sync`).
    fn reach_app(&self, conn: &mut db::DbConn) {
        if let db::DbConn::Postgres(c) = conn {
            let timeout = std::time::Duration::from_secs(5);
            assert!(
                seller_console::auth::session_cache::sync(&self.database_url, c, timeout),
                "the app did not hear of a write within {timeout:?}"
            );
        }
    }

    /// Every session ends by expiring, a minute ago (as an idle session does).
    pub fn expire_sessions(&self) {
        let fmt =
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
        let minute_ago = (db::now() - time::Duration::minutes(1))
            .format(fmt)
            .unwrap();
        self.execute(&format!("UPDATE sessions SET expires_at = '{minute_ago}'"));
    }

    /// Runs library code on the app's database, for data a feature built later would make.
    pub fn with_conn<T>(&self, f: impl FnOnce(&mut db::DbConn) -> T) -> T {
        let mut conn = self.pool.get().unwrap();
        let done = f(&mut conn);
        self.reach_app(&mut conn);
        done
    }

    pub fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.pool.get().unwrap();
        diesel::sql_query(sql).get_result::<N>(&mut conn).unwrap().n
    }
}

/// What a mail test needs of its app; `Default` is a worker-less app writing .eml files.
#[derive(Debug, Clone)]
pub struct TestOptions {
    pub smtp_url: Option<String>,
    pub worker: bool,
    pub backoff_ms: u64,
    pub max_attempts: i32,
    pub poll_ms: u64,
    pub pool_size: u32,
    pub limits: Limits,
    /// The public base URL, when not the app's own address (e.g. an https one).
    pub base_url: Option<String>,
    /// HOLIDAYS.
    pub holidays: Vec<time::Date>,
    /// SMS_GATEWAY_URL and SMS_GATEWAY_SECRET.
    pub sms: Option<seller_console::config::SmsConfig>,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            smtp_url: None,
            worker: false,
            backoff_ms: 100,
            max_attempts: 8,
            poll_ms: 50,
            pool_size: 4,
            limits: test_limits(),
            base_url: None,
            holidays: Vec::new(),
            sms: None,
        }
    }
}

/// A TestApp whose base URL is its real address (links in mail work), with its own mail dir
/// and, when asked, an outbox worker sharing the handlers' wake-up.
pub struct MailApp {
    pub app: TestApp,
    pub config: Config,
    pub wakeup: Arc<tokio::sync::Notify>,
    _mail_dir: tempfile::TempDir,
    workers: std::sync::Mutex<Vec<seller_console::outbox::worker::WorkerHandle>>,
}

impl std::ops::Deref for MailApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl MailApp {
    /// One more worker on the same database and wake-up (as a second instance would be).
    pub fn spawn_worker(&self) -> String {
        let handle = seller_console::outbox::worker::spawn(
            self.app.pool.clone(),
            &self.config.mail,
            self.wakeup.clone(),
        )
        .expect("worker starts");
        let id = handle.id.clone();
        self.workers.lock().unwrap().push(handle);
        id
    }
}

impl Drop for MailApp {
    /// Workers stop before the test database goes.
    fn drop(&mut self) {
        for w in self.workers.lock().unwrap().drain(..) {
            w.abort();
        }
    }
}

pub async fn spawn_app_with(options: TestOptions) -> MailApp {
    let (database_url, dir, pg_admin) = test_database();
    let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
    let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let mail_dir = tempfile::tempdir().expect("mail dir");
    let config = Config {
        database_url: database_url.clone(),
        bind: "127.0.0.1:0".into(),
        base_url: options.base_url.clone().unwrap_or_else(|| address.clone()),
        holidays: options.holidays.clone(),
        review_zone: seller_console::i18n::zone::Zone::review_default(),
        regions: seller_console::domain::offer::default_regions(),
        seed_demo: false,
        session_ttl_hours: 24,
        pool_size: options.pool_size,
        list_cache_mb: 16,
        session_cache: true,
        orders: Default::default(),
        usd_rates: Default::default(),
        mail: MailConfig {
            smtp_url: options.smtp_url.clone(),
            mail_dir: mail_dir.path().join("outgoing"),
            max_attempts: options.max_attempts,
            backoff_base_ms: options.backoff_ms,
            poll_interval_ms: options.poll_ms,
            worker: options.worker,
            sms: options.sms.clone(),
            ..MailConfig::default()
        },
        limits: options.limits.clone(),
    };
    let pool = startup::prepare_database(&config).expect("database ready");
    let wakeup = Arc::new(tokio::sync::Notify::new());
    let worker =
        startup::spawn_outbox_worker(pool.clone(), &config, wakeup.clone()).expect("worker starts");
    let server = startup::run_with_wakeup(listener, pool.clone(), config.clone(), wakeup.clone())
        .expect("server starts");
    tokio::spawn(server);
    let (client, jar) = client_with_jar();
    MailApp {
        app: TestApp {
            address,
            client,
            jar,
            pool,
            database_url: database_url.clone(),
            _sqlite_dir: dir,
            pg_admin,
        },
        config,
        wakeup,
        _mail_dir: mail_dir,
        workers: std::sync::Mutex::new(worker.into_iter().collect()),
    }
}
