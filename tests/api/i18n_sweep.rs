//! Every page of the route map (SPEC 8), as a visitor, a seller and an operator, in Chinese:
//! no English UI word may be left outside the data the test typed; and in English, no Chinese.

use once_cell::sync::Lazy;
use regex::Regex;
use reqwest::Client;

use crate::helpers::{client, decode_entities, spawn_app, Page, TestApp};
use crate::products::start;
use crate::review::{decide, submitted_product};

/// Words of our UI that a Chinese page must not show (matched as whole words, case-sensitive).
const ENGLISH_UI: &[&str] = &[
    "Save",
    "Submit",
    "Status",
    "Pending",
    "Draft",
    "Drafts",
    "Sign out",
    "Sign in",
    "Sign up",
    "Search",
    "Cancel",
    "Delete",
    "Edit",
    "Preview",
    "Approved",
    "Rejected",
    "Withdraw",
    "Withdrawn",
    "Listed",
    "Hidden",
    "Removed",
    "History",
    "Overview",
    "Previous",
    "Next",
    "Settings",
    "Password",
    "Required",
    "Optional",
    "Choose",
    "Error",
    "Messages",
    "Message Center",
    "My Products",
    "Dashboard",
    "Operations",
    "Review",
    "Product",
    "Products",
    "Price",
    "Prices",
    "Name",
    "Email",
    "Phone",
    "Description",
    "Seller",
    "Company",
    "Application",
    "Applications",
    "Specification",
    "Delivery",
    "Yes",
    "No",
    "Unread",
    "Mark",
    "Back",
    "All",
    "Filter",
    "Page",
    "Home",
    "Console",
    "Submitted",
    "Reason",
    "Fields",
    "Language",
    "Time zone",
    "Skip to content",
    "Registration",
    "Support",
    "Services",
    "Contact",
    "Hide",
    "Show",
    "Remove",
    "Release",
    "Modification",
    "Claim",
    "Decision",
    "Approve",
    "Reject",
    "Comment",
    "Due",
    "Overdue",
    "Sent",
    "Failed",
    "Queued",
    "Retry",
    "Download",
    "Upload",
    "Open",
    "Close",
    "View",
    "New",
    "Add",
    "Change",
    "Update",
    "Confirm",
    "Account",
    "the",
    "and",
    "your",
    "of",
    "to",
    "is",
    "are",
    "for",
    "with",
];

/// What the test itself typed (and the demo words of the helpers): data, not UI.
const DATA: &[&str] = &[
    "Cloud Backup Suite",
    "Backups of every cloud disk, kept for 30 days.",
    "Automatic",
    "backups",
    "of cloud disks.",
    "Incremental",
    "Encrypted",
    "You may use the service under these terms and conditions.",
    "Standard",
    "edition",
    "Basic",
    "Pro",
    "users",
    "user",
    "Weekday desk",
    "Approved Co",
    "V1.0",
    "CNY",
    "USD",
    "OwnerReasonMarker",
    "SaaS",
    "SKU",
    "UTC",
    "English",
];

static TAG: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
static HIDDEN: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?is)<(script|style|textarea|pre)\b.*?</(script|style|textarea|pre)>").unwrap()
});
/// Attributes a reader meets: titles, labels for screen readers, placeholders, alt text.
static SHOWN_ATTR: Lazy<Regex> =
    Lazy::new(|| Regex::new(r#"(?i)\s(title|aria-label|placeholder|alt)="([^"]*)""#).unwrap());
/// IANA zone names (the settings page lists them): data, in every language.
static ZONE_NAME: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b[A-Z][A-Za-z_]*(/[A-Za-z0-9_+\-]+)+").unwrap());
static CJK: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"[\p{Han}\u{3000}-\u{303f}\u{ff00}-\u{ffef}]+").unwrap());

/// The words a reader sees on the page: its text and its shown attributes.
fn visible_text(html: &str, typed: &[String]) -> String {
    let html = HIDDEN.replace_all(html, " ");
    let mut text: String = SHOWN_ATTR
        .captures_iter(&html)
        .map(|c| format!(" {} ", &c[2]))
        .collect();
    text.push(' ');
    text.push_str(&TAG.replace_all(&html, " "));
    let mut text = ZONE_NAME
        .replace_all(&decode_entities(&text), " ")
        .into_owned();
    for d in typed {
        text = text.replace(d.as_str(), " ");
    }
    for d in DATA {
        text = text.replace(d, " ");
    }
    text
}

