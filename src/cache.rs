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

/// One Product Transaction view: the seller and every filter and page (as typed, bounded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrdersKey {
    pub company_id: i64,
    pub state: String,
    pub product: String,
    pub month: String,
    pub q: String,
    pub page: i64,
}

/// The bytes a view's key takes beyond its fixed part.
pub trait ViewKey: Clone + Eq + std::hash::Hash + Send + Sync + 'static {
    fn text_len(&self) -> usize;
}

impl ViewKey for ListKey {
    fn text_len(&self) -> usize {
        self.search.len()
    }
}

impl ViewKey for OrdersKey {
    fn text_len(&self) -> usize {
        self.state.len() + self.product.len() + self.month.len() + self.q.len()
    }
}

/// The version the page was built at, and the page's HTML.
pub type CachedPage = (i64, Arc<str>);

/// A page is HTML in one language with times in one zone: both are part of its key, so no
/// reader is ever served a page built for another (taken from the request's viewer).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ReaderKey<K> {
    view: K,
    lang: Lang,
    zone: String,
}

impl<K: ViewKey> ReaderKey<K> {
    fn of(view: K) -> ReaderKey<K> {
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

impl<K: ViewKey> Weighter<ReaderKey<K>, CachedPage> for ByBytes {
    fn weight(&self, key: &ReaderKey<K>, page: &CachedPage) -> u64 {
        (page.1.len() + key.view.text_len() + key.zone.len() + 64) as u64
    }
}

/// Rendered pages of one kind of list (My Products by default; Product Transaction's too).
pub struct PageCache<K: ViewKey = ListKey> {
    pages: Option<Cache<ReaderKey<K>, CachedPage, ByBytes>>,
}

/// A My Products page is about 28 KB.
const TYPICAL_PAGE: u64 = 28 * 1024;

impl<K: ViewKey> PageCache<K> {
    /// `megabytes` = 0 keeps nothing (every request builds its page).
    pub fn new(megabytes: u64) -> PageCache<K> {
        let bytes = megabytes.saturating_mul(1024 * 1024);
        PageCache {
            pages: (bytes > 0).then(|| {
                Cache::with_weighter((bytes / TYPICAL_PAGE).max(16) as usize, bytes, ByBytes)
            }),
        }
    }

    /// The page built at `version` for this reader (the request's language and zone), if it
    /// is cached.
    pub fn get(&self, key: &K) -> Option<CachedPage> {
        self.pages.as_ref()?.get(&ReaderKey::of(key.clone()))
    }

    /// Keeps a page built for this reader.
    pub fn insert(&self, key: K, version: i64, page: Arc<str>) {
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
