//! The buyer's product page (the seller's preview and the catalog's page) and its pricing
//! simulator.

use askama::Template;

use super::PageCtx;
use crate::domain::pricing::{Amount, PeriodKind, UnitPricing};
use crate::domain::product::ReleaseSpec;
use crate::domain::statuses::ProductState;
use crate::i18n::{Arg, Msg};
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
    /// Where buyers order (the catalog's page; not the seller's preview).
    pub order_action: Option<String>,
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
    pub fn title(&self) -> String {
        if self.name.trim().is_empty() {
            crate::i18n::tr("catalog-untitled-product")
        } else {
            self.name.trim().to_string()
        }
    }

    /// Where a specification is sold, by the regions' labels.
    pub fn regions_of(&self, spec: &ReleaseSpec) -> String {
        regions_msg(&spec.regions, &self.regions).to_string()
    }

    /// The limit on a specification: its own, else the product's.
    pub fn limit_of(&self, spec: &ReleaseSpec) -> Option<String> {
        spec.purchase_limit
            .or(self.purchase_limit)
            .filter(|_| spec.billing != crate::domain::statuses::BillingMode::PayPerUse)
            .map(|l| limit_msg(&l).to_string())
    }

    pub fn category_label(&self) -> String {
        crate::domain::product::category_label(&self.category).to_string()
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

/// A label that is a key of the translations (field labels, categories, periods once they
/// are converted) in the reader's language; any other label as it is.
pub fn label_text(label: &str) -> String {
    label_msg(label).to_string()
}

/// `label_text` kept as a message, for what is built before the page is (off the request's
/// thread) and rendered with it.
pub fn label_msg(label: &str) -> Msg {
    if crate::i18n::has_key(label) {
        Msg::keyed(std::borrow::Cow::Owned(label.to_string()))
    } else {
        Msg::raw(label)
    }
}

/// A purchase limit as the product page and the diff say it.
pub fn limit_msg(limit: &crate::domain::offer::PurchaseLimit) -> Msg {
    use crate::domain::offer::PurchaseLimit;
    match limit {
        PurchaseLimit::OncePerBuyer => Msg::new("catalog-limit-once"),
        PurchaseLimit::MaxQuantity { max } => {
            Msg::new("catalog-limit-max").arg("max", i64::from(*max))
        }
    }
}

/// The regions' labels (configured data, shown as they are), or "All regions" when a
/// specification is sold everywhere.
pub fn regions_msg(codes: &[String], all: &[crate::domain::offer::Region]) -> Msg {
    if codes.is_empty() || all.iter().all(|(c, _)| codes.contains(c)) {
        return Msg::new("catalog-regions-all");
    }
    let labels = codes
        .iter()
        .map(|code| {
            Msg::raw(
                all.iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, l)| l.clone())
                    .unwrap_or_else(|| code.clone()),
            )
        })
        .collect();
    Msg::new("catalog-list").arg("items", Arg::List(labels))
}

/// The period a price is for, as the price messages select on it.
fn period_code(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "month",
        PeriodKind::Year => "year",
        PeriodKind::Once => "once",
        PeriodKind::Hour => "hour",
    }
}

/// One line of a price list, e.g. "CNY 20.00 per month" or "CNY 5.00 per user per month (1–10)",
/// in the reader's language.
pub fn price_lines(
    spec: &ReleaseSpec,
    amount: &(PeriodKind, Amount),
    currency: &str,
) -> Vec<String> {
    price_msgs(spec, amount, currency)
        .iter()
        .map(Msg::to_string)
        .collect()
}

/// An amount with its exact two decimals, its digits grouped as the locale does ("12,345.50").
fn grouped(amount: String) -> String {
    crate::i18n::group_digits(crate::i18n::lang(), &amount)
}

/// `price_lines` as messages: the currency code as it is, the amount grouped.
pub fn price_msgs(spec: &ReleaseSpec, amount: &(PeriodKind, Amount), currency: &str) -> Vec<Msg> {
    let unit = || -> Arg {
        match spec.quantity.as_ref() {
            Some(q) => Arg::Text(q.unit.clone()),
            None => Msg::new("catalog-unit").into(),
        }
    };
    let period = period_code(amount.0);
    match &amount.1 {
        Amount::Flat(p) => vec![Msg::new("catalog-price-flat")
            .arg("currency", currency)
            .arg("amount", grouped(format!("{p:.2}")))
            .arg("period", period)],
        Amount::PerUnit(UnitPricing::Linear { unit_price }) => vec![Msg::new("catalog-price-unit")
            .arg("currency", currency)
            .arg("amount", grouped(format!("{unit_price:.2}")))
            .arg("unit", unit())
            .arg("period", period)],
        Amount::PerUnit(UnitPricing::Tiered { bands }) => bands
            .iter()
            .map(|b| {
                let range = match b.to {
                    Some(to) => Msg::new("catalog-range")
                        .arg("from", b.from)
                        .arg("to", to - 1),
                    None => Msg::new("catalog-range-open").arg("from", b.from),
                };
                Msg::new("catalog-price-band")
                    .arg("currency", currency)
                    .arg("amount", grouped(format!("{:.2}", b.unit_price)))
                    .arg("unit", unit())
                    .arg("period", period)
                    .arg("range", range)
            })
            .collect(),
    }
}
