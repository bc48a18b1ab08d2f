//! Settlement rules with no I/O (SPEC 12): which orders a month's bill takes, what each line
//! settles, how a bill moves, and when the monthly job is due.

use rust_decimal::Decimal;
use time::{Date, Month, PrimitiveDateTime};

use super::statuses::BillState;

/// The day of the month the previous month's bills are made.
pub const BILL_DAY: u8 = 7;

/// What the seller receives of a line: amount × (1 − share), exactly, in millionths of the
/// currency unit (cents × basis points). `None` only past i64, which no order reaches (an
/// order's amount is capped far below).
pub fn settlement_micros(amount_minor: i64, share_bp: i32) -> Option<i64> {
    if !(0..=10_000).contains(&share_bp) {
        return None;
    }
    amount_minor.checked_mul(i64::from(10_000 - share_bp))
}

/// An amount in millionths as a decimal, with at least two places ("900.00", "1111.113").
pub fn micros_decimal(micros: i64) -> Decimal {
    let mut d = Decimal::new(micros, 6).normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// A month as YYYY-MM.
pub fn period_of(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month() as u8)
}

/// The month before the one `date` falls in.
pub fn previous_period(date: Date) -> String {
    let (y, m) = if date.month() == Month::January {
        (date.year() - 1, Month::December)
    } else {
        (date.year(), date.month().previous())
    };
    format!("{y:04}-{:02}", m as u8)
}

/// The month a YYYY-MM names: its first instant and the next month's first instant.
pub fn period_bounds(text: &str) -> Option<(PrimitiveDateTime, PrimitiveDateTime)> {
    let text = text.trim();
    if text.len() != 7 {
        return None;
    }
    let (y, m) = text.split_once('-')?;
    let (y, m): (i32, u8) = (y.parse().ok()?, m.parse().ok()?);
    if !(2000..=9999).contains(&y) {
        return None;
    }
    let month = Month::try_from(m).ok()?;
    let from = Date::from_calendar_date(y, month, 1).ok()?;
    let (ny, nm) = if month == Month::December {
        (y + 1, Month::January)
    } else {
        (y, month.next())
    };
    let to = Date::from_calendar_date(ny, nm, 1).ok()?;
    Some((from.midnight(), to.midnight()))
}

/// The month whose bills are due on `today`: the previous month, from the 7th on.
pub fn due_period(today: Date) -> Option<String> {
    (today.day() >= BILL_DAY).then(|| previous_period(today))
}

/// Whether operations may make a month's bills now: only a month that has ended.
pub fn may_bill(period: &str, today: Date) -> bool {
    period_bounds(period).is_some_and(|(_, end)| end.date() <= today)
}

/// What a bill needs to know of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Billable {
    pub order_id: i64,
    /// Paid, delivered and accepted (completed), or unsubscribed after payment.
    pub ready: bool,
    pub closed_at: Option<PrimitiveDateTime>,
    pub amount_minor: i64,
    pub refunded_minor: i64,
    pub refunded_at: Option<PrimitiveDateTime>,
    pub share_bp: i32,
    /// Already on a bill as a sale, and whether its refund is accounted on a bill.
    pub sale_billed: bool,
    pub refund_billed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Sale,
    Refund,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Sale => "sale",
            LineKind::Refund => "refund",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub order_id: i64,
    pub kind: LineKind,
    pub amount_minor: i64,
    pub share_bp: i32,
    pub settlement_micros: i64,
    /// A sale line that already nets a refund: the refund is accounted by it.
    pub nets_refund: bool,
}

/// The lines a bill for the month ending at `end` takes from these orders: a sale per order
/// ready before the end and not billed yet (its amount less what was refunded before), and a
/// negative line per refund approved before the end of an order billed earlier. An order not
/// ready rolls over to a later bill.
pub fn lines_for(orders: &[Billable], end: PrimitiveDateTime) -> Vec<Line> {
    let mut lines = Vec::new();
    for o in orders {
        let before_end = |t: Option<PrimitiveDateTime>| t.is_some_and(|t| t < end);
        if !o.sale_billed && o.ready && before_end(o.closed_at) {
            // Refunded in full: nothing to settle, ever (the job never reads it again).
            if o.amount_minor <= o.refunded_minor {
                continue;
            }
            // A refund approved before the month ended is netted; a later one is a line of
            // the month it was approved in.
            let netted = o.refunded_minor > 0 && before_end(o.refunded_at);
            let net = o.amount_minor - if netted { o.refunded_minor } else { 0 };
            if let Some(settlement) = settlement_micros(net, o.share_bp) {
                lines.push(Line {
                    order_id: o.order_id,
                    kind: LineKind::Sale,
                    amount_minor: net,
                    share_bp: o.share_bp,
                    settlement_micros: settlement,
                    nets_refund: netted,
                });
            }
        } else if o.sale_billed
            && !o.refund_billed
            && o.refunded_minor > 0
            && before_end(o.refunded_at)
        {
            if let Some(settlement) = settlement_micros(-o.refunded_minor, o.share_bp) {
                lines.push(Line {
                    order_id: o.order_id,
                    kind: LineKind::Refund,
                    amount_minor: -o.refunded_minor,
                    share_bp: o.share_bp,
                    settlement_micros: settlement,
                    nets_refund: false,
                });
            }
        }
    }
    lines
}

