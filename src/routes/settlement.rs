//! Settlement (SPEC 12): the seller's monthly bills, their lines and CSV, confirmation or
//! dispute, and the invoice; operations' side is `ops::settlement`.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::Seller;
use crate::db;
use crate::domain::fields::FieldErrors;
use crate::error::AppResult;
use crate::i18n::Msg;
use crate::models::bill::{self, LINES_PAGE_SIZE, MAX_REASON_CHARS, PAGE_SIZE};
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::orders::{BillView, SellerBillPage, SellerBillsPage};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, path_id, render, render_status, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/console/settlement", list)
        .get("/console/settlement/{id}", detail)
        .get("/console/settlement/{id}/lines.csv", export)
        .get("/console/settlement/{id}/invoice", invoice)
        .post("/console/settlement/{id}/confirm", confirm)
        .post("/console/settlement/{id}/dispute", dispute)
        .post("/console/settlement/{id}/invoice", upload_invoice);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub page: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let page = page_number(query.page.as_deref());
    let company = seller.company_id;
    let (bills, totals, total) = db::run(&state.pool, move |c| {
        bill::list_for_company(c, company, page)
    })
    .await?;
    render(&SellerBillsPage {
        ctx: PageCtx::seller(&session, &seller, "settlement"),
        bills,
        totals,
        page,
        pages: page_count(total, PAGE_SIZE),
        total,
    })
}

/// A bill with one page of its lines, read for the seller (`Some(company)`) or operations.
pub async fn bill_view(
    state: &AppState,
    company: Option<i64>,
    id: i64,
    page: i64,
    base: &str,
) -> AppResult<(BillView, Option<String>)> {
    let base = format!("{base}/{id}");
    let (b, name, totals, lines, has_invoice) = db::run(&state.pool, move |c| {
        let (b, name) = match company {
            Some(company) => (bill::find_for_company(c, company, id)?, None),
            None => bill::find_with_company(c, id)?,
        };
        let totals = bill::totals(c, &[b.id])?;
        let lines = bill::lines(c, b.id, page)?;
        let has_invoice = b.invoiced_at.is_some();
        Ok((b, name, totals, lines, has_invoice))
    })
    .await?;
    let pages = page_count(b.line_count, LINES_PAGE_SIZE);
    Ok((
        BillView {
            bill: b,
            totals,
            lines,
            page,
            pages,
            has_invoice,
            base,
        },
        name,
    ))
}

