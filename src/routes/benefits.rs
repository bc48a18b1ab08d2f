//! Policies and Benefits (SPEC 13): every benefit of seed 000 with the seller's eligibility,
//! and the requests (slots on the catalog home, test coupons), each an application.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::Seller;
use crate::db;
use crate::domain::benefits::{self, Slot};
use crate::domain::fields::FieldErrors;
use crate::domain::statuses::RegistrationStatus;
use crate::error::AppResult;
use crate::i18n::Msg;
use crate::models::benefit::{self, SlotAsk};
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::benefits::{BenefitsPage, Typed};
use crate::views::PageCtx;
use crate::web::{flash, render, render_status, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/console/benefits", page)
        .post("/console/benefits/slot", request_slot)
        .post("/console/benefits/coupon", request_coupon);
}

/// The longest note or purpose kept.
pub const MAX_TEXT_CHARS: usize = 1000;

async fn benefits_page(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    errors: FieldErrors,
    typed: Typed,
) -> AppResult<BenefitsPage> {
    let company = seller.company_id;
    let (t, registered, products, mine) = db::run(&state.pool, move |c| {
        let t = benefit::transactions(c, company)?;
        let status = crate::models::company::Company::find(c, company)?.registration_status();
        let products = benefit::listed_products(c, company)?;
        let mine = benefit::mine(c, company)?;
        Ok((t, status == RegistrationStatus::Approved, products, mine))
    })
    .await?;
    let (usd_cents, unknown) = benefits::usd_cents(&t.per_currency, &state.config.usd_rates.0);
    let today = time::OffsetDateTime::now_utc().date();
    Ok(BenefitsPage {
        ctx: PageCtx::seller(session, seller, "benefits"),
        usd_cents,
        unknown,
        orders: t.orders,
        registered,
        months: benefits::open_months(today),
        products,
        mine,
        errors,
        typed,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
) -> AppResult<HttpResponse> {
    let p = benefits_page(
        &state,
        &session,
        &seller,
        FieldErrors::new(),
        Typed::default(),
    )
    .await?;
    render(&p)
}

fn bounded(text: &str) -> String {
    text.trim().chars().take(MAX_TEXT_CHARS + 1).collect()
}

fn too_long(text: &str) -> bool {
    text.chars().count() > MAX_TEXT_CHARS
}

async fn refused(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    field: &'static str,
    m: Msg,
    typed: Typed,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    errors.add(field, m);
    let p = benefits_page(state, session, seller, errors, typed).await?;
    render_status(&p, StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Deserialize)]
pub struct SlotForm {
    #[serde(default)]
    slot: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    note: String,
}

pub async fn request_slot(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<SlotForm>,
) -> AppResult<HttpResponse> {
    let typed = Typed {
        slot: form.slot.chars().take(16).collect(),
        month: form.month.chars().take(16).collect(),
        product: form.product.chars().take(24).collect(),
        note: bounded(&form.note),
        ..Typed::default()
    };
    let today = time::OffsetDateTime::now_utc().date();
    let Some(slot) = Slot::parse(&typed.slot) else {
        return refused(
            &state,
            &session,
            &seller,
            "slot",
            Msg::new("benefits-slot-choose"),
            typed,
        )
        .await;
    };
    let month = match benefits::check_month(&typed.month, today) {
        Ok(m) => m,
        Err(m) => return refused(&state, &session, &seller, "month", m, typed).await,
    };
    let Ok(product_id) = typed.product.trim().parse::<i64>() else {
        return refused(
            &state,
            &session,
            &seller,
            "product",
            Msg::new("benefits-product-choose"),
            typed,
        )
        .await;
    };
    if too_long(&typed.note) {
        let m = Msg::new("settlement-text-long").arg("max", MAX_TEXT_CHARS as i64);
        return refused(&state, &session, &seller, "note", m, typed).await;
    }
    let due = crate::domain::working_days::due_from(
        db::now(),
        &state.config.review_zone,
        &state.config.holidays,
    );
    let (company_id, user_id, note) = (seller.company_id, seller.user.id, typed.note.clone());
    let rates = state.config.usd_rates.clone();
    let m2 = month.clone();
    let asked = db::run(&state.pool, move |c| {
        benefit::request_slot(
            c,
            SlotAsk {
                company_id,
                user_id,
                slot,
                month: &m2,
                product_id,
                note: &note,
                due_date: due,
                rates: &rates,
            },
        )
    })
    .await?;
    match asked {
        Ok(id) => {
            flash(
                &session,
                "success",
                Msg::new("benefits-requested")
                    .arg("id", id)
                    .arg("due", crate::web::format_date(&due)),
            );
            Ok(see_other("/console/benefits#requests"))
        }
        Err((field, m)) => refused(&state, &session, &seller, field, m, typed).await,
    }
}

#[derive(Deserialize)]
pub struct CouponForm {
    #[serde(default)]
    coupon_product: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    purpose: String,
}

pub async fn request_coupon(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<CouponForm>,
) -> AppResult<HttpResponse> {
    let typed = Typed {
        coupon_product: form.coupon_product.chars().take(24).collect(),
        amount: form.amount.chars().take(32).collect(),
        purpose: bounded(&form.purpose),
        ..Typed::default()
    };
    let Ok(product_id) = typed.coupon_product.trim().parse::<i64>() else {
        return refused(
            &state,
            &session,
            &seller,
            "coupon_product",
            Msg::new("benefits-product-choose"),
            typed,
        )
        .await;
    };
    let cents = match benefits::coupon_amount(&typed.amount) {
        Ok(c) => c,
        Err(m) => return refused(&state, &session, &seller, "amount", m, typed).await,
    };
    if typed.purpose.is_empty() {
        return refused(
            &state,
            &session,
            &seller,
            "purpose",
            Msg::new("benefits-purpose-needed"),
            typed,
        )
        .await;
    }
    if too_long(&typed.purpose) {
        let m = Msg::new("settlement-text-long").arg("max", MAX_TEXT_CHARS as i64);
        return refused(&state, &session, &seller, "purpose", m, typed).await;
    }
    let due = crate::domain::working_days::due_from(
        db::now(),
        &state.config.review_zone,
        &state.config.holidays,
    );
    let (company_id, user_id, purpose) = (seller.company_id, seller.user.id, typed.purpose.clone());
    let asked = db::run(&state.pool, move |c| {
        benefit::request_coupon(c, company_id, user_id, product_id, cents, &purpose, due)
    })
    .await?;
    match asked {
        Ok(id) => {
            flash(
                &session,
                "success",
                Msg::new("benefits-requested")
                    .arg("id", id)
                    .arg("due", crate::web::format_date(&due)),
            );
            Ok(see_other("/console/benefits#requests"))
        }
        Err((field, m)) => refused(&state, &session, &seller, field, m, typed).await,
    }
}
