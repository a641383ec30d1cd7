//! A draft's evidence: how many files a post may still bring, and attaching those it brought.

use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::of_form;
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::ObservationStatus;
use crate::error::AppError;
use crate::server::auth::CurrentUser;
use crate::server::entities::attachment;
use crate::server::observations::evidence::{self, ReceivedFiles, Refusal};
use crate::server::observations::scope::Scope;

/// How many more evidence files a post of the filing form may bring: the limit less what the
/// draft it belongs to (by id, or else token) already has. Asked while the form is read, so
/// that files past the limit are never written; `save` counts again when it attaches.
#[tracing::instrument(skip_all, fields(actor = %user.id))]
pub async fn evidence_room(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: Option<String>,
    form_token: String,
) -> usize {
    let Ok(scope) = Scope::of(user) else {
        // Refused later anyway: nothing to write.
        return 0;
    };
    let row = match of_form(db, scope, id.as_deref(), &form_token).await {
        Ok(row) => row,
        // A draft that is not there (or not theirs) takes nothing: the post is refused.
        Err(AppError::NotFound) => return 0,
        Err(_) => None,
    };
    let Some(row) = row else {
        return evidence::MAX_FILES;
    };
    if row.status != ObservationStatus::Draft.as_str() {
        // Submitted already: a resent form attaches nothing.
        return 0;
    }
    let attached = attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(row.id))
        .count(db)
        .await
        .unwrap_or(0);
    evidence::room(attached)
}

/// Attaches a post's evidence files to draft `id`, inside the caller's transaction: each file
/// once (by fingerprint), up to the limit; the files past it are refused. Returns the stored
/// names of those attached (the caller keeps them on disk once it commits).
pub(super) async fn attach_evidence(
    txn: &DatabaseTransaction,
    user: &CurrentUser,
    id: Uuid,
    files: &ReceivedFiles,
    refused: &mut Vec<Refusal>,
) -> Result<Vec<String>, AppError> {
    let attached = attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(id))
        .all(txn)
        .await?;
    let mut count = attached.len();
    // The fingerprints attached before and by this post: the same file twice is kept once.
    let mut fingerprints: Vec<String> = attached.into_iter().map(|a| a.sha256).collect();
    let mut kept = Vec::new();
    for file in files.files() {
        if fingerprints.contains(&file.sha256) {
            continue;
        }
        if count >= evidence::MAX_FILES {
            refused.push(Refusal::TooMany);
            continue;
        }
        count += 1;
        file.attach(txn, id, None, AttachmentPurpose::Evidence, user.id)
            .await?;
        fingerprints.push(file.sha256.clone());
        kept.push(file.stored_name.clone());
    }
    Ok(kept)
}
