//! The notification outbox: an email is written here in the same transaction as the decision
//! it reports, and a background worker delivers it (see `worker`).

pub mod sms;
pub mod worker;

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::outbox;
use crate::db::DbConn;
use crate::error::AppError;

pub use crate::domain::statuses::OutboxStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: i64,
    pub company_id: Option<i64>,
    pub application_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub next_attempt_at: PrimitiveDateTime,
    pub locked_until: Option<PrimitiveDateTime>,
    pub claimed_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub sent_at: Option<PrimitiveDateTime>,
    pub updated_at: PrimitiveDateTime,
    /// "email", or "sms" (the recipient is a phone number, the text is `body_text`).
    pub channel: String,
}

impl OutboxMessage {
    pub fn status(&self) -> OutboxStatus {
        self.status
    }
}

/// An email to send; rendered by `crate::email`.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub company_id: Option<i64>,
    pub application_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
}

/// Queues a message for the worker. Call inside the transaction of the change it reports.
pub fn enqueue(conn: &mut DbConn, mail: &NewMail, max_attempts: i32) -> Result<i64, AppError> {
    let now = crate::db::now();
    Ok(diesel::insert_into(outbox::table)
        .values((
            outbox::company_id.eq(mail.company_id),
            outbox::application_id.eq(mail.application_id),
            outbox::recipient.eq(&mail.recipient),
            outbox::subject.eq(&mail.subject),
            outbox::body_text.eq(&mail.body_text),
            outbox::body_html.eq(&mail.body_html),
            outbox::status.eq(OutboxStatus::Queued.as_str()),
            outbox::attempts.eq(0),
            outbox::max_attempts.eq(max_attempts),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
            outbox::updated_at.eq(now),
        ))
        .returning(outbox::id)
        .get_result(conn)?)
}

/// The longest SMS text queued: a title and a link.
pub const SMS_MAX_CHARS: usize = 500;

/// Queues an SMS for the worker (it goes through `SMS_GATEWAY_URL`), in the transaction of the
/// change it reports, with the same retries and states as an email.
pub fn enqueue_sms(
    conn: &mut DbConn,
    company_id: Option<i64>,
    application_id: Option<i64>,
    phone: &str,
    text: &str,
    max_attempts: i32,
) -> Result<i64, AppError> {
    let now = crate::db::now();
    let text: String = text.chars().take(SMS_MAX_CHARS).collect();
    let subject: String = text.chars().take(200).collect();
    Ok(diesel::insert_into(outbox::table)
        .values((
            outbox::company_id.eq(company_id),
            outbox::application_id.eq(application_id),
            outbox::recipient.eq(phone),
            outbox::subject.eq(&subject),
            outbox::body_text.eq(&text),
            outbox::body_html.eq(""),
            outbox::status.eq(OutboxStatus::Queued.as_str()),
            outbox::attempts.eq(0),
            outbox::max_attempts.eq(max_attempts),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
            outbox::updated_at.eq(now),
            outbox::channel.eq("sms"),
        ))
        .returning(outbox::id)
        .get_result(conn)?)
}

/// The business contact's phone of a company, when SMS is on and it has one.
pub fn sms_phone(
    conn: &mut DbConn,
    company_id: i64,
    sms: bool,
) -> Result<Option<String>, AppError> {
    if !sms {
        return Ok(None);
    }
    use crate::db::schema::companies;
    Ok(companies::table
        .find(company_id)
        .select(companies::contact_phone)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten()
        .filter(|p| !p.trim().is_empty()))
}

/// Rows on one page of /ops/outbox.
pub const PAGE_SIZE: i64 = 50;

/// The operators' list: newest first, optionally one status.
pub fn list(
    conn: &mut DbConn,
    status: Option<OutboxStatus>,
    page: i64,
) -> Result<(Vec<OutboxMessage>, i64), AppError> {
    let filtered = || {
        let mut q = outbox::table.into_boxed();
        if let Some(s) = status {
            q = q.filter(outbox::status.eq(s.as_str()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .select(OutboxMessage::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// How many messages have each status, for the filter tabs.
pub fn counts(conn: &mut DbConn) -> Result<Vec<(String, i64)>, AppError> {
    Ok(outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?)
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<OutboxMessage, AppError> {
    Ok(outbox::table
        .find(id)
        .select(OutboxMessage::as_select())
        .first(conn)?)
}

/// Queues a failed message again with a fresh set of attempts. `Conflict` when it is not
/// failed (a message being sent or already sent must not go twice).
pub fn retry(conn: &mut DbConn, id: i64) -> Result<(), AppError> {
    let now = crate::db::now();
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(OutboxStatus::Failed.as_str())),
    )
    .set((
        outbox::status.eq(OutboxStatus::Queued.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::locked_until.eq(None::<PrimitiveDateTime>),
        outbox::claimed_by.eq(None::<String>),
        outbox::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 1 {
        return Ok(());
    }
    let current = find(conn, id)?;
    Err(AppError::Conflict(
        crate::i18n::Msg::new("ops-retry-not-failed")
            .arg("id", id)
            .arg("status", current.status().as_str()),
    ))
}
