//! Orders and their timelines (SPEC 11). An order is written once from what
//! `domain::order::price` froze; afterwards only its state and times move.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use crate::db::schema::{order_events, orders, products};
use crate::db::DbConn;
use crate::domain::order::{check_limit, check_trial, Held, PricedOrder, Refusal};
use crate::domain::statuses::{DeliveryMethod, OrderState};
use crate::error::AppError;
use crate::i18n::Msg;

pub const PAGE_SIZE: i64 = 50;

/// Unpaid orders one buyer may have at once, and orders one buyer may place in a day: each
/// order writes rows, a message and mails, so a buyer cannot make them without end.
pub const MAX_UNPAID_PER_BUYER: i64 = 20;
pub const MAX_ORDERS_PER_BUYER_DAY: i64 = 100;

/// Whether the buyer may place one more order now (see the limits above).
fn check_buyer_pace(
    conn: &mut DbConn,
    buyer_id: i64,
    now: PrimitiveDateTime,
) -> Result<Result<(), Refusal>, AppError> {
    use crate::domain::order::OrderField;
    let unpaid: Vec<i64> = orders::table
        .filter(orders::buyer_id.eq(buyer_id))
        .filter(orders::state.eq(OrderState::PendingPayment.as_str()))
        .limit(MAX_UNPAID_PER_BUYER)
        .select(orders::id)
        .load(conn)?;
    if unpaid.len() as i64 >= MAX_UNPAID_PER_BUYER {
        return Ok(Err((
            OrderField::Spec,
            Msg::new("orders-too-many-unpaid").arg("max", MAX_UNPAID_PER_BUYER),
        )));
    }
    let today: Vec<i64> = orders::table
        .filter(orders::buyer_id.eq(buyer_id))
        .filter(orders::created_at.gt(now - time::Duration::days(1)))
        .limit(MAX_ORDERS_PER_BUYER_DAY)
        .select(orders::id)
        .load(conn)?;
    if today.len() as i64 >= MAX_ORDERS_PER_BUYER_DAY {
        return Ok(Err((
            OrderField::Spec,
            Msg::new("orders-too-many-today").arg("max", MAX_ORDERS_PER_BUYER_DAY),
        )));
    }
    Ok(Ok(()))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct Order {
    pub id: i64,
    pub buyer_id: i64,
    pub product_id: i64,
    pub company_id: i64,
    pub release_id: i64,
    pub product_name: String,
    pub delivery_method: DeliveryMethod,
    pub spec_name: String,
    pub sku_key: String,
    pub sku_label: String,
    pub billing: crate::domain::statuses::BillingMode,
    pub quantity: Option<i64>,
    pub period_kind: String,
    pub period_count: i32,
    pub region: String,
    pub currency: String,
    pub amount_minor: i64,
    pub platform_share_bp: i32,
    pub trial: bool,
    pub state: OrderState,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
    pub pay_by: PrimitiveDateTime,
    pub paid_at: Option<PrimitiveDateTime>,
    pub starts_at: Option<PrimitiveDateTime>,
    pub expires_at: Option<PrimitiveDateTime>,
    pub closed_at: Option<PrimitiveDateTime>,
    pub flow: Option<String>,
    pub step: Option<String>,
    pub delivered_at: Option<PrimitiveDateTime>,
}

impl Order {
    pub fn amount(&self) -> rust_decimal::Decimal {
        rust_decimal::Decimal::new(self.amount_minor, 2)
    }

    /// "CNY 1,234.00" in the reader's grouping.
    pub fn amount_text(&self) -> String {
        crate::i18n::money(&self.currency, &self.amount())
    }

    /// What was bought, e.g. "3 months" or "14-day trial", in the reader's language.
    pub fn period_text(&self) -> String {
        crate::domain::order::period_msg(&self.period_kind, i64::from(self.period_count))
            .to_string()
    }

    pub fn sku_text(&self) -> String {
        if self.sku_label.is_empty() {
            crate::i18n::tr("catalog-sku-standard")
        } else {
            self.sku_label.clone()
        }
    }

    /// The platform's share frozen on the order, e.g. "10%".
    pub fn share_text(&self) -> String {
        let share = rust_decimal::Decimal::new(i64::from(self.platform_share_bp), 2);
        format!("{}%", share.normalize())
    }

    /// The step a service has reached, in the reader's language.
    pub fn step_text(&self) -> Option<String> {
        self.step
            .as_deref()
            .map(|s| crate::i18n::tr(&format!("orders-step-{s}")))
    }

    /// The step the seller can move a paid service to next.
    pub fn next_step(&self) -> Option<&'static str> {
        let flow = self.flow.as_deref()?;
        (self.state == OrderState::Processing)
            .then(|| crate::domain::order::next_step(flow, self.step.as_deref()))
            .flatten()
    }

    pub fn next_step_text(&self) -> Option<String> {
        self.next_step()
            .map(|s| crate::i18n::tr(&format!("orders-step-{s}")))
    }

    /// Whether the buyer can accept: a service delivered and not completed yet.
    pub fn can_accept(&self) -> bool {
        self.state == OrderState::Processing && self.delivered_at.is_some()
    }

    pub fn can_cancel(&self) -> bool {
        self.state == OrderState::PendingPayment
    }

    /// A paid subscription (not a trial) can be renewed: a new order that continues it.
    pub fn may_renew(&self) -> bool {
        self.state == OrderState::Completed
            && self.billing == crate::domain::statuses::BillingMode::YearlyMonthly
            && !self.trial
    }
}

