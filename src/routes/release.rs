//! Submitting a product for release, and the buyer's-eye preview with its pricing simulator.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::Seller;
use crate::db::{self, write_transaction};
use crate::domain::fields::FieldErrors;
use crate::domain::pricing::{quote, Period};
use crate::domain::product::{
    is_web_address, sanitise_html, ProductForm, ReleaseContext, ReleaseSpec,
};
use crate::domain::statuses::{BillingMode, DeliveryMethod, RegistrationStatus};
use crate::domain::working_days::{due_from, BUSY_DAY_RELEASES};
use crate::error::{AppError, AppResult};
use crate::models::company::Company;
use crate::models::product::{self, Product};
use crate::models::product_release::GroupSnapshot;
use crate::models::release::{submit_release, ReleaseOutcome};
use crate::models::service_group::{self, ServiceGroupRow};
use crate::startup::AppState;
use crate::views::release::{PreviewPage, ProductView, Simulation, Simulator};
use crate::views::PageCtx;
use crate::web::{flash, format_date, render, render_status, see_other};

/// What the release check and the preview need besides the form; the logo's id too (the
/// preview shows it).
async fn context(
    state: &AppState,
    company_id: i64,
    product_id: i64,
) -> AppResult<(Company, ReleaseContext, Vec<ServiceGroupRow>, Option<i64>)> {
    let regions = state.config.regions.clone();
    db::run(&state.pool, move |c| {
        let groups = service_group::list_for_company(c, company_id)?;
        let logo = crate::models::upload::logo_id(c, product_id)?;
        Ok((
            Company::find(c, company_id)?,
            ReleaseContext {
                other_names: product::other_names(c, company_id, product_id)?,
                groups: groups.iter().map(|g| (g.id, g.hours())).collect(),
                has_logo: logo.is_some(),
                regions: regions.clone(),
                removed_skus: crate::models::removal::removed_skus(c, product_id)?,
            },
            groups,
            logo,
        ))
    })
    .await
}

