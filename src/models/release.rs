//! The released shape of a product: specifications, SKUs and their prices, written when a
//! release is submitted, read by review and the catalog.

use diesel::prelude::*;

use crate::db::schema::{sku_prices, skus, specifications};
use crate::db::DbConn;
use crate::domain::pricing::{to_minor_units, Amount, PeriodKind, UnitPricing};
use time::PrimitiveDateTime;

use crate::applications::{NewApplication, Payload, SubmitOutcome};
use crate::db::lock_company;
use crate::domain::product::Release;
use crate::domain::statuses::{ApplicationKind, Lifecycle, ProductState};
use crate::domain::working_days::release_review_may_take_longer;
use crate::error::AppError;
use crate::models::application;
use crate::models::product;

pub enum ReleaseOutcome {
    Submitted {
        id: i64,
        may_take_longer: bool,
    },
    AlreadyOpen(i64),
    Locked(ProductState),
    /// A modification identical to the listed release (fields, specifications, prices, logo).
    Unchanged,
    /// A modification that leaves out specifications of the listed release: those are removed
    /// through a removal application, never deleted.
    DroppedSpecs(Vec<String>),
}

fn period_text(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "month",
        PeriodKind::Year => "year",
        PeriodKind::Once => "once",
        PeriodKind::Hour => "hour",
    }
}

/// Replaces the product's specifications with the release's. Call inside the submission's
/// transaction so a failure leaves the previous ones.
pub fn replace_specifications(
    conn: &mut DbConn,
    product_id: i64,
    release: &Release,
) -> Result<(), AppError> {
    diesel::delete(specifications::table.filter(specifications::product_id.eq(product_id)))
        .execute(conn)?;
    for (position, spec) in release.specs.iter().enumerate() {
        let q = spec.quantity.as_ref();
        let spec_id: i64 = diesel::insert_into(specifications::table)
            .values((
                specifications::product_id.eq(product_id),
                specifications::position.eq(position as i32),
                specifications::name.eq(&spec.name),
                specifications::billing_mode.eq(spec.billing.as_str()),
                specifications::quantity_name.eq(q.map(|q| q.name.clone())),
                specifications::quantity_unit.eq(q.map(|q| q.unit.clone())),
                specifications::quantity_min.eq(q.map(|q| q.range.min)),
                specifications::quantity_max.eq(q.map(|q| q.range.max)),
                specifications::quantity_step.eq(q.map(|q| q.range.step)),
                specifications::quantity_pricing.eq(q.map(|q| {
                    if q.tiered {
                        "tiered"
                    } else {
                        "linear"
                    }
                })),
                specifications::currency.eq(&release.currency),
            ))
            .returning(specifications::id)
            .get_result(conn)?;
        for (sku_position, sku) in spec.skus.iter().enumerate() {
            let sku_id: i64 = diesel::insert_into(skus::table)
                .values((
                    skus::specification_id.eq(spec_id),
                    skus::position.eq(sku_position as i32),
                    skus::sku_key.eq(&sku.key),
                    skus::attributes
                        .eq(serde_json::to_string(&sku.values).map_err(anyhow::Error::from)?),
                ))
                .returning(skus::id)
                .get_result(conn)?;
            for (kind, amount) in &sku.prices.amounts {
                let (minor, bands) = match amount {
                    Amount::Flat(d) | Amount::PerUnit(UnitPricing::Linear { unit_price: d }) => {
                        (to_minor_units(*d), None)
                    }
                    Amount::PerUnit(tiered @ UnitPricing::Tiered { .. }) => (
                        None,
                        Some(serde_json::to_string(tiered).map_err(anyhow::Error::from)?),
                    ),
                };
                diesel::insert_into(sku_prices::table)
                    .values((
                        sku_prices::sku_id.eq(sku_id),
                        sku_prices::period_kind.eq(period_text(*kind)),
                        sku_prices::amount_minor.eq(minor),
                        sku_prices::bands.eq(bands),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// Submits a checked release: one open application per product, the 10-a-day note, the
/// specifications written, the product locked. Call inside a write transaction.
pub fn submit_release(
    c: &mut DbConn,
    company_id: i64,
    user_id: i64,
    product_id: i64,
    release: &Release,
    now: PrimitiveDateTime,
    due: time::Date,
) -> Result<ReleaseOutcome, AppError> {
    lock_company(c, company_id)?;
    let current = product::find_for_company(c, company_id, product_id)?;
    let state = product::state_of(c, &current)?;
    if !state.is_editable() {
        return Ok(ReleaseOutcome::Locked(state));
    }
    // A live product's changes are a modification of its listed release (SPEC 7.2).
    let kind = if current.lifecycle == Lifecycle::Live {
        ApplicationKind::ProductModification
    } else {
        ApplicationKind::ProductRelease
    };
    // SKUs removed through review are never offered again, whatever the attributes make.
    let removed = crate::models::removal::removed_skus(c, product_id)?;
    let filtered;
    let release = if removed.is_empty() {
        release
    } else {
        let mut r = release.clone();
        for spec in &mut r.specs {
            spec.skus.retain(|k| {
                !removed
                    .iter()
                    .any(|(s, key)| *s == spec.name && *key == k.key)
            });
        }
        filtered = r;
        &filtered
    };
    if let (ApplicationKind::ProductModification, Some(listed_id)) =
        (kind, current.listed_release_id)
    {
        let listed = crate::models::product_release::find(c, listed_id)?;
        let old = &listed.snapshot.release;
        let dropped: Vec<String> = old
            .specs
            .iter()
            .filter(|o| !release.specs.iter().any(|n| n.name == o.name))
            .map(|o| o.name.clone())
            .collect();
        if !dropped.is_empty() {
            return Ok(ReleaseOutcome::DroppedSpecs(dropped));
        }
        if old == release
            && !crate::models::product_release::logo_changed(c, product_id, listed_id)?
        {
            return Ok(ReleaseOutcome::Unchanged);
        }
    }
    let start_of_day = PrimitiveDateTime::new(now.date(), time::Time::MIDNIGHT);
    let today = application::releases_since(c, company_id, start_of_day)? + 1;
    let may_take_longer = release_review_may_take_longer(today);
    let payload = match kind {
        ApplicationKind::ProductModification => Payload::ProductModification(release.clone()),
        _ => Payload::ProductRelease(release.clone()),
    };
    let outcome = crate::applications::submit(
        c,
        NewApplication {
            company_id,
            subject: &release.name,
            payload: &payload,
            product_id: Some(product_id),
            submitted_by: user_id,
            due_date: due,
            may_take_longer,
        },
    )?;
    match outcome {
        SubmitOutcome::AlreadyOpen(open) => Ok(ReleaseOutcome::AlreadyOpen(open.id)),
        SubmitOutcome::Submitted(id) => {
            replace_specifications(c, product_id, release)?;
            product::touch(c, product_id, now)?;
            Ok(ReleaseOutcome::Submitted {
                id,
                may_take_longer,
            })
        }
    }
}
