//! Products: the seller's drafts and released products, and the My Products / Drafts queries.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use std::collections::HashMap;

use crate::db::schema::{applications, products};
use crate::db::DbConn;
use crate::domain::product::ProductForm;
use crate::domain::statuses::{
    ApplicationKind, ApplicationStatus, DeliveryMethod, Lifecycle, OpenApplication, ProductFilter,
    ProductState, Visibility,
};
use crate::error::AppError;

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub delivery_method: DeliveryMethod,
    pub lifecycle: Lifecycle,
    pub visibility: Visibility,
    pub form: String,
    pub service_group_id: Option<i64>,
    pub listed_release_id: Option<i64>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl Product {
    pub fn method(&self) -> Option<DeliveryMethod> {
        Some(self.delivery_method)
    }

    /// The typed values; a row written by an older version still opens (missing fields empty).
    pub fn form(&self) -> ProductForm {
        serde_json::from_str(&self.form).unwrap_or_else(|_| ProductForm {
            delivery_method: self.delivery_method.as_str().to_string(),
            name: self.name.clone(),
            ..ProductForm::default()
        })
    }

    pub fn is_live(&self) -> bool {
        self.lifecycle == Lifecycle::Live
    }
}

/// The columns of a My Products or Drafts row: no form text, just what the list shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ListColumns {
    pub id: i64,
    pub name: String,
    pub delivery_method: DeliveryMethod,
    pub lifecycle: Lifecycle,
    pub visibility: Visibility,
    pub updated_at: PrimitiveDateTime,
}

/// A row of My Products or Drafts with its three states.
#[derive(Debug, Clone)]
pub struct ProductListRow {
    pub id: i64,
    pub name: String,
    pub delivery_method: DeliveryMethod,
    pub state: ProductState,
    pub updated_at: PrimitiveDateTime,
}

impl ProductListRow {
    pub fn display_name(&self) -> String {
        if self.name.trim().is_empty() {
            crate::i18n::tr("products-untitled")
        } else {
            self.name.clone()
        }
    }

    pub fn status_label(&self) -> String {
        self.state.label()
    }

    pub fn status_code(&self) -> &'static str {
        self.state.badge()
    }

    pub fn method_label(&self) -> String {
        self.delivery_method.label()
    }

    pub fn updated_text(&self) -> String {
        crate::web::format_time(&self.updated_at)
    }

    pub fn is_editable(&self) -> bool {
        self.state.is_editable()
    }

    pub fn is_live(&self) -> bool {
        self.state.lifecycle == Lifecycle::Live
    }

    pub fn is_hidden(&self) -> bool {
        self.state.visibility == Visibility::Hidden
    }
}

/// The states of these products: their columns plus what `applications` says (the open
/// application, and whether the latest one was rejected). Three indexed queries for a page of
/// rows, whatever its length.
pub fn states_of(
    conn: &mut DbConn,
    rows: &[(i64, Lifecycle, Visibility)],
) -> Result<HashMap<i64, ProductState>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let open: Vec<(Option<i64>, i64, ApplicationKind, ApplicationStatus)> = applications::table
        .filter(applications::product_id.eq_any(&ids))
        .filter(applications::status.eq_any(ApplicationStatus::OPEN))
        .select((
            applications::product_id,
            applications::id,
            applications::kind,
            applications::status,
        ))
        .load(conn)?;
    let latest: Vec<Option<i64>> = applications::table
        .filter(applications::product_id.eq_any(&ids))
        .group_by(applications::product_id)
        .select(diesel::dsl::max(applications::id))
        .load(conn)?;
    let latest: Vec<i64> = latest.into_iter().flatten().collect();
    let rejected: Vec<Option<i64>> = applications::table
        .filter(applications::id.eq_any(&latest))
        .filter(applications::status.eq(ApplicationStatus::Rejected))
        .select(applications::product_id)
        .load(conn)?;
    let mut states: HashMap<i64, ProductState> = rows
        .iter()
        .map(|&(id, lifecycle, visibility)| {
            (
                id,
                ProductState {
                    lifecycle,
                    visibility,
                    open: None,
                    rejected: false,
                },
            )
        })
        .collect();
    for (product_id, id, kind, status) in open {
        if let Some(state) = product_id.and_then(|p| states.get_mut(&p)) {
            state.open = Some(OpenApplication { id, kind, status });
        }
    }
    for product_id in rejected.into_iter().flatten() {
        if let Some(state) = states.get_mut(&product_id) {
            state.rejected = state.open.is_none();
        }
    }
    Ok(states)
}

