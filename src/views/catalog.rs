//! The public catalog's pages: the list of listed products and a product's page.

use askama::Template;

use super::release::ProductView;
use super::PageCtx;
use crate::models::catalog::CatalogCard;
use crate::web::url_encode;

#[derive(Template)]
#[template(path = "catalog/home.html")]
pub struct CatalogHome {
    pub ctx: PageCtx,
    pub cards: Vec<CatalogCard>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub search: String,
    pub method: String,
    pub methods: Vec<(String, String)>,
}

impl CatalogHome {
    /// The same filters on another page.
    pub fn page_url(&self, page: i64) -> String {
        format!(
            "/?q={}&method={}&page={page}",
            url_encode(&self.search),
            url_encode(&self.method),
        )
    }

    pub fn filtered(&self) -> bool {
        !self.search.trim().is_empty() || !self.method.is_empty()
    }
}

#[derive(Template)]
#[template(path = "catalog/product.html")]
pub struct CatalogProductPage {
    pub ctx: PageCtx,
    /// Hidden from the catalog and its search, still reachable by its address.
    pub hidden: bool,
    pub view: ProductView,
}
