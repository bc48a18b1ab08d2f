//! The console's page of one product (its listed release, working copy, visibility, actions)
//! and its history.

use askama::Template;

use crate::domain::statuses::{Lifecycle, ProductState, Visibility};
use crate::models::product_event::HistoryEntry;
use crate::views::PageCtx;

/// A specification of the listed release, with whether the seller hid it.
pub struct SpecRow {
    pub name: String,
    pub billing: crate::domain::statuses::BillingMode,
    pub skus: usize,
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "products/overview.html")]
pub struct OverviewPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub name: String,
    pub state: ProductState,
    /// The listed release's number and when it was released.
    pub release: Option<(i32, String)>,
    pub specs: Vec<SpecRow>,
    pub history: Vec<HistoryEntry>,
    pub history_total: i64,
    /// Where an entry's application opens: the seller's or the operator's page of it.
    pub application_base: &'static str,
}

impl OverviewPage {
    pub fn is_live(&self) -> bool {
        self.state.lifecycle == Lifecycle::Live
    }

    pub fn is_removed(&self) -> bool {
        self.state.lifecycle == Lifecycle::Removed
    }

    pub fn is_hidden(&self) -> bool {
        self.state.visibility == Visibility::Hidden
    }

    /// Shown specifications left: the last one of a shown product cannot be hidden.
    pub fn shown_specs(&self) -> usize {
        self.specs.iter().filter(|s| !s.hidden).count()
    }
}

#[derive(Template)]
#[template(path = "products/history.html")]
pub struct HistoryPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub name: String,
    pub history: Vec<HistoryEntry>,
    pub application_base: &'static str,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

#[derive(Template)]
#[template(path = "products/remove.html")]
pub struct RemovePage {
    pub ctx: PageCtx,
    pub id: i64,
    pub name: String,
    /// (form value, what it removes)
    pub choices: Vec<(String, String)>,
    pub target: String,
    pub reason: String,
    pub confirm_name: String,
    pub errors: crate::domain::fields::FieldErrors,
}
