//! A removal application (SPEC 7.4): what is removed (the product, one specification or one
//! SKU of the listed release), why, and the name typed to confirm. Irreversible once approved.

use serde::{Deserialize, Serialize};

use super::fields::FieldErrors;
use super::product::Release;
use crate::i18n::Msg;

pub const MAX_REASON_CHARS: usize = 2_000;
/// Proof files one removal may carry.
pub const MAX_PROOF_FILES: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RemovalTarget {
    Product,
    Specification {
        name: String,
    },
    Sku {
        spec: String,
        key: String,
        label: String,
    },
}

impl RemovalTarget {
    /// What is removed, in the reader's language.
    pub fn label(&self) -> String {
        self.msg().to_string()
    }

    /// What is removed, as a message. An SKU without attribute values is the "Standard" one
    /// (stored as an empty label; applications stored before say "Standard" themselves).
    pub fn msg(&self) -> Msg {
        match self {
            RemovalTarget::Product => Msg::new("lifecycle-target-product"),
            RemovalTarget::Specification { name } => {
                Msg::new("lifecycle-target-spec").arg("name", name.as_str())
            }
            RemovalTarget::Sku { spec, label, .. } => {
                let label = if label.is_empty() {
                    Msg::new("catalog-sku-standard")
                } else {
                    Msg::raw(label.as_str())
                };
                Msg::new("lifecycle-target-sku")
                    .arg("label", label)
                    .arg("spec", spec.as_str())
            }
        }
    }
}

/// The payload of a removal application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalRequest {
    pub target: RemovalTarget,
    pub reason: String,
    /// Names of the proof files stored with the application.
    pub files: Vec<String>,
}

/// What the confirmation page posts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RemovalForm {
    /// `product`, `spec:<i>` or `sku:<i>:<j>` (indexes into the listed release).
    pub target: String,
    pub reason: String,
    pub confirm_name: String,
}

/// A choice of the confirmation page: its form value and what it removes.
pub fn choices(release: &Release) -> Vec<(String, RemovalTarget)> {
    let mut out = vec![("product".to_string(), RemovalTarget::Product)];
    for (i, spec) in release.specs.iter().enumerate() {
        out.push((
            format!("spec:{i}"),
            RemovalTarget::Specification {
                name: spec.name.clone(),
            },
        ));
        for (j, sku) in spec.skus.iter().enumerate() {
            if spec.skus.len() > 1 {
                out.push((
                    format!("sku:{i}:{j}"),
                    RemovalTarget::Sku {
                        spec: spec.name.clone(),
                        key: sku.key.clone(),
                        // Empty for the SKU without values: shown as "Standard".
                        label: sku.values.join(" / "),
                    },
                ));
            }
        }
    }
    out
}

/// Checks the confirmation page against the listed release. Removing the last specification
/// is removing the product; the name must be typed exactly as listed.
pub fn check(form: &RemovalForm, release: &Release) -> Result<RemovalRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let target = choices(release)
        .into_iter()
        .find(|(value, _)| *value == form.target)
        .map(|(_, t)| t);
    match &target {
        None => errors.add("target", Msg::new("lifecycle-error-target-required")),
        Some(RemovalTarget::Specification { .. }) if release.specs.len() == 1 => {
            errors.add("target", Msg::new("lifecycle-error-only-spec"))
        }
        _ => {}
    }
    let reason = form.reason.trim();
    if reason.is_empty() {
        errors.add("reason", Msg::new("lifecycle-error-reason-required"));
    } else if reason.chars().count() > MAX_REASON_CHARS {
        errors.add(
            "reason",
            Msg::new("lifecycle-error-reason-too-long").arg("max", MAX_REASON_CHARS),
        );
    }
    if form.confirm_name.trim() != release.name {
        errors.add(
            "confirm_name",
            Msg::new("lifecycle-error-confirm-name").arg("name", release.name.as_str()),
        );
    }
    match (target, errors.is_empty()) {
        (Some(target), true) => Ok(RemovalRequest {
            target,
            reason: reason.to_string(),
            files: Vec::new(),
        }),
        _ => Err(errors),
    }
}

/// The listed release without the removed specification or SKU (None for the whole product).
pub fn release_without(release: &Release, target: &RemovalTarget) -> Option<Release> {
    let mut out = release.clone();
    match target {
        RemovalTarget::Product => return None,
        RemovalTarget::Specification { name } => out.specs.retain(|s| s.name != *name),
        RemovalTarget::Sku { spec, key, .. } => {
            for s in out.specs.iter_mut().filter(|s| s.name == *spec) {
                s.skus.retain(|k| k.key != *key);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release() -> Release {
        serde_json::from_value(serde_json::json!({
            "method": "saas", "name": "Cloud Backup", "version": "V1.0", "category": "ai",
            "currency": "CNY", "overview": "", "introduction": "", "highlights": [],
            "eula": "", "user_guide_url": "", "service_group_id": 1, "details": [],
            "specs": [
                {"name": "Standard", "billing": "one_time", "attributes": [], "quantity": null,
                 "skus": [
                    {"values": ["Basic"], "key": "[\"Basic\"]", "prices": {"amounts": []}},
                    {"values": ["Pro"], "key": "[\"Pro\"]", "prices": {"amounts": []}}
                 ]},
                {"name": "Team", "billing": "one_time", "attributes": [], "quantity": null,
                 "skus": [{"values": [], "key": "[]", "prices": {"amounts": []}}]}
            ]
        }))
        .unwrap()
    }

    fn form(target: &str, reason: &str, name: &str) -> RemovalForm {
        RemovalForm {
            target: target.into(),
            reason: reason.into(),
            confirm_name: name.into(),
        }
    }

    #[test]
    fn a_removal_needs_a_target_a_reason_and_the_exact_name() {
        let r = release();
        let errors = check(&form("nonsense", " ", "cloud backup"), &r).unwrap_err();
        assert!(errors.has("target") && errors.has("reason") && errors.has("confirm_name"));
        let ok = check(&form("sku:0:1", "Discontinued", " Cloud Backup "), &r).unwrap();
        assert_eq!(
            ok.target,
            RemovalTarget::Sku {
                spec: "Standard".into(),
                key: "[\"Pro\"]".into(),
                label: "Pro".into()
            }
        );
        let without = release_without(&r, &ok.target).unwrap();
        assert_eq!(without.specs[0].skus.len(), 1);
        assert_eq!(without.specs[1].skus.len(), 1);
    }

    #[test]
    fn the_only_sku_or_the_only_specification_is_not_offered_alone() {
        let mut r = release();
        // Team has one SKU: it is removed with its specification, not on its own.
        assert!(!choices(&r).iter().any(|(v, _)| v.starts_with("sku:1:")));
        r.specs.truncate(1);
        let errors = check(&form("spec:0", "Gone", "Cloud Backup"), &r).unwrap_err();
        assert!(errors
            .text("target")
            .as_deref()
            .unwrap()
            .contains("only specification"));
        assert!(check(&form("product", "Gone", "Cloud Backup"), &r).is_ok());
    }
}
