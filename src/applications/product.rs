//! Product release and product modification: approval makes the submitted release the listed
//! one at once (the first release makes the product live); a rejection leaves the product as it
//! was, its listed release (if any) in force and the working copy editable again.

use time::PrimitiveDateTime;

use super::Kind;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::application::Application;
use crate::models::{product, product_release};

pub struct Release;
pub struct Modification;

/// A product's reviewable fields (from the one field list) and what else a reviewer can name.
static FIELDS: once_cell::sync::Lazy<Vec<(&'static str, &'static str)>> =
    once_cell::sync::Lazy::new(|| {
        crate::domain::product_fields::FIELDS
            .iter()
            .filter(|f| f.reviewable)
            .map(|f| (f.name, f.label))
            .chain(crate::domain::product_fields::REVIEW_EXTRAS)
            .collect()
    });

pub fn product_fields() -> &'static [(&'static str, &'static str)] {
    FIELDS.as_slice()
}

fn editor(app: &Application) -> Option<String> {
    Some(format!("/console/products/{}/edit", app.product_id?))
}

fn decided(
    conn: &mut DbConn,
    app: &Application,
    release: &crate::domain::product::Release,
    approve: bool,
    now: PrimitiveDateTime,
) -> Result<(), AppError> {
    let Some(product_id) = app.product_id else {
        return Ok(());
    };
    if approve {
        product_release::publish(conn, product_id, Some(app.id), release, now)?;
    } else {
        product::touch(conn, product_id, now)?;
    }
    Ok(())
}

/// A release and a modification follow the same rules; the review page shows the whole
/// submitted product (and a modification's diff) instead of a summary.
macro_rules! product_kind {
    ($kind:ty) => {
        impl Kind for $kind {
            type Payload = crate::domain::product::Release;

            fn fields() -> &'static [(&'static str, &'static str)] {
                product_fields()
            }

            fn fix_page(app: &Application) -> Option<String> {
                editor(app)
            }

            fn summary(_payload: &Self::Payload) -> Vec<(String, String)> {
                Vec::new()
            }

            fn decided(
                conn: &mut DbConn,
                app: &Application,
                release: &Self::Payload,
                approve: bool,
                _actor_id: i64,
                now: PrimitiveDateTime,
            ) -> Result<(), AppError> {
                decided(conn, app, release, approve, now)
            }
        }
    };
}

product_kind!(Release);
product_kind!(Modification);

/// A modification's diff against the release it replaces (or replaced, once approved), with
/// that release's number; None for any other application. Read in one place for the reviewer's
/// page and the seller's.
pub fn modification_diff(
    conn: &mut DbConn,
    app: &Application,
    regions: &[crate::domain::offer::Region],
) -> Result<Option<(crate::domain::diff::DiffView, i32)>, AppError> {
    let (crate::domain::statuses::ApplicationKind::ProductModification, Some(product_id)) =
        (app.kind(), app.product_id)
    else {
        return Ok(None);
    };
    let Some(base) = product_release::base_of(conn, product_id, app.id)? else {
        return Ok(None);
    };
    let logo_changed =
        product_release::modification_changes_logo(conn, product_id, app.id, base.id)?;
    let groups = crate::models::service_group::list_for_company(conn, app.company_id)?;
    let group_name = |id: i64| groups.iter().find(|g| g.id == id).map(|g| g.name.clone());
    let modified: crate::domain::product::Release = app.payload()?;
    let view = crate::domain::diff::view(&base.snapshot.release, &modified, &group_name, regions);
    Ok(Some((
        crate::domain::diff::DiffView {
            logo_changed,
            ..view
        },
        base.number,
    )))
}
