//! The thematic categories of observations: in their order for admins, by name for forms and
//! filters; which are sensitive.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryOrder};
use uuid::Uuid;

use super::{bilingual, collation_key, parse_id};
use crate::domain::Locale;
use crate::error::AppError;
use crate::model::reference::CategorySummary;
use crate::server::entities::category;

pub async fn categories(db: &DatabaseConnection) -> Result<Vec<CategorySummary>, AppError> {
    let rows = category::Entity::find()
        .order_by_asc(category::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| CategorySummary {
            id: c.id.to_string(),
            code: c.code,
            name_fr: c.name_fr,
            name_en: c.name_en,
            sensitive: c.sensitive,
            active: c.active,
        })
        .collect())
}

/// The code of the catch-all category loaded with the reference data.
const OTHER: &str = "other";

/// The categories as forms and filters offer them: by name in the reader's language, with
/// "other" last where a reader looks for it after the named ones.
pub async fn categories_by_name(
    db: &DatabaseConnection,
    locale: Locale,
) -> Result<Vec<CategorySummary>, AppError> {
    let mut list = categories(db).await?;
    list.sort_by_cached_key(|c| {
        let name = match locale {
            Locale::Fr => &c.name_fr,
            Locale::En => &c.name_en,
        };
        (c.code == OTHER, collation_key(name), c.id.clone())
    });
    Ok(list)
}

#[tracing::instrument(skip_all)]
pub async fn update_category(
    db: &DatabaseConnection,
    id: &str,
    name_fr: &str,
    name_en: &str,
    sensitive: bool,
    active: bool,
) -> Result<(), AppError> {
    if name_fr.trim().is_empty() {
        return Err(AppError::field("name_fr", "error-required"));
    }
    if name_en.trim().is_empty() {
        return Err(AppError::field("name_en", "error-required"));
    }
    let row = category::Entity::find_by_id(parse_id(id)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let recount = row.sensitive != sensitive;
    let mut model: category::ActiveModel = row.into();
    model.name_fr = Set(name_fr.trim().to_string());
    model.name_en = Set(name_en.trim().to_string());
    model.sensitive = Set(sensitive);
    model.active = Set(active);
    model.update(db).await?;
    // The statistics count each case as sensitive or not: recount them all.
    if recount {
        crate::server::statistics::rebuild(db).await?;
    }
    Ok(())
}

/// A new category, after the existing ones; its code is generated and never shown.
#[tracing::instrument(skip_all)]
pub async fn create_category(
    db: &DatabaseConnection,
    name_fr: &str,
    name_en: &str,
    sensitive: bool,
) -> Result<(), AppError> {
    let (name_fr, name_en) = bilingual(name_fr, name_en)?;
    let last = category::Entity::find()
        .order_by_desc(category::Column::Position)
        .one(db)
        .await?;
    category::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(format!(
            "custom_{}",
            &Uuid::new_v4().simple().to_string()[..12]
        )),
        name_fr: Set(name_fr),
        name_en: Set(name_en),
        sensitive: Set(sensitive),
        position: Set(last.map_or(0, |c| c.position + 1)),
        active: Set(true),
    }
    .insert(db)
    .await?;
    Ok(())
}
