//! Seller > Services and Support: reviewed contact and pre-sales changes, service groups.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::applications::{NewApplication, Payload, SubmitOutcome};
use crate::auth::csrf::{CsrfForm, NoFields};
use crate::auth::Seller;
use crate::db::{self, lock_company, write_transaction};
use crate::domain::fields::FieldErrors;
use crate::domain::service_hours::DAYS;
use crate::domain::statuses::ApplicationKind;
use crate::domain::support::{
    BusinessContactForm, PresalesInfoForm, ServiceGroupForm, MAX_SERVICE_GROUPS,
};
use crate::domain::working_days::due_from;
use crate::error::AppResult;
use crate::i18n::Msg;
use crate::models::application;
use crate::models::company::Company;
use crate::models::service_group::{self, AddOutcome};
use crate::startup::AppState;
use crate::views::pages::{GroupDeletePage, GroupEditPage, PendingChange, SupportPage};
use crate::views::PageCtx;
use crate::web::{flash, format_date, render, render_status, see_other};

/// What a POST wants shown again: its form with the typed values and the messages.
#[derive(Default)]
struct Overrides {
    contact: Option<(BusinessContactForm, FieldErrors)>,
    presales: Option<(PresalesInfoForm, FieldErrors)>,
    group: Option<(ServiceGroupForm, FieldErrors)>,
}

fn default_group() -> ServiceGroupForm {
    ServiceGroupForm {
        service_days: ["Mon", "Tue", "Wed", "Thu", "Fri"]
            .map(String::from)
            .to_vec(),
        hours_start: "09:00".into(),
        hours_end: "18:00".into(),
        ..ServiceGroupForm::default()
    }
}

async fn support_page(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    overrides: Overrides,
) -> AppResult<SupportPage> {
    let company_id = seller.company_id;
    let (company, contact_app, presales_app, groups) = db::run(&state.pool, move |conn| {
        Ok((
            Company::find(conn, company_id)?,
            application::open_of_kind(conn, company_id, ApplicationKind::BusinessContactChange)?,
            application::open_of_kind(conn, company_id, ApplicationKind::PresalesInfoChange)?,
            service_group::list_for_company(conn, company_id)?,
        ))
    })
    .await?;
    let contact_pending = contact_app
        .map(|app| app.payload().map(|values| PendingChange { app, values }))
        .transpose()?;
    let presales_pending = presales_app
        .map(|app| app.payload().map(|values| PendingChange { app, values }))
        .transpose()?;
    let (contact_form, contact_errors) = overrides.contact.unwrap_or_else(|| {
        (
            BusinessContactForm {
                contact_name: company.contact_name.clone().unwrap_or_default(),
                contact_phone: company.contact_phone.clone().unwrap_or_default(),
                contact_email: company.contact_email.clone().unwrap_or_default(),
            },
            FieldErrors::new(),
        )
    });
    let (presales_form, presales_errors) = overrides.presales.unwrap_or_else(|| {
        (
            PresalesInfoForm {
                presales_phone: company.presales_phone.clone().unwrap_or_default(),
                presales_email: company.presales_email.clone().unwrap_or_default(),
                presales_address: company.presales_address.clone().unwrap_or_default(),
            },
            FieldErrors::new(),
        )
    });
    let (group_form, group_errors) = overrides
        .group
        .unwrap_or_else(|| (default_group(), FieldErrors::new()));
    Ok(SupportPage {
        ctx: PageCtx::seller(session, seller, "support"),
        company,
        contact_pending,
        contact_form,
        contact_errors,
        presales_pending,
        presales_form,
        presales_errors,
        can_add_group: (groups.len() as i64) < MAX_SERVICE_GROUPS,
        groups,
        max_groups: MAX_SERVICE_GROUPS,
        group_form,
        group_errors,
        days: &DAYS,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
) -> AppResult<HttpResponse> {
    render(&support_page(&state, &session, &seller, Overrides::default()).await?)
}

/// Submits a reviewed change (contact or pre-sales) unless one of its kind is still open.
async fn submit_change(
    state: &AppState,
    seller: &Seller,
    subject: String,
    payload: Payload,
) -> AppResult<SubmitOutcome> {
    let company_id = seller.company_id;
    let user_id = seller.user.id;
    let now = db::now();
    let due = due_from(now, &state.config.review_zone, &state.config.holidays);
    db::run(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            lock_company(conn, company_id)?;
            crate::applications::submit(
                conn,
                NewApplication {
                    company_id,
                    subject: &subject,
                    payload: &payload,
                    product_id: None,
                    submitted_by: user_id,
                    due_date: due,
                    may_take_longer: false,
                },
            )
        })
    })
    .await
}

/// The messages of a reviewed change: submitted, and one of its kind already open.
fn change_keys(kind: ApplicationKind) -> (&'static str, &'static str) {
    match kind {
        ApplicationKind::PresalesInfoChange => {
            ("seller-presales-submitted", "seller-presales-open")
        }
        _ => ("seller-contact-submitted", "seller-contact-open"),
    }
}

fn submitted_message(kind: ApplicationKind, outcome: &SubmitOutcome) -> (&'static str, Msg) {
    let (submitted, open_key) = change_keys(kind);
    match outcome {
        SubmitOutcome::Submitted(id) => ("success", Msg::new(submitted).arg("id", *id)),
        SubmitOutcome::AlreadyOpen(open) => (
            "error",
            Msg::new(open_key)
                .arg("id", open.id)
                .arg("due", format_date(&open.due_date)),
        ),
    }
}

