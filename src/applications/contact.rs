//! Business contact change: approval puts the new contact in force.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::Kind;
use crate::db::schema::companies;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::application::Application;

pub struct ContactChange;

const FIELDS: &[(&str, &str)] = &[
    ("contact_name", "field-contact_name"),
    ("contact_phone", "field-contact_phone"),
    ("contact_email", "field-contact_email"),
];

impl Kind for ContactChange {
    type Payload = crate::domain::support::BusinessContactForm;

    fn fields() -> &'static [(&'static str, &'static str)] {
        FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/seller/support".to_string())
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        c: &Self::Payload,
        approve: bool,
        _actor_id: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        if approve {
            diesel::update(companies::table.find(app.company_id))
                .set((
                    companies::contact_name.eq(Some(&c.contact_name)),
                    companies::contact_phone.eq(Some(&c.contact_phone)),
                    companies::contact_email.eq(Some(&c.contact_email)),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}
