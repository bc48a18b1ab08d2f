//! Rendered list pages kept in memory, each under the database version it was built from.
//!
//! A cached page is only ever served after reading the version it was built at back from the
//! database (one primary-key read): the version moves with every change to the rows behind
//! the page, whichever instance made it (database triggers keep it, see migration
//! 000004), so a cached page is never stale. What the cache saves is the list query, the
//! counts and the rendering.

use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::domain::statuses::{DeliveryMethod, ProductFilter};
use crate::i18n::Lang;
use crate::models::catalog::{CatalogCard, CatalogSort};
use crate::models::product::ProductSort;

/// One My Products view: the company and every parameter that changes the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListKey {
    pub company_id: i64,
    pub search: String,
    pub filter: Option<ProductFilter>,
    pub method: Option<DeliveryMethod>,
    pub sort: ProductSort,
    pub page: i64,
}

/// The version the page was built at, and the page's HTML.
pub type CachedPage = (i64, Arc<str>);

/// A page is HTML in one language with times in one zone: both are part of its key, so no
/// reader is ever served a page built for another (taken from the request's viewer).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ReaderKey {
    view: ListKey,
    lang: Lang,
    zone: String,
}

impl ReaderKey {
    fn of(view: ListKey) -> ReaderKey {
        let viewer = crate::i18n::viewer();
        ReaderKey {
            view,
            lang: viewer.lang,
            zone: viewer.zone.name().to_string(),
        }
    }
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<ReaderKey, CachedPage> for ByBytes {
    fn weight(&self, key: &ReaderKey, page: &CachedPage) -> u64 {
        (page.1.len() + key.view.search.len() + key.zone.len() + 64) as u64
    }
}

pub struct PageCache {
    pages: Option<Cache<ReaderKey, CachedPage, ByBytes>>,
}

/// A My Products page is about 28 KB.
const TYPICAL_PAGE: u64 = 28 * 1024;

impl PageCache {
    /// `megabytes` = 0 keeps nothing (every request builds its page).
    pub fn new(megabytes: u64) -> PageCache {
        let bytes = megabytes.saturating_mul(1024 * 1024);
        PageCache {
            pages: (bytes > 0).then(|| {
                Cache::with_weighter((bytes / TYPICAL_PAGE).max(16) as usize, bytes, ByBytes)
            }),
        }
    }

    /// The page built at `version` for this reader (the request's language and zone), if it
    /// is cached.
    pub fn get(&self, key: &ListKey) -> Option<CachedPage> {
        self.pages.as_ref()?.get(&ReaderKey::of(key.clone()))
    }

    /// Keeps a page built for this reader.
    pub fn insert(&self, key: ListKey, version: i64, page: Arc<str>) {
        if let Some(pages) = &self.pages {
            pages.insert(ReaderKey::of(key), (version, page));
        }
    }
}

/// One catalog view: the normalised search terms and every parameter that changes the result.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CatalogKey {
    pub terms: String,
    pub method: Option<DeliveryMethod>,
    pub category: Option<String>,
    pub sort: CatalogSort,
    pub page: i64,
}

/// A page of catalog results read at a catalog version: the cards and the count.
pub type CachedResult = (i64, Arc<(Vec<CatalogCard>, i64)>);

#[derive(Clone)]
struct ResultBytes;

impl Weighter<CatalogKey, CachedResult> for ResultBytes {
    fn weight(&self, key: &CatalogKey, result: &CachedResult) -> u64 {
        let cards: usize = result
            .1
             .0
            .iter()
            .map(|c| c.name.len() + c.overview.len() + c.seller.len() + 64)
            .sum();
        (cards + key.terms.len() + 64) as u64
    }
}

/// Catalog results kept in memory, each served only while the catalog's version (read from
/// the database in the same request, one primary-key read) is the one it was read at. What
/// it saves is the search itself: popular searches repeat.
pub struct CatalogCache {
    results: Option<Cache<CatalogKey, CachedResult, ResultBytes>>,
}

/// A page of 24 cards is about 6 KB.
const TYPICAL_RESULT: u64 = 6 * 1024;

impl CatalogCache {
    /// `megabytes` = 0 keeps nothing.
    pub fn new(megabytes: u64) -> CatalogCache {
        let bytes = megabytes.saturating_mul(1024 * 1024);
        CatalogCache {
            results: (bytes > 0).then(|| {
                Cache::with_weighter(
                    (bytes / TYPICAL_RESULT).max(16) as usize,
                    bytes,
                    ResultBytes,
                )
            }),
        }
    }

    /// The result read at `version`, if it is cached and current.
    pub fn get(&self, key: &CatalogKey, version: i64) -> Option<Arc<(Vec<CatalogCard>, i64)>> {
        let (at, result) = self.results.as_ref()?.get(key)?;
        (at == version).then_some(result)
    }

    pub fn insert(&self, key: CatalogKey, version: i64, result: Arc<(Vec<CatalogCard>, i64)>) {
        if let Some(results) = &self.results {
            results.insert(key, (version, result));
        }
    }
}
