//! Seller > Registration: the form, its requirements, and the registration application.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::applications::company_name::CompanyNameChange;
use crate::applications::{NewApplication, Payload, SubmitOutcome};
use crate::auth::csrf::CsrfForm;
use crate::auth::Seller;
use crate::db::{self, lock_company, write_transaction};
use crate::domain::fields::FieldErrors;
use crate::domain::registration::{
    Registration, RegistrationForm, AGREEMENT_VERSION, OFFERINGS, REGIONS,
};
use crate::domain::service_hours::DAYS;
use crate::domain::statuses::{ApplicationKind, RegistrationStatus};
use crate::domain::working_days::due_from;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::application::{self, Application};
use crate::models::company::Company;
use crate::startup::AppState;
use crate::views::pages::{PendingChange, RegistrationPage};
use crate::views::PageCtx;
use crate::web::{flash, format_time, render_status, see_other};

fn default_form() -> RegistrationForm {
    RegistrationForm {
        support_days: ["Mon", "Tue", "Wed", "Thu", "Fri"]
            .map(String::from)
            .to_vec(),
        support_start: "09:00".into(),
        support_end: "18:00".into(),
        presales_staff: "1".into(),
        aftersales_staff: "1".into(),
        ..RegistrationForm::default()
    }
}

/// Registration can be (re)submitted only when none is open or approved.
fn is_editable(company: &Company) -> bool {
    matches!(
        company.registration_status(),
        RegistrationStatus::Unregistered | RegistrationStatus::Rejected
    )
}

fn page(
    ctx: PageCtx,
    (company, application, name_change): Loaded,
    form: Option<RegistrationForm>,
    errors: FieldErrors,
) -> AppResult<RegistrationPage> {
    let submitted: Option<Registration> = application.as_ref().map(|a| a.payload()).transpose()?;
    let editable = is_editable(&company);
    let form = form.unwrap_or_else(|| match &submitted {
        Some(r) => RegistrationForm::from_registration(r),
        None => default_form(),
    });
    Ok(RegistrationPage {
        ctx,
        // The details of a rejected application are in the form being fixed; show them once.
        submitted: if editable { None } else { submitted },
        company,
        application,
        editable,
        form,
        errors,
        regions: &REGIONS,
        offerings: &OFFERINGS,
        days: &DAYS,
        agreement_version: AGREEMENT_VERSION,
        name_change: name_change
            .map(|app| app.payload().map(|values| PendingChange { app, values }))
            .transpose()?,
        new_legal_name: String::new(),
    })
}

/// The company, its latest registration application and its open name change.
type Loaded = (Company, Option<Application>, Option<Application>);

async fn load(state: &AppState, company_id: i64) -> AppResult<Loaded> {
    db::run(&state.pool, move |conn| {
        Ok((
            Company::find(conn, company_id)?,
            application::latest_of_kind(conn, company_id, ApplicationKind::Registration)?,
            application::open_of_kind(conn, company_id, ApplicationKind::CompanyNameChange)?,
        ))
    })
    .await
}

pub async fn show(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
) -> AppResult<HttpResponse> {
    let loaded = load(&state, seller.company_id).await?;
    let ctx = PageCtx::seller(&session, &seller, "registration");
    render_status(
        &page(ctx, loaded, None, FieldErrors::new())?,
        StatusCode::OK,
    )
}

