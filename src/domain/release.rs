//! Release requirements the console checks before submission, so reviewers need not (SPEC §5).

use once_cell::sync::Lazy;
use regex::Regex;

use super::statuses::{BillingMode, DeliveryMethod};
use crate::i18n::Msg;

pub const MIN_NAME_CHARS: usize = 2;
pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_VERSION_CHARS: usize = 20;

/// The marketplace operator's brands, compared on letters and digits only so "Koo Gallery" counts.
const OPERATOR_BRANDS: [&str; 2] = ["huawei", "koogallery"];

/// `None` only if a pattern below failed to compile, which `every_pattern_compiles` rules out;
/// it keeps a typo from turning into a panic on a seller's request.
type Pattern = Lazy<Option<Regex>>;

fn found<'a>(pattern: &Pattern, text: &'a str) -> Option<regex::Match<'a>> {
    pattern.as_ref().and_then(|re| re.find(text))
}

/// Any currency sign, or an amount written with a currency code or word. CAD and PHP are left
/// out: in a software name they are far more likely to mean the software than the money.
static PRICE: Pattern = Lazy::new(|| {
    Regex::new(
        r"(?i)\p{Sc}|\d\s*元|\b(?:usd|eur|gbp|jpy|cny|rmb|hkd|sgd|aud|nzd|chf|inr|krw|rub|brl)\s*\d|\d\s*(?:usd|eur|gbp|jpy|cny|rmb|hkd|sgd|aud|nzd|chf|inr|krw|rub|brl|dollars?|euros?|yuan)\b",
    )
    .ok()
});

/// "V2", "v1.0": a v straight before a number.
static V_VERSION: Pattern = Lazy::new(|| Regex::new(r"(?i)\bv\d+(?:\.\d+)*\b").ok());

/// "2.3.1", "3.12": dotted numbers (a percentage such as "99.9%" is let through).
static DOTTED_NUMBER: Pattern = Lazy::new(|| Regex::new(r"\b\d+(?:\.\d+)+\b").ok());

/// A run of digits with the separators phone numbers are written with.
static PHONE_LIKE: Pattern = Lazy::new(|| Regex::new(r"\+?\(?\d[\d \-()]*").ok());

static PROMOTIONAL: Pattern = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:free|promotion|discount|sale|cheap|best|limited\s+offer|hot)\b").ok()
});

static VERSION: Pattern = Lazy::new(|| Regex::new(r"^V[0-9]+(?:\.[0-9]+)*$").ok());

fn has_version_number(name: &str) -> bool {
    if found(&V_VERSION, name).is_some() {
        return true;
    }
    DOTTED_NUMBER.as_ref().is_some_and(|re| {
        re.find_iter(name)
            .any(|m| !name[m.end()..].starts_with('%'))
    })
}

/// 6+ digits in a row, or a number written the way phones are: with a leading +, or in 3+ groups
/// joined by dashes or brackets. Plain spaces alone are not enough, so "Office 365 2021" passes.
fn has_phone_number(name: &str) -> bool {
    let Some(re) = PHONE_LIKE.as_ref() else {
        return false;
    };
    re.find_iter(name).any(|m| {
        let text = m.as_str().trim_end_matches(|c: char| !c.is_numeric());
        let is_separator = |c: char| matches!(c, ' ' | '-' | '(' | ')' | '+');
        let groups: Vec<&str> = text.split(is_separator).filter(|g| !g.is_empty()).collect();
        let digits: usize = groups.iter().map(|g| g.chars().count()).sum();
        let longest_run = groups.iter().map(|g| g.chars().count()).max().unwrap_or(0);
        let written_as_phone = text.contains(['-', '(', ')']) && groups.len() >= 3;
        longest_run >= 6
            || (text.starts_with('+') && digits >= 6)
            || (written_as_phone && digits >= 7)
    })
}

fn uses_operator_brand(name: &str) -> bool {
    let letters: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    OPERATOR_BRANDS.iter().any(|brand| letters.contains(brand))
}

