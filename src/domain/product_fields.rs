//! The one list of a product's own fields (SPEC 7, issue: "one place per field"): the form key
//! the editor posts, the label every page shows, the section, the length limit, whether it is
//! one line, which delivery method has it, and where the release snapshot keeps it. Parsing
//! the editor's post, the length checks, the reviewer's "fields concerned" picker and the
//! labels of the diff and the review page are all read from here, so a field is added here
//! once.

use super::product::ProductForm;
use super::statuses::DeliveryMethod;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Basic,
    /// The delivery method's own details.
    Delivery,
    Service,
    /// Not shown as a field (the delivery method is chosen once).
    Fixed,
}

pub struct ProductField {
    /// The editor's form key, also the name a rejection uses.
    pub name: &'static str,
    pub label: &'static str,
    pub section: Section,
    /// Characters the released value may have (a draft keeps up to twice as many).
    pub max_chars: usize,
    /// A text area (line breaks allowed) rather than a text box.
    pub multi_line: bool,
    /// Only products of this delivery method have it.
    pub method: Option<DeliveryMethod>,
    /// A reviewer may name it in a rejection.
    pub reviewable: bool,
    /// Its key in the release snapshot, where it is diffed; None for the delivery method's
    /// details (the snapshot keeps those under their labels) and for form-only fields.
    pub release_key: Option<&'static str>,
    pub get: fn(&ProductForm) -> &String,
    pub slot: fn(&mut ProductForm) -> &mut String,
}

macro_rules! field {
    ($name:ident, $label:literal, $section:ident, $max:literal, $multi:literal, $method:expr,
     $reviewable:literal, $key:expr) => {
        ProductField {
            name: stringify!($name),
            label: $label,
            section: Section::$section,
            max_chars: $max,
            multi_line: $multi,
            method: $method,
            reviewable: $reviewable,
            release_key: $key,
            get: |f| &f.$name,
            slot: |f| &mut f.$name,
        }
    };
}

use DeliveryMethod::{ConsultingServices, Image, License, ProfessionalServices, Saas};

pub const FIELDS: &[ProductField] = &[
    field!(
        delivery_method,
        "Delivery method",
        Fixed,
        40,
        false,
        None,
        false,
        Some("method")
    ),
    field!(
        name,
        "Product name",
        Basic,
        60,
        false,
        None,
        true,
        Some("name")
    ),
    field!(
        version,
        "Version",
        Basic,
        20,
        false,
        None,
        true,
        Some("version")
    ),
    field!(
        category,
        "Category",
        Basic,
        40,
        false,
        None,
        true,
        Some("category")
    ),
    field!(
        currency,
        "Currency",
        Basic,
        3,
        false,
        None,
        false,
        Some("currency")
    ),
    field!(
        overview,
        "Overview",
        Basic,
        500,
        true,
        None,
        true,
        Some("overview")
    ),
    field!(
        introduction,
        "Introduction",
        Basic,
        20_000,
        true,
        None,
        true,
        Some("introduction")
    ),
    field!(
        highlights,
        "Highlights",
        Basic,
        1_000,
        true,
        None,
        true,
        Some("highlights")
    ),
    field!(
        eula,
        "End-user license agreement",
        Basic,
        20_000,
        true,
        None,
        true,
        Some("eula")
    ),
    field!(
        user_guide_url,
        "User guide",
        Basic,
        500,
        false,
        None,
        true,
        Some("user_guide_url")
    ),
    field!(
        purchase_limit,
        "Purchase limit",
        Basic,
        40,
        false,
        None,
        true,
        Some("purchase_limit")
    ),
    field!(
        purchase_limit_max,
        "Purchase limit quantity",
        Basic,
        10,
        false,
        None,
        false,
        None
    ),
    field!(
        service_group_id,
        "After-sales service group",
        Service,
        20,
        false,
        None,
        true,
        Some("service_group_id")
    ),
    field!(
        image_os,
        "Operating system",
        Delivery,
        60,
        false,
        Some(Image),
        false,
        None
    ),
    field!(
        image_architecture,
        "Architecture",
        Delivery,
        40,
        false,
        Some(Image),
        false,
        None
    ),
    field!(
        image_reference,
        "Image reference",
        Delivery,
        200,
        false,
        Some(Image),
        true,
        None
    ),
    field!(
        saas_url,
        "SaaS URL",
        Delivery,
        500,
        false,
        Some(Saas),
        true,
        None
    ),
    field!(
        license_type,
        "License type",
        Delivery,
        40,
        false,
        Some(License),
        true,
        None
    ),
    field!(
        license_delivery,
        "License delivery",
        Delivery,
        40,
        false,
        Some(License),
        false,
        None
    ),
    field!(
        ps_flow_template,
        "Service flow template",
        Delivery,
        40,
        false,
        Some(ProfessionalServices),
        true,
        None
    ),
    field!(
        ps_delivery_days,
        "Average delivery duration",
        Delivery,
        10,
        false,
        Some(ProfessionalServices),
        true,
        None
    ),
    field!(
        consulting_scope,
        "Consulting scope",
        Delivery,
        1_000,
        true,
        Some(ConsultingServices),
        true,
        None
    ),
    field!(
        consulting_duration,
        "Consulting duration",
        Delivery,
        100,
        false,
        Some(ConsultingServices),
        false,
        None
    ),
    field!(
        consulting_url,
        "Contact",
        Delivery,
        500,
        false,
        Some(ConsultingServices),
        false,
        None
    ),
];

/// The field a form key names.
pub fn by_name(name: &str) -> Option<&'static ProductField> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The label of a release snapshot key, for the diff.
pub fn label_of_release_key(key: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|f| f.release_key == Some(key))
        .map(|f| f.label)
}

/// What a reviewer can name besides the fields: the logo, the specifications, the files.
pub const REVIEW_EXTRAS: [(&str, &str); 3] = [
    ("logo", "Logo"),
    ("specifications", "Specifications and prices"),
    ("files", "Files (logo, request templates, certificates)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_and_writes_its_own_form_value() {
        let mut form = ProductForm::default();
        for f in FIELDS {
            *(f.slot)(&mut form) = format!("value of {}", f.name);
        }
        for f in FIELDS {
            assert_eq!((f.get)(&form), &format!("value of {}", f.name));
        }
        let names: std::collections::HashSet<_> = FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), FIELDS.len(), "names are unique");
    }

    #[test]
    fn every_release_key_is_a_key_of_the_release_snapshot() {
        let release = serde_json::to_value(crate::domain::product::Release {
            method: DeliveryMethod::Saas,
            name: String::new(),
            version: String::new(),
            category: String::new(),
            currency: String::new(),
            overview: String::new(),
            introduction: String::new(),
            highlights: vec![],
            eula: String::new(),
            user_guide_url: String::new(),
            service_group_id: 0,
            details: vec![],
            specs: vec![],
            purchase_limit: None,
        })
        .unwrap();
        for key in FIELDS.iter().filter_map(|f| f.release_key) {
            assert!(release.get(key).is_some(), "{key}");
        }
    }
}
