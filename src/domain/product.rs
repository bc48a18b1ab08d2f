//! The product editor's values exactly as typed (a draft), parsed from the flat form keys the
//! editor posts, and the format checks that apply even to a draft.

use serde::{Deserialize, Serialize};

use super::fields::FieldErrors;
use super::statuses::{BillingMode, DeliveryMethod};
use crate::i18n::Msg;

pub const MAX_SPECS: usize = 5;
pub const MAX_ATTRIBUTES: usize = 4;
/// Price rows a specification's form may carry: one per SKU, at most.
pub const MAX_PRICE_ROWS: usize = crate::domain::specification::MAX_SKUS;
/// A typed price (a tiered one holds its bands, a line each).
pub const MAX_PRICE_CHARS: usize = 2_000;
pub const MAX_BANDS: usize = 50;
/// An SKU's key: the JSON list of its values (at most 4 of 40 characters).
const MAX_KEY_CHARS: usize = 1_000;

/// The label of a category code in the reader's language; the code itself if it is not one
/// of ours.
pub fn category_label(code: &str) -> &str {
    match category_key(code) {
        Some(key) => super::product_fields::static_text(key),
        None => code,
    }
}

/// The key of a category's label.
pub fn category_key(code: &str) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .position(|(v, _)| *v == code)
        .map(|i| CATEGORY_KEYS[i])
}

/// The keys of the labels of `CATEGORIES` (which keeps the English), in its order.
const CATEGORY_KEYS: [&str; 8] = [
    "products-category-ai",
    "products-category-analytics",
    "products-category-database",
    "products-category-devops",
    "products-category-security",
    "products-category-industry",
    "products-category-website",
    "products-category-enterprise",
];

/// The key of the label of a choice of one of the lists below (`CATEGORIES`, `ARCHITECTURES`,
/// `LICENSE_TYPES`, `LICENSE_DELIVERY`, `FLOW_TEMPLATES`): the lists keep the English, which
/// the release snapshot stores; a form shows the reader's language.
pub fn choice_key(list: &[(&str, &str)], code: &str) -> Option<&'static str> {
    let i = list.iter().position(|(v, _)| *v == code)?;
    let keys: &[&'static str] = match list.first().map(|(v, _)| *v) {
        Some("ai") => &CATEGORY_KEYS,
        Some("x86_64") => &["products-arch-x86-64", "products-arch-arm64"],
        Some("perpetual") => &[
            "products-license-type-perpetual",
            "products-license-type-subscription",
        ],
        Some("license_key") => &[
            "products-license-delivery-key",
            "products-license-delivery-file",
            "products-license-delivery-online",
        ],
        Some("standard") => &["products-flow-standard", "products-flow-website"],
        _ => &[],
    };
    keys.get(i).copied()
}

/// A list's choices as (code, label) in the reader's language.
pub fn choice_options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(code, label)| {
            let text = choice_key(list, code)
                .map(crate::i18n::tr)
                .unwrap_or_else(|| label.to_string());
            (code.to_string(), text)
        })
        .collect()
}

/// The release snapshot keeps a delivery method's details as English (label, value) rows, as
/// it always has (the diff compares them by label); this is a row in the reader's language.
/// Typed values are shown as typed; the values chosen from a list are translated.
pub fn detail_text(label: &str, value: &str) -> (String, String) {
    let list: &[(&str, &str)] = match label {
        "Architecture" => &ARCHITECTURES,
        "License type" => &LICENSE_TYPES,
        "Delivery form" => &LICENSE_DELIVERY,
        "Service flow" => &FLOW_TEMPLATES,
        _ => &[],
    };
    let value = list
        .iter()
        .find(|(_, l)| *l == value)
        .and_then(|(code, _)| choice_key(list, code))
        .map(crate::i18n::tr)
        .or_else(|| {
            let days = value.strip_suffix(" calendar days")?.parse::<i64>().ok()?;
            (label == "Average delivery duration")
                .then(|| Msg::new("products-detail-days").arg("n", days).to_string())
        })
        .unwrap_or_else(|| value.to_string());
    let key = match label {
        "Operating system" => Some("products-detail-os"),
        "Architecture" => Some("products-detail-architecture"),
        "Image" => Some("products-detail-image"),
        "Service URL" => Some("products-detail-service-url"),
        "License type" => Some("products-detail-license-type"),
        "Delivery form" => Some("products-detail-delivery-form"),
        "Service flow" => Some("products-detail-service-flow"),
        "Average delivery duration" => Some("products-detail-delivery-duration"),
        "Scope" => Some("products-detail-scope"),
        "Duration" => Some("products-detail-duration"),
        "Contact" => Some("products-detail-contact"),
        _ => None,
    };
    (
        key.map(crate::i18n::tr)
            .unwrap_or_else(|| label.to_string()),
        value,
    )
}

/// "At most 60 characters."
fn at_most(max: usize) -> Msg {
    Msg::new("products-error-max-chars").arg("max", max)
}

pub const CATEGORIES: [(&str, &str); 8] = [
    ("ai", "Artificial intelligence"),
    ("analytics", "Big data and analytics"),
    ("database", "Databases"),
    ("devops", "DevOps and developer tools"),
    ("security", "Security"),
    ("industry", "Industry applications"),
    ("website", "Website building"),
    ("enterprise", "Enterprise applications"),
];
pub const CURRENCIES: [&str; 3] = ["CNY", "USD", "EUR"];
pub const ARCHITECTURES: [(&str, &str); 2] = [("x86_64", "x86-64"), ("arm64", "Arm64")];
pub const LICENSE_TYPES: [(&str, &str); 2] =
    [("perpetual", "Perpetual"), ("subscription", "Subscription")];
