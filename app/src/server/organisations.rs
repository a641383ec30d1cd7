//! Organisations (the civil-society organisations that file observations) as admins create and
//! maintain them: their contact, whether they may file, and their daily filing quota.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::reference::parse_id;
use crate::domain::validate_email;
use crate::error::AppError;
use crate::model::reference::{NewOrganisation, OrganisationSummary};
use crate::server::entities::{organisation, region};

pub async fn organisations(db: &DatabaseConnection) -> Result<Vec<OrganisationSummary>, AppError> {
    let rows = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| OrganisationSummary {
            id: o.id.to_string(),
            name: o.name,
            acronym: o.acronym,
            region_code: o.region_code,
            is_womens_organisation: o.is_womens_organisation,
            active: o.active,
            daily_filing_quota: o.daily_filing_quota,
        })
        .collect())
}

pub async fn organisation_name(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<String>, AppError> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|o| o.name))
}

#[tracing::instrument(skip_all)]
pub async fn create_organisation(
    db: &DatabaseConnection,
    input: NewOrganisation,
) -> Result<Uuid, AppError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::field("name", "error-required"));
    }
    let email = input.contact_email.trim();
    if !email.is_empty() && validate_email(email).is_err() {
        return Err(AppError::field("contact_email", "error-email-invalid"));
    }
    let region_code = Some(input.region_code.trim().to_string()).filter(|r| !r.is_empty());
    if let Some(code) = &region_code {
        if region::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .is_none()
        {
            return Err(AppError::field("region_code", "error-region-invalid"));
        }
    }
    if organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("name", "error-organisation-exists"));
    }
    let id = Uuid::new_v4();
    organisation::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        acronym: Set(Some(input.acronym.trim().to_string()).filter(|a| !a.is_empty())),
        region_code: Set(region_code),
        is_womens_organisation: Set(input.is_womens_organisation),
        contact_email: Set(Some(email.to_lowercase()).filter(|e| !e.is_empty())),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The largest daily quota an admin may set: a typo must not lift the limit altogether.
pub const MAX_DAILY_QUOTA: i32 = 10_000;

#[tracing::instrument(skip_all, fields(admin = %admin.id))]
pub async fn set_organisation_quota(
    db: &DatabaseConnection,
    admin: &crate::server::auth::CurrentUser,
    id: &str,
    quota: &str,
) -> Result<(), AppError> {
    use crate::server::audit::{self, NewEntry};
    let quota: i32 = quota
        .trim()
        .parse()
        .ok()
        .filter(|q| (0..=MAX_DAILY_QUOTA).contains(q))
        .ok_or_else(|| AppError::field("quota", "error-quota-invalid"))?;
    let row = organisation::Entity::find_by_id(parse_id(id)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::server::db::begin_write(db).await?;
    let organisation_id = row.id;
    let mut model: organisation::ActiveModel = row.into();
    model.daily_filing_quota = Set(quota);
    model.update(&txn).await?;
    audit::append(
        &txn,
        NewEntry::by(
            Some(admin),
            "quota_changed",
            "organisation",
            organisation_id,
        )
        .detail(quota.to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn set_organisation_active(
    db: &DatabaseConnection,
    id: &str,
    active: bool,
) -> Result<(), AppError> {
    let id = parse_id(id)?;
    if id == crate::server::tips::TIPS_ORGANISATION_ID {
        // The home of converted tips never gets members.
        return Err(AppError::NotFound);
    }
    let row = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut model: organisation::ActiveModel = row.into();
    model.active = Set(active);
    model.update(db).await?;
    Ok(())
}
