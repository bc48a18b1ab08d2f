//! The two languages the console speaks: which one a visitor gets, the messages of each (Fluent
//! files under `locales/`, embedded and checked by build.rs) and `Msg`, a message kept as a key
//! with arguments so that what is stored is rendered in the reader's language when read.

pub mod migrate;
pub mod zone;

use std::borrow::Cow;
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

mod files {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag: `<html lang>`, the cookie and the stored setting.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// A tag as browsers and people write it: `en-GB` is English, `zh`, `zh-Hans` and
    /// `zh-SG` are Simplified Chinese. Traditional Chinese (`zh-TW`, `zh-Hant`) is not offered,
    /// so it is not taken for it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => match parts.next() {
                None | Some("cn") | Some("hans") | Some("sg") => Some(Lang::ZhCn),
                _ => None,
            },
            _ => None,
        }
    }

    /// The best language of an `Accept-Language` header, by its q-values; `None` when it names
    /// neither. Only the first 16 entries are read, so a long header costs what a short one does.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for entry in accept_language.split(',').take(16) {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .filter(|q| q.is_finite() && (0.0..=1.0).contains(q))
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    /// The language's own name, as the switcher offers it ("中文" in every language).
    pub fn name(self) -> String {
        t(self, "language-name")
    }

    fn resources(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => files::EN,
            Lang::ZhCn => files::ZH_CN,
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: Lazy<[Bundle; 2]> = Lazy::new(|| Lang::ALL.map(bundle));

fn bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The text goes into HTML and mail: no invisible bidi isolation marks around arguments.
    bundle.set_use_isolating(false);
    for (name, text) in lang.resources() {
        // build.rs parsed every file already; a failure here is a bug in the build check.
        let resource = FluentResource::try_new(text.to_string())
            .unwrap_or_else(|_| panic!("locales/{}/{name} does not parse", lang.code()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|_| panic!("locales/{}/{name} repeats a key", lang.code()));
    }
    bundle
}

/// `BUNDLES` is built in the order of `Lang::ALL`, which is the declaration order.
fn bundle_of(lang: Lang) -> &'static Bundle {
    &BUNDLES[lang as usize]
}

/// Whether the shipped files have `key` (every language has the same keys: build.rs).
pub fn has_key(key: &str) -> bool {
    bundle_of(Lang::En).has_message(key)
}

/// Every key of `lang`, from the files as shipped.
pub fn keys(lang: Lang) -> Vec<String> {
    let mut keys = Vec::new();
    for (_, text) in lang.resources() {
        if let Ok(resource) = FluentResource::try_new(text.to_string()) {
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.push(m.id.name.to_string());
                }
            }
        }
    }
    keys
}

/// An argument of a message: text as it is, a number (English plurals select on it), or
/// another message rendered in the same language first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Int(i64),
    Text(String),
    /// Messages shown as a list: "a, b" in English, "a、b" in Chinese.
    List(Vec<Msg>),
    Msg(Box<Msg>),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Templates hand their values over by reference.
impl<T: Clone + Into<Arg>> From<&T> for Arg {
    fn from(v: &T) -> Arg {
        v.clone().into()
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Arg {
        Arg::Int(i64::from(n))
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(Box::new(m))
    }
}

/// Who reads what is being rendered: their language and time zone. Set for each request by
/// `middleware::viewer` (and for each email by its recipient), read by everything that turns a
/// key, a status or a time into text, so no handler has to pass it along.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub lang: Lang,
    pub zone: zone::Zone,
    /// The page being viewed (path and query), for the language switcher to come back to.
    pub page: String,
}

impl Viewer {
    /// The reader of an email or message written for an account: its settings, else English
    /// and UTC (nothing else is known of a recipient who is not the one asking).
    pub fn of_account(language: Option<&str>, time_zone: Option<&str>) -> Viewer {
        Viewer {
            lang: language.and_then(Lang::from_tag).unwrap_or_default(),
            zone: time_zone.and_then(zone::Zone::named).unwrap_or_default(),
            page: String::new(),
        }
    }
}

tokio::task_local! {
    static VIEWER: Viewer;
}

/// The viewer of the request (or email) being rendered; English and UTC outside of one.
pub fn viewer() -> Viewer {
    VIEWER.try_with(Viewer::clone).unwrap_or_default()
}

pub fn lang() -> Lang {
    VIEWER.try_with(|v| v.lang).unwrap_or_default()
}

/// Runs `f` (a request) with `viewer` as the reader of everything it renders.
pub async fn scope<F: std::future::Future>(viewer: Viewer, f: F) -> F::Output {
    VIEWER.scope(viewer, f).await
}

/// Renders with `viewer` as the reader: an email in its recipient's language and zone, a page
/// rendered on a blocking thread in the requester's.
pub fn with<R>(viewer: Viewer, f: impl FnOnce() -> R) -> R {
    VIEWER.sync_scope(viewer, f)
}

/// The message `key` in the current viewer's language.
pub fn tr(key: &str) -> String {
    t(lang(), key)
}

