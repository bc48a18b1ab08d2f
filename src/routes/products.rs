//! Product Management: Release New Product, the editor (save, autosave, submit), Drafts,
//! My Products, delete and clone.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::csrf::{self, CsrfForm, NoFields};
use crate::auth::{session_store, MaybeUser, Seller};
use crate::cache::ListKey;
use crate::db::{self, write_transaction};
use crate::domain::fields::FieldErrors;
use crate::domain::product::{
    choice_options, AttributeForm, ProductForm, SpecForm, ARCHITECTURES, CATEGORIES, CURRENCIES,
    FLOW_TEMPLATES, LICENSE_DELIVERY, LICENSE_TYPES, MAX_ATTRIBUTES, MAX_SPECS,
};
use crate::domain::statuses::{
    DeliveryMethod, ProductFilter, ProductState, RegistrationStatus, UploadKind,
};
use crate::error::{AppError, AppResult};
use crate::i18n::{tr, Msg};
use crate::models::company::Company;
use crate::models::product::{self, Product, ProductQuery, ProductSort, SaveOutcome, PAGE_SIZE};
use crate::models::service_group;
use crate::models::user::User;
use crate::startup::AppState;
use crate::views::products::{
    translated, DeleteDraftPage, DraftsPage, EditorPage, MyProductsBody, MyProductsPage,
    NewProductPage, Options, Rejection, SpecView, StatusCount, CSRF_PLACEHOLDER,
};
use crate::views::PageCtx;
use crate::web::{flash, render, render_status, see_other};

/// The delivery methods a product can start with, and the key of what each one is.
const METHODS: [(DeliveryMethod, &str); 5] = [
    (DeliveryMethod::Image, "products-method-about-image"),
    (DeliveryMethod::Saas, "products-method-about-saas"),
    (DeliveryMethod::License, "products-method-about-license"),
    (
        DeliveryMethod::ProfessionalServices,
        "products-method-about-professional-services",
    ),
    (
        DeliveryMethod::ConsultingServices,
        "products-method-about-consulting-services",
    ),
];

async fn is_registered(state: &AppState, company_id: i64) -> AppResult<bool> {
    let company = db::run(&state.pool, move |c| Company::find(c, company_id)).await?;
    Ok(company.registration_status() == RegistrationStatus::Approved)
}

