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
use crate::error::AppResult;
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

/// A page as built at one version of its rows: a newer version is another entry, and the
/// entries of older ones, never asked for again, are the first to go.
type Slot<K> = (ReaderKey<K>, i64);

#[derive(Clone)]
struct ByBytes;

impl<K: ViewKey> Weighter<Slot<K>, Arc<str>> for ByBytes {
    fn weight(&self, key: &Slot<K>, page: &Arc<str>) -> u64 {
        (page.len() + key.0.view.text_len() + key.0.zone.len() + 72) as u64
    }
}

/// Rendered pages of one kind of list (My Products by default; Product Transaction's too).
pub struct PageCache<K: ViewKey = ListKey> {
    pages: Option<Cache<Slot<K>, Arc<str>, ByBytes>>,
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

    /// The page of this view built at `version` for this reader (the request's language and
    /// zone), if it is cached.
    pub fn get(&self, key: &K, version: i64) -> Option<Arc<str>> {
        self.pages
            .as_ref()?
            .get(&(ReaderKey::of(key.clone()), version))
    }

    /// The page of this view at `version` for this reader: the cached one, or the one `build`
    /// makes. Requests that miss the same page at once build it once: the first builds, the
    /// others wait for its page (and build it themselves only if it fails), so a change to a
    /// busy seller's rows costs one build, not one per reader in flight.
    pub async fn get_or_build<F, Fut>(&self, key: K, version: i64, build: F) -> AppResult<Arc<str>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = AppResult<Arc<str>>>,
    {
        let Some(pages) = &self.pages else {
            return build().await;
        };
        match pages
            .get_value_or_guard_async(&(ReaderKey::of(key), version))
            .await
        {
            Ok(page) => Ok(page),
            Err(guard) => {
                let page = build().await?;
                let _ = guard.insert(page.clone());
                Ok(page)
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn view(page: i64) -> OrdersKey {
        OrdersKey {
            company_id: 1,
            state: String::new(),
            product: String::new(),
            month: String::new(),
            q: String::new(),
            page,
        }
    }

    async fn slow_build(builds: &AtomicUsize, html: &str) -> AppResult<Arc<str>> {
        builds.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        Ok(html.into())
    }

    #[tokio::test]
    async fn readers_missing_the_same_page_at_once_build_it_once() {
        let cache: PageCache<OrdersKey> = PageCache::new(1);
        let builds = AtomicUsize::new(0);
        let pages = futures_util::future::join_all(
            (0..16).map(|_| cache.get_or_build(view(1), 7, || slow_build(&builds, "v7"))),
        )
        .await;
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert!(pages.iter().all(|p| p.as_deref().ok() == Some("v7")));
        assert_eq!(cache.get(&view(1), 7).as_deref(), Some("v7"));
        // Another version or another view is another page.
        assert!(cache.get(&view(1), 8).is_none());
        assert!(cache.get(&view(2), 7).is_none());
        let newer = cache.get_or_build(view(1), 8, || slow_build(&builds, "v8"));
        assert_eq!(newer.await.unwrap().as_ref(), "v8");
        assert_eq!(builds.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_build_is_not_kept_and_the_next_reader_builds_again() {
        let cache: PageCache<OrdersKey> = PageCache::new(1);
        let failed = cache
            .get_or_build(view(1), 1, || async {
                Err::<Arc<str>, _>(crate::error::AppError::NotFound)
            })
            .await;
        assert!(failed.is_err());
        assert!(cache.get(&view(1), 1).is_none());
        let builds = AtomicUsize::new(0);
        let page = cache.get_or_build(view(1), 1, || slow_build(&builds, "ok"));
        assert_eq!(page.await.unwrap().as_ref(), "ok");
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn with_no_room_every_reader_builds() {
        let cache: PageCache<OrdersKey> = PageCache::new(0);
        let builds = AtomicUsize::new(0);
        for _ in 0..3 {
            let page = cache.get_or_build(view(1), 1, || slow_build(&builds, "x"));
            assert_eq!(page.await.unwrap().as_ref(), "x");
        }
        assert_eq!(builds.load(Ordering::SeqCst), 3);
    }
}
