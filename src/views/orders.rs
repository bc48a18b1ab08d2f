//! A buyer's pages: checkout, their orders, one order with its timeline.

use askama::Template;

use super::PageCtx;
use crate::domain::fields::FieldErrors;
use crate::domain::order::{OrderChoice, PricedOrder};
use crate::domain::product::Release;
use crate::domain::statuses::BillingMode;
use crate::i18n::tr;
use crate::models::order::{Order, OrderEvent};

/// The options of the checkout form, from the release as listed.
pub struct Choices {
    pub specs: Vec<(String, String)>,
    pub skus: Vec<(String, String)>,
    pub periods: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    pub trial_offered: bool,
    pub has_quantity: bool,
}

impl Choices {
    pub fn of(r: &Release, hidden: &[String], regions: &[crate::domain::offer::Region]) -> Choices {
        let shown = || {
            r.specs
                .iter()
                .enumerate()
                .filter(|(_, s)| !hidden.contains(&s.name))
        };
        let specs = shown()
            .map(|(i, s)| (i.to_string(), s.name.clone()))
            .collect();
        let skus = shown()
            .flat_map(|(_, s)| {
                s.skus.iter().map(move |k| {
                    let label = if k.values.is_empty() {
                        tr("catalog-sku-standard")
                    } else {
                        k.values.join(" · ")
                    };
                    (k.key.clone(), format!("{}: {label}", s.name))
                })
            })
            .collect();
        let mut periods: Vec<(String, String)> = Vec::new();
        for (_, s) in shown() {
            let kinds: &[(&str, &str)] = match s.billing {
                BillingMode::YearlyMonthly => &[
                    ("month", "products-sim-months"),
                    ("year", "products-sim-years"),
                ],
                BillingMode::OneTime => &[("once", "products-sim-once")],
                BillingMode::PayPerUse => &[("hour", "products-sim-hours")],
            };
            for (value, key) in kinds {
                if !periods.iter().any(|(v, _)| v == value) {
                    periods.push((value.to_string(), tr(key)));
                }
            }
        }
        Choices {
            specs,
            skus,
            periods,
            regions: regions
                .iter()
                .map(|(c, l)| (c.clone(), crate::domain::offer::region_label(c, l)))
                .collect(),
            trial_offered: shown().any(|(_, s)| s.trial_days.is_some()),
            has_quantity: shown().any(|(_, s)| s.quantity.is_some()),
        }
    }
}

#[derive(Template)]
#[template(path = "orders/checkout.html")]
pub struct CheckoutPage {
    pub ctx: PageCtx,
    pub product_id: i64,
    pub product_name: String,
    pub choices: Choices,
    pub choice: OrderChoice,
    pub priced: Option<PricedOrder>,
    pub errors: FieldErrors,
    /// Whether a choice was made (else the page only shows the form).
    pub asked: bool,
}

impl CheckoutPage {
    pub fn amount_text(&self, p: &PricedOrder) -> String {
        crate::i18n::money(&p.currency, &p.amount)
    }

    pub fn period_text(&self, p: &PricedOrder) -> String {
        crate::domain::order::period_msg(p.period_kind, i64::from(p.period_count)).to_string()
    }

    pub fn region_text(&self, code: &str) -> String {
        self.choices
            .regions
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn count_value(&self) -> &str {
        if self.choice.count.is_empty() {
            "1"
        } else {
            &self.choice.count
        }
    }
}

#[derive(Template)]
#[template(path = "orders/list.html")]
pub struct BuyerOrdersPage {
    pub ctx: PageCtx,
    pub orders: Vec<Order>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl BuyerOrdersPage {
    pub fn page_link(&self, page: i64) -> String {
        format!("/account/orders?page={page}")
    }
}

#[derive(Template)]
#[template(path = "orders/detail.html")]
pub struct BuyerOrderPage {
    pub ctx: PageCtx,
    pub order: Order,
    pub events: Vec<OrderEvent>,
    /// `AUTO_ACCEPT_DAYS`, as the acceptance note says it.
    pub auto_accept_days: i64,
    pub refunds: Vec<crate::models::refund::Refund>,
    pub ledger: crate::models::refund::Ledger,
    pub may_refund: bool,
    pub may_renew: bool,
    pub errors: FieldErrors,
    /// The refund form as typed (or the amount paid).
    pub amount: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "ops/orders.html")]
pub struct OpsOrdersPage {
    pub ctx: PageCtx,
    /// Each order with its buyer's email.
    pub rows: Vec<(Order, String)>,
    pub state: Option<crate::domain::statuses::OrderState>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The order whose payment was refused, its message and the reference typed.
    pub failed: Option<i64>,
    pub errors: FieldErrors,
    pub reference: String,
}

impl OpsOrdersPage {
    pub fn state_code(&self) -> &'static str {
        self.state.map(|s| s.as_str()).unwrap_or("all")
    }

