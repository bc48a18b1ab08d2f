//! The public catalog's list and search: cards from `catalog_entries` (one per listed, shown
//! product, built from its listed release), full text through each database's own trigram
//! index (SQLite FTS5 `trigram`, PostgreSQL `pg_trgm` GIN).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::schema::{catalog_entries, catalog_version};
use crate::db::DbConn;
use crate::domain::search::{self, Term};
use crate::domain::statuses::DeliveryMethod;
use crate::error::AppError;
use crate::models::product_release::seller_names;

/// Products on one page of the catalog.
pub const PAGE_SIZE: i64 = 24;

/// Matches are counted, and ranked by relevance, among the newest this many ("1 000+"):
/// counting or ranking every match of a common word would cost as much as reading them all,
/// and nobody pages past the 42nd page of a search.
pub const MAX_COUNTED: i64 = 1_000;

/// How a page of the catalog is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CatalogSort {
    /// Among the newest `MAX_COUNTED` matches, those with more of the terms in their name
    /// first, then newest; without a search, newest.
    #[default]
    Relevance,
    Newest,
}

impl CatalogSort {
    pub fn parse(s: &str) -> CatalogSort {
        match s {
            "newest" => CatalogSort::Newest,
            _ => CatalogSort::Relevance,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            CatalogSort::Relevance => "relevance",
            CatalogSort::Newest => "newest",
        }
    }
}

/// The catalog's filters; each `Some` narrows the one query.
#[derive(Debug, Clone, Default)]
pub struct CatalogQuery {
    pub search: Option<String>,
    pub method: Option<DeliveryMethod>,
    pub category: Option<String>,
    pub sort: CatalogSort,
    pub page: i64,
}

/// A product card in the catalog.
#[derive(Debug, Clone)]
pub struct CatalogCard {
    pub id: i64,
    pub name: String,
    pub method: DeliveryMethod,
    pub seller: String,
    pub overview: String,
}

impl CatalogCard {
    pub fn method_label(&self) -> String {
        self.method.label()
    }
}

struct CardRow {
    id: i64,
    product_id: i64,
    name: String,
    delivery_method: String,
    overview: String,
    company_id: i64,
}

/// One entry of the page, and the size of the window it came from.
#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One query's SQL for one backend and the text values it binds, in order.
struct Plan {
    /// The matching entries (`e`), at most `MAX_COUNTED + 1` of them, newest first, with a
    /// `score` column (lower ranks first).
    window: String,
    binds: Vec<String>,
}

/// Placeholders differ: `?n` on SQLite, `$n` on PostgreSQL (numbered, so a value may be used
/// twice and in any order of the text).
struct Binder {
    postgres: bool,
    binds: Vec<String>,
}

impl Binder {
    fn bind(&mut self, value: String) -> String {
        self.binds.push(value);
        if self.postgres {
            format!("${}", self.binds.len())
        } else {
            format!("?{}", self.binds.len())
        }
    }
}

/// The newest `MAX_COUNTED + 1` matches: every search and filter reads its index in the
/// order of entry (newest first) and stops there, so a word found in half the catalog costs
/// what a rare one does. Relevance ranks within that window.
fn plan(q: &CatalogQuery, terms: &[Term], postgres: bool) -> Plan {
    let mut b = Binder {
        postgres,
        binds: Vec::new(),
    };
    // Only what ranks: the cards' columns are read for the one page shown.
    let columns = "e.id";
    let mut filters = String::new();
    // SQLite's FTS5 hands out matches in its rowid's order, so "newest first" is read straight
    // from the index when the order names that rowid.
    let mut newest = "e.id DESC";
    let (from, score) = if terms.is_empty() {
        ("catalog_entries e WHERE 1 = 1".to_string(), "0".to_string())
    } else if postgres {
        let mut from = String::from("catalog_entries e WHERE 1 = 1");
        let mut in_name = Vec::new();
        for t in terms {
            let p = b.bind(t.like());
            // The same expression as the GIN index, so the planner can use it.
            from.push_str(&format!(" AND (e.name_terms || e.body_terms) LIKE {p}"));
            in_name.push(format!("(e.name_terms LIKE {p})::int"));
        }
        (from, format!("-({})", in_name.join(" + ")))
    } else {
        let m = b.bind(search::fts5_expression(terms));
        newest = "s.rowid DESC";
        // Not bm25: it counts every match of each term across the whole index first, which
        // for a common word costs as much as reading them all.
        let in_name: Vec<String> = terms
            .iter()
            .map(|t| format!("(instr(e.name_terms, {}) > 0)", b.bind(t.needle())))
            .collect();
        (
            format!(
                "catalog_search s JOIN catalog_entries e ON e.id = s.rowid \
                 WHERE catalog_search MATCH {m}"
            ),
            format!("-({})", in_name.join(" + ")),
        )
    };
    if let Some(m) = q.method {
        let p = b.bind(m.as_str().to_string());
        filters.push_str(&format!(" AND e.delivery_method = {p}"));
    }
    if let Some(c) = &q.category {
        let p = b.bind(c.clone());
        filters.push_str(&format!(" AND e.category = {p}"));
    }
    Plan {
        window: format!(
            "SELECT {columns}, {score} AS score FROM {from}{filters} \
             ORDER BY {newest} LIMIT {}",
            MAX_COUNTED + 1
        ),
        binds: b.binds,
    }
}

