//! The template structs of every page.

use askama::Template;

use super::PageCtx;
use crate::domain::fields::FieldErrors;
use crate::domain::registration::{Registration, RegistrationForm};
use crate::domain::support::{BusinessContactForm, PresalesInfoForm, ServiceGroupForm};
use crate::i18n::Msg;
use crate::models::application::Application;
use crate::models::company::Company;
use crate::models::service_group::ServiceGroupRow;

type Days = [(&'static str, &'static str); 7];

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub next: String,
    pub error: Option<Msg>,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "auth/signup.html")]
pub struct SignupPage {
    pub ctx: PageCtx,
    pub email: String,
    /// A buyer's sign-up (from the catalog): no company, no seller console.
    pub buyer: bool,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "auth/signup_sent.html")]
pub struct SignupSentPage {
    pub ctx: PageCtx,
}

/// The page a confirmation link opens: a button that creates the account (a link alone must
/// not: mail scanners open links), or why the link does not work.
#[derive(Template)]
#[template(path = "auth/signup_confirm.html")]
pub struct SignupConfirmPage {
    pub ctx: PageCtx,
    pub email: Option<String>,
    pub token: String,
}

#[derive(Template)]
#[template(path = "auth/logout.html")]
pub struct LogoutPage {
    pub ctx: PageCtx,
}

#[derive(Template)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
pub struct Dashboard {
    pub ctx: PageCtx,
    pub company: Company,
    pub registration: Option<Application>,
    pub applications: Vec<Application>,
    pub group_count: i64,
}

#[derive(Template)]
#[template(path = "seller/registration.html")]
pub struct RegistrationPage {
    pub ctx: PageCtx,
    pub company: Company,
    pub application: Option<Application>,
    pub submitted: Option<Registration>,
    pub editable: bool,
    pub form: RegistrationForm,
    pub errors: FieldErrors,
    pub regions: &'static [(&'static str, &'static str, &'static str)],
    pub offerings: &'static [(&'static str, &'static str)],
    pub days: &'static Days,
    pub agreement_version: &'static str,
    /// An open company name change, if any.
    pub name_change: Option<PendingChange<crate::applications::company_name::CompanyNameChange>>,
    /// The new name as typed (kept after a refusal).
    pub new_legal_name: String,
}

impl RegistrationPage {
    pub fn is_approved(&self) -> bool {
        self.company.registration_status() == crate::domain::statuses::RegistrationStatus::Approved
    }

    /// "DBS Bank, Acme Cloud Ltd, account 0721…" in the reader's language.
    pub fn bank_summary(&self, r: &Registration) -> String {
        Msg::new("seller-bank-summary")
            .arg("bank", r.bank_name.as_str())
            .arg("holder", r.bank_account_name.as_str())
            .arg("number", r.bank_account_number.as_str())
            .render(self.ctx.lang)
    }

    /// "Mon, Tue, 09:00–18:00 (Asia/Singapore)" in the reader's language.
    pub fn hours_summary(&self, r: &Registration) -> String {
        Msg::new("seller-hours-summary")
            .arg("days", r.support_days_label())
            .arg("start", r.support_start.as_str())
            .arg("end", r.support_end.as_str())
            .arg("zone", r.time_zone.as_str())
            .render(self.ctx.lang)
    }
}

/// A change under review next to the values in force.
pub struct PendingChange<T> {
    pub app: Application,
    pub values: T,
}

#[derive(Template)]
#[template(path = "seller/support.html")]
pub struct SupportPage {
    pub ctx: PageCtx,
    pub company: Company,
    pub contact_pending: Option<PendingChange<BusinessContactForm>>,
    pub contact_form: BusinessContactForm,
    pub contact_errors: FieldErrors,
    pub presales_pending: Option<PendingChange<PresalesInfoForm>>,
    pub presales_form: PresalesInfoForm,
    pub presales_errors: FieldErrors,
    pub groups: Vec<ServiceGroupRow>,
    pub max_groups: i64,
    pub can_add_group: bool,
    pub group_form: ServiceGroupForm,
    pub group_errors: FieldErrors,
    pub days: &'static Days,
}

impl SupportPage {
    /// "Application #12, submitted …, decision due by …." of a change under review.
    pub fn pending_summary(&self, app: &Application) -> String {
        Msg::new("seller-pending-summary")
            .arg("id", app.id)
            .arg("submitted", app.submitted_text())
            .arg("due", app.due_text())
            .render(self.ctx.lang)
    }
}

#[derive(Template)]
#[template(path = "seller/group_edit.html")]
pub struct GroupEditPage {
    pub ctx: PageCtx,
    pub group_id: i64,
    pub group_form: ServiceGroupForm,
    pub group_errors: FieldErrors,
    pub days: &'static Days,
}

#[derive(Template)]
#[template(path = "seller/group_delete.html")]
pub struct GroupDeletePage {
    pub ctx: PageCtx,
    pub group: ServiceGroupRow,
}
