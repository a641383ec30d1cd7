//! Observations and referrals: lists, details, the filing form's data, and every lifecycle
//! action. Each function authorises first, then reads through the one scoped access path
//! (`server::observations::scope`), so a record outside the caller's scope answers 404.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::reference::{CategorySummary, InstitutionSummary, RegionSummary};
#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::domain::observation::ObservationInput;
use crate::error::AppError;

/// The filters of a list, exactly as they appear in the page's URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFilter {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// `YYYY-MM-DD`, on the submission (or forwarding) date.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub overdue: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationSummary {
    pub id: String,
    pub reference: Option<String>,
    pub title: String,
    pub status: String,
    pub category: String,
    pub region: String,
    /// Acronyms of the institutions it was forwarded to (or named by the filer, before).
    pub institutions: Vec<String>,
    pub submitted_on: Option<String>,
    /// NHRC only.
    pub organisation: Option<String>,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub forwarded_on: String,
    pub due: Option<String>,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub kind: String,
    /// A person's name for the NHRC; a role for everyone else.
    pub actor: String,
    pub actor_role: String,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub visibility: String,
    pub at: String,
    /// The institution of the referral the event belongs to (not shown to liaisons).
    pub institution: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub purpose: String,
    /// NHRC only: the fingerprint of the sealed original, which it may download.
    pub sha256: Option<String>,
}

/// An action the viewer may take now, and whether it needs a note (reason, question, response).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionChoice {
    pub action: String,
    pub note_required: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralCard {
    pub id: String,
    pub institution: String,
    pub institution_name: String,
    pub status: String,
    /// The released version; NHRC only (the CSO keeps the original).
    pub released_title: Option<String>,
    pub released_description: Option<String>,
    /// NHRC only: the names of the evidence files shared with the institution.
    pub released_files: Vec<String>,
    pub ack_due: String,
    pub respond_due: String,
    pub overdue: bool,
    pub actions: Vec<ActionChoice>,
}

/// An observation as its filing organisation and the NHRC see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationDetail {
    pub id: String,
    pub reference: Option<String>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub sensitive: bool,
    pub named_institutions: Vec<String>,
    pub region: String,
    pub cercle: String,
    pub place: String,
    pub incident_date: String,
    pub affected: [i32; 4],
    pub protection: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub organisation: String,
    pub status: String,
    pub resolution: Option<String>,
    pub actions: Vec<ActionChoice>,
    pub referrals: Vec<ReferralCard>,
    pub events: Vec<EventView>,
    pub attachments: Vec<AttachmentView>,
    /// NHRC only: active institutions it has not been forwarded to yet.
    pub forward_targets: Vec<(String, String)>,
    pub viewer_is_nhrc: bool,
}

/// A referral as the institution's liaison sees it: the released version, and the filer only
/// as far as the protection level allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralDetail {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub region: String,
    pub cercle: String,
    pub place: String,
    pub incident_date: String,
    pub affected: [i32; 4],
    pub organisation: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub status: String,
    pub forwarded_on: String,
    pub ack_due: String,
    pub respond_due: String,
    pub overdue: bool,
    pub actions: Vec<ActionChoice>,
    pub events: Vec<EventView>,
    pub attachments: Vec<AttachmentView>,
}

/// What the filing form needs: the draft's values (or a fresh form token) and the choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingForm {
    pub id: Option<String>,
    pub form_token: String,
    pub values: ObservationInput,
    pub evidence: Vec<AttachmentView>,
    pub categories: Vec<CategorySummary>,
    pub institutions: Vec<InstitutionSummary>,
    pub regions: Vec<RegionSummary>,
}

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
            crate::api::checked(&confirm_title),
            crate::api::checked(&confirm_description),
            crate::api::checked(&confirm_place),
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

/// The choices of the list filters, in the viewer's language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListChoices {
    pub categories: Vec<(String, String)>,
    pub institutions: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    /// Whether the viewer may file observations (CSO members and coordinators).
    #[serde(default)]
    pub can_file: bool,
}

#[server(prefix = "/api", endpoint = "list_choices")]
pub async fn get_list_choices() -> Result<ListChoices, AppError> {
    let (state, user) = crate::server::auth::require(ALL_CASE_ROLES).await?;
    let mut choices = crate::server::observations::listing::choices(&state.db, user.locale).await?;
    choices.can_file = matches!(user.role, Role::CsoMember | Role::CsoCoordinator);
    Ok(choices)
}
