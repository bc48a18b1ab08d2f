//! What a release offers besides prices (SPEC 7.5): purchase limits, sales regions and the
//! SaaS trial. Part of the release snapshot; changing them on a listed product is a
//! modification.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

/// A limit on what one buyer may buy, of the product or of one specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PurchaseLimit {
    /// One purchase per buyer: again only after the earlier order has expired (cancelled
    /// orders do not count).
    OncePerBuyer,
    /// At most this quantity per buyer.
    MaxQuantity { max: u32 },
}

impl PurchaseLimit {
    /// In the reader's language.
    pub fn label(&self) -> String {
        self.message().to_string()
    }

    pub fn message(&self) -> Msg {
        match self {
            PurchaseLimit::OncePerBuyer => Msg::new("products-limit-once"),
            PurchaseLimit::MaxQuantity { max } => {
                Msg::new("products-limit-max").arg("max", i64::from(*max))
            }
        }
    }
}

/// The editor's choices for a limit: (form value, key of the label).
pub const LIMIT_CHOICES: [(&str, &str); 3] = [
    ("", "products-limit-choice-none"),
    ("once", "products-limit-once"),
    ("max", "products-limit-choice-max"),
];

pub const MAX_LIMIT_QUANTITY: u32 = 1_000_000;

/// Reads a limit from the editor's two fields; an error says what is wrong.
pub fn parse_limit(kind: &str, max: &str) -> Result<Option<PurchaseLimit>, (bool, Msg)> {
    match kind.trim() {
        "" => Ok(None),
        "once" => Ok(Some(PurchaseLimit::OncePerBuyer)),
        "max" => match max.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT_QUANTITY).contains(&n) => {
                Ok(Some(PurchaseLimit::MaxQuantity { max: n }))
            }
            _ => Err((
                true,
                Msg::new("products-limit-max-invalid").arg("max", i64::from(MAX_LIMIT_QUANTITY)),
            )),
        },
        _ => Err((false, Msg::new("products-limit-unknown"))),
    }
}

/// A region a specification can be sold in: (code, label).
pub type Region = (String, String);

/// The marketplace's regions unless `SALES_REGIONS` names others.
pub const DEFAULT_REGIONS: [(&str, &str); 6] = [
    ("cn", "Chinese mainland"),
    ("hk", "Hong Kong (China)"),
    ("sg", "Singapore"),
    ("th", "Thailand"),
    ("za", "South Africa"),
    ("eu", "Europe"),
];

pub const MAX_REGIONS: usize = 50;

pub fn default_regions() -> Vec<Region> {
    DEFAULT_REGIONS
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

/// `SALES_REGIONS`: `code=Label` entries separated by commas, e.g. `cn=Chinese mainland,sg=Singapore`.
pub fn parse_regions(list: &str) -> Result<Vec<Region>, String> {
    let mut regions: Vec<Region> = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (code, label) = entry
            .split_once('=')
            .ok_or_else(|| format!("{entry:?}: write code=Label"))?;
        let (code, label) = (code.trim(), label.trim());
        if code.is_empty()
            || code.len() > 20
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            || label.is_empty()
            || label.chars().count() > 60
        {
            return Err(format!(
                "{entry:?}: a short code (letters, digits, - or _) and a label"
            ));
        }
        if regions.iter().any(|(c, _)| c == code) {
            return Err(format!("{code:?} is listed twice"));
        }
        regions.push((code.to_string(), label.to_string()));
    }
    if regions.is_empty() || regions.len() > MAX_REGIONS {
        return Err(format!("list between 1 and {MAX_REGIONS} regions"));
    }
    Ok(regions)
}

/// A region's name in the reader's language: one of the default regions under its default
/// name is translated; a region named in `SALES_REGIONS` is shown as configured.
pub fn region_label(code: &str, label: &str) -> String {
    match DEFAULT_REGIONS
        .iter()
        .position(|(c, l)| *c == code && *l == label)
    {
        Some(i) => crate::i18n::tr(DEFAULT_REGION_KEYS[i]),
        None => label.to_string(),
    }
}

/// The keys of the default regions' names, in the order of `DEFAULT_REGIONS`.
const DEFAULT_REGION_KEYS: [&str; 6] = [
    "products-region-cn",
    "products-region-hk",
    "products-region-sg",
    "products-region-th",
    "products-region-za",
    "products-region-eu",
];

/// The regions' labels, or "All regions" when a specification is sold everywhere.
pub fn regions_text(codes: &[String], all: &[Region]) -> String {
    if codes.is_empty() || all.iter().all(|(c, _)| codes.contains(c)) {
        return crate::i18n::tr("products-regions-all");
    }
    let names: Vec<Msg> = codes
        .iter()
        .map(|code| {
            Msg::raw(
                all.iter()
                    .find(|(c, _)| c == code)
                    .map(|(c, l)| region_label(c, l))
                    .unwrap_or_else(|| code.clone()),
            )
        })
        .collect();
    crate::i18n::list(crate::i18n::lang(), &names)
}

/// The length of a SaaS trial, in days.
pub const TRIAL_DAYS: std::ops::RangeInclusive<u32> = 1..=31;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_from_the_editor_fields() {
        assert_eq!(parse_limit("", "9"), Ok(None));
        assert_eq!(
            parse_limit("once", ""),
            Ok(Some(PurchaseLimit::OncePerBuyer))
        );
        assert_eq!(
            parse_limit("max", " 5 "),
            Ok(Some(PurchaseLimit::MaxQuantity { max: 5 }))
        );
        assert!(parse_limit("max", "0").unwrap_err().0);
        assert!(parse_limit("max", "-1").is_err());
        assert!(parse_limit("max", "99999999999").is_err());
        assert!(!parse_limit("twice", "").unwrap_err().0);
    }

    #[test]
    fn the_region_list_is_configurable_and_checked() {
        let r = parse_regions("cn=Chinese mainland, sg=Singapore").unwrap();
        assert_eq!(r.len(), 2);
        assert!(parse_regions("").is_err());
        assert!(parse_regions("cn").is_err());
        assert!(parse_regions("cn=A,cn=B").is_err());
        assert!(parse_regions("c n=A").is_err());
        assert_eq!(regions_text(&[], &r), "All regions");
        assert_eq!(regions_text(&["sg".into()], &r), "Singapore");
        assert_eq!(regions_text(&["cn".into(), "sg".into()], &r), "All regions");
    }

    #[test]
    fn default_regions_are_translated_and_configured_ones_kept() {
        let defaults = default_regions();
        let zh = crate::i18n::Viewer {
            lang: crate::i18n::Lang::ZhCn,
            ..Default::default()
        };
        crate::i18n::with(zh, || {
            assert_eq!(region_label("cn", "Chinese mainland"), "中国大陆");
            assert_eq!(region_label("cn", "Mainland"), "Mainland");
            assert_eq!(
                regions_text(&["sg".into(), "eu".into()], &defaults),
                "新加坡、欧洲"
            );
        });
        for (code, label) in DEFAULT_REGIONS {
            assert_eq!(region_label(code, label), label);
        }
    }
}