/// A bill's totals for one currency: the sums of its lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Total {
    pub amount_minor: i64,
    pub settlement_micros: i64,
}

impl Total {
    pub fn add(&mut self, amount_minor: i64, settlement_micros: i64) {
        self.amount_minor = self.amount_minor.saturating_add(amount_minor);
        self.settlement_micros = self.settlement_micros.saturating_add(settlement_micros);
    }
}

/// What the seller or operations do to a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillAction {
    /// The seller agrees with the bill: operations approve it next.
    Confirm,
    /// The seller disagrees, with a reason.
    Dispute,
    /// Operations settle a dispute: the bill goes to approval again.
    Resolve,
    /// Operations approve: the seller uploads its invoice next.
    Approve,
    /// Operations record the payout (the invoice must be there).
    Pay,
}

/// The state a bill moves to, or `None` when the action is not allowed from `state`.
pub fn next_bill_state(
    state: BillState,
    action: BillAction,
    has_invoice: bool,
) -> Option<BillState> {
    use BillState as S;
    match (state, action) {
        (S::Generated, BillAction::Confirm) => Some(S::PendingApproval),
        (S::Generated | S::PendingApproval, BillAction::Dispute) => Some(S::Disputed),
        (S::Disputed, BillAction::Resolve) => Some(S::PendingApproval),
        (S::PendingApproval, BillAction::Approve) => Some(S::AwaitingInvoice),
        (S::AwaitingInvoice, BillAction::Pay) if has_invoice => Some(S::Paid),
        _ => None,
    }
}

