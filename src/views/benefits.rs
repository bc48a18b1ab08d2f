//! Policies and Benefits (SPEC 13): the seller's page and operations' allocation of a month.

use askama::Template;

use super::PageCtx;
use crate::domain::benefits::BANNER_THRESHOLD_USD_CENTS;
use crate::domain::fields::FieldErrors;
use crate::models::benefit::{MonthRequest, MyRequest};

/// What was typed into the request forms, kept when one is refused.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub slot: String,
    pub month: String,
    pub product: String,
    pub note: String,
    pub coupon_product: String,
    pub amount: String,
    pub purpose: String,
}

#[derive(Template)]
#[template(path = "benefits/page.html")]
pub struct BenefitsPage {
    pub ctx: PageCtx,
    /// Paid transactions, all time, in US cents at the configured rates.
    pub usd_cents: i64,
    /// Currencies of the seller's orders that have no rate (not counted).
    pub unknown: Vec<String>,
    pub orders: i64,
    pub registered: bool,
    pub months: Vec<String>,
    pub products: Vec<(i64, String)>,
    pub mine: Vec<MyRequest>,
    pub errors: FieldErrors,
    pub typed: Typed,
}

fn usd(cents: i64) -> String {
    crate::i18n::money("USD", &rust_decimal::Decimal::new(cents, 2))
}

impl BenefitsPage {
    pub fn banner_eligible(&self) -> bool {
        crate::domain::benefits::banner_eligible(self.usd_cents)
    }

    pub fn amount_text(&self) -> String {
        usd(self.usd_cents)
    }

    pub fn threshold_text(&self) -> String {
        usd(BANNER_THRESHOLD_USD_CENTS)
    }

    pub fn missing_text(&self) -> String {
        usd((BANNER_THRESHOLD_USD_CENTS - self.usd_cents).max(0))
    }

    pub fn month_options(&self) -> Vec<(String, String)> {
        self.months.iter().map(|m| (m.clone(), m.clone())).collect()
    }

    pub fn product_options(&self) -> Vec<(String, String)> {
        self.products
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect()
    }

    pub fn slot_options(&self) -> Vec<(String, String)> {
        let mut o = Vec::new();
        if self.banner_eligible() {
            o.push((
                "banner".to_string(),
                crate::i18n::tr("benefits-kind-banner"),
            ));
        }
        if self.registered {
            o.push((
                "featured".to_string(),
                crate::i18n::tr("benefits-kind-featured"),
            ));
        }
        o
    }
}

#[derive(Template)]
#[template(path = "ops/benefits.html")]
pub struct OpsBenefitsPage {
    pub ctx: PageCtx,
    pub month: String,
    pub months: Vec<String>,
    pub banner: Vec<MonthRequest>,
    pub featured: Vec<MonthRequest>,
    pub banner_slots: i64,
    pub featured_slots: i64,
}

impl OpsBenefitsPage {
    pub fn usd(&self, cents: &i64) -> String {
        usd(*cents)
    }

    pub fn sections(&self) -> Vec<(&'static str, &Vec<MonthRequest>, i64)> {
        vec![
            ("banner", &self.banner, self.banner_slots),
            ("featured", &self.featured, self.featured_slots),
        ]
    }
}
