//! Seller registration: the form as typed, and the requirements a company must meet (SPEC §3).

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use validator::Validate;

use super::fields::{is_email, parse_clock, parse_date, FieldErrors};
use super::service_hours::ServiceHours;
use crate::i18n::Msg;

/// The Seller Agreement version a registration accepts; recorded with the time of acceptance.
pub const AGREEMENT_VERSION: &str = "2026-01";

/// What a company provides: the code the form sends and the key of its label.
pub const OFFERINGS: [(&str, &str); 5] = [
    ("images", "seller-offering-images"),
    ("saas", "seller-offering-saas"),
    ("licenses", "seller-offering-licenses"),
    ("apis", "seller-offering-apis"),
    (
        "professional_services",
        "seller-offering-professional_services",
    ),
];

/// An offering as the submitted details list it; a code that is none shows as it is.
fn offered(code: &str) -> Msg {
    match code {
        "images" => Msg::new("seller-offered-images"),
        "saas" => Msg::new("seller-offered-saas"),
        "licenses" => Msg::new("seller-offered-licenses"),
        "apis" => Msg::new("seller-offered-apis"),
        "professional_services" => Msg::new("seller-offered-professional_services"),
        other => Msg::raw(other),
    }
}

/// Country or region (its code, the key of its name), and the time zone its support hours
/// are given in.
pub const REGIONS: [(&str, &str, &str); 12] = [
    ("CN", "seller-region-cn", "Asia/Shanghai"),
    ("HK", "seller-region-hk", "Asia/Hong_Kong"),
    ("SG", "seller-region-sg", "Asia/Singapore"),
    ("TH", "seller-region-th", "Asia/Bangkok"),
    ("ID", "seller-region-id", "Asia/Jakarta"),
    ("MY", "seller-region-my", "Asia/Kuala_Lumpur"),
    ("AE", "seller-region-ae", "Asia/Dubai"),
    ("SA", "seller-region-sa", "Asia/Riyadh"),
    ("ZA", "seller-region-za", "Africa/Johannesburg"),
    ("DE", "seller-region-de", "Europe/Berlin"),
    ("BR", "seller-region-br", "America/Sao_Paulo"),
    ("MX", "seller-region-mx", "America/Mexico_City"),
];

/// The fields in the order the form shows them.
const FORM_ORDER: [&str; 17] = [
    "legal_name",
    "country_region",
    "established_on",
    "licence_number",
    "offerings",
    "tax_number",
    "bank_name",
    "bank_account_name",
    "bank_account_number",
    "presales_staff",
    "aftersales_staff",
    "support_days",
    "support_start",
    "support_end",
    "contact_name",
    "contact_email",
    "agreement",
];

pub fn region_time_zone(code: &str) -> Option<&'static str> {
    REGIONS.iter().find(|r| r.0 == code).map(|r| r.2)
}

/// The region's name in the reader's language; an unknown code shows as it is.
pub fn region_name(code: &str) -> String {
    REGIONS
        .iter()
        .find(|r| r.0 == code)
        .map(|r| crate::i18n::tr(r.1))
        .unwrap_or_else(|| code.to_string())
}

/// The registration form exactly as typed: every field text, so nothing is lost on an error.
#[derive(Debug, Default, Clone, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct RegistrationForm {
    #[validate(length(min = 2, max = 100, code = "seller-error-legal-name"))]
    pub legal_name: String,
    pub country_region: String,
    pub established_on: String,
    #[validate(length(min = 6, max = 30, code = "seller-error-licence-length"))]
    pub licence_number: String,
    pub offerings: Vec<String>,
    #[validate(length(min = 5, max = 30, code = "seller-error-tax-length"))]
    pub tax_number: String,
    #[validate(length(min = 2, max = 100, code = "seller-error-bank-name"))]
    pub bank_name: String,
    #[validate(length(min = 2, max = 100, code = "seller-error-account-holder"))]
    pub bank_account_name: String,
    #[validate(length(min = 6, max = 34, code = "seller-error-account-number"))]
    pub bank_account_number: String,
    pub presales_staff: String,
    pub aftersales_staff: String,
    pub support_days: Vec<String>,
    pub support_start: String,
    pub support_end: String,
    #[validate(length(max = 100, code = "seller-error-at-most"))]
    pub contact_name: String,
    #[validate(length(max = 254, code = "seller-error-at-most"))]
    pub contact_email: String,
    pub agreement: String,
}

