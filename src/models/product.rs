//! Products: the seller's drafts and released products, and the My Products / Drafts queries.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::products;
use crate::db::DbConn;
use crate::domain::product::ProductForm;
use crate::domain::statuses::{DeliveryMethod, ProductStatus};
use crate::error::AppError;

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub delivery_method: String,
    pub status: ProductStatus,
    pub form: String,
    pub service_group_id: Option<i64>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl Product {
    pub fn status(&self) -> ProductStatus {
        self.status
    }

    pub fn method(&self) -> Option<DeliveryMethod> {
        DeliveryMethod::parse(&self.delivery_method)
    }

    /// The typed values; a row written by an older version still opens (missing fields empty).
    pub fn form(&self) -> ProductForm {
        serde_json::from_str(&self.form).unwrap_or_else(|_| ProductForm {
            delivery_method: self.delivery_method.clone(),
            name: self.name.clone(),
            ..ProductForm::default()
        })
    }

    /// Drafts and rejected products can be edited; one in review is locked.
    pub fn is_editable(&self) -> bool {
        matches!(
            self.status(),
            ProductStatus::Draft | ProductStatus::Rejected
        )
    }
}

/// A row of My Products or Drafts: no form text, just what the list shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ProductListRow {
    pub id: i64,
    pub name: String,
    pub delivery_method: String,
    pub status: ProductStatus,
    pub updated_at: PrimitiveDateTime,
}

impl ProductListRow {
    pub fn display_name(&self) -> &str {
        if self.name.trim().is_empty() {
            "(untitled)"
        } else {
            &self.name
        }
    }

    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }

    pub fn status_code(&self) -> &'static str {
        self.status.as_str()
    }

    pub fn method_label(&self) -> &'static str {
        DeliveryMethod::parse(&self.delivery_method)
            .map(|m| m.label())
            .unwrap_or("Unknown")
    }

    pub fn updated_text(&self) -> String {
        crate::web::format_time(&self.updated_at)
    }

    pub fn is_editable(&self) -> bool {
        matches!(self.status, ProductStatus::Draft | ProductStatus::Rejected)
    }
}

fn form_json(form: &ProductForm) -> Result<String, AppError> {
    serde_json::to_string(form).map_err(|e| AppError::Internal(e.into()))
}

/// The name column holds what was typed, bounded so a list never shows a novel.
fn list_name(form: &ProductForm) -> String {
    form.name.trim().chars().take(200).collect()
}

fn group_id(form: &ProductForm) -> Option<i64> {
    form.service_group_id.trim().parse().ok()
}

/// Products one company may hold in all states: far more than a seller lists, and a bound
/// on what one account can make the database keep.
pub const MAX_PRODUCTS_PER_COMPANY: i64 = 1_000;

pub fn create_draft(
    conn: &mut DbConn,
    company_id: i64,
    form: &ProductForm,
    method: DeliveryMethod,
) -> Result<i64, AppError> {
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_company(conn, company_id)?;
        // Counted on the company's index, up to the limit only.
        let held: Vec<i64> = products::table
            .filter(products::company_id.eq(company_id))
            .select(products::id)
            .limit(MAX_PRODUCTS_PER_COMPANY)
            .load(conn)?;
        if held.len() as i64 >= MAX_PRODUCTS_PER_COMPANY {
            return Err(AppError::Conflict(format!(
                "A seller can have at most {MAX_PRODUCTS_PER_COMPANY} products, drafts included. \
                 Delete drafts you no longer need first."
            )));
        }
        insert_draft(conn, company_id, form, method)
    })
}

fn insert_draft(
    conn: &mut DbConn,
    company_id: i64,
    form: &ProductForm,
    method: DeliveryMethod,
) -> Result<i64, AppError> {
    let now = crate::db::now();
    Ok(diesel::insert_into(products::table)
        .values((
            products::company_id.eq(company_id),
            products::name.eq(list_name(form)),
            products::delivery_method.eq(method.as_str()),
            products::status.eq(ProductStatus::Draft.as_str()),
            products::form.eq(form_json(form)?),
            products::created_at.eq(now),
            products::updated_at.eq(now),
        ))
        .returning(products::id)
        .get_result(conn)?)
}

