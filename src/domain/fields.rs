//! Per-field error messages shown next to form inputs, and the small parsers forms share.

use indexmap::IndexMap;
use once_cell::sync::Lazy;
use regex::Regex;
use validator::{ValidateEmail, ValidationErrors};

use crate::i18n::Msg;

/// In the order the fields appear on the form, so the summary reads top to bottom. A map, so
/// adding or finding a message costs the same however many there are (a release check of a
/// big specification adds hundreds).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Box<IndexMap<String, Msg>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the first message per field: the one the user should fix first.
    pub fn add(&mut self, field: &str, message: impl Into<Msg>) {
        if !self.has(field) {
            self.0.insert(field.to_string(), message.into());
        }
    }

    /// Shown with `{{ message }}`: rendered in the reader's language.
    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.get(field)
    }

    /// The message as the reader reads it (tests compare the English).
    pub fn text(&self, field: &str) -> Option<String> {
        self.0.get(field).map(ToString::to_string)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Puts the messages in the order of `fields` (the form's order); others go last.
    pub fn sort_by_form(&mut self, fields: &[&str]) {
        let rank = |f: &str| fields.iter().position(|x| *x == f).unwrap_or(fields.len());
        self.0.sort_by_cached_key(|f, _| rank(f));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Msg)> {
        self.0.iter()
    }

    /// Adds every message of `other` whose field has none yet.
    pub fn extend(&mut self, other: FieldErrors) {
        for (field, message) in *other.0 {
            self.0.entry(field).or_insert(message);
        }
    }

    pub fn merge_validator(&mut self, errors: ValidationErrors) {
        let mut fields: Vec<_> = errors.field_errors().into_iter().collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        for (field, errs) in fields {
            if let Some(e) = errs.first() {
                // A rule's `code` is the key of its message; its `params` (max, min) the
                // message's arguments.
                let msg = if crate::i18n::has_key(&e.code) {
                    let mut msg = Msg::keyed(e.code.clone());
                    for (name, value) in &e.params {
                        if let Some(n) = value.as_i64() {
                            msg = msg.arg_owned(name.clone(), n);
                        } else if let Some(t) = value.as_str() {
                            msg = msg.arg_owned(name.clone(), t.to_string());
                        }
                    }
                    msg
                } else {
                    match &e.message {
                        Some(m) => Msg::raw(m.to_string()),
                        None => Msg::new("error-field-invalid"),
                    }
                };
                self.add(&field, msg);
            }
        }
    }

    pub fn into_result<T>(self, ok: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(ok())
        } else {
            Err(self)
        }
    }
}

/// The message for a line break in a one-line field.
pub const ONE_LINE: &str = "error-one-line";

/// Single-line fields refuse line breaks (a browser's text box cannot send one, so one came
/// from elsewhere); checked before a field's other rules, so this is the message shown.
pub fn refuse_line_breaks(errors: &mut FieldErrors, fields: &[(&str, &str)]) {
    for (field, value) in fields {
        if value.contains(['\r', '\n']) {
            errors.add(field, Msg::new(ONE_LINE));
        }
    }
}

static PHONE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^\+?[(0-9][0-9 ()\-]{4,23}$").expect("phone regex compiles"));

/// An international or local phone number: digits with optional +, spaces, dashes, brackets.
pub fn is_phone(s: &str) -> bool {
    PHONE.is_match(s) && s.chars().filter(char::is_ascii_digit).count() >= 6
}

pub fn is_email(s: &str) -> bool {
    s.len() <= 254 && s.validate_email()
}

pub fn parse_date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), fmt).ok()
}

/// `HH:MM`, 24-hour clock; `24:00` means the end of the day.
pub fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

pub fn validator_phone(s: &str) -> Result<(), validator::ValidationError> {
    if is_phone(s) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("phone"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_accept_common_forms_and_refuse_words() {
        assert!(is_phone("+86 755 2878 0808"));
        assert!(is_phone("(020) 7946-0958"));
        assert!(!is_phone("call me"));
        assert!(!is_phone("12345"));
        assert!(!is_phone("+1 555 0100 ext"));
    }

    #[test]
    fn clock_times_are_strict() {
        assert_eq!(parse_clock("09:30"), Some(570));
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("9:30"), None);
        assert_eq!(parse_clock("09:60"), None);
    }

    #[test]
    fn messages_follow_the_form_order() {
        let mut e = FieldErrors::new();
        e.add("c", Msg::raw("3"));
        e.add("a", Msg::raw("1"));
        e.add("b", Msg::raw("2"));
        e.sort_by_form(&["a", "b", "c"]);
        let order: Vec<&String> = e.iter().map(|(f, _)| f).collect();
        assert_eq!(order, ["a", "b", "c"]);
    }

    #[test]
    fn first_message_per_field_wins() {
        let mut e = FieldErrors::new();
        e.add("name", Msg::raw("first"));
        e.add("name", Msg::raw("second"));
        assert_eq!(e.text("name").as_deref(), Some("first"));
    }
}
