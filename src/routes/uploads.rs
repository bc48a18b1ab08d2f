//! Product files: logo, request templates, certificates. Uploaded as multipart, checked by
//! content, stored in the database, served back only to the owning seller.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::header::{
    ContentDisposition, DispositionParam, DispositionType, CONTENT_DISPOSITION,
};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use crate::auth::csrf::{self, CsrfForm, NoFields};
use crate::auth::Seller;
use crate::db::{self, write_transaction};
use crate::domain::fields::FieldErrors;
use crate::domain::statuses::UploadKind;
use crate::domain::uploads::{
    check_upload, download_name, max_bytes, safe_filename, too_big, DOCUMENT_MAX_BYTES,
    MAX_REQUEST_TEMPLATES,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::models::product::{self, Product};
use crate::models::upload::{self, NewUpload, StoreOutcome};
use crate::startup::AppState;
use crate::web::{flash, render_status, see_other};

#[derive(Default)]
pub struct Posted {
    pub token: String,
    pub kind: String,
    pub filename: String,
    pub data: Vec<u8>,
    pub too_big: bool,
}

/// Reads the multipart body, keeping at most one byte more than the kind's limit: a larger
/// file is refused without holding all of it in memory.
pub async fn read_multipart(mut payload: Multipart) -> AppResult<Posted> {
    let unreadable = || AppError::BadRequest(Msg::new("products-upload-unreadable"));
    let mut posted = Posted::default();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| unreadable())?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = match name.as_str() {
            "file" => {
                posted.filename = field
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .unwrap_or_default()
                    .to_string();
                UploadKind::parse(&posted.kind)
                    .map(max_bytes)
                    .unwrap_or(DOCUMENT_MAX_BYTES)
                    + 1
            }
            _ => 1024,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            if bytes.len() + chunk.len() > limit {
                posted.too_big = name == "file";
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf_token" => posted.token = String::from_utf8_lossy(&bytes).into_owned(),
            "kind" => posted.kind = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => posted.data = bytes,
            _ => {}
        }
        if posted.too_big {
            break;
        }
    }
    Ok(posted)
}

/// The seller's product and whether its working copy (files included) may change now.
async fn owned_product(state: &AppState, seller: &Seller, id: i64) -> AppResult<(Product, bool)> {
    let company_id = seller.company_id;
    db::run(&state.pool, move |c| {
        let p = product::find_for_company(c, company_id, id)?;
        let editable = product::state_of(c, &p)?.is_editable();
        Ok((p, editable))
    })
    .await
}

async fn refuse(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    product: &Product,
    message: Msg,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    errors.add("upload_file", message);
    let page = super::products::editor_page(
        state,
        session,
        seller,
        product,
        product.form(),
        errors,
        None,
    )
    .await?;
    render_status(&page, status)
}

pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let (product, editable) = owned_product(&state, &seller, path.into_inner()).await?;
    let posted = read_multipart(payload).await?;
    csrf::verify(&req, &posted.token)?;
    if !editable {
        return Err(AppError::Conflict(Msg::new("products-upload-locked")));
    }
    let Some(kind) = UploadKind::parse(&posted.kind) else {
        return refuse(
            &state,
            &session,
            &seller,
            &product,
            Msg::new("products-upload-kind-choose"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !product.method().is_some_and(|m| kind.allowed_for(m)) {
        return refuse(
            &state,
            &session,
            &seller,
            &product,
            Msg::new("products-upload-kind-ps-only").arg("kind", Msg::new(kind.key())),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if posted.too_big {
        return refuse(
            &state,
            &session,
            &seller,
            &product,
            too_big(kind),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    let content_type = match check_upload(kind, &posted.data) {
        Ok(t) => t,
        Err(message) => {
            return refuse(
                &state,
                &session,
                &seller,
                &product,
                message,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let filename = safe_filename(&posted.filename);
    let (company_id, product_id) = (seller.company_id, product.id);
    let stored_name = filename.clone();
    let outcome = db::run(&state.pool, move |c| {
        write_transaction(c, |c| {
            upload::store(
                c,
                NewUpload {
                    company_id,
                    product_id,
                    kind,
                    filename: &stored_name,
                    content_type,
                    data: &posted.data,
                },
            )
        })
    })
    .await?;
    match outcome {
        StoreOutcome::Stored(_) => {
            flash(
                &session,
                "success",
                Msg::new("products-flash-uploaded")
                    .arg("kind", Msg::new(kind.key()))
                    .arg("file", filename),
            );
            Ok(see_other(&format!(
                "/console/products/{product_id}/edit#files"
            )))
        }
        StoreOutcome::TooMany => {
            let message = Msg::new("products-upload-too-many").arg("max", MAX_REQUEST_TEMPLATES);
            refuse(
                &state,
                &session,
                &seller,
                &product,
                message,
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

/// The file, to its owner only: a safe stored type, a download name, and no sniffing.
pub async fn download(
    state: web::Data<AppState>,
    seller: Seller,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (product_id, id) = path.into_inner();
    let company_id = seller.company_id;
    let (meta, data) = db::run(&state.pool, move |c| {
        upload::find_with_data(c, company_id, product_id, id)
    })
    .await?;
    Ok(file_response(&meta, data))
}

/// A stored file as a download: the logo inline, everything else as an attachment, never
/// sniffed or run as a page.
pub fn file_response(meta: &upload::UploadMeta, data: Vec<u8>) -> HttpResponse {
    let disposition = if meta.is_logo() {
        DispositionType::Inline
    } else {
        DispositionType::Attachment
    };
    send_file(&meta.filename, &meta.content_type, disposition, data)
}

/// A file to download (never shown inline), named by its detected type.
pub fn attachment_response(filename: &str, content_type: &str, data: Vec<u8>) -> HttpResponse {
    send_file(filename, content_type, DispositionType::Attachment, data)
}

/// A logo of a listed release, shown inline on the catalog's pages.
pub fn public_file_response(filename: &str, content_type: &str, data: Vec<u8>) -> HttpResponse {
    send_file(filename, content_type, DispositionType::Inline, data)
}

fn send_file(
    filename: &str,
    content_type: &str,
    disposition: DispositionType,
    data: Vec<u8>,
) -> HttpResponse {
    let disposition = ContentDisposition {
        disposition,
        parameters: vec![DispositionParam::Filename(download_name(
            filename,
            content_type,
        ))],
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .insert_header(("Cache-Control", "private, max-age=0"))
        .body(data)
}

pub async fn delete(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (product_id, id) = path.into_inner();
    let (_product, editable) = owned_product(&state, &seller, product_id).await?;
    if !editable {
        return Err(AppError::Conflict(Msg::new("products-upload-locked")));
    }
    let company_id = seller.company_id;
    db::run(&state.pool, move |c| {
        upload::delete(c, company_id, product_id, id)
    })
    .await?;
    flash(&session, "success", Msg::new("products-flash-file-deleted"));
    Ok(see_other(&format!(
        "/console/products/{product_id}/edit#files"
    )))
}
