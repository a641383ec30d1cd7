//! Public holidays, skipped when deadlines are counted in working days.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::{bilingual, parse_id, pick};
use crate::domain::Locale;
use crate::error::AppError;
use crate::model::reference::HolidaySummary;
use crate::server::entities::holiday;

pub async fn holidays(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<HolidaySummary>, AppError> {
    let rows = holiday::Entity::find()
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|h| HolidaySummary {
            id: h.id.to_string(),
            day: h.day.to_string(),
            name: pick(locale, h.name_fr, h.name_en),
        })
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn add_holiday(
    db: &DatabaseConnection,
    day: &str,
    name_fr: &str,
    name_en: &str,
) -> Result<(), AppError> {
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("day", "error-date-invalid"))?;
    let (name_fr, name_en) = bilingual(name_fr, name_en)?;
    if holiday::Entity::find()
        .filter(holiday::Column::Day.eq(date))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("day", "error-holiday-exists"));
    }
    holiday::ActiveModel {
        id: Set(Uuid::new_v4()),
        day: Set(date),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        kind: Set("added".to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn delete_holiday(db: &DatabaseConnection, id: &str) -> Result<(), AppError> {
    let result = holiday::Entity::delete_by_id(parse_id(id)?)
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
