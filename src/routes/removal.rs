//! Removal applications: the confirmation page (what, why, proof files, the name typed) and
//! its multipart post; the operator's download of the proof files.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use crate::auth::{csrf, Operator, Seller};
use crate::db::{self, write_transaction};
use crate::domain::fields::FieldErrors;
use crate::domain::removal::{self, RemovalForm, MAX_PROOF_FILES};
use crate::domain::statuses::{Lifecycle, UploadKind};
use crate::domain::uploads::{check_upload, safe_filename, DOCUMENT_MAX_BYTES};
use crate::domain::working_days::due_from;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::product::{self, Product};
use crate::models::product_release::{self, ProductRelease};
use crate::models::removal::{ProofFile, RemovalOutcome};
use crate::startup::AppState;
use crate::views::lifecycle::RemovePage;
use crate::views::PageCtx;
use crate::web::{flash, format_date, render, render_status, see_other};

/// The seller's live product with its listed release; anything else cannot be removed.
async fn removable(
    state: &AppState,
    seller: &Seller,
    id: i64,
) -> AppResult<(Product, ProductRelease)> {
    let company_id = seller.company_id;
    let (p, listed, open) = state
        .read(move |c| {
            let p = product::find_for_company(c, company_id, id)?;
            let open = product::state_of(c, &p)?.open;
            let listed = p
                .listed_release_id
                .map(|r| product_release::find(c, r))
                .transpose()?;
            Ok((p, listed, open))
        })
        .await?;
    match (p.lifecycle, listed) {
        (Lifecycle::Live, Some(listed)) => {
            if let Some(open) = open {
                return Err(AppError::Conflict(
                    Msg::new("lifecycle-error-open-before-removal").arg("id", open.id),
                ));
            }
            Ok((p, listed))
        }
        (lifecycle, _) => Err(not_live(lifecycle)),
    }
}

/// Only a listed product can be removed.
fn not_live(lifecycle: Lifecycle) -> AppError {
    AppError::Conflict(
        Msg::new("lifecycle-error-removal-not-live").arg("state", lifecycle.label().to_lowercase()),
    )
}

fn page(
    ctx: PageCtx,
    product: &Product,
    listed: &ProductRelease,
    form: RemovalForm,
    errors: FieldErrors,
) -> RemovePage {
    RemovePage {
        ctx,
        id: product.id,
        name: listed.snapshot.release.name.clone(),
        choices: removal::choices(&listed.snapshot.release)
            .into_iter()
            .map(|(value, target)| (value, target.label()))
            .collect(),
        target: form.target,
        reason: form.reason,
        confirm_name: form.confirm_name,
        errors,
    }
}

pub async fn form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (p, listed) = removable(&state, &seller, path.into_inner()).await?;
    let ctx = PageCtx::seller(&session, &seller, "products");
    render(&page(
        ctx,
        &p,
        &listed,
        RemovalForm::default(),
        FieldErrors::new(),
    ))
}

#[derive(Default)]
struct Posted {
    token: String,
    form: RemovalForm,
    files: Vec<(String, Vec<u8>)>,
    /// A file over the size limit, or more files than allowed.
    problem: Option<Msg>,
}

