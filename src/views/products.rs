//! Template structs of the product pages: release, editor, drafts, My Products.

use std::collections::HashMap;

use askama::Template;

use super::PageCtx;
use crate::domain::fields::FieldErrors;
use crate::domain::product::{PriceForm, ProductForm, SpecForm};
use crate::domain::specification::{sku_combinations, sku_key, EnumAttribute};
use crate::domain::statuses::{BillingMode, DeliveryMethod, ProductState};
use crate::models::product::{ProductListRow, ProductSort};
use crate::models::upload::UploadMeta;
use crate::web::url_encode;

pub type Options = Vec<(String, String)>;

/// (value, key of the label) as (value, label in the reader's language).
pub fn translated(list: &[(&str, &str)]) -> Options {
    list.iter()
        .map(|(v, key)| (v.to_string(), crate::i18n::tr(key)))
        .collect()
}

#[derive(Template)]
#[template(path = "products/new.html")]
pub struct NewProductPage {
    pub ctx: PageCtx,
    /// (code, name, what it is), in the reader's language.
    pub methods: Vec<(&'static str, String, String)>,
    pub registered: bool,
}

/// One price row of a specification: one SKU (a combination of attribute values).
pub struct PriceRowView {
    pub index: usize,
    pub key: String,
    pub label: String,
    pub price: PriceForm,
    /// Removed through review: shown, never priced or sold again.
    pub removed: bool,
}

impl PriceRowView {
    pub fn value(&self, kind: &str) -> &str {
        match kind {
            "month" => &self.price.month,
            "year" => &self.price.year,
            "once" => &self.price.once,
            "hour" => &self.price.hour,
            _ => "",
        }
    }
}

pub struct SpecView {
    pub index: usize,
    pub form: SpecForm,
    pub rows: Vec<PriceRowView>,
    /// (period field, column heading) for the billing mode chosen.
    pub kinds: Vec<(&'static str, String)>,
    pub tiered: bool,
    pub billing_options: Options,
}

impl SpecView {
    /// The region's box is ticked: chosen, or every region for a form that never chose.
    pub fn sold_in(&self, code: &str) -> bool {
        (self.form.regions_set.is_empty() && self.form.regions.is_empty())
            || self.form.regions.iter().any(|r| r == code)
    }

    pub fn build(
        index: usize,
        form: &SpecForm,
        method: DeliveryMethod,
        removed_skus: &[(String, String)],
    ) -> SpecView {
        let attributes: Vec<EnumAttribute> = form
            .attributes
            .iter()
            .filter(|a| !a.name.trim().is_empty())
            .map(|a| EnumAttribute {
                name: a.name.trim().to_string(),
                values: a.value_list(),
            })
            .filter(|a| !a.values.is_empty())
            .collect();
        // Lazily, and no further than the table shows: a draft's attributes may make far
        // more combinations than that (the save refuses them, but an old draft may hold them).
        let prices: HashMap<&str, &PriceForm> = form
            .prices
            .iter()
            .rev()
            .map(|p| (p.key.as_str(), p))
            .collect();
        let rows = sku_combinations(&attributes)
            .take(crate::domain::product::MAX_PRICE_ROWS)
            .enumerate()
            .map(|(i, combo)| {
                let key = sku_key(&combo);
                let label = if combo.is_empty() {
                    crate::i18n::tr("products-sku-all-buyers")
                } else {
                    combo.join(" · ")
                };
                let price = prices
                    .get(key.as_str())
                    .map(|p| (*p).clone())
                    .unwrap_or_default();
                PriceRowView {
                    index: i,
                    removed: removed_skus
                        .iter()
                        .any(|(s, k)| *k == key && s == form.name.trim()),
                    key,
                    label,
                    price,
                }
            })
            .collect();
        let kinds: &[&'static str] = match form.billing_mode() {
            Some(BillingMode::YearlyMonthly) => &["month", "year"],
            Some(BillingMode::OneTime) => &["once"],
            Some(BillingMode::PayPerUse) => &["hour"],
            None => &[],
        };
        let kinds = kinds
            .iter()
            .map(|k| (*k, crate::i18n::tr(column_key(k, form.has_quantity()))))
            .collect();
        SpecView {
            index,
            form: form.clone(),
            rows,
            kinds,
            tiered: form.has_quantity() && form.qpricing == "tiered",
            billing_options: BillingMode::allowed_for(method)
                .iter()
                .map(|m| (m.as_str().to_string(), m.label().to_string()))
                .collect(),
        }
    }

    pub fn field(&self, name: &str) -> String {
        format!("s{}_{name}", self.index)
    }

    pub fn attr_field(&self, attribute: &usize, name: &str) -> String {
        format!("s{}_a{attribute}_{name}", self.index)
    }

