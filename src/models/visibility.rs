//! Hiding and unhiding a live product or one of its specifications (SPEC 7.3): at once, no
//! review, each in the product's history, the catalog entry kept in the same transaction.

use diesel::prelude::*;

use crate::db::schema::product_hidden_specs;
use crate::db::{lock_company, write_transaction, DbConn};
use crate::domain::statuses::{Lifecycle, ProductEventKind, Visibility};
use crate::error::AppError;
use crate::models::product::{self, Product};
use crate::models::product_event::{self, NewEvent};
use crate::models::product_release;

#[derive(Debug, PartialEq, Eq)]
pub enum VisibilityOutcome {
    Changed,
    /// It already was as asked: nothing written.
    Unchanged,
    /// Only a listed product (live, not removed) can be hidden or shown.
    NotLive(Lifecycle),
    /// The last shown specification of a shown product cannot be hidden (nor a product shown
    /// whose specifications are all hidden).
    NeedsShownSpec,
    /// The listed release has no specification of that name.
    UnknownSpec,
    /// More changes of visibility in a day than anyone makes by hand.
    TooMany,
}

/// Visibility changes of one product in 24 hours: far above a person's, and a bound on the
/// history rows one account can make the database keep.
pub const MAX_CHANGES_PER_DAY: i64 = 100;

fn too_many_today(conn: &mut DbConn, product_id: i64) -> Result<bool, AppError> {
    use crate::db::schema::product_events;
    let since = crate::db::now() - time::Duration::days(1);
    let n: i64 = product_events::table
        .filter(product_events::product_id.eq(product_id))
        .filter(product_events::created_at.ge(since))
        .filter(product_events::kind.eq_any([
            ProductEventKind::Hidden,
            ProductEventKind::Unhidden,
            ProductEventKind::SpecHidden,
            ProductEventKind::SpecUnhidden,
        ]))
        .count()
        .get_result(conn)?;
    Ok(n >= MAX_CHANGES_PER_DAY)
}

/// The specifications of the product the seller hid.
pub fn hidden_specs(conn: &mut DbConn, product_id: i64) -> Result<Vec<String>, AppError> {
    Ok(product_hidden_specs::table
        .filter(product_hidden_specs::product_id.eq(product_id))
        .select(product_hidden_specs::spec_name)
        .load(conn)?)
}

fn listed_spec_names(conn: &mut DbConn, product: &Product) -> Result<Vec<String>, AppError> {
    Ok(match product.listed_release_id {
        Some(id) => product_release::find(conn, id)?
            .snapshot
            .release
            .specs
            .into_iter()
            .map(|s| s.name)
            .collect(),
        None => Vec::new(),
    })
}

/// Hides or shows the whole product: out of (or back into) the catalog list and search.
pub fn set_product(
    conn: &mut DbConn,
    company_id: i64,
    product_id: i64,
    actor_id: i64,
    visibility: Visibility,
) -> Result<VisibilityOutcome, AppError> {
    write_transaction(conn, |conn| {
        lock_company(conn, company_id)?;
        let p = product::find_for_company(conn, company_id, product_id)?;
        if p.lifecycle != Lifecycle::Live {
            return Ok(VisibilityOutcome::NotLive(p.lifecycle));
        }
        if p.visibility == visibility {
            return Ok(VisibilityOutcome::Unchanged);
        }
        if too_many_today(conn, product_id)? {
            return Ok(VisibilityOutcome::TooMany);
        }
        if visibility == Visibility::Shown {
            let specs = listed_spec_names(conn, &p)?;
            let hidden = hidden_specs(conn, product_id)?;
            if !specs.is_empty() && specs.iter().all(|s| hidden.contains(s)) {
                return Ok(VisibilityOutcome::NeedsShownSpec);
            }
        }
        let now = crate::db::now();
        product::set_visibility(conn, product_id, visibility, now)?;
        product_event::record(
            conn,
            NewEvent {
                product_id,
                actor_id: Some(actor_id),
                kind: match visibility {
                    Visibility::Hidden => ProductEventKind::Hidden,
                    Visibility::Shown => ProductEventKind::Unhidden,
                },
                application_id: None,
                detail: None,
                at: now,
            },
        )?;
        product_release::refresh_entry(conn, product_id, now)?;
        Ok(VisibilityOutcome::Changed)
    })
}

/// Hides or shows one specification of the listed release: a hidden one is not offered to new
/// buyers. A shown product keeps at least one shown specification.
pub fn set_spec(
    conn: &mut DbConn,
    company_id: i64,
    product_id: i64,
    actor_id: i64,
    spec_name: &str,
    hide: bool,
) -> Result<VisibilityOutcome, AppError> {
    write_transaction(conn, |conn| {
        lock_company(conn, company_id)?;
        let p = product::find_for_company(conn, company_id, product_id)?;
        if p.lifecycle != Lifecycle::Live {
            return Ok(VisibilityOutcome::NotLive(p.lifecycle));
        }
        let specs = listed_spec_names(conn, &p)?;
        if !specs.iter().any(|s| s == spec_name) {
            return Ok(VisibilityOutcome::UnknownSpec);
        }
        let hidden = hidden_specs(conn, product_id)?;
        let is_hidden = hidden.iter().any(|s| s == spec_name);
        if is_hidden == hide {
            return Ok(VisibilityOutcome::Unchanged);
        }
        if too_many_today(conn, product_id)? {
            return Ok(VisibilityOutcome::TooMany);
        }
        if hide && p.visibility == Visibility::Shown {
            let shown_after = specs
                .iter()
                .filter(|s| *s != spec_name && !hidden.contains(s))
                .count();
            if shown_after == 0 {
                return Ok(VisibilityOutcome::NeedsShownSpec);
            }
        }
        let now = crate::db::now();
        if hide {
            diesel::insert_into(product_hidden_specs::table)
                .values((
                    product_hidden_specs::product_id.eq(product_id),
                    product_hidden_specs::spec_name.eq(spec_name),
                ))
                .execute(conn)?;
        } else {
            diesel::delete(
                product_hidden_specs::table
                    .filter(product_hidden_specs::product_id.eq(product_id))
                    .filter(product_hidden_specs::spec_name.eq(spec_name)),
            )
            .execute(conn)?;
        }
        product::touch(conn, product_id, now)?;
        product_event::record(
            conn,
            NewEvent {
                product_id,
                actor_id: Some(actor_id),
                kind: if hide {
                    ProductEventKind::SpecHidden
                } else {
                    ProductEventKind::SpecUnhidden
                },
                application_id: None,
                detail: Some(crate::i18n::Msg::raw(spec_name)),
                at: now,
            },
        )?;
        Ok(VisibilityOutcome::Changed)
    })
}
