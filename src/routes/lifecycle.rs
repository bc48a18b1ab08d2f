//! The life of a listed product in the console: its page (listed release, working copy,
//! visibility, specifications, recent history), hide and unhide, and its history.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::CsrfForm;
use crate::auth::Seller;
use crate::domain::statuses::Visibility;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::product_event;
use crate::models::visibility::{self, VisibilityOutcome};
use crate::models::{product, product_release};
use crate::startup::AppState;
use crate::views::lifecycle::{HistoryPage, OverviewPage, SpecRow};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, render, see_other};

/// The entries the product's page shows; the history page has them all.
const RECENT: usize = 10;

pub async fn overview(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let (p, product_state, listed, hidden, history) = state
        .read(move |c| {
            let p = product::find_for_company(c, company_id, id)?;
            let s = product::state_of(c, &p)?;
            let listed = p
                .listed_release_id
                .map(|r| product_release::find(c, r))
                .transpose()?;
            let hidden = visibility::hidden_specs(c, id)?;
            let history = product_event::history(c, id, 1)?;
            Ok((p, s, listed, hidden, history))
        })
        .await?;
    let name = listed
        .as_ref()
        .map(|r| r.snapshot.release.name.clone())
        .unwrap_or_else(|| {
            if p.name.trim().is_empty() {
                crate::i18n::tr("lifecycle-untitled")
            } else {
                p.name.clone()
            }
        });
    let specs = listed
        .as_ref()
        .map(|r| {
            r.snapshot
                .release
                .specs
                .iter()
                .map(|s| SpecRow {
                    name: s.name.clone(),
                    billing: s.billing,
                    skus: s.skus.len(),
                    hidden: hidden.contains(&s.name),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut entries = history.entries;
    entries.truncate(RECENT);
    render(&OverviewPage {
        ctx: PageCtx::seller(&session, &seller, "products"),
        id,
        name,
        state: product_state,
        release: listed.map(|r| (r.number, crate::web::format_time(&r.released_at))),
        specs,
        history: entries,
        history_total: history.total,
        application_base: "/console/applications/",
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: Option<String>,
}

pub async fn history(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let page = page_number(query.page.as_deref());
    let (p, h) = state
        .read(move |c| {
            let p = product::find_for_company(c, company_id, id)?;
            Ok((p, product_event::history(c, id, page)?))
        })
        .await?;
    render(&HistoryPage {
        ctx: PageCtx::seller(&session, &seller, "products"),
        id,
        name: if p.name.trim().is_empty() {
            crate::i18n::tr("lifecycle-untitled")
        } else {
            p.name
        },
        history: h.entries,
        application_base: "/console/applications/",
        total: h.total,
        page,
        pages: page_count(h.total, product_event::PAGE_SIZE),
    })
}

fn refused(outcome: VisibilityOutcome) -> AppError {
    let msg = match outcome {
        VisibilityOutcome::NotLive(l) => {
            Msg::new("lifecycle-error-visibility-not-live").arg("state", l.label().to_lowercase())
        }
        VisibilityOutcome::NeedsShownSpec => Msg::new("lifecycle-error-needs-shown-spec"),
        VisibilityOutcome::UnknownSpec => Msg::new("lifecycle-error-unknown-spec"),
        VisibilityOutcome::TooMany => Msg::new("lifecycle-error-visibility-too-many")
            .arg("n", crate::models::visibility::MAX_CHANGES_PER_DAY),
        VisibilityOutcome::Changed | VisibilityOutcome::Unchanged => Msg::raw(""),
    };
    AppError::Conflict(msg)
}

/// Where a hide or unhide goes back to: My Products when it came from there.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackForm {
    back: String,
}

async fn set_product(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    id: i64,
    to: Visibility,
    back: &str,
) -> AppResult<HttpResponse> {
    let (company_id, user_id) = (seller.company_id, seller.user.id);
    let outcome = crate::db::run(&state.pool, move |c| {
        visibility::set_product(c, company_id, id, user_id, to)
    })
    .await?;
    match outcome {
        VisibilityOutcome::Changed | VisibilityOutcome::Unchanged => {
            flash(
                session,
                "success",
                Msg::new(match to {
                    Visibility::Hidden => "lifecycle-flash-hidden",
                    Visibility::Shown => "lifecycle-flash-shown",
                }),
            );
            Ok(see_other(&if back == "list" {
                "/console/products".to_string()
            } else {
                format!("/console/products/{id}")
            }))
        }
        other => Err(refused(other)),
    }
}

pub async fn hide(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<BackForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    set_product(
        &state,
        &session,
        &seller,
        id,
        Visibility::Hidden,
        &form.back,
    )
    .await
}

pub async fn unhide(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<BackForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    set_product(&state, &session, &seller, id, Visibility::Shown, &form.back).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SpecForm {
    spec: String,
}

async fn set_spec(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    id: i64,
    spec: String,
    hide: bool,
) -> AppResult<HttpResponse> {
    // A specification name is at most 30 characters (the editor's limit); anything longer is
    // not one, and is not carried into a query.
    if spec.chars().count() > 100 {
        return Err(refused(VisibilityOutcome::UnknownSpec));
    }
    let (company_id, user_id) = (seller.company_id, seller.user.id);
    let name = spec.clone();
    let outcome = crate::db::run(&state.pool, move |c| {
        visibility::set_spec(c, company_id, id, user_id, &name, hide)
    })
    .await?;
    match outcome {
        VisibilityOutcome::Changed | VisibilityOutcome::Unchanged => {
            flash(
                session,
                "success",
                Msg::new(if hide {
                    "lifecycle-flash-spec-hidden"
                } else {
                    "lifecycle-flash-spec-shown"
                })
                .arg("name", spec),
            );
            Ok(see_other(&format!("/console/products/{id}#specifications")))
        }
        other => Err(refused(other)),
    }
}

pub async fn hide_spec(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<SpecForm>,
) -> AppResult<HttpResponse> {
    set_spec(
        &state,
        &session,
        &seller,
        path.into_inner(),
        form.spec,
        true,
    )
    .await
}

pub async fn unhide_spec(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<SpecForm>,
) -> AppResult<HttpResponse> {
    set_spec(
        &state,
        &session,
        &seller,
        path.into_inner(),
        form.spec,
        false,
    )
    .await
}
