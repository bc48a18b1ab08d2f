//! The buyer's product page (the seller's preview and the catalog's page) and its pricing
//! simulator.

use askama::Template;

use super::PageCtx;
use crate::domain::pricing::{Amount, PeriodKind, UnitPricing};
use crate::domain::product::ReleaseSpec;
use crate::domain::statuses::ProductState;
use crate::models::company::Company;
use crate::models::product_release::GroupSnapshot;

pub enum Simulation {
    Price(String),
    Error(String),
}

/// The buyer's product page, as the catalog shows it and the seller previews it: built from a
/// draft's typed values (preview) or from the approved release (catalog).
pub struct ProductView {
    pub product_id: i64,
    pub name: String,
    pub version: String,
    pub overview: String,
    pub highlights: Vec<String>,
    /// Sanitised HTML.
    pub introduction: String,
    pub category: String,
    pub currency: String,
    pub user_guide_url: String,
    /// The delivery method's own fields, as (label, value).
    pub details: Vec<(String, String)>,
    /// The specifications whose prices are valid.
    pub specs: Vec<ReleaseSpec>,
    /// The product's purchase limit, and the regions' labels.
    pub purchase_limit: Option<crate::domain::offer::PurchaseLimit>,
    pub regions: Vec<crate::domain::offer::Region>,
    pub seller_name: String,
    /// The pre-sales phone and email in force; the contact address is never on this page.
    pub presales: Option<(String, String)>,
    pub group: Option<GroupSnapshot>,
    pub logo_url: Option<String>,
    /// Consulting Services are not sold here: the seller's own site.
    pub external_url: Option<String>,
    pub simulator: Simulator,
}

/// The pricing simulator's form: where it posts (GET) and what was asked.
pub struct Simulator {
    pub action: String,
    pub result: Option<Simulation>,
    pub spec: usize,
    /// (value, label) of the billing periods of the chosen specification.
    pub periods: Vec<(&'static str, &'static str)>,
    pub sku: String,
    pub quantity: String,
    pub period: String,
    pub count: String,
}

impl ProductView {
    pub fn title(&self) -> &str {
        if self.name.trim().is_empty() {
            "Untitled product"
        } else {
            self.name.trim()
        }
    }

    /// Where a specification is sold, by the regions' labels.
    pub fn regions_of(&self, spec: &ReleaseSpec) -> String {
        crate::domain::offer::regions_text(&spec.regions, &self.regions)
    }

    /// The limit on a specification: its own, else the product's.
    pub fn limit_of(&self, spec: &ReleaseSpec) -> Option<String> {
        spec.purchase_limit
            .or(self.purchase_limit)
            .filter(|_| spec.billing != crate::domain::statuses::BillingMode::PayPerUse)
            .map(|l| l.label())
    }

    pub fn category_label(&self) -> &'static str {
        crate::domain::product::CATEGORIES
            .iter()
            .find(|(v, _)| *v == self.category)
            .map(|(_, l)| *l)
            .unwrap_or("")
    }

    pub fn presales_of(company: &Company) -> Option<(String, String)> {
        match (&company.presales_phone, &company.presales_email) {
            (Some(p), Some(e)) => Some((p.clone(), e.clone())),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "products/preview.html")]
pub struct PreviewPage {
    pub ctx: PageCtx,
    pub state: ProductState,
    pub problems: usize,
    pub view: ProductView,
}

fn kind_label(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "per month",
        PeriodKind::Year => "per year",
        PeriodKind::Once => "once",
        PeriodKind::Hour => "per hour",
    }
}

/// One line of a price list, e.g. "CNY 20.00 per month" or "CNY 5.00 per user per month (1–10)".
pub fn price_lines(
    spec: &ReleaseSpec,
    amount: &(PeriodKind, Amount),
    currency: &str,
) -> Vec<String> {
    let unit = spec
        .quantity
        .as_ref()
        .map(|q| q.unit.as_str())
        .unwrap_or("unit");
    let period = kind_label(amount.0);
    match &amount.1 {
        Amount::Flat(p) => vec![format!("{currency} {p:.2} {period}")],
        Amount::PerUnit(UnitPricing::Linear { unit_price }) => {
            vec![format!("{currency} {unit_price:.2} per {unit} {period}")]
        }
        Amount::PerUnit(UnitPricing::Tiered { bands }) => bands
            .iter()
            .map(|b| {
                let range = match b.to {
                    Some(to) => format!("{}–{}", b.from, to - 1),
                    None => format!("{} and more", b.from),
                };
                format!(
                    "{currency} {:.2} per {unit} {period} for units {range}",
                    b.unit_price
                )
            })
            .collect(),
    }
}
