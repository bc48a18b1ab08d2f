//! The seller's message center: one message per decision, shared by the company's users.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::messages;
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::Msg;

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = messages)]
pub struct Message {
    pub id: i64,
    pub company_id: i64,
    pub application_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
}

impl Message {
    pub fn is_unread(&self) -> bool {
        self.read_at.is_none()
    }

    pub fn created_text(&self) -> String {
        crate::web::format_time(&self.created_at)
    }

    /// The title in the reader's language: it is stored as a message key with arguments.
    pub fn title_text(&self) -> String {
        Msg::from_stored(&self.title).to_string()
    }

    /// The body's lines in the reader's language.
    pub fn body_text(&self) -> String {
        let lang = crate::i18n::lang();
        crate::i18n::lines_from_stored(&self.body)
            .iter()
            .map(|m| m.render(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A message as it is written: keys with arguments, rendered when read, in the reader's
/// language (a message written for a Chinese seller reads in English once they switch).
pub struct NewMessage<'a> {
    pub company_id: i64,
    pub application_id: Option<i64>,
    pub title: Msg,
    pub body: Vec<Msg>,
    pub link: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, m: &NewMessage) -> Result<i64, AppError> {
    Ok(diesel::insert_into(messages::table)
        .values((
            messages::company_id.eq(m.company_id),
            messages::application_id.eq(m.application_id),
            messages::title.eq(m.title.to_stored()),
            messages::body.eq(crate::i18n::lines_to_stored(&m.body)),
            messages::link.eq(m.link),
            messages::created_at.eq(crate::db::now()),
        ))
        .returning(messages::id)
        .get_result(conn)?)
}

/// Read on every console page of a seller: see `on_backend`.
/// Unread messages, counted up to `UNREAD_CAP` (shown as "99+"), so the count costs the same
/// however many there are.
pub fn unread_count(conn: &mut DbConn, company_id: i64) -> Result<i64, AppError> {
    let ids: Vec<i64> = crate::on_backend!(conn, |c| messages::table
        .filter(messages::company_id.eq(company_id))
        .filter(messages::read_at.is_null())
        .select(messages::id)
        .limit(crate::auth::session_store::UNREAD_CAP)
        .load(c))?;
    Ok(ids.len() as i64)
}

/// One page of the company's messages, newest first, with the total.
pub fn page(
    conn: &mut DbConn,
    company_id: i64,
    unread_only: bool,
    page: i64,
) -> Result<(Vec<Message>, i64), AppError> {
    let mut query = messages::table
        .filter(messages::company_id.eq(company_id))
        .into_boxed();
    let mut count = messages::table
        .filter(messages::company_id.eq(company_id))
        .into_boxed();
    if unread_only {
        query = query.filter(messages::read_at.is_null());
        count = count.filter(messages::read_at.is_null());
    }
    let rows = query
        .order((messages::created_at.desc(), messages::id.desc()))
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1) * PAGE_SIZE)
        .select(Message::as_select())
        .load(conn)?;
    let total = count.count().get_result(conn)?;
    Ok((rows, total))
}

pub fn find(conn: &mut DbConn, company_id: i64, id: i64) -> Result<Option<Message>, AppError> {
    Ok(messages::table
        .filter(messages::id.eq(id))
        .filter(messages::company_id.eq(company_id))
        .select(Message::as_select())
        .first(conn)
        .optional()?)
}

/// Marks one message (or, with `None`, all of the company's) as read; returns how many changed.
pub fn mark_read(conn: &mut DbConn, company_id: i64, id: Option<i64>) -> Result<usize, AppError> {
    let now = crate::db::now();
    let base = messages::table
        .filter(messages::company_id.eq(company_id))
        .filter(messages::read_at.is_null());
    Ok(match id {
        Some(id) => diesel::update(base.filter(messages::id.eq(id)))
            .set(messages::read_at.eq(Some(now)))
            .execute(conn)?,
        None => diesel::update(base)
            .set(messages::read_at.eq(Some(now)))
            .execute(conn)?,
    })
}
