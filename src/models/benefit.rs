//! Policies and Benefits (SPEC 13): a seller's transactions for the banner threshold, its
//! benefit requests (each an application), a month's slot requests for operations, and the
//! approved slots the catalog home shows.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use time::{Date, PrimitiveDateTime};

use crate::applications::benefit::{CouponPayload, SlotPayload};
use crate::applications::{NewApplication, Payload, SubmitOutcome};
use crate::db::schema::{applications, benefit_requests, catalog_entries, companies, order_ledger};
use crate::db::DbConn;
use crate::domain::benefits::{Slot, SlotRequest};
use crate::domain::statuses::{ApplicationStatus, OrderState, RegistrationStatus};
use crate::error::AppError;
use crate::i18n::Msg;

/// A seller's paid transactions, all time: the amount per currency (less refunds) and the
/// number of paid orders.
#[derive(Debug, Clone, Default)]
pub struct Transactions {
    pub per_currency: Vec<(String, i64)>,
    pub orders: i64,
}

pub fn transactions(conn: &mut DbConn, company_id: i64) -> Result<Transactions, AppError> {
    Ok(transactions_of(conn, &[company_id])?
        .remove(&company_id)
        .unwrap_or_default())
}

/// The same for several sellers, in one query.
pub fn transactions_of(
    conn: &mut DbConn,
    company_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Transactions>, AppError> {
    let rows: Vec<(i64, String, i64, i64)> = order_ledger::table
        .filter(order_ledger::company_id.eq_any(company_ids))
        .filter(order_ledger::state.eq_any([
            OrderState::Processing.as_str(),
            OrderState::Completed.as_str(),
            OrderState::Unsubscribed.as_str(),
        ]))
        .filter(order_ledger::amount_minor.gt(0))
        .group_by((order_ledger::company_id, order_ledger::currency))
        .select((
            order_ledger::company_id,
            order_ledger::currency,
            sql::<BigInt>("CAST(SUM(amount_minor - refunded_minor) AS BIGINT)"),
            sql::<BigInt>("CAST(COUNT(*) AS BIGINT)"),
        ))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, Transactions> = Default::default();
    for (company, currency, amount, orders) in rows {
        let t = out.entry(company).or_default();
        t.per_currency.push((currency, amount));
        t.orders += orders;
    }
    Ok(out)
}

/// The seller's products in the catalog, for the request forms: (id, name), at most 500.
pub fn listed_products(conn: &mut DbConn, company_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(catalog_entries::table
        .filter(catalog_entries::company_id.eq(company_id))
        .order(catalog_entries::name.asc())
        .limit(500)
        .select((catalog_entries::product_id, catalog_entries::name))
        .load(conn)?)
}

/// One of the seller's benefit requests, with its application.
#[derive(Debug, Clone, Queryable)]
pub struct MyRequest {
    pub application_id: i64,
    pub kind: String,
    pub month: Option<String>,
    pub amount_usd_cents: Option<i64>,
    pub subject: String,
    pub status: ApplicationStatus,
    pub submitted_at: PrimitiveDateTime,
    pub due_date: Date,
}

impl MyRequest {
    pub fn kind_text(&self) -> String {
        crate::i18n::tr(&format!("benefits-kind-{}", self.kind))
    }
}

/// The seller's requests, newest first (the 50 latest).
pub fn mine(conn: &mut DbConn, company_id: i64) -> Result<Vec<MyRequest>, AppError> {
    Ok(benefit_requests::table
        .inner_join(applications::table)
        .filter(benefit_requests::company_id.eq(company_id))
        .order(benefit_requests::id.desc())
        .limit(50)
        .select((
            applications::id,
            benefit_requests::kind,
            benefit_requests::month,
            benefit_requests::amount_usd_cents,
            applications::subject,
            applications::status,
            applications::submitted_at,
            applications::due_date,
        ))
        .load(conn)?)
}

/// The product, if it is one of the seller's in the catalog.
fn listed_name(
    conn: &mut DbConn,
    company_id: i64,
    product_id: i64,
) -> Result<Option<String>, AppError> {
    Ok(catalog_entries::table
        .filter(catalog_entries::company_id.eq(company_id))
        .filter(catalog_entries::product_id.eq(product_id))
        .select(catalog_entries::name)
        .first(conn)
        .optional()?)
}

const LIVE: [&str; 3] = ["pending", "in_review", "approved"];

/// Which field a refused request is about.
pub type Refused = (&'static str, Msg);

pub struct SlotAsk<'a> {
    pub company_id: i64,
    pub user_id: i64,
    pub slot: Slot,
    /// Checked already (`domain::benefits::check_month`).
    pub month: &'a str,
    pub product_id: i64,
    pub note: &'a str,
    pub due_date: Date,
    pub rates: &'a crate::config::UsdRates,
}

/// A banner or featured-zone request: the seller's own listed product, the banner only at the
/// threshold, the featured zone only once registered, one request per seller and month.
pub fn request_slot(conn: &mut DbConn, ask: SlotAsk<'_>) -> Result<Result<i64, Refused>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_company(conn, ask.company_id)?;
        if listed_name(conn, ask.company_id, ask.product_id)?.is_none() {
            return Ok(Err(("product", Msg::new("benefits-product-choose"))));
        }
        match ask.slot {
            Slot::Banner => {
                let t = transactions(conn, ask.company_id)?;
                let (usd, _) = crate::domain::benefits::usd_cents(&t.per_currency, &ask.rates.0);
                if !crate::domain::benefits::banner_eligible(usd) {
                    return Ok(Err(("month", Msg::new("benefits-banner-not-eligible"))));
                }
            }
            Slot::Featured => {
                // Read as the company model reads it: an unknown stored status is an error.
                let status = crate::models::company::Company::find(conn, ask.company_id)?
                    .registration_status();
                if status != RegistrationStatus::Approved {
                    return Ok(Err(("month", Msg::new("benefits-featured-not-eligible"))));
                }
            }
        }
        let same_month: i64 = benefit_requests::table
            .inner_join(applications::table)
            .filter(benefit_requests::company_id.eq(ask.company_id))
            .filter(benefit_requests::month.eq(ask.month))
            .filter(applications::status.eq_any(LIVE))
            .count()
            .get_result(conn)?;
        if same_month > 0 {
            return Ok(Err((
                "month",
                Msg::new("benefits-one-per-month").arg("month", ask.month),
            )));
        }
        submit_slot(
            conn,
            ask.company_id,
            ask.user_id,
            ask.slot,
            ask.month,
            ask.product_id,
            ask.note,
            ask.due_date,
        )
    })
}

