//! Places: Mali's regions (fixed) and their cercles (admins add and remove them), in the
//! order a reader expects.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::{parse_id, pick};
use crate::domain::Locale;
use crate::error::AppError;
use crate::model::reference::{CercleSummary, RegionSummary};
use crate::server::entities::{cercle, region};

pub async fn regions(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<RegionSummary>, AppError> {
    let rows = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(db)
        .await?;
    let cercles = cercle::Entity::find()
        .order_by_asc(cercle::Column::Name)
        .all(db)
        .await?;
    let mut regions: Vec<RegionSummary> = rows
        .into_iter()
        .map(|r| RegionSummary {
            cercles: cercles
                .iter()
                .filter(|c| c.region_code == r.code)
                .map(|c| CercleSummary {
                    id: c.id.to_string(),
                    name: c.name.clone(),
                })
                .collect(),
            code: r.code,
            name: pick(locale, r.name_fr, r.name_en),
        })
        .collect();
    // By name in the reader's language (Kayes, Kidal, Koulikoro… not by code).
    regions.sort_by_cached_key(|r| (collation_key(&r.name), r.code.clone()));
    Ok(regions)
}

/// A name as it sorts for a reader: case and accents aside ("Ségou" between "Mopti" and
/// "Sikasso", "Ménaka" beside "Mopti").
pub fn collation_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

#[tracing::instrument(skip_all)]
pub async fn add_cercle(
    db: &DatabaseConnection,
    region_code: &str,
    name: &str,
) -> Result<(), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("name", "error-required"));
    }
    if region::Entity::find_by_id(region_code.to_string())
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::field("region_code", "error-region-invalid"));
    }
    let existing = cercle::Entity::find()
        .filter(cercle::Column::RegionCode.eq(region_code))
        .filter(cercle::Column::Name.eq(name))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(AppError::field("name", "error-cercle-exists"));
    }
    cercle::ActiveModel {
        id: Set(Uuid::new_v4()),
        region_code: Set(region_code.to_string()),
        name: Set(name.to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn delete_cercle(db: &DatabaseConnection, id: &str) -> Result<(), AppError> {
    let result = cercle::Entity::delete_by_id(parse_id(id)?).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
