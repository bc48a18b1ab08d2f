//! What an owner typed into the editor after their session had ended: one per user, kept
//! until they are back in the editor of that product (see `routes::products::save`).

use diesel::prelude::*;

use crate::db::schema::form_stashes;
use crate::db::DbConn;
use crate::error::AppError;

pub type Pairs = Vec<(String, String)>;

/// Keeps `pairs` for the user, replacing what was kept before.
pub fn keep(
    conn: &mut DbConn,
    user_id: i64,
    product_id: i64,
    pairs: &Pairs,
) -> Result<(), AppError> {
    let json = serde_json::to_string(pairs).map_err(anyhow::Error::from)?;
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(form_stashes::table.find(user_id)).execute(conn)?;
        diesel::insert_into(form_stashes::table)
            .values((
                form_stashes::user_id.eq(user_id),
                form_stashes::product_id.eq(product_id),
                form_stashes::pairs.eq(json),
                form_stashes::stashed_at.eq(crate::db::now()),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The user's kept values for this product, removed as they are handed out.
pub fn take(conn: &mut DbConn, user_id: i64, product_id: i64) -> Result<Option<Pairs>, AppError> {
    let found: Option<String> = form_stashes::table
        .find(user_id)
        .filter(form_stashes::product_id.eq(product_id))
        .select(form_stashes::pairs)
        .first(conn)
        .optional()?;
    let Some(json) = found else {
        return Ok(None);
    };
    diesel::delete(form_stashes::table.find(user_id)).execute(conn)?;
    Ok(serde_json::from_str(&json).ok())
}
