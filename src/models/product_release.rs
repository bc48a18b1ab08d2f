//! Immutable releases of a product, its listed-release pointer and its catalog entry: what
//! buyers see, written once when a release is approved and never edited afterwards.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

use crate::db::schema::{
    applications, catalog_entries, companies, product_release_files, product_releases, products,
    service_groups, uploads,
};
use crate::db::DbConn;
use crate::domain::product::Release;
use crate::domain::search;
use crate::domain::statuses::{
    ApplicationKind, ApplicationStatus, Lifecycle, UploadKind, Visibility,
};
use crate::error::AppError;
use crate::models::company::Company;
use crate::models::service_group::ServiceGroupRow;

/// The after-sales group as it was when the release was approved.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GroupSnapshot {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub service_days: String,
    pub hours_start: String,
    pub hours_end: String,
}

impl From<ServiceGroupRow> for GroupSnapshot {
    fn from(g: ServiceGroupRow) -> Self {
        GroupSnapshot {
            name: g.name,
            phone: g.phone,
            email: g.email,
            service_days: g.service_days,
            hours_start: g.hours_start,
            hours_end: g.hours_end,
        }
    }
}

impl GroupSnapshot {
    /// The service days ("Mon,Tue,…" as stored) in the reader's language: "Mon, Tue" or "周一、周二".
    pub fn days_label(&self) -> String {
        let days: Vec<crate::i18n::Msg> = self
            .service_days
            .split(',')
            .map(|day| match day.trim() {
                "Mon" => crate::i18n::Msg::new("catalog-day-mon"),
                "Tue" => crate::i18n::Msg::new("catalog-day-tue"),
                "Wed" => crate::i18n::Msg::new("catalog-day-wed"),
                "Thu" => crate::i18n::Msg::new("catalog-day-thu"),
                "Fri" => crate::i18n::Msg::new("catalog-day-fri"),
                "Sat" => crate::i18n::Msg::new("catalog-day-sat"),
                "Sun" => crate::i18n::Msg::new("catalog-day-sun"),
                other => crate::i18n::Msg::raw(other),
            })
            .collect();
        crate::i18n::list(crate::i18n::lang(), &days)
    }
}

/// Everything a release shows besides its files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReleaseSnapshot {
    pub release: Release,
    pub group: Option<GroupSnapshot>,
}

/// A stored release.
#[derive(Debug, Clone)]
pub struct ProductRelease {
    pub id: i64,
    pub product_id: i64,
    pub number: i32,
    pub application_id: Option<i64>,
    pub released_at: PrimitiveDateTime,
    pub snapshot: ReleaseSnapshot,
}

fn decode(id: i64, text: &str) -> Result<ReleaseSnapshot, AppError> {
    serde_json::from_str(text)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("release #{id} cannot be read: {e}")))
}

fn group_snapshot(
    conn: &mut DbConn,
    company_id: i64,
    group_id: i64,
) -> Result<Option<GroupSnapshot>, AppError> {
    Ok(service_groups::table
        .filter(service_groups::id.eq(group_id))
        .filter(service_groups::company_id.eq(company_id))
        .select(ServiceGroupRow::as_select())
        .first(conn)
        .optional()?
        .map(GroupSnapshot::from))
}

/// Makes `release` the product's new listed release: the numbered snapshot (with the group's
/// details and the product's shown files copied as they are now), the pointer, the catalog
/// entry and its search text. Call inside the approval's write transaction.
pub fn publish(
    conn: &mut DbConn,
    product_id: i64,
    application_id: Option<i64>,
    release: &Release,
    now: PrimitiveDateTime,
) -> Result<i64, AppError> {
    publish_with(conn, product_id, application_id, release, now, None)
}

/// Like `publish`, but the new release shows the files of release `files_of` (a removal's
/// release: nothing of the working copy was reviewed, so nothing of it is published).
pub fn publish_keeping_files(
    conn: &mut DbConn,
    product_id: i64,
    application_id: Option<i64>,
    release: &Release,
    now: PrimitiveDateTime,
    files_of: i64,
) -> Result<i64, AppError> {
    publish_with(
        conn,
        product_id,
        application_id,
        release,
        now,
        Some(files_of),
    )
}

