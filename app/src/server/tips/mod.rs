//! Anonymous tips, shaped like `observations`: receiving one (`receiving`), its receipt
//! (`receipt`), the thread with the tipster (`thread`), the NHRC's queue (`listing`), making an
//! observation of one (`convert`), the HTTP routes. Nothing records who sent a tip.

pub mod convert;
pub mod draft;
pub mod listing;
pub mod receipt;
pub mod receiving;
pub mod routes;
pub mod thread;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

pub use convert::{TIPS_ORGANISATION_ID, convert};
pub use draft::DraftFlash;
pub use listing::{file, list};
pub use receipt::{ReceiptFlash, open, receipt_hash, session_tip};
pub use receiving::{NewTip, receive, stored_file_bytes};
pub use thread::{Reader, ask, close, detail, reply};

use super::audit::NewEntry;
use super::auth::CurrentUser;
use super::entities::tip;
use super::observations::scope::{self, Scope};
use crate::domain::Locale;
use crate::domain::tip::TipStatus;
use crate::error::AppError;

pub fn parse_tip_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The id of a tip that NHRC staff `user` may read and act on (`scope::tips`); any other
/// answers like a missing tip.
pub async fn readable(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
) -> Result<Uuid, AppError> {
    let id = parse_tip_id(id)?;
    Ok(scope::tip(db, Scope::of(user)?, id).await?.id)
}

/// Where a tip stands; a status this version does not know (written by a later one) reads as
/// new, so that the NHRC looks at it rather than missing it.
fn status_of(row: &tip::Model) -> TipStatus {
    TipStatus::parse(&row.status).unwrap_or(TipStatus::New)
}

/// An audit entry of the tipster, who is nobody the portal knows.
fn anonymous(action: &str, tip_id: Uuid) -> NewEntry<'_> {
    NewEntry {
        actor_id: None,
        actor_role: "anonymous",
        action,
        target_kind: "tip",
        target_id: tip_id.to_string(),
        detail: None,
    }
}

/// Reference names for tips, in the reader's language.
struct Names {
    categories: Vec<(String, String)>,
    institutions: Vec<(String, String)>,
    regions: Vec<(String, String)>,
}

impl Names {
    async fn load(db: &DatabaseConnection, locale: Locale) -> Result<Self, AppError> {
        let choices = crate::server::observations::listing::choices(db, locale).await?;
        // Every institution by its name: a tip may name one that no longer receives referrals.
        let institutions = crate::server::reference::institutions(db, locale)
            .await?
            .into_iter()
            .map(|i| (i.id, i.name))
            .collect();
        Ok(Self {
            categories: choices.categories,
            institutions,
            regions: choices.regions,
        })
    }

    fn find(list: &[(String, String)], key: Option<String>) -> Option<String> {
        let key = key?;
        list.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, name)| name.clone())
    }

    fn category(&self, id: Option<Uuid>) -> Option<String> {
        Self::find(&self.categories, id.map(|i| i.to_string()))
    }

    fn institution(&self, id: Option<Uuid>) -> Option<String> {
        Self::find(&self.institutions, id.map(|i| i.to_string()))
    }

    fn region(&self, code: Option<&str>) -> Option<String> {
        Self::find(&self.regions, code.map(str::to_string))
    }
}
