//! Monthly bills (SPEC 12): made by the job on the 7th, one per seller and month whichever
//! instance runs it, then confirmed or disputed by the seller, approved by operations,
//! invoiced by the seller and paid by operations.

use std::collections::{BTreeMap, HashMap};

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use time::PrimitiveDateTime;

use crate::db::schema::order_ledger as orders;
use crate::db::schema::{bill_invoices, bill_lines, bill_runs, bill_totals, bills, companies};
use crate::db::DbConn;
use crate::domain::settlement::{
    lines_for, micros_decimal, next_bill_state, period_bounds, BillAction, Billable, LineKind,
    Total,
};
use crate::domain::statuses::BillState;
use crate::error::AppError;
use crate::i18n::Msg;

pub const PAGE_SIZE: i64 = 20;
pub const LINES_PAGE_SIZE: i64 = 50;
/// Sellers billed per transaction by the job.
pub const GENERATE_CHUNK: i64 = 100;
/// Rows written per INSERT (well under SQLite's bound-parameter limit).
const INSERT_BATCH: usize = 500;
/// The longest dispute reason, resolution note and payout reference kept.
pub const MAX_REASON_CHARS: usize = 1000;
pub const MAX_REFERENCE_CHARS: usize = 100;

/// What the job may take: a paid order that is completed or unsubscribed and not billed yet
/// (as written, so both databases use their partial index `orders_to_bill`).
const TO_BILL: &str =
    "sale_bill_id IS NULL AND state IN ('completed', 'unsubscribed') AND amount_minor > refunded_minor";
/// A refund still to account: the order was billed before it was refunded (`orders_refund_to_bill`).
const REFUND_TO_BILL: &str =
    "refund_bill_id IS NULL AND refunded_minor > 0 AND sale_bill_id IS NOT NULL";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bills)]
pub struct Bill {
    pub id: i64,
    pub company_id: i64,
    pub period: String,
    pub state: BillState,
    pub line_count: i64,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
    pub confirmed_at: Option<PrimitiveDateTime>,
    pub approved_at: Option<PrimitiveDateTime>,
    pub approved_by: Option<i64>,
    pub invoiced_at: Option<PrimitiveDateTime>,
    pub paid_at: Option<PrimitiveDateTime>,
    pub paid_by: Option<i64>,
    pub payout_reference: Option<String>,
    pub dispute_reason: Option<String>,
    pub disputed_at: Option<PrimitiveDateTime>,
    pub resolution: Option<String>,
}

impl Bill {
    pub fn can_confirm(&self) -> bool {
        next_bill_state(self.state, BillAction::Confirm, false).is_some()
    }

    pub fn can_dispute(&self) -> bool {
        next_bill_state(self.state, BillAction::Dispute, false).is_some()
    }

    pub fn takes_invoice(&self) -> bool {
        crate::domain::settlement::takes_invoice(self.state)
    }

    pub fn can_approve(&self) -> bool {
        next_bill_state(self.state, BillAction::Approve, false).is_some()
    }

    pub fn can_resolve(&self) -> bool {
        next_bill_state(self.state, BillAction::Resolve, false).is_some()
    }

    /// Operations can record the payout once the invoice is in.
    pub fn can_pay(&self) -> bool {
        next_bill_state(self.state, BillAction::Pay, self.invoiced_at.is_some()).is_some()
    }
}

/// A bill's sums for one currency.
#[derive(Debug, Clone, Queryable)]
pub struct BillTotal {
    pub bill_id: i64,
    pub currency: String,
    pub amount_minor: i64,
    pub settlement_micros: i64,
}

impl BillTotal {
    pub fn amount_text(&self) -> String {
        crate::i18n::money(
            &self.currency,
            &rust_decimal::Decimal::new(self.amount_minor, 2),
        )
    }

    pub fn settlement_text(&self) -> String {
        crate::i18n::money_exact(&self.currency, &micros_decimal(self.settlement_micros))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bill_lines)]
