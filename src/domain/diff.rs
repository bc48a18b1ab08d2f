//! A modification's diff against the listed release (SPEC 7.2): field by field, with
//! specifications, SKUs and prices, old beside new, unchanged ones left out.
//!
//! Both releases are flattened into places (a field, a delivery detail, a specification, an
//! SKU), each with its value; the diff is every place whose value differs, with the old and
//! the new value. Because each place carries its position, the new release can be rebuilt
//! from the old one and the diff alone (`apply`), which the property test checks.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::pricing::SkuPrices;
use super::product::Release;
use super::product::{category_label, ReleaseSku, ReleaseSpec};
use super::statuses::BillingMode;
use crate::i18n::Msg;
use crate::views::release::{label_msg, limit_msg, regions_msg};

/// Where a value lives in a release.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// A field of the release, by its snapshot key (`name`, `overview`, …).
    Field(String),
    /// One of the delivery method's details, by its label.
    Detail(String),
    /// A specification (everything but its SKUs), by name.
    Spec(String),
    /// One SKU of a specification: its values and prices, by the specification's name and the
    /// SKU's key.
    Sku(String, String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub place: Place,
    /// None: the place is new.
    pub old: Option<Value>,
    /// None: the place is gone.
    pub new: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReleaseDiff {
    pub changes: Vec<Change>,
}

impl ReleaseDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

fn flatten(release: &Release) -> IndexMap<Place, Value> {
    let mut places = IndexMap::new();
    let Value::Object(fields) = serde_json::to_value(release).unwrap_or(Value::Null) else {
        return places;
    };
    for (key, value) in fields {
        if key != "details" && key != "specs" {
            places.insert(Place::Field(key), value);
        }
    }
    for (position, (label, value)) in release.details.iter().enumerate() {
        places.insert(
            Place::Detail(label.clone()),
            json!({ "position": position, "value": value }),
        );
    }
    for (position, spec) in release.specs.iter().enumerate() {
        let mut value = serde_json::to_value(spec).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.remove("name");
            map.remove("skus");
            map.insert("position".into(), json!(position));
        }
        places.insert(Place::Spec(spec.name.clone()), value);
        for (position, sku) in spec.skus.iter().enumerate() {
            let mut value = serde_json::to_value(sku).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                map.remove("key");
                map.insert("position".into(), json!(position));
            }
            places.insert(Place::Sku(spec.name.clone(), sku.key.clone()), value);
        }
    }
    places
}

fn position(value: &Value) -> u64 {
    value.get("position").and_then(Value::as_u64).unwrap_or(0)
}

fn without_position(value: &Value) -> Value {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.remove("position");
    }
    value
}

fn unflatten(places: &IndexMap<Place, Value>) -> Result<Release, serde_json::Error> {
    let mut fields = Map::new();
    let mut details: Vec<(u64, String, Value)> = Vec::new();
    let mut specs: Vec<(u64, String, Value)> = Vec::new();
    for (place, value) in places {
        match place {
            Place::Field(key) => {
                fields.insert(key.clone(), value.clone());
            }
            Place::Detail(label) => details.push((
                position(value),
                label.clone(),
                value.get("value").cloned().unwrap_or(Value::Null),
            )),
            Place::Spec(name) => specs.push((position(value), name.clone(), value.clone())),
            Place::Sku(..) => {}
        }
    }
    details.sort_by_key(|d| d.0);
    specs.sort_by_key(|s| s.0);
    fields.insert(
        "details".into(),
        Value::Array(
            details
                .into_iter()
                .map(|(_, label, value)| json!([label, value]))
                .collect(),
        ),
    );
    let mut spec_values = Vec::new();
    for (_, name, value) in specs {
        let mut skus: Vec<(u64, Value)> = places
            .iter()
            .filter_map(|(place, value)| match place {
                Place::Sku(spec, key) if *spec == name => {
                    let mut sku = without_position(value);
                    if let Value::Object(map) = &mut sku {
                        map.insert("key".into(), json!(key));
                    }
                    Some((position(value), sku))
                }
                _ => None,
            })
            .collect();
        skus.sort_by_key(|s| s.0);
        let mut spec = without_position(&value);
        if let Value::Object(map) = &mut spec {
            map.insert("name".into(), json!(name));
            map.insert(
                "skus".into(),
                Value::Array(skus.into_iter().map(|s| s.1).collect()),
            );
        }
        spec_values.push(spec);
    }
    fields.insert("specs".into(), Value::Array(spec_values));
    serde_json::from_value(Value::Object(fields))
}

