//! Orders (SPEC 11): what a buyer may order of a listed release, at what frozen price, and how
//! an order moves. Plain functions over the release snapshot; the database only stores what
//! they decide.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::offer::PurchaseLimit;
use super::pricing::{quote, Period};
use super::product::{Release, ReleaseSpec};
use super::statuses::{BillingMode, DeliveryMethod};
use crate::i18n::Msg;

/// The longest a pay-per-use order may be prepaid for: a year of hours.
pub const MAX_ORDER_HOURS: u32 = 8_784;

/// What an order buys, e.g. "3 months" or "14-day free trial", as a message.
pub fn period_msg(period_kind: &str, count: i64) -> Msg {
    let key = match period_kind {
        "month" => "orders-period-months",
        "year" => "orders-period-years",
        "hour" => "orders-period-hours",
        "day" => "orders-period-trial",
        _ => "orders-period-once",
    };
    Msg::new(key).arg("n", count)
}

/// What the buyer chose on the product page, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrderChoice {
    pub spec: String,
    pub sku: String,
    pub quantity: String,
    pub period: String,
    pub count: String,
    pub region: String,
    /// "1": the specification's free trial instead of a paid period.
    pub trial: String,
    /// The company the buyer orders for (shown to the seller), optional.
    pub company: String,
    /// The order this one renews: a yearly/monthly order of the same product.
    pub renews: String,
}

/// Everything an order freezes from the release it is bought from.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedOrder {
    pub spec_name: String,
    pub sku_key: String,
    pub sku_label: String,
    pub billing: BillingMode,
    pub quantity: Option<i64>,
    pub period_kind: &'static str,
    pub period_count: u32,
    pub region: String,
    pub currency: String,
    /// The quote, exactly.
    pub amount: Decimal,
    /// The same in the currency's minor unit (cents).
    pub amount_minor: i64,
    /// Days of the free trial, when it is one.
    pub trial_days: Option<u32>,
    /// The specification's limit, else the product's; none for pay-per-use.
    pub limit: Option<PurchaseLimit>,
    /// Whether the limit is the specification's own (counted per specification) or the
    /// product's (counted across its specifications).
    pub limit_is_spec: bool,
    /// A professional service's flow (see `flow_steps`).
    pub flow: Option<&'static str>,
}

/// The steps of a service flow, in order; the last one is the delivery (SPEC 11).
pub fn flow_steps(flow: &str) -> &'static [&'static str] {
    match flow {
        "website_building" => &["design_confirmed", "site_built", "launched"],
        _ => &["requirement_confirmed", "delivering", "delivered"],
    }
}

/// The step after `current` (none yet: the first), or `None` once delivered.
pub fn next_step(flow: &str, current: Option<&str>) -> Option<&'static str> {
    let steps = flow_steps(flow);
    match current {
        None => steps.first().copied(),
        Some(c) => {
            let at = steps.iter().position(|s| *s == c)?;
            steps.get(at + 1).copied()
        }
    }
}

/// Whether `step` is the delivery of its flow.
pub fn is_delivered(flow: &str, step: Option<&str>) -> bool {
    step.is_some_and(|s| flow_steps(flow).last() == Some(&s))
}

/// The flow a release's service follows: website building when its details say so.
fn flow_of(release: &Release) -> Option<&'static str> {
    (release.method == DeliveryMethod::ProfessionalServices).then(|| {
        if release
            .details
            .iter()
            .any(|(label, value)| label == "Service flow" && value == "Website building")
        {
            "website_building"
        } else {
            "standard"
        }
    })
}

/// Which field a refusal is about, for the message next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderField {
    Spec,
    Sku,
    Quantity,
    Period,
    Region,
    Trial,
    Company,
}

impl OrderField {
    pub fn name(self) -> &'static str {
        match self {
            OrderField::Spec => "spec",
            OrderField::Sku => "sku",
            OrderField::Quantity => "quantity",
            OrderField::Period => "period",
            OrderField::Region => "region",
            OrderField::Trial => "trial",
            OrderField::Company => "company",
        }
    }
}

pub type Refusal = (OrderField, Msg);

fn period_of(kind: &str, count: &str) -> Option<Period> {
    let n: u32 = count.trim().parse().ok()?;
    match kind {
        "month" => Some(Period::Months(n)),
        "year" => Some(Period::Years(n)),
        "once" => Some(Period::Once),
        "hour" => Some(Period::Hours(n)),
        _ => None,
    }
}

