//! The figures: the dashboard, scoped on the server (NHRC staff see everything, a liaison their
//! institution's referral measures, a CSO its own observations).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
use crate::model::statistics::{Dashboard, DashboardFilter, Transparency};

#[server(prefix = "/api", endpoint = "get_dashboard")]
pub async fn get_dashboard(filter: Option<DashboardFilter>) -> Result<Dashboard, AppError> {
    let (state, user) = crate::server::auth::require(&[
        Role::Monitor,
        Role::Liaison,
        Role::CsoMember,
        Role::CsoCoordinator,
    ])
    .await?;
    let scope = crate::server::observations::scope::Scope::of(&user)?;
    crate::server::statistics::query::dashboard(
        &state.db,
        scope,
        &filter.unwrap_or_default(),
        user.locale,
        crate::server::observations::today(),
    )
    .await
}

/// Public on purpose (the transparency page needs no account): aggregates only, every count
/// below five hidden, computed from the cube at most every few minutes.
#[server(prefix = "/api", endpoint = "get_transparency")]
pub async fn get_transparency() -> Result<Transparency, AppError> {
    let state = crate::server::state()?;
    let context = crate::server::auth::request_context().await?;
    crate::server::statistics::public::transparency(
        &state.db,
        &state.public_figures,
        context.locale,
    )
    .await
}