/// Stores a slot request as it is, without the request-time rules (eligibility, the month's
/// lead time): for demo data and history. Inside a write transaction.
#[allow(clippy::too_many_arguments)]
pub fn submit_slot(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
    slot: Slot,
    month: &str,
    product_id: i64,
    note: &str,
    due_date: Date,
) -> Result<Result<i64, Refused>, AppError> {
    let Some(product) = listed_name(conn, company_id, product_id)? else {
        return Ok(Err(("product", Msg::new("benefits-product-choose"))));
    };
    let data = SlotPayload {
        month: month.to_string(),
        product_id,
        product: product.clone(),
        note: note.to_string(),
    };
    let payload = match slot {
        Slot::Banner => Payload::BannerRequest(data),
        Slot::Featured => Payload::FeaturedRequest(data),
    };
    let subject = format!("{month} · {product}");
    submitted(
        conn,
        company_id,
        user_id,
        &payload,
        &subject,
        due_date,
        (slot.as_str(), Some(month), product_id, None),
    )
}

/// Stores the application and its benefit row.
fn submitted(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
    payload: &Payload,
    subject: &str,
    due_date: Date,
    row: (&str, Option<&str>, i64, Option<i64>),
) -> Result<Result<i64, Refused>, AppError> {
    let outcome = crate::applications::submit(
        conn,
        NewApplication {
            company_id,
            payload,
            subject,
            product_id: None,
            submitted_by: user_id,
            due_date,
            may_take_longer: false,
        },
    )?;
    let SubmitOutcome::Submitted(id) = outcome else {
        return Ok(Err((
            "month",
            Msg::new("benefits-one-per-month").arg("month", ""),
        )));
    };
    diesel::insert_into(benefit_requests::table)
        .values((
            benefit_requests::application_id.eq(id),
            benefit_requests::company_id.eq(company_id),
            benefit_requests::kind.eq(row.0),
            benefit_requests::month.eq(row.1),
            benefit_requests::product_id.eq(row.2),
            benefit_requests::amount_usd_cents.eq(row.3),
            benefit_requests::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(Ok(id))
}

/// A test-coupon request for one of the seller's listed products, once per product.
#[allow(clippy::too_many_arguments)]
pub fn request_coupon(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
    product_id: i64,
    amount_usd_cents: i64,
    purpose: &str,
    due_date: Date,
) -> Result<Result<i64, Refused>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_company(conn, company_id)?;
        let Some(product) = listed_name(conn, company_id, product_id)? else {
            return Ok(Err(("coupon_product", Msg::new("benefits-product-choose"))));
        };
        let before: i64 = benefit_requests::table
            .inner_join(applications::table)
            .filter(benefit_requests::product_id.eq(product_id))
            .filter(benefit_requests::kind.eq("test_coupon"))
            .filter(applications::status.eq_any(LIVE))
            .count()
            .get_result(conn)?;
        if before > 0 {
            return Ok(Err(("coupon_product", Msg::new("benefits-coupon-once"))));
        }
        let amount = crate::i18n::money("USD", &rust_decimal::Decimal::new(amount_usd_cents, 2));
        let payload = Payload::TestCouponRequest(CouponPayload {
            product_id,
            product: product.clone(),
            amount: amount.clone(),
            purpose: purpose.to_string(),
        });
        let subject = format!("{product} · {amount}");
        submitted(
            conn,
            company_id,
            user_id,
            &payload,
            &subject,
            due_date,
            ("test_coupon", None, product_id, Some(amount_usd_cents)),
        )
    })
}

