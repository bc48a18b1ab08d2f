//! SKU prices as exact decimals: quantity ranges, linear and tiered pricing, billing periods, quotes.

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::statuses::BillingMode;
use crate::i18n::Msg;

/// The highest price a seller may enter, for a flat amount or a unit.
pub const MAX_PRICE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// Prices are kept in cents, so anything finer could not be stored.
pub const MAX_DECIMAL_PLACES: u32 = 2;

/// The months a yearly/monthly buyer may buy at once; a 12th month is a year.
pub const MAX_MONTHS: u32 = 11;
pub const MAX_YEARS: u32 = 3;

/// A price the marketplace can store and charge: not negative, in cents, at most [`MAX_PRICE`].
pub fn check_price(amount: Decimal) -> Result<(), Msg> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Msg::new("products-price-negative"));
    }
    if amount.normalize().scale() > MAX_DECIMAL_PLACES {
        return Err(Msg::new("products-price-decimals"));
    }
    if amount > MAX_PRICE {
        return Err(Msg::new("products-price-too-high"));
    }
    Ok(())
}

/// The quantity attribute of a specification: what a buyer may enter in the quantity box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantityRange {
    pub min: i64,
    pub max: i64,
    pub step: i64,
}

impl QuantityRange {
    /// min >= 1, min <= max, step >= 1, and the step divides (max - min).
    pub fn check(&self) -> Result<(), Msg> {
        if self.min < 1 {
            return Err(Msg::new(RANGE_MIN));
        }
        if self.max < self.min {
            return Err(Msg::new(RANGE_MAX));
        }
        if self.step < 1 {
            return Err(Msg::new(RANGE_STEP));
        }
        // Otherwise the maximum itself could never be bought.
        if (self.max - self.min) % self.step != 0 {
            return Err(Msg::new(RANGE_DIVIDE));
        }
        Ok(())
    }

    /// The editor's field a message of `check` is about: `qmin`, `qmax` or `qstep`.
    pub fn field_of(message: &Msg) -> &'static str {
        match message.key.as_ref() {
            RANGE_STEP | RANGE_DIVIDE => "qstep",
            RANGE_MAX => "qmax",
            _ => "qmin",
        }
    }

    /// The quantity lies within min..=max and on the step (min + k*step).
    pub fn accepts(&self, quantity: i64) -> Result<(), Msg> {
        // A broken range accepts nothing, and its step could be zero.
        self.check()?;
        // Numbers as text: every digit of an i64 kept (a message's numbers are floats).
        if quantity < self.min {
            return Err(Msg::new("products-quantity-min").arg("min", self.min.to_string()));
        }
        if quantity > self.max {
            return Err(Msg::new("products-quantity-max").arg("max", self.max.to_string()));
        }
        if (quantity - self.min) % self.step != 0 {
            return Err(Msg::new("products-quantity-step")
                .arg("step", self.step.to_string())
                .arg("min", self.min.to_string()));
        }
        Ok(())
    }
}

const RANGE_MIN: &str = "products-range-min";
const RANGE_MAX: &str = "products-range-max";
const RANGE_STEP: &str = "products-range-step";
const RANGE_DIVIDE: &str = "products-range-divide";

/// A price band [from, to) with a unit price; `to: None` = open-ended (only the last band).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from: i64,
    pub to: Option<i64>,
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitPricing {
    Linear { unit_price: Decimal },
    Tiered { bands: Vec<Band> },
}

