//! Unsubscription (SPEC 11): the buyer asks for a refund of a paid order, the seller approves
//! or rejects it. An approved refund unsubscribes the order at once (a subscription or
//! pay-per-use stops now) and the next bill follows (see `domain::settlement::lines_for`).

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::{order_ledger, order_refunds};
use crate::db::DbConn;
use crate::domain::order::{
    refund_amount, refundable, RefundFacts, MAX_REFUND_REQUESTS, MAX_REFUND_TEXT_CHARS,
};
use crate::domain::statuses::{OrderState, RefundState};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::models::order::{self, Order};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = order_refunds)]
pub struct Refund {
    pub id: i64,
    pub order_id: i64,
    pub company_id: i64,
    pub amount_minor: i64,
    pub reason: String,
    pub state: RefundState,
    pub decision_note: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub decided_at: Option<PrimitiveDateTime>,
    pub decided_by: Option<i64>,
}

impl Refund {
    pub fn amount_text(&self, currency: &str) -> String {
        crate::i18n::money(currency, &rust_decimal::Decimal::new(self.amount_minor, 2))
    }

    pub fn is_open(&self) -> bool {
        self.state == RefundState::Requested
    }
}

/// What the ledger columns say of an order: the buyer's company, the refund, the renewal.
#[derive(Debug, Clone, Default, Queryable)]
pub struct Ledger {
    pub id: i64,
    pub buyer_company: Option<String>,
    pub refunded_minor: i64,
    pub refunded_at: Option<PrimitiveDateTime>,
    pub renews_order_id: Option<i64>,
}

impl Ledger {
    pub fn refunded_text(&self, currency: &str) -> String {
        crate::i18n::money(
            currency,
            &rust_decimal::Decimal::new(self.refunded_minor, 2),
        )
    }
}

/// The ledger columns of these orders, in one query.
pub fn ledgers(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<Ledger>, AppError> {
    Ok(order_ledger::table
        .filter(order_ledger::id.eq_any(ids))
        .select((
            order_ledger::id,
            order_ledger::buyer_company,
            order_ledger::refunded_minor,
            order_ledger::refunded_at,
            order_ledger::renews_order_id,
        ))
        .load(conn)?)
}

pub fn ledger(conn: &mut DbConn, id: i64) -> Result<Ledger, AppError> {
    Ok(ledgers(conn, &[id])?.pop().unwrap_or_default())
}

/// The refund requests of an order, newest first (a handful at most).
pub fn for_order(conn: &mut DbConn, order_id: i64) -> Result<Vec<Refund>, AppError> {
    Ok(order_refunds::table
        .filter(order_refunds::order_id.eq(order_id))
        .order(order_refunds::id.desc())
        .limit(MAX_REFUND_REQUESTS + 1)
        .select(Refund::as_select())
        .load(conn)?)
}

fn facts(o: &Order) -> RefundFacts {
    RefundFacts {
        state: o.state,
        billing: o.billing,
        trial: o.trial,
        amount_minor: o.amount_minor,
        expires_at: o.expires_at,
    }
}

/// Whether the buyer may ask now, for the order page's form.
pub fn may_request(o: &Order, refunds: &[Refund], now: PrimitiveDateTime) -> bool {
    refundable(facts(o), now).is_ok()
        && !refunds.iter().any(Refund::is_open)
        && (refunds.len() as i64) < MAX_REFUND_REQUESTS
}

/// A reason or note as kept, or the message why not.
pub fn checked_text(text: &str, needed: &'static str) -> Result<String, Msg> {
    let t: String = text
        .trim()
        .chars()
        .take(MAX_REFUND_TEXT_CHARS + 1)
        .collect();
    if t.is_empty() {
        Err(Msg::new(needed))
    } else if t.chars().count() > MAX_REFUND_TEXT_CHARS {
        Err(Msg::new("settlement-text-long").arg("max", MAX_REFUND_TEXT_CHARS as i64))
    } else {
        Ok(t)
    }
}

/// Which field of the refund form a refusal is about.
pub type Refused = (&'static str, Msg);

/// The buyer asks for `amount` back with a reason; `Ok(Err(..))` says why not (nothing is
/// written then). The seller hears of it.
pub fn request(
    conn: &mut DbConn,
    buyer_id: i64,
    order_id: i64,
    amount: &str,
    reason: &str,
    settings: &crate::applications::NotifySettings,
) -> Result<Result<(), Refused>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        order::lock_buyer(conn, buyer_id)?;
        let o = order::find_for_buyer(conn, buyer_id, order_id)?;
        let now = crate::db::now();
        let refunds = for_order(conn, order_id)?;
        if let Err(m) = refundable(facts(&o), now) {
            return Ok(Err(("amount", m)));
        }
        if refunds.iter().any(Refund::is_open) {
            return Ok(Err(("amount", Msg::new("orders-refund-open"))));
        }
        if refunds.len() as i64 >= MAX_REFUND_REQUESTS {
            return Ok(Err((
                "amount",
                Msg::new("orders-refund-too-many").arg("max", MAX_REFUND_REQUESTS),
            )));
        }
        let minor = match refund_amount(amount, o.amount_minor) {
            Ok(m) => m,
            Err(m) => return Ok(Err(("amount", m))),
        };
        let reason = match checked_text(reason, "orders-refund-reason-needed") {
            Ok(r) => r,
            Err(m) => return Ok(Err(("reason", m))),
        };
        diesel::insert_into(order_refunds::table)
            .values((
                order_refunds::order_id.eq(order_id),
                order_refunds::company_id.eq(o.company_id),
                order_refunds::amount_minor.eq(minor),
                order_refunds::reason.eq(&reason),
                order_refunds::state.eq(RefundState::Requested),
                order_refunds::created_at.eq(now),
            ))
            .execute(conn)?;
        let detail = Msg::new("orders-refund-detail")
            .arg("amount", money(&o, minor))
            .arg("reason", reason.as_str());
        order::record(
            conn,
            order_id,
            Some(buyer_id),
            "refund_requested",
            Some(detail.clone()),
            now,
        )?;
        order::notify(conn, &o, "refund_requested", Some(&detail), settings)?;
        Ok(Ok(()))
    })
}