pub async fn new_form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
) -> AppResult<HttpResponse> {
    let registered = is_registered(&state, seller.company_id).await?;
    render(&NewProductPage {
        ctx: PageCtx::seller(&session, &seller, "new_product"),
        methods: METHODS
            .iter()
            .map(|(m, about)| (m.as_str(), m.label(), tr(about)))
            .collect(),
        registered,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StartForm {
    delivery_method: String,
}

pub async fn create(
    state: web::Data<AppState>,
    seller: Seller,
    CsrfForm(start): CsrfForm<StartForm>,
) -> AppResult<HttpResponse> {
    let method = DeliveryMethod::parse(&start.delivery_method)
        .ok_or_else(|| AppError::BadRequest(Msg::new("products-error-method-unknown")))?;
    let company_id = seller.company_id;
    let form = ProductForm::new_for(method);
    let id = db::run(&state.pool, move |c| {
        product::create_draft(c, company_id, &form, method)
    })
    .await?;
    Ok(see_other(&format!("/console/products/{id}/edit")))
}

/// Everything the editor shows besides the typed values.
pub async fn editor_page(
    state: &AppState,
    session: &Session,
    seller: &Seller,
    product: &Product,
    form: ProductForm,
    errors: FieldErrors,
    saved_at: Option<String>,
) -> AppResult<EditorPage> {
    let company_id = seller.company_id;
    let product_id = product.id;
    let listed_release_id = product.listed_release_id;
    let row = product.clone();
    let (groups, company, uploads, latest, product_state, listed, removed_skus) =
        db::run(&state.pool, move |c| {
            Ok((
                service_group::list_for_company(c, company_id)?,
                Company::find(c, company_id)?,
                crate::models::upload::list_for_product(c, company_id, product_id)?,
                crate::models::application::latest_for_product(c, product_id)?,
                product::state_of(c, &row)?,
                listed_release_id
                    .map(|id| crate::models::product_release::find(c, id))
                    .transpose()?,
                crate::models::removal::removed_skus(c, product_id)?,
            ))
        })
        .await?;
    // A rejected product shows the reviewer's reasons while it is being fixed.
    // The fields the reviewer named are marked like validation errors, so the seller lands
    // on them ("fix and resubmit" links to the first one).
    let open_application = product_state.open.map(|a| a.id);
    let rejection = latest
        .filter(|_| product_state.rejected)
        .map(|a| Rejection {
            fields: crate::views::review::named_fields(&a),
            id: a.id,
            reason: a.latest_comment.unwrap_or_default(),
        });
    let mut errors = errors;
    if let Some(r) = &rejection {
        for (name, _) in &r.fields {
            if !errors.has(name) {
                errors.add(name, Msg::new("products-reviewer-asked"));
            }
        }
    }
    let method = product.method().ok_or(AppError::NotFound)?;
    let groups: Options = groups
        .iter()
        .map(|g| {
            (
                g.id.to_string(),
                Msg::new("products-group-option")
                    .arg("name", g.name.as_str())
                    .arg("phone", g.phone.as_str())
                    .arg("days", g.days_label())
                    .arg("start", g.hours_start.as_str())
                    .arg("end", g.hours_end.as_str())
                    .to_string(),
            )
        })
        .collect();
    let specs = form
        .specs
        .iter()
        .enumerate()
        .map(|(i, s)| SpecView::build(i, s, method, &removed_skus))
        .collect();
    let mut warnings = FieldErrors::new();
    if method == DeliveryMethod::ProfessionalServices {
        if let Ok(Some(w)) = crate::domain::release::check_delivery_duration(&form.ps_delivery_days)
        {
            warnings.add("ps_delivery_days", w);
        }
    }
    Ok(EditorPage {
        ctx: PageCtx::seller(session, seller, "drafts"),
        product_id: product.id,
        state: product_state,
        live: product.is_live(),
        listed_specs: listed
            .map(|r| {
                r.snapshot
                    .release
                    .specs
                    .into_iter()
                    .map(|s| s.name)
                    .collect()
            })
            .unwrap_or_default(),
        method,
        locked: !product_state.is_editable(),
        open_application,
        form,
        errors,
        warnings,
        saved_at,
        groups,
        specs,
        categories: choice_options(&CATEGORIES),
        currencies: CURRENCIES
            .iter()
            .map(|c| (c.to_string(), c.to_string()))
            .collect(),
        architectures: choice_options(&ARCHITECTURES),
        license_types: choice_options(&LICENSE_TYPES),
        license_delivery: choice_options(&LICENSE_DELIVERY),
        flow_templates: choice_options(&FLOW_TEMPLATES),
        limit_choices: translated(&crate::domain::offer::LIMIT_CHOICES),
        regions: state
            .config
            .regions
            .iter()
            .map(|(code, label)| {
                (
                    code.clone(),
                    crate::domain::offer::region_label(code, label),
                )
            })
            .collect(),
        qpricing_options: translated(&[
            ("linear", "products-qpricing-linear"),
            ("tiered", "products-qpricing-tiered"),
        ]),
        registered: company.registration_status() == RegistrationStatus::Approved,
        uploads,
        rejection,
        upload_kinds: UploadKind::ALL
            .iter()
            .filter(|k| k.allowed_for(method))
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect(),
    })
}

async fn load(state: &AppState, seller: &Seller, id: i64) -> AppResult<Product> {
    let company_id = seller.company_id;
    db::run(&state.pool, move |c| {
        product::find_for_company(c, company_id, id)
    })
    .await
}

pub async fn edit(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let product = load(&state, &seller, path.into_inner()).await?;
    // Values this user typed after their session had ended come back, unsaved, to be saved.
    let (user_id, product_id) = (seller.user.id, product.id);
    let editable = state
        .read({
            let p = product.clone();
            move |c| Ok(product::state_of(c, &p)?.is_editable())
        })
        .await?;
    let stashed = if editable {
        db::run(&state.pool, move |c| {
            crate::models::form_stash::take(c, user_id, product_id)
        })
        .await?
    } else {
        None
    };
    let form = match stashed {
        Some(pairs) => {
            flash(&session, "info", Msg::new("products-flash-stashed"));
            let mut form = ProductForm::from_pairs(&pairs);
            form.delivery_method = product.delivery_method.as_str().to_string();
            form
        }
        None => product.form(),
    };
    // A draft saved before the limits were checked on every save may be past them: say so.
    let errors = form.limit_problems();
    let page = editor_page(&state, &session, &seller, &product, form, errors, None).await?;
    render(&page)
}

/// The editor's buttons besides save and submit change the form's shape, then save it.
fn apply_op(form: &mut ProductForm, op: &str) {
    if op == "add_spec" && form.specs.len() < MAX_SPECS {
        let billing = form
            .specs
            .first()
            .map(|s| s.billing.clone())
            .unwrap_or_default();
        form.specs.push(SpecForm {
            billing,
            ..SpecForm::default()
        });
    } else if let Some(i) = op
        .strip_prefix("add_attr_")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if let Some(spec) = form.specs.get_mut(i) {
            if spec.attributes.len() < MAX_ATTRIBUTES {
                spec.attributes.push(AttributeForm::default());
            }
        }
    } else if let Some(i) = op
        .strip_prefix("remove_spec_")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if i < form.specs.len() && form.specs.len() > 1 {
            form.specs.remove(i);
        }
    }
}

/// The clock time of a save in the viewer's zone, named: "09:41 UTC", "17:41 CST".
fn saved_text(t: &time::PrimitiveDateTime) -> String {
    let shown = crate::web::format_time(t);
    match shown.split_once(' ') {
        Some((_date, clock)) => clock.to_string(),
        None => shown,
    }
}

type Pairs = Vec<(String, String)>;

fn op_of(pairs: &Pairs) -> String {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "op")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "save".into())
}