async fn bill_page(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    id: i64,
    page: i64,
    errors: FieldErrors,
    reason: String,
) -> AppResult<SellerBillPage> {
    let (v, _) = bill_view(
        state,
        Some(seller.company_id),
        id,
        page,
        "/console/settlement",
    )
    .await?;
    Ok(SellerBillPage {
        ctx: PageCtx::seller(session, seller, "settlement"),
        v,
        errors,
        reason,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let page = page_number(query.page.as_deref());
    let p = bill_page(
        &state,
        &session,
        &seller,
        id,
        page,
        FieldErrors::new(),
        String::new(),
    )
    .await?;
    render(&p)
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn confirm(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let company = seller.company_id;
    let done = db::run(&state.pool, move |c| bill::confirm(c, company, id)).await?;
    if done {
        flash(&session, "success", Msg::new("settlement-confirmed"));
    } else {
        flash(&session, "error", Msg::new("settlement-cannot-move"));
    }
    Ok(see_other(&format!("/console/settlement/{id}")))
}

#[derive(Deserialize)]
pub struct DisputeForm {
    #[serde(default)]
    reason: String,
}

/// A reason or note as kept: trimmed, and a message when it is empty or too long.
pub fn checked_text(text: &str, max: usize, needed: &'static str) -> (String, Option<Msg>) {
    let kept: String = text.trim().chars().take(max + 1).collect();
    let problem = if kept.is_empty() {
        Some(Msg::new(needed))
    } else if kept.chars().count() > max {
        Some(Msg::new("settlement-text-long").arg("max", max as i64))
    } else {
        None
    };
    (kept, problem)
}

pub async fn dispute(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<DisputeForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let (reason, problem) =
        checked_text(&form.reason, MAX_REASON_CHARS, "settlement-reason-needed");
    if let Some(m) = problem {
        let mut errors = FieldErrors::new();
        errors.add("reason", m);
        let p = bill_page(&state, &session, &seller, id, 1, errors, reason).await?;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let company = seller.company_id;
    let kept = reason.clone();
    let done = db::run(&state.pool, move |c| bill::dispute(c, company, id, &kept)).await?;
    if !done {
        let mut errors = FieldErrors::new();
        errors.add("reason", Msg::new("settlement-cannot-move"));
        let p = bill_page(&state, &session, &seller, id, 1, errors, reason).await?;
        return render_status(&p, StatusCode::CONFLICT);
    }
    flash(&session, "success", Msg::new("settlement-disputed"));
    Ok(see_other(&format!("/console/settlement/{id}")))
}

pub async fn upload_invoice(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let company = seller.company_id;
    // The token comes first (a forgery learns nothing), then whose bill it is.
    let posted = crate::routes::uploads::read_multipart(payload).await?;
    crate::auth::csrf::verify(&req, &posted.token)?;
    db::run(&state.pool, move |c| bill::find_for_company(c, company, id)).await?;
    let refuse = |m: Msg, status: StatusCode| {
        let mut errors = FieldErrors::new();
        errors.add("invoice", m);
        (errors, status)
    };
    let (errors, status) = 'refused: {
        if posted.too_big {
            break 'refused refuse(
                crate::domain::uploads::invoice_too_big(),
                StatusCode::PAYLOAD_TOO_LARGE,
            );
        }
        let content_type = match crate::domain::uploads::check_invoice(&posted.data) {
            Ok(t) => t,
            Err(m) => break 'refused refuse(m, StatusCode::UNPROCESSABLE_ENTITY),
        };
        let filename = crate::domain::uploads::safe_filename(&posted.filename);
        let stored = db::run(&state.pool, move |c| {
            bill::store_invoice(c, company, id, &filename, content_type, &posted.data)
        })
        .await?;
        if !stored {
            break 'refused refuse(Msg::new("settlement-invoice-not-now"), StatusCode::CONFLICT);
        }
        flash(&session, "success", Msg::new("settlement-invoice-stored"));
        return Ok(see_other(&format!("/console/settlement/{id}")));
    };
    let p = bill_page(&state, &session, &seller, id, 1, errors, String::new()).await?;
    render_status(&p, status)
}

pub async fn invoice(
    state: web::Data<AppState>,
    seller: Seller,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let company = seller.company_id;
    let (name, content_type, data) = db::run(&state.pool, move |c| {
        bill::find_for_company(c, company, id)?;
        bill::invoice(c, id)
    })
    .await?;
    Ok(crate::routes::uploads::attachment_response(
        &name,
        &content_type,
        data,
    ))
}

fn csv_lines(lines: &[bill::BillLine], header: bool) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        let _ = w.write_record([
            crate::i18n::tr("orders-col-number"),
            crate::i18n::tr("settlement-col-kind"),
            crate::i18n::tr("orders-col-product"),
            crate::i18n::tr("catalog-spec"),
            crate::i18n::tr("orders-csv-currency"),
            crate::i18n::tr("settlement-col-amount"),
            crate::i18n::tr("orders-share"),
            crate::i18n::tr("settlement-col-settlement"),
        ]);
    }
    for l in lines {
        let _ = w.write_record([
            l.order_id.to_string().as_str(),
            &l.kind_text(),
            &crate::routes::seller_orders::cell(&l.product_name),
            &crate::routes::seller_orders::cell(&l.spec_name),
            &l.currency,
            // Exact, without grouping: numbers a spreadsheet reads.
            &l.amount().to_string(),
            &l.share_text(),
            &l.settlement().to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// A bill's lines as CSV, streamed a batch at a time (memory stays one batch), for the seller
/// (`Some(company)`) or operations.
pub async fn export_lines(
    state: web::Data<AppState>,
    company: Option<i64>,
    id: i64,
) -> AppResult<HttpResponse> {
    use futures_util::stream;
    let b = db::run(&state.pool, move |c| match company {
        Some(company) => bill::find_for_company(c, company, id),
        None => bill::find_with_company(c, id).map(|(b, _)| b),
    })
    .await?;
    let viewer = crate::i18n::viewer();
    // (id after which to read, whether the header is written, whether it is done)
    let body = stream::unfold(
        (0i64, false, false),
        move |(after, header_written, done)| {
            let (pool, viewer) = (state.pool.clone(), viewer.clone());
            async move {
                if done {
                    return None;
                }
                let batch = db::run(&pool, move |c| bill::lines_batch(c, id, after)).await;
                let rows = match batch {
                    Ok(rows) => rows,
                    Err(e) => {
                        tracing::warn!("bill CSV export stopped: {e}");
                        return Some((
                            Err(actix_web::error::ErrorInternalServerError("export")),
                            (0, true, true),
                        ));
                    }
                };
                let next = rows.last().map(|l| l.id).unwrap_or(after);
                let finished = (rows.len() as i64) < bill::EXPORT_BATCH;
                let bytes = crate::i18n::with(viewer, || csv_lines(&rows, !header_written));
                Some((
                    Ok::<_, actix_web::Error>(web::Bytes::from(bytes)),
                    (next, true, finished),
                ))
            }
        },
    );
    let filename = format!("bill-{}-{}.csv", b.period, b.id);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body))
}

pub async fn export(
    state: web::Data<AppState>,
    seller: Seller,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    export_lines(state, Some(seller.company_id), id).await
}
