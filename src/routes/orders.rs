//! Buyers order from the catalog (SPEC 11): a checkout page that prices the choice with the
//! server's `quote()`, placing the order (rules checked again in the write), and the buyer's
//! own orders at /account/orders.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::Buyer;
use crate::db;
use crate::domain::fields::FieldErrors;
use crate::domain::order::{price, OrderChoice, OrderField, PricedOrder, Refusal};
use crate::domain::statuses::{Lifecycle, Visibility};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::order::{self, NewOrder, PAGE_SIZE};
use crate::models::product_release::{self, PublicProduct};
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::orders::{BuyerOrderPage, BuyerOrdersPage, CheckoutPage, Choices};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, path_id, render, render_status, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/account/orders", list)
        .get("/products/{id}/order", checkout)
        .post("/products/{id}/order", place)
        .get("/account/orders/{id}", detail)
        .post("/account/orders/{id}/cancel", cancel)
        .post("/account/orders/{id}/pay-test", pay_test)
        .post("/account/orders/{id}/accept", accept)
        .post("/account/orders/{id}/refund", refund)
        .get("/account/orders/{id}/renew", renew)
        .post("/payments/test/notify", notify);
}

/// The longest value of any choice field that is read; longer ones are cut (nothing is stored
/// from the form itself: every stored value comes from the release).
const MAX_CHOICE_CHARS: usize = 2_000;

fn bounded(mut c: OrderChoice) -> OrderChoice {
    for f in [
        &mut c.spec,
        &mut c.sku,
        &mut c.quantity,
        &mut c.period,
        &mut c.count,
        &mut c.region,
        &mut c.trial,
        &mut c.company,
        &mut c.renews,
    ] {
        if f.len() > MAX_CHOICE_CHARS {
            *f = f.chars().take(MAX_CHOICE_CHARS).collect();
        }
    }
    c
}

/// The product as buyers may order it now: listed and shown, with its hidden specifications.
fn orderable(conn: &mut db::DbConn, id: i64) -> Result<(PublicProduct, Vec<String>), AppError> {
    let p = product_release::find_public(conn, id)?;
    if p.lifecycle != Lifecycle::Live || p.visibility != Visibility::Shown {
        return Err(AppError::NotFound);
    }
    let hidden = crate::models::visibility::hidden_specs(conn, id)?;
    Ok((p, hidden.into_iter().collect()))
}

fn errors_of(refusal: Option<&Refusal>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Some((field, msg)) = refusal {
        errors.add(field.name(), msg.clone());
    }
    errors
}

#[allow(clippy::too_many_arguments)]
fn checkout_page(
    ctx: PageCtx,
    p: &PublicProduct,
    hidden: &[String],
    regions: &[crate::domain::offer::Region],
    choice: OrderChoice,
    priced: Option<PricedOrder>,
    errors: FieldErrors,
    asked: bool,
) -> CheckoutPage {
    let r = &p.release.snapshot.release;
    CheckoutPage {
        ctx,
        product_id: p.id,
        product_name: r.name.clone(),
        choices: Choices::of(r, hidden, regions),
        choice,
        priced,
        errors,
        asked,
    }
}

