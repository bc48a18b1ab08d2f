//! The delivery worker: claims due outbox rows under a lease, sends them outside any database
//! transaction, then records the outcome only if it still holds the claim.
//!
//! A crash between sending and recording leaves the row `sending`; once the lease runs out any
//! worker claims it again and sends it once more with the same Message-ID (at-least-once, with
//! the id to recognise the duplicate). Every other path sends each message once.

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use futures_util::StreamExt;
use time::PrimitiveDateTime;
use tokio::sync::Notify;

use crate::config::MailConfig;
use crate::db::schema::outbox;
use crate::db::{self, DbConn, DbPool};
use crate::email::transport::{self, Mailer, SendError};
use crate::error::AppError;
use crate::outbox::{OutboxMessage, OutboxStatus};

/// How long a claim holds a row; longer than any one SMTP exchange (see the transport timeout).
pub const LEASE: Duration = Duration::from_secs(60);
/// Rows claimed at once; their sends run concurrently over the SMTP pool.
pub const BATCH: i64 = 32;
const SEND_CONCURRENCY: usize = 8;
const MAX_BACKOFF_MS: u64 = 60 * 60 * 1000;
/// Longest error text kept on the row.
const ERROR_LIMIT: usize = 500;

pub struct Worker {
    pool: DbPool,
    mailer: Mailer,
    /// SMS_GATEWAY_URL's gateway; without one an SMS row fails for good.
    sms: Option<super::sms::Gateway>,
    from: String,
    backoff_base_ms: u64,
    poll_interval: Duration,
    id: String,
}

/// A running worker; dropping it leaves the worker running, `abort` stops it.
pub struct WorkerHandle {
    pub id: String,
    task: tokio::task::JoinHandle<()>,
}

impl WorkerHandle {
    pub fn abort(&self) {
        self.task.abort();
    }
}

/// Starts a worker on the current Tokio runtime (actix's included). `wakeup` is the Notify the
/// request handlers ping after committing mail; the worker also polls every `poll_interval_ms`.
pub fn spawn(
    pool: DbPool,
    config: &MailConfig,
    wakeup: Arc<Notify>,
) -> anyhow::Result<WorkerHandle> {
    let worker = Worker::new(pool, config)?;
    let id = worker.id.clone();
    tracing::info!(worker = %id, smtp = config.smtp_url.is_some(), "outbox worker started");
    // tokio::spawn rather than actix's spawn_local: the future is Send, and this also works
    // where no actix LocalSet exists (the integration tests run on #[tokio::test]).
    let task = tokio::spawn(worker.run(wakeup));
    Ok(WorkerHandle { id, task })
}

/// The wait before the next try after `attempts` failed ones: base × 2^(attempts−1), at most
/// an hour.
pub fn backoff_ms(base_ms: u64, attempts: i32) -> u64 {
    let exp = (attempts.max(1) - 1).min(40) as u32;
    base_ms
        .saturating_mul(1u64.checked_shl(exp).unwrap_or(u64::MAX))
        .min(MAX_BACKOFF_MS)
}

fn plus_ms(t: PrimitiveDateTime, ms: u64) -> PrimitiveDateTime {
    t.saturating_add(time::Duration::milliseconds(ms.min(i64::MAX as u64) as i64))
}

impl Worker {
    pub fn new(pool: DbPool, config: &MailConfig) -> anyhow::Result<Worker> {
        use rand::Rng;
        Ok(Worker {
            pool,
            mailer: Mailer::from_config(config)?,
            sms: config
                .sms
                .as_ref()
                .map(super::sms::Gateway::new)
                .transpose()?,
            from: config.from.clone(),
            backoff_base_ms: config.backoff_base_ms,
            poll_interval: Duration::from_millis(config.poll_interval_ms),
            id: format!(
                "worker-{}-{:08x}",
                std::process::id(),
                rand::thread_rng().gen::<u32>()
            ),
        })
    }

    async fn run(self, wakeup: Arc<Notify>) {
        loop {
            match self.run_once().await {
                // A full batch: there may be more due right now.
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(worker = %self.id, "outbox: {e}"),
            }
            tokio::select! {
                _ = wakeup.notified() => {}
                _ = tokio::time::sleep(self.poll_interval) => {}
            }
        }
    }

    /// Claims one batch, sends it and records the outcomes; returns how many were claimed.
    pub async fn run_once(&self) -> Result<usize, AppError> {
        let id = self.id.clone();
        let batch = db::run(&self.pool, move |c| claim(c, &id, BATCH)).await?;
        if batch.is_empty() {
            return Ok(0);
        }
        let n = batch.len();
        let from = self.from.as_str();
        let results: Vec<(OutboxMessage, Result<(), SendError>)> =
            futures_util::stream::iter(batch)
                .map(|row| async move {
                    let sent = if row.channel == "sms" {
                        match &self.sms {
                            Some(gateway) => gateway.send(&row).await,
                            None => Err(SendError {
                                permanent: true,
                                message: "SMS_GATEWAY_URL is not set".into(),
                            }),
                        }
                    } else {
                        match transport::build(&row, from) {
                            Ok(message) => self.mailer.send(message).await,
                            Err(e) => Err(e),
                        }
                    };
                    (row, sent)
                })
                .buffer_unordered(SEND_CONCURRENCY)
                .collect()
                .await;
        let id = self.id.clone();
        let base = self.backoff_base_ms;
        db::run(&self.pool, move |c| {
            db::outbox_transaction(c, |c| {
                for (row, result) in &results {
                    record(c, &id, row, result, base)?;
                }
                Ok(())
            })
        })
        .await?;
        Ok(n)
    }
}

