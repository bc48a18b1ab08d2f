//! Applications as both sides see them: the seller's My Applications and the operators' queue,
//! with the detail pages, the timeline and the decision form.

use askama::Template;
use time::Date;

use super::PageCtx;
use crate::domain::fields::FieldErrors;
use crate::domain::product::{Release, ReleaseSpec};
use crate::domain::statuses::{ApplicationKind, ApplicationStatus};
use crate::i18n::Msg;
use crate::models::application::Application;
use crate::models::company::Company;
use crate::models::review::{ApplicationRow, TimelineEvent};
use crate::models::upload::UploadMeta;

/// (code, label, count) of a filter tab.
pub type Tab = (String, String, i64);

/// Builds the query string of a list page with the filters kept.
pub fn list_link(base: &str, status: &str, kind: &str, page: i64) -> String {
    let mut parts = Vec::new();
    if !status.is_empty() {
        parts.push(format!("status={status}"));
    }
    if !kind.is_empty() {
        parts.push(format!("kind={kind}"));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", parts.join("&"))
    }
}

pub fn kind_options() -> Vec<(String, String)> {
    ApplicationKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect()
}

pub use crate::applications::{fix_link, named_fields, summary as payload_summary};

#[derive(Template)]
#[template(path = "applications/list.html")]
pub struct MyApplicationsPage {
    pub ctx: PageCtx,
    pub rows: Vec<ApplicationRow>,
    pub total: i64,
    pub all_count: i64,
    pub page: i64,
    pub pages: i64,
    pub status: Option<ApplicationStatus>,
    pub kind: Option<ApplicationKind>,
    pub tabs: Vec<Tab>,
    pub kinds: Vec<(String, String)>,
    pub today: Date,
}

/// The code of the filter chosen, "" for all: what the lists' links and selects carry.
fn code<T: Copy>(value: Option<T>, as_str: fn(T) -> &'static str) -> &'static str {
    value.map(as_str).unwrap_or("")
}

impl MyApplicationsPage {
    pub fn status_code(&self) -> &'static str {
        code(self.status, ApplicationStatus::as_str)
    }

    pub fn kind_code(&self) -> &'static str {
        code(self.kind, ApplicationKind::as_str)
    }

    pub fn link(&self, status: &str, page: i64) -> String {
        list_link("/console/applications", status, self.kind_code(), page)
    }

    pub fn page_link(&self, page: i64) -> String {
        list_link(
            "/console/applications",
            self.status_code(),
            self.kind_code(),
            page,
        )
    }

    /// "Page 1 of 2 (60 applications)".
    pub fn pager_text(&self) -> Msg {
        pager("apps-pager", self.page, self.pages, self.total)
    }
}

fn pager(key: &'static str, page: i64, pages: i64, total: i64) -> Msg {
    Msg::new(key)
        .arg("page", page)
        .arg("pages", pages)
        .arg("total", total)
}

#[derive(Template)]
#[template(path = "applications/detail.html")]
pub struct ApplicationPage {
    pub ctx: PageCtx,
    pub app: Application,
    pub summary: Vec<(String, String)>,
    pub fields: Vec<(String, String)>,
    pub timeline: Vec<TimelineEvent>,
    pub fix_link: Option<String>,
    pub today: Date,
    /// A modification's diff against the listed release, and that release's number.
    pub diff: Option<crate::domain::diff::DiffView>,
    pub diff_base: Option<i32>,
    pub removal: Option<RemovalView>,
}

impl ApplicationPage {
    pub fn is_open(&self) -> bool {
        self.app.status().is_open()
    }

    pub fn may_delete(&self) -> bool {
        matches!(
            self.app.status(),
            ApplicationStatus::Rejected | ApplicationStatus::Withdrawn
        )
    }

    pub fn overdue(&self) -> bool {
        self.is_open() && self.app.due_date < self.today
    }

    /// "Application #3", the page's title.
    pub fn title(&self) -> Msg {
        Msg::new("apps-detail-title").arg("id", self.app.id)
    }
}

#[derive(Template)]
#[template(path = "applications/confirm.html")]
pub struct ConfirmPage {
    pub ctx: PageCtx,
    pub app: Application,
    /// "withdraw" or "delete": the last segment of the form's action.
    pub action: &'static str,
    pub heading: Msg,
    pub explanation: Msg,
    pub button: Msg,
}

impl ConfirmPage {
    /// "Product release #3: Cloud Backup Suite".
    pub fn subject_line(&self) -> Msg {
        Msg::new("apps-confirm-subject")
            .arg("kind", self.app.kind_label())
            .arg("id", self.app.id)
            .arg("subject", self.app.subject.as_str())
    }
}

