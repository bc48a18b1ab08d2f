//! Benchmark tools for orders (issue 12): `bench-orders` adds orders to a `bench-data` dataset
//! (seller #1 gets many, every other bench seller a few; most completed last month, so the
//! bill job has work), and `bench-bill` times the monthly bill job.

use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::bench::seller_email;
use crate::config::Config;
use crate::db::schema::{app_settings, product_releases, products, users};
use crate::db::{self, backend_of, Backend, DbConn};
use crate::domain::statuses::Role;

const MARKER: &str = "bench_orders";
const BUYER_EMAIL: &str = "bench-buyer@bench.example";
/// Rows per INSERT statement, and per transaction.
const ROWS_PER_STATEMENT: usize = 500;
const ROWS_PER_TRANSACTION: usize = 20_000;

pub struct OrderBenchOptions {
    /// Orders of bench seller #1 (the one Product Transaction is measured for).
    pub big_seller_orders: u32,
    /// Orders of every other bench seller.
    pub orders_per_seller: u32,
    pub if_missing: bool,
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// A product of a seller that orders can point at: (company, product, release, name, method).
type Orderable = (i64, i64, i64, String, String);

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn stamp(t: time::PrimitiveDateTime) -> String {
    format!(
        "'{:04}-{:02}-{:02} {:02}:{:02}:{:02}'",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// One order row's VALUES, in the column order of `COLUMNS`.
fn row(rng: &mut StdRng, buyer: i64, p: &Orderable, now: time::PrimitiveDateTime) -> String {
    let (company, product, release, name, method) = p;
    let amount: i64 = rng.gen_range(100..1_000_000);
    // 70% completed, 10% processing, 10% unpaid, 5% cancelled, 5% expired.
    let roll = rng.gen_range(0..100);
    let state = match roll {
        0..=69 => "completed",
        70..=79 => "processing",
        80..=89 => "pending_payment",
        90..=94 => "cancelled",
        _ => "expired",
    };
    // Over two months; an unpaid order is one of the last day's, as a running sweeper leaves
    // them (an older one would be closed by the first sweep of the server under test, a
    // backlog no live marketplace has).
    let minutes = if state == "pending_payment" {
        60 * 24
    } else {
        60 * 24 * 62
    };
    let created = now - time::Duration::minutes(rng.gen_range(0..minutes));
    let paid =
        matches!(state, "completed" | "processing").then_some(created + time::Duration::hours(1));
    let closed = match state {
        "completed" => paid,
        "cancelled" | "expired" => Some(created + time::Duration::hours(2)),
        _ => None,
    };
    let opt = |t: Option<time::PrimitiveDateTime>| t.map(stamp).unwrap_or_else(|| "NULL".into());
    format!(
        "({buyer}, {product}, {company}, {release}, {}, {}, 'Standard', 'sku-1', '', 'one_time', NULL, \
         'once', 1, 'cn', 'CNY', {amount}, 1000, FALSE, '{state}', {c}, {c}, {pay_by}, {paid}, {paid}, \
         NULL, {closed}, NULL, NULL, NULL)",
        quoted(name),
        quoted(method),
        c = stamp(created),
        pay_by = stamp(created + time::Duration::hours(24)),
        paid = opt(paid),
        closed = opt(closed),
    )
}

const COLUMNS: &str = "buyer_id, product_id, company_id, release_id, product_name, \
    delivery_method, spec_name, sku_key, sku_label, billing, quantity, period_kind, period_count, \
    region, currency, amount_minor, platform_share_bp, trial, state, created_at, updated_at, \
    pay_by, paid_at, starts_at, expires_at, closed_at, flow, step, delivered_at";

fn bench_buyer(conn: &mut DbConn) -> anyhow::Result<i64> {
    let found: Option<i64> = users::table
        .filter(users::email.eq(BUYER_EMAIL))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    // bench-data gives its users their ids: PostgreSQL's sequence has to catch up first.
    if backend_of(conn) == Backend::Postgres {
        conn.batch_execute(
            "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT COALESCE(MAX(id), 1) FROM users))",
        )?;
    }
    let now = db::now();
    let hash = crate::auth::password::hash(crate::bench::BENCH_PASSWORD)?;
    Ok(diesel::insert_into(users::table)
        .values((
            users::email.eq(BUYER_EMAIL),
            users::password_hash.eq(hash),
            users::role.eq(Role::Buyer.as_str()),
            users::created_at.eq(now),
            users::password_changed_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)?)
}

pub fn bench_orders(config: &Config, opts: &OrderBenchOptions) -> anyhow::Result<()> {
    let pool = crate::startup::prepare_tool_database(config)?;
    let mut conn = pool.get()?;
    let conn = &mut *conn;
    let done: Option<String> = app_settings::table
        .filter(app_settings::name.eq(MARKER))
        .select(app_settings::value)
        .first(conn)
        .optional()?;
    if let Some(summary) = done {
        if opts.if_missing {
            println!("Bench orders already loaded ({summary}); nothing to do.");
            return Ok(());
        }
        anyhow::bail!("the database already has bench orders ({summary})");
    }
    let backend = backend_of(conn);
    match backend {
        Backend::Sqlite => conn.batch_execute("PRAGMA synchronous = OFF;")?,
        Backend::Postgres => conn.batch_execute("SET synchronous_commit = off;")?,
    }
    let buyer = bench_buyer(conn)?;
    let big: Option<i64> = users::table
        .filter(users::email.eq(seller_email(1)))
        .select(users::company_id)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten();
    let Some(big) = big else {
        anyhow::bail!("no bench seller #1: run bench-data first");
    };
    // The first released product of every bench seller.
    let mut orderable: Vec<Orderable> = products::table
        .inner_join(product_releases::table.on(product_releases::product_id.eq(products::id)))
        .inner_join(users::table.on(users::company_id.eq(products::company_id.nullable())))
        .filter(users::email.like("bench-seller-%@bench.example"))
        .order((products::company_id, products::id))
        .select((
            products::company_id,
            products::id,
            product_releases::id,
            products::name,
            products::delivery_method,
        ))
        .load::<Orderable>(conn)?;
    orderable.dedup_by_key(|o| o.0);
    if orderable.is_empty() {
        anyhow::bail!("no released bench product: run bench-data first");
    }
    let mut rng = StdRng::seed_from_u64(12);
    let now = db::now();
    let started = Instant::now();
    let mut pending: Vec<String> = Vec::with_capacity(ROWS_PER_TRANSACTION);
    let mut written: u64 = 0;
    let mut flush = |conn: &mut DbConn, rows: &mut Vec<String>| -> anyhow::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        db::write_transaction(conn, |c| {
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                c.batch_execute(&format!(
                    "INSERT INTO orders ({COLUMNS}) VALUES {}",
                    chunk.join(",")
                ))?;
            }
            Ok(())
        })
        .map_err(err)?;
        written += rows.len() as u64;
        rows.clear();
        Ok(())
    };
    for p in &orderable {
        let n = if p.0 == big {
            opts.big_seller_orders
        } else {
            opts.orders_per_seller
        };
        for _ in 0..n {
            pending.push(row(&mut rng, buyer, p, now));
            if pending.len() >= ROWS_PER_TRANSACTION {
                flush(conn, &mut pending)?;
            }
        }
    }
    flush(conn, &mut pending)?;
    if backend == Backend::Postgres {
        // As autovacuum leaves a live table: hint bits set, visibility map and statistics
        // current (the first pass over freshly loaded rows would otherwise rewrite them all).
        conn.batch_execute("VACUUM ANALYZE orders;")?;
    }
    let secs = started.elapsed().as_secs_f64();
    let summary = format!(
        "{written} orders of {} sellers, {} for seller #1",
        orderable.len(),
        opts.big_seller_orders
    );
    db::write_transaction(conn, |c| {
        diesel::insert_into(app_settings::table)
            .values((
                app_settings::name.eq(MARKER),
                app_settings::value.eq(&summary),
            ))
            .execute(c)?;
        Ok(())
    })
    .map_err(err)?;
    println!(
        "Loaded {summary} in {secs:.1} s ({:.0} orders/s).",
        written as f64 / secs.max(0.001)
    );
    Ok(())
}

/// Runs the bill job for `period` and says how long it took; `again` first undoes that
/// month's bills (a re-run measures the same work).
pub fn bench_bill(config: &Config, period: &str, again: bool) -> anyhow::Result<()> {
    let pool = crate::startup::prepare_tool_database(config)?;
    let mut conn = pool.get()?;
    if again {
        conn.batch_execute(&format!(
            "UPDATE orders SET sale_bill_id = NULL WHERE sale_bill_id IN (SELECT id FROM bills WHERE period = {p}); \
             UPDATE orders SET refund_bill_id = NULL WHERE refund_bill_id IN (SELECT id FROM bills WHERE period = {p}); \
             DELETE FROM bill_lines WHERE bill_id IN (SELECT id FROM bills WHERE period = {p}); \
             DELETE FROM bill_totals WHERE bill_id IN (SELECT id FROM bills WHERE period = {p}); \
             DELETE FROM messages WHERE link LIKE '/console/settlement/%'; \
             DELETE FROM outbox WHERE body_text LIKE '%/console/settlement/%'; \
             DELETE FROM bills WHERE period = {p};",
            p = quoted(period)
        ))?;
        // The undo leaves a dead version of every billed order; autovacuum would have
        // cleared them in the month before a real run.
        if backend_of(&conn) == Backend::Postgres {
            conn.batch_execute("VACUUM ANALYZE orders, bills, bill_lines, bill_totals;")?;
        }
    }
    let settings = crate::applications::NotifySettings {
        base_url: &config.base_url,
        max_attempts: config.mail.max_attempts,
        sms: false,
    };
    let started = Instant::now();
    let made = crate::models::bill::generate(&mut conn, period, &settings).map_err(err)?;
    let secs = started.elapsed().as_secs_f64();
    use crate::db::schema::{bill_lines, bills};
    let lines: i64 = bill_lines::table
        .inner_join(bills::table)
        .filter(bills::period.eq(period))
        .count()
        .get_result(&mut *conn)?;
    // Nobody reads a bench's mail: the job's notices would otherwise go out while the next
    // run measures pages (ten thousand mails at once; see the README for what that costs).
    let dropped = diesel::sql_query(
        "DELETE FROM outbox WHERE status = 'queued' AND body_text LIKE '%/console/settlement/%'",
    )
    .execute(&mut *conn)?;
    if backend_of(&conn) == Backend::Postgres {
        conn.batch_execute("CHECKPOINT;")?;
    }
    println!(
        "Bill job for {period}: {made} bills with {lines} lines in {secs:.1} s ({dropped} notices dropped from the outbox)."
    );
    Ok(())
}
