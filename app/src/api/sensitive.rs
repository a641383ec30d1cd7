//! The sensitive-cases permission: the staff list of the permission page, granting and
//! revoking it, naming coordinating liaisons (monitors, and coordinating liaisons within their
//! own institution).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
use crate::model::sensitive::SensitiveAccess;

/// Monitors: every monitor and liaison; liaisons: their own institution's liaisons.
#[server(prefix = "/api", endpoint = "list_sensitive_access")]
pub async fn list_sensitive_access() -> Result<SensitiveAccess, AppError> {
    use crate::server::{auth, sensitive};
    let (state, viewer) = auth::require(&[Role::Monitor, Role::Liaison]).await?;
    sensitive::access(&state.db, &viewer).await
}

/// Grants (`grant` = `grant`) or revokes (`revoke`) the permission of `user_id`; audited.
#[server(prefix = "/api", endpoint = "set_sensitive_access")]
pub async fn set_sensitive_access(user_id: String, grant: String) -> Result<(), AppError> {
    use crate::server::{auth, sensitive};
    let (state, actor) = auth::require(&[Role::Monitor, Role::Liaison]).await?;
    sensitive::may_grant(&actor)?;
    let grant = match grant.as_str() {
        "grant" => true,
        "revoke" => false,
        _ => return Err(AppError::field("grant", "error-choice-invalid")),
    };
    let user_id = sensitive::parse_user_id(&user_id)?;
    sensitive::set_permission(&state.db, &actor, user_id, grant).await?;
    let notice = if grant { "granted" } else { "revoked" };
    leptos_axum::redirect(&format!("{}?{notice}=1", sensitive::page_of(actor.role)));
    Ok(())
}

/// A monitor names (`coordinating` = `yes`) or unnames (`no`) a coordinating liaison; audited.
#[server(prefix = "/api", endpoint = "set_coordinating_liaison")]
pub async fn set_coordinating_liaison(
    user_id: String,
    coordinating: String,
) -> Result<(), AppError> {
    use crate::server::{auth, sensitive};
    let (state, actor) = auth::require(&[Role::Monitor]).await?;
    let coordinating = match coordinating.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::field("coordinating", "error-choice-invalid")),
    };
    let user_id = sensitive::parse_user_id(&user_id)?;
    sensitive::set_coordinating(&state.db, &actor, user_id, coordinating).await?;
    leptos_axum::redirect("/monitoring/sensitive?coordinators=1");
    Ok(())
}