fn english_left(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for w in ENGLISH_UI {
        let re = Regex::new(&format!(r"(^|[^A-Za-z]){}([^A-Za-z]|$)", regex::escape(w))).unwrap();
        if let Some(m) = re.find(text) {
            let start = m.start().saturating_sub(40);
            let end = (m.end() + 40).min(text.len());
            let around: String = text
                .get(start..end)
                .unwrap_or(m.as_str())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            found.push(format!("{w:?} in …{around}…"));
        }
    }
    found
}

/// Chinese on an English page: only the switcher's own name for Chinese, and the catalog
/// search's example of a Chinese word, may be there.
fn chinese_left(text: &str) -> Vec<String> {
    CJK.find_iter(text)
        .map(|m| m.as_str().to_string())
        .filter(|s| s != "中文" && s != "数据库")
        .collect()
}

struct Ids {
    listed: i64,
    draft: i64,
    draft_upload: i64,
    application: i64,
    outbox: i64,
    group: i64,
}

impl Ids {
    fn path(&self, pattern: &str) -> String {
        let (id, upload) = if pattern.starts_with("/products/") {
            (self.listed, 0)
        } else if pattern.starts_with("/ops/applications/")
            || pattern.starts_with("/console/applications/")
        {
            (self.application, 0)
        } else if pattern.starts_with("/ops/outbox/") {
            (self.outbox, 0)
        } else if pattern.starts_with("/console/seller/support/groups/") {
            (self.group, 0)
        } else if pattern == "/console/products/{id}" || pattern.contains("/history") {
            (self.listed, 0)
        } else {
            (self.draft, self.draft_upload)
        };
        pattern
            .replace("{id}", &id.to_string())
            .replace("{upload}", &upload.to_string())
            .replace("{file}", &upload.to_string())
    }
}

/// Pages that are not ours to translate: files, the email as it was sent, JSON, health.
fn skipped(pattern: &str) -> bool {
    pattern.starts_with("/static/")
        || pattern == "/healthz"
        || pattern.ends_with("/logo")
        || pattern.contains("/uploads/{upload}")
        || pattern.contains("/files/{file}")
        || pattern.ends_with("/html")
        || pattern == "/console/token"
        || pattern == "/language"
}

async fn fetch(app: &TestApp, who: &Client, path: &str, lang: &str) -> Page {
    let r = who
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .expect("request");
    Page::from(r).await
}

#[tokio::test]
async fn every_page_is_in_the_readers_language_for_every_visitor() {
    let app = spawn_app().await;
    let (listed, application) = submitted_product(&app).await;
    let operator = app.operator().await;
    assert_eq!(
        decide(
            &app,
            &operator,
            application,
            "approve",
            "OwnerReasonMarker",
            &[]
        )
        .await
        .status,
        303
    );
    let draft = start(&app, "saas").await;
    app.upload_with(
        &app.client,
        draft,
        "logo",
        "logo.png",
        crate::uploads::png(120, 120),
    )
    .await;
    let company = app.count(&format!(
        "SELECT company_id AS n FROM products WHERE id = {draft}"
    ));
    let ids = Ids {
        listed,
        draft,
        draft_upload: app.count(&format!(
            "SELECT MIN(id) AS n FROM uploads WHERE product_id = {draft}"
        )),
        application,
        outbox: app.count("SELECT MAX(id) AS n FROM outbox"),
        group: app.count(&format!(
            "SELECT MIN(id) AS n FROM service_groups WHERE company_id = {company}"
        )),
    };
    let visitors: [(&str, Client); 3] = [
        ("anonymous", client()),
        ("seller", app.client.clone()),
        ("operator", operator),
    ];
    // The emails as they were sent (in their recipient's language) are data on the outbox pages.
    let typed: Vec<String> = app.with_conn(|c| {
        use diesel::{QueryDsl, RunQueryDsl};
        use seller_console::db::schema::outbox;
        outbox::table.select(outbox::subject).load(c).unwrap()
    });
    let mut problems = Vec::new();
    let mut pages = 0;
    for (method, pattern) in seller_console::routes::table() {
        if method.as_str() != "GET" || skipped(pattern) {
            continue;
        }
        let path = ids.path(pattern);
        for (who, c) in &visitors {
            for lang in ["zh-CN", "en"] {
                let page = fetch(&app, c, &path, lang).await;
                if page.status.is_redirection() {
                    continue;
                }
                pages += 1;
                let text = visible_text(&page.body, &typed);
                let left = if lang == "zh-CN" {
                    english_left(&text)
                } else {
                    chinese_left(&text)
                };
                if !left.is_empty() {
                    problems.push(format!(
                        "{lang} GET {path} as {who} ({}): {}",
                        page.status,
                        left.join("; ")
                    ));
                }
            }
        }
    }
    assert!(pages > 40, "only {pages} pages were read");
    assert!(
        problems.is_empty(),
        "{} pages with words of the other language:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