/// Whether the seller may upload (or replace) the bill's invoice now.
pub fn takes_invoice(state: BillState) -> bool {
    state == BillState::AwaitingInvoice
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use time::macros::{date, datetime};

    #[test]
    fn settlement_is_the_amount_less_the_platform_share_exactly() {
        // 1234.57 × (1 − 10%) = 1111.113
        let m = settlement_micros(123_457, 1000).unwrap();
        assert_eq!(micros_decimal(m).to_string(), "1111.113");
        assert_eq!(
            micros_decimal(settlement_micros(100_000, 2000).unwrap()).to_string(),
            "800.00"
        );
        assert_eq!(settlement_micros(1, 10_000), Some(0));
        assert_eq!(settlement_micros(1, 10_001), None);
        assert_eq!(
            micros_decimal(settlement_micros(-5_000, 1500).unwrap()).to_string(),
            "-42.50"
        );
    }

    #[test]
    fn periods_and_the_seventh() {
        assert_eq!(period_of(date!(2026 - 12 - 04)), "2026-12");
        assert_eq!(previous_period(date!(2027 - 01 - 07)), "2026-12");
        assert_eq!(due_period(date!(2026 - 12 - 06)), None);
        assert_eq!(
            due_period(date!(2026 - 12 - 07)).as_deref(),
            Some("2026-11")
        );
        assert_eq!(
            due_period(date!(2026 - 12 - 31)).as_deref(),
            Some("2026-11")
        );
        let (from, to) = period_bounds("2026-12").unwrap();
        assert_eq!(
            (from, to),
            (datetime!(2026-12-01 0:00), datetime!(2027-01-01 0:00))
        );
        for bad in ["2026-13", "2026-1", "1999-01", "x", "2026-001", ""] {
            assert_eq!(period_bounds(bad), None, "{bad}");
        }
        assert!(may_bill("2026-11", date!(2026 - 12 - 01)));
        assert!(!may_bill("2026-12", date!(2026 - 12 - 31)));
    }

    #[test]
    fn a_bill_moves_only_as_the_spec_says() {
        use BillAction as A;
        use BillState as S;
        assert_eq!(
            next_bill_state(S::Generated, A::Confirm, false),
            Some(S::PendingApproval)
        );
        assert_eq!(next_bill_state(S::Generated, A::Approve, false), None);
        assert_eq!(
            next_bill_state(S::PendingApproval, A::Approve, false),
            Some(S::AwaitingInvoice)
        );
        assert_eq!(next_bill_state(S::AwaitingInvoice, A::Pay, false), None);
        assert_eq!(
            next_bill_state(S::AwaitingInvoice, A::Pay, true),
            Some(S::Paid)
        );
        assert_eq!(
            next_bill_state(S::PendingApproval, A::Dispute, false),
            Some(S::Disputed)
        );
        assert_eq!(
            next_bill_state(S::Disputed, A::Resolve, false),
            Some(S::PendingApproval)
        );
        assert_eq!(next_bill_state(S::Paid, A::Dispute, true), None);
        assert_eq!(next_bill_state(S::AwaitingInvoice, A::Dispute, true), None);
    }

    fn order(id: i64, closed: Option<PrimitiveDateTime>) -> Billable {
        Billable {
            order_id: id,
            ready: closed.is_some(),
            closed_at: closed,
            amount_minor: 10_000,
            refunded_minor: 0,
            refunded_at: None,
            share_bp: 1000,
            sale_billed: false,
            refund_billed: false,
        }
    }

    #[test]
    fn an_order_not_ready_rolls_over_and_a_late_refund_is_a_negative_line() {
        let nov_end = datetime!(2026-12-01 0:00);
        let mut o = order(1, Some(datetime!(2026-12-02 10:00)));
        assert!(
            lines_for(&[o.clone()], nov_end).is_empty(),
            "completed in December"
        );
        let dec_end = datetime!(2027-01-01 0:00);
        let l = lines_for(&[o.clone()], dec_end);
        assert_eq!(l.len(), 1);
        assert_eq!(
            (l[0].kind, l[0].amount_minor, l[0].settlement_micros),
            (LineKind::Sale, 10_000, 90_000_000)
        );
        o.sale_billed = true;
        o.refunded_minor = 2_500;
        o.refunded_at = Some(datetime!(2027-01-03 0:00));
        assert!(lines_for(&[o.clone()], dec_end).is_empty());
        let l = lines_for(&[o], datetime!(2027-02-01 0:00));
        assert_eq!((l[0].kind, l[0].amount_minor), (LineKind::Refund, -2_500));
        // Refunded before it was billed: one sale line of what is left.
        let mut p = order(2, Some(datetime!(2026-11-02 0:00)));
        p.refunded_minor = 4_000;
        p.refunded_at = p.closed_at;
        let l = lines_for(&[p], nov_end);
        assert_eq!((l[0].amount_minor, l[0].nets_refund), (6_000, true));
    }

    /// Applies a month's lines as the bill job records them.
    fn apply(orders: &mut [Billable], lines: &[Line]) {
        for l in lines {
            let o = orders
                .iter_mut()
                .find(|o| o.order_id == l.order_id)
                .unwrap();
            match l.kind {
                LineKind::Sale => {
                    o.sale_billed = true;
                    o.refund_billed |= l.nets_refund;
                }
                LineKind::Refund => o.refund_billed = true,
            }
        }
    }

    proptest! {
        /// Month after month, an order is on one bill as a sale at most, its refund on one at
        /// most, each bill's total is the sum of its lines, and in the end what was billed of
        /// an order is what was paid less what was refunded, settled at its share exactly.
        #[test]
        fn each_order_is_billed_once_and_the_totals_add_up(
            specs in proptest::collection::vec(
                (0u8..6, proptest::option::of(0u8..6), 1i64..1_000_000, 0i64..100, 0i32..=10_000, any::<bool>()),
                1..40,
            )
        ) {
            let month = |m: u8| datetime!(2026-01-01 0:00) + time::Duration::days(31 * i64::from(m));
            let mut orders: Vec<Billable> = specs.iter().enumerate().map(|(i, (closed, refund, amount, refund_pct, share, ready))| {
                let closed_at = Some(month(*closed) + time::Duration::hours(1));
                let refunded = refund.map(|_| amount * refund_pct / 100).unwrap_or(0);
                Billable {
                    order_id: i as i64,
                    ready: *ready,
                    closed_at,
                    amount_minor: *amount,
                    refunded_minor: refunded,
                    refunded_at: refund.map(|r| month(r.max(*closed)) + time::Duration::hours(2)),
                    share_bp: *share,
                    sale_billed: false,
                    refund_billed: false,
                }
            }).collect();
            let mut per_order: HashMap<i64, (u32, u32, i64, i64)> = HashMap::new();
            for m in 1..=8u8 {
                let lines = lines_for(&orders, month(m));
                let mut total = Total::default();
                for l in &lines {
                    total.add(l.amount_minor, l.settlement_micros);
                    let e = per_order.entry(l.order_id).or_default();
                    match l.kind { LineKind::Sale => e.0 += 1, LineKind::Refund => e.1 += 1 }
                    e.2 += l.amount_minor;
                    e.3 += l.settlement_micros;
                    prop_assert_eq!(
                        micros_decimal(l.settlement_micros),
                        Decimal::new(l.amount_minor, 2) * (Decimal::ONE - Decimal::new(i64::from(l.share_bp), 4))
                    );
                }
                prop_assert_eq!(total.amount_minor, lines.iter().map(|l| l.amount_minor).sum::<i64>());
                prop_assert_eq!(total.settlement_micros, lines.iter().map(|l| l.settlement_micros).sum::<i64>());
                apply(&mut orders, &lines);
            }
            for o in &orders {
                let (sales, refunds, amount, settled) = per_order.get(&o.order_id).copied().unwrap_or_default();
                prop_assert!(sales <= 1 && refunds <= 1);
                if o.ready && o.amount_minor > o.refunded_minor {
                    prop_assert_eq!(sales, 1);
                    prop_assert_eq!(amount, o.amount_minor - o.refunded_minor);
                    prop_assert_eq!(settled, (o.amount_minor - o.refunded_minor) * i64::from(10_000 - o.share_bp));
                } else if !o.ready {
                    prop_assert_eq!(sales + refunds, 0);
                }
            }
        }
    }
}
