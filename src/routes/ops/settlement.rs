//! Operations' settlement (SPEC 12): every seller's bills, the month's job on demand, approval,
//! disputes settled and payouts recorded.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::Operator;
use crate::db;
use crate::domain::fields::FieldErrors;
use crate::domain::statuses::BillState;
use crate::error::AppResult;
use crate::i18n::Msg;
use crate::models::bill::{self, OpsFilter, MAX_REASON_CHARS, MAX_REFERENCE_CHARS, PAGE_SIZE};
use crate::routes::map::RouteSink;
use crate::routes::settlement::{bill_view, checked_text, export_lines, NoFields, PageQuery};
use crate::startup::AppState;
use crate::views::orders::{OpsBillPage, OpsBillsPage};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, path_id, render, render_status, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/ops/settlement", list)
        .post("/ops/settlement/run", run)
        .get("/ops/settlement/{id}", detail)
        .get("/ops/settlement/{id}/lines.csv", export)
        .get("/ops/settlement/{id}/invoice", invoice)
        .post("/ops/settlement/{id}/approve", approve)
        .post("/ops/settlement/{id}/resolve", resolve)
        .post("/ops/settlement/{id}/pay", pay);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    state: String,
    period: String,
    page: Option<String>,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    op: &Operator,
    query: ListQuery,
    errors: FieldErrors,
    run_period: String,
) -> AppResult<OpsBillsPage> {
    let page = page_number(query.page.as_deref());
    let period = query.period.trim().to_string();
    let filter = OpsFilter {
        state: BillState::parse(&query.state),
        period: crate::domain::settlement::period_bounds(&period).map(|_| period.clone()),
    };
    let (rows, totals, total, runs) = db::run(&state.pool, move |c| {
        let (rows, totals, total) = bill::list_all(c, &filter, page)?;
        Ok((rows, totals, total, bill::runs(c)?))
    })
    .await?;
    Ok(OpsBillsPage {
        ctx: PageCtx::new(session, Some(&op.0), "ops_settlement"),
        rows,
        totals,
        state: query.state,
        period,
        page,
        pages: page_count(total, PAGE_SIZE),
        total,
        runs,
        errors,
        run_period,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let last_month =
        crate::domain::settlement::previous_period(time::OffsetDateTime::now_utc().date());
    let p = list_page(
        &state,
        &session,
        &op,
        query.into_inner(),
        FieldErrors::new(),
        last_month,
    )
    .await?;
    render(&p)
}

#[derive(Deserialize)]
pub struct RunForm {
    #[serde(default)]
    period: String,
}

/// Makes a past month's bills now (what the job does on the 7th); safe to repeat.
pub async fn run(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    CsrfForm(form): CsrfForm<RunForm>,
) -> AppResult<HttpResponse> {
    let period: String = form.period.trim().chars().take(16).collect();
    let today = time::OffsetDateTime::now_utc().date();
    let problem = if crate::domain::settlement::period_bounds(&period).is_none() {
        Some(Msg::new("settlement-period-invalid"))
    } else if !crate::domain::settlement::may_bill(&period, today) {
        Some(Msg::new("settlement-period-not-ended"))
    } else {
        None
    };
    if let Some(m) = problem {
        let mut errors = FieldErrors::new();
        errors.add("period", m);
        let p = list_page(&state, &session, &op, ListQuery::default(), errors, period).await?;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let notifier = state.notifier();
    let p = period.clone();
    let made = db::run(&state.pool, move |c| {
        let settings = notifier.settings();
        let made = bill::generate(c, &p, &settings)?;
        bill::record_run(c, &p, made)?;
        Ok(made)
    })
    .await?;
    if made > 0 {
        state.mail_wakeup.notify_one();
    }
    flash(
        &session,
        "success",
        Msg::new("ops-settlement-ran")
            .arg("period", period.as_str())
            .arg("count", made as i64),
    );
    Ok(see_other(&format!("/ops/settlement?period={period}")))
}

async fn bill_page(
    state: &AppState,
    session: &Session,
    op: &Operator,
    id: i64,
    page: i64,
    errors: FieldErrors,
    typed: (String, String),
) -> AppResult<OpsBillPage> {
    let (v, company) = bill_view(state, None, id, page, "/ops/settlement").await?;
    Ok(OpsBillPage {
        ctx: PageCtx::new(session, Some(&op.0), "ops_settlement"),
        v,
        company,
        errors,
        note: typed.0,
        reference: typed.1,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let page = page_number(query.page.as_deref());
    let p = bill_page(
        &state,
        &session,
        &op,
        id,
        page,
        FieldErrors::new(),
        Default::default(),
    )
    .await?;
    render(&p)
}

pub async fn export(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    export_lines(state, None, id).await
}

pub async fn invoice(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let (name, content_type, data) = db::run(&state.pool, move |c| bill::invoice(c, id)).await?;
    Ok(crate::routes::uploads::attachment_response(
        &name,
        &content_type,
        data,
    ))
}

fn moved(session: &Session, done: bool, success: &'static str) {
    if done {
        flash(session, "success", Msg::new(success));
    } else {
        flash(session, "error", Msg::new("settlement-cannot-move"));
    }
}

pub async fn approve(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let (operator, notifier) = (op.0.id, state.notifier());
    let done = db::run(&state.pool, move |c| {
        bill::approve(c, operator, id, &notifier.settings())
    })
    .await?;
    if done {
        state.mail_wakeup.notify_one();
    }
    moved(&session, done, "ops-settlement-approved");
    Ok(see_other(&format!("/ops/settlement/{id}")))
}

#[derive(Deserialize)]
pub struct ResolveForm {
    #[serde(default)]
    note: String,
}

pub async fn resolve(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<ResolveForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let (note, problem) = checked_text(&form.note, MAX_REASON_CHARS, "settlement-note-needed");
    if let Some(m) = problem {
        let mut errors = FieldErrors::new();
        errors.add("note", m);
        let p = bill_page(&state, &session, &op, id, 1, errors, (note, String::new())).await?;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let notifier = state.notifier();
    let done = db::run(&state.pool, move |c| {
        bill::resolve(c, id, &note, &notifier.settings())
    })
    .await?;
    if done {
        state.mail_wakeup.notify_one();
    }
    moved(&session, done, "ops-settlement-resolved");
    Ok(see_other(&format!("/ops/settlement/{id}")))
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
    let (reference, problem) = checked_text(
        &form.reference,
        MAX_REFERENCE_CHARS,
        "ops-orders-reference-needed",
    );
    if let Some(m) = problem {
        let mut errors = FieldErrors::new();
        errors.add("reference", m);
        let p = bill_page(
            &state,
            &session,
            &op,
            id,
            1,
            errors,
            (String::new(), reference),
        )
        .await?;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (operator, notifier) = (op.0.id, state.notifier());
    let done = db::run(&state.pool, move |c| {
        bill::pay(c, operator, id, &reference, &notifier.settings())
    })
    .await?;
    if done {
        state.mail_wakeup.notify_one();
    }
    moved(&session, done, "ops-settlement-paid");
    Ok(see_other(&format!("/ops/settlement/{id}")))
}
