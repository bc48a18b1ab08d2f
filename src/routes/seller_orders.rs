//! Product Management > Product Transaction (SPEC 11): the orders of the seller's own products.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::Seller;
use crate::db;
use crate::domain::statuses::OrderState;
use crate::error::AppResult;
use crate::models::order::{self, SellerFilter, PAGE_SIZE};
use crate::routes::map::RouteSink;
use crate::startup::AppState;
use crate::views::orders::{SellerOrderPage, SellerOrdersPage};
use crate::views::PageCtx;
use crate::web::{page_count, page_number, path_id, render};

pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/console/orders", list)
        .get("/console/orders/{id}", detail);
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub state: String,
    pub product: String,
    /// YYYY-MM.
    pub month: String,
    pub q: String,
    pub page: Option<String>,
}

/// The month a YYYY-MM names: its first instant and the next month's.
fn month_range(text: &str) -> Option<(time::PrimitiveDateTime, time::PrimitiveDateTime)> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m): (i32, u8) = (y.parse().ok()?, m.parse().ok()?);
    if !(2000..=9999).contains(&y) {
        return None;
    }
    let month = time::Month::try_from(m).ok()?;
    let from = time::Date::from_calendar_date(y, month, 1).ok()?;
    let (ny, nm) = if month == time::Month::December {
        (y + 1, time::Month::January)
    } else {
        (y, month.next())
    };
    let to = time::Date::from_calendar_date(ny, nm, 1).ok()?;
    Some((from.midnight(), to.midnight()))
}

fn filter_of(q: &ListQuery) -> SellerFilter {
    let search: String = q.q.trim().chars().take(254).collect();
    let (order_id, buyer_email) = match search.trim_start_matches('#').parse::<i64>() {
        Ok(id) => (Some(id), None),
        Err(_) if search.is_empty() => (None, None),
        Err(_) => (None, Some(crate::models::user::normalise_email(&search))),
    };
    SellerFilter {
        state: OrderState::parse(&q.state),
        product_id: q.product.trim().parse().ok(),
        month: month_range(&q.month),
        order_id,
        buyer_email,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filter = filter_of(&query);
    let page = page_number(query.page.as_deref());
    let company = seller.company_id;
    let (rows, total, products) = db::run(&state.pool, move |c| {
        let (rows, total) = order::list_for_seller(c, company, &filter, page)?;
        let products = order::ordered_products(c, company)?;
        Ok((rows, total, products))
    })
    .await?;
    render(&SellerOrdersPage {
        ctx: PageCtx::seller(&session, &seller, "orders"),
        rows,
        total,
        page,
        pages: page_count(total, PAGE_SIZE),
        products,
        query,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    session: Session,
    seller: Seller,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&path)?;
    let company = seller.company_id;
    let ((order, buyer_email), events) = db::run(&state.pool, move |c| {
        let found = order::find_for_seller(c, company, id)?;
        let events = order::events(c, found.0.id)?;
        Ok((found, events))
    })
    .await?;
    render(&SellerOrderPage {
        ctx: PageCtx::seller(&session, &seller, "orders"),
        order,
        buyer_email,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::month_range;

    #[test]
    fn a_month_is_its_first_instant_to_the_next_months() {
        let (from, to) = month_range("2026-12").unwrap();
        assert_eq!(from.to_string(), "2026-12-01 0:00:00.0");
        assert_eq!(to.to_string(), "2027-01-01 0:00:00.0");
        assert!(month_range("2026-13").is_none());
        assert!(month_range("soon").is_none());
        assert!(month_range("99999999999-01").is_none());
    }
}