    pub fn tabs(&self) -> Vec<(&'static str, String)> {
        let mut tabs: Vec<(&'static str, String)> = crate::domain::statuses::OrderState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect();
        tabs.push(("all", tr("ops-orders-all")));
        tabs
    }

    pub fn page_link(&self, page: i64) -> String {
        format!("/ops/orders?state={}&page={page}", self.state_code())
    }

    pub fn is_failed(&self, id: &i64) -> bool {
        self.failed == Some(*id)
    }
}

/// Product Transaction: the console around the list, which is rendered (and cached) apart.
#[derive(Template)]
#[template(path = "orders/seller_list.html")]
pub struct SellerOrdersPage {
    pub ctx: PageCtx,
    pub body: std::sync::Arc<str>,
}

/// The list of Product Transaction: filters, rows and pager. Holds nothing of the visitor's
/// session, so it can be kept for the seller (see `cache`).
#[derive(Template)]
#[template(path = "orders/seller_list_body.html")]
pub struct SellerOrdersBody {
    /// Each order with its buyer's email.
    pub rows: Vec<(Order, String)>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub products: Vec<(i64, String)>,
    pub query: crate::routes::seller_orders::ListQuery,
    /// The buyers' companies, by order.
    pub companies: std::collections::HashMap<i64, String>,
}

impl SellerOrdersBody {
    pub fn t(&self, key: &str) -> String {
        crate::i18n::tr(key)
    }

    /// More orders match than are counted (`order::COUNT_CAP`).
    pub fn capped(&self) -> bool {
        self.total > crate::models::order::COUNT_CAP
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages
            || (self.capped() && self.rows.len() as i64 == crate::models::order::PAGE_SIZE)
    }

    pub fn company_of(&self, id: &i64) -> &str {
        self.companies.get(id).map(String::as_str).unwrap_or("")
    }

    pub fn states(&self) -> Vec<(String, String)> {
        crate::domain::statuses::OrderState::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label()))
            .collect()
    }

    pub fn product_options(&self) -> Vec<(String, String)> {
        self.products
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect()
    }

    /// The CSV of the orders this filter shows, all pages.
    pub fn export_link(&self) -> String {
        let q = &self.query;
        format!(
            "/console/orders.csv?state={}&product={}&month={}&q={}",
            crate::web::url_encode(&q.state),
            crate::web::url_encode(&q.product),
            crate::web::url_encode(&q.month),
            crate::web::url_encode(&q.q)
        )
    }

    pub fn page_link(&self, page: i64) -> String {
        let q = &self.query;
        format!(
            "/console/orders?state={}&product={}&month={}&q={}&page={page}",
            crate::web::url_encode(&q.state),
            crate::web::url_encode(&q.product),
            crate::web::url_encode(&q.month),
            crate::web::url_encode(&q.q)
        )
    }
}

#[derive(Template)]
#[template(path = "orders/seller_detail.html")]
pub struct SellerOrderPage {
    pub ctx: PageCtx,
    pub order: Order,
    pub buyer_email: String,
    pub events: Vec<OrderEvent>,
    pub refunds: Vec<crate::models::refund::Refund>,
    pub ledger: crate::models::refund::Ledger,
    pub errors: FieldErrors,
    pub note: String,
}

impl SellerOrderPage {
    pub fn open_refund(&self) -> Option<&crate::models::refund::Refund> {
        self.refunds.iter().find(|r| r.is_open())
    }
}

/// Settlement (SPEC 12): the seller's bills.
#[derive(Template)]
#[template(path = "settlement/list.html")]
pub struct SellerBillsPage {
    pub ctx: PageCtx,
    pub bills: Vec<crate::models::bill::Bill>,
    pub totals: Vec<crate::models::bill::BillTotal>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl SellerBillsPage {
    pub fn totals_of(&self, id: &i64) -> Vec<&crate::models::bill::BillTotal> {
        self.totals.iter().filter(|t| t.bill_id == *id).collect()
    }
}

/// One bill with a page of its lines, for the seller or for operations.
pub struct BillView {
    pub bill: crate::models::bill::Bill,
    pub totals: Vec<crate::models::bill::BillTotal>,
    pub lines: Vec<crate::models::bill::BillLine>,
    pub page: i64,
    pub pages: i64,
    pub has_invoice: bool,
    /// The bill's page: "/console/settlement/5" or "/ops/settlement/5".
    pub base: String,
}

#[derive(Template)]
#[template(path = "settlement/detail.html")]
pub struct SellerBillPage {
    pub ctx: PageCtx,
    pub v: BillView,
    pub errors: FieldErrors,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "ops/settlement.html")]
pub struct OpsBillsPage {
    pub ctx: PageCtx,
    pub rows: Vec<(crate::models::bill::Bill, Option<String>)>,
    pub totals: Vec<crate::models::bill::BillTotal>,
    pub state: String,
    pub period: String,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub runs: Vec<(String, time::PrimitiveDateTime, i64)>,
    pub errors: FieldErrors,
    /// The month typed in the "make bills" form.
    pub run_period: String,
}

impl OpsBillsPage {
    pub fn totals_of(&self, id: &i64) -> Vec<&crate::models::bill::BillTotal> {
        self.totals.iter().filter(|t| t.bill_id == *id).collect()
    }

    pub fn states(&self) -> Vec<(String, String)> {
        crate::domain::statuses::BillState::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label()))
            .collect()
    }

    pub fn page_link(&self, page: i64) -> String {
        format!(
            "/ops/settlement?state={}&period={}&page={page}",
            crate::web::url_encode(&self.state),
            crate::web::url_encode(&self.period)
        )
    }
}

#[derive(Template)]
#[template(path = "ops/bill.html")]
pub struct OpsBillPage {
    pub ctx: PageCtx,
    pub v: BillView,
    pub company: Option<String>,
    pub errors: FieldErrors,
    pub note: String,
    pub reference: String,
}
