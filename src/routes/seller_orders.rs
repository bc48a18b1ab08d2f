//! Product Management > Product Transaction (SPEC 11): the orders of the seller's own products.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::Seller;
use crate::db;
use crate::domain::statuses::OrderState;
use crate::error::AppResult;
use crate::models::order::{self, SellerFilter, PAGE_SIZE};
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::orders::{SellerOrderPage, SellerOrdersBody, SellerOrdersPage};
use crate::views::PageCtx;
use crate::web::{page_count, page_number, path_id, render};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/console/orders", list)
        .get("/console/orders.csv", export)
        .get("/console/orders/{id}", detail)
        .post("/console/orders/{id}/advance", advance)
        .post("/console/orders/{id}/refund", decide_refund);
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub state: String,
    pub product: String,
    /// YYYY-MM.
    pub month: String,
    pub q: String,
    pub page: Option<String>,
}

fn filter_of(q: &ListQuery) -> SellerFilter {
    let search: String = q.q.trim().chars().take(254).collect();
    let (order_id, buyer_email) = match search.trim_start_matches('#').parse::<i64>() {
        Ok(id) => (Some(id), None),
        Err(_) if search.is_empty() => (None, None),
        Err(_) => (None, Some(crate::models::user::normalise_email(&search))),
    };
    SellerFilter {
        state: OrderState::parse(&q.state),
        product_id: q.product.trim().parse().ok(),
        // The viewer's month: its first and last day as the viewer's zone counts them.
        month: crate::domain::settlement::period_bounds(&q.month).and_then(|(from, to)| {
            let zone = crate::i18n::viewer().zone;
            Some((zone.start_of(from.date())?, zone.start_of(to.date())?))
        }),
        order_id,
        buyer_email,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = bounded(query.into_inner());
    let filter = filter_of(&query);
    let page = page_number(query.page.as_deref());
    let company = seller.company_id;
    let key = crate::cache::OrdersKey {
        company_id: company,
        state: query.state.clone(),
        product: query.product.clone(),
        month: query.month.clone(),
        q: query.q.clone(),
        page,
    };
    // The version is read before the rows: a list built from rows newer than its version is
    // only ever rebuilt too early, never served stale.
    let version = match seller.orders_version {
        Some(v) => v,
        None => {
            state
                .point_read(move |c| order::list_version(c, company))
                .await?
        }
    };
    let pool = state.pool.clone();
    let body = state
        .orders_cache
        .get_or_build(key, version, || async move {
            let (rows, total, products, companies) = db::run(&pool, move |c| {
                let (rows, total) = order::list_for_seller(c, company, &filter, page)?;
                let products = order::ordered_products(c, company)?;
                let ids: Vec<i64> = rows.iter().map(|(o, _)| o.id).collect();
                let companies = buyer_companies(c, &ids)?;
                Ok((rows, total, products, companies))
            })
            .await?;
            Ok(SellerOrdersBody {
                rows,
                total,
                page,
                pages: page_count(total, PAGE_SIZE),
                products,
                query,
                companies,
            }
            .render()?
            .into())
        })
        .await?;
    render(&SellerOrdersPage {
        ctx: PageCtx::seller(&session, &seller, "orders"),
        body,
    })
}

/// The filters as kept (in the cache key too): each cut to a sensible length.
fn bounded(mut q: ListQuery) -> ListQuery {
    for (field, max) in [
        (&mut q.state, 32),
        (&mut q.product, 24),
        (&mut q.month, 16),
        (&mut q.q, 254),
    ] {
        if field.chars().count() > max {
            *field = field.chars().take(max).collect();
        }
    }
    q
}

/// The companies the buyers of these orders gave, by order.
fn buyer_companies(
    c: &mut db::DbConn,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, crate::error::AppError> {
    Ok(crate::models::refund::ledgers(c, ids)?
        .into_iter()
        .filter_map(|l| l.buyer_company.map(|b| (l.id, b)))
        .collect())
}

async fn order_page(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    id: i64,
    errors: crate::domain::fields::FieldErrors,
    note: String,
) -> AppResult<SellerOrderPage> {
    let company = seller.company_id;
    let ((order, buyer_email), events, refunds, ledger) = db::run(&state.pool, move |c| {
        let found = order::find_for_seller(c, company, id)?;
        let events = order::events(c, found.0.id)?;
        let refunds = crate::models::refund::for_order(c, id)?;
        let ledger = crate::models::refund::ledger(c, id)?;
        Ok((found, events, refunds, ledger))
    })
    .await?;
    Ok(SellerOrderPage {
        ctx: PageCtx::seller(session, seller, "orders"),
        order,
        buyer_email,
        events,
        refunds,
        ledger,
        errors,
        note,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let page = order_page(
        &state,
        &session,
        &seller,
        id,
        Default::default(),
        String::new(),
    )
    .await?;
    render(&page)
}

#[derive(Deserialize)]
pub struct RefundDecision {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// The seller approves or rejects the buyer's refund request (a rejection says why).
pub async fn decide_refund(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
    crate::auth::csrf::CsrfForm(form): crate::auth::csrf::CsrfForm<RefundDecision>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(crate::error::AppError::BadRequest(crate::i18n::Msg::new(
                "orders-refund-decision-choose",
            )))
        }
    };
    let note: String = form.note.chars().take(4_000).collect();
    let (company, actor, kept) = (seller.company_id, seller.user.id, note.clone());
    let notifier = state.notifier();
    let decided = db::run(&state.pool, move |c| {
        crate::models::refund::decide(c, company, actor, id, approve, &kept, &notifier.settings())
    })
    .await?;
    match decided {
        Ok(()) => {
            state.mail_wakeup.notify_one();
            let key = if approve {
                "orders-refund-approved"
            } else {
                "orders-refund-rejected"
            };
            crate::web::flash(&session, "success", crate::i18n::Msg::new(key));
            Ok(crate::web::see_other(&format!("/console/orders/{id}")))
        }
        Err((field, m)) => {
            let mut errors = crate::domain::fields::FieldErrors::new();
            errors.add(field, m);
            let page = order_page(&state, &session, &seller, id, errors, note).await?;
            crate::web::render_status(&page, actix_web::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
pub struct AdvanceForm {}

/// The seller moves a paid service to the next step of its flow.
pub async fn advance(
    state: web::Data<AppState>,
    session: actix_session::Session,
    seller: Seller,
    path: web::Path<String>,
    crate::auth::csrf::CsrfForm(_): crate::auth::csrf::CsrfForm<AdvanceForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let company = seller.company_id;
    let notifier = state.notifier();
    let moved = db::run(&state.pool, move |c| {
        let settings = notifier.settings();
        order::advance(c, company, id, &settings)
    })
    .await?;
    if moved {
        state.mail_wakeup.notify_one();
        crate::web::flash(
            &session,
            "success",
            crate::i18n::Msg::new("orders-advanced"),
        );
    } else {
        crate::web::flash(
            &session,
            "error",
            crate::i18n::Msg::new("orders-cannot-advance"),
        );
    }
    Ok(crate::web::see_other(&format!("/console/orders/{id}")))
}

/// A spreadsheet would run a cell that starts with one of these as a formula: such a cell is
/// written with a leading apostrophe (OWASP's CSV injection advice).
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

fn csv_rows(
    rows: &[(crate::models::order::Order, String)],
    companies: &std::collections::HashMap<i64, String>,
    header: bool,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        let _ = w.write_record([
            crate::i18n::tr("orders-col-number"),
            crate::i18n::tr("orders-col-product"),
            crate::i18n::tr("catalog-spec"),
            crate::i18n::tr("catalog-col-sku"),
            crate::i18n::tr("catalog-quantity"),
            crate::i18n::tr("catalog-billing-period"),
            crate::i18n::tr("ops-orders-col-buyer"),
            crate::i18n::tr("orders-company"),
            crate::i18n::tr("orders-csv-currency"),
            crate::i18n::tr("orders-amount"),
            crate::i18n::tr("orders-share"),
            crate::i18n::tr("orders-col-state"),
            crate::i18n::tr("orders-col-placed"),
            crate::i18n::tr("orders-paid-at"),
        ]);
    }
    for (o, email) in rows {
        let quantity = o.quantity.map(|q| q.to_string()).unwrap_or_default();
        let paid = o.paid_at.map(|t| crate::i18n::time(&t)).unwrap_or_default();
        let _ = w.write_record([
            o.id.to_string().as_str(),
            &cell(&o.product_name),
            &cell(&o.spec_name),
            &cell(&o.sku_text()),
            &quantity,
            &o.period_text(),
            &cell(email),
            &cell(companies.get(&o.id).map(String::as_str).unwrap_or("")),
            &o.currency,
            // Exact, without grouping: a number a spreadsheet reads.
            &o.amount().to_string(),
            &o.share_text(),
            &o.state.label(),
            &crate::i18n::time(&o.created_at),
            &paid,
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// The filtered orders as CSV, streamed a batch at a time (memory stays one batch).
pub async fn export(
    state: web::Data<AppState>,
    seller: Seller,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    use futures_util::stream;
    let filter = std::sync::Arc::new(filter_of(&query));
    let company = seller.company_id;
    let viewer = crate::i18n::viewer();
    // (next id below which to read, whether the header is written, whether it is done)
    let start: (Option<i64>, bool, bool) = (None, false, false);
    let body = stream::unfold(start, move |(before, header_written, done)| {
        let (pool, filter, viewer) = (state.pool.clone(), filter.clone(), viewer.clone());
        async move {
            if done {
                return None;
            }
            let batch = db::run(&pool, move |c| {
                let rows = order::seller_batch(c, company, &filter, before)?;
                let ids: Vec<i64> = rows.iter().map(|(o, _)| o.id).collect();
                let companies = buyer_companies(c, &ids)?;
                Ok((rows, companies))
            })
            .await;
            let (rows, companies) = match batch {
                Ok(found) => found,
                Err(e) => {
                    tracing::warn!("CSV export stopped: {e}");
                    return Some((
                        Err(actix_web::error::ErrorInternalServerError("export")),
                        (None, true, true),
                    ));
                }
            };
            let next = rows.last().map(|(o, _)| o.id);
            let finished = (rows.len() as i64) < order::EXPORT_BATCH;
            let bytes = crate::i18n::with(viewer, || csv_rows(&rows, &companies, !header_written));
            Some((
                Ok::<_, actix_web::Error>(web::Bytes::from(bytes)),
                (next, true, finished),
            ))
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"orders.csv\"",
        ))
        .streaming(body))
}