fn kind_text(period: &Period) -> &'static str {
    match period {
        Period::Months(_) => "month",
        Period::Years(_) => "year",
        Period::Once => "once",
        Period::Hours(_) => "hour",
    }
}

/// The exact minor-unit amount of a price, or `None` when it has finer decimals than cents
/// or does not fit.
pub fn to_minor(amount: Decimal) -> Option<i64> {
    let cents = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    if cents.fract() != Decimal::ZERO || cents.is_sign_negative() {
        return None;
    }
    i64::try_from(cents).ok()
}

/// The order a choice makes of a release, priced by the same `quote` as the editor and the
/// simulator; `hidden` specifications are not offered, `regions` are the marketplace's.
pub fn price(
    release: &Release,
    hidden: &[String],
    regions: &[super::offer::Region],
    choice: &OrderChoice,
) -> Result<PricedOrder, Refusal> {
    if !release.method.is_sold_here() {
        return Err((OrderField::Spec, Msg::new("orders-not-sold-here")));
    }
    let spec: &ReleaseSpec = choice
        .spec
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|i| release.specs.get(i))
        .filter(|s| !hidden.contains(&s.name))
        .ok_or((OrderField::Spec, Msg::new("orders-choose-spec")))?;
    let sku = spec
        .skus
        .iter()
        .find(|s| s.key == choice.sku)
        .ok_or((OrderField::Sku, Msg::new("orders-choose-sku")))?;
    let region = choice.region.trim();
    let known = regions.iter().any(|(code, _)| code == region);
    let sold_there = spec.regions.is_empty() || spec.regions.iter().any(|r| r == region);
    if !known || !sold_there {
        return Err((OrderField::Region, Msg::new("orders-region-not-sold")));
    }
    let quantity = match &spec.quantity {
        Some(q) => {
            let n = choice
                .quantity
                .trim()
                .parse::<i64>()
                .map_err(|_| (OrderField::Quantity, Msg::new("orders-quantity-number")))?;
            q.range.accepts(n).map_err(|m| (OrderField::Quantity, m))?;
            Some(n)
        }
        None => None,
    };
    let limit = spec
        .purchase_limit
        .or(release.purchase_limit)
        .filter(|_| spec.billing != BillingMode::PayPerUse);
    let base = PricedOrder {
        spec_name: spec.name.clone(),
        sku_key: sku.key.clone(),
        sku_label: sku.values.join(" · "),
        billing: spec.billing,
        quantity,
        period_kind: "once",
        period_count: 1,
        region: region.to_string(),
        currency: release.currency.clone(),
        amount: Decimal::ZERO,
        amount_minor: 0,
        trial_days: None,
        limit,
        limit_is_spec: spec.purchase_limit.is_some(),
        flow: flow_of(release),
    };
    if choice.trial == "1" {
        let days = spec
            .trial_days
            .ok_or((OrderField::Trial, Msg::new("orders-no-trial")))?;
        return Ok(PricedOrder {
            period_kind: "day",
            period_count: days,
            trial_days: Some(days),
            ..base
        });
    }
    let period = period_of(&choice.period, &choice.count)
        .ok_or((OrderField::Period, Msg::new("orders-choose-period")))?;
    if let Period::Hours(n) = period {
        if n > MAX_ORDER_HOURS {
            return Err((
                OrderField::Period,
                Msg::new("orders-hours-max").arg("max", i64::from(MAX_ORDER_HOURS)),
            ));
        }
    }
    let amount = quote(
        spec.billing,
        spec.quantity.as_ref().map(|q| &q.range),
        &sku.prices,
        quantity,
        &period,
    )
    .map_err(|e| match e {
        super::pricing::QuoteError::Quantity(m) => (OrderField::Quantity, m),
        other => (OrderField::Period, other.message().clone()),
    })?;
    let amount_minor =
        to_minor(amount).ok_or((OrderField::Period, Msg::new("orders-amount-unpayable")))?;
    Ok(PricedOrder {
        period_kind: kind_text(&period),
        period_count: period.count(),
        amount,
        amount_minor,
        ..base
    })
}

/// What a buyer already holds of the limited product or specification: orders not cancelled
/// nor expired unpaid, and not past their own expiry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    pub orders: i64,
    pub quantity: i64,
}

