//! Observations and referrals: lists, details, the filing form's data, and every lifecycle
//! action. Each function authorises first, then reads through the one scoped access path
//! (`server::observations::scope`), so a record outside the caller's scope answers 404.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
use crate::model::Page;
use crate::model::observation::{
    FilingForm, ListChoices, ListFilter, ObservationDetail, ObservationSummary,
};
use crate::model::referral::{ReferralDetail, ReferralSummary};

#[cfg(feature = "ssr")]
const CASE_ROLES: &[Role] = &[Role::CsoMember, Role::CsoCoordinator, Role::Monitor];
#[cfg(feature = "ssr")]
const ALL_CASE_ROLES: &[Role] = &[
    Role::CsoMember,
    Role::CsoCoordinator,
    Role::Monitor,
    Role::Liaison,
];

#[server(prefix = "/api", endpoint = "list_observations")]
pub async fn list_observations(
    filter: Option<ListFilter>,
) -> Result<Page<ObservationSummary>, AppError> {
    let (state, user) = crate::server::auth::require(CASE_ROLES).await?;
    crate::server::observations::listing::observations(
        &state.db,
        &user,
        &filter.unwrap_or_default(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "list_referrals")]
pub async fn list_referrals(filter: Option<ListFilter>) -> Result<Page<ReferralSummary>, AppError> {
    let (state, user) = crate::server::auth::require(&[Role::Liaison]).await?;
    crate::server::observations::listing::referrals(&state.db, &user, &filter.unwrap_or_default())
        .await
}

#[server(prefix = "/api", endpoint = "get_observation")]
pub async fn get_observation(id: String) -> Result<ObservationDetail, AppError> {
    let (state, user) = crate::server::auth::require(CASE_ROLES).await?;
    crate::server::observations::detail::observation(&state.db, &user, &id).await
}

#[server(prefix = "/api", endpoint = "get_referral")]
pub async fn get_referral(id: String) -> Result<ReferralDetail, AppError> {
    let (state, user) = crate::server::auth::require(&[Role::Liaison]).await?;
    crate::server::observations::detail::referral(&state.db, &user, &id).await
}

/// The filing form, empty (`id` absent) or with a draft to resume.
#[server(prefix = "/api", endpoint = "filing_form")]
pub async fn get_filing_form(id: Option<String>) -> Result<FilingForm, AppError> {
    let (state, user) =
        crate::server::auth::require(&[Role::CsoMember, Role::CsoCoordinator]).await?;
    crate::server::observations::filing::form(&state.db, &user, id.as_deref()).await
}

#[server(prefix = "/api", endpoint = "observation_action")]
pub async fn observation_action(
    id: String,
    action: String,
    note: Option<String>,
    resolution: Option<String>,
) -> Result<(), AppError> {
    let (state, user) = crate::server::auth::require(CASE_ROLES).await?;
    crate::server::observations::workflow::observation_action(
        &state.db,
        &user,
        &id,
        &action,
        note.as_deref().unwrap_or_default(),
        resolution.as_deref(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "referral_action")]
pub async fn referral_action(
    id: String,
    action: String,
    note: Option<String>,
) -> Result<(), AppError> {
    let (state, user) = crate::server::auth::require(ALL_CASE_ROLES).await?;
    crate::server::observations::workflow::referral_action(
        &state.db,
        &user,
        &id,
        &action,
        note.as_deref().unwrap_or_default(),
    )
    .await
}

/// The NHRC forwards an observation to one institution, with the version it releases: each
/// field confirmed as reviewed (`confirm_*` ticked), and the evidence files it chose
/// (`shared_files[]`, none unless named).
#[server(prefix = "/api", endpoint = "forward_observation")]
#[allow(clippy::too_many_arguments)]
pub async fn forward_observation(
    id: String,
    institution_id: String,
    title: String,
    description: String,
    place: Option<String>,
    confirm_title: Option<String>,
    confirm_description: Option<String>,
    confirm_place: Option<String>,
    shared_files: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::server::observations::workflow::{self, Released};
    let (state, user) = crate::server::auth::require(&[Role::Monitor]).await?;
    let shared_files = shared_files.unwrap_or_default();
    let released = Released {
        title: &title,
        description: &description,
        place: place.as_deref().unwrap_or_default(),
        confirmed: [
            crate::model::checked(&confirm_title),
            crate::model::checked(&confirm_description),
            crate::model::checked(&confirm_place),
        ],
        shared_files: &shared_files,
    };
    workflow::forward(&state.db, &user, &id, &institution_id, released).await
}

/// A note on the timeline: the NHRC chooses who sees it; the CSO's go to the NHRC; a liaison's
/// (on its referral) records an action taken, seen by everyone concerned.
#[server(prefix = "/api", endpoint = "add_note")]
pub async fn add_note(
    id: String,
    note: String,
    visibility: Option<String>,
    referral_id: Option<String>,
) -> Result<(), AppError> {
    let (state, user) = crate::server::auth::require(ALL_CASE_ROLES).await?;
    crate::server::observations::workflow::add_note(
        &state.db,
        &user,
        &id,
        &note,
        visibility.as_deref(),
        referral_id.as_deref(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "list_choices")]
pub async fn get_list_choices() -> Result<ListChoices, AppError> {
    let (state, user) = crate::server::auth::require(ALL_CASE_ROLES).await?;
    let mut choices = crate::server::observations::listing::choices(&state.db, user.locale).await?;
    choices.can_file = matches!(user.role, Role::CsoMember | Role::CsoCoordinator);
    Ok(choices)
}