/// A stored UTC time in the current viewer's zone, named.
pub fn time(utc: &time::PrimitiveDateTime) -> String {
    VIEWER
        .try_with(|v| v.zone.time(utc))
        .unwrap_or_else(|_| zone::Zone::utc().time(utc))
}

/// The key a message made of text as it was typed carries (a reviewer's reason): Fluent keys
/// cannot begin with a hyphen, so no translation can be named so.
const RAW: &str = "-raw";

/// A message as a key and its arguments: what is stored and carried instead of prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    pub key: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, Arg)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key: Cow::Borrowed(key),
            args: Vec::new(),
        }
    }

    /// A message whose key is only known at run time (a validator rule's code).
    pub fn keyed(key: Cow<'static, str>) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg_owned(mut self, name: Cow<'static, str>, value: impl Into<Arg>) -> Msg {
        self.args.push((name, value.into()));
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((Cow::Borrowed(name), value.into()));
        self
    }

    /// Text shown as it is, in every language: what a person typed (a reviewer's reason).
    pub fn raw(text: impl Into<String>) -> Msg {
        Msg {
            key: Cow::Borrowed(RAW),
            args: vec![(Cow::Borrowed("text"), Arg::Text(text.into()))],
        }
    }

    pub fn is_raw(&self) -> bool {
        self.key == RAW
    }

    pub fn render(&self, lang: Lang) -> String {
        if self.is_raw() {
            return match self.args.first() {
                Some((_, Arg::Text(t))) => t.clone(),
                _ => String::new(),
            };
        }
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            let value = match value {
                Arg::Int(n) => FluentValue::from(*n),
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Msg(m) => FluentValue::from(m.render(lang)),
                Arg::List(items) => FluentValue::from(list(lang, items)),
            };
            args.set(name.clone(), value);
        }
        format(lang, &self.key, Some(&args))
    }
}