/// A registration that meets every requirement; stored as the application's payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Registration {
    pub legal_name: String,
    pub country_region: String,
    pub time_zone: String,
    pub established_on: String,
    pub licence_number: String,
    pub offerings: Vec<String>,
    pub tax_number: String,
    pub bank_name: String,
    pub bank_account_name: String,
    pub bank_account_number: String,
    pub presales_staff: u32,
    pub aftersales_staff: u32,
    pub support_days: Vec<String>,
    pub support_start: String,
    pub support_end: String,
    pub contact_name: String,
    pub contact_email: String,
    pub agreement_version: String,
    pub agreement_accepted_at: String,
}

impl Registration {
    pub fn region_label(&self) -> String {
        region_name(&self.country_region)
    }

    /// The offerings as the reader reads them.
    pub fn offerings_label(&self) -> String {
        let items: Vec<Msg> = self.offerings.iter().map(|o| offered(o)).collect();
        crate::i18n::list(crate::i18n::lang(), &items)
    }

    /// The support days as the reader reads them: "Mon, Tue", "周一、周二".
    pub fn support_days_label(&self) -> String {
        super::service_hours::days_label(self.support_days.iter().map(String::as_str))
    }
}

impl RegistrationForm {
    pub fn trimmed(mut self) -> Self {
        for f in [
            &mut self.legal_name,
            &mut self.country_region,
            &mut self.established_on,
            &mut self.licence_number,
            &mut self.tax_number,
            &mut self.bank_name,
            &mut self.bank_account_name,
            &mut self.bank_account_number,
            &mut self.presales_staff,
            &mut self.aftersales_staff,
            &mut self.support_start,
            &mut self.support_end,
            &mut self.contact_name,
            &mut self.contact_email,
        ] {
            *f = f.trim().to_string();
        }
        self
    }

    /// Refills the form from a stored registration, e.g. to fix a rejected one.
    pub fn from_registration(r: &Registration) -> Self {
        RegistrationForm {
            legal_name: r.legal_name.clone(),
            country_region: r.country_region.clone(),
            established_on: r.established_on.clone(),
            licence_number: r.licence_number.clone(),
            offerings: r.offerings.clone(),
            tax_number: r.tax_number.clone(),
            bank_name: r.bank_name.clone(),
            bank_account_name: r.bank_account_name.clone(),
            bank_account_number: r.bank_account_number.clone(),
            presales_staff: r.presales_staff.to_string(),
            aftersales_staff: r.aftersales_staff.to_string(),
            support_days: r.support_days.clone(),
            support_start: r.support_start.clone(),
            support_end: r.support_end.clone(),
            contact_name: r.contact_name.clone(),
            contact_email: r.contact_email.clone(),
            agreement: String::new(),
        }
    }

    pub fn offers(&self, code: &str) -> bool {
        self.offerings.iter().any(|o| o == code)
    }

    pub fn supports_on(&self, day: &str) -> bool {
        self.support_days.iter().any(|d| d == day)
    }

    /// Checks every requirement at once; `today` is the application date.
    pub fn check(&self, today: Date, accepted_at: &str) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::new();
        super::fields::refuse_line_breaks(
            &mut errors,
            &[
                ("legal_name", &self.legal_name),
                ("country_region", &self.country_region),
                ("established_on", &self.established_on),
                ("licence_number", &self.licence_number),
                ("tax_number", &self.tax_number),
                ("bank_name", &self.bank_name),
                ("bank_account_name", &self.bank_account_name),
                ("bank_account_number", &self.bank_account_number),
                ("presales_staff", &self.presales_staff),
                ("aftersales_staff", &self.aftersales_staff),
                ("support_start", &self.support_start),
                ("support_end", &self.support_end),
                ("contact_name", &self.contact_name),
                ("contact_email", &self.contact_email),
            ],
        );
        for (field, list, max) in [
            ("offerings", &self.offerings, 10),
            ("support_days", &self.support_days, 7),
        ] {
            if list.len() > max {
                errors.add(
                    field,
                    Msg::new("seller-error-choose-at-most").arg("max", max),
                );
            }
        }
        if let Err(e) = self.validate() {
            errors.merge_validator(e);
        }

