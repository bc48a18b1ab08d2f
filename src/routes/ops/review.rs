//! The operators' review queue, the application detail page (everything submitted), claim,
//! and the decision: approve, or reject with a reason and the fields concerned.

use crate::routes::map::RouteSink;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::applications::{choices_for, known_fields};
use crate::applications::{ClaimOutcome, DecideOutcome, Decision};
use crate::auth::csrf::{CsrfForm, NoFields};
use crate::auth::Operator;
use crate::db;
use crate::domain::fields::FieldErrors;
use crate::domain::product::Release;
use crate::domain::review::check_reason;
use crate::domain::statuses::{ApplicationKind, ApplicationStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::company::Company;
use crate::models::review::{self, ApplicationQuery, PAGE_SIZE};
use crate::models::{product_event, service_group, upload, user::User};
use crate::startup::AppState;
use crate::views::review::{
    kind_options, named_fields, payload_summary, QueuePage, ReleaseView, ReviewPage,
};
use crate::views::PageCtx;
use crate::web::{flash, page_count, page_number, render, render_status, see_other};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/ops/applications", queue)
        .get("/ops/applications/{id}", detail)
        .post("/ops/applications/{id}/claim", claim)
        .post("/ops/applications/{id}/decision", decide)
        .get("/ops/applications/{id}/uploads/{upload}", download)
        .get(
            "/ops/applications/{id}/files/{file}",
            crate::routes::removal::ops_file,
        );
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub kind: String,
    pub page: Option<String>,
}

pub async fn queue(
    state: web::Data<AppState>,
    session: Session,
    Operator(user): Operator,
    query: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let status = ApplicationStatus::parse(&query.status);
    let kind = ApplicationKind::parse(&query.kind);
    let q = ApplicationQuery {
        company_id: None,
        status,
        kind,
        page: page_number(query.page.as_deref()),
    };
    let page = q.page;
    let (rows, total) = state.read(move |c| review::list(c, &q)).await?;
    render(&QueuePage {
        ctx: PageCtx::new(&session, Some(&user), "ops_applications"),
        rows,
        total,
        page,
        pages: page_count(total, PAGE_SIZE),
        status,
        kind,
        statuses: ApplicationStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string()))
            .collect(),
        kinds: kind_options(),
        today: crate::domain::working_days::review_day(db::now(), &state.config.review_zone),
    })
}

/// What the decision form held, to show it again with the messages.
#[derive(Default)]
struct Typed {
    outcome: String,
    reason: String,
    fields: Vec<String>,
    errors: FieldErrors,
}

