//! Removal applications (SPEC 7.4): submitted with their proof files; on approval the product
//! is removed for good, or a new release is listed without the removed specification or SKU.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::applications::{NewApplication, Payload, SubmitOutcome};
use crate::db::schema::{application_files, product_hidden_specs, product_removed_skus, products};
use crate::db::{lock_company, DbConn};
use crate::domain::removal::{release_without, RemovalRequest, RemovalTarget};
use crate::domain::statuses::{Lifecycle, ProductEventKind, Visibility};
use crate::error::AppError;
use crate::models::product::{self, Product};
use crate::models::product_event::{self, NewEvent};
use crate::models::{product_release, visibility};

/// A proof file that passed the content checks.
pub struct ProofFile {
    pub filename: String,
    pub content_type: &'static str,
    pub data: Vec<u8>,
}

pub enum RemovalOutcome {
    Submitted(i64),
    AlreadyOpen(i64),
    NotLive(Lifecycle),
}

/// Submits the removal with its files. Call inside a write transaction.
#[allow(clippy::too_many_arguments)]
pub fn submit(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
    product: &Product,
    request: &RemovalRequest,
    files: Vec<ProofFile>,
    now: PrimitiveDateTime,
    due: time::Date,
) -> Result<RemovalOutcome, AppError> {
    lock_company(conn, company_id)?;
    let current = product::find_for_company(conn, company_id, product.id)?;
    if current.lifecycle != Lifecycle::Live {
        return Ok(RemovalOutcome::NotLive(current.lifecycle));
    }
    let mut request = request.clone();
    request.files = files.iter().map(|f| f.filename.clone()).collect();
    // A subject is data in every language: the product's name and what of it goes (the kind,
    // "Product removal", says the rest in the reader's language).
    let subject = match &request.target {
        RemovalTarget::Product => current.name.clone(),
        RemovalTarget::Specification { name } => format!("{} · {name}", current.name),
        RemovalTarget::Sku { spec, label, .. } if label.is_empty() => {
            format!("{} · {spec}", current.name)
        }
        RemovalTarget::Sku { spec, label, .. } => format!("{} · {spec} · {label}", current.name),
    };
    let payload = Payload::ProductRemoval(request.clone());
    let outcome = crate::applications::submit(
        conn,
        NewApplication {
            company_id,
            subject: &subject,
            payload: &payload,
            product_id: Some(product.id),
            submitted_by: user_id,
            due_date: due,
            may_take_longer: false,
        },
    )?;
    let id = match outcome {
        SubmitOutcome::AlreadyOpen(open) => return Ok(RemovalOutcome::AlreadyOpen(open.id)),
        SubmitOutcome::Submitted(id) => id,
    };
    for f in files {
        diesel::insert_into(application_files::table)
            .values((
                application_files::application_id.eq(id),
                application_files::filename.eq(&f.filename),
                application_files::content_type.eq(f.content_type),
                application_files::byte_size.eq(f.data.len() as i64),
                application_files::data.eq(&f.data),
                application_files::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    product::touch(conn, product.id, now)?;
    Ok(RemovalOutcome::Submitted(id))
}

/// An approved removal's effect, in the decision's transaction.
pub fn apply(
    conn: &mut DbConn,
    application_id: i64,
    product_id: i64,
    actor_id: i64,
    request: &RemovalRequest,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    let (listed_id, shown): (Option<i64>, Visibility) = products::table
        .find(product_id)
        .select((products::listed_release_id, products::visibility))
        .first(conn)?;
    let listed = listed_id
        .map(|id| product_release::find(conn, id))
        .transpose()?;
    let without = listed
        .as_ref()
        .and_then(|l| release_without(&l.snapshot.release, &request.target));
    match (&request.target, without, listed) {
        (RemovalTarget::Product, ..) | (_, None, _) | (_, _, None) => {
            product::set_lifecycle(conn, product_id, Lifecycle::Removed, now)?;
            product_release::refresh_entry(conn, product_id, now)?;
        }
        (target, Some(release), Some(listed)) => {
            if let RemovalTarget::Sku { spec, key, .. } = target {
                let row = product_removed_skus::table
                    .filter(product_removed_skus::product_id.eq(product_id))
                    .filter(product_removed_skus::spec_name.eq(spec))
                    .filter(product_removed_skus::sku_key.eq(key));
                diesel::delete(row).execute(conn)?;
                diesel::insert_into(product_removed_skus::table)
                    .values((
                        product_removed_skus::product_id.eq(product_id),
                        product_removed_skus::spec_name.eq(spec),
                        product_removed_skus::sku_key.eq(key),
                    ))
                    .execute(conn)?;
            }
            if let RemovalTarget::Specification { name } = target {
                diesel::delete(
                    product_hidden_specs::table
                        .filter(product_hidden_specs::product_id.eq(product_id))
                        .filter(product_hidden_specs::spec_name.eq(name)),
                )
                .execute(conn)?;
                remove_from_working_copy(conn, product_id, name, now)?;
            }
            product_release::publish_keeping_files(
                conn,
                product_id,
                Some(application_id),
                &release,
                now,
                listed.id,
            )?;
            // A shown product keeps a shown specification: if the removed one was the last,
            // the product is hidden (and the history says so).
            let hidden = visibility::hidden_specs(conn, product_id)?;
            if shown == Visibility::Shown && release.specs.iter().all(|s| hidden.contains(&s.name))
            {
                product::set_visibility(conn, product_id, Visibility::Hidden, now)?;
                product_event::record(
                    conn,
                    NewEvent {
                        product_id,
                        actor_id: Some(actor_id),
                        kind: ProductEventKind::Hidden,
                        application_id: Some(application_id),
                        detail: Some(crate::i18n::Msg::new("event-detail-last-spec-removed")),
                        at: now,
                    },
                )?;
                product_release::refresh_entry(conn, product_id, now)?;
            }
        }
    }
    Ok(())
}

/// A removed specification leaves the working copy too, so no later modification brings it
/// back by accident.
fn remove_from_working_copy(
    conn: &mut DbConn,
    product_id: i64,
    spec_name: &str,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    let row: Product = products::table
        .find(product_id)
        .select(Product::as_select())
        .first(conn)?;
    let mut form = row.form();
    let before = form.specs.len();
    form.specs.retain(|s| s.name.trim() != spec_name);
    if form.specs.len() != before {
        let json = serde_json::to_string(&form).map_err(anyhow::Error::from)?;
        diesel::update(products::table.find(product_id))
            .set((products::form.eq(json), products::updated_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// SKU keys removed from each specification of the product, for filtering a new release.
pub fn removed_skus(conn: &mut DbConn, product_id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(product_removed_skus::table
        .filter(product_removed_skus::product_id.eq(product_id))
        .select((
            product_removed_skus::spec_name,
            product_removed_skus::sku_key,
        ))
        .load(conn)?)
}

/// A proof file without its bytes.
#[derive(Debug, Clone, Queryable)]
pub struct FileMeta {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub byte_size: i64,
}

impl FileMeta {
    pub fn size_text(&self) -> String {
        crate::web::size_text(self.byte_size)
    }
}

pub fn files_of(conn: &mut DbConn, application_id: i64) -> Result<Vec<FileMeta>, AppError> {
    Ok(application_files::table
        .filter(application_files::application_id.eq(application_id))
        .order(application_files::id.asc())
        .select((
            application_files::id,
            application_files::filename,
            application_files::content_type,
            application_files::byte_size,
        ))
        .load(conn)?)
}

pub fn file(
    conn: &mut DbConn,
    application_id: i64,
    id: i64,
) -> Result<(FileMeta, Vec<u8>), AppError> {
    let (meta, data) = application_files::table
        .filter(application_files::application_id.eq(application_id))
        .filter(application_files::id.eq(id))
        .select((
            (
                application_files::id,
                application_files::filename,
                application_files::content_type,
                application_files::byte_size,
            ),
            application_files::data,
        ))
        .first::<(FileMeta, Vec<u8>)>(conn)?;
    Ok((meta, data))
}