/// What the buyer holds of a limited product (or one specification of it), now.
pub fn held(
    conn: &mut DbConn,
    buyer_id: i64,
    product_id: i64,
    spec: Option<&str>,
    now: PrimitiveDateTime,
    except: &[i64],
) -> Result<Held, AppError> {
    let mut q = orders::table
        .filter(orders::id.ne_all(except.to_vec()))
        .filter(orders::buyer_id.eq(buyer_id))
        .filter(orders::product_id.eq(product_id))
        .filter(orders::state.eq_any([
            OrderState::PendingPayment.as_str(),
            OrderState::Processing.as_str(),
            OrderState::Completed.as_str(),
        ]))
        .filter(orders::expires_at.is_null().or(orders::expires_at.gt(now)))
        .filter(orders::trial.eq(false))
        .select(orders::quantity)
        .into_boxed();
    if let Some(spec) = spec {
        q = q.filter(orders::spec_name.eq(spec.to_string()));
    }
    // A buyer's orders of one product: bounded by the limit itself, read in full.
    let rows: Vec<Option<i64>> = q.limit(10_001).load(conn)?;
    Ok(Held {
        orders: rows.len() as i64,
        quantity: rows.iter().map(|q| q.unwrap_or(1)).sum(),
    })
}

/// Trials the buyer took of this specification, whatever became of them.
pub fn trials_taken(
    conn: &mut DbConn,
    buyer_id: i64,
    product_id: i64,
    spec: &str,
) -> Result<i64, AppError> {
    Ok(orders::table
        .filter(orders::buyer_id.eq(buyer_id))
        .filter(orders::product_id.eq(product_id))
        .filter(orders::spec_name.eq(spec))
        .filter(orders::trial.eq(true))
        .filter(orders::state.ne(OrderState::Cancelled.as_str()))
        .count()
        .get_result(conn)?)
}

/// The limits and the trial rule for one more order of `priced` (SPEC 7.5): checked when the
/// order is placed and again when it is paid.
pub fn check_rules(
    conn: &mut DbConn,
    buyer_id: i64,
    product_id: i64,
    priced: &PricedOrder,
    now: PrimitiveDateTime,
    except: Option<i64>,
) -> Result<Result<(), Refusal>, AppError> {
    use crate::domain::order::OrderField;
    if priced.trial_days.is_some() {
        let taken = trials_taken(conn, buyer_id, product_id, &priced.spec_name)?;
        return Ok(check_trial(taken).map_err(|m| (OrderField::Trial, m)));
    }
    if priced.limit.is_none() {
        return Ok(Ok(()));
    }
    let spec = priced.limit_is_spec.then_some(priced.spec_name.as_str());
    let except: Vec<i64> = except.into_iter().collect();
    let held = held(conn, buyer_id, product_id, spec, now, &except)?;
    let field = if priced.quantity.is_some() {
        OrderField::Quantity
    } else {
        OrderField::Spec
    };
    Ok(check_limit(priced.limit, held, priced.quantity.unwrap_or(1)).map_err(|m| (field, m)))
}

pub struct NewOrder<'a> {
    pub buyer_id: i64,
    pub product_id: i64,
    pub company_id: i64,
    pub release_id: i64,
    pub product_name: &'a str,
    pub method: DeliveryMethod,
    pub priced: &'a PricedOrder,
    /// How long it waits for payment (`ORDER_PAY_HOURS`).
    pub pay_hours: i64,
    /// The company the buyer orders for, as typed.
    pub buyer_company: Option<&'a str>,
    /// The order this one renews (checked here: the buyer's own subscription of the product).
    pub renews: Option<i64>,
}

/// The subscription a renewal continues, if it may be renewed: the buyer's own yearly/monthly
/// order of the same product that was paid and not unsubscribed.
fn renewable(
    conn: &mut DbConn,
    buyer_id: i64,
    product_id: i64,
    id: i64,
) -> Result<Option<Order>, AppError> {
    let found = orders::table
        .find(id)
        .filter(orders::buyer_id.eq(buyer_id))
        .filter(orders::product_id.eq(product_id))
        .select(Order::as_select())
        .first(conn)
        .optional()?;
    Ok(found.filter(|o| {
        o.billing == crate::domain::statuses::BillingMode::YearlyMonthly
            && o.state == OrderState::Completed
            && !o.trial
    }))
}