fn publish_with(
    conn: &mut DbConn,
    product_id: i64,
    application_id: Option<i64>,
    release: &Release,
    now: PrimitiveDateTime,
    files_of: Option<i64>,
) -> Result<i64, AppError> {
    let company_id: i64 = products::table
        .find(product_id)
        .select(products::company_id)
        .first(conn)?;
    let last: Option<i32> = product_releases::table
        .filter(product_releases::product_id.eq(product_id))
        .select(diesel::dsl::max(product_releases::number))
        .first(conn)?;
    let snapshot = ReleaseSnapshot {
        release: release.clone(),
        group: group_snapshot(conn, company_id, release.service_group_id)?,
    };
    let text = serde_json::to_string(&snapshot).map_err(anyhow::Error::from)?;
    let release_id: i64 = diesel::insert_into(product_releases::table)
        .values((
            product_releases::product_id.eq(product_id),
            product_releases::number.eq(last.unwrap_or(0) + 1),
            product_releases::application_id.eq(application_id),
            product_releases::name.eq(&release.name),
            product_releases::snapshot.eq(&text),
            product_releases::released_at.eq(now),
        ))
        .returning(product_releases::id)
        .get_result(conn)?;
    // The logo a buyer sees is the one approved with the release, whatever the working copy
    // uploads afterwards.
    let logo: Option<(String, String, i64, Vec<u8>)> = match files_of {
        None => uploads::table
            .filter(uploads::product_id.eq(product_id))
            .filter(uploads::kind.eq(UploadKind::Logo.as_str()))
            .order(uploads::id.desc())
            .select((
                uploads::filename,
                uploads::content_type,
                uploads::byte_size,
                uploads::data,
            ))
            .first(conn)
            .optional()?,
        Some(release_id) => product_release_files::table
            .filter(product_release_files::release_id.eq(release_id))
            .filter(product_release_files::kind.eq(UploadKind::Logo.as_str()))
            .select((
                product_release_files::filename,
                product_release_files::content_type,
                product_release_files::byte_size,
                product_release_files::data,
            ))
            .first(conn)
            .optional()?,
    };
    if let Some((filename, content_type, byte_size, data)) = logo {
        diesel::insert_into(product_release_files::table)
            .values((
                product_release_files::release_id.eq(release_id),
                product_release_files::kind.eq(UploadKind::Logo.as_str()),
                product_release_files::filename.eq(filename),
                product_release_files::content_type.eq(content_type),
                product_release_files::byte_size.eq(byte_size),
                product_release_files::data.eq(data),
            ))
            .execute(conn)?;
    }
    diesel::update(products::table.find(product_id))
        .set((
            products::listed_release_id.eq(Some(release_id)),
            products::lifecycle.eq(Lifecycle::Live),
            products::updated_at.eq(now),
        ))
        .execute(conn)?;
    refresh_entry(conn, product_id, now)?;
    Ok(release_id)
}

/// The release a modification is compared with: for an approved one, the release listed just
/// before it; otherwise the product's listed release (the one it would replace).
pub fn base_of(
    conn: &mut DbConn,
    product_id: i64,
    application_id: i64,
) -> Result<Option<ProductRelease>, AppError> {
    let made: Option<i32> = product_releases::table
        .filter(product_releases::product_id.eq(product_id))
        .filter(product_releases::application_id.eq(application_id))
        .select(product_releases::number)
        .first(conn)
        .optional()?;
    let base_id: Option<i64> = match made {
        Some(number) => product_releases::table
            .filter(product_releases::product_id.eq(product_id))
            .filter(product_releases::number.lt(number))
            .order(product_releases::number.desc())
            .select(product_releases::id)
            .first(conn)
            .optional()?,
        None => products::table
            .find(product_id)
            .select(products::listed_release_id)
            .first::<Option<i64>>(conn)
            .optional()?
            .flatten(),
    };
    base_id.map(|id| find(conn, id)).transpose()
}