/// Takes up to `limit` due rows for this worker: `sending` ones whose lease ran out (their
/// worker died) first, then queued ones whose time has come, oldest first. PostgreSQL skips
/// rows another worker is claiming at this moment; SQLite has one writer, so the write
/// transaction is enough.
///
/// Each kind is read in the order of its index (`outbox_queue`, migration 000018) and stops at
/// `limit`: a claim costs the same with ten queued rows or ten thousand (the monthly bills
/// queue one per seller at once). One query for both, with an OR, read and sorted every due
/// row on each claim, and its time grew with the queue.
pub fn claim(
    conn: &mut DbConn,
    worker_id: &str,
    limit: i64,
) -> Result<Vec<OutboxMessage>, AppError> {
    let now = db::now();
    let lease_until = plus_ms(now, LEASE.as_millis() as u64);
    if let DbConn::Postgres(pg) = conn {
        return Ok(pg.transaction(|pg| {
            let mut ids: Vec<i64> = outbox::table
                .filter(outbox::status.eq(OutboxStatus::Sending.as_str()))
                .filter(outbox::locked_until.lt(now))
                .order((outbox::next_attempt_at, outbox::id))
                .limit(limit)
                .select(outbox::id)
                .for_update()
                .skip_locked()
                .load(pg)?;
            let more = limit - ids.len() as i64;
            if more > 0 {
                ids.extend(
                    outbox::table
                        .filter(outbox::status.eq(OutboxStatus::Queued.as_str()))
                        .filter(outbox::next_attempt_at.le(now))
                        .order((outbox::next_attempt_at, outbox::id))
                        .limit(more)
                        .select(outbox::id)
                        .for_update()
                        .skip_locked()
                        .load::<i64>(pg)?,
                );
            }
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set((
                    outbox::status.eq(OutboxStatus::Sending.as_str()),
                    outbox::locked_until.eq(Some(lease_until)),
                    outbox::claimed_by.eq(Some(worker_id)),
                    outbox::updated_at.eq(now),
                ))
                .returning(OutboxMessage::as_returning())
                .get_results(pg)
        })?);
    }
    db::outbox_transaction(conn, |c| {
        let mut ids: Vec<i64> = outbox::table
            .filter(outbox::status.eq(OutboxStatus::Sending.as_str()))
            .filter(outbox::locked_until.lt(now))
            .order((outbox::next_attempt_at, outbox::id))
            .limit(limit)
            .select(outbox::id)
            .load(c)?;
        let more = limit - ids.len() as i64;
        if more > 0 {
            ids.extend(
                outbox::table
                    .filter(outbox::status.eq(OutboxStatus::Queued.as_str()))
                    .filter(outbox::next_attempt_at.le(now))
                    .order((outbox::next_attempt_at, outbox::id))
                    .limit(more)
                    .select(outbox::id)
                    .load::<i64>(c)?,
            );
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // MultiConnection cannot return a Selectable, so read the claimed rows back.
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::status.eq(OutboxStatus::Sending.as_str()),
                outbox::locked_until.eq(Some(lease_until)),
                outbox::claimed_by.eq(Some(worker_id)),
                outbox::updated_at.eq(now),
            ))
            .execute(c)?;
        Ok(outbox::table
            .filter(outbox::id.eq_any(&ids))
            .order((outbox::next_attempt_at, outbox::id))
            .select(OutboxMessage::as_select())
            .load(c)?)
    })
}

/// Writes what happened to one claimed row, only while this worker still holds the claim: a
/// worker whose lease ran out (and whose row another worker took) changes nothing.
pub fn record(
    conn: &mut DbConn,
    worker_id: &str,
    row: &OutboxMessage,
    result: &Result<(), SendError>,
    backoff_base_ms: u64,
) -> Result<bool, AppError> {
    let now = db::now();
    let mine = outbox::table
        .filter(outbox::id.eq(row.id))
        .filter(outbox::status.eq(OutboxStatus::Sending.as_str()))
        .filter(outbox::claimed_by.eq(worker_id));
    let attempts = row.attempts.saturating_add(1);
    let changed = match result {
        Ok(()) => diesel::update(mine)
            .set((
                outbox::status.eq(OutboxStatus::Sent.as_str()),
                outbox::attempts.eq(attempts),
                outbox::sent_at.eq(Some(now)),
                outbox::locked_until.eq(None::<PrimitiveDateTime>),
                outbox::last_error.eq(None::<String>),
                outbox::updated_at.eq(now),
            ))
            .execute(conn)?,
        Err(e) => {
            let give_up = e.permanent || attempts >= row.max_attempts;
            let status = if give_up {
                OutboxStatus::Failed
            } else {
                OutboxStatus::Queued
            };
            let next = if give_up {
                now
            } else {
                plus_ms(now, backoff_ms(backoff_base_ms, attempts))
            };
            let error: String = e.message.chars().take(ERROR_LIMIT).collect();
            tracing::warn!(outbox = row.id, attempts, give_up, "mail not sent: {error}");
            diesel::update(mine)
                .set((
                    outbox::status.eq(status.as_str()),
                    outbox::attempts.eq(attempts),
                    outbox::next_attempt_at.eq(next),
                    outbox::locked_until.eq(None::<PrimitiveDateTime>),
                    outbox::last_error.eq(Some(error)),
                    outbox::updated_at.eq(now),
                ))
                .execute(conn)?
        }
    };
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_an_hour() {
        assert_eq!(backoff_ms(2_000, 1), 2_000);
        assert_eq!(backoff_ms(2_000, 2), 4_000);
        assert_eq!(backoff_ms(2_000, 5), 32_000);
        assert_eq!(backoff_ms(2_000, 30), 3_600_000);
        assert_eq!(backoff_ms(u64::MAX, 64), 3_600_000);
        assert_eq!(backoff_ms(0, 3), 0);
    }
}
