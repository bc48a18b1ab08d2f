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
use crate::db::DbConn;
use crate::domain::statuses::{ApplicationKind, ApplicationStatus};
use crate::error::AppError;
use crate::i18n::tr;
use crate::models::application::Application;

pub const PAGE_SIZE: i64 = 50;

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
    pub fn status_label(&self) -> String {
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
    pub fn actor_for_seller(&self) -> String {
        match (self.actor_role, &self.actor_email) {
            (Some(role), _) if role.is_staff() => tr("apps-actor-operations"),
            (Some(_), Some(email)) => email.clone(),
            (Some(_), None) => tr("apps-actor-seller"),
            (None, _) => tr("apps-actor-system"),
        }
    }

    pub fn actor_for_staff(&self) -> String {
        self.actor_email
            .clone()
            .unwrap_or_else(|| tr("apps-actor-system"))
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
    pub fn kind_label(&self) -> String {
        self.kind.label()
    }

    pub fn status_label(&self) -> String {
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

    pub fn company(&self) -> String {
        self.company_name
            .clone()
            .unwrap_or_else(|| tr("ops-company-not-registered"))
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
