//! Seller companies: the values in force (name, business contact, pre-sales info).

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::companies;
use crate::db::DbConn;
use crate::domain::statuses::RegistrationStatus;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: i64,
    pub legal_name: Option<String>,
    pub registration_status: RegistrationStatus,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub presales_phone: Option<String>,
    pub presales_email: Option<String>,
    pub presales_address: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl Company {
    pub fn registration_status(&self) -> RegistrationStatus {
        self.registration_status
    }

    /// The name in force, or what stands for it before registration (in the reader's language).
    pub fn display_name(&self) -> String {
        match &self.legal_name {
            Some(name) => name.clone(),
            None => crate::i18n::tr("seller-company-unregistered"),
        }
    }

    pub fn has_contact(&self) -> bool {
        self.contact_name.is_some()
    }

    pub fn has_presales(&self) -> bool {
        self.presales_phone.is_some()
    }

    pub fn find(conn: &mut DbConn, id: i64) -> Result<Company, AppError> {
        Ok(companies::table
            .find(id)
            .select(Company::as_select())
            .first(conn)?)
    }

    /// A company starts unregistered when its first user signs up.
    pub fn create_unregistered(conn: &mut DbConn) -> Result<i64, AppError> {
        let now = crate::db::now();
        Ok(diesel::insert_into(companies::table)
            .values((
                companies::registration_status.eq(RegistrationStatus::Unregistered.as_str()),
                companies::created_at.eq(now),
                companies::updated_at.eq(now),
            ))
            .returning(companies::id)
            .get_result(conn)?)
    }

    pub fn set_registration_status(
        conn: &mut DbConn,
        id: i64,
        status: RegistrationStatus,
    ) -> Result<(), AppError> {
        diesel::update(companies::table.find(id))
            .set((
                companies::registration_status.eq(status.as_str()),
                companies::updated_at.eq(crate::db::now()),
            ))
            .execute(conn)?;
        Ok(())
    }
}