pub struct BillLine {
    pub id: i64,
    pub bill_id: i64,
    pub order_id: i64,
    pub kind: String,
    pub product_name: String,
    pub spec_name: String,
    pub currency: String,
    pub amount_minor: i64,
    pub platform_share_bp: i32,
    pub settlement_micros: i64,
}

impl BillLine {
    pub fn amount(&self) -> rust_decimal::Decimal {
        rust_decimal::Decimal::new(self.amount_minor, 2)
    }

    pub fn settlement(&self) -> rust_decimal::Decimal {
        micros_decimal(self.settlement_micros)
    }

    pub fn amount_text(&self) -> String {
        crate::i18n::money(&self.currency, &self.amount())
    }

    pub fn settlement_text(&self) -> String {
        crate::i18n::money_exact(&self.currency, &self.settlement())
    }

    pub fn share_text(&self) -> String {
        let share = rust_decimal::Decimal::new(i64::from(self.platform_share_bp), 2);
        format!("{}%", share.normalize())
    }

    pub fn kind_text(&self) -> String {
        crate::i18n::tr(&format!("settlement-line-{}", self.kind))
    }
}

#[derive(Insertable)]
#[diesel(table_name = bill_lines)]
struct NewLine<'a> {
    bill_id: i64,
    order_id: i64,
    kind: &'static str,
    product_name: &'a str,
    spec_name: &'a str,
    currency: &'a str,
    amount_minor: i64,
    platform_share_bp: i32,
    settlement_micros: i64,
}

/// What the job reads of an order it may bill.
type BillableRow = (
    i64,
    Option<PrimitiveDateTime>,
    i64,
    i64,
    Option<PrimitiveDateTime>,
    i32,
    String,
    String,
    String,
);

/// Sellers after `after` (by id) with something to bill before `end`: at most `limit`.
fn candidates(
    conn: &mut DbConn,
    end: PrimitiveDateTime,
    after: i64,
    limit: i64,
) -> Result<Vec<i64>, AppError> {
    let mut sales: Vec<i64> = orders::table
        .filter(sql::<Bool>(TO_BILL))
        .filter(orders::closed_at.lt(end))
        .filter(orders::company_id.gt(after))
        .select(orders::company_id)
        .distinct()
        .order(orders::company_id.asc())
        .limit(limit)
        .load(conn)?;
    let refunds: Vec<i64> = orders::table
        .filter(sql::<Bool>(REFUND_TO_BILL))
        .filter(orders::refunded_at.lt(end))
        .filter(orders::company_id.gt(after))
        .select(orders::company_id)
        .distinct()
        .order(orders::company_id.asc())
        .limit(limit)
        .load(conn)?;
    sales.extend(refunds);
    sales.sort_unstable();
    sales.dedup();
    sales.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(sales)
}

fn billable(
    conn: &mut DbConn,
    company_id: i64,
    end: PrimitiveDateTime,
) -> Result<Vec<(Billable, String, String, String)>, AppError> {
    let columns = (
        orders::id,
        orders::closed_at,
        orders::amount_minor,
        orders::refunded_minor,
        orders::refunded_at,
        orders::platform_share_bp,
        orders::product_name,
        orders::spec_name,
        orders::currency,
    );
    let sales: Vec<BillableRow> = orders::table
        .filter(sql::<Bool>(TO_BILL))
        .filter(orders::company_id.eq(company_id))
        .filter(orders::closed_at.lt(end))
        .order(orders::id.asc())
        .select(columns)
        .load(conn)?;
    let refunds: Vec<BillableRow> = orders::table
        .filter(sql::<Bool>(REFUND_TO_BILL))
        .filter(orders::company_id.eq(company_id))
        .filter(orders::refunded_at.lt(end))
        .order(orders::id.asc())
        .select(columns)
        .load(conn)?;
    let row = |r: BillableRow, sale_billed: bool| {
        (
            Billable {
                order_id: r.0,
                ready: true,
                closed_at: r.1,
                amount_minor: r.2,
                refunded_minor: r.3,
                refunded_at: r.4,
                share_bp: r.5,
                sale_billed,
                refund_billed: false,
            },
            r.6,
            r.7,
            r.8,
        )
    };
    Ok(sales
        .into_iter()
        .map(|r| row(r, false))
        .chain(refunds.into_iter().map(|r| row(r, true)))
        .collect())
}