/// One product's three states.
pub fn state_of(conn: &mut DbConn, product: &Product) -> Result<ProductState, AppError> {
    let mut states = states_of(conn, &[(product.id, product.lifecycle, product.visibility)])?;
    states
        .remove(&product.id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no state for product")))
}

fn with_states(conn: &mut DbConn, cols: Vec<ListColumns>) -> Result<Vec<ProductListRow>, AppError> {
    let keys: Vec<(i64, Lifecycle, Visibility)> = cols
        .iter()
        .map(|c| (c.id, c.lifecycle, c.visibility))
        .collect();
    let mut states = states_of(conn, &keys)?;
    Ok(cols
        .into_iter()
        .map(|c| ProductListRow {
            state: states.remove(&c.id).unwrap_or(ProductState {
                lifecycle: c.lifecycle,
                visibility: c.visibility,
                open: None,
                rejected: false,
            }),
            id: c.id,
            name: c.name,
            delivery_method: c.delivery_method,
            updated_at: c.updated_at,
        })
        .collect())
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
            return Err(AppError::Conflict(
                crate::i18n::Msg::new("products-error-too-many-products")
                    .arg("max", MAX_PRODUCTS_PER_COMPANY),
            ));
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
            products::delivery_method.eq(method),
            products::lifecycle.eq(Lifecycle::Draft),
            products::visibility.eq(Visibility::Shown),
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
    Locked(ProductState),
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
    let state = state_of(conn, &product)?;
    if !state.is_editable() {
        return Ok(SaveOutcome::Locked(state));
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

/// Marks the product changed (the list's "last change"), e.g. when it is submitted.
pub fn touch(conn: &mut DbConn, id: i64, now: PrimitiveDateTime) -> Result<(), AppError> {
    diesel::update(products::table.find(id))
        .set(products::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn set_lifecycle(
    conn: &mut DbConn,
    id: i64,
    lifecycle: Lifecycle,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    diesel::update(products::table.find(id))
        .set((
            products::lifecycle.eq(lifecycle),
            products::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_visibility(
    conn: &mut DbConn,
    id: i64,
    visibility: Visibility,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    diesel::update(products::table.find(id))
        .set((
            products::visibility.eq(visibility),
            products::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a draft with nothing in review; a product that was ever listed has a history and
/// is removed through review instead.
pub fn delete_draft(conn: &mut DbConn, company_id: i64, id: i64) -> Result<bool, AppError> {
    let product = find_for_company(conn, company_id, id)?;
    if !is_deletable(conn, &product)? {
        return Ok(false);
    }
    let n = diesel::delete(
        products::table
            .filter(products::id.eq(id))
            .filter(products::company_id.eq(company_id))
            .filter(products::lifecycle.eq(Lifecycle::Draft)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// A draft with nothing in review, which Delete removes for good.
pub fn is_deletable(conn: &mut DbConn, product: &Product) -> Result<bool, AppError> {
    let state = state_of(conn, product)?;
    Ok(state.lifecycle == Lifecycle::Draft && state.open.is_none())
}

/// A new draft with the same typed values; the name says it is a copy (names must be unique),
/// in the language of `lang`, the seller who clones it.
pub fn clone_into_draft(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    lang: crate::i18n::Lang,
) -> Result<i64, AppError> {
    let source = find_for_company(conn, company_id, id)?;
    let mut form = source.form();
    let base: String = form.name.trim().chars().take(50).collect();
    form.name = crate::i18n::Msg::new("products-copy-name")
        .arg("name", base)
        .render(lang);
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
    /// (sort, form value, key of the label).
    pub const ALL: [(ProductSort, &'static str, &'static str); 4] = [
        (
            ProductSort::UpdatedDesc,
            "updated_desc",
            "products-sort-updated-desc",
        ),
        (
            ProductSort::UpdatedAsc,
            "updated_asc",
            "products-sort-updated-asc",
        ),
        (ProductSort::NameAsc, "name_asc", "products-sort-name-asc"),
        (
            ProductSort::NameDesc,
            "name_desc",
            "products-sort-name-desc",
        ),
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
    pub filter: Option<ProductFilter>,
    pub method: Option<DeliveryMethod>,
    pub sort: ProductSort,
    pub page: i64,
    /// Leave out products with an open application (Drafts: what the seller can work on).
    pub without_open: bool,
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
    /// The company's products per tab (all of them, whatever the filters).
    pub counts: FilterCounts,
}

/// How many of the company's products each tab of My Products holds.
#[derive(Debug, Clone, Default)]
pub struct FilterCounts {
    pub all: i64,
    pub draft: i64,
    pub live: i64,
    pub removed: i64,
    pub hidden: i64,
    pub in_review: i64,
}

impl FilterCounts {
    pub fn of(&self, filter: Option<ProductFilter>) -> i64 {
        match filter {
            None => self.all,
            Some(ProductFilter::Draft) => self.draft,
            Some(ProductFilter::Listed) => self.live,
            Some(ProductFilter::Removed) => self.removed,
            Some(ProductFilter::Hidden) => self.hidden,
            Some(ProductFilter::InReview) => self.in_review,
        }
    }
}

/// One page of My Products (or Drafts) and the counts per status. The counts also give the
/// total when no search or method filter applies, so the COUNT query runs only for those; the
/// default views use statically typed queries, which Diesel keeps prepared between requests.
pub fn list(conn: &mut DbConn, q: &ProductQuery) -> Result<ProductPage, AppError> {
    let counts = filter_counts(conn, q.company_id)?;
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let offset = (q.page.max(1) - 1) * PAGE_SIZE;
    let default_view = search.is_none()
        && !q.without_open
        && q.method.is_none()
        && q.sort == ProductSort::UpdatedDesc
        && q.filter != Some(ProductFilter::InReview);
    let cols: Vec<ListColumns> = if default_view {
        // Built in each backend's arm: the row's Selectable is typed by its backend.
        macro_rules! page_query {
            () => {
                products::table
                    .filter(products::company_id.eq(q.company_id))
                    .order((products::updated_at.desc(), products::id.desc()))
                    .limit(PAGE_SIZE)
                    .offset(offset)
                    .select(ListColumns::as_select())
            };
        }
        let lifecycle = match q.filter {
            Some(ProductFilter::Draft) => Some(Lifecycle::Draft),
            Some(ProductFilter::Listed | ProductFilter::Hidden) => Some(Lifecycle::Live),
            Some(ProductFilter::Removed) => Some(Lifecycle::Removed),
            Some(ProductFilter::InReview) | None => None,
        };
        match (lifecycle, q.filter == Some(ProductFilter::Hidden)) {
            (None, _) => crate::on_backend!(conn, |c| page_query!().load(c))?,
            (Some(l), false) => crate::on_backend!(conn, |c| page_query!()
                .filter(products::lifecycle.eq(l))
                .load(c))?,
            (Some(l), true) => crate::on_backend!(conn, |c| page_query!()
                .filter(products::lifecycle.eq(l))
                .filter(products::visibility.eq(Visibility::Hidden))
                .load(c))?,
        }
    } else {
        let mut query = filtered(q, search).select(ListColumns::as_select());
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
    let total = if search.is_none() && q.method.is_none() && !q.without_open {
        counts.of(q.filter)
    } else {
        filtered(q, search).count().get_result(conn)?
    };
    Ok(ProductPage {
        rows: with_states(conn, cols)?,
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
    query = match q.filter {
        None => query,
        Some(ProductFilter::Draft) => query.filter(products::lifecycle.eq(Lifecycle::Draft)),
        Some(ProductFilter::Listed) => query.filter(products::lifecycle.eq(Lifecycle::Live)),
        Some(ProductFilter::Removed) => query.filter(products::lifecycle.eq(Lifecycle::Removed)),
        Some(ProductFilter::Hidden) => query
            .filter(products::lifecycle.eq(Lifecycle::Live))
            .filter(products::visibility.eq(Visibility::Hidden)),
        Some(ProductFilter::InReview) => query.filter(
            products::id.nullable().eq_any(
                applications::table
                    .filter(applications::company_id.eq(q.company_id))
                    .filter(applications::status.eq_any(ApplicationStatus::OPEN))
                    .filter(applications::product_id.is_not_null())
                    .select(applications::product_id),
            ),
        ),
    };
    if let Some(method) = q.method {
        query = query.filter(products::delivery_method.eq(method.as_str()));
    }
    if q.without_open {
        query = query.filter(
            products::id.nullable().ne_all(
                applications::table
                    .filter(applications::company_id.eq(q.company_id))
                    .filter(applications::status.eq_any(ApplicationStatus::OPEN))
                    .filter(applications::product_id.is_not_null())
                    .select(applications::product_id),
            ),
        );
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

/// How many of the company's products each tab of My Products holds: one grouped count on the
/// lifecycle index, the hidden ones on the visibility index, the open applications on theirs.
pub fn filter_counts(conn: &mut DbConn, company_id: i64) -> Result<FilterCounts, AppError> {
    let by_lifecycle = products::table
        .filter(products::company_id.eq(company_id))
        .group_by(products::lifecycle)
        .select((products::lifecycle, diesel::dsl::count_star()));
    let by_lifecycle: Vec<(Lifecycle, i64)> = crate::on_backend!(conn, |c| by_lifecycle.load(c))?;
    let hidden = products::table
        .filter(products::company_id.eq(company_id))
        .filter(products::visibility.eq(Visibility::Hidden))
        .filter(products::lifecycle.eq(Lifecycle::Live))
        .count();
    let hidden: i64 = crate::on_backend!(conn, |c| hidden.get_result(c))?;
    let in_review = applications::table
        .filter(applications::company_id.eq(company_id))
        .filter(applications::status.eq_any(ApplicationStatus::OPEN))
        .filter(applications::product_id.is_not_null())
        .count();
    let in_review: i64 = crate::on_backend!(conn, |c| in_review.get_result(c))?;
    let mut counts = FilterCounts {
        hidden,
        in_review,
        ..FilterCounts::default()
    };
    for (lifecycle, n) in by_lifecycle {
        counts.all += n;
        match lifecycle {
            Lifecycle::Draft => counts.draft = n,
            Lifecycle::Live => counts.live = n,
            Lifecycle::Removed => counts.removed = n,
        }
    }
    Ok(counts)
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
        .filter(products::lifecycle.ne(Lifecycle::Removed))
        .select(products::name)
        .load(conn)?)
}