/// Reads the form: text fields of a few kilobytes, at most `MAX_PROOF_FILES` files of at most
/// 10 MB (one byte more is read to tell), the rest refused without being held.
async fn read(mut payload: Multipart) -> AppResult<Posted> {
    let unreadable = || AppError::BadRequest(Msg::new("error-form-unreadable"));
    let mut posted = Posted::default();
    // The page has four fields and up to three files; a post with many more parts is not it.
    let mut parts = 0;
    while let Some(field) = payload.next().await {
        parts += 1;
        if parts > 4 + 2 * MAX_PROOF_FILES {
            return Err(AppError::BadRequest(Msg::new(
                "lifecycle-error-form-too-many-parts",
            )));
        }
        let mut field = field.map_err(|_| unreadable())?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_string();
        let is_file = name == "proof";
        if is_file && posted.files.len() >= MAX_PROOF_FILES && !filename.is_empty() {
            posted.problem =
                Some(Msg::new("lifecycle-error-too-many-files").arg("max", MAX_PROOF_FILES));
            break;
        }
        let limit = if is_file {
            DOCUMENT_MAX_BYTES + 1
        } else {
            16 * 1024
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            if bytes.len() + chunk.len() > limit {
                if !is_file {
                    return Err(AppError::BadRequest(Msg::new(
                        "lifecycle-error-field-too-long",
                    )));
                }
                posted.problem = Some(
                    Msg::new("lifecycle-error-file-too-large")
                        .arg("mb", DOCUMENT_MAX_BYTES / (1024 * 1024)),
                );
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        if posted.problem.is_some() {
            break;
        }
        let text = || String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        match name.as_str() {
            "csrf_token" => posted.token = text(),
            "target" => posted.form.target = text(),
            "reason" => posted.form.reason = text(),
            "confirm_name" => posted.form.confirm_name = text(),
            "proof" if !(filename.is_empty() && bytes.is_empty()) => {
                posted.files.push((filename, bytes))
            }
            _ => {}
        }
    }
    Ok(posted)
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    // Another seller's product is not found, whatever was posted; then the token; then
    // whether this product can be removed now.
    let (company_id, id) = (seller.company_id, path.into_inner());
    state
        .read(move |c| product::find_for_company(c, company_id, id))
        .await?;
    let posted = read(payload).await?;
    csrf::verify(&req, &posted.token)?;
    let (p, listed) = removable(&state, &seller, id).await?;
    let form = posted.form;
    let checked = removal::check(&form, &listed.snapshot.release);
    // The files are judged by their content, off the executor's thread.
    let files = posted.files;
    let problem = posted.problem;
    let files: Result<Vec<ProofFile>, Msg> = web::block(move || {
        if let Some(problem) = problem {
            return Err(problem);
        }
        files
            .into_iter()
            .map(|(filename, data)| {
                // The problem is kept as a message: this thread has no reader to word it for.
                let content_type =
                    check_upload(UploadKind::BusinessLetter, &data).map_err(|e| {
                        Msg::new("lifecycle-error-proof-file")
                            .arg("file", safe_filename(&filename))
                            .arg("problem", e)
                    })?;
                Ok(ProofFile {
                    filename: safe_filename(&filename),
                    content_type,
                    data,
                })
            })
            .collect()
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("proof check: {e}")))?;
    let (request, files) = match (checked, files) {
        (Ok(request), Ok(files)) => (request, files),
        (checked, files) => {
            let mut errors = checked.err().unwrap_or_default();
            if let Err(problem) = files {
                errors.add("proof", problem);
            }
            let ctx = PageCtx::seller(&session, &seller, "products");
            return render_status(
                &page(ctx, &p, &listed, form, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let now = db::now();
    let due = due_from(now, &state.config.review_zone, &state.config.holidays);
    let user_id = seller.user.id;
    let product = p.clone();
    let outcome = db::run(&state.pool, move |c| {
        write_transaction(c, |c| {
            crate::models::removal::submit(
                c, company_id, user_id, &product, &request, files, now, due,
            )
        })
    })
    .await?;
    match outcome {
        RemovalOutcome::Submitted(id) => {
            flash(
                &session,
                "success",
                Msg::new("lifecycle-flash-removal-submitted")
                    .arg("id", id)
                    .arg("date", format_date(&due)),
            );
            Ok(see_other(&format!("/console/products/{}", p.id)))
        }
        RemovalOutcome::AlreadyOpen(open) => Err(AppError::Conflict(
            Msg::new("lifecycle-error-open-application").arg("id", open),
        )),
        RemovalOutcome::NotLive(l) => Err(not_live(l)),
    }
}

/// A proof file of an application, for operations.
pub async fn ops_file(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (application_id, id) = path.into_inner();
    let (meta, data) = state
        .read(move |c| crate::models::removal::file(c, application_id, id))
        .await?;
    Ok(super::uploads::attachment_response(
        &meta.filename,
        &meta.content_type,
        data,
    ))
}