/// Whether one more order of `quantity` (1 when the specification has none) stays within the
/// limit.
pub fn check_limit(limit: Option<PurchaseLimit>, held: Held, quantity: i64) -> Result<(), Msg> {
    match limit {
        None => Ok(()),
        Some(PurchaseLimit::OncePerBuyer) if held.orders > 0 => Err(Msg::new("orders-limit-once")),
        Some(PurchaseLimit::OncePerBuyer) => Ok(()),
        Some(PurchaseLimit::MaxQuantity { max }) => {
            let max = i64::from(max);
            if held.quantity.saturating_add(quantity) > max {
                Err(Msg::new("orders-limit-max")
                    .arg("max", max)
                    .arg("left", (max - held.quantity).max(0)))
            } else {
                Ok(())
            }
        }
    }
}

/// A trial is taken once per buyer and specification, whatever became of it.
pub fn check_trial(trials_taken: i64) -> Result<(), Msg> {
    if trials_taken > 0 {
        Err(Msg::new("orders-trial-taken"))
    } else {
        Ok(())
    }
}

/// The longest company name a buyer gives at checkout.
pub const MAX_BUYER_COMPANY_CHARS: usize = 200;

/// The company name as kept on the order: trimmed, `None` when empty.
pub fn buyer_company(text: &str) -> Result<Option<String>, Msg> {
    let t = text.trim();
    if t.chars().count() > MAX_BUYER_COMPANY_CHARS {
        return Err(Msg::new("orders-company-long").arg("max", MAX_BUYER_COMPANY_CHARS as i64));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// What the refund rules need to know of an order.
#[derive(Debug, Clone, Copy)]
pub struct RefundFacts {
    pub state: super::statuses::OrderState,
    pub billing: BillingMode,
    pub trial: bool,
    pub amount_minor: i64,
    pub expires_at: Option<time::PrimitiveDateTime>,
}

/// Requests a buyer may make on one order (each rejected one counts).
pub const MAX_REFUND_REQUESTS: i64 = 3;
/// The longest refund reason and decision note.
pub const MAX_REFUND_TEXT_CHARS: usize = 1000;

/// Whether the buyer may ask for its money back now (SPEC 11, "where the method allows
/// it"): a paid order being delivered, or a subscription still running, or pay-per-use (which
/// stops at once). A one-time purchase that is completed, a trial, or a closed order cannot.
pub fn refundable(o: RefundFacts, now: time::PrimitiveDateTime) -> Result<(), Msg> {
    use super::statuses::OrderState as S;
    if o.trial || o.amount_minor == 0 {
        return Err(Msg::new("orders-refund-nothing-paid"));
    }
    match (o.state, o.billing) {
        (S::Processing, _) => Ok(()),
        (S::Completed, BillingMode::PayPerUse) => Ok(()),
        (S::Completed, BillingMode::YearlyMonthly) if o.expires_at.is_some_and(|e| e > now) => {
            Ok(())
        }
        (S::Completed, BillingMode::YearlyMonthly) => Err(Msg::new("orders-refund-expired")),
        (S::Completed, BillingMode::OneTime) => Err(Msg::new("orders-refund-one-time")),
        _ => Err(Msg::new("orders-refund-not-now")),
    }
}

/// The refund asked for, in cents: more than nothing, at most what was paid, in cents.
pub fn refund_amount(text: &str, paid_minor: i64) -> Result<i64, Msg> {
    let t = text.trim().replace(',', "");
    // Digits and one point only: no sign, exponent or other notation a parser might take.
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(Msg::new("orders-refund-amount-number"));
    }
    let amount: Decimal = t
        .parse()
        .map_err(|_| Msg::new("orders-refund-amount-number"))?;
    let minor = to_minor(amount).ok_or_else(|| Msg::new("orders-refund-amount-number"))?;
    if minor <= 0 {
        return Err(Msg::new("orders-refund-amount-positive"));
    }
    if minor > paid_minor {
        return Err(Msg::new("orders-refund-amount-over")
            .arg("paid", Decimal::new(paid_minor, 2).to_string()));
    }
    Ok(minor)
}

/// Where an order stands (SPEC 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Pay,
    Cancel,
    Expire,
}

