//! A specification's enumerated attributes, the SKUs they make, and matching prices to those SKUs.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

pub const MAX_NAME_CHARS: usize = 30;
pub const MAX_VALUES: usize = 20;
pub const MAX_VALUE_CHARS: usize = 40;

/// The marketplace fills these in itself, so a seller's attribute would clash with them.
pub const RESERVED_NAMES: [&str; 4] = ["appName", "version", "os", "mode"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumAttribute {
    pub name: String,
    pub values: Vec<String>,
}

/// The most SKUs one specification may have: as many as the editor's price table shows.
pub const MAX_SKUS: usize = 200;

/// How many SKUs the attributes make (the product of their value counts); `None` when that
/// does not even fit in a `usize`. Counting never builds a combination.
pub fn sku_count(attributes: &[EnumAttribute]) -> Option<usize> {
    attributes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
}

/// Every combination of one value per attribute, in attribute order (cartesian product),
/// made one at a time: a caller takes what it needs and the rest is never built.
/// No attributes -> exactly one empty combination (a single-SKU specification).
/// An attribute without values leaves no combination at all; `check_attribute` refuses it.
pub fn sku_combinations(attributes: &[EnumAttribute]) -> SkuCombinations<'_> {
    let next = attributes
        .iter()
        .all(|a| !a.values.is_empty())
        .then(|| vec![0; attributes.len()]);
    SkuCombinations { attributes, next }
}

/// An odometer over the attributes' value indices; see `sku_combinations`.
pub struct SkuCombinations<'a> {
    attributes: &'a [EnumAttribute],
    next: Option<Vec<usize>>,
}

impl Iterator for SkuCombinations<'_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        let indices = self.next.as_mut()?;
        let combination = indices
            .iter()
            .zip(self.attributes)
            .map(|(i, a)| a.values[*i].clone())
            .collect();
        // Advance the last attribute first, carrying into the ones before it.
        let mut position = indices.len();
        loop {
            if position == 0 {
                self.next = None;
                break;
            }
            position -= 1;
            indices[position] += 1;
            if indices[position] < self.attributes[position].values.len() {
                break;
            }
            indices[position] = 0;
        }
        Some(combination)
    }
}

/// A stable text key for a combination, used to match prices to SKUs.
///
/// A JSON array of the values: unambiguous whatever the values contain, and the editor's script
/// builds the same key with `JSON.stringify(values)`.
pub fn sku_key(values: &[String]) -> String {
    // Serialising a list of strings cannot fail; the fallback only keeps this free of panics.
    serde_json::to_string(values).unwrap_or_default()
}

/// How an SKU is named in a message, e.g. "Standard / 10 users" (the values as typed), or
/// "the specification" for the one SKU of a specification without attributes.
pub fn sku_label(values: &[String]) -> Msg {
    if values.is_empty() {
        Msg::new("products-sku-whole-spec")
    } else {
        Msg::raw(values.join(" / "))
    }
}

/// Matches given prices (by sku_key) to the combinations: every combination gets exactly one
/// price; a missing, duplicate or unknown key is an error naming the SKU.
///
/// All errors are returned at once: missing and duplicate prices in SKU order, then unknown keys
/// in the order given.
pub fn assign_prices<P: Clone>(
    combinations: &[Vec<String>],
    given: &[(String, P)],
) -> Result<Vec<(Vec<String>, P)>, Vec<Msg>> {
    let mut by_key: HashMap<&str, Vec<&P>> = HashMap::new();
    for (key, price) in given {
        by_key.entry(key.as_str()).or_default().push(price);
    }
    let mut errors = Vec::new();
    let mut assigned = Vec::with_capacity(combinations.len());
    let mut known = HashSet::with_capacity(combinations.len());
    for combination in combinations {
        let key = sku_key(combination);
        match by_key.get(key.as_str()).map(Vec::as_slice) {
            Some([price]) => assigned.push((combination.clone(), (*price).clone())),
            Some([_, _, ..]) => errors
                .push(Msg::new("products-price-more-than-one").arg("sku", sku_label(combination))),
            _ => errors.push(Msg::new("products-price-for").arg("sku", sku_label(combination))),
        }
        known.insert(key);
    }
    let mut reported = HashSet::new();
    for (key, _) in given {
        if !known.contains(key) && reported.insert(key.as_str()) {
            // A key made by sku_key reads back as its values; anything else is shown as typed.
            let name = serde_json::from_str::<Vec<String>>(key)
                .map(|values| sku_label(&values))
                .unwrap_or_else(|_| Msg::raw(key.clone()));
            errors.push(Msg::new("products-price-not-an-sku").arg("sku", name));
        }
    }
    if errors.is_empty() {
        Ok(assigned)
    } else {
        Err(errors)
    }
}