/// Product name: 2–60 chars; no price (currency signs or codes with digits, e.g. "$9", "99 USD", "¥"),
/// no version number (e.g. "V2", "v1.0", "2.3.1"), no phone number (6+ digit runs), no promotional
/// words (free, promotion, discount, sale, cheap, best, limited offer, hot — whole words,
/// case-insensitive), not the marketplace operator's brand (huawei, koogallery), and unique among
/// `other_names` (the seller's other products, compared case-insensitively, trimmed).
pub fn check_name(name: &str, other_names: &[String]) -> Result<(), Msg> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err(Msg::new("products-name-empty"));
    }
    if !(MIN_NAME_CHARS..=MAX_NAME_CHARS).contains(&chars) {
        return Err(Msg::new("products-name-length")
            .arg("min", MIN_NAME_CHARS)
            .arg("max", MAX_NAME_CHARS));
    }
    if found(&PRICE, name).is_some() {
        return Err(Msg::new("products-name-price"));
    }
    if has_version_number(name) {
        return Err(Msg::new("products-name-version"));
    }
    if has_phone_number(name) {
        return Err(Msg::new("products-name-phone"));
    }
    if let Some(word) = found(&PROMOTIONAL, name) {
        return Err(Msg::new("products-name-promotional").arg("word", word.as_str()));
    }
    if uses_operator_brand(name) {
        return Err(Msg::new("products-name-brand"));
    }
    let folded = name.to_lowercase();
    if other_names
        .iter()
        .any(|other| other.trim().to_lowercase() == folded)
    {
        return Err(Msg::new("products-name-taken"));
    }
    Ok(())
}

/// `V1.0` form: a capital V, then numbers separated by dots (V1, V1.0, V2.10.3); at most 20 chars.
pub fn check_version(version: &str) -> Result<(), Msg> {
    let version = version.trim();
    if version.is_empty() {
        return Err(Msg::new("products-version-empty"));
    }
    if version.chars().count() > MAX_VERSION_CHARS {
        return Err(Msg::new("products-version-long").arg("max", MAX_VERSION_CHARS));
    }
    if found(&VERSION, version).is_none() {
        return Err(Msg::new("products-version-form"));
    }
    Ok(())
}

/// Average delivery duration in calendar days: an integer 1–365 (Err otherwise); Ok(Some(warning))
/// outside 2–90: "Reviewers may reject a duration outside 2–90 days."; Ok(None) otherwise.
pub fn check_delivery_duration(input: &str) -> Result<Option<Msg>, Msg> {
    let text = input.trim();
    let days = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<u32>().ok()
    } else {
        None
    };
    match days {
        Some(days @ 1..=365) if !(2..=90).contains(&days) => {
            Ok(Some(Msg::new("products-duration-warning")))
        }
        Some(1..=365) => Ok(None),
        _ => Err(Msg::new("products-duration-invalid")),
    }
}