impl UnitPricing {
    /// Linear: unit price valid. Tiered: at least one band; the first starts at range.min;
    /// bands touch without gaps or overlaps (next.from == previous.to); each to > from; only the
    /// last band may be open-ended; a closed last band must cover range.max (to > max); prices valid.
    pub fn check(&self, range: &QuantityRange) -> Result<(), Msg> {
        let bands = match self {
            UnitPricing::Linear { unit_price } => return check_price(*unit_price),
            UnitPricing::Tiered { bands } => bands,
        };
        let (first, last) = match (bands.first(), bands.last()) {
            (Some(first), Some(last)) => (first, last),
            _ => return Err(Msg::new("products-bands-none")),
        };
        if first.from != range.min {
            return Err(Msg::new("products-bands-first").arg("min", range.min.to_string()));
        }
        for (i, band) in bands.iter().enumerate() {
            match band.to {
                Some(to) if to <= band.from => return Err(Msg::new("products-bands-order")),
                None if i + 1 < bands.len() => return Err(Msg::new("products-bands-open")),
                _ => {}
            }
            if let Some(next) = bands.get(i + 1) {
                if band.to != Some(next.from) {
                    return Err(Msg::new("products-bands-touch"));
                }
            }
            check_price(band.unit_price)?;
        }
        if let Some(to) = last.to {
            if to <= range.max {
                return Err(Msg::new("products-bands-last").arg("max", range.max.to_string()));
            }
        }
        Ok(())
    }

    /// Linear: unit_price × quantity. Tiered is graduated: each unit is priced by the band it falls
    /// in (units from..to-1 of a band cost its unit price), so the total never decreases.
    /// A quantity below 1 buys nothing.
    pub fn total(&self, quantity: i64) -> Decimal {
        if quantity < 1 {
            return Decimal::ZERO;
        }
        match self {
            UnitPricing::Linear { unit_price } => {
                unit_price.saturating_mul(Decimal::from(quantity))
            }
            UnitPricing::Tiered { bands } => {
                let quantity = i128::from(quantity);
                let last = bands.len().saturating_sub(1);
                let mut total = Decimal::ZERO;
                for (i, band) in bands.iter().enumerate() {
                    // Bands start at the minimum purchase, not at unit 1, yet the units below it are
                    // bought too: they cost the first band's price rather than nothing. Likewise
                    // units past a closed last band (only an unchecked list has them) cost its price.
                    let low = if i == 0 {
                        1
                    } else {
                        i128::from(band.from).max(1)
                    };
                    let high = match band.to {
                        Some(to) if i != last => (i128::from(to) - 1).min(quantity),
                        _ => quantity,
                    };
                    let units = high - low + 1;
                    if units > 0 {
                        let units = Decimal::from(i64::try_from(units).unwrap_or(i64::MAX));
                        total = total.saturating_add(band.unit_price.saturating_mul(units));
                    }
                }
                total
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    Flat(Decimal),
    PerUnit(UnitPricing),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Year,
    Once,
    Hour,
}

impl PeriodKind {
    /// As in "Enter the monthly price.": a message's argument.
    pub fn label(self) -> Msg {
        Msg::new(match self {
            PeriodKind::Month => "products-period-month",
            PeriodKind::Year => "products-period-year",
            PeriodKind::Once => "products-period-once",
            PeriodKind::Hour => "products-period-hour",
        })
    }
}

/// YearlyMonthly -> [Month, Year]; OneTime -> [Once]; PayPerUse -> [Hour].
pub fn period_kinds(mode: BillingMode) -> &'static [PeriodKind] {
    match mode {
        BillingMode::YearlyMonthly => &[PeriodKind::Month, PeriodKind::Year],
        BillingMode::OneTime => &[PeriodKind::Once],
        BillingMode::PayPerUse => &[PeriodKind::Hour],
    }
}

/// What a buyer buys: a number of months, years or hours, or a one-time purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Months(u32),
    Years(u32),
    Once,
    Hours(u32),
}

impl Period {
    pub fn kind(&self) -> PeriodKind {
        match self {
            Period::Months(_) => PeriodKind::Month,
            Period::Years(_) => PeriodKind::Year,
            Period::Once => PeriodKind::Once,
            Period::Hours(_) => PeriodKind::Hour,
        }
    }

