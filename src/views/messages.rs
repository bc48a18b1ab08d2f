//! The message center.

use askama::Template;

use super::PageCtx;
use crate::models::message::Message;

#[derive(Template)]
#[template(path = "messages/list.html")]
pub struct MessagesPage {
    pub ctx: PageCtx,
    pub rows: Vec<Message>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub unread_only: bool,
}

impl MessagesPage {
    pub fn page_link(&self, page: i64) -> String {
        let filter = if self.unread_only {
            "filter=unread&"
        } else {
            ""
        };
        format!("/console/messages?{filter}page={page}")
    }
}