/// A month's slot request, as operations see it.
#[derive(Debug, Clone)]
pub struct MonthRequest {
    pub request: SlotRequest,
    pub company: Option<String>,
    pub subject: String,
    pub status: ApplicationStatus,
    pub submitted_at: PrimitiveDateTime,
}

/// The requests of a month for one kind of slot, in allocation order, with each seller's
/// transactions converted at `rates`. Bounded: one request per seller and month.
pub fn month_requests(
    conn: &mut DbConn,
    month: &str,
    slot: Slot,
    rates: &crate::config::UsdRates,
) -> Result<Vec<MonthRequest>, AppError> {
    type Row = (
        i64,
        i64,
        Option<String>,
        String,
        ApplicationStatus,
        PrimitiveDateTime,
    );
    let rows: Vec<Row> = benefit_requests::table
        .inner_join(applications::table.inner_join(companies::table))
        .filter(benefit_requests::month.eq(month))
        .filter(benefit_requests::kind.eq(slot.as_str()))
        .filter(applications::status.eq_any(LIVE))
        .limit(1_000)
        .select((
            applications::id,
            benefit_requests::company_id,
            companies::legal_name,
            applications::subject,
            applications::status,
            applications::submitted_at,
        ))
        .load(conn)?;
    let companies: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let totals = transactions_of(conn, &companies)?;
    let mut out: Vec<MonthRequest> = rows
        .into_iter()
        .map(|(id, company, name, subject, status, at)| {
            let t = totals.get(&company).cloned().unwrap_or_default();
            let (usd, _) = crate::domain::benefits::usd_cents(&t.per_currency, &rates.0);
            MonthRequest {
                request: SlotRequest {
                    application_id: id,
                    arrived: at.date(),
                    usd_cents: usd,
                    orders: t.orders,
                    approved: status == ApplicationStatus::Approved,
                    open: status.is_open(),
                },
                company: name,
                subject,
                status,
                submitted_at: at,
            }
        })
        .collect();
    let mut order: Vec<SlotRequest> = out.iter().map(|m| m.request.clone()).collect();
    crate::domain::benefits::allocation_order(&mut order);
    let rank: std::collections::HashMap<i64, usize> = order
        .iter()
        .enumerate()
        .map(|(i, r)| (r.application_id, i))
        .collect();
    out.sort_by_key(|m| rank.get(&m.request.application_id).copied());
    Ok(out)
}

/// An approved slot of a month, for the catalog home.
#[derive(Debug, Clone)]
pub struct ShownSlot {
    pub slot: String,
    pub product_id: i64,
    pub name: String,
    pub overview: String,
}

/// The approved slots of `month` whose product is in the catalog: banners first.
pub fn shown_slots(conn: &mut DbConn, month: &str) -> Result<Vec<ShownSlot>, AppError> {
    let rows: Vec<(String, i64, String, String)> = benefit_requests::table
        .inner_join(applications::table)
        .inner_join(
            catalog_entries::table.on(catalog_entries::product_id.eq(benefit_requests::product_id)),
        )
        .filter(benefit_requests::month.eq(month))
        .filter(applications::status.eq(ApplicationStatus::Approved.as_str()))
        .order((benefit_requests::kind.asc(), applications::decided_at.asc()))
        .limit(crate::domain::benefits::BANNER_SLOTS + crate::domain::benefits::FEATURED_SLOTS)
        .select((
            benefit_requests::kind,
            catalog_entries::product_id,
            catalog_entries::name,
            catalog_entries::overview,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(slot, product_id, name, overview)| ShownSlot {
            slot,
            product_id,
            name,
            overview,
        })
        .collect())
}
