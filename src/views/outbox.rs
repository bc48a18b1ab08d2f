//! /ops/outbox: the delivery state of each email, and one email's bodies.

use askama::Template;

use super::PageCtx;
use crate::i18n::{tr, Msg};
use crate::outbox::{OutboxMessage, OutboxStatus};
use crate::web::format_time;

/// (code, label, count) of a status tab; the empty code is "all".
pub type Tab = (String, String, i64);

pub fn list_link(status: &str, page: i64) -> String {
    let mut parts = Vec::new();
    if !status.is_empty() {
        parts.push(format!("status={status}"));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/ops/outbox".to_string()
    } else {
        format!("/ops/outbox?{}", parts.join("&"))
    }
}

/// One row as the list and the detail page show it.
pub struct OutboxRow {
    pub m: OutboxMessage,
}

impl OutboxRow {
    pub fn status_label(&self) -> String {
        self.m.status().label()
    }

    pub fn created(&self) -> String {
        format_time(&self.m.created_at)
    }

    /// When the next try is due, for a message still waiting to go.
    pub fn next_attempt(&self) -> String {
        match self.m.status() {
            OutboxStatus::Queued => format_time(&self.m.next_attempt_at),
            OutboxStatus::Sending => tr("ops-outbox-being-sent"),
            OutboxStatus::Sent => self
                .m
                .sent_at
                .map(|t| {
                    Msg::new("ops-outbox-sent-at")
                        .arg("time", format_time(&t))
                        .to_string()
                })
                .unwrap_or_default(),
            OutboxStatus::Failed => "—".to_string(),
        }
    }

    /// "2 of 5".
    pub fn attempts(&self) -> Msg {
        Msg::new("ops-outbox-attempts")
            .arg("n", i64::from(self.m.attempts))
            .arg("max", i64::from(self.m.max_attempts))
    }

    pub fn last_error(&self) -> &str {
        self.m.last_error.as_deref().unwrap_or("")
    }

    pub fn is_failed(&self) -> bool {
        self.m.status() == OutboxStatus::Failed
    }
}

#[derive(Template)]
#[template(path = "ops/outbox.html")]
pub struct OutboxPage {
    pub ctx: PageCtx,
    pub rows: Vec<OutboxRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub status: Option<OutboxStatus>,
    pub tabs: Vec<Tab>,
}

impl OutboxPage {
    /// The status filter's code, "" for all.
    pub fn status_code(&self) -> &'static str {
        self.status.map(OutboxStatus::as_str).unwrap_or("")
    }

    pub fn page_link(&self, page: i64) -> String {
        list_link(self.status_code(), page)
    }

    pub fn tab_link(&self, status: &str) -> String {
        list_link(status, 1)
    }

    /// "Page 1 of 2 (60 emails)".
    pub fn pager_text(&self) -> Msg {
        Msg::new("ops-outbox-pager")
            .arg("page", self.page)
            .arg("pages", self.pages)
            .arg("total", self.total)
    }
}

#[derive(Template)]
#[template(path = "ops/outbox_message.html")]
pub struct OutboxMessagePage {
    pub ctx: PageCtx,
    pub row: OutboxRow,
}

impl OutboxMessagePage {
    /// "Email #7", the page's title.
    pub fn title(&self) -> Msg {
        Msg::new("ops-email-title").arg("id", self.row.m.id)
    }

    /// "Email #7: Your application was approved".
    pub fn heading(&self) -> Msg {
        Msg::new("ops-email-heading")
            .arg("id", self.row.m.id)
            .arg("subject", self.row.m.subject.as_str())
    }

    /// The iframe's title: "HTML part of email #7".
    pub fn frame_title(&self) -> Msg {
        Msg::new("ops-html-frame-title").arg("id", self.row.m.id)
    }
}
