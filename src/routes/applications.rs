//! Product Management > My Applications: the seller's applications, each with its timeline and
//! the actions its status allows (withdraw while open; delete once rejected or withdrawn).

use crate::routes::map::RouteSink;
use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::applications::WithdrawOutcome;
use crate::auth::csrf::{CsrfForm, NoFields};
use crate::auth::Seller;
use crate::db;
use crate::domain::statuses::{ApplicationKind, ApplicationStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::application::Application;
use crate::models::review::{self, ApplicationQuery, PAGE_SIZE};
use crate::startup::AppState;
use crate::views::review::{
    fix_link, kind_options, named_fields, payload_summary, ApplicationPage, ConfirmPage,
    MyApplicationsPage,
};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, render, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/console/applications", list)
        .get("/console/applications/{id}", detail)
        .get("/console/applications/{id}/withdraw", withdraw_form)
        .post("/console/applications/{id}/withdraw", withdraw)
        .get("/console/applications/{id}/delete", delete_form)
        .post("/console/applications/{id}/delete", delete);
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub kind: String,
    pub page: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let status = ApplicationStatus::parse(&query.status);
    let kind = ApplicationKind::parse(&query.kind);
    let q = ApplicationQuery {
        company_id: Some(seller.company_id),
        status,
        kind,
        page: page_number(query.page.as_deref()),
    };
    let page = q.page;
    let company_id = seller.company_id;
    let ((rows, total), counts) = state
        .read(move |c| {
            Ok((
                review::list(c, &q)?,
                review::counts_by_status(c, company_id)?,
            ))
        })
        .await?;
    let count_of = |s: ApplicationStatus| {
        counts
            .iter()
            .find(|(k, _)| k == s.as_str())
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    render(&MyApplicationsPage {
        ctx: PageCtx::seller(&session, &seller, "applications"),
        all_count: counts.iter().map(|(_, n)| n).sum(),
        tabs: ApplicationStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string(), count_of(*s)))
            .collect(),
        rows,
        total,
        page,
        pages: page_count(total, PAGE_SIZE),
        status,
        kind,
        kinds: kind_options(),
        today: crate::domain::working_days::review_day(db::now(), &state.config.review_zone),
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let regions = state.config.regions.clone();
    let (app, timeline, diff, files) = state
        .read(move |c| {
            let app = review::find_for_company(c, company_id, id)?;
            let diff = crate::applications::product::modification_diff(c, &app, &regions)?;
            let files = crate::models::removal::files_of(c, id)?;
            Ok((app, review::timeline(c, id)?, diff, files))
        })
        .await?;
    let (diff, diff_base) = diff.map(|(d, n)| (Some(d), Some(n))).unwrap_or_default();
    render(&ApplicationPage {
        diff,
        diff_base,
        removal: match app.kind() {
            ApplicationKind::ProductRemoval => {
                Some(crate::views::review::RemovalView::of(&app, files)?)
            }
            _ => None,
        },
        ctx: PageCtx::seller(&session, &seller, "applications"),
        summary: payload_summary(&app)?,
        fields: named_fields(&app),
        fix_link: fix_link(&app),
        timeline,
        app,
        today: crate::domain::working_days::review_day(db::now(), &state.config.review_zone),
    })
}

/// "Application #3 is pending review: only rejected or withdrawn applications can be deleted."
fn not_deletable(app: &Application) -> Msg {
    Msg::new("apps-error-not-deletable")
        .arg("id", app.id)
        .arg("status", app.status_in_sentence())
}

fn not_withdrawable(app: &Application) -> Msg {
    Msg::new("apps-error-not-withdrawable")
        .arg("id", app.id)
        .arg("status", app.status_in_sentence())
}

async fn confirm(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    id: i64,
    delete: bool,
) -> AppResult<HttpResponse> {
    let company_id = seller.company_id;
    let app = state
        .read(move |c| review::find_for_company(c, company_id, id))
        .await?;
    // The page offers only what the action would do (it refuses the same way).
    let status = Some(app.status);
    if delete
        && !matches!(
            status,
            Some(ApplicationStatus::Rejected | ApplicationStatus::Withdrawn)
        )
    {
        return Err(AppError::Conflict(not_deletable(&app)));
    }
    if !delete && !status.is_some_and(|s| s.is_open()) {
        return Err(AppError::Conflict(not_withdrawable(&app)));
    }
    let page = if delete {
        ConfirmPage {
            ctx: PageCtx::seller(session, seller, "applications"),
            heading: Msg::new("apps-delete-heading").arg("id", app.id),
            explanation: Msg::new("apps-delete-explanation"),
            button: Msg::new("apps-delete-button"),
            action: "delete",
            app,
        }
    } else {
        ConfirmPage {
            ctx: PageCtx::seller(session, seller, "applications"),
            heading: Msg::new("apps-withdraw-heading").arg("id", app.id),
            explanation: Msg::new("apps-withdraw-explanation"),
            button: Msg::new("apps-withdraw-button"),
            action: "withdraw",
            app,
        }
    };
    render(&page)
}

pub async fn withdraw_form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    confirm(&state, &session, &seller, path.into_inner(), false).await
}

pub async fn delete_form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    confirm(&state, &session, &seller, path.into_inner(), true).await
}

pub async fn withdraw(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (company_id, user_id, id) = (seller.company_id, seller.user.id, path.into_inner());
    let outcome = db::run(&state.pool, move |c| {
        crate::applications::withdraw(c, company_id, id, user_id)
    })
    .await?;
    match outcome {
        WithdrawOutcome::Withdrawn => {
            flash(
                &session,
                "success",
                Msg::new("apps-flash-withdrawn").arg("id", id),
            );
            Ok(see_other(&format!("/console/applications/{id}")))
        }
        WithdrawOutcome::NotOpen(app) => Err(AppError::Conflict(not_withdrawable(&app))),
    }
}

pub async fn delete(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let app = state
        .read(move |c| review::find_for_company(c, company_id, id))
        .await?;
    let hidden = db::run(&state.pool, move |c| {
        review::hide_for_seller(c, company_id, id)
    })
    .await?;
    if !hidden {
        return Err(AppError::Conflict(not_deletable(&app)));
    }
    flash(
        &session,
        "success",
        Msg::new("apps-flash-deleted").arg("id", id),
    );
    Ok(see_other("/console/applications"))
}
