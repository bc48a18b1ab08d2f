//! A product's history (SPEC 7.6): every submission, review step, decision, hide and unhide,
//! written in the transaction of the change itself, read by the seller and the operator.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::{applications, product_events, users};
use crate::db::DbConn;
use crate::domain::statuses::{ApplicationKind, ProductEventKind, Role};
use crate::error::AppError;

pub const PAGE_SIZE: i64 = 50;

pub struct NewEvent {
    pub product_id: i64,
    pub actor_id: Option<i64>,
    pub kind: ProductEventKind,
    pub application_id: Option<i64>,
    /// What the event was about beyond the product, e.g. the specification hidden.
    /// A spec's name (as typed) or a note of ours (a key): stored as a message.
    pub detail: Option<crate::i18n::Msg>,
    pub at: PrimitiveDateTime,
}

pub fn record(conn: &mut DbConn, e: NewEvent) -> Result<(), AppError> {
    diesel::insert_into(product_events::table)
        .values((
            product_events::product_id.eq(e.product_id),
            product_events::actor_id.eq(e.actor_id),
            product_events::kind.eq(e.kind),
            product_events::application_id.eq(e.application_id),
            product_events::detail.eq(e.detail.as_ref().map(|d| d.to_stored())),
            product_events::created_at.eq(e.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One entry of the history, with who made it and the application it belonged to.
#[derive(Debug, Clone, Queryable)]
pub struct HistoryEntry {
    pub id: i64,
    pub kind: ProductEventKind,
    pub detail: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub application_id: Option<i64>,
    pub application_kind: Option<ApplicationKind>,
    pub actor_email: Option<String>,
    pub actor_role: Option<Role>,
}

impl HistoryEntry {
    /// E.g. "Submitted · Product modification #12" or "Specification hidden: Basic".
    pub fn what(&self) -> String {
        let mut text = self.kind.label().to_string();
        if let Some(detail) = &self.detail {
            text.push_str(": ");
            text.push_str(&crate::i18n::Msg::from_stored(detail).to_string());
        }
        text
    }

    pub fn application_label(&self) -> Option<String> {
        Some(format!(
            "{} #{}",
            self.application_kind?.label(),
            self.application_id?
        ))
    }

    pub fn who(&self) -> String {
        match (&self.actor_email, self.actor_role) {
            (Some(email), Some(role)) if role.is_staff() => {
                crate::i18n::Msg::new("history-who-staff")
                    .arg("email", email.as_str())
                    .to_string()
            }
            (Some(email), _) => email.clone(),
            _ => crate::i18n::tr("history-who-system"),
        }
    }

    pub fn created_text(&self) -> String {
        crate::web::format_time(&self.created_at)
    }
}

pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    pub total: i64,
}

/// One page of the product's history, newest first.
pub fn history(conn: &mut DbConn, product_id: i64, page: i64) -> Result<HistoryPage, AppError> {
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let entries = product_events::table
        .filter(product_events::product_id.eq(product_id))
        .left_join(users::table.on(users::id.nullable().eq(product_events::actor_id)))
        .left_join(
            applications::table.on(applications::id
                .nullable()
                .eq(product_events::application_id)),
        )
        .order(product_events::id.desc())
        .limit(PAGE_SIZE)
        .offset(offset)
        .select((
            product_events::id,
            product_events::kind,
            product_events::detail,
            product_events::created_at,
            product_events::application_id,
            applications::kind.nullable(),
            users::email.nullable(),
            users::role.nullable(),
        ))
        .load(conn)?;
    let total = product_events::table
        .filter(product_events::product_id.eq(product_id))
        .count()
        .get_result(conn)?;
    Ok(HistoryPage { entries, total })
}