/// Saves what was typed; the delivery method is the product's own, whatever the form says.
async fn save_typed(
    state: &AppState,
    seller: &Seller,
    product: &Product,
    form: &mut ProductForm,
) -> AppResult<SaveOutcome> {
    form.delivery_method = product.delivery_method.as_str().to_string();
    let (company_id, id, to_save) = (seller.company_id, product.id, form.clone());
    db::run(&state.pool, move |c| {
        product::save_form(c, company_id, id, &to_save)
    })
    .await
}

fn locked_error(state: ProductState) -> AppError {
    AppError::Conflict(Msg::new("products-error-locked").arg("state", state.label().to_lowercase()))
}

/// The editor's form post. If the session has ended, what was typed is kept for its owner
/// and shown again after they sign in; it is saved only when they save it (with a fresh CSRF
/// token). Only a request carrying the owner's own ended session is kept: a forged post has
/// no such cookie, and keeps nothing and writes no session.
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let pairs = crate::web::form_pairs(&body)?;
    let id = path.into_inner();
    let Some(user) = user else {
        keep_for_owner(&req, &state, id, pairs).await?;
        return Err(AppError::LoginRequired(format!(
            "/console/products/{id}/edit"
        )));
    };
    // The header's unread count is left out on this rare path (a post after signing in again).
    let seller = Seller::from_user(user, 0)?;
    let token = pairs
        .iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    csrf::verify(&req, token)?;
    let product = load(&state, &seller, id).await?;
    let op = op_of(&pairs);
    let mut form = ProductForm::from_pairs(&pairs);
    apply_op(&mut form, &op);
    let limits = form.limit_problems();
    if !limits.is_empty() {
        // Nothing is stored past the limits; what was typed comes back with the reasons.
        form.delivery_method = product.delivery_method.as_str().to_string();
        let page = editor_page(&state, &session, &seller, &product, form, limits, None).await?;
        return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let saved = match save_typed(&state, &seller, &product, &mut form).await? {
        SaveOutcome::Saved(at) => saved_text(&at),
        SaveOutcome::Locked(status) => return Err(locked_error(status)),
    };
    if op == "submit" {
        return super::release::submit(&state, &session, &seller, &product, form, saved).await;
    }
    if op != "save" {
        let anchor = op
            .rsplit('_')
            .next()
            .filter(|i| i.chars().all(|c| c.is_ascii_digit()) && !i.is_empty())
            .map(|i| format!("#s{i}"))
            .unwrap_or_else(|| "#specifications".into());
        return Ok(see_other(&format!(
            "/console/products/{}/edit{anchor}",
            product.id
        )));
    }
    let problems = form.draft_problems();
    if problems.is_empty() {
        flash(
            &session,
            "success",
            Msg::new("products-flash-draft-saved").arg("time", saved),
        );
        return Ok(see_other(&format!("/console/products/{}/edit", product.id)));
    }
    let page = editor_page(
        &state,
        &session,
        &seller,
        &product,
        form,
        problems,
        Some(saved),
    )
    .await?;
    render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// Keeps what was posted for the user whose session this request's cookie names, if that
/// session ended by expiring and the product is theirs.
async fn keep_for_owner(
    req: &HttpRequest,
    state: &AppState,
    product_id: i64,
    pairs: Vec<(String, String)>,
) -> AppResult<()> {
    let Some(key) = crate::auth::visitor::session_key(req, state) else {
        return Ok(());
    };
    db::run(&state.pool, move |c| {
        let Some(user_id) = session_store::ended_session_user(c, &key)? else {
            return Ok(());
        };
        let Some(company_id) = User::find(c, user_id)?.and_then(|u| u.company_id) else {
            return Ok(());
        };
        match product::find_for_company(c, company_id, product_id) {
            Ok(_) => crate::models::form_stash::keep(c, user_id, product_id, &pairs),
            Err(AppError::NotFound) => Ok(()),
            Err(e) => Err(e),
        }
    })
    .await
}

/// A fresh CSRF token for the editor's script, when the session was renewed by signing in again
/// in another tab. Only same-origin scripts can read it.
pub async fn token(session: Session, _seller: Seller) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(csrf::token(&session))
}