/// Messages as a list in `lang`'s way: "a, b" or "a、b".
pub fn list(lang: Lang, items: &[Msg]) -> String {
    let sep = match lang {
        Lang::En => ", ",
        Lang::ZhCn => "、",
    };
    items
        .iter()
        .map(|m| m.render(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

impl Msg {
    /// What a text column keeps: the message as JSON.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A message read from a text column. Text that is not a stored message (written before
    /// messages were kept as keys, and not migrated) reads as itself.
    pub fn from_stored(text: &str) -> Msg {
        if text.starts_with('{') {
            if let Ok(m) = serde_json::from_str(text) {
                return m;
            }
        }
        Msg::raw(text)
    }
}

/// Lines of messages as a text column keeps them (a message-center body).
pub fn lines_to_stored(lines: &[Msg]) -> String {
    serde_json::to_string(lines).unwrap_or_default()
}

pub fn lines_from_stored(text: &str) -> Vec<Msg> {
    if text.starts_with('[') {
        if let Ok(lines) = serde_json::from_str(text) {
            return lines;
        }
    }
    vec![Msg::raw(text)]
}

/// A number as the reader's locale groups it: "1,234,567.5" (CLDR: English and Simplified
/// Chinese both group by thousands with a comma and mark decimals with a point). The digits
/// are the ones given: an amount keeps its exact decimals.
pub fn group_digits(lang: Lang, number: &str) -> String {
    let (group, point) = match lang {
        Lang::En | Lang::ZhCn => (',', '.'),
    };
    let (sign, rest) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let mut out = String::with_capacity(number.len() + int.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// An amount with its currency code, two decimals, grouped for the current reader:
/// "CNY 12,345.50".
pub fn money(currency: &str, amount: &rust_decimal::Decimal) -> String {
    format!(
        "{currency} {}",
        group_digits(lang(), &format!("{:.2}", amount.round_dp(2)))
    )
}

/// An amount with every decimal it has (at least two), e.g. a settlement amount of
/// "CNY 1,080.24875": nothing is rounded away.
pub fn money_exact(currency: &str, amount: &rust_decimal::Decimal) -> String {
    let mut a = amount.normalize();
    if a.scale() < 2 {
        a.rescale(2);
    }
    format!("{currency} {}", group_digits(lang(), &a.to_string()))
}

/// In the current viewer's language: what templates print with `{{ msg }}`.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(lang()))
    }
}

/// The message `key` in `lang`. A key missing there falls back to English and then to the key
/// itself (build.rs makes both impossible for the shipped files; a stored key of a later version
/// read by an older one is the case left).
pub fn format(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    for lang in [lang, Lang::En] {
        let bundle = bundle_of(lang);
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(
                    key,
                    lang = lang.code(),
                    ?errors,
                    "message formatted with errors"
                );
            }
            return text.into_owned();
        }
    }
    tracing::warn!(key, "message key unknown");
    key.to_string()
}

/// The message `key` without arguments.
pub fn t(lang: Lang, key: &str) -> String {
    format(lang, key, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut en = keys(Lang::En);
        let mut zh = keys(Lang::ZhCn);
        en.sort();
        zh.sort();
        assert!(!en.is_empty());
        assert_eq!(en, zh);
    }

    #[test]
    fn a_key_renders_in_each_language() {
        assert_eq!(t(Lang::En, "nav-my-products"), "My Products");
        assert_eq!(t(Lang::ZhCn, "nav-my-products"), "我的商品");
        assert_eq!(t(Lang::ZhCn, "nav-drafts"), "草稿箱");
    }

    #[test]
    fn english_counts_select_a_plural_and_chinese_has_none() {
        let one = Msg::new("products-count").arg("n", 1i64);
        let many = Msg::new("products-count").arg("n", 3i64);
        assert_eq!(one.render(Lang::En), "1 product");
        assert_eq!(many.render(Lang::En), "3 products");
        assert_eq!(many.render(Lang::ZhCn), "3 个商品");
    }

    #[test]
    fn a_stored_message_round_trips_and_renders_in_the_reader_language() {
        let stored = Msg::new("products-count").arg("n", 2i64);
        let json = serde_json::to_string(&stored).unwrap();
        let read: Msg = serde_json::from_str(&json).unwrap();
        assert_eq!(read, stored);
        assert_eq!(read.render(Lang::En), "2 products");
        assert_eq!(read.render(Lang::ZhCn), "2 个商品");
    }

    #[test]
    fn numbers_are_grouped_and_keep_their_decimals() {
        assert_eq!(group_digits(Lang::En, "1234567.50"), "1,234,567.50");
        assert_eq!(group_digits(Lang::ZhCn, "100"), "100");
        assert_eq!(group_digits(Lang::ZhCn, "-1000.125"), "-1,000.125");
        assert_eq!(group_digits(Lang::En, "12a"), "12a");
        let amount: rust_decimal::Decimal = "12345.5".parse().unwrap();
        assert_eq!(money("CNY", &amount), "CNY 12,345.50");
    }

    #[test]
    fn an_unknown_key_shows_as_itself_not_a_panic() {
        assert_eq!(t(Lang::ZhCn, "no-such-key"), "no-such-key");
    }

    #[test]
    fn accept_language_picks_the_highest_quality_language_offered() {
        assert_eq!(Lang::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(Lang::negotiate("fr-FR, en;q=0.5, zh;q=0.4"), Some(Lang::En));
        assert_eq!(Lang::negotiate("de, fr"), None);
        assert_eq!(Lang::negotiate("zh-TW"), None);
        assert_eq!(
            Lang::negotiate("zh-Hans-CN;q=0.7, en;q=0"),
            Some(Lang::ZhCn)
        );
        assert_eq!(Lang::negotiate(""), None);
        assert_eq!(Lang::negotiate(&"x;q=nan,".repeat(10_000)), None);
    }
}

/// Every key the code and the templates name exists (a typo is a test failure, not a key
/// shown to a visitor), and every label key an enum makes does.
#[cfg(test)]
mod key_tests {
    use super::*;
    use std::path::Path;

    fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_key_named_in_the_code_and_the_templates_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("templates"), "html", &mut paths);
        files(&root.join("templates"), "txt", &mut paths);
        files(&root.join("src"), "rs", &mut paths);
        // `t("key")`, `t1("key", …)`, `tr("key")`, `Msg::new("key")`, `code = "key"`, and
        // the keys kept in tables (`"products-…"`-style literals after `label:`).
        let named = regex::Regex::new(
            r#"(?:\bt[12]?|\btr|Msg::new|error-|\bcode\s*=)\(?\s*"([a-zA-Z][a-zA-Z0-9_-]*)""#,
        )
        .unwrap();
        let mut missing = Vec::new();
        let mut seen = 0;
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap();
            // Comments name keys as examples.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for c in named.captures_iter(&code) {
                let key = &c[1];
                seen += 1;
                if !has_key(key) {
                    missing.push(format!(
                        "{}: {key}",
                        path.strip_prefix(root).unwrap().display()
                    ));
                }
            }
        }
        assert!(seen > 100, "only {seen} keys found: the pattern is wrong");
        assert!(
            missing.is_empty(),
            "keys named but not in locales/:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_label_an_enum_makes_is_a_key() {
        use crate::domain::statuses::*;
        let mut keys: Vec<String> = Vec::new();
        keys.extend(Role::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(OrderState::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(BillState::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(RefundState::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(RegistrationStatus::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(ApplicationKind::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(
            ApplicationKind::ALL
                .iter()
                .map(|v| format!("noun-{}", v.as_str())),
        );
        keys.extend(ApplicationStatus::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(DeliveryMethod::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(Lifecycle::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(Visibility::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(ProductEventKind::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(BillingMode::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(OutboxStatus::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(UploadKind::ALL.iter().map(|v| v.key().to_string()));
        keys.extend(
            ProductFilter::ALL
                .iter()
                .map(|v| format!("filter-{}", v.as_str())),
        );
        for kind in ApplicationKind::ALL {
            for (_, label) in crate::applications::fields_for(*kind) {
                keys.push(label.to_string());
            }
        }
        let missing: Vec<_> = keys.iter().filter(|k| !has_key(k)).collect();
        assert!(missing.is_empty(), "labels without a key: {missing:?}");
    }
}