    /// How many times the period's price is charged; a one-time purchase is charged once.
    pub fn count(&self) -> u32 {
        match self {
            Period::Months(n) | Period::Years(n) | Period::Hours(n) => *n,
            Period::Once => 1,
        }
    }
}

/// The prices of one SKU: one Amount per period kind of its billing mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuPrices {
    pub amounts: Vec<(PeriodKind, Amount)>,
}

impl SkuPrices {
    /// Exactly one amount per period kind of `mode`, none other; PerUnit amounts only when the
    /// specification has a quantity range (and each checked against it); Flat only when it has none.
    pub fn check(&self, mode: BillingMode, range: Option<&QuantityRange>) -> Result<(), Msg> {
        let kinds = period_kinds(mode);
        for (i, (kind, amount)) in self.amounts.iter().enumerate() {
            if !kinds.contains(kind) {
                return Err(Msg::new("products-price-wrong-kind")
                    .arg("mode", Msg::new(mode.key()))
                    .arg("kind", kind.label()));
            }
            if self.amounts[..i].iter().any(|(k, _)| k == kind) {
                return Err(Msg::new("products-price-twice").arg("kind", kind.label()));
            }
            check_amount(amount, range)?;
        }
        for kind in kinds {
            if !self.amounts.iter().any(|(k, _)| k == kind) {
                return Err(Msg::new("products-price-missing-kind").arg("kind", kind.label()));
            }
        }
        Ok(())
    }
}

/// The amount's shape must match the specification: per unit exactly when it has a quantity.
fn check_amount(amount: &Amount, range: Option<&QuantityRange>) -> Result<(), Msg> {
    match (amount, range) {
        (Amount::Flat(price), None) => check_price(*price),
        (Amount::PerUnit(pricing), Some(range)) => pricing.check(range),
        (Amount::Flat(_), Some(_)) => Err(Msg::new("products-price-per-unit-needed")),
        (Amount::PerUnit(_), None) => Err(Msg::new("products-price-flat-needed")),
    }
}

/// Why a price cannot be given; each message is meant for the field it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteError {
    /// The billing period does not belong to the billing mode, or buys too few or too many.
    WrongPeriod(Msg),
    /// The quantity is missing, not wanted, or not one the range accepts.
    Quantity(Msg),
    /// The SKU's prices cannot price this purchase.
    NoPrice(Msg),
}

impl QuoteError {
    pub fn message(&self) -> &Msg {
        match self {
            QuoteError::WrongPeriod(m) | QuoteError::Quantity(m) | QuoteError::NoPrice(m) => m,
        }
    }
}

impl fmt::Display for QuoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for QuoteError {}

fn check_period(mode: BillingMode, period: &Period) -> Result<(), Msg> {
    if !period_kinds(mode).contains(&period.kind()) {
        return Err(Msg::new(match mode {
            BillingMode::YearlyMonthly => "products-period-bought-yearly-monthly",
            BillingMode::OneTime => "products-period-bought-one-time",
            BillingMode::PayPerUse => "products-period-bought-pay-per-use",
        }));
    }
    match *period {
        Period::Months(n) if !(1..=MAX_MONTHS).contains(&n) => {
            Err(Msg::new("products-period-months"))
        }
        Period::Years(n) if !(1..=MAX_YEARS).contains(&n) => Err(Msg::new("products-period-years")),
        Period::Hours(0) => Err(Msg::new("products-period-hours")),
        _ => Ok(()),
    }
}