/// The checkout page: the choice (from the product page's form), its price and the rules'
/// verdict; nothing is written. A visitor signs in first and comes back to it.
pub async fn checkout(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
    query: web::Query<OrderChoice>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let mut choice = bounded(query.into_inner());
    let regions = state.config.regions.clone();
    let buyer_id = buyer.id;
    let asked = !choice.spec.is_empty();
    let c = choice.clone();
    let (p, hidden, verdict, region) = db::run(&state.pool, move |conn| {
        let (p, hidden) = orderable(conn, id)?;
        let mut c = c;
        // From the product page no region is chosen yet: the first the specification is
        // sold in, which the buyer can change.
        let spec = c
            .spec
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| p.release.snapshot.release.specs.get(i));
        // Nor a quantity, when the specification has one: its least, which the buyer can
        // change.
        if let Some(q) = spec.and_then(|s| s.quantity.as_ref()) {
            if c.quantity.trim().is_empty() {
                c.quantity = q.range.min.to_string();
            }
        }
        if c.region.is_empty() {
            c.region = regions
                .iter()
                .map(|(code, _)| code)
                .find(|code| spec.is_none_or(|s| s.regions.is_empty() || s.regions.contains(code)))
                .cloned()
                .unwrap_or_default();
        }
        let verdict = if asked {
            match price(&p.release.snapshot.release, &hidden, &regions, &c) {
                Ok(priced) => {
                    let renews = c.renews.trim().parse::<i64>().ok();
                    let rules =
                        order::check_rules(conn, buyer_id, id, &priced, crate::db::now(), renews)?;
                    Some(rules.map(|_| priced))
                }
                Err(refusal) => Some(Err(refusal)),
            }
        } else {
            None
        };
        Ok((p, hidden, verdict, (c.region, c.quantity)))
    })
    .await?;
    (choice.region, choice.quantity) = region;
    let (priced, refusal) = match verdict {
        Some(Ok(priced)) => (Some(priced), None),
        Some(Err(refusal)) => (None, Some(refusal)),
        None => (None, None),
    };
    let errors = errors_of(refusal.as_ref());
    let page = checkout_page(
        PageCtx::new(&session, Some(&buyer), "orders"),
        &p,
        &hidden,
        &state.config.regions,
        choice,
        priced,
        errors,
        asked,
    );
    if page.errors.is_empty() {
        render(&page)
    } else {
        render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
    }
}

