//! The audit log for NHRC staff: browse with filters, and check the hash chain.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The log's filters, as they travel in the page's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub role: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub until: Option<String>,
    pub page: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntrySummary {
    pub seq: i64,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    /// The actor's name and e-mail, when a person acted.
    pub actor: Option<String>,
    pub role: String,
    pub action: String,
    pub target_kind: String,
    /// The public reference of an observation, else the record's id.
    pub target: String,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntrySummary>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Every action name seen in the log, for the filter.
    pub actions: Vec<String>,
}

#[server(prefix = "/api", endpoint = "list_audit_entries")]
pub async fn list_audit_entries(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::domain::Role;
    use crate::server::{audit, auth};
    let (state, _) = auth::require(&[Role::Monitor]).await?;
    audit::page(&state.db, &filter).await
}

/// Walks the whole chain (long on a big log) and says whether it is intact.
#[server(prefix = "/api", endpoint = "verify_audit_chain")]
pub async fn verify_audit_chain() -> Result<String, AppError> {
    use crate::domain::Role;
    use crate::server::{audit, auth};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    let verdict = audit::verify(&state.db).await?;
    let text = match verdict {
        audit::Verdict::Intact { entries } => format!("intact:{entries}"),
        audit::Verdict::Broken { seq, .. } => format!("broken:{seq}"),
    };
    audit::record(
        &state.db,
        Some(&user),
        "audit_verified",
        "audit",
        uuid::Uuid::nil(),
        Some(text.clone()),
    )
    .await?;
    Ok(text)
}