/// Makes the seller's bill for `period` if it has none and has something to bill; `true` when
/// it made one. The caller holds a write transaction.
fn bill_company(
    conn: &mut DbConn,
    company_id: i64,
    period: &str,
    end: PrimitiveDateTime,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    // Two instances billing the same seller queue here; the second finds the bill made.
    crate::db::lock_company(conn, company_id)?;
    let exists: i64 = bills::table
        .filter(bills::company_id.eq(company_id))
        .filter(bills::period.eq(period))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let orders_read = billable(conn, company_id, end)?;
    let facts: Vec<Billable> = orders_read.iter().map(|(b, ..)| b.clone()).collect();
    let lines = lines_for(&facts, end);
    if lines.is_empty() {
        return Ok(false);
    }
    let now = crate::db::now();
    let bill_id: i64 = diesel::insert_into(bills::table)
        .values((
            bills::company_id.eq(company_id),
            bills::period.eq(period),
            bills::state.eq(BillState::Generated),
            bills::line_count.eq(lines.len() as i64),
            bills::created_at.eq(now),
            bills::updated_at.eq(now),
        ))
        .returning(bills::id)
        .get_result(conn)?;
    let names: HashMap<i64, (&str, &str, &str)> = orders_read
        .iter()
        .map(|(b, p, s, c)| (b.order_id, (p.as_str(), s.as_str(), c.as_str())))
        .collect();
    let mut totals: BTreeMap<&str, Total> = BTreeMap::new();
    let rows: Vec<NewLine> = lines
        .iter()
        .map(|l| {
            let (product_name, spec_name, currency) = names[&l.order_id];
            totals
                .entry(currency)
                .or_default()
                .add(l.amount_minor, l.settlement_micros);
            NewLine {
                bill_id,
                order_id: l.order_id,
                kind: l.kind.as_str(),
                product_name,
                spec_name,
                currency,
                amount_minor: l.amount_minor,
                platform_share_bp: l.share_bp,
                settlement_micros: l.settlement_micros,
            }
        })
        .collect();
    for chunk in rows.chunks(INSERT_BATCH) {
        crate::on_backend!(conn, |c| diesel::insert_into(bill_lines::table)
            .values(chunk)
            .execute(c))?;
    }
    for (currency, t) in &totals {
        diesel::insert_into(bill_totals::table)
            .values((
                bill_totals::bill_id.eq(bill_id),
                bill_totals::currency.eq(*currency),
                bill_totals::amount_minor.eq(t.amount_minor),
                bill_totals::settlement_micros.eq(t.settlement_micros),
            ))
            .execute(conn)?;
    }
    let sale_ids: Vec<i64> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Sale)
        .map(|l| l.order_id)
        .collect();
    let refund_ids: Vec<i64> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Refund || l.nets_refund)
        .map(|l| l.order_id)
        .collect();
    for chunk in sale_ids.chunks(INSERT_BATCH) {
        diesel::update(orders::table.filter(orders::id.eq_any(chunk)))
            .set(orders::sale_bill_id.eq(Some(bill_id)))
            .execute(conn)?;
    }
    for chunk in refund_ids.chunks(INSERT_BATCH) {
        diesel::update(orders::table.filter(orders::id.eq_any(chunk)))
            .set(orders::refund_bill_id.eq(Some(bill_id)))
            .execute(conn)?;
    }
    // The bill as inserted, and its totals as computed: read back, they cost two round trips
    // per seller (a fifth of the job).
    let bill = Bill {
        id: bill_id,
        company_id,
        period: period.to_string(),
        state: BillState::Generated,
        line_count: lines.len() as i64,
        created_at: now,
        updated_at: now,
        confirmed_at: None,
        approved_at: None,
        approved_by: None,
        invoiced_at: None,
        paid_at: None,
        paid_by: None,
        payout_reference: None,
        dispute_reason: None,
        disputed_at: None,
        resolution: None,
    };
    let sums: Vec<BillTotal> = totals
        .iter()
        .map(|(currency, t)| BillTotal {
            bill_id,
            currency: currency.to_string(),
            amount_minor: t.amount_minor,
            settlement_micros: t.settlement_micros,
        })
        .collect();
    notify_with(conn, &bill, "generated", None, &sums, settings)?;
    Ok(true)
}