/// Attribute checks: name 1–30 chars; reserved names appName, version, os, mode refused
/// (case-insensitively) with the message "<name> is a reserved attribute name."; 1–20 values,
/// each 1–40 chars, no duplicates.
///
/// Leading and trailing spaces are ignored, and values differing only in case count as
/// duplicates: buyers could not tell those SKUs apart.
pub fn check_attribute(attribute: &EnumAttribute) -> Result<(), Msg> {
    let name = attribute.name.trim();
    if name.is_empty() {
        return Err(Msg::new("products-attr-name-empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Msg::new("products-attr-name-long").arg("max", MAX_NAME_CHARS));
    }
    if RESERVED_NAMES
        .iter()
        .any(|reserved| reserved.to_lowercase() == name.to_lowercase())
    {
        return Err(Msg::new("products-attr-reserved").arg("name", name));
    }
    if attribute.values.is_empty() {
        return Err(Msg::new(VALUES_NONE));
    }
    if attribute.values.len() > MAX_VALUES {
        return Err(Msg::new(VALUES_TOO_MANY).arg("max", MAX_VALUES));
    }
    let mut seen = HashSet::new();
    for value in &attribute.values {
        let value = value.trim();
        if value.is_empty() {
            return Err(Msg::new(VALUE_EMPTY));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(Msg::new(VALUE_LONG).arg("max", MAX_VALUE_CHARS));
        }
        if !seen.insert(value.to_lowercase()) {
            return Err(Msg::new(VALUE_TWICE).arg("value", value));
        }
    }
    Ok(())
}

const VALUES_NONE: &str = "products-attr-no-values";
const VALUES_TOO_MANY: &str = "products-attr-too-many-values";
const VALUE_EMPTY: &str = "products-attr-value-empty";
/// Also said by the editor's own check of the values' length.
pub const VALUE_LONG: &str = "products-attr-value-long";
const VALUE_TWICE: &str = "products-attr-value-twice";

/// The editor's field a message of `check_attribute` is about: `values` or `name`.
pub fn attribute_field_of(message: &Msg) -> &'static str {
    match message.key.as_ref() {
        VALUES_NONE | VALUES_TOO_MANY | VALUE_EMPTY | VALUE_LONG | VALUE_TWICE => "values",
        _ => "name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn en(m: &Msg) -> String {
        m.render(crate::i18n::Lang::En)
    }

    fn en_result(result: Result<(), Msg>) -> Result<(), String> {
        result.map_err(|m| en(&m))
    }

    fn en_errors<T>(result: Result<T, Vec<Msg>>) -> Result<T, Vec<String>> {
        result.map_err(|errors| errors.iter().map(en).collect())
    }

    fn attribute(name: &str, values: &[&str]) -> EnumAttribute {
        EnumAttribute {
            name: name.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn combinations_follow_attribute_order() {
        let combos: Vec<_> = sku_combinations(&[
            attribute("Edition", &["Basic", "Pro"]),
            attribute("Users", &["10", "50", "100"]),
        ])
        .collect();
        assert_eq!(combos.len(), 6);
        assert_eq!(combos[0], strings(&["Basic", "10"]));
        assert_eq!(combos[1], strings(&["Basic", "50"]));
        assert_eq!(combos[5], strings(&["Pro", "100"]));
    }

    #[test]
    fn huge_attribute_lists_are_counted_without_being_built() {
        let hundred: Vec<String> = (0..100).map(|i| format!("v{i}")).collect();
        let attrs: Vec<EnumAttribute> = (0..4)
            .map(|i| EnumAttribute {
                name: format!("a{i}"),
                values: hundred.clone(),
            })
            .collect();
        assert_eq!(sku_count(&attrs), Some(100_000_000));
        let first: Vec<_> = sku_combinations(&attrs).take(3).collect();
        assert_eq!(first[2], strings(&["v0", "v0", "v0", "v2"]));
        let many: Vec<EnumAttribute> = (0..20).map(|_| attrs[0].clone()).collect();
        assert_eq!(sku_count(&many), None);
        let empty = [attribute("Edition", &["Basic"]), attribute("Users", &[])];
        assert_eq!(sku_combinations(&empty).count(), 0);
        assert_eq!(sku_count(&empty), Some(0));
    }

    #[test]
    fn no_attributes_make_a_single_sku() {
        assert_eq!(
            sku_combinations(&[]).collect::<Vec<_>>(),
            vec![Vec::<String>::new()]
        );
        assert_eq!(sku_count(&[]), Some(1));
    }

    #[test]
    fn keys_tell_apart_values_that_contain_separators() {
        assert_ne!(
            sku_key(&strings(&["a/b", "c"])),
            sku_key(&strings(&["a", "b/c"]))
        );
        assert_ne!(
            sku_key(&strings(&["a\",\"b"])),
            sku_key(&strings(&["a", "b"]))
        );
        assert_ne!(sku_key(&[]), sku_key(&strings(&[""])));
        assert_eq!(sku_key(&strings(&["Pro", "10"])), r#"["Pro","10"]"#);
    }

    #[test]
    fn every_sku_gets_its_own_price() {
        let combos: Vec<_> = sku_combinations(&[attribute("Edition", &["Basic", "Pro"])]).collect();
        let given = vec![
            (sku_key(&strings(&["Pro"])), 20),
            (sku_key(&strings(&["Basic"])), 10),
        ];
        assert_eq!(
            assign_prices(&combos, &given),
            Ok(vec![(strings(&["Basic"]), 10), (strings(&["Pro"]), 20)])
        );
    }

    #[test]
    fn missing_duplicate_and_unknown_prices_name_the_sku() {
        let combos: Vec<_> = sku_combinations(&[
            attribute("Edition", &["Basic", "Pro"]),
            attribute("Users", &["10"]),
        ])
        .collect();
        let given = vec![
            (sku_key(&strings(&["Pro", "10"])), 1),
            (sku_key(&strings(&["Pro", "10"])), 2),
            (sku_key(&strings(&["Gold", "10"])), 3),
            ("not a key".to_string(), 4),
        ];
        assert_eq!(
            en_errors(assign_prices(&combos, &given)),
            Err(vec![
                "Enter a price for Basic / 10.".to_string(),
                "There is more than one price for Pro / 10.".to_string(),
                "There is a price for Gold / 10, which is not an SKU of this specification."
                    .to_string(),
                "There is a price for not a key, which is not an SKU of this specification."
                    .to_string(),
            ])
        );
    }

    #[test]
    fn a_single_sku_specification_takes_one_price() {
        let combos: Vec<_> = sku_combinations(&[]).collect();
        assert_eq!(
            assign_prices(&combos, &[(sku_key(&[]), "9.99")]),
            Ok(vec![(Vec::new(), "9.99")])
        );
        assert_eq!(
            en_errors(assign_prices::<&str>(&combos, &[])),
            Err(vec!["Enter a price for the specification.".to_string()])
        );
    }

    #[test]
    fn reserved_attribute_names_are_refused_whatever_their_case() {
        for name in ["appName", "APPNAME", "Version", "os", " OS ", "Mode"] {
            let result = en_result(check_attribute(&attribute(name, &["a"])));
            assert_eq!(
                result,
                Err(format!("{} is a reserved attribute name.", name.trim()))
            );
        }
        assert_eq!(check_attribute(&attribute("OS family", &["Linux"])), Ok(()));
    }

    #[test]
    fn attribute_names_and_values_have_length_limits() {
        assert_eq!(check_attribute(&attribute("Edition", &["Basic"])), Ok(()));
        assert!(check_attribute(&attribute("", &["a"])).is_err());
        assert!(check_attribute(&attribute("   ", &["a"])).is_err());
        assert_eq!(check_attribute(&attribute(&"é".repeat(30), &["a"])), Ok(()));
        assert!(check_attribute(&attribute(&"x".repeat(31), &["a"])).is_err());
        assert!(check_attribute(&attribute("Edition", &[])).is_err());
        assert!(check_attribute(&attribute("Edition", &[" "])).is_err());
        assert_eq!(
            check_attribute(&attribute("Edition", &[&"v".repeat(40)])),
            Ok(())
        );
        assert!(check_attribute(&attribute("Edition", &[&"v".repeat(41)])).is_err());
        let twenty: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        let mut many = EnumAttribute {
            name: "Size".to_string(),
            values: twenty,
        };
        assert_eq!(check_attribute(&many), Ok(()));
        many.values.push("20".to_string());
        assert!(check_attribute(&many).is_err());
    }

    #[test]
    fn duplicate_values_are_refused_even_in_another_case() {
        assert_eq!(
            en_result(check_attribute(&attribute(
                "Edition",
                &["Pro", "Basic", "pro "]
            ))),
            Err("The value \"pro\" appears more than once.".to_string())
        );
    }

    fn attributes() -> impl Strategy<Value = Vec<EnumAttribute>> {
        prop::collection::vec(prop::collection::btree_set("[a-z/\" ]{1,6}", 1..5), 0..4).prop_map(
            |sets| {
                sets.into_iter()
                    .enumerate()
                    .map(|(i, values)| EnumAttribute {
                        name: format!("attr{i}"),
                        values: values.into_iter().collect(),
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn every_sku_combination_gets_exactly_one_price(
            attrs in attributes(),
            drop_seed in any::<prop::sample::Index>(),
        ) {
            let combos: Vec<_> = sku_combinations(&attrs).collect();
            let expected: usize = attrs.iter().map(|a| a.values.len()).product();
            prop_assert_eq!(combos.len(), expected);
            prop_assert_eq!(sku_count(&attrs), Some(expected));
            let keys: HashSet<String> = combos.iter().map(|c| sku_key(c)).collect();
            prop_assert_eq!(keys.len(), combos.len());

            // Given in reverse order, priced by position: each SKU must get its own price back.
            let given: Vec<(String, usize)> =
                combos.iter().enumerate().rev().map(|(i, c)| (sku_key(c), i)).collect();
            let assigned = assign_prices(&combos, &given);
            prop_assert!(assigned.is_ok());
            let assigned = assigned.unwrap_or_default();
            prop_assert_eq!(assigned.len(), combos.len());
            for (i, (combination, price)) in assigned.iter().enumerate() {
                prop_assert_eq!(combination, &combos[i]);
                prop_assert_eq!(*price, i);
            }

            // Dropping one price, or giving one twice, is an error naming that SKU.
            let victim = drop_seed.index(given.len());
            let label = en(&sku_label(&combos[given[victim].1]));
            let mut missing = given.clone();
            missing.remove(victim);
            let errors = assign_prices(&combos, &missing).err().unwrap_or_default();
            prop_assert_eq!(errors.len(), 1);
            prop_assert!(en(&errors[0]).contains(&label));
            let mut doubled = given.clone();
            doubled.push(given[victim].clone());
            let errors = assign_prices(&combos, &doubled).err().unwrap_or_default();
            prop_assert_eq!(errors.len(), 1);
            prop_assert!(en(&errors[0]).contains(&label));
        }
    }
}