/// The billing mode is allowed for the method (BillingMode::allowed_for); more than one SKU only
/// where method.allows_multi_sku(); pay-per-use never has a purchase limit.
///
/// Also refused: a specification without any SKU, and a purchase limit below 1, which would keep
/// every buyer out.
pub fn check_billing(
    method: DeliveryMethod,
    mode: BillingMode,
    sku_count: usize,
    purchase_limit: Option<i64>,
) -> Result<(), Msg> {
    if !BillingMode::allowed_for(method).contains(&mode) {
        return Err(Msg::new("products-billing-not-for-method")
            .arg("mode", Msg::new(mode.key()))
            .arg("method", Msg::new(method.key())));
    }
    if sku_count == 0 {
        return Err(Msg::new("products-billing-no-sku"));
    }
    if sku_count > 1 && !method.allows_multi_sku() {
        return Err(Msg::new("products-billing-single-sku").arg("method", Msg::new(method.key())));
    }
    match purchase_limit {
        Some(_) if mode == BillingMode::PayPerUse => Err(Msg::new("products-billing-ppu-limit")),
        Some(limit) if limit < 1 => Err(Msg::new("products-billing-limit-min")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A result's message as an English reader reads it.
    fn en<T>(result: Result<T, Msg>) -> Result<T, String> {
        result.map_err(|m| m.render(crate::i18n::Lang::En))
    }

    fn name_ok(name: &str) -> bool {
        check_name(name, &[]).is_ok()
    }

    #[test]
    fn every_pattern_compiles() {
        for pattern in [
            &PRICE,
            &V_VERSION,
            &DOTTED_NUMBER,
            &PHONE_LIKE,
            &PROMOTIONAL,
            &VERSION,
        ] {
            assert!(pattern.is_some());
        }
    }

    #[test]
    fn ordinary_product_names_pass() {
        for name in [
            "Cloud Backup Manager",
            "AutoCAD Viewer",
            "Office 365 2021 Migration",
            "IPv6 Gateway",
            "Hotel Booking Engine",
            "Sales CRM",
            "FreeBSD Hardening Service",
            "Web Hosting 99.9% Uptime",
            "Windows Server 2019 Image",
            "数据库迁移服务",
        ] {
            assert!(
                name_ok(name),
                "{name:?} was refused: {:?}",
                check_name(name, &[])
            );
        }
    }

    #[test]
    fn names_are_2_to_60_characters_after_trimming() {
        assert!(!name_ok(""));
        assert!(!name_ok("  A  "));
        assert!(name_ok("AB"));
        assert!(name_ok(&"数".repeat(60)));
        assert!(!name_ok(&"a".repeat(61)));
    }

    #[test]
    fn names_with_a_price_are_refused() {
        for name in [
            "Backup $9",
            "Backup 99 USD",
            "Backup ¥",
            "Backup €5/month",
            "Backup usd9",
            "Backup 30元",
            "Backup 5 dollars",
        ] {
            assert_eq!(
                en(check_name(name, &[])),
                Err("The product name must not contain a price.".to_string()),
                "{name:?}"
            );
        }
    }

    #[test]
    fn names_with_a_version_number_are_refused() {
        for name in [
            "Backup V2",
            "Backup v1.0",
            "Backup 2.3.1",
            "Python 3.12 Runtime",
        ] {
            assert!(!name_ok(name), "{name:?} was accepted");
        }
    }

    #[test]
    fn names_with_a_phone_number_are_refused() {
        for name in [
            "Call 4008208820",
            "Backup +86 755 2878 0808",
            "Backup 400-820-8820",
            "Backup (020) 7946-0958",
            "Backup 123456",
        ] {
            assert!(!name_ok(name), "{name:?} was accepted");
        }
        assert!(name_ok("Backup 12345"));
    }

    #[test]
    fn promotional_words_are_refused_as_whole_words_in_any_case() {
        for name in [
            "Free Backup",
            "Backup PROMOTION",
            "Discount Backup",
            "Backup Sale",
            "Cheap Backup",
            "Best Backup",
            "Backup Limited  Offer",
            "Hot Backup",
        ] {
            assert!(!name_ok(name), "{name:?} was accepted");
        }
        assert_eq!(
            en(check_name("Backup for free", &[])),
            Err(
                "The product name must not contain promotional words such as \"free\".".to_string()
            )
        );
        assert!(name_ok("Freedom Backup"));
        assert!(name_ok("Bestow Backup"));
    }

    #[test]
    fn the_operator_brand_is_refused() {
        for name in [
            "Huawei Backup",
            "KooGallery Tools",
            "Koo Gallery Tools",
            "HUAWEICLOUD Sync",
        ] {
            assert_eq!(
                en(check_name(name, &[])),
                Err("The product name must not use the marketplace operator's brand.".to_string()),
                "{name:?}"
            );
        }
    }

    #[test]
    fn a_name_must_differ_from_the_sellers_other_products() {
        let others = vec!["Cloud Backup".to_string(), " Data Sync ".to_string()];
        assert!(check_name("cloud backup ", &others).is_err());
        assert!(check_name("DATA SYNC", &others).is_err());
        assert!(check_name("Cloud Backup Pro", &others).is_ok());
    }

    #[test]
    fn versions_are_a_capital_v_and_dotted_numbers() {
        for ok in ["V1", "V1.0", "V2.10.3", " V3.0 ", "V1.2.3.4.5.6.7.8.9"] {
            assert_eq!(check_version(ok), Ok(()), "{ok:?}");
        }
        for bad in [
            "",
            "v1.0",
            "1.0",
            "V",
            "V1.",
            "V.1",
            "V1..0",
            "V1.0-beta",
            "V 1",
            "V١",
            "V1,0",
        ] {
            assert!(check_version(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(check_version("V1.2.3.4.5.6.7.8.9.0"), Ok(()));
        assert_eq!(
            en(check_version("V1.2.3.4.5.6.7.8.9.10")),
            Err("The version must be at most 20 characters.".to_string())
        );
    }

    #[test]
    fn delivery_durations_are_whole_days_from_1_to_365() {
        assert_eq!(check_delivery_duration("30"), Ok(None));
        assert_eq!(check_delivery_duration(" 2 "), Ok(None));
        assert_eq!(check_delivery_duration("90"), Ok(None));
        for bad in [
            "",
            "0",
            "366",
            "-5",
            "1.5",
            "abc",
            "+3",
            "99999999999999999999",
        ] {
            assert!(
                check_delivery_duration(bad).is_err(),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn durations_outside_2_to_90_days_carry_a_warning() {
        let warning = Some("Reviewers may reject a duration outside 2–90 days.".to_string());
        let en_warning = |input: &str| {
            en(check_delivery_duration(input)).map(|w| w.map(|m| m.render(crate::i18n::Lang::En)))
        };
        assert_eq!(en_warning("1"), Ok(warning.clone()));
        assert_eq!(en_warning("91"), Ok(warning.clone()));
        assert_eq!(en_warning("365"), Ok(warning));
    }

    #[test]
    fn billing_modes_must_suit_the_delivery_method() {
        use BillingMode::*;
        use DeliveryMethod::*;
        assert_eq!(check_billing(Image, PayPerUse, 1, None), Ok(()));
        assert_eq!(
            en(check_billing(License, PayPerUse, 1, None)),
            Err("Pay-per-use billing is not available for License products.".to_string())
        );
        assert!(check_billing(ProfessionalServices, YearlyMonthly, 1, None).is_err());
        for mode in BillingMode::ALL {
            assert!(check_billing(ConsultingServices, *mode, 1, None).is_err());
        }
    }

    #[test]
    fn several_skus_only_for_saas_license_and_professional_services() {
        use BillingMode::*;
        use DeliveryMethod::*;
        assert_eq!(check_billing(Saas, YearlyMonthly, 4, None), Ok(()));
        assert_eq!(check_billing(License, OneTime, 4, None), Ok(()));
        assert_eq!(
            check_billing(ProfessionalServices, OneTime, 4, None),
            Ok(())
        );
        assert!(check_billing(Image, YearlyMonthly, 2, None).is_err());
        assert_eq!(check_billing(Image, YearlyMonthly, 1, None), Ok(()));
        assert!(check_billing(Saas, OneTime, 0, None).is_err());
    }

    #[test]
    fn pay_per_use_never_has_a_purchase_limit() {
        use BillingMode::*;
        use DeliveryMethod::*;
        assert_eq!(
            en(check_billing(Saas, PayPerUse, 1, Some(5))),
            Err("Pay-per-use products cannot have a purchase limit.".to_string())
        );
        assert_eq!(check_billing(Saas, YearlyMonthly, 1, Some(5)), Ok(()));
        assert!(check_billing(Saas, YearlyMonthly, 1, Some(0)).is_err());
    }
}
