//! Operations' benefit slots (SPEC 13): a month's banner and featured-zone requests in the
//! order they are allocated in, and the allocation itself (each request decided as the
//! application it is).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::applications::{DecideOutcome, Decision};
use crate::auth::csrf::CsrfForm;
use crate::auth::Operator;
use crate::db;
use crate::domain::benefits::{self, Slot};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::benefit;
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::benefits::OpsBenefitsPage;
use crate::views::PageCtx;
use crate::web::{flash, render, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/ops/benefits", page)
        .post("/ops/benefits/allocate", allocate);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MonthQuery {
    month: String,
}

/// The months operations look at: this one and the next six.
fn months(today: time::Date) -> Vec<String> {
    let mut m = vec![crate::domain::settlement::period_of(today)];
    m.extend(benefits::open_months(
        today - time::Duration::days(benefits::LEAD_DAYS),
    ));
    m.dedup();
    m
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let today = time::OffsetDateTime::now_utc().date();
    let all = months(today);
    let month = if crate::domain::settlement::period_bounds(&query.month).is_some() {
        query.month.trim().to_string()
    } else {
        benefits::open_months(today)
            .first()
            .cloned()
            .unwrap_or_default()
    };
    let (m, rates) = (month.clone(), state.config.usd_rates.clone());
    let (banner, featured) = db::run(&state.pool, move |c| {
        Ok((
            benefit::month_requests(c, &m, Slot::Banner, &rates)?,
            benefit::month_requests(c, &m, Slot::Featured, &rates)?,
        ))
    })
    .await?;
    render(&OpsBenefitsPage {
        ctx: PageCtx::new(&session, Some(&op.0), "ops_benefits"),
        month,
        months: all,
        banner,
        featured,
        banner_slots: Slot::Banner.capacity(),
        featured_slots: Slot::Featured.capacity(),
    })
}

#[derive(Deserialize)]
pub struct AllocateForm {
    #[serde(default)]
    month: String,
    #[serde(default)]
    slot: String,
}

/// Decides the month's open requests of one kind in allocation order: approved while slots
/// are left, rejected (saying so, in both languages) once they are taken.
pub async fn allocate(
    state: web::Data<AppState>,
    session: Session,
    op: Operator,
    CsrfForm(form): CsrfForm<AllocateForm>,
) -> AppResult<HttpResponse> {
    let Some(slot) = Slot::parse(&form.slot) else {
        return Err(AppError::BadRequest(Msg::new("benefits-slot-choose")));
    };
    if crate::domain::settlement::period_bounds(&form.month).is_none() {
        return Err(AppError::BadRequest(Msg::new("benefits-month-choose")));
    }
    let month = form.month.trim().to_string();
    let (operator, notifier) = (op.0.id, state.notifier());
    let (m, rates) = (month.clone(), state.config.usd_rates.clone());
    let (approved, rejected) = db::run(&state.pool, move |c| {
        let requests: Vec<_> = benefit::month_requests(c, &m, slot, &rates)?
            .into_iter()
            .map(|r| r.request)
            .collect();
        let full = format!(
            "{} / {}",
            crate::i18n::with(crate::i18n::Viewer::of_account(Some("en"), None), || {
                Msg::new("benefits-slots-full")
                    .arg("month", m.as_str())
                    .arg("slots", slot.capacity())
                    .to_string()
            }),
            crate::i18n::with(crate::i18n::Viewer::of_account(Some("zh-CN"), None), || {
                Msg::new("benefits-slots-full")
                    .arg("month", m.as_str())
                    .arg("slots", slot.capacity())
                    .to_string()
            }),
        );
        let (mut approved, mut rejected) = (0i64, 0i64);
        for (id, approve) in benefits::allocate(&requests, slot.capacity()) {
            let decision = Decision {
                approve,
                reason: (!approve).then(|| full.clone()),
                fields: Vec::new(),
            };
            let outcome =
                match crate::applications::decide(c, id, operator, &decision, &notifier.settings())
                {
                    // Taken meanwhile by a decision made elsewhere: rejected as full.
                    Err(AppError::Conflict(_)) if approve => {
                        let reject = Decision {
                            approve: false,
                            reason: Some(full.clone()),
                            fields: Vec::new(),
                        };
                        crate::applications::decide(
                            c,
                            id,
                            operator,
                            &reject,
                            &notifier.settings(),
                        )?;
                        rejected += 1;
                        continue;
                    }
                    other => other?,
                };
            if let DecideOutcome::Decided(_) = outcome {
                if approve {
                    approved += 1;
                } else {
                    rejected += 1;
                }
            }
        }
        Ok((approved, rejected))
    })
    .await?;
    if approved + rejected > 0 {
        state.mail_wakeup.notify_one();
    }
    flash(
        &session,
        "success",
        Msg::new("ops-benefits-allocated")
            .arg("approved", approved)
            .arg("rejected", rejected),
    );
    Ok(see_other(&format!("/ops/benefits?month={month}")))
}
