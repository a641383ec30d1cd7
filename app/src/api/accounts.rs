//! Inviting people and managing accounts (admins for everyone, coordinators for the members
//! of their own organisation).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::account::NewInvitation;
use crate::model::account::{PendingMonitor, UserSummary};

#[server(prefix = "/api", endpoint = "invite_user")]
pub async fn invite_user(
    email: String,
    display_name: String,
    role: String,
    organisation_id: Option<String>,
    institution_id: Option<String>,
    locale: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, auth};
    let (state, inviter) = auth::require(&[Role::Admin, Role::CsoCoordinator]).await?;
    let input = NewInvitation {
        email,
        display_name,
        role,
        organisation_id,
        institution_id,
        locale,
    };
    accounts::invite(&state, &inviter, input).await?;
    let page = if inviter.role == Role::Admin {
        "/admin/users"
    } else {
        "/organisation/members"
    };
    leptos_axum::redirect(&format!("{page}?invited=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::server::{accounts, auth};
    let (state, viewer) = auth::require(&[Role::Admin, Role::CsoCoordinator]).await?;
    accounts::list_users(&state.db, &viewer).await
}

#[server(prefix = "/api", endpoint = "set_user_active")]
pub async fn set_user_active(user_id: String, active: String) -> Result<(), AppError> {
    use crate::server::{accounts, auth};
    let (state, actor) = auth::require(&[Role::Admin, Role::CsoCoordinator]).await?;
    let user_id = uuid::Uuid::parse_str(&user_id).map_err(|_| AppError::NotFound)?;
    accounts::set_active(&state.db, &actor, user_id, active == "true").await
}

/// The monitor accounts awaiting approval (monitors only).
#[server(prefix = "/api", endpoint = "list_pending_monitors")]
pub async fn list_pending_monitors() -> Result<Vec<PendingMonitor>, AppError> {
    use crate::server::{accounts, auth};
    let (state, viewer) = auth::require(&[Role::Monitor]).await?;
    accounts::pending_monitors(&state.db, &viewer).await
}

/// A monitor approves (`decision` = `approve`) or refuses (`refuse`) a pending monitor
/// account; audited. Administrators cannot: the two-person rule needs a monitor.
#[server(prefix = "/api", endpoint = "decide_monitor")]
pub async fn decide_monitor(user_id: String, decision: String) -> Result<(), AppError> {
    use crate::server::{accounts, auth};
    let (state, approver) = auth::require(&[Role::Monitor]).await?;
    let user_id = uuid::Uuid::parse_str(&user_id).map_err(|_| AppError::NotFound)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(AppError::field("decision", "error-decision-invalid")),
    };
    accounts::decide_monitor(&state.db, &approver, user_id, approve).await?;
    leptos_axum::redirect(if approve {
        "/monitoring/approvals?approved=1"
    } else {
        "/monitoring/approvals?refused=1"
    });
    Ok(())
}
