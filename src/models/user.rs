//! Accounts: sellers belong to one company; operators and admins to none.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::users;
use crate::db::DbConn;
use crate::domain::statuses::Role;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub company_id: Option<i64>,
    pub created_at: PrimitiveDateTime,
    pub password_changed_at: PrimitiveDateTime,
    /// `en` or `zh-CN`; `None` until the user picks one (the cookie or the browser decides).
    pub language: Option<String>,
    /// An IANA zone name; `None`: the browser's zone (by cookie), else UTC.
    pub time_zone: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub company_id: Option<i64>,
    pub created_at: PrimitiveDateTime,
    pub password_changed_at: PrimitiveDateTime,
}

impl User {
    pub fn role(&self) -> Role {
        self.role
    }

    /// Read on every signed-in request: see `on_backend`.
    pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<User>, AppError> {
        Ok(crate::on_backend!(conn, |c| users::table
            .find(id)
            .select(User::as_select())
            .first(c)
            .optional())?)
    }

    pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<User>, AppError> {
        Ok(users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(conn)
            .optional()?)
    }

    pub fn email_taken(conn: &mut DbConn, email: &str) -> Result<bool, AppError> {
        Ok(diesel::select(diesel::dsl::exists(
            users::table.filter(users::email.eq(email)),
        ))
        .get_result(conn)?)
    }

    pub fn insert(conn: &mut DbConn, new: &NewUser) -> Result<i64, AppError> {
        Ok(diesel::insert_into(users::table)
            .values(new)
            .returning(users::id)
            .get_result(conn)?)
    }

    /// The user's language and time zone; `None` leaves the choice to the browser.
    pub fn set_preferences(
        conn: &mut DbConn,
        id: i64,
        language: Option<&str>,
        time_zone: Option<&str>,
    ) -> Result<(), AppError> {
        diesel::update(users::table.find(id))
            .set((users::language.eq(language), users::time_zone.eq(time_zone)))
            .execute(conn)?;
        Ok(())
    }

    /// Only the language, as the header's switcher sets it.
    pub fn set_language(conn: &mut DbConn, id: i64, language: &str) -> Result<(), AppError> {
        diesel::update(users::table.find(id))
            .set(users::language.eq(Some(language)))
            .execute(conn)?;
        Ok(())
    }

    pub fn set_password(conn: &mut DbConn, id: i64, hash: &str) -> Result<(), AppError> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(hash),
                users::password_changed_at.eq(crate::db::now()),
            ))
            .execute(conn)?;
        Ok(())
    }
}

/// Emails are compared case-insensitively: stored and looked up in lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