/// Makes the bills of `period` (YYYY-MM) for every seller with something to bill, a chunk of
/// sellers per transaction. Safe to run again and on several instances at once: a seller gets
/// one bill per month, an order is on one bill. Returns how many bills this call made.
pub fn generate(
    conn: &mut DbConn,
    period: &str,
    settings: &crate::applications::NotifySettings,
) -> Result<usize, AppError> {
    let (_, end) = period_bounds(period)
        .ok_or_else(|| AppError::BadRequest(Msg::new("settlement-period-invalid")))?;
    let mut after = 0;
    let mut made = 0;
    loop {
        let chunk = candidates(conn, end, after, GENERATE_CHUNK)?;
        let Some(&last) = chunk.last() else {
            break;
        };
        after = last;
        made += crate::db::write_transaction(conn, |conn| {
            if crate::db::backend_of(conn) == crate::db::Backend::Postgres {
                // A connection's statements (and the foreign-key checks of its inserts) keep
                // the plan made at their first runs: made while this month's bills were few,
                // it scans them whole, and the job grows with the square of the sellers.
                diesel::sql_query("SET LOCAL plan_cache_mode = force_custom_plan").execute(conn)?;
            }
            let mut n = 0;
            for &company in &chunk {
                if bill_company(conn, company, period, end, settings)? {
                    n += 1;
                }
            }
            Ok(n)
        })?;
    }
    Ok(made)
}

/// Runs the month's job when it is due (the 7th or later) and no instance has finished it;
/// returns the period and the bills made.
pub fn run_due(
    conn: &mut DbConn,
    today: time::Date,
    settings: &crate::applications::NotifySettings,
) -> Result<Option<(String, usize)>, AppError> {
    let Some(period) = crate::domain::settlement::due_period(today) else {
        return Ok(None);
    };
    let done: i64 = bill_runs::table
        .filter(bill_runs::period.eq(&period))
        .count()
        .get_result(conn)?;
    if done > 0 {
        return Ok(None);
    }
    let made = generate(conn, &period, settings)?;
    record_run(conn, &period, made)?;
    Ok(Some((period, made)))
}

/// Notes that the month's job finished (the first instance to finish writes it).
pub fn record_run(conn: &mut DbConn, period: &str, made: usize) -> Result<(), AppError> {
    crate::db::write_transaction(conn, |conn| {
        let done: i64 = bill_runs::table
            .filter(bill_runs::period.eq(period))
            .count()
            .get_result(conn)?;
        if done == 0 {
            diesel::insert_into(bill_runs::table)
                .values((
                    bill_runs::period.eq(period),
                    bill_runs::finished_at.eq(crate::db::now()),
                    bill_runs::bills.eq(made as i64),
                ))
                .execute(conn)
                .or_else(|e| match e {
                    // Another instance finished at the same moment.
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    ) => Ok(0),
                    e => Err(e),
                })?;
        }
        Ok(())
    })
}

/// The finished runs, newest first (for operations).
pub fn runs(conn: &mut DbConn) -> Result<Vec<(String, PrimitiveDateTime, i64)>, AppError> {
    Ok(bill_runs::table
        .order(bill_runs::period.desc())
        .limit(12)
        .select((bill_runs::period, bill_runs::finished_at, bill_runs::bills))
        .load(conn)?)
}

