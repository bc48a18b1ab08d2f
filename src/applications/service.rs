//! The one service every kind of application goes through: submit (one open application per
//! subject), claim, decide (the timeline, the kind's effect, the seller's message and the
//! email in the outbox, all in one transaction) and withdraw.
//!
//! Every change of status is a conditional UPDATE (`WHERE status IN (...)`): of two operators
//! deciding at once, exactly one changes a row; the other finds it decided and is told so. On
//! PostgreSQL the second UPDATE waits for the first one's row lock and then re-reads the row;
//! on SQLite the write lock serialises the two transactions.

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use super::Payload;
use crate::db::schema::{application_events, applications, users};
use crate::db::{write_transaction, DbConn};
use crate::domain::statuses::{ApplicationStatus, ProductEventKind};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::models::application::{open_for_product, open_of_kind, Application};
use crate::models::message::{self, NewMessage};
use crate::models::product_event;
use crate::models::review::{find, find_for_company};
use crate::outbox;

/// What a seller submits; the due date is computed by the caller from the working-day rules.
pub struct NewApplication<'a> {
    pub company_id: i64,
    /// The kind is the payload's.
    pub payload: &'a Payload,
    pub subject: &'a str,
    pub product_id: Option<i64>,
    pub submitted_by: i64,
    pub due_date: Date,
    pub may_take_longer: bool,
}

pub enum SubmitOutcome {
    Submitted(i64),
    /// Another application on the same subject is still open.
    AlreadyOpen(Box<Application>),
}

/// What a reviewer decided.
pub struct Decision {
    pub approve: bool,
    /// Required for a rejection (checked by `domain::review::check_reason`).
    pub reason: Option<String>,
    /// Form field names the rejection is about (already filtered by `known_fields`).
    pub fields: Vec<String>,
}

/// Where links in emails point, and how often the outbox retries.
pub struct NotifySettings<'a> {
    pub base_url: &'a str,
    pub max_attempts: i32,
    /// SMS_GATEWAY_URL is set: the business contact also gets an SMS.
    pub sms: bool,
}

/// The same, owned: what a handler moves into its database work (see `AppState::notifier`).
#[derive(Debug, Clone)]
pub struct Notifier {
    pub base_url: String,
    pub max_attempts: i32,
    pub sms: bool,
}

impl Notifier {
    pub fn settings(&self) -> NotifySettings<'_> {
        NotifySettings {
            base_url: &self.base_url,
            max_attempts: self.max_attempts,
            sms: self.sms,
        }
    }
}

pub enum DecideOutcome {
    Decided(Box<Application>),
    /// Someone else decided (or the seller withdrew) first.
    AlreadyDecided(Box<Application>),
}

pub enum ClaimOutcome {
    Claimed,
    /// Not pending any more: claimed by someone, decided or withdrawn.
    NotPending(Box<Application>),
}

