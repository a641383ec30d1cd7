//! The figures: the dashboard, scoped on the server (NHRC staff see everything, a liaison their
//! institution's referral measures, a CSO its own observations).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::domain::statistics::{Dashboard, DashboardFilter};
use crate::error::AppError;

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
