//! The public catalog's pages: the list of listed products and a product's page.

use askama::Template;

use crate::domain::statuses::DeliveryMethod;

use super::release::ProductView;
use super::PageCtx;
use crate::models::catalog::{CatalogCard, MAX_COUNTED};
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
    pub method: Option<DeliveryMethod>,
    pub methods: Vec<(String, String)>,
    pub category: String,
    pub categories: Vec<(String, String)>,
    pub sort: String,
    /// The month's approved banner and featured-zone slots (SPEC 13), on the unfiltered home.
    pub slots: Vec<crate::models::benefit::ShownSlot>,
}

impl CatalogHome {
    pub fn banners(&self) -> Vec<&crate::models::benefit::ShownSlot> {
        self.slots.iter().filter(|s| s.slot == "banner").collect()
    }

    pub fn featured(&self) -> Vec<&crate::models::benefit::ShownSlot> {
        self.slots.iter().filter(|s| s.slot == "featured").collect()
    }

    /// The delivery method filter's code, "" for all.
    pub fn method_code(&self) -> &'static str {
        self.method.map(DeliveryMethod::as_str).unwrap_or("")
    }

    /// The same filters on another page.
    pub fn page_url(&self, page: i64) -> String {
        format!(
            "/?q={}&method={}&category={}&sort={}&page={page}",
            url_encode(&self.search),
            url_encode(self.method_code()),
            url_encode(&self.category),
            url_encode(&self.sort),
        )
    }

    pub fn filtered(&self) -> bool {
        !self.search.trim().is_empty() || self.method.is_some() || !self.category.is_empty()
    }

    /// "1 product", "24 products", "10 000+ products": matches are counted up to a cap.
    pub fn total_text(&self) -> String {
        if self.total > MAX_COUNTED {
            self.ctx
                .t1("catalog-total-capped", "n", group_thousands(MAX_COUNTED))
        } else if self.total == 1 {
            self.ctx.t("catalog-total-one")
        } else {
            self.ctx
                .t1("catalog-total", "n", group_thousands(self.total))
        }
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

/// A removed product's page: it is no longer available (answered with 410 Gone).
#[derive(Template)]
#[template(path = "catalog/removed.html")]
pub struct CatalogRemovedPage {
    pub ctx: PageCtx,
    pub name: String,
}

/// 10000 → "10 000": the thin space of the catalog's counts.
fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::group_thousands(7), "7");
        assert_eq!(super::group_thousands(1000), "1 000");
        assert_eq!(super::group_thousands(1234567), "1 234 567");
    }
}