/// Called by the editor after it saved what was typed (so nothing is lost on a refusal).
pub async fn submit(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    product: &Product,
    form: ProductForm,
    saved: String,
) -> AppResult<HttpResponse> {
    let (company, ctx, _, _) = context(state, seller.company_id, product.id).await?;
    let checked = if company.registration_status() != RegistrationStatus::Approved {
        let mut errors = FieldErrors::new();
        errors.add(
            "registration",
            "Only sellers whose registration is approved can submit products. Your draft is saved; \
             submit it once operations approve your registration.",
        );
        Err((errors, StatusCode::FORBIDDEN))
    } else {
        Ok(())
    };
    // The checks are linear but not small (a few hundred SKUs, sanitising the introduction):
    // off the executor's thread.
    let (form, checked) = match checked {
        Ok(()) => {
            let (form, result) = web::block(move || {
                let result = form.check_release(&ctx);
                (form, result)
            })
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("release check: {e}")))?;
            (
                form,
                result.map_err(|e| (e, StatusCode::UNPROCESSABLE_ENTITY)),
            )
        }
        Err(e) => (form, Err(e)),
    };
    let release = match checked {
        Ok(r) => r,
        Err((errors, status)) => {
            let page = super::products::editor_page(
                state,
                session,
                seller,
                product,
                form,
                errors,
                Some(saved),
            )
            .await?;
            return render_status(&page, status);
        }
    };
    let now = db::now();
    let due = due_from(now, &state.config.review_zone, &state.config.holidays);
    let (company_id, user_id, product_id) = (seller.company_id, seller.user.id, product.id);
    let outcome = db::run(&state.pool, move |c| {
        write_transaction(c, |c| {
            submit_release(c, company_id, user_id, product_id, &release, now, due)
        })
    })
    .await?;
    match outcome {
        ReleaseOutcome::Submitted { id, may_take_longer } => {
            let longer = if may_take_longer {
                format!(" You submitted {BUSY_DAY_RELEASES} or more release requests today, so this review may take longer.")
            } else {
                format!(" Note: on days with {BUSY_DAY_RELEASES} or more release requests, reviews may take longer.")
            };
            flash(
                session,
                "success",
                format!(
                    "Submitted for review as application #{id}. Operations will decide by {}. The product is locked against edits while in review.{longer}",
                    format_date(&due)
                ),
            );
            Ok(see_other("/console/products"))
        }
        ReleaseOutcome::AlreadyOpen(app) => Err(AppError::Conflict(format!(
            "Application #{app} for this product is still open; it must be decided or withdrawn first."
        ).into())),
        ReleaseOutcome::Locked(status) => Err(AppError::Conflict(format!(
            "This product is {} and cannot be submitted again.",
            status.label().to_lowercase()
        ).into())),
        ReleaseOutcome::Unchanged | ReleaseOutcome::DroppedSpecs(_) => {
            let mut errors = FieldErrors::new();
            let message = match outcome {
                ReleaseOutcome::DroppedSpecs(names) => format!(
                    "Released specifications cannot be deleted: put back {}. To stop selling one, \
                     hide it, or remove it through a removal application.",
                    names.join(", ")
                ),
                _ => "This modification changes nothing: the working copy is the same as the \
                      listed release. Change something before submitting."
                    .to_string(),
            };
            errors.add("specifications", message);
            let page = super::products::editor_page(
                state,
                session,
                seller,
                product,
                form,
                errors,
                Some(saved),
            )
            .await?;
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SimulateQuery {
    spec: Option<usize>,
    sku: String,
    quantity: String,
    period: String,
    count: String,
}

fn parse_period(kind: &str, count: &str) -> Option<Period> {
    let n: u32 = count.trim().parse().ok()?;
    match kind {
        "month" => Some(Period::Months(n)),
        "year" => Some(Period::Years(n)),
        "once" => Some(Period::Once),
        "hour" => Some(Period::Hours(n)),
        _ => None,
    }
}

/// The buyer's product page for any of the seller's products, drafts included, with a pricing
/// simulator computed on the server by the same rules that validate the prices.
pub async fn preview(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    query: web::Query<SimulateQuery>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let (product, state_of_product) = db::run(&state.pool, move |c| {
        let p = product::find_for_company(c, company_id, id)?;
        let s = product::state_of(c, &p)?;
        Ok((p, s))
    })
    .await?;
    let form = product.form();
    let (company, ctx, groups, logo_id) = context(&state, company_id, product.id).await?;
    let (form, checked, specs) = web::block(move || {
        let checked = form.check_release(&ctx);
        let specs = form
            .priced_specs(&ctx.regions, &ctx.removed_skus)
            .unwrap_or_default();
        (form, checked, specs)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("release check: {e}")))?;
    let group = form
        .service_group_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|g| groups.into_iter().find(|x| x.id == g))
        .map(GroupSnapshot::from);
    let simulator = simulator(
        &specs,
        &form.currency,
        format!("/console/products/{}/preview", product.id),
        &query,
    );
    let external_url = (form.method() == Some(DeliveryMethod::ConsultingServices)
        && is_web_address(form.consulting_url.trim()))
    .then(|| form.consulting_url.trim().to_string());
    let view = ProductView {
        purchase_limit: checked.as_ref().ok().and_then(|r| r.purchase_limit),
        regions: state.config.regions.clone(),
        product_id: product.id,
        name: form.name.trim().to_string(),
        version: form.version.trim().to_string(),
        overview: form.overview.trim().to_string(),
        highlights: form
            .highlights
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        introduction: sanitise_html(&form.introduction),
        category: form.category.clone(),
        currency: form.currency.clone(),
        user_guide_url: if is_web_address(form.user_guide_url.trim()) {
            form.user_guide_url.trim().to_string()
        } else {
            String::new()
        },
        details: checked
            .as_ref()
            .map(|r| r.details.clone())
            .unwrap_or_default(),
        specs,
        seller_name: company.display_name().to_string(),
        presales: ProductView::presales_of(&company),
        group,
        logo_url: logo_id.map(|u| format!("/console/products/{}/uploads/{u}", product.id)),
        external_url,
        simulator,
    };
    render(&PreviewPage {
        ctx: PageCtx::seller(&session, &seller, "drafts"),
        state: state_of_product,
        problems: checked.as_ref().err().map(FieldErrors::len).unwrap_or(0),
        view,
    })
}

/// The simulator's form and, when asked, the price: the same `quote` that validates prices.
pub fn simulator(
    specs: &[ReleaseSpec],
    currency: &str,
    action: String,
    q: &SimulateQuery,
) -> Simulator {
    let spec = q.spec.unwrap_or(0);
    // Only the periods the chosen specification bills by: hours for pay-per-use, never months.
    let periods = match specs.get(spec).map(|s| s.billing) {
        Some(BillingMode::YearlyMonthly) => {
            vec![("month", "Months (1–11)"), ("year", "Years (1–3)")]
        }
        Some(BillingMode::OneTime) => vec![("once", "One-time")],
        Some(BillingMode::PayPerUse) => vec![("hour", "Hours")],
        None => Vec::new(),
    };
    Simulator {
        action,
        result: q.spec.map(|i| simulate(specs, currency, i, q)),
        spec,
        periods,
        sku: q.sku.clone(),
        quantity: q.quantity.clone(),
        period: q.period.clone(),
        count: if q.count.is_empty() {
            "1".into()
        } else {
            q.count.clone()
        },
    }
}

fn simulate(specs: &[ReleaseSpec], currency: &str, i: usize, q: &SimulateQuery) -> Simulation {
    let Some(spec) = specs.get(i) else {
        return Simulation::Error("Choose a specification.".into());
    };
    let Some(sku) = spec
        .skus
        .iter()
        .find(|s| s.key == q.sku)
        .or_else(|| spec.skus.first())
    else {
        return Simulation::Error("This specification has no SKU.".into());
    };
    let Some(period) = parse_period(&q.period, &q.count) else {
        return Simulation::Error("Choose a billing period and a whole number of periods.".into());
    };
    let quantity = match &spec.quantity {
        Some(_) => match q.quantity.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => return Simulation::Error("Enter the quantity as a whole number.".into()),
        },
        None => None,
    };
    match quote(
        spec.billing,
        spec.quantity.as_ref().map(|x| &x.range),
        &sku.prices,
        quantity,
        &period,
    ) {
        Ok(price) => Simulation::Price(format!("{currency} {price:.2}")),
        Err(e) => Simulation::Error(e.message().to_string()),
    }
}