#[derive(Template)]
#[template(path = "ops/queue.html")]
pub struct QueuePage {
    pub ctx: PageCtx,
    pub rows: Vec<ApplicationRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub status: Option<ApplicationStatus>,
    pub kind: Option<ApplicationKind>,
    pub statuses: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub today: Date,
}

impl QueuePage {
    pub fn status_code(&self) -> &'static str {
        code(self.status, ApplicationStatus::as_str)
    }

    pub fn kind_code(&self) -> &'static str {
        code(self.kind, ApplicationKind::as_str)
    }

    pub fn page_link(&self, page: i64) -> String {
        list_link(
            "/ops/applications",
            self.status_code(),
            self.kind_code(),
            page,
        )
    }

    pub fn pager_text(&self) -> Msg {
        pager("ops-queue-pager", self.page, self.pages, self.total)
    }
}

/// A product release's snapshot as submitted, for the reviewer.
pub struct ReleaseView {
    pub release: Release,
    pub group: Option<String>,
    /// Its fields as (label, value), from the one field table.
    pub facts: Vec<(String, String)>,
    /// Per specification: where it is sold, its limit, its trial.
    pub spec_notes: Vec<String>,
}

impl ReleaseView {
    pub fn category_label(&self) -> &str {
        crate::domain::product::category_label(&self.release.category)
    }

    pub fn price_lines(&self, spec: &ReleaseSpec) -> Vec<Vec<String>> {
        spec.skus
            .iter()
            .map(|sku| {
                sku.prices
                    .amounts
                    .iter()
                    .flat_map(|a| {
                        crate::views::release::price_lines(spec, a, &self.release.currency)
                    })
                    .collect()
            })
            .collect()
    }

    /// "Users: 1–100 users, in steps of 1." for a specification sold by quantity.
    pub fn quantity_note(&self, spec: &ReleaseSpec) -> Option<Msg> {
        spec.quantity.as_ref().map(|q| {
            Msg::new("ops-spec-quantity")
                .arg("name", q.name.as_str())
                .arg("min", q.range.min.to_string())
                .arg("max", q.range.max.to_string())
                .arg("unit", q.unit.as_str())
                .arg("step", q.range.step.to_string())
        })
    }
}

#[derive(Template)]
#[template(path = "ops/application.html")]
pub struct ReviewPage {
    pub ctx: PageCtx,
    pub app: Application,
    pub company: Company,
    pub submitter: String,
    pub reviewer: Option<String>,
    pub summary: Vec<(String, String)>,
    pub release: Option<ReleaseView>,
    /// A modification's diff against the listed release, and that release's number.
    pub diff: Option<crate::domain::diff::DiffView>,
    pub diff_base: Option<i32>,
    pub removal: Option<RemovalView>,
    /// The product's history, newest first (its latest entries).
    pub history: Vec<crate::models::product_event::HistoryEntry>,
    pub application_base: &'static str,
    pub uploads: Vec<UploadMeta>,
    pub timeline: Vec<TimelineEvent>,
    pub named: Vec<(String, String)>,
    pub field_choices: Vec<(&'static str, String)>,
    pub chosen: Vec<String>,
    pub reason: String,
    pub outcome: String,
    pub errors: FieldErrors,
    pub today: Date,
}

impl ReviewPage {
    pub fn is_open(&self) -> bool {
        self.app.status().is_open()
    }

    pub fn is_pending(&self) -> bool {
        self.app.status() == ApplicationStatus::Pending
    }

    pub fn overdue(&self) -> bool {
        self.is_open() && self.app.due_date < self.today
    }

    /// "Application #3", the page's title.
    pub fn title(&self) -> Msg {
        Msg::new("ops-app-title").arg("id", self.app.id)
    }

    pub fn is_chosen(&self, name: &&str) -> bool {
        self.chosen.iter().any(|c| c == name)
    }

    /// "Acme Cloud Ltd (registration: Approved)".
    pub fn seller_line(&self) -> Msg {
        Msg::new("ops-seller-line")
            .arg("company", self.company.display_name().to_string())
            .arg("status", self.company.registration_status().label())
    }

    /// The fields the decision named, as a list in the reader's language.
    pub fn named_list(&self) -> String {
        let items: Vec<Msg> = self.named.iter().map(|f| Msg::raw(f.1.as_str())).collect();
        crate::i18n::list(crate::i18n::lang(), &items)
    }
}

/// What a removal application asks: what goes, why, and the proof files.
pub struct RemovalView {
    pub target: String,
    pub reason: String,
    pub files: Vec<crate::models::removal::FileMeta>,
}

impl RemovalView {
    pub fn of(
        app: &Application,
        files: Vec<crate::models::removal::FileMeta>,
    ) -> Result<Self, crate::error::AppError> {
        let request: crate::domain::removal::RemovalRequest = app.payload()?;
        Ok(RemovalView {
            target: request.target.label(),
            reason: request.reason,
            files,
        })
    }
}
