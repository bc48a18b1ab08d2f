//! Applications: every change that needs the operators' approval. Each kind is a module with
//! its payload type and the `Kind` rules (the fields a rejection may name, where "fix and
//! resubmit" leads, the values shown, what a decision or a withdrawal changes); `service`
//! submits, claims, decides and withdraws for all of them. The payload is stored as its kind's
//! JSON and read back through the serde-tagged `Payload`: a payload that does not decode as
//! its kind is an error, never a default.
//!
//! Adding a kind: its module, its line in `kinds!` below, its variant of `ApplicationKind`.

pub mod benefit;
pub mod company_name;
pub mod contact;
pub mod presales;
pub mod product;
pub mod registration;
pub mod removal;
pub mod service;

use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

use crate::db::DbConn;
use crate::domain::statuses::{ApplicationKind, DeliveryMethod};
use crate::error::AppError;
use crate::models::application::Application;

pub use service::{
    claim, decide, submit, withdraw, ClaimOutcome, DecideOutcome, Decision, NewApplication,
    Notifier, NotifySettings, SubmitOutcome, WithdrawOutcome,
};

/// What one kind of application is and does.
pub trait Kind {
    type Payload: Serialize + serde::de::DeserializeOwned;

    /// The fields a rejection may name: (form field name, label), in the form's order.
    fn fields() -> &'static [(&'static str, &'static str)];

    /// The page the seller fixes a rejected application on (the anchor is added).
    fn fix_page(app: &Application) -> Option<String>;

    /// The submitted values as (label, value) rows; empty when the page shows them otherwise.
    fn summary(payload: &Self::Payload) -> Vec<(String, String)> {
        summary_of(payload, Self::fields())
    }

    /// What the decision changes besides the application, in its transaction.
    fn decided(
        conn: &mut DbConn,
        app: &Application,
        payload: &Self::Payload,
        approve: bool,
        actor_id: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError>;

    /// What withdrawing changes besides the application.
    fn withdrawn(
        _conn: &mut DbConn,
        _app: &Application,
        _now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        Ok(())
    }
}

macro_rules! kinds {
    ($($variant:ident => $rules:ty,)+) => {
        /// An application's payload, typed by its kind.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(tag = "kind", content = "data", rename_all = "snake_case")]
        pub enum Payload {
            $($variant(<$rules as Kind>::Payload),)+
        }

        impl Payload {
            pub fn kind(&self) -> ApplicationKind {
                match self { $(Payload::$variant(_) => ApplicationKind::$variant,)+ }
            }

            fn decided(
                &self,
                conn: &mut DbConn,
                app: &Application,
                approve: bool,
                actor_id: i64,
                now: PrimitiveDateTime,
            ) -> Result<(), AppError> {
                match self {
                    $(Payload::$variant(p) => <$rules>::decided(conn, app, p, approve, actor_id, now),)+
                }
            }

            pub fn summary(&self) -> Vec<(String, String)> {
                match self { $(Payload::$variant(p) => <$rules>::summary(p),)+ }
            }
        }

        /// The fields a rejection of this kind may name.
        pub fn fields_for(kind: ApplicationKind) -> &'static [(&'static str, &'static str)] {
            match kind { $(ApplicationKind::$variant => <$rules>::fields(),)+ }
        }

        fn fix_page(app: &Application) -> Option<String> {
            match app.kind() { $(ApplicationKind::$variant => <$rules>::fix_page(app),)+ }
        }

        fn withdrawn(conn: &mut DbConn, app: &Application, now: PrimitiveDateTime) -> Result<(), AppError> {
            match app.kind() { $(ApplicationKind::$variant => <$rules>::withdrawn(conn, app, now),)+ }
        }
    };
}

kinds! {
    Registration => registration::Registration,
    ProductRelease => product::Release,
    ProductModification => product::Modification,
    ProductRemoval => removal::Removal,
    BusinessContactChange => contact::ContactChange,
    PresalesInfoChange => presales::PresalesChange,
    CompanyNameChange => company_name::NameChange,
    BannerRequest => benefit::BannerRequest,
    FeaturedRequest => benefit::FeaturedRequest,
    TestCouponRequest => benefit::CouponRequest,
}

impl Payload {
    /// The stored payload of `app`, read as its kind's; anything else is an error.
    pub fn of(app: &Application) -> Result<Payload, AppError> {
        let bad = |e: serde_json::Error| {
            AppError::Internal(anyhow::anyhow!(
                "application #{} has a payload that is not a {}: {e}",
                app.id,
                app.kind().label()
            ))
        };
        let data: serde_json::Value = serde_json::from_str(&app.payload).map_err(bad)?;
        serde_json::from_value(serde_json::json!({ "kind": app.kind().as_str(), "data": data }))
            .map_err(bad)
    }