/// While a change of this kind is under review its form is not shown: a post is answered
/// as a valid one would be (back to the page, the open application named), not with errors
/// nobody can see.
async fn already_open(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    kind: ApplicationKind,
) -> AppResult<Option<HttpResponse>> {
    let company_id = seller.company_id;
    let open = state
        .read(move |c| crate::models::application::open_of_kind(c, company_id, kind))
        .await?;
    Ok(open.map(|app| {
        let (level, message) = submitted_message(kind, &SubmitOutcome::AlreadyOpen(Box::new(app)));
        flash(session, level, message);
        see_other("/console/seller/support")
    }))
}

pub async fn submit_contact(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<BusinessContactForm>,
) -> AppResult<HttpResponse> {
    if let Some(answer) = already_open(
        &state,
        &session,
        &seller,
        ApplicationKind::BusinessContactChange,
    )
    .await?
    {
        return Ok(answer);
    }
    let values = match form.check() {
        Ok(v) => v,
        Err(kept) => {
            let overrides = Overrides {
                contact: Some(kept),
                ..Overrides::default()
            };
            let page = support_page(&state, &session, &seller, overrides).await?;
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let kind = ApplicationKind::BusinessContactChange;
    // Data only: the kind ("Business contact change") says the rest in the reader's language.
    let subject = values.contact_name.clone();
    let outcome = submit_change(
        &state,
        &seller,
        subject,
        Payload::BusinessContactChange(values),
    )
    .await?;
    let (level, message) = submitted_message(kind, &outcome);
    flash(&session, level, message);
    Ok(see_other("/console/seller/support"))
}

pub async fn submit_presales(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<PresalesInfoForm>,
) -> AppResult<HttpResponse> {
    if let Some(answer) = already_open(
        &state,
        &session,
        &seller,
        ApplicationKind::PresalesInfoChange,
    )
    .await?
    {
        return Ok(answer);
    }
    let values = match form.check() {
        Ok(v) => v,
        Err(kept) => {
            let overrides = Overrides {
                presales: Some(kept),
                ..Overrides::default()
            };
            let page = support_page(&state, &session, &seller, overrides).await?;
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let kind = ApplicationKind::PresalesInfoChange;
    let subject = values.presales_email.clone();
    let outcome = submit_change(
        &state,
        &seller,
        subject,
        Payload::PresalesInfoChange(values),
    )
    .await?;
    let (level, message) = submitted_message(kind, &outcome);
    flash(&session, level, message);
    Ok(see_other("/console/seller/support"))
}

pub async fn add_group(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<ServiceGroupForm>,
) -> AppResult<HttpResponse> {
    let form = form.normalised();
    let group = match form.check() {
        Ok(g) => g,
        Err(errors) => {
            let overrides = Overrides {
                group: Some((form, errors)),
                ..Overrides::default()
            };
            let page = support_page(&state, &session, &seller, overrides).await?;
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let company_id = seller.company_id;
    let name = group.name.clone();
    let outcome = db::run(&state.pool, move |conn| {
        service_group::add(conn, company_id, &group)
    })
    .await?;
    match outcome {
        AddOutcome::Added(_) => {
            flash(
                &session,
                "success",
                Msg::new("seller-group-added").arg("name", name),
            );
            Ok(see_other("/console/seller/support"))
        }
        AddOutcome::LimitReached => {
            let mut errors = FieldErrors::new();
            errors.add(
                "name",
                Msg::new("seller-groups-limit").arg("max", MAX_SERVICE_GROUPS),
            );
            let overrides = Overrides {
                group: Some((form, errors)),
                ..Overrides::default()
            };
            let page = support_page(&state, &session, &seller, overrides).await?;
            render_status(&page, StatusCode::CONFLICT)
        }
    }
}

pub async fn edit_group_form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let group = db::run(&state.pool, move |conn| {
        service_group::find_for_company(conn, company_id, id)
    })
    .await?;
    render(&GroupEditPage {
        ctx: PageCtx::seller(&session, &seller, "support"),
        group_id: group.id,
        group_form: group.to_form(),
        group_errors: FieldErrors::new(),
        days: &DAYS,
    })
}

pub async fn update_group(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ServiceGroupForm>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    // Another seller's group is a 404 whether the form is valid or not.
    db::run(&state.pool, move |conn| {
        service_group::find_for_company(conn, company_id, id)
    })
    .await?;
    let form = form.normalised();
    let group = match form.check() {
        Ok(g) => g,
        Err(errors) => {
            return render_status(
                &GroupEditPage {
                    ctx: PageCtx::seller(&session, &seller, "support"),
                    group_id: id,
                    group_form: form,
                    group_errors: errors,
                    days: &DAYS,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let name = group.name.clone();
    db::run(&state.pool, move |conn| {
        service_group::update(conn, company_id, id, &group)
    })
    .await?;
    flash(
        &session,
        "success",
        Msg::new("seller-group-saved").arg("name", name),
    );
    Ok(see_other("/console/seller/support"))
}

pub async fn delete_group_form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let group = db::run(&state.pool, move |conn| {
        service_group::find_for_company(conn, company_id, id)
    })
    .await?;
    render(&GroupDeletePage {
        ctx: PageCtx::seller(&session, &seller, "support"),
        group,
    })
}

pub async fn delete_group(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    db::run(&state.pool, move |conn| {
        service_group::delete(conn, company_id, id)
    })
    .await?;
    flash(&session, "success", Msg::new("seller-group-deleted"));
    Ok(see_other("/console/seller/support"))
}