fn find(conn: &mut DbConn, id: i64) -> Result<Bill, AppError> {
    bills::table
        .find(id)
        .select(Bill::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The seller's bill; any other is not found.
pub fn find_for_company(conn: &mut DbConn, company_id: i64, id: i64) -> Result<Bill, AppError> {
    let bill = find(conn, id)?;
    if bill.company_id != company_id {
        return Err(AppError::NotFound);
    }
    Ok(bill)
}

/// A bill with its seller's name, for operations.
pub fn find_with_company(conn: &mut DbConn, id: i64) -> Result<(Bill, Option<String>), AppError> {
    bills::table
        .inner_join(companies::table)
        .filter(bills::id.eq(id))
        .select((Bill::as_select(), companies::legal_name))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The totals of these bills, per currency, in one query.
pub fn totals(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<BillTotal>, AppError> {
    Ok(bill_totals::table
        .filter(bill_totals::bill_id.eq_any(ids))
        .order((bill_totals::bill_id, bill_totals::currency))
        .select((
            bill_totals::bill_id,
            bill_totals::currency,
            bill_totals::amount_minor,
            bill_totals::settlement_micros,
        ))
        .load(conn)?)
}

/// A page of the seller's bills, newest month first, with their count and totals.
pub fn list_for_company(
    conn: &mut DbConn,
    company_id: i64,
    page: i64,
) -> Result<(Vec<Bill>, Vec<BillTotal>, i64), AppError> {
    let total: i64 = bills::table
        .filter(bills::company_id.eq(company_id))
        .count()
        .get_result(conn)?;
    let rows: Vec<Bill> = bills::table
        .filter(bills::company_id.eq(company_id))
        .order(bills::period.desc())
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .select(Bill::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|b| b.id).collect();
    let sums = totals(conn, &ids)?;
    Ok((rows, sums, total))
}

/// Operations' filter on all bills.
#[derive(Debug, Clone, Default)]
pub struct OpsFilter {
    pub state: Option<BillState>,
    pub period: Option<String>,
}

/// Bills with their sellers' legal names, their totals, and how many match.
pub type BillsPage = (Vec<(Bill, Option<String>)>, Vec<BillTotal>, i64);

/// A page of every seller's bills (newest first), with the sellers' names, count and totals.
pub fn list_all(conn: &mut DbConn, f: &OpsFilter, page: i64) -> Result<BillsPage, AppError> {
    let filtered = || {
        let mut q = bills::table.inner_join(companies::table).into_boxed();
        if let Some(s) = f.state {
            q = q.filter(bills::state.eq(s));
        }
        if let Some(p) = &f.period {
            q = q.filter(bills::period.eq(p.clone()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<(Bill, Option<String>)> = filtered()
        .order(bills::id.desc())
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .select((Bill::as_select(), companies::legal_name))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(b, _)| b.id).collect();
    let sums = totals(conn, &ids)?;
    Ok((rows, sums, total))
}

/// A page of a bill's lines in order.
pub fn lines(conn: &mut DbConn, bill_id: i64, page: i64) -> Result<Vec<BillLine>, AppError> {
    Ok(bill_lines::table
        .filter(bill_lines::bill_id.eq(bill_id))
        .order(bill_lines::id.asc())
        .limit(LINES_PAGE_SIZE)
        .offset((page.max(1) - 1).saturating_mul(LINES_PAGE_SIZE))
        .select(BillLine::as_select())
        .load(conn)?)
}

/// Lines read at a time by the CSV export.
pub const EXPORT_BATCH: i64 = 500;

/// The next batch of a bill's lines after `after` (by id): the export walks them in order.
pub fn lines_batch(conn: &mut DbConn, bill_id: i64, after: i64) -> Result<Vec<BillLine>, AppError> {
    Ok(bill_lines::table
        .filter(bill_lines::bill_id.eq(bill_id))
        .filter(bill_lines::id.gt(after))
        .order(bill_lines::id.asc())
        .limit(EXPORT_BATCH)
        .select(BillLine::as_select())
        .load(conn)?)
}

/// Moves a bill if `action` is allowed from the state it is in now; `false` when it is not.
/// The update is guarded by the state read, so a move is made once.
fn move_bill<F>(
    conn: &mut DbConn,
    bill: &Bill,
    action: BillAction,
    set: F,
) -> Result<Option<BillState>, AppError>
where
    F: FnOnce(&mut DbConn, BillState, PrimitiveDateTime) -> Result<usize, AppError>,
{
    let Some(next) = next_bill_state(bill.state, action, bill.invoiced_at.is_some()) else {
        return Ok(None);
    };
    let now = crate::db::now();
    let n = set(conn, next, now)?;
    Ok((n == 1).then_some(next))
}

/// The seller agrees with its bill.
pub fn confirm(conn: &mut DbConn, company_id: i64, id: i64) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let bill = find_for_company(conn, company_id, id)?;
        let moved = move_bill(conn, &bill, BillAction::Confirm, |conn, next, now| {
            Ok(diesel::update(guarded(id, bill.state))
                .set((
                    bills::state.eq(next),
                    bills::confirmed_at.eq(Some(now)),
                    bills::updated_at.eq(now),
                ))
                .execute(conn)?)
        })?;
        Ok(moved.is_some())
    })
}

fn guarded(
    id: i64,
    state: BillState,
) -> diesel::dsl::Filter<
    diesel::dsl::Find<bills::table, i64>,
    diesel::dsl::Eq<bills::state, BillState>,
> {
    bills::table.find(id).filter(bills::state.eq(state))
}

/// The seller disputes its bill, with a reason.
pub fn dispute(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    reason: &str,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let bill = find_for_company(conn, company_id, id)?;
        let moved = move_bill(conn, &bill, BillAction::Dispute, |conn, next, now| {
            Ok(diesel::update(guarded(id, bill.state))
                .set((
                    bills::state.eq(next),
                    bills::dispute_reason.eq(Some(reason)),
                    bills::disputed_at.eq(Some(now)),
                    bills::updated_at.eq(now),
                ))
                .execute(conn)?)
        })?;
        Ok(moved.is_some())
    })
}

/// The seller's invoice for a bill awaiting it (replacing an earlier upload); `false` when
/// the bill takes no invoice now.
pub fn store_invoice(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    filename: &str,
    content_type: &str,
    data: &[u8],
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_company(conn, company_id)?;
        let bill = find_for_company(conn, company_id, id)?;
        if !bill.takes_invoice() {
            return Ok(false);
        }
        let now = crate::db::now();
        diesel::delete(bill_invoices::table.find(id)).execute(conn)?;
        diesel::insert_into(bill_invoices::table)
            .values((
                bill_invoices::bill_id.eq(id),
                bill_invoices::filename.eq(filename),
                bill_invoices::content_type.eq(content_type),
                bill_invoices::byte_size.eq(data.len() as i64),
                bill_invoices::data.eq(data),
                bill_invoices::uploaded_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(bills::table.find(id))
            .set((bills::invoiced_at.eq(Some(now)), bills::updated_at.eq(now)))
            .execute(conn)?;
        Ok(true)
    })
}

/// The invoice of a bill: (file name, content type, bytes).
pub fn invoice(conn: &mut DbConn, bill_id: i64) -> Result<(String, String, Vec<u8>), AppError> {
    bill_invoices::table
        .find(bill_id)
        .select((
            bill_invoices::filename,
            bill_invoices::content_type,
            bill_invoices::data,
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Operations approve a confirmed bill: the seller is asked for its invoice.
pub fn approve(
    conn: &mut DbConn,
    operator: i64,
    id: i64,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let bill = find(conn, id)?;
        let moved = move_bill(conn, &bill, BillAction::Approve, |conn, next, now| {
            Ok(diesel::update(guarded(id, bill.state))
                .set((
                    bills::state.eq(next),
                    bills::approved_at.eq(Some(now)),
                    bills::approved_by.eq(Some(operator)),
                    bills::updated_at.eq(now),
                ))
                .execute(conn)?)
        })?;
        if moved.is_some() {
            let moved_bill = find(conn, id)?;
            notify(conn, &moved_bill, "approved", None, settings)?;
        }
        Ok(moved.is_some())
    })
}

/// Operations settle a dispute with a note: the bill goes back to approval.
pub fn resolve(
    conn: &mut DbConn,
    id: i64,
    note: &str,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let bill = find(conn, id)?;
        let moved = move_bill(conn, &bill, BillAction::Resolve, |conn, next, now| {
            Ok(diesel::update(guarded(id, bill.state))
                .set((
                    bills::state.eq(next),
                    bills::resolution.eq(Some(note)),
                    bills::updated_at.eq(now),
                ))
                .execute(conn)?)
        })?;
        if moved.is_some() {
            let detail = Msg::raw(note.to_string());
            let moved_bill = find(conn, id)?;
            notify(conn, &moved_bill, "resolved", Some(detail), settings)?;
        }
        Ok(moved.is_some())
    })
}

/// Operations record the payout of an invoiced bill.
pub fn pay(
    conn: &mut DbConn,
    operator: i64,
    id: i64,
    reference: &str,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let bill = find(conn, id)?;
        let moved = move_bill(conn, &bill, BillAction::Pay, |conn, next, now| {
            Ok(diesel::update(guarded(id, bill.state))
                .set((
                    bills::state.eq(next),
                    bills::paid_at.eq(Some(now)),
                    bills::paid_by.eq(Some(operator)),
                    bills::payout_reference.eq(Some(reference)),
                    bills::updated_at.eq(now),
                ))
                .execute(conn)?)
        })?;
        if moved.is_some() {
            let detail = Msg::new("settlement-notice-reference").arg("reference", reference);
            let moved_bill = find(conn, id)?;
            notify(conn, &moved_bill, "paid", Some(detail), settings)?;
        }
        Ok(moved.is_some())
    })
}

