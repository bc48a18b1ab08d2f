//! Seller registration: approval puts the company's name and contact in force.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::Kind;
use crate::db::schema::companies;
use crate::db::DbConn;
use crate::domain::statuses::RegistrationStatus;
use crate::error::AppError;
use crate::models::application::Application;

pub struct Registration;

const FIELDS: &[(&str, &str)] = &[
    ("legal_name", "field-legal_name"),
    ("country_region", "field-country_region"),
    ("licence_number", "field-licence_number"),
    ("tax_number", "field-tax_number"),
    ("bank_name", "field-bank_name"),
    ("bank_account_name", "field-bank_account_name"),
    ("bank_account_number", "field-bank_account_number"),
    ("contact_name", "field-contact_name"),
    ("contact_email", "field-contact_email"),
];

impl Kind for Registration {
    type Payload = crate::domain::registration::Registration;

    fn fields() -> &'static [(&'static str, &'static str)] {
        FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/seller/registration".to_string())
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        r: &Self::Payload,
        approve: bool,
        _actor_id: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        let company = companies::table.find(app.company_id);
        if approve {
            diesel::update(company)
                .set((
                    companies::legal_name.eq(Some(&r.legal_name)),
                    companies::contact_name.eq(Some(&r.contact_name)),
                    companies::contact_email.eq(Some(&r.contact_email)),
                    companies::registration_status.eq(RegistrationStatus::Approved),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        } else {
            diesel::update(company)
                .set((
                    companies::registration_status.eq(RegistrationStatus::Rejected),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    /// A withdrawn registration leaves the company not registered.
    fn withdrawn(
        conn: &mut DbConn,
        app: &Application,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        diesel::update(
            companies::table
                .filter(companies::id.eq(app.company_id))
                .filter(companies::registration_status.eq(RegistrationStatus::Pending)),
        )
        .set((
            companies::registration_status.eq(RegistrationStatus::Unregistered),
            companies::updated_at.eq(now),
        ))
        .execute(conn)?;
        Ok(())
    }
}
