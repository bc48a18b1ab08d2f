//! Policies and Benefits (SPEC 13, seeds 000 and 001) with no I/O: the banner threshold, the
//! months a slot may be asked for, the order operations allocate a month's slots in, and the
//! test-coupon amount.

use rust_decimal::Decimal;
use time::{Date, Duration};

use crate::i18n::Msg;

/// The homepage banner needs this much of paid transactions, all time, in US cents.
pub const BANNER_THRESHOLD_USD_CENTS: i64 = 100_000 * 100;
/// A slot is asked for at least this long before its month starts.
pub const LEAD_DAYS: i64 = 14;
/// Months ahead a slot may be asked for.
pub const MONTHS_AHEAD: u8 = 6;
/// Slots each month has of each kind.
pub const BANNER_SLOTS: i64 = 3;
pub const FEATURED_SLOTS: i64 = 6;
/// A test-coupon request is at most USD 1 000 (seed 001).
pub const MAX_COUPON_USD_CENTS: i64 = 1_000 * 100;

/// The kinds of slot on the catalog home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Banner,
    Featured,
}

impl Slot {
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Banner => "banner",
            Slot::Featured => "featured",
        }
    }

    pub fn parse(s: &str) -> Option<Slot> {
        match s {
            "banner" => Some(Slot::Banner),
            "featured" => Some(Slot::Featured),
            _ => None,
        }
    }

    pub fn capacity(self) -> i64 {
        match self {
            Slot::Banner => BANNER_SLOTS,
            Slot::Featured => FEATURED_SLOTS,
        }
    }
}

/// Amounts per currency converted to US cents at the configured rates (rounded down), and
/// the currencies that have no rate (not counted).
pub fn usd_cents(totals: &[(String, i64)], rates: &[(String, Decimal)]) -> (i64, Vec<String>) {
    let mut cents: i64 = 0;
    let mut unknown = Vec::new();
    for (currency, minor) in totals {
        match rates.iter().find(|(c, _)| c == currency) {
            Some((_, rate)) => {
                let usd = (Decimal::new(*minor, 0) * rate).floor();
                cents = cents.saturating_add(i64::try_from(usd).unwrap_or(i64::MAX));
            }
            None => unknown.push(currency.clone()),
        }
    }
    (cents, unknown)
}

/// Whether the seller's transactions reach the banner threshold.
pub fn banner_eligible(usd_cents: i64) -> bool {
    usd_cents >= BANNER_THRESHOLD_USD_CENTS
}

/// The first day of a YYYY-MM month.
fn first_day(month: &str) -> Option<Date> {
    crate::domain::settlement::period_bounds(month).map(|(from, _)| from.date())
}

/// The months a slot may be asked for on `today`: those starting at least two weeks ahead,
/// up to six months out.
pub fn open_months(today: Date) -> Vec<String> {
    let mut months = Vec::new();
    let mut d = Date::from_calendar_date(today.year(), today.month(), 1).unwrap_or(today);
    for _ in 0..=MONTHS_AHEAD {
        d = first_day(&next_month(d)).unwrap_or(d);
        if d - today >= Duration::days(LEAD_DAYS) {
            months.push(crate::domain::settlement::period_of(d));
        }
    }
    months.truncate(usize::from(MONTHS_AHEAD));
    months
}

fn next_month(d: Date) -> String {
    let (y, m) = if d.month() == time::Month::December {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() as u8 + 1)
    };
    format!("{y:04}-{m:02}")
}

/// The month asked for, if it may be asked for on `today`.
pub fn check_month(month: &str, today: Date) -> Result<String, Msg> {
    let month = month.trim();
    let Some(first) = first_day(month) else {
        return Err(Msg::new("benefits-month-choose"));
    };
    if first - today < Duration::days(LEAD_DAYS) {
        return Err(Msg::new("benefits-month-too-soon").arg("days", LEAD_DAYS));
    }
    if !open_months(today).iter().any(|m| m == month) {
        return Err(Msg::new("benefits-month-too-far").arg("months", i64::from(MONTHS_AHEAD)));
    }
    Ok(month.to_string())
}

/// The coupon amount asked for, in US cents: more than nothing, at most USD 1 000.
pub fn coupon_amount(text: &str) -> Result<i64, Msg> {
    let t = text.trim().replace(',', "");
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(Msg::new("benefits-coupon-number"));
    }
    let amount: Decimal = t.parse().map_err(|_| Msg::new("benefits-coupon-number"))?;
    let cents =
        crate::domain::order::to_minor(amount).ok_or_else(|| Msg::new("benefits-coupon-number"))?;
    if cents <= 0 {
        return Err(Msg::new("benefits-coupon-positive"));
    }
    if cents > MAX_COUPON_USD_CENTS {
        return Err(Msg::new("benefits-coupon-over"));
    }
    Ok(cents)
}

/// A slot request as operations allocate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRequest {
    pub application_id: i64,
    /// The day it arrived: requests of the same day arrived together.
    pub arrived: Date,
    pub usd_cents: i64,
    pub orders: i64,
    /// Decided already (approved), or still to decide.
    pub approved: bool,
    pub open: bool,
}

/// The order a month's requests are allocated in (SPEC 13): by arrival, and for requests that
/// arrived together, by the seller's transaction amount, then its order count (then the
/// earlier application).
pub fn allocation_order(requests: &mut [SlotRequest]) {
    requests.sort_by(|a, b| {
        a.arrived
            .cmp(&b.arrived)
            .then(b.usd_cents.cmp(&a.usd_cents))
            .then(b.orders.cmp(&a.orders))
            .then(a.application_id.cmp(&b.application_id))
    });
}