/// Places the order: priced again from the release listed now, the rules checked again in the
/// write transaction; refused with the message next to the field and the choice kept.
pub async fn place(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<OrderChoice>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let choice = bounded(form);
    let regions = state.config.regions.clone();
    let buyer_id = buyer.id;
    let c = choice.clone();
    let notifier = state.notifier();
    let pay_hours = state.config.orders.pay_hours;
    let outcome = db::run(&state.pool, move |conn| {
        let settings = notifier.settings();
        let (p, hidden) = orderable(conn, id)?;
        let release = &p.release.snapshot.release;
        let company = match crate::domain::order::buyer_company(&c.company) {
            Ok(company) => company,
            Err(m) => return Ok((p, hidden, Err((OrderField::Company, m)))),
        };
        let renews = match c.renews.trim() {
            "" => None,
            r => match r.parse::<i64>() {
                Ok(r) => Some(r),
                Err(_) => {
                    let m = Msg::new("orders-renew-not-possible");
                    return Ok((p, hidden, Err((OrderField::Period, m))));
                }
            },
        };
        let placed = match price(release, &hidden, &regions, &c) {
            Ok(priced) => order::place(
                conn,
                NewOrder {
                    buyer_id,
                    product_id: id,
                    company_id: p.company.id,
                    release_id: p.release.id,
                    product_name: &release.name,
                    method: release.method,
                    priced: &priced,
                    pay_hours,
                    buyer_company: company.as_deref(),
                    renews,
                },
                &settings,
            )?,
            Err(refusal) => Err(refusal),
        };
        Ok((p, hidden, placed))
    })
    .await?;
    match outcome {
        (_, _, Ok(order_id)) => {
            state.mail_wakeup.notify_one();
            flash(&session, "success", Msg::new("orders-placed"));
            Ok(see_other(&format!("/account/orders/{order_id}")))
        }
        (p, hidden, Err(refusal)) => {
            let page = checkout_page(
                PageCtx::new(&session, Some(&buyer), "orders"),
                &p,
                &hidden,
                &state.config.regions,
                choice,
                None,
                errors_of(Some(&refusal)),
                true,
            );
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    page: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let page = page_number(query.page.as_deref());
    let buyer_id = buyer.id;
    let (orders, total) = db::run(&state.pool, move |c| {
        order::list_for_buyer(c, buyer_id, page)
    })
    .await?;
    render(&BuyerOrdersPage {
        ctx: PageCtx::new(&session, Some(&buyer), "orders"),
        orders,
        page,
        pages: page_count(total, PAGE_SIZE),
        total,
    })
}

/// The buyer's order page, with what was typed into its refund form when it was refused.
async fn order_page(
    state: &AppState,
    session: &Session,
    buyer: &crate::models::user::User,
    id: i64,
    errors: FieldErrors,
    typed: Option<(String, String)>,
) -> AppResult<BuyerOrderPage> {
    let buyer_id = buyer.id;
    let (order, events, refunds, ledger) = db::run(&state.pool, move |c| {
        let o = order::find_for_buyer(c, buyer_id, id)?;
        let events = order::events(c, o.id)?;
        let refunds = crate::models::refund::for_order(c, o.id)?;
        let ledger = crate::models::refund::ledger(c, o.id)?;
        Ok((o, events, refunds, ledger))
    })
    .await?;
    let now = crate::db::now();
    let may_refund = crate::models::refund::may_request(&order, &refunds, now);
    let (amount, reason) = typed.unwrap_or_else(|| (order.amount().to_string(), String::new()));
    Ok(BuyerOrderPage {
        ctx: PageCtx::new(session, Some(buyer), "orders"),
        may_renew: order.may_renew(),
        order,
        events,
        auto_accept_days: state.config.orders.auto_accept_days,
        refunds,
        ledger,
        may_refund,
        errors,
        amount,
        reason,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let page = order_page(&state, &session, &buyer, id, FieldErrors::new(), None).await?;
    render(&page)
}

#[derive(Deserialize)]
pub struct RefundForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

/// The buyer asks for a refund (SPEC 11: 0 < refund ≤ paid, with a reason).
pub async fn refund(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<RefundForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let buyer_id = buyer.id;
    let amount: String = form.amount.chars().take(64).collect();
    let reason: String = form.reason.chars().take(4_000).collect();
    let (a, r) = (amount.clone(), reason.clone());
    let notifier = state.notifier();
    let asked = db::run(&state.pool, move |c| {
        crate::models::refund::request(c, buyer_id, id, &a, &r, &notifier.settings())
    })
    .await?;
    match asked {
        Ok(()) => {
            state.mail_wakeup.notify_one();
            flash(&session, "success", Msg::new("orders-refund-requested"));
            Ok(see_other(&format!("/account/orders/{id}")))
        }
        Err((field, m)) => {
            let mut errors = FieldErrors::new();
            errors.add(field, m);
            let page =
                order_page(&state, &session, &buyer, id, errors, Some((amount, reason))).await?;
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Renewal: the checkout of the same specification, SKU, period and region as the order,
/// priced from the release listed now, continuing where the order ends.
pub async fn renew(
    state: web::Data<AppState>,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let buyer_id = buyer.id;
    let link = db::run(&state.pool, move |c| {
        let o = order::find_for_buyer(c, buyer_id, id)?;
        if !o.may_renew() {
            return Ok(None);
        }
        let company = crate::models::refund::ledger(c, id)?.buyer_company;
        let Ok((p, hidden)) = orderable(c, o.product_id) else {
            return Ok(None);
        };
        let spec = p
            .release
            .snapshot
            .release
            .specs
            .iter()
            .position(|s| s.name == o.spec_name && !hidden.contains(&s.name));
        Ok(spec.map(|i| {
            let fields = [
                ("spec", i.to_string()),
                ("sku", o.sku_key.clone()),
                (
                    "quantity",
                    o.quantity.map(|q| q.to_string()).unwrap_or_default(),
                ),
                ("period", o.period_kind.clone()),
                ("count", o.period_count.to_string()),
                ("region", o.region.clone()),
                ("company", company.unwrap_or_default()),
                ("renews", o.id.to_string()),
            ];
            format!(
                "/products/{}/order?{}",
                o.product_id,
                serde_html_form::to_string(fields).unwrap_or_default()
            )
        }))
    })
    .await?;
    match link {
        Some(link) => Ok(see_other(&link)),
        None => Err(AppError::Conflict(Msg::new("orders-renew-not-possible"))),
    }
}

#[derive(Deserialize)]
pub struct CancelForm {}

pub async fn cancel(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<CancelForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let buyer_id = buyer.id;
    let notifier = state.notifier();
    let cancelled = db::run(&state.pool, move |c| {
        let settings = notifier.settings();
        order::cancel(c, buyer_id, id, &settings)
    })
    .await?;
    if cancelled {
        state.mail_wakeup.notify_one();
        flash(&session, "success", Msg::new("orders-cancelled"));
    } else {
        flash(&session, "error", Msg::new("orders-cannot-cancel"));
    }
    Ok(see_other(&format!("/account/orders/{id}")))
}

/// What became of a provider's notification.
enum Applied {
    Paid,
    /// Applied before: nothing changed.
    Duplicate,
    /// Read, but the order cannot take it (not pending, wrong amount, rules): nothing changed.
    Refused(Msg),
    /// Not read: bad signature, malformed or stale.
    Rejected(crate::payments::Refused),
}

async fn apply_notification(
    state: &AppState,
    body: &[u8],
    signature: Option<&str>,
) -> AppResult<Applied> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let n = match crate::payments::read(&state.payments, body, signature, now) {
        Ok(n) => n,
        Err(e) => return Ok(Applied::Rejected(e)),
    };
    let notifier = state.notifier();
    let paid = db::run(&state.pool, move |c| {
        let settings = notifier.settings();
        match order::pay(c, n.order_id, order::PaidBy::Provider(&n), &settings) {
            Err(AppError::NotFound) => Ok(Err(Msg::new("orders-pay-no-order"))),
            other => other,
        }
    })
    .await?;
    Ok(match paid {
        Ok(()) => {
            state.mail_wakeup.notify_one();
            Applied::Paid
        }
        Err(m) if m.key == "orders-pay-replayed" => Applied::Duplicate,
        Err(m) => Applied::Refused(m),
    })
}

/// The provider's webhook: a signed JSON notification that an order is paid. Answers JSON:
/// 200 `paid` or `duplicate` (the provider stops retrying), 409 with the reason when the
/// order cannot take it, 401 for a bad signature, 400 for anything else unreadable.
pub async fn notify(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let signature = req
        .headers()
        .get(crate::payments::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    let json = |status: StatusCode, result: &str, reason: Option<String>| {
        HttpResponse::build(status).json(serde_json::json!({ "result": result, "reason": reason }))
    };
    Ok(match apply_notification(&state, &body, signature).await? {
        Applied::Paid => json(StatusCode::OK, "paid", None),
        Applied::Duplicate => json(StatusCode::OK, "duplicate", None),
        Applied::Refused(m) => json(
            StatusCode::CONFLICT,
            "refused",
            Some(m.render(crate::i18n::Lang::En)),
        ),
        Applied::Rejected(crate::payments::Refused::BadSignature) => {
            json(StatusCode::UNAUTHORIZED, "bad_signature", None)
        }
        Applied::Rejected(crate::payments::Refused::Stale) => {
            json(StatusCode::BAD_REQUEST, "stale", None)
        }
        Applied::Rejected(crate::payments::Refused::Malformed) => {
            json(StatusCode::BAD_REQUEST, "malformed", None)
        }
    })
}

/// The test provider's payment page, as a buyer uses it: it pays the whole amount and sends
/// the signed notification the webhook reads (in-process: the provider needs no outside
/// service).
pub async fn pay_test(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<CancelForm>,
) -> AppResult<HttpResponse> {
    use crate::payments::Provider;
    use rand::distributions::{Alphanumeric, DistString};
    let id = path_id(&path)?;
    let buyer_id = buyer.id;
    let o = db::run(&state.pool, move |c| order::find_for_buyer(c, buyer_id, id)).await?;
    let notification = crate::payments::Notification {
        id: Alphanumeric.sample_string(&mut rand::rngs::OsRng, 32),
        order_id: o.id,
        amount_minor: o.amount_minor,
        currency: o.currency.clone(),
        status: "paid".into(),
        sent_at: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let body = serde_json::to_vec(&notification)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("notification: {e}")))?;
    let signature = state.payments.sign(&body);
    match apply_notification(&state, &body, Some(&signature)).await? {
        Applied::Paid => flash(&session, "success", Msg::new("orders-paid-now")),
        Applied::Refused(m) => flash(&session, "error", m),
        Applied::Duplicate | Applied::Rejected(_) => {
            flash(&session, "error", Msg::new("orders-pay-not-pending"))
        }
    }
    Ok(see_other(&format!("/account/orders/{id}")))
}

/// The buyer accepts a delivered service: the order completes.
pub async fn accept(
    state: web::Data<AppState>,
    session: Session,
    Buyer(buyer): Buyer,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<CancelForm>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let buyer_id = buyer.id;
    let notifier = state.notifier();
    let accepted = db::run(&state.pool, move |c| {
        let settings = notifier.settings();
        order::accept(c, buyer_id, id, &settings)
    })
    .await?;
    if accepted {
        state.mail_wakeup.notify_one();
        flash(&session, "success", Msg::new("orders-accepted"));
    } else {
        flash(&session, "error", Msg::new("orders-cannot-accept"));
    }
    Ok(see_other(&format!("/account/orders/{id}")))
}