/// Every place whose value differs between the listed release and the modified one: the
/// modified release's places in its order, then the places only the listed one has.
pub fn diff(old: &Release, new: &Release) -> ReleaseDiff {
    let before = flatten(old);
    let after = flatten(new);
    let mut changes = Vec::new();
    for (place, value) in &after {
        let was = before.get(place);
        if was != Some(value) {
            changes.push(Change {
                place: place.clone(),
                old: was.cloned(),
                new: Some(value.clone()),
            });
        }
    }
    for (place, value) in &before {
        if !after.contains_key(place) {
            changes.push(Change {
                place: place.clone(),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    ReleaseDiff { changes }
}

/// The listed release with the diff's changes made: the modified release again.
pub fn apply(old: &Release, diff: &ReleaseDiff) -> Result<Release, serde_json::Error> {
    let mut places = flatten(old);
    for change in &diff.changes {
        match &change.new {
            Some(value) => {
                places.insert(change.place.clone(), value.clone());
            }
            None => {
                places.shift_remove(&change.place);
            }
        }
    }
    unflatten(&places)
}

// ---------------------------------------------------------------------------------------------
// What the reviewer and the seller see.

/// Whether a row was changed, added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Changed,
    Added,
    Removed,
}

impl RowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Changed => "changed",
            RowKind::Added => "added",
            RowKind::Removed => "removed",
        }
    }

    /// "Changed", "Added", "Removed" in the reader's language.
    pub fn label(self) -> String {
        crate::i18n::tr(match self {
            RowKind::Changed => "lifecycle-diff-changed",
            RowKind::Added => "lifecycle-diff-added",
            RowKind::Removed => "lifecycle-diff-removed",
        })
    }

    /// A specification's caption: "Specification “Standard”: changed".
    pub fn spec_caption(self, name: &str) -> Msg {
        Msg::new(match self {
            RowKind::Changed => "lifecycle-diff-spec-changed",
            RowKind::Added => "lifecycle-diff-spec-added",
            RowKind::Removed => "lifecycle-diff-spec-removed",
        })
        .arg("name", name)
    }

    fn of(old: &Option<Lines>, new: &Option<Lines>) -> RowKind {
        match (old, new) {
            (None, _) => RowKind::Added,
            (_, None) => RowKind::Removed,
            _ => RowKind::Changed,
        }
    }
}

/// A value of the diff: lines of messages. The diff is read off the request's thread, so its
/// words are kept as messages and put in the reader's language when the page is rendered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lines(pub Vec<Msg>);

impl Lines {
    fn one(msg: Msg) -> Lines {
        Lines(vec![msg])
    }

    /// Text as it was typed (a name, a description).
    fn raw(text: String) -> Lines {
        Lines::one(Msg::raw(text))
    }
}

impl std::fmt::Display for Lines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, line) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{line}")?;
        }
        Ok(())
    }
}

/// One line of the diff: what, and the old value beside the new.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    pub label: Msg,
    pub kind: RowKind,
    pub old: Option<Lines>,
    pub new: Option<Lines>,
}

/// A specification's part of the diff.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecDiff {
    pub name: String,
    pub kind: RowKind,
    pub rows: Vec<DiffRow>,
    pub skus: Vec<DiffRow>,
}

/// The diff as pages show it: the fields, then each specification that changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffView {
    pub fields: Vec<DiffRow>,
    pub specs: Vec<SpecDiff>,
    /// Places left unchanged (folded away).
    pub unchanged: usize,
    /// The logo buyers see changes (its bytes are not part of the release's JSON).
    pub logo_changed: bool,
}

