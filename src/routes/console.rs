//! The seller dashboard.

use actix_session::Session;
use actix_web::{web, HttpResponse};

use crate::auth::Seller;
use crate::db;
use crate::domain::statuses::ApplicationKind;
use crate::error::AppResult;
use crate::models::{application, company::Company, service_group};
use crate::startup::AppState;
use crate::views::pages::Dashboard;
use crate::views::PageCtx;
use crate::web::render;

pub async fn dashboard(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
) -> AppResult<HttpResponse> {
    let company_id = seller.company_id;
    let (company, registration, applications, groups) = db::run(&state.pool, move |conn| {
        Ok((
            Company::find(conn, company_id)?,
            application::latest_of_kind(conn, company_id, ApplicationKind::Registration)?,
            application::recent_for_company(conn, company_id, 10)?,
            service_group::count_for_company(conn, company_id)?,
        ))
    })
    .await?;
    render(&Dashboard {
        ctx: PageCtx::seller(&session, &seller, "dashboard"),
        company,
        registration,
        applications,
        group_count: groups,
    })
}
