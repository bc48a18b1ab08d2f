//! Pre-sales information change: approval puts the new phone, email and address in force.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::Kind;
use crate::db::schema::companies;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::application::Application;

pub struct PresalesChange;

const FIELDS: &[(&str, &str)] = &[
    ("presales_phone", "field-presales_phone"),
    ("presales_email", "field-presales_email"),
    ("presales_address", "field-presales_address"),
];

impl Kind for PresalesChange {
    type Payload = crate::domain::support::PresalesInfoForm;

    fn fields() -> &'static [(&'static str, &'static str)] {
        FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/seller/support".to_string())
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        p: &Self::Payload,
        approve: bool,
        _actor_id: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        if approve {
            diesel::update(companies::table.find(app.company_id))
                .set((
                    companies::presales_phone.eq(Some(&p.presales_phone)),
                    companies::presales_email.eq(Some(&p.presales_email)),
                    companies::presales_address.eq(Some(&p.presales_address)),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}
