//! Seller > Services and Support: business contact, pre-sales info, after-sales service groups.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::fields::{is_email, is_phone, parse_clock, refuse_line_breaks, FieldErrors};
use super::service_hours::{format_clock, ServiceHours};
use crate::i18n::Msg;

/// A seller keeps at most this many after-sales customer service groups.
pub const MAX_SERVICE_GROUPS: i64 = 6;

fn check_phone(errors: &mut FieldErrors, field: &str, value: &str) {
    if !is_phone(value) {
        errors.add(field, Msg::new("seller-error-phone"));
    }
}

fn check_email(errors: &mut FieldErrors, field: &str, value: &str) {
    if !is_email(value) {
        errors.add(field, Msg::new("seller-error-email"));
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, Validate, PartialEq, Eq)]
#[serde(default)]
pub struct BusinessContactForm {
    #[validate(length(min = 2, max = 100, code = "seller-error-contact-name"))]
    pub contact_name: String,
    #[validate(length(max = 30, code = "seller-error-at-most"))]
    pub contact_phone: String,
    #[validate(length(max = 254, code = "seller-error-at-most"))]
    pub contact_email: String,
}

impl BusinessContactForm {
    pub fn check(mut self) -> Result<Self, (Self, FieldErrors)> {
        self.contact_name = self.contact_name.trim().to_string();
        self.contact_phone = self.contact_phone.trim().to_string();
        self.contact_email = self.contact_email.trim().to_lowercase();
        let mut errors = FieldErrors::new();
        refuse_line_breaks(
            &mut errors,
            &[
                ("contact_name", &self.contact_name),
                ("contact_phone", &self.contact_phone),
                ("contact_email", &self.contact_email),
            ],
        );
        if let Err(e) = self.validate() {
            errors.merge_validator(e);
        }
        check_phone(&mut errors, "contact_phone", &self.contact_phone);
        check_email(&mut errors, "contact_email", &self.contact_email);
        errors.sort_by_form(&["contact_name", "contact_phone", "contact_email"]);
        if errors.is_empty() {
            Ok(self)
        } else {
            Err((self, errors))
        }
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, Validate, PartialEq, Eq)]
#[serde(default)]
pub struct PresalesInfoForm {
    #[validate(length(max = 30, code = "seller-error-at-most"))]
    pub presales_phone: String,
    #[validate(length(max = 254, code = "seller-error-at-most"))]
    pub presales_email: String,
    #[validate(length(min = 5, max = 300, code = "seller-error-contact-address"))]
    pub presales_address: String,
}

impl PresalesInfoForm {
    pub fn check(mut self) -> Result<Self, (Self, FieldErrors)> {
        self.presales_phone = self.presales_phone.trim().to_string();
        self.presales_email = self.presales_email.trim().to_lowercase();
        self.presales_address = self.presales_address.trim().to_string();
        let mut errors = FieldErrors::new();
        refuse_line_breaks(
            &mut errors,
            &[
                ("presales_phone", &self.presales_phone),
                ("presales_email", &self.presales_email),
                ("presales_address", &self.presales_address),
            ],
        );
        if let Err(e) = self.validate() {
            errors.merge_validator(e);
        }
        check_phone(&mut errors, "presales_phone", &self.presales_phone);
        check_email(&mut errors, "presales_email", &self.presales_email);
        errors.sort_by_form(&["presales_phone", "presales_email", "presales_address"]);
        if errors.is_empty() {
            Ok(self)
        } else {
            Err((self, errors))
        }
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, Validate, PartialEq, Eq)]
#[serde(default)]
pub struct ServiceGroupForm {
    #[validate(length(min = 2, max = 60, code = "seller-error-group-name"))]
    pub name: String,
    #[validate(length(max = 30, code = "seller-error-at-most"))]
    pub phone: String,
    #[validate(length(max = 254, code = "seller-error-at-most"))]
    pub email: String,
    pub service_days: Vec<String>,
    pub hours_start: String,
    pub hours_end: String,
}

/// A service group that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGroup {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub hours: ServiceHours,
}

impl ServiceGroupForm {
    pub fn serves_on(&self, day: &str) -> bool {
        self.service_days.iter().any(|d| d == day)
    }