/// The state an order moves to, or `None` when the move is not allowed from `state`. A paid
/// order of an image, SaaS or license completes at once; a professional service is processing
/// until accepted.
pub fn next_state(
    state: super::statuses::OrderState,
    method: DeliveryMethod,
    t: Transition,
) -> Option<super::statuses::OrderState> {
    use super::statuses::OrderState as S;
    match (state, t) {
        (S::PendingPayment, Transition::Pay) => Some(match method {
            DeliveryMethod::ProfessionalServices => S::Processing,
            _ => S::Completed,
        }),
        (S::PendingPayment, Transition::Cancel) => Some(S::Cancelled),
        (S::PendingPayment, Transition::Expire) => Some(S::Expired),
        _ => None,
    }
}

/// The period an order runs from payment: months and years from the day it is paid, a trial
/// for its days; one-time and pay-per-use orders have no expiry.
pub fn expiry(
    start: time::PrimitiveDateTime,
    period_kind: &str,
    count: u32,
) -> Option<time::PrimitiveDateTime> {
    let months = match period_kind {
        "month" => count,
        "year" => count.checked_mul(12)?,
        "day" => return Some(start + time::Duration::days(i64::from(count))),
        _ => return None,
    };
    let total = i64::from(start.month() as u8 - 1) + i64::from(months);
    let year = start.year() + i32::try_from(total / 12).ok()?;
    let month = time::Month::try_from(u8::try_from(total % 12 + 1).ok()?).ok()?;
    // The same day of the month, or the month's last day (31 Jan + 1 month = 28/29 Feb).
    let last = month.length(year);
    let day = start.day().min(last);
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(time::PrimitiveDateTime::new(date, start.time()))
}

#[cfg(test)]
mod refund_tests {
    use super::*;
    use crate::domain::statuses::OrderState;
    use proptest::prelude::*;
    use time::macros::datetime;

    fn facts(state: OrderState, billing: BillingMode) -> RefundFacts {
        RefundFacts {
            state,
            billing,
            trial: false,
            amount_minor: 10_000,
            expires_at: Some(datetime!(2027-01-01 0:00)),
        }
    }

    #[test]
    fn a_refund_is_for_what_is_still_running_or_being_delivered() {
        let now = datetime!(2026-12-01 0:00);
        assert!(refundable(facts(OrderState::Processing, BillingMode::OneTime), now).is_ok());
        assert!(refundable(
            facts(OrderState::Completed, BillingMode::YearlyMonthly),
            now
        )
        .is_ok());
        assert!(refundable(facts(OrderState::Completed, BillingMode::PayPerUse), now).is_ok());
        let late = datetime!(2027-02-01 0:00);
        assert_eq!(
            refundable(
                facts(OrderState::Completed, BillingMode::YearlyMonthly),
                late
            )
            .unwrap_err()
            .key,
            "orders-refund-expired"
        );
        assert_eq!(
            refundable(facts(OrderState::Completed, BillingMode::OneTime), now)
                .unwrap_err()
                .key,
            "orders-refund-one-time"
        );
        for s in [
            OrderState::PendingPayment,
            OrderState::Cancelled,
            OrderState::Expired,
            OrderState::Unsubscribed,
        ] {
            assert!(
                refundable(facts(s, BillingMode::YearlyMonthly), now).is_err(),
                "{s:?}"
            );
        }
        let mut trial = facts(OrderState::Completed, BillingMode::YearlyMonthly);
        trial.trial = true;
        assert_eq!(
            refundable(trial, now).unwrap_err().key,
            "orders-refund-nothing-paid"
        );
    }

    #[test]
    fn a_refund_amount_is_more_than_nothing_and_at_most_what_was_paid() {
        assert_eq!(refund_amount("12.50", 10_000).unwrap(), 1_250);
        assert_eq!(refund_amount(" 100 ", 10_000).unwrap(), 10_000);
        assert_eq!(refund_amount("1,000.00", 100_000).unwrap(), 100_000);
        assert_eq!(
            refund_amount("0", 10_000).unwrap_err().key,
            "orders-refund-amount-positive"
        );
        assert_eq!(
            refund_amount("-1", 10_000).unwrap_err().key,
            "orders-refund-amount-number"
        );
        assert_eq!(
            refund_amount("100.01", 10_000).unwrap_err().key,
            "orders-refund-amount-over"
        );
        assert_eq!(
            refund_amount("1.005", 10_000).unwrap_err().key,
            "orders-refund-amount-number"
        );
        assert_eq!(
            refund_amount("lots", 10_000).unwrap_err().key,
            "orders-refund-amount-number"
        );
        assert_eq!(
            refund_amount("1e3", 10_000).unwrap_err().key,
            "orders-refund-amount-number"
        );
    }

