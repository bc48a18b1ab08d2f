//! Benefit requests (SPEC 13): a homepage banner or a featured-zone slot for a month, or test
//! coupons for a product. Approving a slot takes one of the month's slots, or fails when they
//! are taken; the catalog home shows the approved slots of its month.

use diesel::prelude::*;
use time::PrimitiveDateTime;

use super::Kind;
use crate::db::schema::{applications, benefit_requests};
use crate::db::DbConn;
use crate::domain::benefits::Slot;
use crate::domain::statuses::ApplicationStatus;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::models::application::Application;

/// The payload of a slot request: the month and the product to show.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SlotPayload {
    pub month: String,
    pub product_id: i64,
    pub product: String,
    pub note: String,
}

/// The payload of a test-coupon request.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CouponPayload {
    pub product_id: i64,
    pub product: String,
    /// "USD 500.00".
    pub amount: String,
    pub purpose: String,
}

const SLOT_FIELDS: &[(&str, &str)] = &[
    ("month", "benefits-field-month"),
    ("product", "benefits-field-product"),
    ("note", "benefits-field-note"),
];
const COUPON_FIELDS: &[(&str, &str)] = &[
    ("product", "benefits-field-product"),
    ("amount", "benefits-field-amount"),
    ("purpose", "benefits-field-purpose"),
];

pub struct BannerRequest;
pub struct FeaturedRequest;
pub struct CouponRequest;

/// Slots of `slot` approved for the month, other than the application's own.
fn taken(conn: &mut DbConn, slot: Slot, month: &str, except: i64) -> Result<i64, AppError> {
    Ok(benefit_requests::table
        .inner_join(applications::table)
        .filter(benefit_requests::kind.eq(slot.as_str()))
        .filter(benefit_requests::month.eq(month))
        .filter(applications::status.eq(ApplicationStatus::Approved.as_str()))
        .filter(applications::id.ne(except))
        .count()
        .get_result(conn)?)
}

fn slot_decided(
    conn: &mut DbConn,
    app: &Application,
    p: &SlotPayload,
    slot: Slot,
    approve: bool,
) -> Result<(), AppError> {
    if !approve {
        return Ok(());
    }
    // One allocation at a time across the marketplace: the count below is the one decided
    // on. The catalog's version moves too, so the home shows the month's slots afresh.
    {
        use crate::db::schema::catalog_version::dsl as v;
        diesel::update(v::catalog_version.find(1))
            .set(v::version.eq(v::version + 1))
            .execute(conn)?;
    }
    if taken(conn, slot, &p.month, app.id)? >= slot.capacity() {
        return Err(AppError::Conflict(
            Msg::new("benefits-slots-full")
                .arg("month", p.month.as_str())
                .arg("slots", slot.capacity()),
        ));
    }
    Ok(())
}

impl Kind for BannerRequest {
    type Payload = SlotPayload;

    fn fields() -> &'static [(&'static str, &'static str)] {
        SLOT_FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/benefits#banner".to_string())
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        p: &Self::Payload,
        approve: bool,
        _actor_id: i64,
        _now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        slot_decided(conn, app, p, Slot::Banner, approve)
    }
}

impl Kind for FeaturedRequest {
    type Payload = SlotPayload;

    fn fields() -> &'static [(&'static str, &'static str)] {
        SLOT_FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/benefits#featured".to_string())
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        p: &Self::Payload,
        approve: bool,
        _actor_id: i64,
        _now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        slot_decided(conn, app, p, Slot::Featured, approve)
    }
}

impl Kind for CouponRequest {
    type Payload = CouponPayload;

    fn fields() -> &'static [(&'static str, &'static str)] {
        COUPON_FIELDS
    }

    fn fix_page(_app: &Application) -> Option<String> {
        Some("/console/benefits#coupons".to_string())
    }

    fn decided(
        _conn: &mut DbConn,
        _app: &Application,
        _p: &Self::Payload,
        _approve: bool,
        _actor_id: i64,
        _now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        // The coupons themselves are issued by operations outside the console.
        Ok(())
    }
}
