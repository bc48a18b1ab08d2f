//! The buyer's-eye product page (preview now, catalog later) and its pricing simulator.

use askama::Template;

use super::PageCtx;
use crate::domain::pricing::{Amount, PeriodKind, UnitPricing};
use crate::domain::product::{ProductForm, ReleaseSpec};
use crate::domain::statuses::ProductStatus;
use crate::models::company::Company;
use crate::models::service_group::ServiceGroupRow;

pub enum Simulation {
    Price(String),
    Error(String),
}

#[derive(Template)]
#[template(path = "products/preview.html")]
pub struct PreviewPage {
    pub ctx: PageCtx,
    pub product_id: i64,
    pub status: ProductStatus,
    pub form: ProductForm,
    /// The delivery method's details, once the whole product meets the requirements.
    pub details: Vec<(String, String)>,
    /// The specifications whose prices are valid.
    pub specs: Vec<ReleaseSpec>,
    pub problems: usize,
    pub introduction: String,
    pub company: Company,
    pub group: Option<ServiceGroupRow>,
    pub simulation: Option<Simulation>,
    pub query_spec: usize,
    pub query_sku: String,
    pub query_quantity: String,
    pub query_period: String,
    pub query_count: String,
}

impl PreviewPage {
    pub fn title(&self) -> &str {
        if self.form.name.trim().is_empty() {
            "Untitled product"
        } else {
            self.form.name.trim()
        }
    }

    pub fn highlights(&self) -> Vec<&str> {
        self.form
            .highlights
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
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