/// Price of one SKU for a quantity and a billing period: amount for the period's kind (flat, or
/// the unit pricing total for the quantity) × the number of periods. Buyers buy 1–11 months,
/// 1–3 years, once, or 1+ hours (pay-per-use). A quantity is required iff a range is given.
///
/// Only the amount this purchase uses is checked, so a draft missing its yearly price can still
/// preview a monthly one.
pub fn quote(
    mode: BillingMode,
    range: Option<&QuantityRange>,
    prices: &SkuPrices,
    quantity: Option<i64>,
    period: &Period,
) -> Result<Decimal, QuoteError> {
    check_period(mode, period).map_err(QuoteError::WrongPeriod)?;
    let quantity = match (range, quantity) {
        (Some(range), Some(quantity)) => {
            range.accepts(quantity).map_err(QuoteError::Quantity)?;
            quantity
        }
        (Some(_), None) => {
            return Err(QuoteError::Quantity(Msg::new(
                "products-quote-quantity-needed",
            )))
        }
        (None, Some(_)) => {
            return Err(QuoteError::Quantity(Msg::new("products-quote-no-quantity")))
        }
        (None, None) => 1,
    };
    let kind = period.kind();
    let amount = prices
        .amounts
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, amount)| amount)
        .ok_or_else(|| {
            QuoteError::NoPrice(Msg::new("products-quote-no-price").arg("kind", kind.label()))
        })?;
    check_amount(amount, range).map_err(QuoteError::NoPrice)?;
    let per_period = match amount {
        Amount::Flat(price) => *price,
        Amount::PerUnit(pricing) => pricing.total(quantity),
    };
    per_period
        .checked_mul(Decimal::from(period.count()))
        .ok_or_else(|| QuoteError::NoPrice(Msg::new("products-quote-too-large")))
}

/// Parses a price typed by a seller: plain decimal like "12", "12.5", "0.99"; refuses negative,
/// non-numeric, exponent notation, more than 2 decimal places, and more than 1 000 000 000.
pub fn parse_money(input: &str) -> Result<Decimal, Msg> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Msg::new("products-price-empty"));
    }
    if text.starts_with('-') {
        return Err(Msg::new("products-price-negative"));
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(whole) || !fraction.is_none_or(digits_only) {
        return Err(Msg::new("products-price-plain"));
    }
    if fraction.is_some_and(|f| f.len() > MAX_DECIMAL_PLACES as usize) {
        return Err(Msg::new("products-price-decimals"));
    }
    // Checked on the digits, since a long enough number would not even parse.
    if whole.trim_start_matches('0').len() > 10 {
        return Err(Msg::new("products-price-too-high"));
    }
    let amount: Decimal = text.parse().map_err(|_| Msg::new("products-price-plain"))?;
    check_price(amount)?;
    Ok(amount)
}

/// Money is stored as i64 minor units (cents) in the database.
/// `None` when the amount has fractions of a cent or does not fit.
pub fn to_minor_units(amount: Decimal) -> Option<i64> {
    let cents = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    if !cents.fract().is_zero() {
        return None;
    }
    cents.to_i64()
}