pub async fn submit(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<RegistrationForm>,
) -> AppResult<HttpResponse> {
    let form = form.trimmed();
    let now = db::now();
    let registration = match form.check(now.date(), &format_time(&now)) {
        Ok(r) => r,
        Err(errors) => {
            let loaded = load(&state, seller.company_id).await?;
            // Under review or approved, the page has no form to show errors on.
            if !is_editable(&loaded.0) {
                return Err(AppError::Conflict(Msg::new("seller-registration-locked")));
            }
            let ctx = PageCtx::seller(&session, &seller, "registration");
            return render_status(
                &page(ctx, loaded, Some(form), errors)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };

    let company_id = seller.company_id;
    let user_id = seller.user.id;
    let due = due_from(now, &state.config.review_zone, &state.config.holidays);
    let payload = Payload::Registration(registration.clone());
    let outcome = db::run(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            lock_company(conn, company_id)?;
            let company = Company::find(conn, company_id)?;
            if !is_editable(&company) {
                return Ok(None);
            }
            let outcome = crate::applications::submit(
                conn,
                NewApplication {
                    company_id,
                    subject: &registration.legal_name,
                    payload: &payload,
                    product_id: None,
                    submitted_by: user_id,
                    due_date: due,
                    may_take_longer: false,
                },
            )?;
            if let SubmitOutcome::Submitted(_) = outcome {
                Company::set_registration_status(conn, company_id, RegistrationStatus::Pending)?;
            }
            Ok(Some(outcome))
        })
    })
    .await?;

    match outcome {
        Some(SubmitOutcome::Submitted(id)) => {
            flash(
                &session,
                "success",
                Msg::new("seller-registration-submitted")
                    .arg("id", id)
                    .arg("due", crate::web::format_date(&due)),
            );
            Ok(see_other("/console"))
        }
        Some(SubmitOutcome::AlreadyOpen(open)) => {
            flash(
                &session,
                "error",
                Msg::new("seller-registration-open").arg("id", open.id),
            );
            Ok(see_other("/console/seller/registration"))
        }
        None => {
            flash(&session, "error", Msg::new("seller-registration-locked"));
            Ok(see_other("/console/seller/registration"))
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NameChangeForm {
    #[serde(default)]
    pub legal_name: String,
}

/// An approved seller asks to change the company's legal name: a reviewed application; the
/// name in force stays until it is approved.
pub async fn submit_name_change(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    CsrfForm(form): CsrfForm<NameChangeForm>,
) -> AppResult<HttpResponse> {
    let name = form.legal_name.trim().to_string();
    let loaded = load(&state, seller.company_id).await?;

    let mut errors = FieldErrors::new();
    let length = name.chars().count();
    if name.contains(['\r', '\n']) {
        errors.add(
            "new_legal_name",
            crate::i18n::Msg::new(crate::domain::fields::ONE_LINE),
        );
    } else if !(2..=200).contains(&length) {
        errors.add(
            "new_legal_name",
            Msg::new("seller-error-new-legal-name")
                .arg("min", 2i64)
                .arg("max", 200i64),
        );
    } else if loaded.0.legal_name.as_deref() == Some(name.as_str()) {
        errors.add("new_legal_name", Msg::new("seller-error-same-name"));
    }
    if loaded.0.registration_status() != RegistrationStatus::Approved {
        return Err(AppError::Conflict(Msg::new("seller-name-change-not-yet")));
    }
    // With a change under review the form is not shown: answered as a valid post would be.
    if let (false, Some(open)) = (errors.is_empty(), &loaded.2) {
        flash(
            &session,
            "error",
            Msg::new("seller-name-change-open").arg("id", open.id),
        );
        return Ok(see_other("/console/seller/registration"));
    }
    if !errors.is_empty() {
        let ctx = PageCtx::seller(&session, &seller, "registration");
        let mut p = page(ctx, loaded, None, errors)?;
        p.new_legal_name = name;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (company_id, user_id) = (seller.company_id, seller.user.id);
    let now = db::now();
    let due = due_from(now, &state.config.review_zone, &state.config.holidays);
    let payload = Payload::CompanyNameChange(CompanyNameChange {
        legal_name: name.clone(),
    });
    let outcome = db::run(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            lock_company(conn, company_id)?;
            crate::applications::submit(
                conn,
                NewApplication {
                    company_id,
                    subject: &name,
                    payload: &payload,
                    product_id: None,
                    submitted_by: user_id,
                    due_date: due,
                    may_take_longer: false,
                },
            )
        })
    })
    .await?;
    match outcome {
        SubmitOutcome::Submitted(id) => flash(
            &session,
            "success",
            Msg::new("seller-name-change-submitted")
                .arg("id", id)
                .arg("due", crate::web::format_date(&due)),
        ),
        SubmitOutcome::AlreadyOpen(open) => flash(
            &session,
            "error",
            Msg::new("seller-name-change-open").arg("id", open.id),
        ),
    }
    Ok(see_other("/console/seller/registration"))
}
