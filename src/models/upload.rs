//! Uploaded files, stored in the database so every app instance serves them.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::uploads;
use crate::db::DbConn;
use crate::domain::statuses::UploadKind;
use crate::domain::uploads::MAX_REQUEST_TEMPLATES;
use crate::error::AppError;

/// An upload without its bytes, for lists.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = uploads)]
pub struct UploadMeta {
    pub id: i64,
    pub product_id: Option<i64>,
    pub kind: UploadKind,
    pub filename: String,
    pub content_type: String,
    pub byte_size: i64,
    pub created_at: PrimitiveDateTime,
}

impl UploadMeta {
    pub fn kind_label(&self) -> String {
        self.kind.label()
    }

    pub fn size_text(&self) -> String {
        crate::web::size_text(self.byte_size)
    }

    pub fn is_logo(&self) -> bool {
        self.kind == UploadKind::Logo
    }
}

pub fn list_for_product(
    conn: &mut DbConn,
    company_id: i64,
    product_id: i64,
) -> Result<Vec<UploadMeta>, AppError> {
    Ok(uploads::table
        .filter(uploads::company_id.eq(company_id))
        .filter(uploads::product_id.eq(product_id))
        .order(uploads::id.asc())
        .select(UploadMeta::as_select())
        .load(conn)?)
}

/// The product's logo, if one is stored (there is at most one).
pub fn logo_id(conn: &mut DbConn, product_id: i64) -> Result<Option<i64>, AppError> {
    Ok(uploads::table
        .filter(uploads::product_id.eq(product_id))
        .filter(uploads::kind.eq(UploadKind::Logo.as_str()))
        .order(uploads::id.desc())
        .select(uploads::id)
        .first(conn)
        .optional()?)
}

/// The logo's bytes, whoever asks: only for the catalog, which checks the product is public.
pub fn logo_with_data(
    conn: &mut DbConn,
    product_id: i64,
) -> Result<(UploadMeta, Vec<u8>), AppError> {
    Ok(uploads::table
        .filter(uploads::product_id.eq(product_id))
        .filter(uploads::kind.eq(UploadKind::Logo.as_str()))
        .order(uploads::id.desc())
        .select((UploadMeta::as_select(), uploads::data))
        .first(conn)?)
}

pub struct NewUpload<'a> {
    pub company_id: i64,
    pub product_id: i64,
    pub kind: UploadKind,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
}

pub enum StoreOutcome {
    Stored(i64),
    TooMany,
}

/// A new logo replaces the old one; request templates are capped. Call in a write transaction.
pub fn store(conn: &mut DbConn, new: NewUpload) -> Result<StoreOutcome, AppError> {
    match new.kind {
        UploadKind::Logo | UploadKind::BusinessLetter | UploadKind::CopyrightCertificate => {
            diesel::delete(
                uploads::table
                    .filter(uploads::product_id.eq(new.product_id))
                    .filter(uploads::kind.eq(new.kind.as_str())),
            )
            .execute(conn)?;
        }
        UploadKind::RequestTemplate => {
            let n: i64 = uploads::table
                .filter(uploads::product_id.eq(new.product_id))
                .filter(uploads::kind.eq(new.kind.as_str()))
                .count()
                .get_result(conn)?;
            if n >= MAX_REQUEST_TEMPLATES {
                return Ok(StoreOutcome::TooMany);
            }
        }
    }
    let id = diesel::insert_into(uploads::table)
        .values((
            uploads::company_id.eq(new.company_id),
            uploads::product_id.eq(Some(new.product_id)),
            uploads::kind.eq(new.kind.as_str()),
            uploads::filename.eq(new.filename),
            uploads::content_type.eq(new.content_type),
            uploads::byte_size.eq(new.data.len() as i64),
            uploads::data.eq(new.data),
            uploads::created_at.eq(crate::db::now()),
        ))
        .returning(uploads::id)
        .get_result(conn)?;
    Ok(StoreOutcome::Stored(id))
}

/// The bytes of one upload, only for the company that owns the product.
pub fn find_with_data(
    conn: &mut DbConn,
    company_id: i64,
    product_id: i64,
    id: i64,
) -> Result<(UploadMeta, Vec<u8>), AppError> {
    Ok(uploads::table
        .filter(uploads::id.eq(id))
        .filter(uploads::company_id.eq(company_id))
        .filter(uploads::product_id.eq(product_id))
        .select((UploadMeta::as_select(), uploads::data))
        .first(conn)?)
}

pub fn delete(
    conn: &mut DbConn,
    company_id: i64,
    product_id: i64,
    id: i64,
) -> Result<(), AppError> {
    let n = diesel::delete(
        uploads::table
            .filter(uploads::id.eq(id))
            .filter(uploads::company_id.eq(company_id))
            .filter(uploads::product_id.eq(product_id)),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A cloned draft gets copies of the source's files.
pub fn copy_to(conn: &mut DbConn, company_id: i64, from: i64, to: i64) -> Result<(), AppError> {
    let rows: Vec<(String, String, String, i64, Vec<u8>)> = uploads::table
        .filter(uploads::company_id.eq(company_id))
        .filter(uploads::product_id.eq(from))
        .select((
            uploads::kind,
            uploads::filename,
            uploads::content_type,
            uploads::byte_size,
            uploads::data,
        ))
        .load(conn)?;
    let now = crate::db::now();
    for (kind, filename, content_type, byte_size, data) in rows {
        diesel::insert_into(uploads::table)
            .values((
                uploads::company_id.eq(company_id),
                uploads::product_id.eq(Some(to)),
                uploads::kind.eq(kind),
                uploads::filename.eq(filename),
                uploads::content_type.eq(content_type),
                uploads::byte_size.eq(byte_size),
                uploads::data.eq(data),
                uploads::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
