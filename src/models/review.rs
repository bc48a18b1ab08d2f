//! Review of applications: claiming, deciding (with the decision's effects, the seller's
//! message and the outbox email in one transaction), withdrawing, and the lists both sides see.
//!
//! Every change of status is a conditional UPDATE (`WHERE status IN (...)`): of two operators
//! deciding at once, exactly one changes a row; the other finds it decided and is told so. On
//! PostgreSQL the second UPDATE waits for the first one's row lock and then re-reads the row;
//! on SQLite the write lock serialises the two transactions.

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use crate::db::schema::{application_events, applications, companies, users};
use crate::db::{write_transaction, DbConn};
use crate::domain::product::Release;
use crate::domain::registration::Registration;
use crate::domain::review::field_label;
use crate::domain::statuses::{
    ApplicationKind, ApplicationStatus, ProductEventKind, RegistrationStatus,
};
use crate::domain::support::{BusinessContactForm, PresalesInfoForm};
use crate::error::AppError;
use crate::models::application::Application;
use crate::models::message::{self, NewMessage};
use crate::models::{product_event, product_release};
use crate::outbox;

pub const PAGE_SIZE: i64 = 50;

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

pub fn find(conn: &mut DbConn, id: i64) -> Result<Application, AppError> {
    applications::table
        .find(id)
        .select(Application::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// An application of this company, or 404 (another seller's looks the same as none).
pub fn find_for_company(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
) -> Result<Application, AppError> {
    applications::table
        .filter(applications::id.eq(id))
        .filter(applications::company_id.eq(company_id))
        .filter(applications::hidden_by_seller.eq(false))
        .select(Application::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A step of the application's timeline, and of its product's history when it has one.
fn add_event(
    conn: &mut DbConn,
    app: &Application,
    actor_id: i64,
    status: ApplicationStatus,
    comment: Option<&str>,
    at: PrimitiveDateTime,
) -> Result<(), AppError> {
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
            Some("Claimed for review"),
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
            decision.reason.as_deref(),
            now,
        )?;
        apply_effects(conn, &app, decision.approve, operator_id, now)?;
        notify_seller(conn, &app, decision, notify)?;
        Ok(DecideOutcome::Decided(Box::new(app)))
    })
}

/// What a decision changes besides the application itself.
fn apply_effects(
    conn: &mut DbConn,
    app: &Application,
    approve: bool,
    actor_id: i64,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    let bad_payload =
        || AppError::Internal(anyhow::anyhow!("application #{} has a bad payload", app.id));
    let company = companies::table.find(app.company_id);
    match app.kind() {
        ApplicationKind::Registration => {
            if approve {
                let r: Registration = app.payload().ok_or_else(bad_payload)?;
                diesel::update(company)
                    .set((
                        companies::legal_name.eq(Some(&r.legal_name)),
                        companies::contact_name.eq(Some(&r.contact_name)),
                        companies::contact_email.eq(Some(&r.contact_email)),
                        companies::registration_status.eq(RegistrationStatus::Approved.as_str()),
                        companies::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            } else {
                diesel::update(company)
                    .set((
                        companies::registration_status.eq(RegistrationStatus::Rejected.as_str()),
                        companies::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        ApplicationKind::BusinessContactChange if approve => {
            let c: BusinessContactForm = app.payload().ok_or_else(bad_payload)?;
            diesel::update(company)
                .set((
                    companies::contact_name.eq(Some(&c.contact_name)),
                    companies::contact_phone.eq(Some(&c.contact_phone)),
                    companies::contact_email.eq(Some(&c.contact_email)),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        ApplicationKind::PresalesInfoChange if approve => {
            let p: PresalesInfoForm = app.payload().ok_or_else(bad_payload)?;
            diesel::update(company)
                .set((
                    companies::presales_phone.eq(Some(&p.presales_phone)),
                    companies::presales_email.eq(Some(&p.presales_email)),
                    companies::presales_address.eq(Some(&p.presales_address)),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        ApplicationKind::CompanyNameChange if approve => {
            let n: CompanyNameChange = app.payload().ok_or_else(bad_payload)?;
            diesel::update(company)
                .set((
                    companies::legal_name.eq(Some(&n.legal_name)),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        // Approval makes the submitted release the listed one at once (the first release
        // makes the product live); a rejection leaves the product as it was, with its listed
        // release (if any) in force and the working copy editable again.
        ApplicationKind::ProductRelease | ApplicationKind::ProductModification => {
            if let Some(product_id) = app.product_id {
                if approve {
                    let release: Release = app.payload().ok_or_else(bad_payload)?;
                    product_release::publish(conn, product_id, Some(app.id), &release, now)?;
                } else {
                    crate::models::product::touch(conn, product_id, now)?;
                }
            }
        }
        ApplicationKind::ProductRemoval if approve => {
            if let Some(product_id) = app.product_id {
                let request: crate::domain::removal::RemovalRequest =
                    app.payload().ok_or_else(bad_payload)?;
                crate::models::removal::apply(conn, app.id, product_id, actor_id, &request, now)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The payload of a company name change.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CompanyNameChange {
    pub legal_name: String,
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
    let labels: Vec<String> = decision
        .fields
        .iter()
        .map(|f| field_label(kind, f).to_string())
        .collect();
    let path = format!("/console/applications/{}", app.id);
    let outcome = if decision.approve {
        "approved"
    } else {
        "rejected"
    };
    let title = format!(
        "{} #{} {}: {}",
        app.kind_label(),
        app.id,
        outcome,
        app.subject
    );
    let mut body = match &decision.reason {
        Some(reason) if decision.approve => format!("Reviewer's comment: {reason}"),
        Some(reason) => format!("Reason: {reason}"),
        None => "The change is now in force.".to_string(),
    };
    if !labels.is_empty() {
        body.push_str(&format!("\nFields to fix: {}", labels.join(", ")));
    }
    message::insert(
        conn,
        &NewMessage {
            company_id: app.company_id,
            application_id: Some(app.id),
            title: &title,
            body: &body,
            link: Some(&path),
        },
    )?;
    let recipient: String = users::table
        .find(app.submitted_by)
        .select(users::email)
        .first(conn)?;
    let mail = crate::email::decision(&crate::email::DecisionMail {
        recipient: &recipient,
        company_id: app.company_id,
        application_id: app.id,
        kind_label: app.kind_label(),
        subject: &app.subject,
        approved: decision.approve,
        reason: decision.reason.as_deref(),
        fields: &labels,
        link: format!("{}{}", notify.base_url, path),
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
            Some("Withdrawn by the seller"),
            now,
        )?;
        if let Some(product_id) = app.product_id {
            crate::models::product::touch(conn, product_id, now)?;
        }
        if app.kind() == ApplicationKind::Registration {
            diesel::update(
                companies::table
                    .filter(companies::id.eq(company_id))
                    .filter(
                        companies::registration_status.eq(RegistrationStatus::Pending.as_str()),
                    ),
            )
            .set((
                companies::registration_status.eq(RegistrationStatus::Unregistered.as_str()),
                companies::updated_at.eq(now),
            ))
            .execute(conn)?;
        }
        Ok(WithdrawOutcome::Withdrawn)
    })
}

/// The seller deletes a rejected or withdrawn application from their list. The row and its
/// timeline stay for operations; returns false if the application may not be deleted.
pub fn hide_for_seller(conn: &mut DbConn, company_id: i64, id: i64) -> Result<bool, AppError> {
    let changed = diesel::update(
        applications::table
            .filter(applications::id.eq(id))
            .filter(applications::company_id.eq(company_id))
            .filter(applications::status.eq_any([
                ApplicationStatus::Rejected.as_str(),
                ApplicationStatus::Withdrawn.as_str(),
            ])),
    )
    .set(applications::hidden_by_seller.eq(true))
    .execute(conn)?;
    Ok(changed == 1)
}

/// One step of an application's timeline, with who took it.
#[derive(Debug, Clone, Queryable)]
pub struct TimelineEvent {
    pub status: ApplicationStatus,
    pub comment: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub actor_email: Option<String>,
    pub actor_role: Option<crate::domain::statuses::Role>,
}

impl TimelineEvent {
    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }

    /// The status's code, for the badge's class.
    pub fn status_code(&self) -> &'static str {
        self.status.as_str()
    }

    pub fn created_text(&self) -> String {
        crate::web::format_time(&self.created_at)
    }

    /// Sellers see "Operations" rather than an operator's address.
    pub fn actor_for_seller(&self) -> &str {
        match self.actor_role {
            Some(role) if role.is_staff() => "Operations",
            Some(_) => self.actor_email.as_deref().unwrap_or("Seller"),
            None => "System",
        }
    }

    pub fn actor_for_staff(&self) -> &str {
        self.actor_email.as_deref().unwrap_or("System")
    }
}

pub fn timeline(conn: &mut DbConn, id: i64) -> Result<Vec<TimelineEvent>, AppError> {
    Ok(application_events::table
        .left_join(users::table.on(users::id.nullable().eq(application_events::actor_id)))
        .filter(application_events::application_id.eq(id))
        .order((
            application_events::created_at.asc(),
            application_events::id.asc(),
        ))
        .select((
            application_events::status,
            application_events::comment,
            application_events::created_at,
            users::email.nullable(),
            users::role.nullable(),
        ))
        .load(conn)?)
}

/// A row of the operators' queue or a seller's list.
#[derive(Debug, Clone, Queryable)]
pub struct ApplicationRow {
    pub id: i64,
    pub kind: ApplicationKind,
    pub subject: String,
    pub status: ApplicationStatus,
    pub submitted_at: PrimitiveDateTime,
    pub due_date: Date,
    pub may_take_longer: bool,
    pub latest_comment: Option<String>,
    pub company_name: Option<String>,
    pub reviewer_email: Option<String>,
}

impl ApplicationRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }

    /// The status's code, for the badge's class.
    pub fn status_code(&self) -> &'static str {
        self.status.as_str()
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn submitted_text(&self) -> String {
        crate::web::format_time(&self.submitted_at)
    }

    pub fn due_text(&self) -> String {
        crate::web::format_date(&self.due_date)
    }

    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && self.due_date < today
    }

    pub fn company(&self) -> &str {
        self.company_name
            .as_deref()
            .unwrap_or("(company not registered yet)")
    }
}

/// Filters of the lists; `None` means all.
#[derive(Debug, Clone, Default)]
pub struct ApplicationQuery {
    /// A seller's own list; `None` is the operators' queue (undecided only, unless `status`).
    pub company_id: Option<i64>,
    pub status: Option<ApplicationStatus>,
    pub kind: Option<ApplicationKind>,
    pub page: i64,
}

/// One page of applications with the total. The operators' queue shows undecided applications
/// by due date (overdue first); a seller's list shows the newest first.
pub fn list(
    conn: &mut DbConn,
    q: &ApplicationQuery,
) -> Result<(Vec<ApplicationRow>, i64), AppError> {
    // The same filters on the count and on the joined page query.
    macro_rules! filtered {
        ($query:expr) => {{
            let mut query = $query;
            if let Some(company_id) = q.company_id {
                query = query
                    .filter(applications::company_id.eq(company_id))
                    .filter(applications::hidden_by_seller.eq(false));
            }
            match q.status {
                Some(status) => query = query.filter(applications::status.eq(status.as_str())),
                None if q.company_id.is_none() => {
                    query = query.filter(applications::status.eq_any(ApplicationStatus::OPEN))
                }
                None => {}
            }
            if let Some(kind) = q.kind {
                query = query.filter(applications::kind.eq(kind.as_str()));
            }
            query
        }};
    }
    let total: i64 = filtered!(applications::table.into_boxed())
        .count()
        .get_result(conn)?;
    let reviewers = diesel::alias!(users as reviewers);
    let joined = applications::table
        .left_join(companies::table)
        .left_join(
            reviewers.on(reviewers
                .field(users::id)
                .nullable()
                .eq(applications::reviewer_id)),
        )
        .select((
            applications::id,
            applications::kind,
            applications::subject,
            applications::status,
            applications::submitted_at,
            applications::due_date,
            applications::may_take_longer,
            applications::latest_comment,
            companies::legal_name.nullable(),
            reviewers.field(users::email).nullable(),
        ))
        .into_boxed();
    let mut query = filtered!(joined)
        .limit(PAGE_SIZE)
        .offset((q.page.max(1) - 1) * PAGE_SIZE);
    query = if q.company_id.is_some() {
        query.order((applications::submitted_at.desc(), applications::id.desc()))
    } else {
        query.order((
            applications::due_date.asc(),
            applications::submitted_at.asc(),
            applications::id.asc(),
        ))
    };
    Ok((query.load(conn)?, total))
}

/// Counts of the seller's applications by status, for the filter tabs.
pub fn counts_by_status(
    conn: &mut DbConn,
    company_id: i64,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(applications::table
        .filter(applications::company_id.eq(company_id))
        .filter(applications::hidden_by_seller.eq(false))
        .group_by(applications::status)
        .select((applications::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The reviewer's name for an application, for the "decided by someone else" message.
pub fn reviewer_email(conn: &mut DbConn, app: &Application) -> Result<Option<String>, AppError> {
    match app.reviewer_id {
        Some(id) => Ok(users::table
            .find(id)
            .select(users::email)
            .first(conn)
            .optional()?),
        None => Ok(None),
    }
}
