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
    /// The key of its label (`products-field-name`): shown with `label_text()`.
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
        "products-field-delivery-method",
        Fixed,
        40,
        false,
        None,
        false,
        Some("method")
    ),
    field!(
        name,
        "products-field-name",
        Basic,
        60,
        false,
        None,
        true,
        Some("name")
    ),
    field!(
        version,
        "products-field-version",
        Basic,
        20,
        false,
        None,
        true,
        Some("version")
    ),
    field!(
        category,
        "products-field-category",
        Basic,
        40,
        false,
        None,
        true,
        Some("category")
    ),
    field!(
        currency,
        "products-field-currency",
        Basic,
        3,
        false,
        None,
        false,
        Some("currency")
    ),
    field!(
        overview,
        "products-field-overview",
        Basic,
        500,
        true,
        None,
        true,
        Some("overview")
    ),
    field!(
        introduction,
        "products-field-introduction",
        Basic,
        20_000,
        true,
        None,
        true,
        Some("introduction")
    ),
    field!(
        highlights,
        "products-field-highlights",
        Basic,
        1_000,
        true,
        None,
        true,
        Some("highlights")
    ),
    field!(
        eula,
        "products-field-eula",
        Basic,
        20_000,
        true,
        None,
        true,
        Some("eula")
    ),
    field!(
        user_guide_url,
        "products-field-user-guide-url",
        Basic,
        500,
        false,
        None,
        true,
        Some("user_guide_url")
    ),
    field!(
        purchase_limit,
        "products-field-purchase-limit",
        Basic,
        40,
        false,
        None,
        true,
        Some("purchase_limit")
    ),
    field!(
        purchase_limit_max,
        "products-field-purchase-limit-max",
        Basic,
        10,
        false,
        None,
        false,
        None
    ),
    field!(
        service_group_id,
        "products-field-service-group-id",
        Service,
        20,
        false,
        None,
        true,
        Some("service_group_id")
    ),
    field!(
        image_os,
        "products-field-image-os",
        Delivery,
        60,
        false,
        Some(Image),
        false,
        None
    ),
    field!(
        image_architecture,
        "products-field-image-architecture",
        Delivery,
        40,
        false,
        Some(Image),
        false,
        None
    ),
    field!(
        image_reference,
        "products-field-image-reference",
        Delivery,
        200,
        false,
        Some(Image),
        true,
        None
    ),
    field!(
        saas_url,
        "products-field-saas-url",
        Delivery,
        500,
        false,
        Some(Saas),
        true,
        None
    ),
    field!(
        license_type,
        "products-field-license-type",
        Delivery,
        40,
        false,
        Some(License),
        true,
        None
    ),
    field!(
        license_delivery,
        "products-field-license-delivery",
        Delivery,
        40,
        false,
        Some(License),
        false,
        None
    ),
    field!(
        ps_flow_template,
        "products-field-ps-flow-template",
        Delivery,
        40,
        false,
        Some(ProfessionalServices),
        true,
        None
    ),
    field!(
        ps_delivery_days,
        "products-field-ps-delivery-days",
        Delivery,
        10,
        false,
        Some(ProfessionalServices),
        true,
        None
    ),
    field!(
        consulting_scope,
        "products-field-consulting-scope",
        Delivery,
        1_000,
        true,
        Some(ConsultingServices),
        true,
        None
    ),
    field!(
        consulting_duration,
        "products-field-consulting-duration",
        Delivery,
        100,
        false,
        Some(ConsultingServices),
        false,
        None
    ),
    field!(
        consulting_url,
        "products-field-consulting-url",
        Delivery,
        500,
        false,
        Some(ConsultingServices),
        false,
        None
    ),
];

impl ProductField {
    /// The label in the reader's language.
    pub fn label_text(&self) -> String {
        crate::i18n::tr(self.label)
    }
}

/// The field a form key names.
pub fn by_name(name: &str) -> Option<&'static ProductField> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The label of a release snapshot key, for the diff: in the reader's language.
pub fn label_of_release_key(key: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|f| f.release_key == Some(key))
        .map(|f| static_text(f.label))
}

/// A message of a fixed set (labels, whose keys are in the code) in the reader's language, for
/// the places that hand out `&'static str`: each language's text of a key is made once and
/// kept, so what is kept is bounded by the keys the code names.
pub fn static_text(key: &'static str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::RwLock;
    type Texts = RwLock<HashMap<(crate::i18n::Lang, &'static str), &'static str>>;
    static TEXTS: once_cell::sync::Lazy<Texts> = once_cell::sync::Lazy::new(Default::default);
    let lang = crate::i18n::lang();
    if let Some(text) = TEXTS
        .read()
        .ok()
        .and_then(|texts| texts.get(&(lang, key)).copied())
    {
        return text;
    }
    let text: &'static str = Box::leak(crate::i18n::t(lang, key).into_boxed_str());
    if let Ok(mut texts) = TEXTS.write() {
        return texts.entry((lang, key)).or_insert(text);
    }
    text
}

/// What a reviewer can name besides the fields: the logo, the specifications, the files
/// (name, key of the label).
pub const REVIEW_EXTRAS: [(&str, &str); 3] = [
    ("logo", "products-field-logo"),
    ("specifications", "products-field-specifications"),
    ("files", "products-field-files"),
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
    fn every_label_is_a_key_and_reads_in_the_readers_language() {
        for label in FIELDS
            .iter()
            .map(|f| f.label)
            .chain(REVIEW_EXTRAS.iter().map(|(_, l)| *l))
        {
            assert!(crate::i18n::has_key(label), "{label}");
        }
        assert_eq!(label_of_release_key("name"), Some("Product name"));
        assert_eq!(
            by_name("eula").map(ProductField::label_text).as_deref(),
            Some("End-user license agreement")
        );
        let zh = crate::i18n::Viewer {
            lang: crate::i18n::Lang::ZhCn,
            ..Default::default()
        };
        crate::i18n::with(zh, || {
            assert_eq!(label_of_release_key("name"), Some("商品名称"));
        });
        assert_eq!(label_of_release_key("name"), Some("Product name"));
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
