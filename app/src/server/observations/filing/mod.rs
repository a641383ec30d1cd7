//! Filing, one step per file: the form as drawn (`form`), saving a draft (`draft`), attaching
//! its evidence (`attach`) and submitting it (`submit`). A resent form (double click, reload)
//! finds its observation by the form's hidden token and creates no second one.

mod attach;
mod draft;
mod form;
mod submit;

use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};

pub use attach::evidence_room;
pub use draft::{SaveOutcome, SaveRequest, save, submitted_already};
pub use form::form;
pub use submit::{next_reference, quota_reached};

use super::scope::{self, Scope};
use crate::error::AppError;
use crate::server::entities::observation;

/// The observation a post of the filing form belongs to, within the scope: the one its `id`
/// names (not found if it is not there or not theirs), or else the one its token created.
async fn of_form(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: Option<&str>,
    token: &str,
) -> Result<Option<observation::Model>, AppError> {
    if let Some(id) = id.filter(|id| !id.is_empty()) {
        return scope::observation(db, scope, id).await.map(Some);
    }
    if token.is_empty() {
        return Ok(None);
    }
    Ok(scope::observations(scope)
        .filter(observation::Column::FormToken.eq(token))
        .one(db)
        .await?)
}