/// What allocating does to the open requests, in allocation order: approve while slots are
/// left (those already approved hold theirs), reject the rest.
pub fn allocate(requests: &[SlotRequest], capacity: i64) -> Vec<(i64, bool)> {
    let mut ordered = requests.to_vec();
    allocation_order(&mut ordered);
    let mut left = capacity - ordered.iter().filter(|r| r.approved).count() as i64;
    ordered
        .iter()
        .filter(|r| r.open)
        .map(|r| {
            let approve = left > 0;
            if approve {
                left -= 1;
            }
            (r.application_id, approve)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_banner_needs_100000_dollars_at_the_configured_rates() {
        let rates = vec![
            ("USD".to_string(), Decimal::ONE),
            ("CNY".to_string(), Decimal::new(14, 2)),
        ];
        let (cents, unknown) = usd_cents(
            &[
                ("USD".into(), 5_000_000),
                ("CNY".into(), 35_714_286),
                ("EUR".into(), 100),
            ],
            &rates,
        );
        // USD 50 000 + CNY 357 142.86 × 0.14 = USD 50 000.00 (rounded down to the cent)
        assert_eq!(cents, 5_000_000 + 5_000_000);
        assert_eq!(unknown, vec!["EUR".to_string()]);
        assert!(banner_eligible(cents));
        assert!(!banner_eligible(cents - 1));
    }

    #[test]
    fn a_slot_is_asked_for_two_weeks_ahead_at_most_six_months_out() {
        let today = date!(2026 - 12 - 04);
        let months = open_months(today);
        assert_eq!(months.first().map(String::as_str), Some("2027-01"));
        assert_eq!(months.len(), 6);
        assert_eq!(months.last().map(String::as_str), Some("2027-06"));
        // On the 20th, next month starts in under two weeks.
        assert_eq!(open_months(date!(2026 - 12 - 20))[0], "2027-02");
        assert!(check_month("2027-01", today).is_ok());
        assert_eq!(
            check_month("2026-12", today).unwrap_err().key,
            "benefits-month-too-soon"
        );
        assert_eq!(
            check_month("2027-07", today).unwrap_err().key,
            "benefits-month-too-far"
        );
        assert_eq!(
            check_month("soon", today).unwrap_err().key,
            "benefits-month-choose"
        );
    }

    #[test]
    fn a_coupon_is_more_than_nothing_and_at_most_1000_dollars() {
        assert_eq!(coupon_amount("1000").unwrap(), 100_000);
        assert_eq!(coupon_amount("250.50").unwrap(), 25_050);
        assert_eq!(
            coupon_amount("1000.01").unwrap_err().key,
            "benefits-coupon-over"
        );
        assert_eq!(
            coupon_amount("0").unwrap_err().key,
            "benefits-coupon-positive"
        );
        assert_eq!(
            coupon_amount("-5").unwrap_err().key,
            "benefits-coupon-number"
        );
        assert_eq!(coupon_amount("").unwrap_err().key, "benefits-coupon-number");
    }

    fn req(id: i64, day: u8, usd: i64, orders: i64) -> SlotRequest {
        SlotRequest {
            application_id: id,
            arrived: Date::from_calendar_date(2026, time::Month::December, day).unwrap(),
            usd_cents: usd,
            orders,
            approved: false,
            open: true,
        }
    }

    #[test]
    fn requests_are_allocated_by_arrival_then_amount_then_orders() {
        let mut r = vec![
            req(1, 3, 10, 1),
            req(2, 2, 5, 1),
            req(3, 3, 50, 1),
            req(4, 3, 10, 9),
        ];
        allocation_order(&mut r);
        let ids: Vec<i64> = r.iter().map(|r| r.application_id).collect();
        assert_eq!(ids, vec![2, 3, 4, 1]);
        let mut held = req(9, 1, 0, 0);
        held.approved = true;
        held.open = false;
        r.push(held);
        assert_eq!(
            allocate(&r, 3),
            vec![(2, true), (3, true), (4, false), (1, false)]
        );
    }

    proptest! {
        #[test]
        fn allocation_never_exceeds_the_slots_and_follows_the_order(
            reqs in proptest::collection::vec((1u8..28, 0i64..1000, 0i64..50, any::<bool>()), 0..30),
            capacity in 0i64..8,
        ) {
            let requests: Vec<SlotRequest> = reqs.iter().enumerate().map(|(i, (day, usd, orders, approved))| {
                let mut r = req(i as i64, *day, *usd, *orders);
                r.approved = *approved;
                r.open = !*approved;
                r
            }).collect();
            let decided = allocate(&requests, capacity);
            let held = requests.iter().filter(|r| r.approved).count() as i64;
            let approved = decided.iter().filter(|(_, a)| *a).count() as i64;
            prop_assert!(held + approved <= capacity.max(held));
            // Approvals come first in allocation order: no rejection before an approval.
            let first_reject = decided.iter().position(|(_, a)| !a).unwrap_or(decided.len());
            prop_assert!(decided[first_reject..].iter().all(|(_, a)| !a));
            let mut ordered = requests.clone();
            allocation_order(&mut ordered);
            let open_ids: Vec<i64> = ordered.iter().filter(|r| r.open).map(|r| r.application_id).collect();
            prop_assert_eq!(decided.iter().map(|(id, _)| *id).collect::<Vec<_>>(), open_ids);
            for w in ordered.windows(2) {
                prop_assert!(w[0].arrived < w[1].arrived
                    || (w[0].arrived == w[1].arrived && (w[0].usd_cents > w[1].usd_cents
                        || (w[0].usd_cents == w[1].usd_cents && w[0].orders >= w[1].orders))));
            }
        }
    }
}
