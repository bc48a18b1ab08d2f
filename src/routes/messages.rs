//! The seller's message center: decisions on their applications, newest first, unread ones
//! marked; opening a message's link or "mark as read" clears it from the header count.

use crate::routes::map::RouteSink;
use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::{CsrfForm, NoFields};
use crate::auth::Seller;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::message::{self, PAGE_SIZE};
use crate::startup::AppState;
use crate::views::messages::MessagesPage;
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, render, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/console/messages", list)
        .post("/console/messages/read-all", read_all)
        .post("/console/messages/{id}/read", read_one);
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub filter: String,
    pub page: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let unread_only = query.filter == "unread";
    let page = page_number(query.page.as_deref());
    let company_id = seller.company_id;
    let (rows, total) = state
        .read(move |c| message::page(c, company_id, unread_only, page))
        .await?;
    render(&MessagesPage {
        ctx: PageCtx::seller(&session, &seller, "messages"),
        rows,
        total,
        page,
        pages: page_count(total, PAGE_SIZE),
        unread_only,
    })
}

#[derive(Debug, Deserialize)]
pub struct ReadForm {
    /// Where to go afterwards: the message's link, or back to the list.
    #[serde(default)]
    pub next: String,
}

pub async fn read_one(
    state: web::Data<AppState>,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReadForm>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let found = db::run(&state.pool, move |c| {
        let found = message::find(c, company_id, id)?;
        if found.is_some() {
            message::mark_read(c, company_id, Some(id))?;
        }
        Ok(found)
    })
    .await?;
    let msg = found.ok_or(AppError::NotFound)?;
    // Only the message's own link or the list: never an address from the form.
    let next = match msg.link {
        Some(link) if form.next == "link" => link,
        _ => "/console/messages".to_string(),
    };
    Ok(see_other(&next))
}

pub async fn read_all(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let company_id = seller.company_id;
    let n = db::run(&state.pool, move |c| {
        message::mark_read(c, company_id, None)
    })
    .await?;
    flash(
        &session,
        "success",
        match n {
            0 => Msg::new("apps-messages-none-unread"),
            n => Msg::new("apps-messages-marked-read").arg("n", n),
        },
    );
    Ok(see_other("/console/messages"))
}
