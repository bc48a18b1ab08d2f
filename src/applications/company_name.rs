//! Company name change of a registered seller: approval puts the new legal name in force.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::Kind;
use crate::db::schema::companies;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::application::Application;

pub struct NameChange;

/// The payload of a company name change.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CompanyNameChange {
    pub legal_name: String,
}

const FIELDS: &[(&str, &str)] = &[("legal_name", "field-legal_name")];

impl Kind for NameChange {
    type Payload = CompanyNameChange;

    fn fields() -> &'static [(&'static str, &'static str)] {
        FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/seller/registration#company-name".to_string())
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        n: &Self::Payload,
        approve: bool,
        _actor_id: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        if approve {
            diesel::update(companies::table.find(app.company_id))
                .set((
                    companies::legal_name.eq(Some(&n.legal_name)),
                    companies::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}
