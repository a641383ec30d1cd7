//! The audit log for NHRC staff: browse with filters, and check the hash chain.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::audit::{AuditFilter, AuditPage, ChainCheck};

#[server(prefix = "/api", endpoint = "list_audit_entries")]
pub async fn list_audit_entries(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::domain::Role;
    use crate::server::{audit, auth};
    let (state, viewer) = auth::require(&[Role::Monitor]).await?;
    audit::page(&state.db, &filter, viewer.sensitive_cases).await
}

/// Walks the whole chain (long on a big log) and says whether it is intact.
#[server(prefix = "/api", endpoint = "verify_audit_chain")]
pub async fn verify_audit_chain() -> Result<ChainCheck, AppError> {
    use crate::domain::Role;
    use crate::server::{audit, auth};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    let verdict = audit::verify(&state.db).await?;
    let check = match verdict {
        audit::Verdict::Intact { entries } => ChainCheck::Intact { entries },
        audit::Verdict::Broken { seq, .. } => ChainCheck::Broken { at: seq },
    };
    audit::record(
        &state.db,
        Some(&user),
        "audit_verified",
        "audit",
        uuid::Uuid::nil(),
        Some(check.detail()),
    )
    .await?;
    Ok(check)
}