async fn review_page(
    state: &AppState,
    session: &Session,
    user: &User,
    id: i64,
    typed: Typed,
) -> AppResult<ReviewPage> {
    let regions = state.config.regions.clone();
    let (app, company, submitter, reviewer, timeline, uploads, groups, diff, history, files) =
        state
            .read(move |c| {
                let app = review::find(c, id)?;
                let company = Company::find(c, app.company_id)?;
                let submitter = User::find(c, app.submitted_by)?
                    .map(|u| u.email)
                    .unwrap_or_default();
                let reviewer = review::reviewer_email(c, &app)?;
                let timeline = review::timeline(c, id)?;
                let (uploads, groups) = match app.product_id {
                    Some(pid) => (
                        upload::list_for_product(c, app.company_id, pid)?,
                        service_group::list_for_company(c, app.company_id)?,
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                let history = match app.product_id {
                    Some(pid) => product_event::history(c, pid, 1)?.entries,
                    None => Vec::new(),
                };
                let diff = crate::applications::product::modification_diff(c, &app, &regions)?;
                let files = crate::models::removal::files_of(c, id)?;
                Ok((
                    app, company, submitter, reviewer, timeline, uploads, groups, diff, history,
                    files,
                ))
            })
            .await?;
    let kind = app.kind();
    let (diff, diff_base) = diff.map(|(d, n)| (Some(d), Some(n))).unwrap_or_default();
    let release = if matches!(
        kind,
        ApplicationKind::ProductRelease | ApplicationKind::ProductModification
    ) {
        let release = app.payload::<Release>()?;
        Some({
            let group = groups
                .iter()
                .find(|g| g.id == release.service_group_id)
                .map(|g| {
                    Msg::new("ops-group-line")
                        .arg("name", g.name.as_str())
                        .arg("phone", g.phone.as_str())
                        .arg("email", g.email.as_str())
                        .arg("days", g.days_label())
                        .arg("start", g.hours_start.to_string())
                        .arg("end", g.hours_end.to_string())
                        .to_string()
                });
            let facts = crate::domain::diff::release_facts(&release, &|id| {
                (id == release.service_group_id)
                    .then(|| group.clone())
                    .flatten()
            });
            let spec_notes = release
                .specs
                .iter()
                .map(|spec| {
                    let mut note = vec![Msg::new("ops-spec-sold-in")
                        .arg(
                            "regions",
                            crate::domain::offer::regions_text(
                                &spec.regions,
                                &state.config.regions,
                            ),
                        )
                        .to_string()];
                    if let Some(limit) = spec.purchase_limit.or(release.purchase_limit) {
                        note.push(
                            Msg::new("ops-spec-purchase-limit")
                                .arg("limit", limit.label())
                                .to_string(),
                        );
                    }
                    if let Some(days) = spec.trial_days {
                        note.push(
                            Msg::new("ops-spec-trial")
                                .arg("days", days.to_string())
                                .to_string(),
                        );
                    }
                    note.join(" · ")
                })
                .collect();
            ReleaseView {
                release,
                group,
                facts,
                spec_notes,
            }
        })
    } else {
        None
    };
    Ok(ReviewPage {
        ctx: PageCtx::new(session, Some(user), "ops_applications"),
        summary: payload_summary(&app)?,
        named: named_fields(&app),
        field_choices: choices_for(kind, release.as_ref().map(|r| r.release.method)),
        release,
        diff,
        diff_base,
        removal: match kind {
            ApplicationKind::ProductRemoval => {
                Some(crate::views::review::RemovalView::of(&app, files)?)
            }
            _ => None,
        },
        history,
        application_base: "/ops/applications/",
        uploads,
        timeline,
        company,
        submitter,
        reviewer,
        app,
        chosen: typed.fields,
        reason: typed.reason,
        outcome: typed.outcome,
        errors: typed.errors,
        today: crate::domain::working_days::review_day(db::now(), &state.config.review_zone),
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    Operator(user): Operator,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let page = review_page(&state, &session, &user, path.into_inner(), Typed::default()).await?;
    render(&page)
}

pub async fn claim(
    state: web::Data<AppState>,
    session: Session,
    Operator(user): Operator,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, operator_id) = (path.into_inner(), user.id);
    let outcome = db::run(&state.pool, move |c| {
        crate::applications::claim(c, id, operator_id)
    })
    .await?;
    match outcome {
        ClaimOutcome::Claimed => flash(
            &session,
            "success",
            Msg::new("ops-flash-claimed").arg("id", id),
        ),
        ClaimOutcome::NotPending(app) => flash(
            &session,
            "error",
            Msg::new("ops-flash-not-claimed")
                .arg("id", id)
                .arg("status", app.status_in_sentence()),
        ),
    }
    Ok(see_other(&format!("/ops/applications/{id}")))
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub fields: Vec<String>,
}

pub async fn decide(
    state: web::Data<AppState>,
    session: Session,
    Operator(user): Operator,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let app = state.read(move |c| review::find(c, id)).await?;
    let kind = app.kind();
    let mut errors = FieldErrors::new();
    let approve = match form.outcome.as_str() {
        "approve" => Some(true),
        "reject" => Some(false),
        _ => {
            errors.add("outcome", Msg::new("ops-error-choose-outcome"));
            None
        }
    };
    let reason = match check_reason(approve.unwrap_or(true), &form.reason) {
        Ok(r) => r,
        Err(message) => {
            errors.add("reason", message);
            None
        }
    };
    let fields = if approve == Some(false) {
        known_fields(kind, &form.fields)
    } else {
        Vec::new()
    };
    let Some(approve) = approve.filter(|_| errors.is_empty()) else {
        // A decided application has no decision form to show the errors on: say so instead.
        if !app.status.is_open() {
            return Err(AppError::Conflict(
                Msg::new("ops-error-already-decided")
                    .arg("id", id)
                    .arg("status", app.status_in_sentence()),
            ));
        }
        let typed = Typed {
            outcome: form.outcome.clone(),
            reason: form.reason.clone(),
            fields: known_fields(kind, &form.fields),
            errors,
        };
        let page = review_page(&state, &session, &user, id, typed).await?;
        return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };

    let decision = Decision {
        approve,
        reason,
        fields,
    };
    let operator_id = user.id;
    let notifier = state.notifier();
    let outcome = db::run(&state.pool, move |c| {
        let notify = notifier.settings();
        let outcome = crate::applications::decide(c, id, operator_id, &decision, &notify)?;
        // Who got there first, for the message to the one who did not.
        let by = match &outcome {
            DecideOutcome::AlreadyDecided(app) => review::reviewer_email(c, app)?,
            DecideOutcome::Decided(_) => None,
        };
        Ok((outcome, by))
    })
    .await?;
    match outcome {
        (DecideOutcome::Decided(app), _) => {
            // The email is in the outbox, committed with the decision: wake the worker.
            state.mail_wakeup.notify_one();
            let key = if approve {
                "ops-flash-approved"
            } else {
                "ops-flash-rejected"
            };
            flash(&session, "success", Msg::new(key).arg("id", id));
            let _ = app;
            Ok(see_other("/ops/applications"))
        }
        (DecideOutcome::AlreadyDecided(app), by) => {
            let who = match (app.status(), by) {
                (ApplicationStatus::Withdrawn, _) => Msg::new("ops-by-seller"),
                (_, Some(email)) => Msg::new("ops-by-email").arg("email", email),
                _ => Msg::new("ops-by-someone"),
            };
            let message = match app.decided_at {
                Some(t) => {
                    Msg::new("ops-error-lost-race-at").arg("time", crate::web::format_time(&t))
                }
                None => Msg::new("ops-error-lost-race"),
            }
            .arg("id", id)
            .arg("status", app.status_in_sentence())
            .arg("who", who);
            Err(AppError::Conflict(message))
        }
    }
}

/// A file of the product under review, for the reviewer.
pub async fn download(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, upload_id) = path.into_inner();
    let (meta, data) = state
        .read(move |c| {
            let app = review::find(c, id)?;
            let product_id = app.product_id.ok_or(AppError::NotFound)?;
            upload::find_with_data(c, app.company_id, product_id, upload_id)
        })
        .await?;
    Ok(crate::routes::uploads::file_response(&meta, data))
}