/// Whether a modification changes the logo: the logo of the release it made (once approved) or
/// of the working copy (while open) against the logo of `base`.
pub fn modification_changes_logo(
    conn: &mut DbConn,
    product_id: i64,
    application_id: i64,
    base: i64,
) -> Result<bool, AppError> {
    let made: Option<i64> = product_releases::table
        .filter(product_releases::product_id.eq(product_id))
        .filter(product_releases::application_id.eq(application_id))
        .select(product_releases::id)
        .first(conn)
        .optional()?;
    match made {
        None => logo_changed(conn, product_id, base),
        Some(release) => {
            let logo = |conn: &mut DbConn, id: i64| -> Result<Option<Vec<u8>>, AppError> {
                Ok(product_release_files::table
                    .filter(product_release_files::release_id.eq(id))
                    .filter(product_release_files::kind.eq(UploadKind::Logo.as_str()))
                    .select(product_release_files::data)
                    .first(conn)
                    .optional()?)
            };
            Ok(logo(conn, release)? != logo(conn, base)?)
        }
    }
}

/// Whether the working copy's logo differs from the one the release shows.
pub fn logo_changed(conn: &mut DbConn, product_id: i64, release_id: i64) -> Result<bool, AppError> {
    let current: Option<Vec<u8>> = uploads::table
        .filter(uploads::product_id.eq(product_id))
        .filter(uploads::kind.eq(UploadKind::Logo.as_str()))
        .order(uploads::id.desc())
        .select(uploads::data)
        .first(conn)
        .optional()?;
    let shown: Option<Vec<u8>> = product_release_files::table
        .filter(product_release_files::release_id.eq(release_id))
        .filter(product_release_files::kind.eq(UploadKind::Logo.as_str()))
        .select(product_release_files::data)
        .first(conn)
        .optional()?;
    Ok(current != shown)
}

/// The catalog entry of a product, built from its listed release.
pub struct NewEntry<'a> {
    pub product_id: i64,
    pub release_id: i64,
    pub company_id: i64,
    pub release: &'a Release,
    pub listed_at: PrimitiveDateTime,
}

