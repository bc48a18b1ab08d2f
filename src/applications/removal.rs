//! Product removal: approval removes the product for good, or lists a release without the
//! specification or SKU (see `models::removal`).

use time::PrimitiveDateTime;

use super::Kind;
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::application::Application;

pub struct Removal;

impl Kind for Removal {
    type Payload = crate::domain::removal::RemovalRequest;

    fn fields() -> &'static [(&'static str, &'static str)] {
        super::product::product_fields()
    }

    /// A rejected removal changes nothing to fix: the product stays as it is.
    fn fix_page(_app: &Application) -> Option<String> {
        None
    }

    /// The review page shows what, why and the proof instead.
    fn summary(_payload: &Self::Payload) -> Vec<(String, String)> {
        Vec::new()
    }

    fn decided(
        conn: &mut DbConn,
        app: &Application,
        request: &Self::Payload,
        approve: bool,
        actor_id: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), AppError> {
        match (approve, app.product_id) {
            (true, Some(product_id)) => {
                crate::models::removal::apply(conn, app.id, product_id, actor_id, request, now)
            }
            _ => Ok(()),
        }
    }
}
