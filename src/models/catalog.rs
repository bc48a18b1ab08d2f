//! The public catalog's reads: the listed products, and one public product with the release
//! buyers see.

use diesel::prelude::*;

use crate::db::schema::{applications, companies, products, service_groups};
use crate::db::DbConn;
use crate::domain::product::{ProductForm, Release};
use crate::domain::statuses::{ApplicationKind, ApplicationStatus, DeliveryMethod, ProductStatus};
use crate::error::AppError;
use crate::models::company::Company;
use crate::models::product::{like_pattern, lower};
use crate::models::service_group::ServiceGroupRow;

/// Products on one page of the catalog.
pub const PAGE_SIZE: i64 = 24;

/// The catalog's filters; each `Some` narrows the one query.
#[derive(Debug, Clone, Default)]
pub struct CatalogQuery {
    pub search: Option<String>,
    pub method: Option<DeliveryMethod>,
    pub page: i64,
}

/// A product card in the catalog.
#[derive(Debug, Clone)]
pub struct CatalogCard {
    pub id: i64,
    pub name: String,
    pub method: Option<DeliveryMethod>,
    pub seller: String,
    pub overview: String,
}

impl CatalogCard {
    pub fn method_label(&self) -> &'static str {
        self.method.map(|m| m.label()).unwrap_or("")
    }
}

fn listed<'a>(q: &CatalogQuery) -> products::BoxedQuery<'a, <DbConn as Connection>::Backend> {
    let mut query = products::table
        .filter(products::status.eq(ProductStatus::Listed.as_str()))
        .into_boxed();
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(lower(products::name).like(like_pattern(s)).escape('\\'));
    }
    if let Some(m) = q.method {
        query = query.filter(products::delivery_method.eq(m.as_str()));
    }
    query
}

/// One page of listed products, newest change first, and how many match in all. Hidden
/// products are left out (they stay reachable by their address).
pub fn list(conn: &mut DbConn, q: &CatalogQuery) -> Result<(Vec<CatalogCard>, i64), AppError> {
    let total: i64 = listed(q).count().get_result(conn)?;
    let rows: Vec<(i64, String, String, String, Option<String>)> = listed(q)
        .inner_join(companies::table)
        .order((products::updated_at.desc(), products::id.desc()))
        .limit(PAGE_SIZE)
        .offset((q.page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .select((
            products::id,
            products::name,
            products::delivery_method,
            products::form,
            companies::legal_name,
        ))
        .load(conn)?;
    let cards = rows
        .into_iter()
        .map(|(id, name, method, form, seller)| {
            // A listed product is locked, so its typed values are the released ones.
            let overview = serde_json::from_str::<ProductForm>(&form)
                .map(|f| f.overview.trim().to_string())
                .unwrap_or_default();
            CatalogCard {
                id,
                name,
                method: DeliveryMethod::parse(&method),
                seller: seller.unwrap_or_default(),
                overview,
            }
        })
        .collect();
    Ok((cards, total))
}

/// A product as the public sees it: the approved release, the seller's public contacts and
/// the after-sales group it names.
pub struct PublicProduct {
    pub id: i64,
    pub status: ProductStatus,
    pub release: Release,
    pub company: Company,
    pub group: Option<ServiceGroupRow>,
}

/// The statuses whose product pages (and logos) anyone may open.
fn public_statuses() -> [&'static str; 2] {
    [
        ProductStatus::Listed.as_str(),
        ProductStatus::Hidden.as_str(),
    ]
}

/// Listed and hidden products are public; anything else (drafts, products in their first
/// review, rejected or removed ones) is not found.
pub fn find_public(conn: &mut DbConn, id: i64) -> Result<PublicProduct, AppError> {
    let (company_id, status): (i64, String) = products::table
        .filter(products::id.eq(id))
        .filter(products::status.eq_any(public_statuses()))
        .select((products::company_id, products::status))
        .first(conn)?;
    let payload: String = applications::table
        .filter(applications::product_id.eq(id))
        .filter(applications::kind.eq(ApplicationKind::ProductRelease.as_str()))
        .filter(applications::status.eq(ApplicationStatus::Approved.as_str()))
        .order((applications::decided_at.desc(), applications::id.desc()))
        .select(applications::payload)
        .first(conn)?;
    let release: Release = serde_json::from_str(&payload).map_err(|e| {
        AppError::Internal(anyhow::anyhow!(
            "product #{id}: the approved release cannot be read: {e}"
        ))
    })?;
    let company = Company::find(conn, company_id)?;
    let group = service_groups::table
        .filter(service_groups::id.eq(release.service_group_id))
        .filter(service_groups::company_id.eq(company_id))
        .select(ServiceGroupRow::as_select())
        .first(conn)
        .optional()?;
    Ok(PublicProduct {
        id,
        status: ProductStatus::parse(&status).unwrap_or(ProductStatus::Listed),
        release,
        company,
        group,
    })
}

/// Whether the product's files may be shown to anyone (its logo, on the catalog pages).
pub fn is_public(conn: &mut DbConn, id: i64) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(
        products::table
            .filter(products::id.eq(id))
            .filter(products::status.eq_any(public_statuses())),
    ))
    .get_result(conn)?)
}