/// Stores the application and its first timeline event. Call inside a write transaction that
/// holds the company's lock, so the one-open-application check cannot race.
pub fn submit(conn: &mut DbConn, new: NewApplication) -> Result<SubmitOutcome, AppError> {
    let kind = new.payload.kind();
    let payload = new.payload.to_json()?;
    let open = match new.product_id {
        _ if kind.is_benefit() => None,
        Some(product_id) => open_for_product(conn, product_id)?,
        None => open_of_kind(conn, new.company_id, kind)?,
    };
    if let Some(open) = open {
        return Ok(SubmitOutcome::AlreadyOpen(Box::new(open)));
    }
    let now = crate::db::now();
    let id: i64 = diesel::insert_into(applications::table)
        .values((
            applications::company_id.eq(new.company_id),
            applications::kind.eq(kind),
            applications::subject.eq(new.subject),
            applications::status.eq(ApplicationStatus::Pending.as_str()),
            applications::payload.eq(&payload),
            applications::product_id.eq(new.product_id),
            applications::submitted_by.eq(new.submitted_by),
            applications::submitted_at.eq(now),
            applications::due_date.eq(new.due_date),
            applications::may_take_longer.eq(new.may_take_longer),
            applications::updated_at.eq(now),
        ))
        .returning(applications::id)
        .get_result(conn)?;
    diesel::insert_into(application_events::table)
        .values((
            application_events::application_id.eq(id),
            application_events::actor_id.eq(Some(new.submitted_by)),
            application_events::status.eq(ApplicationStatus::Pending.as_str()),
            application_events::comment.eq(Some(Msg::new("event-submitted").to_stored())),
            application_events::created_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(product_id) = new.product_id {
        crate::models::product_event::record(
            conn,
            crate::models::product_event::NewEvent {
                product_id,
                actor_id: Some(new.submitted_by),
                kind: crate::domain::statuses::ProductEventKind::Submitted,
                application_id: Some(id),
                detail: None,
                at: now,
            },
        )?;
    }
    Ok(SubmitOutcome::Submitted(id))
}

/// A step of the application's timeline, and of its product's history when it has one.
fn add_event(
    conn: &mut DbConn,
    app: &Application,
    actor_id: i64,
    status: ApplicationStatus,
    comment: Option<Msg>,
    at: PrimitiveDateTime,
) -> Result<(), AppError> {
    let comment = comment.map(|m| m.to_stored());
    diesel::insert_into(application_events::table)
        .values((
            application_events::application_id.eq(app.id),
            application_events::actor_id.eq(Some(actor_id)),
            application_events::status.eq(status.as_str()),
            application_events::comment.eq(comment),
            application_events::created_at.eq(at),
        ))
        .execute(conn)?;
    if let Some(product_id) = app.product_id {
        product_event::record(
            conn,
            product_event::NewEvent {
                product_id,
                actor_id: Some(actor_id),
                kind: ProductEventKind::for_status(status),
                application_id: Some(app.id),
                detail: None,
                at,
            },
        )?;
    }
    Ok(())
}

/// An operator takes a pending application: it shows as In review, with their name.
pub fn claim(conn: &mut DbConn, id: i64, operator_id: i64) -> Result<ClaimOutcome, AppError> {
    write_transaction(conn, |conn| {
        let now = crate::db::now();
        let changed = diesel::update(
            applications::table
                .filter(applications::id.eq(id))
                .filter(applications::status.eq(ApplicationStatus::Pending.as_str())),
        )
        .set((
            applications::status.eq(ApplicationStatus::InReview.as_str()),
            applications::reviewer_id.eq(Some(operator_id)),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
        let app = find(conn, id)?;
        if changed == 0 {
            return Ok(ClaimOutcome::NotPending(Box::new(app)));
        }
        add_event(
            conn,
            &app,
            operator_id,
            ApplicationStatus::InReview,
            Some(Msg::new("event-claimed")),
            now,
        )?;
        Ok(ClaimOutcome::Claimed)
    })
}

/// Records a decision with everything that follows from it, all in one transaction: the
/// timeline event, the effect (a company's details, a product's status), the seller's message
/// and the email in the outbox. Returns `AlreadyDecided` if the application is no longer open.
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    operator_id: i64,
    decision: &Decision,
    notify: &NotifySettings,
) -> Result<DecideOutcome, AppError> {
    let status = if decision.approve {
        ApplicationStatus::Approved
    } else {
        ApplicationStatus::Rejected
    };
    let fields_json = (!decision.fields.is_empty())
        .then(|| serde_json::to_string(&decision.fields))
        .transpose()
        .map_err(anyhow::Error::from)?;
    write_transaction(conn, |conn| {
        let now = crate::db::now();
        let changed = diesel::update(
            applications::table
                .filter(applications::id.eq(id))
                .filter(applications::status.eq_any(ApplicationStatus::OPEN)),
        )
        .set((
            applications::status.eq(status.as_str()),
            applications::reviewer_id.eq(Some(operator_id)),
            applications::decided_at.eq(Some(now)),
            applications::latest_comment.eq(decision.reason.as_deref()),
            applications::review_fields.eq(fields_json.as_deref()),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
        let app = find(conn, id)?;
        if changed == 0 {
            return Ok(DecideOutcome::AlreadyDecided(Box::new(app)));
        }
        add_event(
            conn,
            &app,
            operator_id,
            status,
            decision.reason.as_deref().map(Msg::raw),
            now,
        )?;
        // The kind's effect, from its typed payload: one that does not decode fails the
        // decision (nothing is written), never a default.
        Payload::of(&app)?.decided(conn, &app, decision.approve, operator_id, now)?;
        notify_seller(conn, &app, decision, notify)?;
        Ok(DecideOutcome::Decided(Box::new(app)))
    })
}

/// The message in the seller's message center and the email to the submitter, both written in
/// the decision's transaction.
fn notify_seller(
    conn: &mut DbConn,
    app: &Application,
    decision: &Decision,
    notify: &NotifySettings,
) -> Result<(), AppError> {
    let kind = app.kind();
    let fields: Vec<Msg> = decision
        .fields
        .iter()
        .map(|f| super::field_msg(kind, f))
        .collect();
    let path = format!("/console/applications/{}", app.id);
    let notice = crate::email::Decision {
        kind,
        application_id: app.id,
        subject: app.subject.clone(),
        approved: decision.approve,
        reason: decision.reason.clone(),
        fields,
    };
    message::insert(
        conn,
        &NewMessage {
            company_id: app.company_id,
            application_id: Some(app.id),
            title: notice.title(),
            body: notice.body(),
            link: Some(&path),
        },
    )?;
    let (recipient, language, time_zone): (String, Option<String>, Option<String>) = users::table
        .find(app.submitted_by)
        .select((users::email, users::language, users::time_zone))
        .first(conn)?;
    let reader = crate::i18n::Viewer::of_account(language.as_deref(), time_zone.as_deref());
    let link = format!("{}{}", notify.base_url, path);
    // The review result as an SMS to the business contact too, when a gateway is set.
    if let Some(phone) = outbox::sms_phone(conn, app.company_id, notify.sms)? {
        let text = crate::i18n::with(reader.clone(), || format!("{} {link}", notice.title()));
        outbox::enqueue_sms(
            conn,
            Some(app.company_id),
            Some(app.id),
            &phone,
            &text,
            notify.max_attempts,
        )?;
    }
    let mail = crate::email::decision(&crate::email::DecisionMail {
        recipient: &recipient,
        company_id: app.company_id,
        notice: &notice,
        link,
        reader,
    })?;
    outbox::enqueue(conn, &mail, notify.max_attempts)?;
    Ok(())
}

pub enum WithdrawOutcome {
    Withdrawn,
    /// Decided (or withdrawn) already; nothing changed.
    NotOpen(Box<Application>),
}

/// The seller takes back an application that is not decided yet. A product goes back to being
/// a draft; a registration back to not registered.
pub fn withdraw(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    user_id: i64,
) -> Result<WithdrawOutcome, AppError> {
    write_transaction(conn, |conn| {
        let app = find_for_company(conn, company_id, id)?;
        let now = crate::db::now();
        let changed = diesel::update(
            applications::table
                .filter(applications::id.eq(id))
                .filter(applications::status.eq_any(ApplicationStatus::OPEN)),
        )
        .set((
            applications::status.eq(ApplicationStatus::Withdrawn.as_str()),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(WithdrawOutcome::NotOpen(Box::new(find(conn, id)?)));
        }
        add_event(
            conn,
            &app,
            user_id,
            ApplicationStatus::Withdrawn,
            Some(Msg::new("event-withdrawn-by-seller")),
            now,
        )?;
        if let Some(product_id) = app.product_id {
            crate::models::product::touch(conn, product_id, now)?;
        }
        super::withdrawn(conn, &app, now)?;
        Ok(WithdrawOutcome::Withdrawn)
    })
}
