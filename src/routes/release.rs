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
use crate::i18n::{tr, Arg, Msg};
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
        errors.add("registration", Msg::new("products-error-not-registered"));
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
        ReleaseOutcome::Submitted {
            id,
            may_take_longer,
        } => {
            let longer = Msg::new(if may_take_longer {
                "products-submitted-busy"
            } else {
                "products-submitted-note"
            })
            .arg("n", BUSY_DAY_RELEASES);
            flash(
                session,
                "success",
                Msg::new("products-flash-submitted")
                    .arg("id", id.to_string())
                    .arg("due", format_date(&due))
                    .arg("longer", longer),
            );
            Ok(see_other("/console/products"))
        }
        ReleaseOutcome::AlreadyOpen(app) => Err(AppError::Conflict(
            Msg::new("products-error-already-open").arg("id", app.to_string()),
        )),
        ReleaseOutcome::Locked(status) => Err(AppError::Conflict(
            Msg::new("products-error-locked-submit").arg("state", status.label().to_lowercase()),
        )),
        ReleaseOutcome::Unchanged | ReleaseOutcome::DroppedSpecs(_) => {
            let mut errors = FieldErrors::new();
            let message = match outcome {
                ReleaseOutcome::DroppedSpecs(names) => Msg::new("products-error-dropped-specs")
                    .arg(
                        "names",
                        Arg::List(names.into_iter().map(Msg::raw).collect()),
                    ),
                _ => Msg::new("products-error-unchanged"),
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
            .map(|r| {
                r.details
                    .iter()
                    .map(|(label, value)| crate::domain::product::detail_text(label, value))
                    .collect()
            })
            .unwrap_or_default(),
        specs,
        seller_name: company.display_name().to_string(),
        presales: ProductView::presales_of(&company),
        group,
        logo_url: logo_id.map(|u| format!("/console/products/{}/uploads/{u}", product.id)),
        order_action: None,
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
    let periods: Vec<(&'static str, &'static str)> = match specs.get(spec).map(|s| s.billing) {
        Some(BillingMode::YearlyMonthly) => {
            vec![
                ("month", "products-sim-months"),
                ("year", "products-sim-years"),
            ]
        }
        Some(BillingMode::OneTime) => vec![("once", "products-sim-once")],
        Some(BillingMode::PayPerUse) => vec![("hour", "products-sim-hours")],
        None => Vec::new(),
    };
    let periods = periods
        .into_iter()
        .map(|(value, key)| (value, crate::domain::product_fields::static_text(key)))
        .collect();
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
        return Simulation::Error(tr("products-sim-choose-spec"));
    };
    let Some(sku) = spec
        .skus
        .iter()
        .find(|s| s.key == q.sku)
        .or_else(|| spec.skus.first())
    else {
        return Simulation::Error(tr("products-sim-no-sku"));
    };
    let Some(period) = parse_period(&q.period, &q.count) else {
        return Simulation::Error(tr("products-sim-choose-period"));
    };
    let quantity = match &spec.quantity {
        Some(_) => match q.quantity.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => return Simulation::Error(tr("products-sim-quantity")),
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