fn load<Row, Db, C>(conn: &mut C, sql: String, binds: &[String]) -> QueryResult<Vec<Row>>
where
    Db: diesel::backend::Backend + 'static,
    C: Connection<Backend = Db> + diesel::connection::LoadConnection,
    Row: QueryableByName<Db> + 'static,
    String: diesel::serialize::ToSql<Text, Db>,
    Db::QueryBuilder: Default,
    diesel::query_builder::BoxedSqlQuery<'static, Db, diesel::query_builder::SqlQuery>:
        diesel::query_builder::QueryFragment<Db>,
{
    let mut query = diesel::sql_query(sql).into_boxed::<Db>();
    for value in binds {
        query = query.bind::<Text, _>(value.clone());
    }
    query.load(conn)
}

fn run<Row>(conn: &mut DbConn, sql: String, binds: &[String]) -> QueryResult<Vec<Row>>
where
    Row: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    match conn {
        DbConn::Sqlite(c) => load(c, sql, binds),
        DbConn::Postgres(c) => load(c, sql, binds),
    }
}

/// One page of listed, shown products and how many match (up to `MAX_COUNTED`).
pub fn list(conn: &mut DbConn, q: &CatalogQuery) -> Result<(Vec<CatalogCard>, i64), AppError> {
    let terms = q
        .search
        .as_deref()
        .map(search::query_terms)
        .unwrap_or_default();
    if terms.is_empty() && q.search.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        // Only punctuation was typed: nothing can match it.
        return Ok((Vec::new(), 0));
    }
    let postgres = matches!(conn, DbConn::Postgres(_));
    let p = plan(q, &terms, postgres);
    let offset = (q.page.max(1) - 1).saturating_mul(PAGE_SIZE);
    let order = match q.sort {
        CatalogSort::Relevance => "w.score, w.id DESC",
        CatalogSort::Newest => "w.id DESC",
    };
    // One statement: the window once, its size on every row (the same on both backends).
    let rows: Vec<PageRow> = run(
        conn,
        format!(
            "SELECT w.id, count(*) OVER () AS total FROM ({}) AS w ORDER BY {order} \
             LIMIT {PAGE_SIZE} OFFSET {offset}",
            p.window
        ),
        &p.binds,
    )?;
    let total = match rows.first() {
        Some(r) => r.total,
        // Past the last page (or nothing found): how many there are, for the page count.
        None if offset == 0 => 0,
        None => run::<Count>(
            conn,
            format!("SELECT count(*) AS n FROM ({}) AS w", p.window),
            &p.binds,
        )?
        .first()
        .map(|c| c.n)
        .unwrap_or(0),
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut found: Vec<CardRow> = catalog_entries::table
        .filter(catalog_entries::id.eq_any(&ids))
        .select((
            catalog_entries::id,
            catalog_entries::product_id,
            catalog_entries::name,
            catalog_entries::delivery_method,
            catalog_entries::overview,
            catalog_entries::company_id,
        ))
        .load::<(i64, i64, String, String, String, i64)>(conn)?
        .into_iter()
        .map(
            |(id, product_id, name, delivery_method, overview, company_id)| CardRow {
                id,
                product_id,
                name,
                delivery_method,
                overview,
                company_id,
            },
        )
        .collect();
    // In the ranked order.
    found.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    let companies: Vec<i64> = found.iter().map(|r| r.company_id).collect();
    let sellers = seller_names(conn, &companies)?;
    let cards = found
        .into_iter()
        .map(|r| {
            let method = DeliveryMethod::parse(&r.delivery_method).ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!(
                    "catalog entry #{} has an unknown delivery method {:?}",
                    r.product_id,
                    r.delivery_method
                ))
            })?;
            Ok(CatalogCard {
                id: r.product_id,
                seller: sellers.get(&r.company_id).cloned().unwrap_or_default(),
                name: r.name,
                method,
                overview: r.overview,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((cards, total))
}

/// The catalog's version: moved by the database with every change to what the cards show
/// (migration 000008), so a result read at a version is current while the version is.
pub fn version(conn: &mut DbConn) -> Result<i64, AppError> {
    Ok(catalog_version::table
        .find(1)
        .select(catalog_version::version)
        .first(conn)?)
}
