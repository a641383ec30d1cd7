//! Institutions (the security services observations are about) as admins see and maintain
//! them: their names, their deadlines for acknowledging and responding, and whether they may
//! receive referrals at all.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::{bilingual, collation_key, parse_id, pick};
use crate::domain::Locale;
use crate::domain::institution::InstitutionKind;
use crate::error::AppError;
use crate::model::reference::{InstitutionSummary, NewInstitution};
use crate::server::entities::institution;

pub const DEFAULT_ACK_DAYS: i32 = 5;

pub const DEFAULT_RESPOND_DAYS: i32 = 30;

pub async fn institutions(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<InstitutionSummary>, AppError> {
    let rows = institution::Entity::find().all(db).await?;
    let mut list: Vec<InstitutionSummary> = rows
        .into_iter()
        .filter_map(|i| {
            // Only the reference CSV and the admin's checked form write a kind: another is a
            // corrupt row, left out of every list rather than shown as some other kind.
            let Some(kind) = InstitutionKind::parse(&i.kind) else {
                tracing::warn!(institution = %i.id, kind = %i.kind, "unknown institution kind");
                return None;
            };
            Some(InstitutionSummary {
                id: i.id.to_string(),
                acronym: i.acronym,
                name: pick(locale, i.name_fr.clone(), i.name_en.clone()),
                name_fr: i.name_fr,
                name_en: i.name_en,
                kind,
                ack_days: i.ack_days,
                respond_days: i.respond_days,
                active: i.active,
                receives_referrals: i.receives_referrals,
            })
        })
        .collect();
    // Every list shows an institution by its acronym first ("DGPN — Police nationale"): sorted
    // by it, the same way in both databases (case and accents aside).
    list.sort_by_cached_key(|i| (collation_key(&i.acronym), i.acronym.clone()));
    Ok(list)
}

/// The institutions a filer or a tipster may name: active ones that receive referrals (the
/// CNDH and the bodies outside the security services are not offered), by name in the
/// reader's language within each kind.
pub async fn receiving_institutions(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<InstitutionSummary>, AppError> {
    let mut list: Vec<InstitutionSummary> = institutions(db, locale)
        .await?
        .into_iter()
        .filter(|i| i.active && i.receives_referrals)
        .collect();
    // The security services first, in the order of the kinds (police and gendarmerie, which
    // most observations concern, on top), then by name: on a phone the likely choice is at
    // hand without scrolling.
    list.sort_by_cached_key(|i| {
        let kind = InstitutionKind::ALL.iter().position(|k| *k == i.kind);
        (kind, collation_key(&i.name), i.acronym.clone())
    });
    Ok(list)
}

pub async fn institution_name(
    db: &DatabaseConnection,
    id: Uuid,
    locale: Locale,
) -> Result<Option<String>, AppError> {
    Ok(institution::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|i| pick(locale, i.name_fr, i.name_en)))
}

#[tracing::instrument(skip_all)]
pub async fn update_institution(
    db: &DatabaseConnection,
    id: &str,
    ack_days: &str,
    respond_days: &str,
    names: Option<(&str, &str)>,
    active: bool,
    receives_referrals: bool,
) -> Result<(), AppError> {
    let parse_days = |value: &str, field: &str| {
        value
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| AppError::field(field, "error-days-invalid"))
    };
    let ack = parse_days(ack_days, "ack_days")?;
    let respond = parse_days(respond_days, "respond_days")?;
    // A referral is overdue once the earlier of its two deadlines passes, and the liaison's
    // inbox sorts a forwarded one by its acknowledgement deadline: the two agree only while
    // acknowledging is due no later than responding.
    if ack > respond {
        return Err(AppError::field("ack_days", "error-ack-after-respond"));
    }
    let row = institution::Entity::find_by_id(parse_id(id)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut model: institution::ActiveModel = row.into();
    model.ack_days = Set(ack);
    model.respond_days = Set(respond);
    model.active = Set(active);
    model.receives_referrals = Set(receives_referrals);
    if let Some((name_fr, name_en)) = names {
        let (fr, en) = bilingual(name_fr, name_en)?;
        model.name_fr = Set(fr);
        model.name_en = Set(en);
    }
    model.update(db).await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn create_institution(
    db: &DatabaseConnection,
    input: NewInstitution,
) -> Result<(), AppError> {
    let acronym = input.acronym.trim();
    if acronym.is_empty() || acronym.chars().count() > 30 {
        return Err(AppError::field("acronym", "error-required"));
    }
    let (name_fr, name_en) = bilingual(&input.name_fr, &input.name_en)?;
    let kind = InstitutionKind::parse(&input.kind)
        .ok_or_else(|| AppError::field("kind", "error-kind-invalid"))?;
    if institution::Entity::find()
        .filter(institution::Column::Acronym.eq(acronym))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("acronym", "error-institution-exists"));
    }
    institution::ActiveModel {
        id: Set(Uuid::new_v4()),
        acronym: Set(acronym.to_string()),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        kind: Set(kind.as_str().to_string()),
        parent_acronym: Set(Some(input.parent_acronym.trim().to_string()).filter(|p| !p.is_empty())),
        ack_days: Set(DEFAULT_ACK_DAYS),
        respond_days: Set(DEFAULT_RESPOND_DAYS),
        active: Set(true),
        receives_referrals: Set(input.receives_referrals),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