/// Writes the entry (search text included); the product must not have one.
pub fn insert_entry(conn: &mut DbConn, e: NewEntry) -> Result<(), AppError> {
    let r = e.release;
    let intro = search::html_text(&r.introduction);
    diesel::insert_into(catalog_entries::table)
        .values((
            catalog_entries::product_id.eq(e.product_id),
            catalog_entries::release_id.eq(e.release_id),
            catalog_entries::company_id.eq(e.company_id),
            catalog_entries::delivery_method.eq(r.method.as_str()),
            catalog_entries::category.eq(&r.category),
            catalog_entries::name.eq(&r.name),
            catalog_entries::overview.eq(r.overview.trim()),
            catalog_entries::listed_at.eq(e.listed_at),
            catalog_entries::name_terms.eq(search::index_text(&[&r.name])),
            catalog_entries::body_terms.eq(search::index_text(&[&r.overview, &intro])),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts the catalog in line with the product: an entry from its listed release while it is
/// listed and shown, none otherwise. Call in the transaction that changed the product.
pub fn refresh_entry(
    conn: &mut DbConn,
    product_id: i64,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    let (company_id, lifecycle, visibility, release_id): (i64, Lifecycle, Visibility, Option<i64>) =
        products::table
            .find(product_id)
            .select((
                products::company_id,
                products::lifecycle,
                products::visibility,
                products::listed_release_id,
            ))
            .first(conn)?;
    let current: Option<i64> = catalog_entries::table
        .filter(catalog_entries::product_id.eq(product_id))
        .select(catalog_entries::release_id)
        .first(conn)
        .optional()?;
    let wanted =
        release_id.filter(|_| lifecycle == Lifecycle::Live && visibility == Visibility::Shown);
    if current == wanted {
        return Ok(());
    }
    // A new row, so the entry's id says when the product (re-)entered the catalog.
    diesel::delete(catalog_entries::table.filter(catalog_entries::product_id.eq(product_id)))
        .execute(conn)?;
    if let Some(release_id) = wanted {
        let release = find(conn, release_id)?;
        insert_entry(
            conn,
            NewEntry {
                product_id,
                release_id,
                company_id,
                release: &release.snapshot.release,
                listed_at: now,
            },
        )?;
    }
    Ok(())
}

/// One stored release.
pub fn find(conn: &mut DbConn, id: i64) -> Result<ProductRelease, AppError> {
    let (product_id, number, application_id, released_at, text): (
        i64,
        i32,
        Option<i64>,
        PrimitiveDateTime,
        String,
    ) = product_releases::table
        .find(id)
        .select((
            product_releases::product_id,
            product_releases::number,
            product_releases::application_id,
            product_releases::released_at,
            product_releases::snapshot,
        ))
        .first(conn)?;
    Ok(ProductRelease {
        id,
        product_id,
        number,
        application_id,
        released_at,
        snapshot: decode(id, &text)?,
    })
}

/// A product as the public sees it: its listed release and the seller's public contacts.
pub struct PublicProduct {
    pub id: i64,
    pub lifecycle: Lifecycle,
    pub visibility: Visibility,
    pub release: ProductRelease,
    pub company: Company,
}

/// A product that was listed (live, shown or hidden, or removed since: its page then says it is
/// no longer available) with its last listed release; a product never listed is not found.
pub fn find_public(conn: &mut DbConn, id: i64) -> Result<PublicProduct, AppError> {
    let (company_id, lifecycle, visibility, release_id): (i64, Lifecycle, Visibility, Option<i64>) =
        products::table
            .filter(products::id.eq(id))
            .filter(products::lifecycle.ne(Lifecycle::Draft))
            .select((
                products::company_id,
                products::lifecycle,
                products::visibility,
                products::listed_release_id,
            ))
            .first(conn)?;
    let release = find(conn, release_id.ok_or(AppError::NotFound)?)?;
    let company = Company::find(conn, company_id)?;
    Ok(PublicProduct {
        id,
        lifecycle,
        visibility,
        release,
        company,
    })
}

/// The logo shown with the product's listed release, for anyone, while the product is public.
pub fn public_logo(
    conn: &mut DbConn,
    product_id: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    Ok(products::table
        .filter(products::id.eq(product_id))
        .filter(products::lifecycle.eq(Lifecycle::Live))
        .inner_join(
            product_release_files::table.on(product_release_files::release_id
                .nullable()
                .eq(products::listed_release_id)),
        )
        .filter(product_release_files::kind.eq(UploadKind::Logo.as_str()))
        .select((
            product_release_files::filename,
            product_release_files::content_type,
            product_release_files::data,
        ))
        .first(conn)?)
}

/// Gives every listed or hidden product that has no release row yet (approved before releases
/// were their own records) a release from its latest approved release application, with its
/// catalog entry. Returns how many it wrote; nothing to do costs one indexed query.
pub fn backfill(conn: &mut DbConn) -> Result<usize, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let pending: Vec<i64> = products::table
            .filter(products::listed_release_id.is_null())
            .filter(products::lifecycle.eq(Lifecycle::Live))
            .filter(diesel::dsl::exists(
                applications::table
                    .filter(applications::product_id.eq(products::id.nullable()))
                    .filter(applications::kind.eq(ApplicationKind::ProductRelease.as_str()))
                    .filter(applications::status.eq(ApplicationStatus::Approved.as_str())),
            ))
            .select(products::id)
            .load(conn)?;
        let mut written = 0;
        for product_id in pending {
            let approved: Option<(i64, String, Option<PrimitiveDateTime>)> = applications::table
                .filter(applications::product_id.eq(product_id))
                .filter(applications::kind.eq(ApplicationKind::ProductRelease.as_str()))
                .filter(applications::status.eq(ApplicationStatus::Approved.as_str()))
                .order((applications::decided_at.desc(), applications::id.desc()))
                .select((
                    applications::id,
                    applications::payload,
                    applications::decided_at,
                ))
                .first(conn)
                .optional()?;
            let Some((app_id, payload, decided_at)) = approved else {
                continue;
            };
            let release: Release = serde_json::from_str(&payload).map_err(|e| {
                AppError::Internal(anyhow::anyhow!(
                    "application #{app_id}: the approved release cannot be read: {e}"
                ))
            })?;
            publish(
                conn,
                product_id,
                Some(app_id),
                &release,
                decided_at.unwrap_or_else(crate::db::now),
            )?;
            written += 1;
        }
        Ok(written)
    })
}

/// The seller names of some companies, for catalog cards.
pub fn seller_names(
    conn: &mut DbConn,
    company_ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    let rows: Vec<(i64, Option<String>)> = companies::table
        .filter(companies::id.eq_any(company_ids))
        .select((companies::id, companies::legal_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (id, name.unwrap_or_default()))
        .collect())
}
