//! Applications: every change that needs the operators' approval, with its timeline.

use diesel::prelude::*;
use time::{Date, PrimitiveDateTime};

use crate::db::schema::applications;
use crate::db::DbConn;
use crate::domain::statuses::{ApplicationKind, ApplicationStatus};
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct Application {
    pub id: i64,
    pub company_id: i64,
    pub kind: ApplicationKind,
    pub subject: String,
    pub status: ApplicationStatus,
    pub payload: String,
    pub product_id: Option<i64>,
    pub submitted_by: i64,
    pub submitted_at: PrimitiveDateTime,
    pub due_date: Date,
    pub may_take_longer: bool,
    pub reviewer_id: Option<i64>,
    pub decided_at: Option<PrimitiveDateTime>,
    pub latest_comment: Option<String>,
    pub updated_at: PrimitiveDateTime,
    /// The fields a rejection names (a JSON array of form field names).
    pub review_fields: Option<String>,
    /// A decided application the seller deleted from their list; kept for the audit trail.
    pub hidden_by_seller: bool,
}

impl Application {
    pub fn kind(&self) -> ApplicationKind {
        self.kind
    }

    pub fn kind_label(&self) -> String {
        self.kind.label()
    }

    pub fn status(&self) -> ApplicationStatus {
        self.status
    }

    /// The status's code, for the badge's class.
    pub fn status_code(&self) -> &'static str {
        self.status.as_str()
    }

    pub fn status_label(&self) -> String {
        self.status().label()
    }

    /// Its status inside a sentence: "Application #3 is pending review and …".
    pub fn status_in_sentence(&self) -> crate::i18n::Msg {
        status_in_sentence(self.status)
    }

    pub fn submitted_text(&self) -> String {
        crate::web::format_time(&self.submitted_at)
    }

    pub fn due_text(&self) -> String {
        crate::web::format_date(&self.due_date)
    }

    /// The payload as its kind's type; one that does not decode is an error, never "none".
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        serde_json::from_str(&self.payload).map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "application #{} has a payload that is not a {}: {e}",
                self.id,
                self.kind.label()
            ))
        })
    }
}

/// A status as a sentence says it: lower case in English ("pending review").
pub fn status_in_sentence(status: ApplicationStatus) -> crate::i18n::Msg {
    crate::i18n::Msg::keyed(std::borrow::Cow::Owned(format!(
        "apps-status-in-sentence-{}",
        status.as_str()
    )))
}

/// The open application of one kind for a company (registration, contact change, …), if any.
pub fn open_of_kind(
    conn: &mut DbConn,
    company_id: i64,
    kind: ApplicationKind,
) -> Result<Option<Application>, AppError> {
    Ok(applications::table
        .filter(applications::company_id.eq(company_id))
        .filter(applications::kind.eq(kind.as_str()))
        .filter(applications::status.eq_any(ApplicationStatus::OPEN))
        .order(applications::id.desc())
        .select(Application::as_select())
        .first(conn)
        .optional()?)
}

/// Only one open application per product at a time, whatever its kind.
pub fn open_for_product(
    conn: &mut DbConn,
    product_id: i64,
) -> Result<Option<Application>, AppError> {
    Ok(applications::table
        .filter(applications::product_id.eq(product_id))
        .filter(applications::status.eq_any(ApplicationStatus::OPEN))
        .select(Application::as_select())
        .first(conn)
        .optional()?)
}

/// The most recent application about a product, e.g. to show why it was rejected.
pub fn latest_for_product(
    conn: &mut DbConn,
    product_id: i64,
) -> Result<Option<Application>, AppError> {
    Ok(applications::table
        .filter(applications::product_id.eq(product_id))
        .order(applications::id.desc())
        .select(Application::as_select())
        .first(conn)
        .optional()?)
}

/// Release applications the company submitted since `since` (the start of the calendar day).
pub fn releases_since(
    conn: &mut DbConn,
    company_id: i64,
    since: PrimitiveDateTime,
) -> Result<i64, AppError> {
    Ok(applications::table
        .filter(applications::company_id.eq(company_id))
        .filter(applications::kind.eq(ApplicationKind::ProductRelease.as_str()))
        .filter(applications::submitted_at.ge(since))
        .count()
        .get_result(conn)?)
}

pub fn latest_of_kind(
    conn: &mut DbConn,
    company_id: i64,
    kind: ApplicationKind,
) -> Result<Option<Application>, AppError> {
    Ok(applications::table
        .filter(applications::company_id.eq(company_id))
        .filter(applications::kind.eq(kind.as_str()))
        .order(applications::id.desc())
        .select(Application::as_select())
        .first(conn)
        .optional()?)
}

pub fn recent_for_company(
    conn: &mut DbConn,
    company_id: i64,
    limit: i64,
) -> Result<Vec<Application>, AppError> {
    Ok(applications::table
        .filter(applications::company_id.eq(company_id))
        .order((applications::submitted_at.desc(), applications::id.desc()))
        .limit(limit)
        .select(Application::as_select())
        .load(conn)?)
}