/// Only the owning company's product: another seller's id is simply not found (404).
pub fn find_for_company(conn: &mut DbConn, company_id: i64, id: i64) -> Result<Product, AppError> {
    Ok(products::table
        .filter(products::id.eq(id))
        .filter(products::company_id.eq(company_id))
        .select(Product::as_select())
        .first(conn)?)
}

pub enum SaveOutcome {
    Saved(PrimitiveDateTime),
    Locked(ProductStatus),
}

/// Stores the typed values of an editable product. The service group is kept only if it is
/// one of this company's groups (the foreign key alone would accept another seller's).
pub fn save_form(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    form: &ProductForm,
) -> Result<SaveOutcome, AppError> {
    use crate::db::schema::service_groups;
    let product = find_for_company(conn, company_id, id)?;
    if !product.is_editable() {
        return Ok(SaveOutcome::Locked(product.status()));
    }
    let group = match group_id(form) {
        Some(g) => service_groups::table
            .filter(service_groups::id.eq(g))
            .filter(service_groups::company_id.eq(company_id))
            .select(service_groups::id)
            .first::<i64>(conn)
            .optional()?,
        None => None,
    };
    let now = crate::db::now();
    diesel::update(
        products::table
            .filter(products::id.eq(id))
            .filter(products::company_id.eq(company_id)),
    )
    .set((
        products::name.eq(list_name(form)),
        products::form.eq(form_json(form)?),
        products::service_group_id.eq(group),
        products::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(SaveOutcome::Saved(now))
}

pub fn set_status(conn: &mut DbConn, id: i64, status: ProductStatus) -> Result<(), AppError> {
    diesel::update(products::table.find(id))
        .set((
            products::status.eq(status.as_str()),
            products::updated_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a draft; anything submitted at least once has a history and is not deleted here.
pub fn delete_draft(conn: &mut DbConn, company_id: i64, id: i64) -> Result<bool, AppError> {
    let n = diesel::delete(
        products::table
            .filter(products::id.eq(id))
            .filter(products::company_id.eq(company_id))
            .filter(products::status.eq(ProductStatus::Draft.as_str())),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// A new draft with the same typed values; the name says it is a copy (names must be unique).
pub fn clone_into_draft(conn: &mut DbConn, company_id: i64, id: i64) -> Result<i64, AppError> {
    let source = find_for_company(conn, company_id, id)?;
    let mut form = source.form();
    let base: String = form.name.trim().chars().take(50).collect();
    form.name = format!("{base} (copy)");
    let method = source.method().ok_or(AppError::NotFound)?;
    crate::db::write_transaction(conn, |conn| {
        let id = create_draft(conn, company_id, &form, method)?;
        crate::models::upload::copy_to(conn, company_id, source.id, id)?;
        Ok(id)
    })
}

diesel::define_sql_function!(
    /// Lower-cases on both backends, for case-blind name search.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductSort {
    UpdatedDesc,
    UpdatedAsc,
    NameAsc,
    NameDesc,
}

impl ProductSort {
    pub const ALL: [(ProductSort, &'static str, &'static str); 4] = [
        (
            ProductSort::UpdatedDesc,
            "updated_desc",
            "Last change, newest first",
        ),
        (
            ProductSort::UpdatedAsc,
            "updated_asc",
            "Last change, oldest first",
        ),
        (ProductSort::NameAsc, "name_asc", "Name, A to Z"),
        (ProductSort::NameDesc, "name_desc", "Name, Z to A"),
    ];

    pub fn parse(s: &str) -> ProductSort {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == s)
            .map(|(v, _, _)| *v)
            .unwrap_or(ProductSort::UpdatedDesc)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(v, _, _)| *v == self)
            .map(|(_, k, _)| *k)
            .unwrap_or("updated_desc")
    }
}

/// The filters of My Products; each `Some` narrows the one query.
#[derive(Debug, Clone)]
pub struct ProductQuery {
    pub company_id: i64,
    pub search: Option<String>,
    pub status: Option<ProductStatus>,
    pub method: Option<DeliveryMethod>,
    pub sort: ProductSort,
    pub page: i64,
}

/// A LIKE pattern matching `search` anywhere, its wildcards escaped (use with `escape('\\')`).
pub fn like_pattern(search: &str) -> String {
    let escaped = search
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub struct ProductPage {
    pub rows: Vec<ProductListRow>,
    pub total: i64,
    /// The company's products per status (all of them, whatever the filters).
    pub counts: Vec<(String, i64)>,
}

/// One page of My Products (or Drafts) and the counts per status. The counts also give the
/// total when no search or method filter applies, so the COUNT query runs only for those; the
/// default views use statically typed queries, which Diesel keeps prepared between requests.
pub fn list(conn: &mut DbConn, q: &ProductQuery) -> Result<ProductPage, AppError> {
    let counts = counts_by_status(conn, q.company_id)?;
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let offset = (q.page.max(1) - 1) * PAGE_SIZE;
    let default_view = search.is_none() && q.method.is_none() && q.sort == ProductSort::UpdatedDesc;
    let rows = if default_view {
        // Built in each backend's arm: the row's Selectable is typed by its backend.
        macro_rules! page_query {
            () => {
                products::table
                    .filter(products::company_id.eq(q.company_id))
                    .order((products::updated_at.desc(), products::id.desc()))
                    .limit(PAGE_SIZE)
                    .offset(offset)
                    .select(ProductListRow::as_select())
            };
        }
        match q.status {
            None => crate::on_backend!(conn, |c| page_query!().load(c))?,
            Some(status) => crate::on_backend!(conn, |c| page_query!()
                .filter(products::status.eq(status.as_str()))
                .load(c))?,
        }
    } else {
        let mut query = filtered(q, search).select(ProductListRow::as_select());
        query = match q.sort {
            ProductSort::UpdatedDesc => {
                query.order((products::updated_at.desc(), products::id.desc()))
            }
            ProductSort::UpdatedAsc => {
                query.order((products::updated_at.asc(), products::id.asc()))
            }
            ProductSort::NameAsc => query.order((products::name.asc(), products::id.asc())),
            ProductSort::NameDesc => query.order((products::name.desc(), products::id.desc())),
        };
        query.limit(PAGE_SIZE).offset(offset).load(conn)?
    };
    let total = if search.is_none() && q.method.is_none() {
        counts
            .iter()
            .filter(|(s, _)| q.status.is_none_or(|st| st.as_str() == s))
            .map(|(_, n)| n)
            .sum()
    } else {
        filtered(q, search).count().get_result(conn)?
    };
    Ok(ProductPage {
        rows,
        total,
        counts,
    })
}

fn filtered<'a>(
    q: &ProductQuery,
    search: Option<&str>,
) -> products::BoxedQuery<'a, <DbConn as Connection>::Backend> {
    let mut query = products::table
        .filter(products::company_id.eq(q.company_id))
        .into_boxed();
    if let Some(s) = search {
        query = query.filter(lower(products::name).like(like_pattern(s)).escape('\\'));
    }
    if let Some(status) = q.status {
        query = query.filter(products::status.eq(status.as_str()));
    }
    if let Some(method) = q.method {
        query = query.filter(products::delivery_method.eq(method.as_str()));
    }
    query
}

/// The counter the database moves with every change to the company's products (triggers of
/// migration 000004); 0 before the first change.
pub fn list_version(conn: &mut DbConn, company_id: i64) -> Result<i64, AppError> {
    use crate::db::schema::company_product_versions as v;
    Ok(crate::on_backend!(conn, |c| v::table
        .find(company_id)
        .select(v::version)
        .first(c)
        .optional())?
    .unwrap_or(0))
}

/// How many of the company's products are in each status, for the tabs of My Products.
pub fn counts_by_status(
    conn: &mut DbConn,
    company_id: i64,
) -> Result<Vec<(String, i64)>, AppError> {
    let query = products::table
        .filter(products::company_id.eq(company_id))
        .group_by(products::status)
        .select((products::status, diesel::dsl::count_star()));
    Ok(crate::on_backend!(conn, |c| query.load(c))?)
}

/// The names of the company's other products, for the uniqueness rule.
pub fn other_names(
    conn: &mut DbConn,
    company_id: i64,
    except: i64,
) -> Result<Vec<String>, AppError> {
    Ok(products::table
        .filter(products::company_id.eq(company_id))
        .filter(products::id.ne(except))
        .filter(products::status.ne(ProductStatus::Removed.as_str()))
        .select(products::name)
        .load(conn)?)
}