    pub fn price_field(&self, row: &usize, kind: &str) -> String {
        format!("s{}_p{row}_{kind}", self.index)
    }
}

/// The key of a price column's heading: a period's price, per unit with a quantity.
fn column_key(kind: &str, per_unit: bool) -> &'static str {
    match (kind, per_unit) {
        ("month", false) => "products-price-col-month",
        ("month", true) => "products-price-col-month-unit",
        ("year", false) => "products-price-col-year",
        ("year", true) => "products-price-col-year-unit",
        ("once", false) => "products-price-col-once",
        ("once", true) => "products-price-col-once-unit",
        (_, false) => "products-price-col-hour",
        (_, true) => "products-price-col-hour-unit",
    }
}

#[derive(Template)]
#[template(path = "products/edit.html")]
pub struct EditorPage {
    pub ctx: PageCtx,
    pub product_id: i64,
    pub state: ProductState,
    /// The product is listed: this is the working copy and Submit makes a modification.
    pub live: bool,
    /// Names of the specifications of the listed release (never deleted, only removed).
    pub listed_specs: Vec<String>,
    pub method: DeliveryMethod,
    pub locked: bool,
    /// The application a locked product waits on: the one thing to do is there (withdraw).
    pub open_application: Option<i64>,
    pub form: ProductForm,
    pub errors: FieldErrors,
    pub warnings: FieldErrors,
    pub saved_at: Option<String>,
    pub groups: Options,
    pub specs: Vec<SpecView>,
    pub categories: Options,
    pub currencies: Options,
    pub architectures: Options,
    pub license_types: Options,
    pub license_delivery: Options,
    pub flow_templates: Options,
    /// The purchase limit choices, and the regions a specification can be sold in.
    pub limit_choices: Options,
    pub regions: Options,
    pub qpricing_options: Options,
    pub registered: bool,
    pub uploads: Vec<UploadMeta>,
    /// The rejected application, when the product was rejected.
    pub rejection: Option<Rejection>,
    pub upload_kinds: Options,
}

impl EditorPage {
    pub fn title(&self) -> String {
        if self.form.name.trim().is_empty() {
            crate::i18n::tr("products-untitled-product")
        } else {
            self.form.name.trim().to_string()
        }
    }

    pub fn is(&self, method: &str) -> bool {
        self.method.as_str() == method
    }

    pub fn is_released(&self, spec_name: &str) -> bool {
        self.listed_specs.iter().any(|n| n == spec_name.trim())
    }
}

#[derive(Template)]
#[template(path = "products/drafts.html")]
pub struct DraftsPage {
    pub ctx: PageCtx,
    pub rows: Vec<ProductListRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "products/delete.html")]
pub struct DeleteDraftPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub name: String,
}

/// A status tab of My Products with its count.
pub struct StatusCount {
    pub code: &'static str,
    pub label: String,
    pub count: i64,
}

/// What the cached list holds in place of the visitor's CSRF token (see `MyProductsBody`).
pub const CSRF_PLACEHOLDER: &str = "__csrf_token_of_the_viewer__";

/// My Products: the console around the list, which is rendered (and cached) apart.
#[derive(Template)]
#[template(path = "products/list.html")]
pub struct MyProductsPage {
    pub ctx: PageCtx,
    /// The list with the viewer's token in its forms.
    pub body: String,
}

/// The list of My Products: tabs, filters, rows and pager. Holds nothing of the visitor's
/// session (no token, no flash), so it can be kept for the company (see `cache`).
#[derive(Template)]
#[template(path = "products/list_body.html")]
pub struct MyProductsBody {
    /// Stands for the visitor's CSRF token in the cached page; replaced when it is served.
    pub csrf_placeholder: &'static str,
    pub rows: Vec<ProductListRow>,
    pub total: i64,
    pub all_count: i64,
    pub counts: Vec<StatusCount>,
    pub search: String,
    pub filter: Option<crate::domain::statuses::ProductFilter>,
    pub method: Option<DeliveryMethod>,
    pub sort: ProductSort,
    pub page: i64,
    pub pages: i64,
    pub methods: Options,
    pub sorts: Options,
}

impl MyProductsBody {
    /// The same filters on another page or with another status.
    pub fn url(&self, page: i64, status: &str) -> String {
        format!(
            "/console/products?q={}&status={}&method={}&sort={}&page={}",
            url_encode(&self.search),
            url_encode(status),
            url_encode(self.method.map(DeliveryMethod::as_str).unwrap_or("")),
            self.sort.key(),
            page
        )
    }

    /// The delivery method filter's code, "" for all.
    pub fn method_code(&self) -> &'static str {
        self.method.map(DeliveryMethod::as_str).unwrap_or("")
    }

    /// The tab chosen, "" for all.
    pub fn status_code(&self) -> &'static str {
        self.filter.map(|f| f.as_str()).unwrap_or("")
    }

    pub fn page_url(&self, page: i64) -> String {
        self.url(page, self.status_code())
    }

    pub fn status_url(&self, status: &str) -> String {
        self.url(1, status)
    }
}

/// Why a product was rejected: the application, the reviewer's reason and the fields named.
pub struct Rejection {
    pub id: i64,
    pub reason: String,
    pub fields: Vec<(String, String)>,
}