/// Serialises one buyer's orders on both backends (see `db::lock_company`).
pub(crate) fn lock_buyer(conn: &mut DbConn, buyer_id: i64) -> Result<(), AppError> {
    crate::db::lock_user(conn, buyer_id)
}

/// Places the order if the rules still allow it; `Ok(Err(..))` says why not. The price, the
/// release and the platform share are frozen here.
pub fn place(
    conn: &mut DbConn,
    o: NewOrder<'_>,
    settings: &crate::applications::NotifySettings,
) -> Result<Result<i64, Refusal>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        lock_buyer(conn, o.buyer_id)?;
        let now = crate::db::now();
        if let Err(refusal) = check_buyer_pace(conn, o.buyer_id, now)? {
            return Ok(Err(refusal));
        }
        if let Some(renewed) = o.renews {
            let fits = renewable(conn, o.buyer_id, o.product_id, renewed)?;
            if fits.is_none()
                || o.priced.billing != crate::domain::statuses::BillingMode::YearlyMonthly
            {
                return Ok(Err((
                    crate::domain::order::OrderField::Period,
                    Msg::new("orders-renew-not-possible"),
                )));
            }
        }
        // A renewal continues what the buyer holds: that order does not count against the limit.
        if let Err(refusal) = check_rules(conn, o.buyer_id, o.product_id, o.priced, now, o.renews)?
        {
            return Ok(Err(refusal));
        }
        let share: i32 = products::table
            .find(o.product_id)
            .select(products::platform_share_bp)
            .first(conn)?;
        let p = o.priced;
        let free = p.amount_minor == 0;
        let state = if free {
            // A trial (or a free SKU) needs no payment: it takes effect at once.
            crate::domain::order::next_state(
                OrderState::PendingPayment,
                o.method,
                crate::domain::order::Transition::Pay,
            )
            .unwrap_or(OrderState::Completed)
        } else {
            OrderState::PendingPayment
        };
        let (starts, expires) = if free {
            (
                Some(now),
                crate::domain::order::expiry(now, p.period_kind, p.period_count),
            )
        } else {
            (None, None)
        };
        let id: i64 = diesel::insert_into(orders::table)
            .values((
                orders::buyer_id.eq(o.buyer_id),
                orders::product_id.eq(o.product_id),
                orders::company_id.eq(o.company_id),
                orders::release_id.eq(o.release_id),
                orders::product_name.eq(o.product_name),
                orders::delivery_method.eq(o.method),
                orders::spec_name.eq(&p.spec_name),
                orders::sku_key.eq(&p.sku_key),
                orders::sku_label.eq(&p.sku_label),
                orders::billing.eq(p.billing),
                orders::quantity.eq(p.quantity),
                orders::period_kind.eq(p.period_kind),
                orders::period_count.eq(p.period_count as i32),
                orders::region.eq(&p.region),
                orders::currency.eq(&p.currency),
                orders::amount_minor.eq(p.amount_minor),
                orders::platform_share_bp.eq(share),
                orders::trial.eq(p.trial_days.is_some()),
                orders::state.eq(state),
                orders::created_at.eq(now),
                orders::updated_at.eq(now),
                orders::pay_by.eq(now + time::Duration::hours(o.pay_hours)),
                orders::paid_at.eq(free.then_some(now)),
                orders::starts_at.eq(starts),
                orders::expires_at.eq(expires),
                orders::flow.eq(p.flow),
            ))
            .returning(orders::id)
            .get_result(conn)?;
        if o.buyer_company.is_some() || o.renews.is_some() {
            use crate::db::schema::order_ledger as l;
            diesel::update(l::table.find(id))
                .set((
                    l::buyer_company.eq(o.buyer_company),
                    l::renews_order_id.eq(o.renews),
                ))
                .execute(conn)?;
        }
        record(conn, id, Some(o.buyer_id), "placed", None, now)?;
        if free {
            record(conn, id, None, "paid", None, now)?;
        }
        let placed = find(conn, id)?;
        notify(
            conn,
            &placed,
            if free { "paid" } else { "placed" },
            None,
            settings,
        )?;
        Ok(Ok(id))
    })
}