    proptest! {
        #[test]
        fn every_accepted_refund_is_within_what_was_paid(cents in -1_000_000i64..2_000_000, paid in 1i64..1_000_000) {
            let text = Decimal::new(cents, 2).to_string();
            match refund_amount(&text, paid) {
                Ok(m) => prop_assert!(m > 0 && m <= paid && m == cents),
                Err(_) => prop_assert!(cents <= 0 || cents > paid),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::statuses::OrderState;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn minor_units_are_exact_or_refused() {
        assert_eq!(to_minor(Decimal::new(12345, 2)), Some(12345));
        assert_eq!(to_minor(Decimal::new(5, 0)), Some(500));
        assert_eq!(to_minor(Decimal::new(1, 3)), None);
        assert_eq!(to_minor(Decimal::new(-1, 0)), None);
    }

    #[test]
    fn once_per_buyer_counts_held_orders_only() {
        let once = Some(PurchaseLimit::OncePerBuyer);
        assert!(check_limit(once, Held::default(), 1).is_ok());
        let held = Held {
            orders: 1,
            quantity: 1,
        };
        assert_eq!(
            check_limit(once, held, 1).unwrap_err().key,
            "orders-limit-once"
        );
        assert!(check_limit(None, held, 1_000).is_ok());
    }

    #[test]
    fn a_trial_is_taken_once() {
        assert!(check_trial(0).is_ok());
        assert!(check_trial(1).is_err());
    }

    #[test]
    fn only_an_unpaid_order_moves_and_a_paid_service_is_processing() {
        use DeliveryMethod::*;
        assert_eq!(
            next_state(
                OrderState::PendingPayment,
                ProfessionalServices,
                Transition::Pay
            ),
            Some(OrderState::Processing)
        );
        assert_eq!(
            next_state(OrderState::PendingPayment, Saas, Transition::Pay),
            Some(OrderState::Completed)
        );
        for s in [
            OrderState::Processing,
            OrderState::Completed,
            OrderState::Cancelled,
            OrderState::Expired,
        ] {
            for t in [Transition::Pay, Transition::Cancel, Transition::Expire] {
                assert_eq!(next_state(s, Image, t), None, "{s:?} {t:?}");
            }
        }
    }

    #[test]
    fn months_end_on_the_same_day_or_the_months_last() {
        let jan31 = datetime!(2026-01-31 10:00);
        assert_eq!(expiry(jan31, "month", 1), Some(datetime!(2026-02-28 10:00)));
        assert_eq!(expiry(jan31, "year", 1), Some(datetime!(2027-01-31 10:00)));
        assert_eq!(
            expiry(jan31, "month", 11),
            Some(datetime!(2026-12-31 10:00))
        );
        assert_eq!(expiry(jan31, "day", 7), Some(datetime!(2026-02-07 10:00)));
        assert_eq!(expiry(jan31, "once", 1), None);
    }

    #[test]
    fn each_flow_moves_one_step_at_a_time_to_its_delivery() {
        assert_eq!(next_step("standard", None), Some("requirement_confirmed"));
        assert_eq!(
            next_step("standard", Some("requirement_confirmed")),
            Some("delivering")
        );
        assert_eq!(next_step("standard", Some("delivering")), Some("delivered"));
        assert_eq!(next_step("standard", Some("delivered")), None);
        assert_eq!(
            next_step("website_building", Some("site_built")),
            Some("launched")
        );
        assert_eq!(
            next_step("standard", Some("launched")),
            None,
            "another flow's step"
        );
        assert!(is_delivered("website_building", Some("launched")));
        assert!(!is_delivered("standard", Some("delivering")));
        assert!(!is_delivered("standard", None));
    }

    proptest! {
        #[test]
        fn a_quantity_cap_is_never_exceeded(max in 1u32..10_000, held in 0i64..20_000, q in 1i64..20_000) {
            let limit = Some(PurchaseLimit::MaxQuantity { max });
            let ok = check_limit(limit, Held { orders: 1, quantity: held }, q).is_ok();
            prop_assert_eq!(ok, held + q <= i64::from(max));
        }

        #[test]
        fn minor_units_round_trip(cents in 0i64..1_000_000_000_000) {
            prop_assert_eq!(to_minor(Decimal::new(cents, 2)), Some(cents));
        }
    }
}