/// The background save of the editor's script: the same save, answered with one line of text.
pub async fn autosave(
    state: web::Data<AppState>,
    seller: Seller,
    path: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> AppResult<HttpResponse> {
    let product = load(&state, &seller, path.into_inner()).await?;
    let mut form = ProductForm::from_pairs(&pairs);
    if let Some((_, message)) = form.limit_problems().iter().next() {
        return Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(
                Msg::new("products-autosave-refused")
                    .arg("message", message.clone())
                    .to_string(),
            ));
    }
    match save_typed(&state, &seller, &product, &mut form).await? {
        SaveOutcome::Saved(at) => Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(
                Msg::new("products-autosave-saved")
                    .arg("time", saved_text(&at))
                    .to_string(),
            )),
        SaveOutcome::Locked(status) => Err(locked_error(status)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: Option<String>,
}

fn page_count(total: i64) -> i64 {
    crate::web::page_count(total, PAGE_SIZE)
}

pub async fn drafts(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let q = ProductQuery {
        company_id: seller.company_id,
        search: None,
        filter: Some(ProductFilter::Draft),
        method: None,
        sort: ProductSort::UpdatedDesc,
        page: crate::web::page_number(query.page.as_deref()),
        without_open: true,
    };
    let page = q.page;
    let result = state.read(move |c| product::list(c, &q)).await?;
    render(&DraftsPage {
        ctx: PageCtx::seller(&session, &seller, "drafts"),
        rows: result.rows,
        page,
        pages: page_count(result.total),
        total: result.total,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    status: String,
    method: String,
    sort: String,
    page: Option<String>,
}

pub async fn my_products(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let search: String = query.q.trim().chars().take(100).collect();
    let filter = ProductFilter::parse(&query.status);
    let method = DeliveryMethod::parse(&query.method);
    let sort = ProductSort::parse(&query.sort);
    let q = ProductQuery {
        company_id: seller.company_id,
        search: Some(search.clone()).filter(|s| !s.is_empty()),
        filter,
        method,
        sort,
        page: crate::web::page_number(query.page.as_deref()),
        without_open: false,
    };
    let page = q.page;
    let key = ListKey {
        company_id: seller.company_id,
        search: search.clone(),
        filter,
        method,
        sort,
        page,
    };
    let company_id = seller.company_id;
    // The version is read before the rows (usually with the session, at the start of the
    // request): a page built from rows newer than its version is only ever rebuilt too early,
    // never served stale. A page cached under the version the session brought needs no
    // database at all; anything else reads off the executor.
    let version = match seller.products_version {
        Some(v) => v,
        None => {
            state
                .point_read(move |c| product::list_version(c, company_id))
                .await?
        }
    };
    let reader = state.clone();
    let body = state
        .list_cache
        .get_or_build(key, version, || async move {
            let result = reader.read(move |c| product::list(c, &q)).await?;
            Ok(my_products_body(result, search, filter, method, sort, page)?.into())
        })
        .await?;
    let ctx = PageCtx::seller(&session, &seller, "products");
    let body = body.replace(CSRF_PLACEHOLDER, &ctx.csrf_token);
    render(&MyProductsPage { ctx, body })
}

fn my_products_body(
    result: product::ProductPage,
    search: String,
    filter: Option<ProductFilter>,
    method: Option<DeliveryMethod>,
    sort: ProductSort,
    page: i64,
) -> AppResult<String> {
    let body = MyProductsBody {
        csrf_placeholder: CSRF_PLACEHOLDER,
        all_count: result.counts.all,
        counts: ProductFilter::ALL
            .iter()
            .map(|f| StatusCount {
                code: f.as_str(),
                label: f.label(),
                count: result.counts.of(Some(*f)),
            })
            .collect(),
        total: result.total,
        pages: page_count(result.total),
        rows: result.rows,
        search,
        filter,
        method,
        sort,
        page,
        methods: DeliveryMethod::ALL
            .iter()
            .map(|m| (m.as_str().to_string(), m.label().to_string()))
            .collect(),
        sorts: ProductSort::ALL
            .iter()
            .map(|(_, k, l)| (k.to_string(), tr(l)))
            .collect(),
    };
    Ok(body.render()?)
}

pub async fn delete_form(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let product = load(&state, &seller, path.into_inner()).await?;
    let deletable = state
        .read({
            let p = product.clone();
            move |c| product::is_deletable(c, &p)
        })
        .await?;
    if !deletable {
        return Err(AppError::Conflict(Msg::new("products-error-not-deletable")));
    }
    render(&DeleteDraftPage {
        ctx: PageCtx::seller(&session, &seller, "drafts"),
        id: product.id,
        name: if product.name.is_empty() {
            tr("products-untitled")
        } else {
            product.name.clone()
        },
    })
}

pub async fn delete(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (company_id, id) = (seller.company_id, path.into_inner());
    let deleted = db::run(&state.pool, move |c| {
        write_transaction(c, |c| {
            product::find_for_company(c, company_id, id)?;
            product::delete_draft(c, company_id, id)
        })
    })
    .await?;
    if !deleted {
        return Err(AppError::Conflict(Msg::new("products-error-not-deletable")));
    }
    flash(&session, "success", Msg::new("products-flash-deleted"));
    Ok(see_other("/console/drafts"))
}

pub async fn clone(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (company_id, id, lang) = (seller.company_id, path.into_inner(), crate::i18n::lang());
    let new_id = db::run(&state.pool, move |c| {
        product::clone_into_draft(c, company_id, id, lang)
    })
    .await?;
    flash(&session, "success", Msg::new("products-flash-cloned"));
    Ok(see_other(&format!("/console/products/{new_id}/edit")))
}