        let time_zone = region_time_zone(&self.country_region);
        if time_zone.is_none() {
            errors.add("country_region", Msg::new("seller-error-country-region"));
        }

        match parse_date(&self.established_on) {
            None => errors.add(
                "established_on",
                Msg::new("seller-error-established-format"),
            ),
            Some(d) if d > today => errors.add(
                "established_on",
                Msg::new("seller-error-established-future"),
            ),
            Some(d) if d > one_year_before(today) => {
                errors.add("established_on", Msg::new("seller-error-established-young"))
            }
            Some(_) => {}
        }

        if !is_code(&self.licence_number) {
            errors.add("licence_number", code_chars(6, 30));
        }
        if !is_code(&self.tax_number) {
            errors.add("tax_number", code_chars(5, 30));
        }
        let account: String = self
            .bank_account_number
            .chars()
            .filter(|c| *c != ' ')
            .collect();
        if !account.chars().all(|c| c.is_ascii_alphanumeric()) {
            errors.add(
                "bank_account_number",
                Msg::new("seller-error-account-chars"),
            );
        }

        let offerings: Vec<String> = OFFERINGS
            .iter()
            .filter(|(code, _)| self.offers(code))
            .map(|(code, _)| code.to_string())
            .collect();
        if offerings.is_empty() {
            errors.add("offerings", Msg::new("seller-error-offerings"));
        }

        let presales = staff_count(&self.presales_staff);
        if presales.is_none() {
            errors.add("presales_staff", Msg::new("seller-error-presales-staff"));
        }
        let aftersales = staff_count(&self.aftersales_staff);
        if aftersales.is_none() {
            errors.add(
                "aftersales_staff",
                Msg::new("seller-error-aftersales-staff"),
            );
        }

        let start = parse_clock(&self.support_start);
        let end = parse_clock(&self.support_end);
        if start.is_none() {
            errors.add("support_start", Msg::new("seller-error-start-time"));
        }
        if end.is_none() {
            errors.add("support_end", Msg::new("seller-error-end-time"));
        }
        let days = ServiceHours::normalise_days(&self.support_days);
        if let (Some(start), Some(end)) = (start, end) {
            let hours = ServiceHours {
                days: days.clone(),
                start,
                end,
            };
            if end <= start {
                errors.add("support_end", Msg::new("seller-error-end-before-start"));
            } else if !hours.meets_marketplace_minimum() {
                errors.add("support_days", Msg::new("seller-error-support-minimum"));
            }
        }

        if !self.contact_email.is_empty() && !is_email(&self.contact_email) {
            errors.add("contact_email", Msg::new("seller-error-email"));
        }

        if self.agreement != "accepted" {
            errors.add("agreement", Msg::new("seller-error-agreement"));
        }

        errors.sort_by_form(&FORM_ORDER);
        errors.into_result(|| Registration {
            legal_name: self.legal_name.clone(),
            country_region: self.country_region.clone(),
            time_zone: time_zone.unwrap_or_default().to_string(),
            established_on: self.established_on.clone(),
            licence_number: self.licence_number.to_uppercase(),
            offerings,
            tax_number: self.tax_number.to_uppercase(),
            bank_name: self.bank_name.clone(),
            bank_account_name: self.bank_account_name.clone(),
            bank_account_number: account.to_uppercase(),
            presales_staff: presales.unwrap_or_default(),
            aftersales_staff: aftersales.unwrap_or_default(),
            support_days: days.iter().map(|d| d.to_string()).collect(),
            support_start: self.support_start.clone(),
            support_end: self.support_end.clone(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.to_lowercase(),
            agreement_version: AGREEMENT_VERSION.to_string(),
            agreement_accepted_at: accepted_at.to_string(),
        })
    }
}