    /// Trims what was typed; the same values are shown again if a check fails.
    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_string();
        self.phone = self.phone.trim().to_string();
        self.email = self.email.trim().to_lowercase();
        self.hours_start = self.hours_start.trim().to_string();
        self.hours_end = self.hours_end.trim().to_string();
        self
    }

    pub fn check(&self) -> Result<ServiceGroup, FieldErrors> {
        let mut errors = FieldErrors::new();
        refuse_line_breaks(
            &mut errors,
            &[
                ("name", &self.name),
                ("phone", &self.phone),
                ("email", &self.email),
                ("hours_start", &self.hours_start),
                ("hours_end", &self.hours_end),
            ],
        );
        if self.service_days.len() > 7 {
            errors.add("service_days", Msg::new("seller-error-days-at-most"));
        }
        if let Err(e) = self.validate() {
            errors.merge_validator(e);
        }
        check_phone(&mut errors, "phone", &self.phone);
        check_email(&mut errors, "email", &self.email);
        let days = ServiceHours::normalise_days(&self.service_days);
        if days.is_empty() {
            errors.add("service_days", Msg::new("seller-error-days-at-least"));
        }
        let start = parse_clock(&self.hours_start);
        let end = parse_clock(&self.hours_end);
        if start.is_none() {
            errors.add("hours_start", Msg::new("seller-error-start-time"));
        }
        if end.is_none() {
            errors.add("hours_end", Msg::new("seller-error-end-time"));
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                errors.add("hours_end", Msg::new("seller-error-end-before-start"));
            }
        }
        errors.sort_by_form(&[
            "name",
            "phone",
            "email",
            "service_days",
            "hours_start",
            "hours_end",
        ]);
        match (errors.is_empty(), start, end) {
            (true, Some(start), Some(end)) => Ok(ServiceGroup {
                name: self.name.clone(),
                phone: self.phone.clone(),
                email: self.email.clone(),
                hours: ServiceHours { days, start, end },
            }),
            _ => Err(errors),
        }
    }

    pub fn from_stored(
        name: &str,
        phone: &str,
        email: &str,
        days: &str,
        start: &str,
        end: &str,
    ) -> Self {
        ServiceGroupForm {
            name: name.to_string(),
            phone: phone.to_string(),
            email: email.to_string(),
            service_days: days
                .split(',')
                .filter(|d| !d.is_empty())
                .map(String::from)
                .collect(),
            hours_start: start.to_string(),
            hours_end: end.to_string(),
        }
    }
}

impl ServiceGroup {
    pub fn hours_start_text(&self) -> String {
        format_clock(self.hours.start)
    }
    pub fn hours_end_text(&self) -> String {
        format_clock(self.hours.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> ServiceGroupForm {
        ServiceGroupForm {
            name: "Weekday desk".into(),
            phone: "+65 6123 4567".into(),
            email: "Desk@Acme.example ".into(),
            service_days: vec!["Tue".into(), "Mon".into()],
            hours_start: "09:00".into(),
            hours_end: "18:00".into(),
        }
    }

    #[test]
    fn a_valid_group_is_normalised() {
        let g = group().normalised().check().expect("valid");
        assert_eq!(g.email, "desk@acme.example");
        assert_eq!(g.hours.days, vec!["Mon", "Tue"]);
        assert_eq!(g.hours_end_text(), "18:00");
    }

    #[test]
    fn bad_fields_keep_what_was_typed() {
        let mut f = group();
        f.phone = "not a phone".into();
        f.hours_end = "08:00".into();
        f.service_days.clear();
        let kept = f.normalised();
        let errors = kept.check().unwrap_err();
        assert_eq!(kept.phone, "not a phone");
        assert!(errors.has("phone"));
        assert!(errors.has("hours_end"));
        assert!(errors.has("service_days"));
    }

    #[test]
    fn contact_needs_phone_and_email() {
        let f = BusinessContactForm {
            contact_name: "L".into(),
            contact_phone: "x".into(),
            contact_email: "nope".into(),
        };
        let (_, e) = f.check().unwrap_err();
        assert!(e.has("contact_name") && e.has("contact_phone") && e.has("contact_email"));
        let name = e.get("contact_name").unwrap();
        assert_eq!(
            name.render(crate::i18n::Lang::En),
            "Enter the contact's name (2 to 100 characters)."
        );
        assert_eq!(
            name.render(crate::i18n::Lang::ZhCn),
            "请输入联系人姓名（2 到 100 个字符）。"
        );
    }
}