pub const LICENSE_DELIVERY: [(&str, &str); 3] = [
    ("license_key", "License key"),
    ("license_file", "License file"),
    ("online_activation", "Online activation"),
];
pub const FLOW_TEMPLATES: [(&str, &str); 2] = [
    (
        "standard",
        "Standard service flow (e.g. environment configuration, data migration)",
    ),
    ("website_building", "Website building"),
];

/// One price row: the SKU it prices (by key) and what was typed per period kind. With tiered
/// quantity pricing a period holds bands, one per line: `1-10: 5.00`, last may be `50-: 3.00`.
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PriceForm {
    pub key: String,
    pub month: String,
    pub year: String,
    pub once: String,
    pub hour: String,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct AttributeForm {
    pub name: String,
    /// Comma-separated values, e.g. `Basic, Standard, Pro`.
    pub values: String,
}

impl AttributeForm {
    pub fn value_list(&self) -> Vec<String> {
        self.values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
            .collect()
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SpecForm {
    pub name: String,
    pub billing: String,
    pub attributes: Vec<AttributeForm>,
    pub qname: String,
    pub qunit: String,
    pub qmin: String,
    pub qmax: String,
    pub qstep: String,
    /// `linear` or `tiered`; only with a quantity attribute.
    pub qpricing: String,
    pub prices: Vec<PriceForm>,
    /// The purchase limit: empty (none), `once` or `max` with `limit_max`.
    pub limit: String,
    pub limit_max: String,
    /// Region codes ticked; with `regions_set` empty (a form without the region boxes) the
    /// specification is sold in every region.
    pub regions: Vec<String>,
    pub regions_set: String,
    /// A SaaS trial specification: its length in days (1–31), price 0.
    pub trial_days: String,
}

impl SpecForm {
    pub fn has_quantity(&self) -> bool {
        !self.qname.trim().is_empty()
    }

    pub fn billing_mode(&self) -> Option<BillingMode> {
        BillingMode::parse(&self.billing)
    }

    pub fn price_for(&self, key: &str) -> Option<&PriceForm> {
        self.prices.iter().find(|p| p.key == key)
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ProductForm {
    pub delivery_method: String,
    pub name: String,
    pub version: String,
    pub category: String,
    pub overview: String,
    pub introduction: String,
    pub highlights: String,
    pub eula: String,
    pub user_guide_url: String,
    pub service_group_id: String,
    pub currency: String,
    pub image_os: String,
    pub image_architecture: String,
    pub image_reference: String,
    pub saas_url: String,
    /// The product's purchase limit (for every specification): empty, `once` or `max`.
    pub purchase_limit: String,
    pub purchase_limit_max: String,
    pub license_type: String,
    pub license_delivery: String,
    pub ps_flow_template: String,
    pub ps_delivery_days: String,
    pub consulting_scope: String,
    pub consulting_duration: String,
    pub consulting_url: String,
    pub specs: Vec<SpecForm>,
}

fn index_and_rest(s: &str, prefix: char) -> Option<(usize, &str)> {
    let s = s.strip_prefix(prefix)?;
    let end = s.find(|c: char| !c.is_ascii_digit())?;
    let n: usize = s[..end].parse().ok()?;
    Some((n, s[end..].strip_prefix('_').unwrap_or(&s[end..])))
}

fn slot<T: Default>(list: &mut Vec<T>, index: usize, cap: usize) -> Option<&mut T> {
    if index >= cap {
        return None;
    }
    while list.len() <= index {
        list.push(T::default());
    }
    list.get_mut(index)
}

impl ProductForm {
    pub fn method(&self) -> Option<DeliveryMethod> {
        DeliveryMethod::parse(&self.delivery_method)
    }

    pub fn new_for(method: DeliveryMethod) -> ProductForm {
        let billing = BillingMode::allowed_for(method)
            .first()
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        ProductForm {
            delivery_method: method.as_str().to_string(),
            currency: "CNY".into(),
            specs: if method.is_sold_here() {
                vec![SpecForm {
                    billing,
                    ..SpecForm::default()
                }]
            } else {
                Vec::new()
            },
            ..ProductForm::default()
        }
    }

    /// Builds the form from the posted pairs. Unknown keys are ignored; list indices are capped
    /// so a crafted post cannot make the server build huge structures.
    pub fn from_pairs(pairs: &[(String, String)]) -> ProductForm {
        let mut f = ProductForm::default();
        for (key, value) in pairs {
            let value = value.replace("\r\n", "\n");
            if let Some((i, rest)) = index_and_rest(key, 's') {
                let Some(spec) = slot(&mut f.specs, i, MAX_SPECS) else {
                    continue;
                };
                spec.set(rest, value);
            } else if let Some(field) = f.field_mut(key) {
                *field = value;
            }
        }
        f
    }

    fn field_mut(&mut self, key: &str) -> Option<&mut String> {
        super::product_fields::by_name(key).map(|f| (f.slot)(self))
    }

    /// The free-text fields with their length limits, in characters (from the field list).
    fn limited_fields(&self) -> impl Iterator<Item = (&'static str, &String, usize)> + '_ {
        super::product_fields::FIELDS
            .iter()
            .map(|f| (f.name, (f.get)(self), f.max_chars))
    }

    /// The editor's one-line fields (text boxes, not text areas) refuse line breaks.
    fn check_one_line(&self, errors: &mut FieldErrors) {
        for f in super::product_fields::FIELDS
            .iter()
            .filter(|f| !f.multi_line)
        {
            super::fields::refuse_line_breaks(errors, &[(f.name, (f.get)(self))]);
        }
        for (i, spec) in self.specs.iter().enumerate() {
            for (field, value) in [
                ("name", &spec.name),
                ("billing", &spec.billing),
                ("qname", &spec.qname),
                ("qunit", &spec.qunit),
                ("qmin", &spec.qmin),
                ("qmax", &spec.qmax),
                ("qstep", &spec.qstep),
                ("qpricing", &spec.qpricing),
            ] {
                super::fields::refuse_line_breaks(errors, &[(&format!("s{i}_{field}"), value)]);
            }
            for (j, a) in spec.attributes.iter().enumerate() {
                super::fields::refuse_line_breaks(
                    errors,
                    &[
                        (&format!("s{i}_a{j}_name"), &a.name),
                        (&format!("s{i}_a{j}_values"), &a.values),
                    ],
                );
            }
        }
    }

    fn check_lengths(&self, errors: &mut FieldErrors) {
        for (field, value, max) in self.limited_fields() {
            if value.chars().count() > max {
                errors.add(field, at_most(max));
            }
        }
    }

    /// What any save must meet, a draft's too: the counts that decide how much the server
    /// stores and later builds (values per attribute, their length, SKUs per specification,
    /// the size of a typed price). Past them the save is refused and what was typed is shown
    /// again with the message.
    pub fn limit_problems(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        self.check_one_line(&mut errors);
        // A little over a limit is kept in a draft and pointed out (see `draft_problems`);
        // far over it is not what anyone typed, and is not stored.
        for (field, value, max) in self.limited_fields() {
            if value.chars().count() > 2 * max.max(10) {
                errors.add(field, at_most(max));
            }
        }
        for (i, spec) in self.specs.iter().enumerate() {
            for (field, value, max) in [
                ("name", &spec.name, 40),
                ("qname", &spec.qname, 30),
                ("qunit", &spec.qunit, 20),
            ] {
                if value.chars().count() > 2 * max {
                    errors.add(&format!("s{i}_{field}"), at_most(max));
                }
            }
            let mut count: Option<usize> = Some(1);
            let mut counted = true;
            for (j, a) in spec.attributes.iter().enumerate() {
                let field = format!("s{i}_a{j}_values");
                // Splitting is linear in the text, which the form's size bounds.
                let values = a.value_list();
                if values.len() > MAX_VALUES {
                    errors.add(
                        &field,
                        Msg::new("products-attr-values-count")
                            .arg("max", MAX_VALUES)
                            .arg("count", values.len()),
                    );
                    counted = false;
                } else if values.iter().any(|v| v.chars().count() > MAX_VALUE_CHARS) {
                    errors.add(
                        &field,
                        Msg::new(super::specification::VALUE_LONG).arg("max", MAX_VALUE_CHARS),
                    );
                } else if !values.is_empty() {
                    count = count.and_then(|n| n.checked_mul(values.len()));
                }
            }
            match count {
                Some(n) if !counted || n <= MAX_SKUS => {}
                n => errors.add(&format!("s{i}_prices"), too_many_skus(n)),
            }
            for (k, p) in spec.prices.iter().enumerate() {
                for (kind, text) in [
                    ("month", &p.month),
                    ("year", &p.year),
                    ("once", &p.once),
                    ("hour", &p.hour),
                ] {
                    if text.chars().count() > MAX_PRICE_CHARS {
                        errors.add(&format!("s{i}_p{k}_{kind}"), at_most(MAX_PRICE_CHARS));
                    }
                }
                if p.key.chars().count() > MAX_KEY_CHARS {
                    errors.add(
                        &format!("s{i}_prices"),
                        Msg::new("products-price-row-unreadable"),
                    );
                }
            }
        }
        errors
    }

    pub fn draft_problems(&self) -> FieldErrors {
        let mut errors = self.limit_problems();
        self.check_lengths(&mut errors);
        if self.method().is_none() {
            errors.add("delivery_method", Msg::new("products-method-choose"));
        }
        for (i, spec) in self.specs.iter().enumerate() {
            if spec.name.chars().count() > 40 {
                errors.add(&format!("s{i}_name"), at_most(40));
            }
            for (j, a) in spec.attributes.iter().enumerate() {
                if a.name.chars().count() > 30 {
                    errors.add(&format!("s{i}_a{j}_name"), at_most(30));
                }
                if a.values.chars().count() > 400 {
                    errors.add(&format!("s{i}_a{j}_values"), at_most(400));
                }
            }
            for (field, value, max) in [
                ("billing", &spec.billing, 40),
                ("qname", &spec.qname, 30),
                ("qunit", &spec.qunit, 20),
                ("qmin", &spec.qmin, 20),
                ("qmax", &spec.qmax, 20),
                ("qstep", &spec.qstep, 20),
                ("qpricing", &spec.qpricing, 20),
            ] {
                if value.chars().count() > max {
                    errors.add(&format!("s{i}_{field}"), at_most(max));
                }
            }
            for (field, value) in [
                ("qmin", &spec.qmin),
                ("qmax", &spec.qmax),
                ("qstep", &spec.qstep),
            ] {
                if !value.trim().is_empty() && value.trim().parse::<i64>().is_err() {
                    errors.add(&format!("s{i}_{field}"), Msg::new("products-whole-number"));
                }
            }
        }
        errors
    }
}

impl SpecForm {
    fn set(&mut self, key: &str, value: String) {
        if let Some((j, rest)) = index_and_rest(key, 'a') {
            if let Some(a) = slot(&mut self.attributes, j, MAX_ATTRIBUTES) {
                match rest {
                    "name" => a.name = value,
                    "values" => a.values = value,
                    _ => {}
                }
            }
            return;
        }
        if let Some((k, rest)) = index_and_rest(key, 'p') {
            if let Some(p) = slot(&mut self.prices, k, MAX_PRICE_ROWS) {
                match rest {
                    "key" => p.key = value,
                    "month" => p.month = value,
                    "year" => p.year = value,
                    "once" => p.once = value,
                    "hour" => p.hour = value,
                    _ => {}
                }
            }
            return;
        }
        match key {
            "name" => self.name = value,
            "billing" => self.billing = value,
            "qname" => self.qname = value,
            "qunit" => self.qunit = value,
            "qmin" => self.qmin = value,
            "qmax" => self.qmax = value,
            "qstep" => self.qstep = value,
            "qpricing" => self.qpricing = value,
            "limit" => self.limit = value,
            "limit_max" => self.limit_max = value,
            // One box per configured region at most; a crafted post cannot grow the list.
            "regions" if self.regions.len() < crate::domain::offer::MAX_REGIONS => {
                self.regions.push(value)
            }
            "regions_set" => self.regions_set = value,
            "trial_days" => self.trial_days = value,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn nested_keys_build_specifications_attributes_and_prices() {
        let f = ProductForm::from_pairs(&pairs(&[
            ("delivery_method", "saas"),
            ("name", "Cloud Backup"),
            ("s0_name", "Standard"),
            ("s0_billing", "yearly_monthly"),
            ("s0_a0_name", "edition"),
            ("s0_a0_values", "Basic, Pro"),
            ("s0_p1_key", "Pro"),
            ("s0_p1_month", "20"),
            ("s1_name", "Enterprise"),
        ]));
        assert_eq!(f.name, "Cloud Backup");
        assert_eq!(f.specs.len(), 2);
        assert_eq!(f.specs[0].attributes[0].value_list(), vec!["Basic", "Pro"]);
        assert_eq!(f.specs[0].prices[1].month, "20");
        assert_eq!(
            f.specs[0].price_for("Pro").map(|p| p.month.as_str()),
            Some("20")
        );
        assert_eq!(f.specs[1].name, "Enterprise");
    }

    #[test]
    fn crafted_indices_cannot_grow_the_form_without_bound() {
        let f = ProductForm::from_pairs(&pairs(&[
            ("s999999_name", "x"),
            ("s0_a99_name", "y"),
            ("s0_p100000_key", "z"),
        ]));
        assert!(f.specs.len() <= MAX_SPECS);
        assert!(f
            .specs
            .iter()
            .all(|s| s.attributes.is_empty() && s.prices.is_empty()));
    }

    #[test]
    fn missing_prices_make_one_message_per_specification() {
        let mut f = ProductForm::new_for(DeliveryMethod::Saas);
        f.specs[0].name = "All".into();
        let list = |p: &str, n: usize| (0..n).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
        f.specs[0].attributes = vec![
            AttributeForm {
                name: "size".into(),
                values: list("v", 20).join(","),
            },
            AttributeForm {
                name: "zone".into(),
                values: list("w", 10).join(","),
            },
        ];
        let errors = f.priced_specs(&[], &[]).unwrap_err();
        assert_eq!(
            errors.text("s0_prices").as_deref(),
            Some("Enter every price: 400 are missing, the first for v0 / w0.")
        );
        assert_eq!(errors.len(), 1);
        f.specs[0].attributes[1].values = list("w", 11).join(",");
        assert!(f.limit_problems().text("s0_prices").as_deref().is_some());
        assert!(f
            .priced_specs(&[], &[])
            .unwrap_err()
            .text("s0_prices")
            .unwrap()
            .contains("220 SKUs"));
    }

    #[test]
    fn every_choice_has_a_key_whose_english_is_the_listed_label() {
        let lists: [&[(&str, &str)]; 5] = [
            &CATEGORIES,
            &ARCHITECTURES,
            &LICENSE_TYPES,
            &LICENSE_DELIVERY,
            &FLOW_TEMPLATES,
        ];
        for list in lists {
            for (code, label) in list {
                let key = choice_key(list, code).unwrap_or_else(|| panic!("{code} has no key"));
                assert_eq!(crate::i18n::t(crate::i18n::Lang::En, key), *label);
            }
        }
        assert_eq!(category_label("database"), "Databases");
        assert_eq!(category_label("rockets"), "rockets");
    }

    #[test]
    fn stored_details_read_in_the_readers_language() {
        let zh = crate::i18n::Viewer {
            lang: crate::i18n::Lang::ZhCn,
            ..Default::default()
        };
        crate::i18n::with(zh, || {
            assert_eq!(
                detail_text("License type", "Perpetual"),
                ("License 类型".to_string(), "永久授权".to_string())
            );
            assert_eq!(
                detail_text("Average delivery duration", "30 calendar days").1,
                "30 个自然日"
            );
            // What the seller typed stays as typed.
            assert_eq!(detail_text("Scope", "Perpetual").1, "Perpetual");
            assert_eq!(category_label("database"), "数据库");
        });
        assert_eq!(
            detail_text("Service URL", "https://a.example.com"),
            (
                "Service URL".to_string(),
                "https://a.example.com".to_string()
            )
        );
    }

    #[test]
    fn a_draft_may_be_incomplete_but_not_oversized() {
        let mut f = ProductForm::new_for(DeliveryMethod::Saas);
        assert!(f.draft_problems().is_empty());
        f.name = "n".repeat(61);
        f.specs[0].qmin = "ten".into();
        let e = f.draft_problems();
        assert_eq!(e.text("name").as_deref(), Some("At most 60 characters."));
        assert_eq!(e.text("s0_qmin").as_deref(), Some("Enter a whole number."));
    }
}

// ---- Submission: every release requirement at once --------------------------------------

pub use super::offer::PurchaseLimit;
use super::pricing::{
    parse_money, period_kinds, Amount, Band, PeriodKind, QuantityRange, SkuPrices, UnitPricing,
};
use super::release::{check_billing, check_delivery_duration, check_name, check_version};
use super::service_hours::ServiceHours;
use super::specification::{
    attribute_field_of, check_attribute, sku_combinations, sku_count, sku_key, sku_label,
    EnumAttribute, MAX_SKUS, MAX_VALUES, MAX_VALUE_CHARS,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The message for attributes that make more SKUs than a specification may have.
pub fn too_many_skus(count: Option<usize>) -> Msg {
    match count {
        Some(n) => Msg::new("products-skus-too-many")
            .arg("count", n)
            .arg("max", MAX_SKUS),
        None => Msg::new("products-skus-too-many-unknown").arg("max", MAX_SKUS),
    }
}

/// What the release check needs to know beyond the form.
pub struct ReleaseContext {
    /// Names of the seller's other products (names are unique per seller).
    pub other_names: Vec<String>,
    /// The seller's service groups: id and hours.
    pub groups: Vec<(i64, ServiceHours)>,
    /// A logo that passed the upload checks is stored for the product.
    pub has_logo: bool,
    /// The regions a specification can be sold in.
    pub regions: Vec<crate::domain::offer::Region>,
    /// SKUs removed through review, by (specification name, SKU key): never priced or listed.
    pub removed_skus: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityAttribute {
    pub name: String,
    pub unit: String,
    pub range: QuantityRange,
    pub tiered: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReleaseSku {
    pub values: Vec<String>,
    pub key: String,
    pub prices: SkuPrices,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReleaseSpec {
    pub name: String,
    pub billing: BillingMode,
    pub attributes: Vec<EnumAttribute>,
    pub quantity: Option<QuantityAttribute>,
    pub skus: Vec<ReleaseSku>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_limit: Option<PurchaseLimit>,
    /// Codes of the regions it is sold in; empty in releases from before regions: everywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// A trial: free for this many days, once per buyer, never renewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_days: Option<u32>,
}

/// A product that meets every release requirement: the snapshot a release application holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Release {
    pub method: DeliveryMethod,
    pub name: String,
    pub version: String,
    pub category: String,
    pub currency: String,
    pub overview: String,
    /// Sanitised HTML.
    pub introduction: String,
    pub highlights: Vec<String>,
    pub eula: String,
    pub user_guide_url: String,
    pub service_group_id: i64,
    /// The delivery method's own fields, as (label, value).
    pub details: Vec<(String, String)>,
    pub specs: Vec<ReleaseSpec>,
    /// A limit on every specification (none on pay-per-use ones).
    #[serde(default)]
    pub purchase_limit: Option<PurchaseLimit>,
}

/// The rich-text introduction keeps basic formatting and loses everything else (scripts,
/// styles, event handlers), whatever was pasted.
pub fn sanitise_html(html: &str) -> String {
    ammonia::Builder::default()
        .tags(
            [
                "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "h3", "h4", "code",
            ]
            .into(),
        )
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(html)
        .to_string()
}

pub fn is_web_address(s: &str) -> bool {
    url::Url::parse(s)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .unwrap_or(false)
}

fn choice<'a>(
    errors: &mut FieldErrors,
    field: &str,
    value: &'a str,
    allowed: &[(&str, &str)],
    message: &'static str,
) -> &'a str {
    if !allowed.iter().any(|(v, _)| *v == value) {
        errors.add(field, Msg::new(message));
    }
    value
}

fn label_of(list: &[(&str, &str)], value: &str) -> String {
    list.iter()
        .find(|(v, _)| *v == value)
        .map(|(_, l)| l.to_string())
        .unwrap_or_default()
}

fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    what: &'static str,
) -> String {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        errors.add(
            field,
            Msg::new("products-enter-text")
                .arg("what", Msg::new(what))
                .arg("min", min)
                .arg("max", max),
        );
    }
    v.to_string()
}

/// `1-10: 5.00` per line; the last band may be open: `50-: 3.00`.
pub fn parse_bands(text: &str) -> Result<Vec<Band>, Msg> {
    let mut bands = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let bad = || Msg::new("products-band-format").arg("line", line);
        let (range, price) = line.split_once(':').ok_or_else(bad)?;
        let (from, to) = range.split_once('-').ok_or_else(bad)?;
        let from: i64 = from.trim().parse().map_err(|_| bad())?;
        let to = match to.trim() {
            "" => None,
            t => Some(t.parse::<i64>().map_err(|_| bad())?),
        };
        if bands.len() == MAX_BANDS {
            return Err(Msg::new("products-bands-max").arg("max", MAX_BANDS));
        }
        bands.push(Band {
            from,
            to,
            unit_price: parse_money(price)?,
        });
    }
    if bands.is_empty() {
        return Err(Msg::new("products-bands-empty"));
    }
    Ok(bands)
}

fn period_field(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "month",
        PeriodKind::Year => "year",
        PeriodKind::Once => "once",
        PeriodKind::Hour => "hour",
    }
}

fn typed_price(p: &PriceForm, kind: PeriodKind) -> &str {
    match kind {
        PeriodKind::Month => &p.month,
        PeriodKind::Year => &p.year,
        PeriodKind::Once => &p.once,
        PeriodKind::Hour => &p.hour,
    }
}

impl SpecForm {
    fn check(
        &self,
        i: usize,
        method: DeliveryMethod,
        regions: &[crate::domain::offer::Region],
        removed_skus: &[(String, String)],
        errors: &mut FieldErrors,
    ) -> Option<ReleaseSpec> {
        let f = |name: &str| format!("s{i}_{name}");
        let before = errors.len();
        let trial_days = if self.trial_days.trim().is_empty() {
            None
        } else if method != DeliveryMethod::Saas {
            errors.add(&f("trial_days"), Msg::new("products-trial-saas-only"));
            None
        } else {
            match self.trial_days.trim().parse::<u32>() {
                Ok(n) if crate::domain::offer::TRIAL_DAYS.contains(&n) => Some(n),
                _ => {
                    errors.add(&f("trial_days"), Msg::new("products-trial-days"));
                    None
                }
            }
        };
        if trial_days.is_some() && self.has_quantity() {
            errors.add(&f("qname"), Msg::new("products-trial-no-quantity"));
        }
        let purchase_limit = match crate::domain::offer::parse_limit(&self.limit, &self.limit_max) {
            Ok(limit) => limit,
            Err((on_max, message)) => {
                errors.add(&f(if on_max { "limit_max" } else { "limit" }), message);
                None
            }
        };
        if purchase_limit.is_some() && trial_days.is_some() {
            errors.add(&f("limit"), Msg::new("products-trial-no-limit"));
        }
        let chosen: Vec<String> = if self.regions_set.is_empty() && self.regions.is_empty() {
            Vec::new()
        } else {
            let mut chosen: Vec<String> = Vec::new();
            for code in &self.regions {
                if !regions.is_empty() && !regions.iter().any(|(c, _)| c == code) {
                    errors.add(&f("regions"), Msg::new("products-regions-unknown"));
                } else if !chosen.contains(code) {
                    chosen.push(code.clone());
                }
            }
            if chosen.is_empty() {
                errors.add(&f("regions"), Msg::new("products-regions-none"));
            }
            // In the configured list's order, so a reordered form changes nothing.
            chosen.sort_by_key(|c| regions.iter().position(|(r, _)| r == c));
            chosen
        };
        // Every region is stored as none named: sold everywhere, regions added later included.
        let chosen = if regions.iter().all(|(code, _)| chosen.contains(code)) {
            Vec::new()
        } else {
            chosen
        };
        let name = required_text(
            errors,
            &f("name"),
            &self.name,
            1,
            40,
            "products-what-spec-name",
        );
        let billing = match self.billing_mode() {
            // A trial is free and once: it needs no billing mode of its own.
            _ if trial_days.is_some() => Some(BillingMode::OneTime),
            Some(m) if BillingMode::allowed_for(method).contains(&m) => Some(m),
            _ => {
                errors.add(
                    &f("billing"),
                    Msg::new("products-billing-choose").arg("method", Msg::new(method.key())),
                );
                None
            }
        };
        if billing == Some(BillingMode::PayPerUse) && purchase_limit.is_some() {
            errors.add(&f("limit"), Msg::new("products-limit-ppu-spec"));
        }
        let mut attributes = Vec::new();
        for (j, a) in self.attributes.iter().enumerate() {
            if a.name.trim().is_empty() && a.values.trim().is_empty() {
                continue;
            }
            let attr = EnumAttribute {
                name: a.name.trim().to_string(),
                values: a.value_list(),
            };
            match check_attribute(&attr) {
                Ok(())
                    if attributes
                        .iter()
                        .any(|x: &EnumAttribute| x.name.eq_ignore_ascii_case(&attr.name)) =>
                {
                    errors.add(
                        &format!("s{i}_a{j}_name"),
                        Msg::new("products-attr-name-twice"),
                    )
                }
                Ok(()) => attributes.push(attr),
                Err(e) => {
                    let field = attribute_field_of(&e);
                    errors.add(&format!("s{i}_a{j}_{field}"), e);
                }
            }
        }
        let quantity = if self.has_quantity() {
            let qname = self.qname.trim().to_string();
            if let Err(e) = check_attribute(&EnumAttribute {
                name: qname.clone(),
                values: vec!["1".into()],
            }) {
                errors.add(&f("qname"), e);
            }
            let unit = required_text(
                errors,
                &f("qunit"),
                &self.qunit,
                1,
                20,
                "products-what-unit",
            );
            let number =
                |errors: &mut FieldErrors, field: &str, v: &str| match v.trim().parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        errors.add(&f(field), Msg::new("products-whole-number"));
                        None
                    }
                };
            let (min, max, step) = (
                number(errors, "qmin", &self.qmin),
                number(errors, "qmax", &self.qmax),
                number(errors, "qstep", &self.qstep),
            );
            let tiered = match self.qpricing.as_str() {
                "tiered" => true,
                "linear" => false,
                _ => {
                    errors.add(&f("qpricing"), Msg::new("products-qpricing-choose"));
                    false
                }
            };
            match (min, max, step) {
                (Some(min), Some(max), Some(step)) => {
                    let range = QuantityRange { min, max, step };
                    match range.check() {
                        Ok(()) => Some(QuantityAttribute {
                            name: qname,
                            unit,
                            range,
                            tiered,
                        }),
                        Err(e) => {
                            errors.add(&f(QuantityRange::field_of(&e)), e);
                            None
                        }
                    }
                }
                _ => None,
            }
        } else {
            None
        };
        // Counted before anything is built: the attributes could make millions of SKUs.
        let count = match sku_count(&attributes) {
            Some(n) if n <= MAX_SKUS => n,
            n => {
                errors.add(&f("prices"), too_many_skus(n));
                return None;
            }
        };
        let typed_prices: HashMap<&str, &PriceForm> = self
            .prices
            .iter()
            .rev()
            .map(|p| (p.key.as_str(), p))
            .collect();
        let mut skus = Vec::with_capacity(count);
        if let Some(mode) = billing {
            if let Err(e) = check_billing(method, mode, count, None) {
                errors.add(&f("billing"), e);
            }
            // One message for every price left empty, not one per field: a big table that is
            // not filled in yet says so once.
            let mut missing: Option<(usize, Msg)> = None;
            let blank = PriceForm::default();
            for (row, combo) in sku_combinations(&attributes).enumerate() {
                let key = sku_key(&combo);
                // Removed through review: not offered, so not priced.
                if removed_skus
                    .iter()
                    .any(|(s, k)| *k == key && s == self.name.trim())
                {
                    continue;
                }
                if trial_days.is_some() {
                    // A trial costs nothing: no price is typed for it.
                    skus.push(ReleaseSku {
                        values: combo,
                        key,
                        prices: SkuPrices {
                            amounts: vec![(PeriodKind::Once, Amount::Flat(Decimal::ZERO))],
                        },
                    });
                    continue;
                }
                let typed = typed_prices.get(key.as_str()).copied().unwrap_or(&blank);
                let mut amounts = Vec::new();
                for kind in period_kinds(mode) {
                    let field = format!("s{i}_p{row}_{}", period_field(*kind));
                    let text = typed_price(typed, *kind);
                    if text.trim().is_empty() {
                        match &mut missing {
                            Some((n, _)) => *n += 1,
                            None => missing = Some((1, sku_label(&combo))),
                        }
                        continue;
                    }
                    let amount = match &quantity {
                        Some(q) if q.tiered => parse_bands(text)
                            .map(|bands| Amount::PerUnit(UnitPricing::Tiered { bands })),
                        Some(_) => parse_money(text)
                            .map(|unit_price| Amount::PerUnit(UnitPricing::Linear { unit_price })),
                        None => parse_money(text).map(Amount::Flat),
                    };
                    match amount {
                        Ok(a) => amounts.push((*kind, a)),
                        Err(e) => errors.add(&field, e),
                    }
                }
                let prices = SkuPrices { amounts };
                if prices.amounts.len() == period_kinds(mode).len() {
                    if let Err(e) = prices.check(mode, quantity.as_ref().map(|q| &q.range)) {
                        errors.add(
                            &format!("s{i}_p{row}_{}", period_field(period_kinds(mode)[0])),
                            e,
                        );
                    }
                }
                skus.push(ReleaseSku {
                    values: combo,
                    key,
                    prices,
                });
            }
            if let Some((n, first)) = missing {
                errors.add(
                    &f("prices"),
                    Msg::new("products-prices-missing")
                        .arg("n", n)
                        .arg("first", first),
                );
            }
        }
        if errors.len() > before {
            return None;
        }
        Some(ReleaseSpec {
            name,
            billing: billing?,
            attributes,
            quantity,
            skus,
            purchase_limit,
            regions: chosen,
            trial_days,
        })
    }
}

impl ProductForm {
    /// The specifications alone, checked: what the preview's price list and simulator need,
    /// even while other parts of the draft are unfinished.
    pub fn priced_specs(
        &self,
        regions: &[crate::domain::offer::Region],
        removed_skus: &[(String, String)],
    ) -> Result<Vec<ReleaseSpec>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let Some(method) = self.method() else {
            errors.add("delivery_method", Msg::new("products-method-choose"));
            return Err(errors);
        };
        let specs: Vec<ReleaseSpec> = self
            .specs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.check(i, method, regions, removed_skus, &mut errors))
            .collect();
        if specs.is_empty() && errors.is_empty() {
            errors.add("specifications", Msg::new("products-specs-none"));
        }
        errors.into_result(|| specs)
    }

    /// Checks every release requirement and reports all failures at once, by field.
    pub fn check_release(&self, ctx: &ReleaseContext) -> Result<Release, FieldErrors> {
        let mut errors = FieldErrors::new();
        let Some(method) = self.method() else {
            errors.add("delivery_method", Msg::new("products-method-choose"));
            return Err(errors);
        };
        self.check_one_line(&mut errors);
        self.check_lengths(&mut errors);
        let name = self.name.trim().to_string();
        if let Err(e) = check_name(&name, &ctx.other_names) {
            errors.add("name", e);
        }
        if let Err(e) = check_version(self.version.trim()) {
            errors.add("version", e);
        }
        choice(
            &mut errors,
            "category",
            &self.category,
            &CATEGORIES,
            "products-category-choose",
        );
        if !CURRENCIES.contains(&self.currency.as_str()) {
            errors.add("currency", Msg::new("products-currency-choose"));
        }
        let overview = required_text(
            &mut errors,
            "overview",
            &self.overview,
            10,
            500,
            "products-what-overview",
        );
        let introduction = sanitise_html(self.introduction.trim());
        if introduction.trim().chars().count() < 20 {
            errors.add("introduction", Msg::new("products-introduction-short"));
        }
        let highlights: Vec<String> = self
            .highlights
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if highlights.len() > 5 || highlights.iter().any(|h| h.chars().count() > 100) {
            errors.add("highlights", Msg::new("products-highlights-limits"));
        }
        let eula = required_text(
            &mut errors,
            "eula",
            &self.eula,
            20,
            20_000,
            "products-what-eula",
        );
        if !is_web_address(self.user_guide_url.trim()) {
            errors.add("user_guide_url", Msg::new("products-user-guide-url"));
        }
        if !ctx.has_logo {
            errors.add("logo", Msg::new("products-logo-missing"));
        }
        let group = self
            .service_group_id
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| ctx.groups.iter().find(|(g, _)| *g == id));
        match group {
            None => errors.add("service_group_id", Msg::new("products-group-choose")),
            Some((_, hours)) if !hours.meets_marketplace_minimum() => {
                errors.add("service_group_id", Msg::new("products-group-hours"))
            }
            Some(_) => {}
        }

        let mut details = Vec::new();
        match method {
            DeliveryMethod::Image => {
                details.push((
                    "Operating system".into(),
                    required_text(
                        &mut errors,
                        "image_os",
                        &self.image_os,
                        2,
                        60,
                        "products-what-os",
                    ),
                ));
                choice(
                    &mut errors,
                    "image_architecture",
                    &self.image_architecture,
                    &ARCHITECTURES,
                    "products-arch-choose",
                );
                details.push((
                    "Architecture".into(),
                    label_of(&ARCHITECTURES, &self.image_architecture),
                ));
                details.push((
                    "Image".into(),
                    required_text(
                        &mut errors,
                        "image_reference",
                        &self.image_reference,
                        3,
                        200,
                        "products-what-image-reference",
                    ),
                ));
            }
            DeliveryMethod::Saas => {
                if !is_web_address(self.saas_url.trim()) {
                    errors.add("saas_url", Msg::new("products-saas-url"));
                }
                details.push(("Service URL".into(), self.saas_url.trim().to_string()));
            }
            DeliveryMethod::License => {
                choice(
                    &mut errors,
                    "license_type",
                    &self.license_type,
                    &LICENSE_TYPES,
                    "products-license-type-choose",
                );
                choice(
                    &mut errors,
                    "license_delivery",
                    &self.license_delivery,
                    &LICENSE_DELIVERY,
                    "products-license-delivery-choose",
                );
                details.push((
                    "License type".into(),
                    label_of(&LICENSE_TYPES, &self.license_type),
                ));
                details.push((
                    "Delivery form".into(),
                    label_of(&LICENSE_DELIVERY, &self.license_delivery),
                ));
            }
            DeliveryMethod::ProfessionalServices => {
                choice(
                    &mut errors,
                    "ps_flow_template",
                    &self.ps_flow_template,
                    &FLOW_TEMPLATES,
                    "products-flow-choose",
                );
                details.push((
                    "Service flow".into(),
                    label_of(&FLOW_TEMPLATES, &self.ps_flow_template),
                ));
                match check_delivery_duration(&self.ps_delivery_days) {
                    // The snapshot keeps its details in English (see `detail_text`).
                    Ok(_) => details.push((
                        "Average delivery duration".into(),
                        format!("{} calendar days", self.ps_delivery_days.trim()),
                    )),
                    Err(e) => errors.add("ps_delivery_days", e),
                }
            }
            DeliveryMethod::ConsultingServices => {
                details.push((
                    "Scope".into(),
                    required_text(
                        &mut errors,
                        "consulting_scope",
                        &self.consulting_scope,
                        10,
                        1_000,
                        "products-what-scope",
                    ),
                ));
                details.push((
                    "Duration".into(),
                    required_text(
                        &mut errors,
                        "consulting_duration",
                        &self.consulting_duration,
                        1,
                        100,
                        "products-what-duration",
                    ),
                ));
                if !is_web_address(self.consulting_url.trim()) {
                    errors.add("consulting_url", Msg::new("products-consulting-url"));
                }
                details.push(("Contact".into(), self.consulting_url.trim().to_string()));
            }
        }

        let mut specs = Vec::new();
        if method.is_sold_here() {
            if self.specs.is_empty() {
                errors.add("specifications", Msg::new("products-specs-none"));
            }
            let mut names: Vec<String> = Vec::new();
            for (i, s) in self.specs.iter().enumerate() {
                if names.iter().any(|n| n.eq_ignore_ascii_case(s.name.trim()))
                    && !s.name.trim().is_empty()
                {
                    errors.add(&format!("s{i}_name"), Msg::new("products-spec-name-twice"));
                }
                names.push(s.name.trim().to_string());
                if let Some(spec) = s.check(i, method, &ctx.regions, &ctx.removed_skus, &mut errors)
                {
                    specs.push(spec);
                }
            }
            let trials: Vec<usize> = self
                .specs
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.trial_days.trim().is_empty())
                .map(|(i, _)| i)
                .collect();
            if trials.len() > 1 {
                errors.add(
                    &format!("s{}_trial_days", trials[1]),
                    Msg::new("products-trial-one"),
                );
            }
            if !trials.is_empty() && trials.len() == self.specs.len() {
                errors.add("specifications", Msg::new("products-trial-needs-paid"));
            }
        }
        let purchase_limit =
            match crate::domain::offer::parse_limit(&self.purchase_limit, &self.purchase_limit_max)
            {
                Ok(limit) => limit,
                Err((on_max, message)) => {
                    errors.add(
                        if on_max {
                            "purchase_limit_max"
                        } else {
                            "purchase_limit"
                        },
                        message,
                    );
                    None
                }
            };
        if purchase_limit.is_some()
            && self.specs.iter().any(|s| {
                s.billing_mode() == Some(BillingMode::PayPerUse) && s.trial_days.trim().is_empty()
            })
        {
            errors.add("purchase_limit", Msg::new("products-limit-ppu-product"));
        }
        errors.into_result(|| Release {
            method,
            name,
            version: self.version.trim().to_string(),
            category: self.category.clone(),
            currency: self.currency.clone(),
            overview,
            introduction,
            highlights,
            eula,
            user_guide_url: self.user_guide_url.trim().to_string(),
            service_group_id: group.map(|(g, _)| *g).unwrap_or_default(),
            details,
            specs,
            purchase_limit,
        })
    }
}