impl DiffView {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.specs.is_empty() && !self.logo_changed
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn limit_text(value: &Value) -> Lines {
    match serde_json::from_value::<Option<super::offer::PurchaseLimit>>(value.clone()) {
        Ok(Some(limit)) => Lines::one(limit_msg(&limit)),
        Ok(None) => Lines::one(Msg::new("lifecycle-diff-no-limit")),
        Err(_) => Lines::raw(text_of(value)),
    }
}

fn field_text(key: &str, value: &Value, group_name: &dyn Fn(i64) -> Option<String>) -> Lines {
    match (key, value) {
        ("purchase_limit", v) => limit_text(v),
        ("category", Value::String(code)) => Lines::one(label_msg(category_label(code))),
        ("introduction", Value::String(html)) => {
            Lines::raw(super::search::html_text(html).trim().to_string())
        }
        ("service_group_id", Value::Number(n)) => match n.as_i64().and_then(group_name) {
            Some(name) => Lines::raw(name),
            None => Lines::one(Msg::new("lifecycle-diff-group").arg("id", n.to_string())),
        },
        _ => Lines::raw(text_of(value)),
    }
}

fn spec_field_rows(
    old: Option<&Value>,
    new: Option<&Value>,
    regions: &[super::offer::Region],
) -> Vec<DiffRow> {
    let keys = [
        "billing",
        "trial_days",
        "attributes",
        "quantity",
        "purchase_limit",
        "regions",
        "position",
    ];
    let mut rows = Vec::new();
    for key in keys {
        let a = old.and_then(|v| v.get(key));
        let b = new.and_then(|v| v.get(key));
        if a == b {
            continue;
        }
        // A key a release leaves out (no limit, no trial, every region) reads as its default.
        let show = |v: Option<&Value>, spec: Option<&Value>| {
            spec.map(|_| spec_value_text(key, v.unwrap_or(&Value::Null), regions))
        };
        let (old_text, new_text) = (show(a, old), show(b, new));
        if old_text == new_text && old.is_some() && new.is_some() {
            continue;
        }
        let (old, new) = (old_text, new_text);
        rows.push(DiffRow {
            label: Msg::new(match key {
                "billing" => "lifecycle-diff-billing-mode",
                "trial_days" => "lifecycle-diff-free-trial",
                "attributes" => "lifecycle-diff-attributes",
                "quantity" => "lifecycle-diff-quantity",
                "purchase_limit" => "lifecycle-diff-purchase-limit",
                "regions" => "lifecycle-diff-sales-regions",
                _ => "lifecycle-diff-position",
            }),
            kind: RowKind::of(&old, &new),
            old,
            new,
        });
    }
    rows
}

fn spec_value_text(key: &str, value: &Value, regions: &[super::offer::Region]) -> Lines {
    match key {
        "trial_days" => Lines::one(match value.as_u64() {
            Some(days) => Msg::new("lifecycle-diff-trial-days").arg("days", days.to_string()),
            None => Msg::new("lifecycle-diff-no-trial"),
        }),
        "purchase_limit" => limit_text(value),
        "regions" => {
            let codes: Vec<String> = value
                .as_array()
                .map(|l| l.iter().map(text_of).collect())
                .unwrap_or_default();
            Lines::one(regions_msg(&codes, regions))
        }
        "billing" => match value.as_str().and_then(BillingMode::parse) {
            Some(b) => Lines::one(Msg::new(b.key())),
            None => Lines::raw(text_of(value)),
        },
        "attributes" => Lines::raw(
            value
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|a| {
                            format!(
                                "{}: {}",
                                text_of(a.get("name").unwrap_or(&Value::Null)),
                                a.get("values")
                                    .and_then(Value::as_array)
                                    .map(|v| v.iter().map(text_of).collect::<Vec<_>>().join(", "))
                                    .unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
        ),
        "quantity" => match value {
            Value::Null => Lines::one(Msg::new("lifecycle-diff-none")),
            q => {
                let text = |v: Option<&Value>| v.map(text_of).unwrap_or_default();
                Lines::one(
                    Msg::new(if q.get("tiered").and_then(Value::as_bool) == Some(true) {
                        "lifecycle-diff-quantity-tiered"
                    } else {
                        "lifecycle-diff-quantity-linear"
                    })
                    .arg("name", text(q.get("name")))
                    .arg("unit", text(q.get("unit")))
                    .arg("min", text(q.pointer("/range/min")))
                    .arg("max", text(q.pointer("/range/max")))
                    .arg("step", text(q.pointer("/range/step"))),
                )
            }
        },
        "position" => Lines::raw(
            value
                .as_u64()
                .map(|p| (p + 1).to_string())
                .unwrap_or_default(),
        ),
        _ => Lines::raw(text_of(value)),
    }
}

/// An SKU's prices as price lines ("CNY 10.00 per month"), in the specification's terms.
fn sku_text(sku: &Value, spec: Option<&Value>, currency: &str) -> Lines {
    let Ok(prices) =
        serde_json::from_value::<SkuPrices>(sku.get("prices").cloned().unwrap_or(Value::Null))
    else {
        return Lines::raw(text_of(sku));
    };
    let shell = spec.and_then(|s| {
        let mut s = without_position(s);
        if let Value::Object(map) = &mut s {
            map.insert("name".into(), json!(""));
            map.insert("skus".into(), json!([]));
        }
        serde_json::from_value::<ReleaseSpec>(s).ok()
    });
    Lines(
        prices
            .amounts
            .iter()
            .flat_map(|amount| match &shell {
                Some(spec) => crate::views::release::price_msgs(spec, amount, currency),
                None => vec![Msg::raw(format!("{currency} {:?}", amount.1))],
            })
            .collect(),
    )
}

fn sku_label(key: &str, sku: Option<&Value>) -> Msg {
    sku.and_then(|s| {
        serde_json::from_value::<ReleaseSku>({
            let mut s = without_position(s);
            if let Value::Object(map) = &mut s {
                map.insert("key".into(), json!(key));
            }
            s
        })
        .ok()
    })
    .map(|s| {
        if s.values.is_empty() {
            Msg::new("catalog-sku-standard")
        } else {
            Msg::raw(s.values.join(" / "))
        }
    })
    .unwrap_or_else(|| Msg::raw(key))
}

/// A release's own fields as (label, value) rows, in the field table's order and by its labels
/// (the introduction, rich text, is shown apart), then the delivery method's details: what the
/// review page lists for a submitted product.
pub fn release_facts(
    release: &Release,
    group_name: &dyn Fn(i64) -> Option<String>,
) -> Vec<(String, String)> {
    let Value::Object(fields) = serde_json::to_value(release).unwrap_or(Value::Null) else {
        return Vec::new();
    };
    let mut rows: Vec<(String, String)> = super::product_fields::FIELDS
        .iter()
        .filter_map(|f| {
            let key = f.release_key?;
            if key == "introduction" {
                return None;
            }
            let value = fields.get(key)?;
            let text = match key {
                "method" => release.method.label().to_string(),
                _ => field_text(key, value, group_name).to_string(),
            };
            Some((f.label_text(), text))
        })
        .collect();
    rows.extend(release.details.iter().cloned());
    rows
}

/// The diff as the review page and the seller's application page show it. `group_name` names
/// a service group by id (the seller's groups), for the after-sales group row.
pub fn view(
    old: &Release,
    new: &Release,
    group_name: &dyn Fn(i64) -> Option<String>,
    regions: &[super::offer::Region],
) -> DiffView {
    let d = diff(old, new);
    let before = flatten(old);
    let after = flatten(new);
    let total = before
        .keys()
        .chain(after.keys().filter(|k| !before.contains_key(*k)))
        .count();
    let mut view = DiffView {
        unchanged: total - d.changes.len(),
        ..DiffView::default()
    };
    let mut specs: IndexMap<String, SpecDiff> = IndexMap::new();
    for change in &d.changes {
        match &change.place {
            Place::Field(key) => {
                let show = |v: &Option<Value>| v.as_ref().map(|v| field_text(key, v, group_name));
                let (o, n) = (show(&change.old), show(&change.new));
                view.fields.push(DiffRow {
                    label: label_msg(
                        super::product_fields::label_of_release_key(key).unwrap_or(key),
                    ),
                    kind: RowKind::of(&o, &n),
                    old: o,
                    new: n,
                });
            }
            Place::Detail(label) => {
                let show = |v: &Option<Value>| {
                    v.as_ref()
                        .map(|v| Lines::raw(text_of(v.get("value").unwrap_or(&Value::Null))))
                };
                let (o, n) = (show(&change.old), show(&change.new));
                if o == n {
                    // Only its position moved (another detail came or went).
                    continue;
                }
                view.fields.push(DiffRow {
                    label: label_msg(label),
                    kind: RowKind::of(&o, &n),
                    old: o,
                    new: n,
                });
            }
            Place::Spec(name) => {
                let kind = match (&change.old, &change.new) {
                    (None, _) => RowKind::Added,
                    (_, None) => RowKind::Removed,
                    _ => RowKind::Changed,
                };
                let entry = specs.entry(name.clone()).or_insert_with(|| SpecDiff {
                    name: name.clone(),
                    kind,
                    rows: Vec::new(),
                    skus: Vec::new(),
                });
                entry.kind = kind;
                entry.rows = spec_field_rows(change.old.as_ref(), change.new.as_ref(), regions);
            }
            Place::Sku(spec, key) => {
                let old_spec = before.get(&Place::Spec(spec.clone()));
                let new_spec = after.get(&Place::Spec(spec.clone()));
                let o = change
                    .old
                    .as_ref()
                    .map(|v| sku_text(v, old_spec, &old.currency));
                let n = change
                    .new
                    .as_ref()
                    .map(|v| sku_text(v, new_spec, &new.currency));
                if o == n {
                    // Only its position in the table moved.
                    continue;
                }
                let entry = specs.entry(spec.clone()).or_insert_with(|| SpecDiff {
                    name: spec.clone(),
                    kind: RowKind::Changed,
                    rows: Vec::new(),
                    skus: Vec::new(),
                });
                entry.skus.push(DiffRow {
                    label: sku_label(key, change.new.as_ref().or(change.old.as_ref())),
                    kind: RowKind::of(&o, &n),
                    old: o,
                    new: n,
                });
            }
        }
    }
    view.specs = specs
        .into_values()
        .filter(|s| s.kind != RowKind::Changed || !s.rows.is_empty() || !s.skus.is_empty())
        .collect();
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pricing::{Amount, PeriodKind};
    use crate::domain::specification::EnumAttribute;
    use crate::domain::statuses::DeliveryMethod;
    use crate::i18n::Lang;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// A row as an English reader sees it: label, kind, old and new.
    fn english(row: &DiffRow) -> (String, RowKind, Option<String>, Option<String>) {
        let text = |l: &Lines| {
            l.0.iter()
                .map(|m| m.render(Lang::En))
                .collect::<Vec<_>>()
                .join("\n")
        };
        (
            row.label.render(Lang::En),
            row.kind,
            row.old.as_ref().map(text),
            row.new.as_ref().map(text),
        )
    }

    fn sku(values: &[&str], month: i64) -> ReleaseSku {
        ReleaseSku {
            values: values.iter().map(|v| v.to_string()).collect(),
            key: crate::domain::specification::sku_key(
                &values.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
            ),
            prices: SkuPrices {
                amounts: vec![(PeriodKind::Month, Amount::Flat(Decimal::new(month, 2)))],
            },
        }
    }

    fn spec(name: &str, skus: Vec<ReleaseSku>) -> ReleaseSpec {
        ReleaseSpec {
            name: name.into(),
            billing: BillingMode::YearlyMonthly,
            attributes: vec![EnumAttribute {
                name: "edition".into(),
                values: skus.iter().flat_map(|s| s.values.clone()).collect(),
            }],
            quantity: None,
            skus,
            purchase_limit: None,
            regions: Vec::new(),
            trial_days: None,
        }
    }

    fn release() -> Release {
        Release {
            method: DeliveryMethod::Saas,
            name: "Cloud Backup".into(),
            version: "V1.0".into(),
            category: "devops".into(),
            currency: "CNY".into(),
            overview: "Backups.".into(),
            introduction: "<p>Backups</p>".into(),
            highlights: vec!["Fast".into()],
            eula: "Terms".into(),
            user_guide_url: "https://docs.example.com".into(),
            service_group_id: 1,
            details: vec![("Service URL".into(), "https://a.example.com".into())],
            specs: vec![spec(
                "Standard",
                vec![sku(&["Basic"], 1000), sku(&["Pro"], 2000)],
            )],
            purchase_limit: None,
        }
    }

    #[test]
    fn an_unchanged_release_has_an_empty_diff() {
        assert!(diff(&release(), &release()).is_empty());
        assert!(view(&release(), &release(), &|_| None, &[]).is_empty());
    }

    #[test]
    fn a_new_price_is_one_sku_row_with_the_old_and_new_price() {
        let old = release();
        let mut new = release();
        new.specs[0].skus[0] = sku(&["Basic"], 1250);
        let v = view(&old, &new, &|_| None, &[]);
        assert!(v.fields.is_empty());
        assert_eq!(v.specs.len(), 1);
        assert_eq!(v.specs[0].name, "Standard");
        assert!(v.specs[0].rows.is_empty());
        let rows: Vec<_> = v.specs[0].skus.iter().map(english).collect();
        assert_eq!(
            rows,
            vec![(
                "Basic".to_string(),
                RowKind::Changed,
                Some("CNY 10.00 per month".to_string()),
                Some("CNY 12.50 per month".to_string()),
            )]
        );
    }

    #[test]
    fn changed_added_and_removed_fields_specifications_and_skus_are_listed_exactly() {
        let old = release();
        let mut new = release();
        new.overview = "Backups, kept 30 days.".into();
        new.category = "security".into();
        new.details.push(("Trial".into(), "Available".into()));
        new.specs[0].skus.remove(1);
        new.specs[0].attributes[0].values = vec!["Basic".into()];
        new.specs.push(spec("Team", vec![sku(&["Basic"], 3000)]));
        let v = view(&old, &new, &|_| None, &[]);
        let labels: Vec<_> = v
            .fields
            .iter()
            .map(|r| (r.label.render(Lang::En), r.kind))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("Category".to_string(), RowKind::Changed),
                ("Overview".to_string(), RowKind::Changed),
                ("Trial".to_string(), RowKind::Added)
            ]
        );
        let category = english(&v.fields[0]);
        assert_eq!(category.2.as_deref(), Some("DevOps and developer tools"));
        assert_eq!(category.3.as_deref(), Some("Security"));
        assert_eq!(v.specs.len(), 2);
        assert_eq!(v.specs[0].name, "Standard");
        assert_eq!(v.specs[0].rows.len(), 1, "the attribute's values");
        assert_eq!(v.specs[0].skus.len(), 1);
        assert_eq!(v.specs[0].skus[0].kind, RowKind::Removed);
        assert_eq!(v.specs[0].skus[0].label.render(Lang::En), "Pro");
        assert_eq!(v.specs[1].name, "Team");
        assert_eq!(v.specs[1].kind, RowKind::Added);
        assert_eq!(v.specs[1].skus[0].kind, RowKind::Added);
    }

    fn arb_release() -> impl Strategy<Value = Release> {
        let text = "[a-zA-Z 数据]{0,12}";
        let arb_sku = (
            proptest::collection::vec("[A-Z][a-z]{0,3}", 0..3),
            1i64..100_000,
        );
        let arb_spec = (
            "[A-Z][a-z]{1,5}",
            proptest::sample::select(vec![
                BillingMode::YearlyMonthly,
                BillingMode::OneTime,
                BillingMode::PayPerUse,
            ]),
            proptest::collection::vec(arb_sku, 0..4),
            proptest::option::of(1u32..50),
            proptest::collection::vec(proptest::sample::select(vec!["cn", "sg", "eu"]), 0..3),
            proptest::option::of(1u32..32),
        );
        (
            (text, text, text, text),
            proptest::collection::vec(text, 0..3),
            proptest::collection::vec(("[A-Z][a-z]{1,6}", text), 0..3),
            proptest::collection::vec(arb_spec, 0..4),
            1i64..5,
        )
            .prop_map(
                |((name, version, overview, eula), highlights, details, specs, group)| {
                    let mut seen_details = std::collections::HashSet::new();
                    let mut seen_specs = std::collections::HashSet::new();
                    Release {
                        method: DeliveryMethod::Saas,
                        name,
                        version,
                        category: "ai".into(),
                        currency: "USD".into(),
                        overview,
                        introduction: String::new(),
                        highlights,
                        eula,
                        user_guide_url: String::new(),
                        service_group_id: group,
                        details: details
                            .into_iter()
                            .filter(|(l, _)| seen_details.insert(l.clone()))
                            .collect(),
                        specs: specs
                            .into_iter()
                            .filter(|(n, ..)| seen_specs.insert(n.clone()))
                            .map(|(name, billing, skus, limit, regions, trial)| {
                                let mut keys = std::collections::HashSet::new();
                                let skus: Vec<ReleaseSku> = skus
                                    .into_iter()
                                    .map(|(values, minor)| {
                                        let values: Vec<&str> =
                                            values.iter().map(String::as_str).collect();
                                        sku(&values, minor)
                                    })
                                    .filter(|s| keys.insert(s.key.clone()))
                                    .collect();
                                ReleaseSpec {
                                    billing,
                                    purchase_limit: limit.map(|max| {
                                        if max == 1 {
                                            crate::domain::offer::PurchaseLimit::OncePerBuyer
                                        } else {
                                            crate::domain::offer::PurchaseLimit::MaxQuantity { max }
                                        }
                                    }),
                                    regions: regions.into_iter().map(String::from).collect(),
                                    trial_days: trial,
                                    ..spec(&name, skus)
                                }
                            })
                            .collect(),
                        purchase_limit: (group == 2)
                            .then_some(crate::domain::offer::PurchaseLimit::OncePerBuyer),
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn applying_the_diff_to_the_listed_release_gives_the_modified_one(
            old in arb_release(),
            new in arb_release(),
        ) {
            let d = diff(&old, &new);
            prop_assert_eq!(apply(&old, &d).unwrap(), new.clone());
            prop_assert_eq!(d.is_empty(), old == new);
            // Every change is a real one: nothing unchanged is listed.
            for change in &d.changes {
                prop_assert_ne!(&change.old, &change.new);
            }
        }
    }
}