    /// The JSON stored in the application's row: the kind's own payload (the kind has its
    /// column).
    pub fn to_json(&self) -> Result<String, AppError> {
        let mut tagged = serde_json::to_value(self).map_err(anyhow::Error::from)?;
        let data = tagged
            .get_mut("data")
            .map(serde_json::Value::take)
            .unwrap_or(serde_json::Value::Null);
        Ok(serde_json::to_string(&data).map_err(anyhow::Error::from)?)
    }
}

/// The values of a payload as (label, value) rows, labelled by the kind's fields.
pub fn summary_of<T: Serialize>(
    payload: &T,
    fields: &[(&'static str, &'static str)],
) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(payload) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(key, value)| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => {
                    crate::i18n::tr(if *b { "word-yes" } else { "word-no" })
                }
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => return None,
            };
            let label = fields
                .iter()
                .find(|(n, _)| n == key)
                .map(|(_, l)| label_text(l))
                .unwrap_or_else(|| humanise(key));
            Some((label, text))
        })
        .collect()
}

fn humanise(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// The submitted values of an application as rows (empty for a product's, shown otherwise).
pub fn summary(app: &Application) -> Result<Vec<(String, String)>, AppError> {
    Ok(Payload::of(app)?.summary())
}

/// The reviewer's "fields concerned" picker: the kind's fields, and for a product only those
/// its delivery method has (no image reference on a SaaS product).
pub fn choices_for(
    kind: ApplicationKind,
    method: Option<DeliveryMethod>,
) -> Vec<(&'static str, String)> {
    fields_for(kind)
        .iter()
        .filter(|(name, _)| {
            crate::domain::product_fields::by_name(name)
                .and_then(|f| f.method)
                .is_none_or(|only| Some(only) == method)
        })
        .map(|(name, label)| (*name, label_text(label)))
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

/// A field's label in the reader's language: the kinds' field lists hold keys.
pub fn label_text(label: &str) -> String {
    if crate::i18n::has_key(label) {
        crate::i18n::tr(label)
    } else {
        label.to_string()
    }
}

/// The key of a field's label (`field-other` for a name the kind does not have).
pub fn field_key(kind: ApplicationKind, name: &str) -> &'static str {
    fields_for(kind)
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| *l)
        .unwrap_or("field-other")
}

/// A field's label as a message (kept in a message-center row, rendered when read). A label
/// that is not a key yet shows as it is.
pub fn field_msg(kind: ApplicationKind, name: &str) -> crate::i18n::Msg {
    let key = field_key(kind, name);
    if crate::i18n::has_key(key) {
        crate::i18n::Msg::new(key)
    } else {
        crate::i18n::Msg::raw(key)
    }
}

pub fn field_label(kind: ApplicationKind, name: &str) -> String {
    label_text(field_key(kind, name))
}

/// The fields a rejection named, as (form name, label).
pub fn named_fields(app: &Application) -> Vec<(String, String)> {
    let kind = app.kind();
    app.review_fields
        .as_deref()
        .and_then(|f| serde_json::from_str::<Vec<String>>(f).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|name| {
            let label = field_label(kind, &name);
            (name, label)
        })
        .collect()
}

/// Where "fix and resubmit" takes the seller: the form of the application's subject, at the
/// first field the reviewer named.
pub fn fix_link(app: &Application) -> Option<String> {
    if app.status() != crate::domain::statuses::ApplicationStatus::Rejected {
        return None;
    }
    let anchor = named_fields(app)
        .first()
        .map(|(name, _)| format!("#{name}"))
        .unwrap_or_default();
    let page = fix_page(app)?;
    // A page that names its own place keeps it.
    Some(if page.contains('#') {
        page
    } else {
        format!("{page}{anchor}")
    })
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

    #[test]
    fn every_kind_has_a_payload_variant_named_by_its_stored_text() {
        for kind in ApplicationKind::ALL {
            let tagged = serde_json::json!({ "kind": kind.as_str(), "data": {} });
            // It may not decode from an empty object, but never for an unknown variant.
            if let Err(e) = serde_json::from_value::<Payload>(tagged) {
                assert!(!e.to_string().contains("unknown variant"), "{kind:?}: {e}");
            }
        }
    }
}