/// The same calendar day one year earlier; 29 February falls back to the 28th.
pub fn one_year_before(day: Date) -> Date {
    let year = day.year() - 1;
    Date::from_calendar_date(year, day.month(), day.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(day)
}

/// Which characters a license or tax number may have, and how many.
fn code_chars(min: i64, max: i64) -> Msg {
    Msg::new("seller-error-code-chars")
        .arg("min", min)
        .arg("max", max)
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn staff_count(s: &str) -> Option<u32> {
    s.parse::<u32>()
        .ok()
        .filter(|n| (1..=1_000_000).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    pub fn valid_form() -> RegistrationForm {
        RegistrationForm {
            legal_name: "Acme Cloud Ltd".into(),
            country_region: "SG".into(),
            established_on: "2020-05-01".into(),
            licence_number: "UEN-201912345".into(),
            offerings: vec!["saas".into(), "apis".into()],
            tax_number: "GST-1234567".into(),
            bank_name: "DBS Bank".into(),
            bank_account_name: "Acme Cloud Ltd".into(),
            bank_account_number: "0721 2345 6789".into(),
            presales_staff: "2".into(),
            aftersales_staff: "3".into(),
            support_days: ["Mon", "Tue", "Wed", "Thu", "Fri"]
                .map(String::from)
                .to_vec(),
            support_start: "09:00".into(),
            support_end: "18:00".into(),
            contact_name: "Mei Tan".into(),
            contact_email: "mei@acme.example".into(),
            agreement: "accepted".into(),
        }
    }

    const TODAY: Date = date!(2026 - 11 - 22);

    fn error_of(form: RegistrationForm, field: &str) -> Option<String> {
        form.check(TODAY, "now").err().and_then(|e| e.text(field))
    }

    #[test]
    fn a_complete_registration_passes() {
        let r = valid_form()
            .check(TODAY, "2026-11-22 10:00")
            .expect("valid");
        assert_eq!(r.time_zone, "Asia/Singapore");
        assert_eq!(r.bank_account_number, "072123456789");
        assert_eq!(r.agreement_version, AGREEMENT_VERSION);
    }

    #[test]
    fn a_company_younger_than_one_year_is_refused() {
        let mut f = valid_form();
        f.established_on = "2025-11-23".into();
        assert!(error_of(f, "established_on")
            .unwrap()
            .contains("at least 1 year"));
        let mut f = valid_form();
        f.established_on = "2025-11-22".into();
        assert!(f.check(TODAY, "now").is_ok());
    }

    #[test]
    fn staff_counts_must_be_at_least_one() {
        let mut f = valid_form();
        f.presales_staff = "0".into();
        f.aftersales_staff = "many".into();
        let e = f.check(TODAY, "now").unwrap_err();
        assert!(e.has("presales_staff"));
        assert!(e.has("aftersales_staff"));
    }

    #[test]
    fn support_below_eight_by_five_is_refused() {
        let mut f = valid_form();
        f.support_end = "16:59".into();
        assert!(error_of(f, "support_days")
            .unwrap()
            .contains("8 hours a day"));
        let mut f = valid_form();
        f.support_days.pop();
        assert!(error_of(f, "support_days").is_some());
    }

    #[test]
    fn offering_and_agreement_are_required() {
        let mut f = valid_form();
        f.offerings.clear();
        f.agreement.clear();
        let e = f.check(TODAY, "now").unwrap_err();
        assert!(e.has("offerings"));
        assert!(e.has("agreement"));
    }

    #[test]
    fn messages_are_keys_read_in_each_language() {
        use crate::i18n::Lang;
        let mut f = valid_form();
        f.legal_name = "x".into();
        f.tax_number = "TAX 12345".into();
        let e = f.check(TODAY, "now").unwrap_err();
        let name = e.get("legal_name").unwrap();
        assert_eq!(
            name.render(Lang::En),
            "Enter the company's legal name (2 to 100 characters)."
        );
        assert_eq!(
            name.render(Lang::ZhCn),
            "请输入企业名称（2 到 100 个字符）。"
        );
        assert_eq!(
            e.get("tax_number").unwrap().render(Lang::En),
            "Use letters, digits and dashes only (5 to 30 characters)."
        );
    }

    #[test]
    fn leap_day_goes_back_to_the_28th() {
        assert_eq!(
            one_year_before(date!(2028 - 02 - 29)),
            date!(2027 - 02 - 28)
        );
    }
}
