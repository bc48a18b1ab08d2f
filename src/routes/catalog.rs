//! The public catalog: listed products at / and each product's page at /products/{id}.

use crate::routes::map::RouteSink;
use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::MaybeUser;
use crate::cache::CatalogKey;
use crate::domain::product::CATEGORIES;
use crate::domain::statuses::{DeliveryMethod, Lifecycle, Visibility};
use crate::error::AppResult;
use crate::models::catalog::{self, CatalogQuery, CatalogSort, PAGE_SIZE};
use crate::models::product_release;
use crate::routes::release::{simulator, SimulateQuery};
use crate::routes::uploads::public_file_response;
use crate::startup::AppState;
use crate::views::catalog::{CatalogHome, CatalogProductPage, CatalogRemovedPage};
use crate::views::release::ProductView;
use crate::views::PageCtx;
use crate::web::{page_count, page_number, path_id, render, render_status};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/", home)
        .get("/products/{id}", product)
        .get("/products/{id}/logo", logo);
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HomeQuery {
    q: String,
    method: String,
    category: String,
    sort: String,
    page: Option<String>,
}

/// A search longer than any product name finds nothing anyway; keep the query bounded.
const MAX_SEARCH: usize = 100;

pub async fn home(
    state: web::Data<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    query: web::Query<HomeQuery>,
) -> AppResult<HttpResponse> {
    let search: String = query.q.trim().chars().take(MAX_SEARCH).collect();
    let method = DeliveryMethod::parse(&query.method);
    let category = CATEGORIES
        .iter()
        .find(|(code, _)| *code == query.category)
        .map(|(code, _)| code.to_string());
    let sort = CatalogSort::parse(&query.sort);
    let page = page_number(query.page.as_deref());
    let q = CatalogQuery {
        search: Some(search.clone()).filter(|s| !s.is_empty()),
        method,
        category: category.clone(),
        sort,
        page,
    };
    let terms = crate::domain::search::query_terms(&search);
    let key = CatalogKey {
        // Only punctuation typed finds nothing, unlike no search at all.
        terms: if terms.is_empty() && !search.is_empty() {
            "\u{1e}".to_string()
        } else {
            terms
                .iter()
                .map(|t| t.needle())
                .collect::<Vec<_>>()
                .join("\u{1f}")
        },
        method,
        category: q.category.clone(),
        sort,
        page,
    };
    let version = state.point_read(catalog::version).await?;
    let result = match state.catalog_cache.get(&key, version) {
        Some(result) => result,
        None => {
            let turn = state.search_turn().await?;
            let result = std::sync::Arc::new(
                state
                    .read(move |c| {
                        let _turn = turn;
                        catalog::list(c, &q)
                    })
                    .await?,
            );
            // Read after the version: at worst a newer result under an older version, which
            // the next change replaces; never an older one served as current.
            state.catalog_cache.insert(key, version, result.clone());
            result
        }
    };
    let (cards, total) = (result.0.clone(), result.1);
    // The month's slots show on the home itself, not on a search or a later page.
    let unfiltered = search.is_empty() && method.is_none() && category.is_none() && page == 1;
    let slots = if unfiltered {
        let month = crate::domain::settlement::period_of(time::OffsetDateTime::now_utc().date());
        state
            .read(move |c| crate::models::benefit::shown_slots(c, &month))
            .await?
    } else {
        Vec::new()
    };
    render(&CatalogHome {
        slots,
        ctx: PageCtx::read_only(&session, user.as_ref(), "home"),
        cards,
        total,
        page,
        pages: page_count(total, PAGE_SIZE),
        search,
        method,
        methods: DeliveryMethod::ALL
            .iter()
            .map(|m| (m.as_str().to_string(), m.label().to_string()))
            .collect(),
        category: category.unwrap_or_default(),
        categories: CATEGORIES
            .iter()
            .map(|(code, _)| {
                (
                    code.to_string(),
                    crate::domain::product::category_label(code).to_string(),
                )
            })
            .collect(),
        sort: sort.key().to_string(),
    })
}

/// The buyer's page of a listed (or hidden) product, from its approved release.
pub async fn product(
    state: web::Data<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    path: web::Path<String>,
    query: web::Query<SimulateQuery>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let (p, hidden_specs) = state
        .read(move |c| {
            let p = product_release::find_public(c, id)?;
            let hidden = crate::models::visibility::hidden_specs(c, id)?;
            Ok((p, hidden))
        })
        .await?;
    if p.lifecycle == Lifecycle::Removed {
        // Its address stays known (orders, bookmarks): say what happened, with 410 Gone.
        let page = CatalogRemovedPage {
            ctx: PageCtx::read_only(&session, user.as_ref(), "home"),
            name: p.release.snapshot.release.name,
        };
        return render_status(&page, actix_web::http::StatusCode::GONE);
    }
    let group = p.release.snapshot.group;
    let mut r = p.release.snapshot.release;
    // A hidden specification is not offered to new buyers.
    r.specs.retain(|spec| !hidden_specs.contains(&spec.name));
    let simulator = simulator(&r.specs, &r.currency, format!("/products/{id}"), &query);
    let external_url = (!r.method.is_sold_here())
        .then(|| {
            r.details
                .iter()
                // The label as stored, or its key once labels are keys.
                .find(|(label, _)| {
                    crate::views::release::label_msg(label).render(crate::i18n::Lang::En)
                        == "Contact"
                })
                .map(|(_, url)| url.clone())
        })
        .flatten()
        .filter(|u| crate::domain::product::is_web_address(u));
    let view = ProductView {
        purchase_limit: r.purchase_limit,
        regions: state.config.regions.clone(),
        product_id: id,
        name: r.name,
        version: r.version,
        overview: r.overview,
        highlights: r.highlights,
        introduction: r.introduction,
        category: r.category,
        currency: r.currency,
        user_guide_url: Some(r.user_guide_url)
            .filter(|u| crate::domain::product::is_web_address(u))
            .unwrap_or_default(),
        details: r.details,
        specs: r.specs,
        seller_name: p.company.display_name().to_string(),
        presales: ProductView::presales_of(&p.company),
        group,
        logo_url: Some(format!("/products/{id}/logo")),
        order_action: (r.method.is_sold_here()
            && p.lifecycle == Lifecycle::Live
            && p.visibility == Visibility::Shown)
            .then(|| format!("/products/{id}/order")),
        external_url,
        simulator,
    };
    render(&CatalogProductPage {
        ctx: PageCtx::read_only(&session, user.as_ref(), "home"),
        hidden: p.visibility == Visibility::Hidden,
        view,
    })
}

/// A public product's logo, to anyone; any other product's is not found.
pub async fn logo(state: web::Data<AppState>, path: web::Path<String>) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let (filename, content_type, data) = state
        .read(move |c| product_release::public_logo(c, id))
        .await?;
    Ok(public_file_response(&filename, &content_type, data))
}
