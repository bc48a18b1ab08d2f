//! Operations' orders (SPEC 11): every order, and a bank transfer recorded as its payment.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::Operator;
use crate::db;
use crate::domain::fields::FieldErrors;
use crate::domain::statuses::OrderState;
use crate::error::AppResult;
use crate::i18n::Msg;
use crate::models::order::{self, PaidBy, PAGE_SIZE};
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::orders::OpsOrdersPage;
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, path_id, render, render_status, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/ops/orders", list).post("/ops/orders/{id}/pay", pay);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    state: String,
    page: Option<String>,
}

/// The longest bank-transfer reference kept.
pub const MAX_REFERENCE_CHARS: usize = 100;

async fn page(
    state: &AppState,
    session: &Session,
    op: &Operator,
    filter: Option<OrderState>,
    page: i64,
    errors: (Option<i64>, FieldErrors, String),
) -> AppResult<OpsOrdersPage> {
    let (rows, total) = db::run(&state.pool, move |c| order::list_all(c, filter, page)).await?;
    Ok(OpsOrdersPage {
        ctx: PageCtx::new(session, Some(&op.0), "ops_orders"),
        rows,
        state: filter,
        page,
        pages: page_count(total, PAGE_SIZE),
        total,
        failed: errors.0,
        errors: errors.1,
        reference: errors.2,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let filter = match query.state.as_str() {
        "" => Some(OrderState::PendingPayment),
        "all" => None,
        s => OrderState::parse(s),
    };
    let n = page_number(query.page.as_deref());
    let p = page(
        &state,
        &session,
        &op,
        filter,
        n,
        (None, FieldErrors::new(), String::new()),
    )
    .await?;
    render(&p)
}

#[derive(Deserialize)]
pub struct PayForm {
    #[serde(default)]
    reference: String,
}

pub async fn pay(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<PayForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let reference: String = form
        .reference
        .trim()
        .chars()
        .take(MAX_REFERENCE_CHARS + 1)
        .collect();
    let mut errors = FieldErrors::new();
    if reference.is_empty() {
        errors.add("reference", Msg::new("ops-orders-reference-needed"));
    } else if reference.chars().count() > MAX_REFERENCE_CHARS {
        errors.add(
            "reference",
            Msg::new("ops-orders-reference-long").arg("max", MAX_REFERENCE_CHARS as i64),
        );
    }
    if errors.is_empty() {
        let (operator, r) = (op.0.id, reference.clone());
        let notifier = state.notifier();
        let paid = db::run(&state.pool, move |c| {
            let settings = notifier.settings();
            order::pay(
                c,
                id,
                PaidBy::Operator {
                    id: operator,
                    reference: &r,
                },
                &settings,
            )
        })
        .await?;
        match paid {
            Ok(()) => {
                state.mail_wakeup.notify_one();
                flash(
                    &session,
                    "success",
                    Msg::new("ops-orders-paid").arg("id", id),
                );
                return Ok(see_other("/ops/orders"));
            }
            Err(m) => errors.add("reference", m),
        }
    }
    let p = page(
        &state,
        &session,
        &op,
        Some(OrderState::PendingPayment),
        1,
        (Some(id), errors, reference),
    )
    .await?;
    render_status(&p, StatusCode::UNPROCESSABLE_ENTITY)
}
