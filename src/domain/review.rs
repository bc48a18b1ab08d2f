//! What a reviewer can name in a rejection: the fields of each kind of application, by the
//! form field names the seller's pages use (so "fix and resubmit" can open the form at them).

use crate::domain::product_fields;
use crate::domain::statuses::{ApplicationKind, DeliveryMethod};

/// A product's reviewable fields (from the one field list) and what else a reviewer can name.
static PRODUCT_FIELDS: once_cell::sync::Lazy<Vec<(&'static str, &'static str)>> =
    once_cell::sync::Lazy::new(|| {
        product_fields::FIELDS
            .iter()
            .filter(|f| f.reviewable)
            .map(|f| (f.name, f.label))
            .chain(product_fields::REVIEW_EXTRAS)
            .collect()
    });

const REGISTRATION_FIELDS: &[(&str, &str)] = &[
    ("legal_name", "Company legal name"),
    ("country_region", "Country or region"),
    ("licence_number", "Business license number"),
    ("tax_number", "Tax number"),
    ("bank_name", "Bank name"),
    ("bank_account_name", "Bank account name"),
    ("bank_account_number", "Bank account number"),
    ("contact_name", "Contact name"),
    ("contact_email", "Contact email"),
];

const CONTACT_FIELDS: &[(&str, &str)] = &[
    ("contact_name", "Contact name"),
    ("contact_phone", "Contact phone"),
    ("contact_email", "Contact email"),
];

const PRESALES_FIELDS: &[(&str, &str)] = &[
    ("presales_phone", "Pre-sales phone"),
    ("presales_email", "Pre-sales email"),
    ("presales_address", "Contact address"),
];

const NAME_FIELDS: &[(&str, &str)] = &[("legal_name", "Company legal name")];

/// The fields a rejection of this kind of application may name: (form name, label).
pub fn fields_for(kind: ApplicationKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ApplicationKind::Registration => REGISTRATION_FIELDS,
        ApplicationKind::ProductRelease
        | ApplicationKind::ProductModification
        | ApplicationKind::ProductRemoval => PRODUCT_FIELDS.as_slice(),
        ApplicationKind::BusinessContactChange => CONTACT_FIELDS,
        ApplicationKind::PresalesInfoChange => PRESALES_FIELDS,
        ApplicationKind::CompanyNameChange => NAME_FIELDS,
    }
}

/// The reviewer's "fields concerned" picker: the kind's fields, and for a product only those
/// its delivery method has (no image reference on a SaaS product).
pub fn choices_for(
    kind: ApplicationKind,
    method: Option<DeliveryMethod>,
) -> Vec<(&'static str, &'static str)> {
    fields_for(kind)
        .iter()
        .filter(|(name, _)| {
            product_fields::by_name(name)
                .and_then(|f| f.method)
                .is_none_or(|only| Some(only) == method)
        })
        .copied()
        .collect()
}

/// Keeps the names that belong to the kind, in the kind's order, without repeats.
pub fn known_fields(kind: ApplicationKind, names: &[String]) -> Vec<String> {
    fields_for(kind)
        .iter()
        .filter(|(name, _)| names.iter().any(|n| n == name))
        .map(|(name, _)| name.to_string())
        .collect()
}

pub fn field_label(kind: ApplicationKind, name: &str) -> &'static str {
    fields_for(kind)
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| *l)
        .unwrap_or("Other")
}

/// The longest reason a reviewer may give.
pub const MAX_REASON: usize = 2000;

/// A rejection needs a reason; an approval's comment is optional. Returns the trimmed text or
/// the message to show next to the field.
pub fn check_reason(approve: bool, reason: &str) -> Result<Option<String>, &'static str> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON {
        return Err("At most 2000 characters.");
    }
    if reason.is_empty() {
        return if approve {
            Ok(None)
        } else {
            Err("Give the reason for the rejection: the seller sees it.")
        };
    }
    Ok(Some(reason.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_offers_only_the_fields_of_the_products_delivery_method() {
        let saas: Vec<&str> =
            choices_for(ApplicationKind::ProductRelease, Some(DeliveryMethod::Saas))
                .iter()
                .map(|(n, _)| *n)
                .collect();
        assert!(saas.contains(&"saas_url") && saas.contains(&"name"));
        for other in [
            "image_reference",
            "license_type",
            "ps_flow_template",
            "consulting_scope",
        ] {
            assert!(!saas.contains(&other), "{other} on a SaaS product");
        }
        assert_eq!(
            choices_for(ApplicationKind::Registration, None).len(),
            fields_for(ApplicationKind::Registration).len()
        );
    }

    #[test]
    fn a_rejection_needs_a_reason_an_approval_does_not() {
        assert!(check_reason(false, "  ").is_err());
        assert_eq!(check_reason(true, " "), Ok(None));
        assert_eq!(
            check_reason(false, " Logo is blurry "),
            Ok(Some("Logo is blurry".to_string()))
        );
        assert!(check_reason(false, &"x".repeat(2001)).is_err());
    }

    #[test]
    fn unknown_field_names_are_dropped_and_order_follows_the_form() {
        let names = vec![
            "introduction".to_string(),
            "bogus".to_string(),
            "name".to_string(),
            "name".to_string(),
        ];
        assert_eq!(
            known_fields(ApplicationKind::ProductRelease, &names),
            vec!["name".to_string(), "introduction".to_string()]
        );
        assert!(known_fields(ApplicationKind::PresalesInfoChange, &names).is_empty());
    }
}
