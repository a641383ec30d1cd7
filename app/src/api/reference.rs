//! Reference data: institutions, categories, holidays, regions, organisations. Reading the
//! lists needs a signed-in user; changing them is for admins.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::checked;
use crate::model::reference::{
    CategorySummary, HolidaySummary, InstitutionSummary, OrganisationSummary, RegionSummary,
};
#[cfg(feature = "ssr")]
use crate::model::reference::{NewInstitution, NewOrganisation};

#[server(prefix = "/api", endpoint = "list_institutions")]
pub async fn list_institutions() -> Result<Vec<InstitutionSummary>, AppError> {
    use crate::server::{auth, reference};
    let (state, user) = auth::require(&Role::ALL).await?;
    reference::institutions(&state.db, user.locale).await
}

#[server(prefix = "/api", endpoint = "update_institution")]
pub async fn update_institution(
    id: String,
    ack_days: String,
    respond_days: String,
    name_fr: Option<String>,
    name_en: Option<String>,
    active: Option<String>,
    receives_referrals: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    let names = name_fr
        .as_deref()
        .map(|fr| (fr, name_en.as_deref().unwrap_or_default()));
    reference::update_institution(
        &state.db,
        &id,
        &ack_days,
        &respond_days,
        names,
        checked(&active),
        checked(&receives_referrals),
    )
    .await
}

#[server(prefix = "/api", endpoint = "create_institution")]
pub async fn create_institution(
    acronym: String,
    name_fr: String,
    name_en: String,
    kind: String,
    parent_acronym: String,
    receives_referrals: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    let input = NewInstitution {
        acronym,
        name_fr,
        name_en,
        kind,
        parent_acronym,
        receives_referrals: checked(&receives_referrals),
    };
    reference::create_institution(&state.db, input).await
}

#[server(prefix = "/api", endpoint = "list_categories")]
pub async fn list_categories() -> Result<Vec<CategorySummary>, AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&Role::ALL).await?;
    reference::categories(&state.db).await
}

#[server(prefix = "/api", endpoint = "update_category")]
pub async fn update_category(
    id: String,
    name_fr: String,
    name_en: String,
    sensitive: Option<String>,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    reference::update_category(
        &state.db,
        &id,
        &name_fr,
        &name_en,
        checked(&sensitive),
        checked(&active),
    )
    .await
}

#[server(prefix = "/api", endpoint = "create_category")]
pub async fn create_category(
    name_fr: String,
    name_en: String,
    sensitive: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    reference::create_category(&state.db, &name_fr, &name_en, checked(&sensitive)).await
}

#[server(prefix = "/api", endpoint = "list_holidays")]
pub async fn list_holidays() -> Result<Vec<HolidaySummary>, AppError> {
    use crate::server::{auth, reference};
    let (state, user) = auth::require(&Role::ALL).await?;
    reference::holidays(&state.db, user.locale).await
}

#[server(prefix = "/api", endpoint = "add_holiday")]
pub async fn add_holiday(day: String, name_fr: String, name_en: String) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    reference::add_holiday(&state.db, &day, &name_fr, &name_en).await
}

#[server(prefix = "/api", endpoint = "delete_holiday")]
pub async fn delete_holiday(id: String) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    reference::delete_holiday(&state.db, &id).await
}

#[server(prefix = "/api", endpoint = "list_regions")]
pub async fn list_regions() -> Result<Vec<RegionSummary>, AppError> {
    use crate::server::{auth, reference};
    let (state, user) = auth::require(&Role::ALL).await?;
    reference::regions(&state.db, user.locale).await
}

#[server(prefix = "/api", endpoint = "list_organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationSummary>, AppError> {
    use crate::server::{auth, organisations};
    let (state, _) = auth::require(&[Role::Admin, Role::Monitor]).await?;
    organisations::organisations(&state.db).await
}

#[server(prefix = "/api", endpoint = "create_organisation")]
pub async fn create_organisation(
    name: String,
    acronym: String,
    region_code: String,
    is_womens_organisation: Option<String>,
    contact_email: String,
) -> Result<(), AppError> {
    use crate::server::{auth, organisations};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    let input = NewOrganisation {
        name,
        acronym,
        region_code,
        is_womens_organisation: checked(&is_womens_organisation),
        contact_email,
    };
    organisations::create_organisation(&state.db, input).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_organisation_active")]
pub async fn set_organisation_active(id: String, active: String) -> Result<(), AppError> {
    use crate::server::{auth, organisations};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    organisations::set_organisation_active(&state.db, &id, active == "true").await
}

/// Raises (or lowers) an organisation's daily filing quota; audited.
#[server(prefix = "/api", endpoint = "set_organisation_quota")]
pub async fn set_organisation_quota(id: String, quota: String) -> Result<(), AppError> {
    use crate::server::{auth, organisations};
    let (state, admin) = auth::require(&[Role::Admin]).await?;
    organisations::set_organisation_quota(&state.db, &admin, &id, &quota).await
}

#[server(prefix = "/api", endpoint = "add_cercle")]
pub async fn add_cercle(region_code: String, name: String) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    reference::add_cercle(&state.db, &region_code, &name).await
}

#[server(prefix = "/api", endpoint = "delete_cercle")]
pub async fn delete_cercle(id: String) -> Result<(), AppError> {
    use crate::server::{auth, reference};
    let (state, _) = auth::require(&[Role::Admin]).await?;
    reference::delete_cercle(&state.db, &id).await
}