/// The seller hears of its bill in its message center and by email to its first seller
/// account, in that reader's language, in the same transaction.
fn notify(
    conn: &mut DbConn,
    bill: &Bill,
    event: &str,
    detail: Option<Msg>,
    settings: &crate::applications::NotifySettings,
) -> Result<(), AppError> {
    let sums = totals(conn, &[bill.id])?;
    notify_with(conn, bill, event, detail, &sums, settings)
}

/// `notify`, with the bill's totals at hand.
fn notify_with(
    conn: &mut DbConn,
    bill: &Bill,
    event: &str,
    detail: Option<Msg>,
    sums: &[BillTotal],
    settings: &crate::applications::NotifySettings,
) -> Result<(), AppError> {
    use crate::db::schema::users;
    let title = Msg::new(match event {
        "generated" => "settlement-notice-generated",
        "approved" => "settlement-notice-approved",
        "resolved" => "settlement-notice-resolved",
        _ => "settlement-notice-paid",
    })
    .arg("period", bill.period.as_str());
    let mut lines: Vec<Msg> = sums
        .iter()
        .map(|t| {
            Msg::new("settlement-notice-total")
                .arg("amount", t.amount_text())
                .arg("settlement", t.settlement_text())
        })
        .collect();
    lines.push(Msg::new("settlement-notice-lines").arg("count", bill.line_count));
    if let Some(d) = detail {
        lines.push(d);
    }
    let path = format!("/console/settlement/{}", bill.id);
    crate::models::message::insert(
        conn,
        &crate::models::message::NewMessage {
            company_id: bill.company_id,
            application_id: None,
            title: title.clone(),
            body: lines.clone(),
            link: Some(&path),
        },
    )?;
    let seller: Option<(String, Option<String>, Option<String>)> = users::table
        .filter(users::company_id.eq(bill.company_id))
        .filter(users::role.eq(crate::domain::statuses::Role::Seller.as_str()))
        .order(users::id.asc())
        .select((users::email, users::language, users::time_zone))
        .first(conn)
        .optional()?;
    if let Some((email, language, zone)) = seller {
        let reader = crate::i18n::Viewer::of_account(language.as_deref(), zone.as_deref());
        let mail = crate::email::order_notice(&crate::email::OrderMail {
            recipient: &email,
            company_id: Some(bill.company_id),
            subject: title,
            lines,
            link: format!("{}{}", settings.base_url, path),
            reader,
        })?;
        crate::outbox::enqueue(conn, &mail, settings.max_attempts)?;
    }
    Ok(())
}