pub(crate) fn record(
    conn: &mut DbConn,
    order_id: i64,
    actor_id: Option<i64>,
    kind: &str,
    detail: Option<Msg>,
    at: PrimitiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(order_events::table)
        .values((
            order_events::order_id.eq(order_id),
            order_events::actor_id.eq(actor_id),
            order_events::kind.eq(kind),
            order_events::detail.eq(detail.map(|d| d.to_stored())),
            order_events::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One page of a buyer's orders, newest first, with their count.
pub fn list_for_buyer(
    conn: &mut DbConn,
    buyer_id: i64,
    page: i64,
) -> Result<(Vec<Order>, i64), AppError> {
    let total: i64 = orders::table
        .filter(orders::buyer_id.eq(buyer_id))
        .count()
        .get_result(conn)?;
    let rows = orders::table
        .filter(orders::buyer_id.eq(buyer_id))
        .order(orders::id.desc())
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .select(Order::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The buyer's own order; another buyer's is not found.
pub fn find_for_buyer(conn: &mut DbConn, buyer_id: i64, id: i64) -> Result<Order, AppError> {
    orders::table
        .filter(orders::id.eq(id))
        .filter(orders::buyer_id.eq(buyer_id))
        .select(Order::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// An entry of an order's timeline.
#[derive(Debug, Clone, Queryable)]
pub struct OrderEvent {
    pub kind: String,
    pub detail: Option<String>,
    pub created_at: PrimitiveDateTime,
}

impl OrderEvent {
    pub fn what(&self) -> String {
        let mut text = crate::i18n::tr(&format!("orders-event-{}", self.kind));
        if let Some(d) = &self.detail {
            text.push_str(": ");
            text.push_str(&Msg::from_stored(d).to_string());
        }
        text
    }

    pub fn when(&self) -> String {
        crate::i18n::time(&self.created_at)
    }
}

/// Events of an order kept at most (an order has a handful).
const MAX_EVENTS: i64 = 200;

pub fn events(conn: &mut DbConn, order_id: i64) -> Result<Vec<OrderEvent>, AppError> {
    Ok(order_events::table
        .filter(order_events::order_id.eq(order_id))
        .order(order_events::id.asc())
        .limit(MAX_EVENTS)
        .select((
            order_events::kind,
            order_events::detail,
            order_events::created_at,
        ))
        .load(conn)?)
}

/// The buyer cancels an unpaid order; `false` when it is no longer unpaid.
pub fn cancel(
    conn: &mut DbConn,
    buyer_id: i64,
    id: i64,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let now = crate::db::now();
        let order = find_for_buyer(conn, buyer_id, id)?;
        let Some(next) = crate::domain::order::next_state(
            order.state,
            order.delivery_method,
            crate::domain::order::Transition::Cancel,
        ) else {
            return Ok(false);
        };
        let n = diesel::update(
            orders::table
                .filter(orders::id.eq(id))
                .filter(orders::state.eq(OrderState::PendingPayment.as_str())),
        )
        .set((
            orders::state.eq(next),
            orders::closed_at.eq(Some(now)),
            orders::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 1 {
            record(conn, id, Some(buyer_id), "cancelled", None, now)?;
            let cancelled = find(conn, id)?;
            notify(conn, &cancelled, "cancelled", None, settings)?;
        }
        Ok(n == 1)
    })
}

/// How a payment arrived: recorded by operations (a bank transfer's reference) or notified by
/// the payment provider.
pub enum PaidBy<'a> {
    Operator {
        id: i64,
        reference: &'a str,
    },
    /// A notification of the payment provider, signature and time already checked.
    Provider(&'a crate::payments::Notification),
}

/// Records the payment of an unpaid order, after checking again what was checked when it was
/// placed (SPEC 11): the product still sold, the specification not hidden, the region still
/// offered, the buyer's limit. `Ok(Err(..))` says why it cannot be paid; nothing is written
/// then. A paid image, SaaS or license order completes; a service starts processing.
pub fn pay(
    conn: &mut DbConn,
    id: i64,
    by: PaidBy<'_>,
    settings: &crate::applications::NotifySettings,
) -> Result<Result<(), Msg>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let order: Order = orders::table
            .find(id)
            .select(Order::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        lock_buyer(conn, order.buyer_id)?;
        let now = crate::db::now();
        if let PaidBy::Provider(n) = &by {
            use crate::db::schema::payment_notifications as pn;
            let seen: i64 = pn::table
                .filter(pn::id.eq(&n.id))
                .count()
                .get_result(conn)?;
            if seen > 0 {
                return Ok(Err(Msg::new("orders-pay-replayed")));
            }
            if n.amount_minor != order.amount_minor || n.currency != order.currency {
                return Ok(Err(Msg::new("orders-pay-wrong-amount")));
            }
        }
        let Some(next) = crate::domain::order::next_state(
            order.state,
            order.delivery_method,
            crate::domain::order::Transition::Pay,
        ) else {
            return Ok(Err(Msg::new("orders-pay-not-pending")));
        };
        if order.pay_by <= now {
            return Ok(Err(Msg::new("orders-pay-too-late")));
        }
        let renews = crate::models::refund::ledger(conn, order.id)?.renews_order_id;
        if let Err(m) = still_sold(conn, &order, renews, now)? {
            return Ok(Err(m));
        }
        // A renewal starts where the subscription it continues ends (or now, if that ended).
        let start = match renews {
            Some(r) => orders::table
                .find(r)
                .select(orders::expires_at)
                .first::<Option<PrimitiveDateTime>>(conn)?
                .filter(|e| *e > now)
                .unwrap_or(now),
            None => now,
        };
        let expires =
            crate::domain::order::expiry(start, &order.period_kind, order.period_count as u32);
        let n = diesel::update(
            orders::table
                .filter(orders::id.eq(id))
                .filter(orders::state.eq(OrderState::PendingPayment.as_str())),
        )
        .set((
            orders::state.eq(next),
            orders::paid_at.eq(Some(now)),
            orders::starts_at.eq(Some(start)),
            orders::expires_at.eq(expires),
            orders::updated_at.eq(now),
            orders::closed_at.eq((next == OrderState::Completed).then_some(now)),
        ))
        .execute(conn)?;
        if n != 1 {
            return Ok(Err(Msg::new("orders-pay-not-pending")));
        }
        let (actor, detail) = match by {
            PaidBy::Operator { id, reference } => (
                Some(id),
                Msg::new("orders-paid-by-transfer").arg("reference", reference),
            ),
            PaidBy::Provider(n) => {
                use crate::db::schema::payment_notifications as pn;
                diesel::insert_into(pn::table)
                    .values((
                        pn::id.eq(&n.id),
                        pn::order_id.eq(order.id),
                        pn::received_at.eq(now),
                    ))
                    .execute(conn)?;
                (
                    None,
                    Msg::new("orders-paid-by-provider").arg("reference", n.id.as_str()),
                )
            }
        };
        record(conn, order.id, actor, "paid", Some(detail.clone()), now)?;
        let paid = find(conn, order.id)?;
        notify(conn, &paid, "paid", Some(&detail), settings)?;
        Ok(Ok(()))
    })
}

/// The rules of the product as listed now, for an order placed earlier.
fn still_sold(
    conn: &mut DbConn,
    order: &Order,
    renews: Option<i64>,
    now: PrimitiveDateTime,
) -> Result<Result<(), Msg>, AppError> {
    use crate::domain::statuses::{Lifecycle, Visibility};
    let listed = match crate::models::product_release::find_public(conn, order.product_id) {
        Ok(p) => p,
        Err(AppError::NotFound) => return Ok(Err(Msg::new("orders-pay-not-sold"))),
        Err(e) => return Err(e),
    };
    if listed.lifecycle != Lifecycle::Live || listed.visibility != Visibility::Shown {
        return Ok(Err(Msg::new("orders-pay-not-sold")));
    }
    let hidden = crate::models::visibility::hidden_specs(conn, order.product_id)?;
    let release = &listed.release.snapshot.release;
    let Some(spec) = release
        .specs
        .iter()
        .find(|s| s.name == order.spec_name && !hidden.contains(&s.name))
    else {
        return Ok(Err(Msg::new("orders-pay-spec-gone")));
    };
    if !spec.regions.is_empty() && !spec.regions.contains(&order.region) {
        return Ok(Err(Msg::new("orders-region-not-sold")));
    }
    let limit = spec
        .purchase_limit
        .or(release.purchase_limit)
        .filter(|_| spec.billing != crate::domain::statuses::BillingMode::PayPerUse);
    if limit.is_some() && !order.trial {
        let scope = spec.purchase_limit.is_some().then_some(spec.name.as_str());
        let held = held(
            conn,
            order.buyer_id,
            order.product_id,
            scope,
            now,
            &[order.id, renews.unwrap_or(0)],
        )?;
        if let Err(m) = check_limit(limit, held, order.quantity.unwrap_or(1)) {
            return Ok(Err(m));
        }
    }
    Ok(Ok(()))
}

/// One page of every order for operations, newest first, optionally in one state.
pub fn list_all(
    conn: &mut DbConn,
    state: Option<OrderState>,
    page: i64,
) -> Result<(Vec<(Order, String)>, i64), AppError> {
    use crate::db::schema::users;
    let mut count = orders::table.into_boxed();
    let mut rows = orders::table
        .inner_join(users::table)
        .select((Order::as_select(), users::email))
        .into_boxed();
    if let Some(s) = state {
        count = count.filter(orders::state.eq(s.as_str()));
        rows = rows.filter(orders::state.eq(s.as_str()));
    }
    let total: i64 = count.count().get_result(conn)?;
    let rows = rows
        .order(orders::id.desc())
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1).saturating_mul(PAGE_SIZE))
        .load(conn)?;
    Ok((rows, total))
}

/// A seller's orders (joined to their buyers) narrowed by a `SellerFilter`.
macro_rules! seller_filtered {
    ($f:expr, $company_id:expr, $buyer:expr, $q:expr) => {{
        let f: &SellerFilter = $f;
        let buyer: Option<i64> = $buyer;
        let mut q = $q.filter(orders::company_id.eq($company_id));
        if let Some(s) = f.state {
            q = q.filter(orders::state.eq(s.as_str()));
        }
        if let Some(p) = f.product_id {
            q = q.filter(orders::product_id.eq(p));
        }
        if let Some((from, to)) = f.month {
            q = q
                .filter(orders::created_at.ge(from))
                .filter(orders::created_at.lt(to));
        }
        if let Some(id) = f.order_id {
            q = q.filter(orders::id.eq(id));
        }
        if let Some(buyer) = buyer {
            q = q.filter(orders::buyer_id.eq(buyer));
        }
        q
    }};
}

/// What Product Transaction filters by: state, product, the month an order was placed (in the
/// viewer's zone),
/// and a search by order number or buyer email.
#[derive(Debug, Clone, Default)]
pub struct SellerFilter {
    pub state: Option<OrderState>,
    pub product_id: Option<i64>,
    /// (first day, first day of the next month).
    pub month: Option<(PrimitiveDateTime, PrimitiveDateTime)>,
    pub order_id: Option<i64>,
    pub buyer_email: Option<String>,
}

/// The buyer a search by email names: `Ok(None)` when there is no such search, `Err(())`
/// when no account has that email (nothing matches).
fn searched_buyer(
    conn: &mut DbConn,
    f: &SellerFilter,
) -> Result<Result<Option<i64>, ()>, AppError> {
    use crate::db::schema::users;
    let Some(email) = &f.buyer_email else {
        return Ok(Ok(None));
    };
    let found: Option<i64> = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .optional()?;
    Ok(found.map(Some).ok_or(()))
}

/// The seller's order version: it moves with every change to its orders (database triggers,
/// migration 000017), so a list rendered at it is current while it stands.
pub fn list_version(conn: &mut DbConn, company_id: i64) -> Result<i64, AppError> {
    use crate::db::schema::company_order_versions as v;
    Ok(v::table
        .find(company_id)
        .select(v::version)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Product Transaction counts a seller's matching orders up to this many: past it the pager says
/// "more than" (a count of every order on each view would grow with the seller's sales).
pub const COUNT_CAP: i64 = 1_000;

/// One page of the orders of a seller's products, newest first, with each buyer's email (all
/// a seller sees of a buyer), and their count up to `COUNT_CAP + 1`.
pub fn list_for_seller(
    conn: &mut DbConn,
    company_id: i64,
    f: &SellerFilter,
    page: i64,
) -> Result<(Vec<(Order, String)>, i64), AppError> {
    use crate::db::schema::users;
    let Ok(buyer) = searched_buyer(conn, f)? else {
        return Ok((Vec::new(), 0));
    };
    // Counted from an index alone (no join): each filter has its index.
    let counted: Vec<i64> = seller_filtered!(
        f,
        company_id,
        buyer,
        orders::table.select(orders::id).into_boxed()
    )
    .limit(COUNT_CAP + 1)
    .load(conn)?;
    let total = counted.len() as i64;
    let rows = seller_filtered!(
        f,
        company_id,
        buyer,
        orders::table
            .inner_join(users::table)
            .select((Order::as_select(), users::email))
            .into_boxed()
    )
    .order((orders::created_at.desc(), orders::id.desc()))
    .limit(PAGE_SIZE)
    .offset((page.max(1) - 1).saturating_mul(PAGE_SIZE))
    .load(conn)?;
    Ok((rows, total))
}

/// An order of one of the seller's products, with its buyer's email; any other is not found.
pub fn find_for_seller(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
) -> Result<(Order, String), AppError> {
    use crate::db::schema::users;
    orders::table
        .inner_join(users::table)
        .filter(orders::id.eq(id))
        .filter(orders::company_id.eq(company_id))
        .select((Order::as_select(), users::email))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The seller's products, for the filter: (id, name), at most 500 (which of them have orders
/// is not asked: that would read every order of the seller on each view).
pub fn ordered_products(
    conn: &mut DbConn,
    company_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(products::table
        .filter(products::company_id.eq(company_id))
        .order(products::id.asc())
        .limit(500)
        .select((products::id, products::name))
        .load(conn)?)
}

/// Who hears of an order event: the buyer by email; the seller in its message center and by
/// email to its first seller account. Written in the event's transaction, each in its
/// reader's language (SPEC 11, 10).
pub(crate) fn notify(
    conn: &mut DbConn,
    order: &Order,
    event: &str,
    detail: Option<&Msg>,
    settings: &crate::applications::NotifySettings,
) -> Result<(), AppError> {
    use crate::db::schema::users;
    let mut lines = vec![
        Msg::new("orders-notice-what")
            .arg("product", order.product_name.as_str())
            .arg("spec", order.spec_name.as_str()),
        Msg::new("orders-notice-amount").arg("amount", order.amount_text()),
    ];
    if let Some(d) = detail {
        lines.push(d.clone());
    }
    let title = Msg::new(match event {
        "placed" => "orders-notice-placed",
        "paid" => "orders-notice-paid",
        "expired" => "orders-notice-expired",
        "step" => "orders-notice-step",
        "accepted" | "auto_accepted" => "orders-notice-accepted",
        "refund_requested" => "orders-notice-refund-requested",
        "refund_approved" => "orders-notice-refund-approved",
        "refund_rejected" => "orders-notice-refund-rejected",
        _ => "orders-notice-cancelled",
    })
    .arg("id", order.id)
    .arg("product", order.product_name.as_str());
    let seller_path = format!("/console/orders/{}", order.id);
    crate::models::message::insert(
        conn,
        &crate::models::message::NewMessage {
            company_id: order.company_id,
            application_id: None,
            title: title.clone(),
            body: lines.clone(),
            link: Some(&seller_path),
        },
    )?;
    type Account = (String, Option<String>, Option<String>);
    let buyer: Account = users::table
        .find(order.buyer_id)
        .select((users::email, users::language, users::time_zone))
        .first(conn)?;
    let seller: Option<Account> = users::table
        .filter(users::company_id.eq(order.company_id))
        .filter(users::role.eq(crate::domain::statuses::Role::Seller.as_str()))
        .order(users::id.asc())
        .select((users::email, users::language, users::time_zone))
        .first(conn)
        .optional()?;
    let buyer_path = format!("/account/orders/{}", order.id);
    // The order event as an SMS to the seller's business contact too, when a gateway is set.
    if let Some(phone) = crate::outbox::sms_phone(conn, order.company_id, settings.sms)? {
        let reader = seller
            .as_ref()
            .map(|(_, l, z)| crate::i18n::Viewer::of_account(l.as_deref(), z.as_deref()))
            .unwrap_or_else(crate::i18n::viewer);
        let text = crate::i18n::with(reader, || {
            format!("{} {}{}", title, settings.base_url, seller_path)
        });
        crate::outbox::enqueue_sms(
            conn,
            Some(order.company_id),
            None,
            &phone,
            &text,
            settings.max_attempts,
        )?;
    }
    let mut mails = vec![(buyer, None, buyer_path)];
    if let Some(seller) = seller {
        mails.push((seller, Some(order.company_id), seller_path));
    }
    for ((email, language, zone), company_id, path) in mails {
        let reader = crate::i18n::Viewer::of_account(language.as_deref(), zone.as_deref());
        let mail = crate::email::order_notice(&crate::email::OrderMail {
            recipient: &email,
            company_id,
            subject: title.clone(),
            lines: lines.clone(),
            link: format!("{}{}", settings.base_url, path),
            reader,
        })?;
        crate::outbox::enqueue(conn, &mail, settings.max_attempts)?;
    }
    Ok(())
}

fn find(conn: &mut DbConn, id: i64) -> Result<Order, AppError> {
    Ok(orders::table
        .find(id)
        .select(Order::as_select())
        .first(conn)?)
}

/// Unpaid orders expired per call at most; the sweeper calls again while there are more.
pub const EXPIRE_BATCH: i64 = 500;

/// Closes unpaid orders past their payment time: each once, whichever instance gets there
/// first (the state is guarded in the update), with its event and its notices. Returns how
/// many it closed.
pub fn expire_unpaid(
    conn: &mut DbConn,
    settings: &crate::applications::NotifySettings,
) -> Result<usize, AppError> {
    let now = crate::db::now();
    let due: Vec<i64> = orders::table
        .filter(orders::state.eq(OrderState::PendingPayment.as_str()))
        .filter(orders::pay_by.le(now))
        .order(orders::pay_by.asc())
        .limit(EXPIRE_BATCH)
        .select(orders::id)
        .load(conn)?;
    let mut closed = 0;
    for chunk in due.chunks(SWEEP_CHUNK) {
        closed += crate::db::write_transaction(conn, |conn| {
            let mut n = 0;
            for &id in chunk {
                let done = diesel::update(
                    orders::table
                        .filter(orders::id.eq(id))
                        .filter(orders::state.eq(OrderState::PendingPayment.as_str()))
                        .filter(orders::pay_by.le(now)),
                )
                .set((
                    orders::state.eq(OrderState::Expired),
                    orders::closed_at.eq(Some(now)),
                    orders::updated_at.eq(now),
                ))
                .execute(conn)?;
                if done == 1 {
                    record(conn, id, None, "expired", None, now)?;
                    let expired = find(conn, id)?;
                    notify(conn, &expired, "expired", None, settings)?;
                }
                n += done;
            }
            Ok(n)
        })?;
    }
    Ok(closed)
}

/// Orders the sweeper closes or accepts in one transaction: a burst of them (a busy seller's
/// lapsed checkouts) moves the seller's order version, and so every cached page and session
/// of it, once per chunk rather than once per order.
pub const SWEEP_CHUNK: usize = 50;

/// Rows of a CSV export read at a time.
pub const EXPORT_BATCH: i64 = 500;

/// The next batch of the seller's filtered orders below `before` (newest first): the CSV
/// export walks them by id, so memory stays one batch whatever the count.
pub fn seller_batch(
    conn: &mut DbConn,
    company_id: i64,
    f: &SellerFilter,
    before: Option<i64>,
) -> Result<Vec<(Order, String)>, AppError> {
    use crate::db::schema::users;
    let Ok(buyer) = searched_buyer(conn, f)? else {
        return Ok(Vec::new());
    };
    let rows = seller_filtered!(
        f,
        company_id,
        buyer,
        orders::table
            .inner_join(users::table)
            .filter(orders::id.lt(before.unwrap_or(i64::MAX)))
            .select((Order::as_select(), users::email))
            .into_boxed()
    )
    .order(orders::id.desc())
    .limit(EXPORT_BATCH)
    .load(conn)?;
    Ok(rows)
}

/// The seller moves its paid service to the next step of its flow; reaching the last one
/// delivers it. `false` when the order is not the seller's to move now.
pub fn advance(
    conn: &mut DbConn,
    company_id: i64,
    id: i64,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        // One mover at a time per seller: the step read below is the one moved from.
        crate::db::lock_company(conn, company_id)?;
        let o = find(conn, id)?;
        if o.company_id != company_id {
            return Err(AppError::NotFound);
        }
        let (Some(flow), Some(next)) = (o.flow.clone(), o.next_step()) else {
            return Ok(false);
        };
        let now = crate::db::now();
        let delivered = crate::domain::order::is_delivered(&flow, Some(next));
        let n = diesel::update(
            orders::table
                .filter(orders::id.eq(id))
                .filter(orders::state.eq(OrderState::Processing.as_str())),
        )
        .set((
            orders::step.eq(Some(next)),
            orders::delivered_at.eq(delivered.then_some(now)),
            orders::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 1 {
            let detail = Msg::keyed(std::borrow::Cow::Owned(format!("orders-step-{next}")));
            record(conn, id, None, "step", Some(detail.clone()), now)?;
            let moved = find(conn, id)?;
            notify(conn, &moved, "step", Some(&detail), settings)?;
        }
        Ok(n == 1)
    })
}

/// Completes a delivered service: the buyer accepts it, or the sweep does after
/// `AUTO_ACCEPT_DAYS` days. `false` when it is not waiting for acceptance.
fn complete(
    conn: &mut DbConn,
    id: i64,
    actor: Option<i64>,
    kind: &str,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    let now = crate::db::now();
    let n = diesel::update(
        orders::table
            .filter(orders::id.eq(id))
            .filter(orders::state.eq(OrderState::Processing.as_str()))
            .filter(orders::delivered_at.is_not_null()),
    )
    .set((
        orders::state.eq(OrderState::Completed),
        orders::closed_at.eq(Some(now)),
        orders::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 1 {
        record(conn, id, actor, kind, None, now)?;
        let done = find(conn, id)?;
        notify(conn, &done, kind, None, settings)?;
    }
    Ok(n == 1)
}

/// The buyer accepts the delivery of its own order.
pub fn accept(
    conn: &mut DbConn,
    buyer_id: i64,
    id: i64,
    settings: &crate::applications::NotifySettings,
) -> Result<bool, AppError> {
    crate::db::write_transaction(conn, |conn| {
        find_for_buyer(conn, buyer_id, id)?;
        complete(conn, id, Some(buyer_id), "accepted", settings)
    })
}

/// Accepts the services delivered `days` ago (`AUTO_ACCEPT_DAYS`) and not accepted since (each
/// once, whichever instance gets there first).
pub fn auto_accept(
    conn: &mut DbConn,
    settings: &crate::applications::NotifySettings,
    days: i64,
) -> Result<usize, AppError> {
    let due_before = crate::db::now() - time::Duration::days(days);
    let due: Vec<i64> = orders::table
        .filter(orders::state.eq(OrderState::Processing.as_str()))
        .filter(orders::delivered_at.le(due_before))
        .order(orders::delivered_at.asc())
        .limit(EXPIRE_BATCH)
        .select(orders::id)
        .load(conn)?;
    let mut done = 0;
    for chunk in due.chunks(SWEEP_CHUNK) {
        done += crate::db::write_transaction(conn, |conn| {
            let mut n = 0;
            for &id in chunk {
                n += usize::from(complete(conn, id, None, "auto_accepted", settings)?);
            }
            Ok(n)
        })?;
    }
    Ok(done)
}
