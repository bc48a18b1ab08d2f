//! The notification outbox: an email is written here in the same transaction as the decision
//! it reports, and a background worker delivers it (see `worker`).

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
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub next_attempt_at: PrimitiveDateTime,
    pub locked_until: Option<PrimitiveDateTime>,
    pub claimed_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub sent_at: Option<PrimitiveDateTime>,
    pub updated_at: PrimitiveDateTime,
}

impl OutboxMessage {
    pub fn status(&self) -> OutboxStatus {
        OutboxStatus::parse(&self.status).unwrap_or(OutboxStatus::Queued)
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
