//! After-sales customer service groups of a seller (at most six).

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::service_groups;
use crate::db::{lock_company, write_transaction, DbConn};
use crate::domain::fields::parse_clock;
use crate::domain::service_hours::ServiceHours;
use crate::domain::support::{ServiceGroup, ServiceGroupForm, MAX_SERVICE_GROUPS};
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = service_groups)]
pub struct ServiceGroupRow {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub service_days: String,
    pub hours_start: String,
    pub hours_end: String,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl ServiceGroupRow {
    /// The service days as the reader reads them: "Mon, Tue, Sat", "周一、周二、周六".
    pub fn days_label(&self) -> String {
        crate::domain::service_hours::days_label(self.service_days.split(','))
    }

    pub fn hours(&self) -> ServiceHours {
        let days: Vec<String> = self.service_days.split(',').map(String::from).collect();
        ServiceHours {
            days: ServiceHours::normalise_days(&days),
            start: parse_clock(&self.hours_start).unwrap_or(0),
            end: parse_clock(&self.hours_end).unwrap_or(0),
        }
    }

    pub fn to_form(&self) -> ServiceGroupForm {
        ServiceGroupForm::from_stored(
            &self.name,
            &self.phone,
            &self.email,
            &self.service_days,
            &self.hours_start,
            &self.hours_end,
        )
    }
}

pub enum AddOutcome {
    Added(i64),
    LimitReached,
}

pub fn list_for_company(
    conn: &mut DbConn,
    company_id: i64,
) -> Result<Vec<ServiceGroupRow>, AppError> {
    Ok(service_groups::table
        .filter(service_groups::company_id.eq(company_id))
        .order(service_groups::id.asc())
        .limit(MAX_SERVICE_GROUPS)
        .select(ServiceGroupRow::as_select())
        .load(conn)?)
}

pub fn count_for_company(conn: &mut DbConn, company_id: i64) -> Result<i64, AppError> {
    Ok(service_groups::table
        .filter(service_groups::company_id.eq(company_id))
        .count()
        .get_result(conn)?)
}

/// Only the owning company's group: another seller's id is simply not found.
pub fn find_for_company(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
) -> Result<ServiceGroupRow, AppError> {
    Ok(service_groups::table
        .filter(service_groups::id.eq(id))
        .filter(service_groups::company_id.eq(company_id))
        .select(ServiceGroupRow::as_select())
        .first(conn)?)
}

/// Counts and inserts under the company's lock, so two tabs cannot make a seventh group.
pub fn add(
    conn: &mut DbConn,
    company_id: i64,
    group: &ServiceGroup,
) -> Result<AddOutcome, AppError> {
    write_transaction(conn, |conn| {
        lock_company(conn, company_id)?;
        let count: i64 = service_groups::table
            .filter(service_groups::company_id.eq(company_id))
            .count()
            .get_result(conn)?;
        if count >= MAX_SERVICE_GROUPS {
            return Ok(AddOutcome::LimitReached);
        }
        let now = crate::db::now();
        let id = diesel::insert_into(service_groups::table)
            .values((
                service_groups::company_id.eq(company_id),
                service_groups::name.eq(&group.name),
                service_groups::phone.eq(&group.phone),
                service_groups::email.eq(&group.email),
                service_groups::service_days.eq(group.hours.days_text()),
                service_groups::hours_start.eq(group.hours_start_text()),
                service_groups::hours_end.eq(group.hours_end_text()),
                service_groups::created_at.eq(now),
                service_groups::updated_at.eq(now),
            ))
            .returning(service_groups::id)
            .get_result(conn)?;
        Ok(AddOutcome::Added(id))
    })
}

pub fn update(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    group: &ServiceGroup,
) -> Result<(), AppError> {
    let n = diesel::update(
        service_groups::table
            .filter(service_groups::id.eq(id))
            .filter(service_groups::company_id.eq(company_id)),
    )
    .set((
        service_groups::name.eq(&group.name),
        service_groups::phone.eq(&group.phone),
        service_groups::email.eq(&group.email),
        service_groups::service_days.eq(group.hours.days_text()),
        service_groups::hours_start.eq(group.hours_start_text()),
        service_groups::hours_end.eq(group.hours_end_text()),
        service_groups::updated_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub fn delete(conn: &mut DbConn, company_id: i64, id: i64) -> Result<(), AppError> {
    // Products that select a group arrive with product release; until then no group is in use.
    let n = diesel::delete(
        service_groups::table
            .filter(service_groups::id.eq(id))
            .filter(service_groups::company_id.eq(company_id)),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