fn money(o: &Order, minor: i64) -> String {
    crate::i18n::money(&o.currency, &rust_decimal::Decimal::new(minor, 2))
}

/// The seller's decision on the open request of its order. Approving unsubscribes the order
/// now; rejecting needs a note the buyer reads. `Ok(Err(..))` says why not.
pub fn decide(
    conn: &mut DbConn,
    company_id: i64,
    actor: i64,
    order_id: i64,
    approve: bool,
    note: &str,
    settings: &crate::applications::NotifySettings,
) -> Result<Result<(), Refused>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_company(conn, company_id)?;
        let (o, _) = order::find_for_seller(conn, company_id, order_id)?;
        let Some(open) = for_order(conn, order_id)?.into_iter().find(Refund::is_open) else {
            return Ok(Err(("note", Msg::new("orders-refund-none-open"))));
        };
        let note = note.trim();
        if note.chars().count() > MAX_REFUND_TEXT_CHARS {
            return Ok(Err((
                "note",
                Msg::new("settlement-text-long").arg("max", MAX_REFUND_TEXT_CHARS as i64),
            )));
        }
        if !approve && note.is_empty() {
            return Ok(Err(("note", Msg::new("orders-refund-note-needed"))));
        }
        let now = crate::db::now();
        let state = if approve {
            RefundState::Approved
        } else {
            RefundState::Rejected
        };
        diesel::update(
            order_refunds::table
                .find(open.id)
                .filter(order_refunds::state.eq(RefundState::Requested)),
        )
        .set((
            order_refunds::state.eq(state),
            order_refunds::decision_note.eq((!note.is_empty()).then_some(note)),
            order_refunds::decided_at.eq(Some(now)),
            order_refunds::decided_by.eq(Some(actor)),
        ))
        .execute(conn)?;
        let amount = money(&o, open.amount_minor);
        let (kind, detail) =
            if approve {
                // The order stops now: unsubscribed, its period ended, what was refunded kept for
                // the bill. Still refundable: the order may not have moved since it was asked.
                if let Err(m) = refundable(facts(&o), now) {
                    return Ok(Err(("note", m)));
                }
                diesel::update(order_ledger::table.find(order_id).filter(
                    order_ledger::state.eq_any([
                        OrderState::Processing.as_str(),
                        OrderState::Completed.as_str(),
                    ]),
                ))
                .set((
                    order_ledger::state.eq(OrderState::Unsubscribed.as_str()),
                    order_ledger::refunded_minor.eq(open.amount_minor),
                    order_ledger::refunded_at.eq(Some(now)),
                    order_ledger::closed_at.eq(Some(o.closed_at.unwrap_or(now))),
                    order_ledger::expires_at.eq(o.expires_at.map(|e| e.min(now))),
                ))
                .execute(conn)?;
                (
                    "refund_approved",
                    Msg::new("orders-refund-approved-detail").arg("amount", amount),
                )
            } else {
                (
                    "refund_rejected",
                    Msg::new("orders-refund-rejected-detail").arg("note", note),
                )
            };
        order::record(conn, order_id, Some(actor), kind, Some(detail.clone()), now)?;
        let moved = order::find_for_buyer(conn, o.buyer_id, order_id)?;
        order::notify(conn, &moved, kind, Some(&detail), settings)?;
        Ok(Ok(()))
    })
}