pub fn from_minor_units(minor: i64) -> Decimal {
    Decimal::new(minor, MAX_DECIMAL_PLACES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    /// A result's message as an English reader reads it.
    fn en<T>(result: Result<T, Msg>) -> Result<T, String> {
        result.map_err(|m| m.render(crate::i18n::Lang::En))
    }

    fn range(min: i64, max: i64, step: i64) -> QuantityRange {
        QuantityRange { min, max, step }
    }

    fn band(from: i64, to: Option<i64>, unit_price: Decimal) -> Band {
        Band {
            from,
            to,
            unit_price,
        }
    }

    fn tiered() -> UnitPricing {
        UnitPricing::Tiered {
            bands: vec![
                band(1, Some(11), dec!(10)),
                band(11, Some(51), dec!(8)),
                band(51, None, dec!(5.5)),
            ],
        }
    }

    fn monthly_yearly(month: Decimal, year: Decimal) -> SkuPrices {
        SkuPrices {
            amounts: vec![
                (PeriodKind::Month, Amount::Flat(month)),
                (PeriodKind::Year, Amount::Flat(year)),
            ],
        }
    }

    #[test]
    fn a_range_needs_a_positive_minimum_an_ordered_maximum_and_a_dividing_step() {
        assert_eq!(range(1, 100, 1).check(), Ok(()));
        assert_eq!(range(10, 100, 10).check(), Ok(()));
        assert_eq!(range(5, 5, 3).check(), Ok(()));
        assert!(range(0, 10, 1).check().is_err());
        assert_eq!(
            en(range(10, 5, 1).check()),
            Err("The maximum must not be less than the minimum.".to_string())
        );
        assert!(range(1, 10, 0).check().is_err());
        assert!(range(1, 10, -2).check().is_err());
        assert!(range(1, 10, 2).check().is_err());
        assert!(range(1, i64::MAX, 1).check().is_ok());
    }

    #[test]
    fn a_quantity_must_lie_on_the_step_between_min_and_max() {
        let r = range(10, 100, 10);
        assert_eq!(r.accepts(10), Ok(()));
        assert_eq!(r.accepts(40), Ok(()));
        assert_eq!(r.accepts(100), Ok(()));
        assert!(r.accepts(0).is_err());
        assert!(r.accepts(45).is_err());
        assert!(r.accepts(110).is_err());
        assert!(r.accepts(i64::MIN).is_err());
        assert!(r.accepts(i64::MAX).is_err());
    }

    #[test]
    fn a_broken_range_accepts_no_quantity_and_does_not_panic() {
        assert!(range(1, 10, 0).accepts(5).is_err());
        assert!(range(10, 1, 1).accepts(5).is_err());
    }

    #[test]
    fn contiguous_bands_from_the_minimum_pass() {
        assert_eq!(tiered().check(&range(1, 1000, 1)), Ok(()));
        let closed = UnitPricing::Tiered {
            bands: vec![band(1, Some(11), dec!(10)), band(11, Some(101), dec!(8))],
        };
        assert_eq!(closed.check(&range(1, 100, 1)), Ok(()));
    }

    #[test]
    fn bands_with_gaps_overlaps_or_a_wrong_start_are_refused() {
        let r = range(1, 100, 1);
        let check = |bands: Vec<Band>| UnitPricing::Tiered { bands }.check(&r);
        assert_eq!(
            en(check(vec![])),
            Err("Add at least one price band.".to_string())
        );
        assert!(check(vec![band(2, None, dec!(1))]).is_err());
        assert!(check(vec![band(1, Some(10), dec!(1)), band(11, None, dec!(1))]).is_err());
        assert!(check(vec![band(1, Some(10), dec!(1)), band(9, None, dec!(1))]).is_err());
        assert!(check(vec![band(1, Some(1), dec!(1)), band(1, None, dec!(1))]).is_err());
        assert!(check(vec![band(1, None, dec!(1)), band(10, None, dec!(1))]).is_err());
        assert!(check(vec![band(1, None, dec!(-1))]).is_err());
        assert!(check(vec![band(1, None, dec!(0.001))]).is_err());
    }

    #[test]
    fn a_closed_last_band_must_cover_the_maximum() {
        let bands = UnitPricing::Tiered {
            bands: vec![band(1, Some(100), dec!(1))],
        };
        assert!(bands.check(&range(1, 100, 1)).is_err());
        assert_eq!(bands.check(&range(1, 99, 1)), Ok(()));
    }

    #[test]
    fn tiered_total_prices_each_unit_by_its_band() {
        let p = tiered();
        assert_eq!(p.total(1), dec!(10));
        assert_eq!(p.total(10), dec!(100));
        assert_eq!(p.total(11), dec!(108));
        assert_eq!(p.total(50), dec!(420));
        assert_eq!(p.total(52), dec!(431));
        assert_eq!(p.total(0), Decimal::ZERO);
        assert_eq!(p.total(-5), Decimal::ZERO);
    }

    #[test]
    fn units_below_the_first_band_cost_the_first_bands_price() {
        let p = UnitPricing::Tiered {
            bands: vec![band(5, Some(10), dec!(2)), band(10, None, dec!(1))],
        };
        assert_eq!(p.total(5), dec!(10));
        assert_eq!(p.total(12), dec!(21));
    }

    #[test]
    fn huge_totals_saturate_instead_of_panicking() {
        let p = UnitPricing::Linear {
            unit_price: Decimal::MAX,
        };
        assert_eq!(p.total(i64::MAX), Decimal::MAX);
        let t = UnitPricing::Tiered {
            bands: vec![band(i64::MIN, Some(i64::MIN), Decimal::MAX)],
        };
        let _ = t.total(i64::MAX);
    }

    #[test]
    fn sku_prices_need_exactly_the_periods_of_the_billing_mode() {
        let ym = monthly_yearly(dec!(10), dec!(100));
        assert_eq!(ym.check(BillingMode::YearlyMonthly, None), Ok(()));
        assert!(ym.check(BillingMode::OneTime, None).is_err());
        let only_month = SkuPrices {
            amounts: vec![(PeriodKind::Month, Amount::Flat(dec!(10)))],
        };
        assert_eq!(
            en(only_month.check(BillingMode::YearlyMonthly, None)),
            Err("Enter the yearly price.".to_string())
        );
        let twice = SkuPrices {
            amounts: vec![
                (PeriodKind::Once, Amount::Flat(dec!(10))),
                (PeriodKind::Once, Amount::Flat(dec!(12))),
            ],
        };
        assert_eq!(
            en(twice.check(BillingMode::OneTime, None)),
            Err("Enter only one one-time price.".to_string())
        );
    }

    #[test]
    fn per_unit_prices_go_with_a_quantity_and_flat_prices_without() {
        let r = range(1, 100, 1);
        let per_unit = SkuPrices {
            amounts: vec![(PeriodKind::Hour, Amount::PerUnit(tiered()))],
        };
        assert_eq!(per_unit.check(BillingMode::PayPerUse, Some(&r)), Ok(()));
        assert!(per_unit.check(BillingMode::PayPerUse, None).is_err());
        let flat = SkuPrices {
            amounts: vec![(PeriodKind::Hour, Amount::Flat(dec!(3)))],
        };
        assert_eq!(flat.check(BillingMode::PayPerUse, None), Ok(()));
        assert!(flat.check(BillingMode::PayPerUse, Some(&r)).is_err());
        let bad_bands = SkuPrices {
            amounts: vec![(PeriodKind::Hour, Amount::PerUnit(tiered()))],
        };
        assert!(bad_bands
            .check(BillingMode::PayPerUse, Some(&range(2, 100, 1)))
            .is_err());
    }

    #[test]
    fn a_quote_multiplies_the_period_price_by_the_number_of_periods() {
        let ym = monthly_yearly(dec!(9.99), dec!(99));
        let q = |p: Period| quote(BillingMode::YearlyMonthly, None, &ym, None, &p);
        assert_eq!(q(Period::Months(3)), Ok(dec!(29.97)));
        assert_eq!(q(Period::Years(2)), Ok(dec!(198)));
        let per_unit = SkuPrices {
            amounts: vec![(PeriodKind::Once, Amount::PerUnit(tiered()))],
        };
        let r = range(1, 100, 1);
        assert_eq!(
            quote(
                BillingMode::OneTime,
                Some(&r),
                &per_unit,
                Some(11),
                &Period::Once
            ),
            Ok(dec!(108))
        );
    }

    #[test]
    fn buyers_buy_1_to_11_months_1_to_3_years_or_at_least_an_hour() {
        let ym = monthly_yearly(dec!(1), dec!(10));
        let q = |p: Period| quote(BillingMode::YearlyMonthly, None, &ym, None, &p);
        assert!(matches!(
            q(Period::Months(12)),
            Err(QuoteError::WrongPeriod(_))
        ));
        assert!(matches!(
            q(Period::Months(0)),
            Err(QuoteError::WrongPeriod(_))
        ));
        assert!(matches!(
            q(Period::Years(4)),
            Err(QuoteError::WrongPeriod(_))
        ));
        assert!(matches!(q(Period::Once), Err(QuoteError::WrongPeriod(_))));
        assert!(matches!(
            q(Period::Hours(1)),
            Err(QuoteError::WrongPeriod(_))
        ));
        let hourly = SkuPrices {
            amounts: vec![(PeriodKind::Hour, Amount::Flat(dec!(0.5)))],
        };
        let h = |p: Period| quote(BillingMode::PayPerUse, None, &hourly, None, &p);
        assert!(matches!(
            h(Period::Hours(0)),
            Err(QuoteError::WrongPeriod(_))
        ));
        assert_eq!(h(Period::Hours(1000)), Ok(dec!(500)));
    }

    #[test]
    fn a_quantity_is_required_exactly_when_there_is_a_range() {
        let r = range(1, 10, 1);
        let per_unit = SkuPrices {
            amounts: vec![(
                PeriodKind::Once,
                Amount::PerUnit(UnitPricing::Linear {
                    unit_price: dec!(2),
                }),
            )],
        };
        let flat = SkuPrices {
            amounts: vec![(PeriodKind::Once, Amount::Flat(dec!(2)))],
        };
        let missing = quote(
            BillingMode::OneTime,
            Some(&r),
            &per_unit,
            None,
            &Period::Once,
        );
        assert!(matches!(missing, Err(QuoteError::Quantity(_))));
        assert_eq!(
            missing.unwrap_err().to_string(),
            "Enter a quantity.".to_string()
        );
        assert!(matches!(
            quote(BillingMode::OneTime, None, &flat, Some(3), &Period::Once),
            Err(QuoteError::Quantity(_))
        ));
        assert_eq!(
            quote(BillingMode::OneTime, None, &flat, None, &Period::Once),
            Ok(dec!(2))
        );
    }

    #[test]
    fn a_quote_without_a_usable_price_says_so() {
        let only_month = SkuPrices {
            amounts: vec![(PeriodKind::Month, Amount::Flat(dec!(10)))],
        };
        let q = |p: Period| quote(BillingMode::YearlyMonthly, None, &only_month, None, &p);
        assert_eq!(q(Period::Months(2)), Ok(dec!(20)));
        assert!(matches!(q(Period::Years(1)), Err(QuoteError::NoPrice(_))));
        let mismatched = SkuPrices {
            amounts: vec![(PeriodKind::Once, Amount::Flat(dec!(10)))],
        };
        assert!(matches!(
            quote(
                BillingMode::OneTime,
                Some(&range(1, 10, 1)),
                &mismatched,
                Some(2),
                &Period::Once
            ),
            Err(QuoteError::NoPrice(_))
        ));
    }

    #[test]
    fn money_parses_plain_decimals_only() {
        assert_eq!(parse_money("12"), Ok(dec!(12)));
        assert_eq!(parse_money(" 12.5 "), Ok(dec!(12.5)));
        assert_eq!(parse_money("0.99"), Ok(dec!(0.99)));
        assert_eq!(parse_money("1000000000"), Ok(dec!(1000000000)));
        assert_eq!(parse_money("0001.50"), Ok(dec!(1.5)));
        for bad in [
            "", "abc", "1e3", "1E3", "+5", "12.", ".5", "1,000", "1 000", "NaN", "inf", "١٢",
            "12.5.1", "0x10",
        ] {
            assert!(parse_money(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(
            en(parse_money("-1")),
            Err("A price cannot be negative.".to_string())
        );
        assert_eq!(
            en(parse_money("1.999")),
            Err("Use at most 2 decimal places.".to_string())
        );
        assert!(parse_money("1000000000.01").is_err());
        assert!(parse_money("99999999999999999999999999999999999999").is_err());
    }

    #[test]
    fn minor_units_refuse_fractions_of_a_cent_and_overflow() {
        assert_eq!(to_minor_units(dec!(12.34)), Some(1234));
        assert_eq!(to_minor_units(dec!(12.345)), None);
        assert_eq!(to_minor_units(Decimal::MAX), None);
        assert_eq!(from_minor_units(1234), dec!(12.34));
        assert_eq!(from_minor_units(-5), dec!(-0.05));
    }

    fn contiguous_bands() -> impl Strategy<Value = (QuantityRange, Vec<Band>)> {
        (
            1i64..100,
            prop::collection::vec((1i64..50, 0i64..1_000_000), 1..6),
            any::<bool>(),
        )
            .prop_map(|(min, widths, open)| {
                let mut from = min;
                let mut bands = Vec::new();
                for (width, cents) in &widths {
                    bands.push(band(from, Some(from + width), from_minor_units(*cents)));
                    from += width;
                }
                let max = if open {
                    if let Some(last) = bands.last_mut() {
                        last.to = None;
                    }
                    from + 100
                } else {
                    from - 1
                };
                (range(min, max, 1), bands)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn linear_price_equals_unit_price_times_quantity_exactly(
            cents in 0i64..=100_000_000_000,
            quantity in 1i64..=1_000_000_000,
        ) {
            let pricing = UnitPricing::Linear { unit_price: from_minor_units(cents) };
            let exact = Decimal::from_i128_with_scale(i128::from(cents) * i128::from(quantity), 2);
            prop_assert_eq!(pricing.total(quantity), exact);
        }

        #[test]
        fn tiered_price_never_decreases_as_quantity_grows(
            (r, bands) in contiguous_bands(),
            quantity in 0i64..400,
        ) {
            let pricing = UnitPricing::Tiered { bands: bands.clone() };
            prop_assert_eq!(pricing.check(&r), Ok(()));
            let step = pricing.total(quantity + 1) - pricing.total(quantity);
            prop_assert!(step >= Decimal::ZERO);
            // Graduated: the extra unit costs exactly the price of the band it falls in.
            if quantity + 1 >= r.min {
                let unit = quantity + 1;
                let price = bands
                    .iter()
                    .find(|b| b.from <= unit && b.to.is_none_or(|to| unit < to))
                    .or(bands.last())
                    .map(|b| b.unit_price);
                prop_assert_eq!(Some(step), price);
            }
        }

        #[test]
        fn a_quantity_outside_the_range_or_off_step_is_refused(
            min in 1i64..1000,
            step in 1i64..50,
            steps in 0i64..100,
            quantity in -100i64..7000,
        ) {
            let r = range(min, min + steps * step, step);
            prop_assert_eq!(r.check(), Ok(()));
            let valid = quantity >= r.min && quantity <= r.max && (quantity - r.min) % step == 0;
            let prices = SkuPrices {
                amounts: vec![(
                    PeriodKind::Once,
                    Amount::PerUnit(UnitPricing::Linear { unit_price: dec!(1.25) }),
                )],
            };
            let quoted = quote(BillingMode::OneTime, Some(&r), &prices, Some(quantity), &Period::Once);
            if valid {
                prop_assert_eq!(r.accepts(quantity), Ok(()));
                prop_assert_eq!(quoted, Ok(dec!(1.25) * Decimal::from(quantity)));
            } else {
                prop_assert!(r.accepts(quantity).is_err());
                prop_assert!(matches!(quoted, Err(QuoteError::Quantity(_))));
            }
        }

        #[test]
        fn parsed_money_round_trips_through_minor_units(
            cents in 0i64..=100_000_000_000,
            style in 0u8..3,
        ) {
            let text = match style {
                0 => format!("{}.{:02}", cents / 100, cents % 100),
                1 if cents % 10 == 0 => format!("{}.{}", cents / 100, (cents % 100) / 10),
                _ if cents % 100 == 0 => format!("{}", cents / 100),
                _ => format!("{}.{:02}", cents / 100, cents % 100),
            };
            let parsed = parse_money(&text);
            prop_assert!(parsed.is_ok(), "{} was refused", text);
            let amount = parsed.unwrap_or_default();
            prop_assert_eq!(to_minor_units(amount), Some(cents));
            prop_assert_eq!(from_minor_units(cents), amount);
        }
    }
}
