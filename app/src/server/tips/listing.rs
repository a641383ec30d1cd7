//! The NHRC's queue of tips, and a tip's evidence file.

use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use uuid::Uuid;

use super::Names;
use crate::domain::tip::TipStatus;
use crate::error::AppError;
use crate::model::tip::TipSummary;
use crate::server::auth::CurrentUser;
use crate::server::entities::{tip, tip_file};
use crate::server::observations::scope::{self, Scope};

/// The NHRC's queue: open tips first (those with news on top), then closed ones; those within
/// the viewer's scope only.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<Vec<TipSummary>, AppError> {
    let rows = scope::tips(Scope::of(user)?)
        .order_by_desc(tip::Column::UpdatedAt)
        .all(db)
        .await?;
    let names = Names::load(db, user.locale).await?;
    let rank = |status: TipStatus| match status {
        TipStatus::New | TipStatus::Answered => 0,
        TipStatus::AwaitingReply => 1,
        TipStatus::TakenUp | TipStatus::Closed => 2,
    };
    let mut rows: Vec<_> = rows
        .into_iter()
        .map(|r| (super::status_of(&r), r))
        .collect();
    rows.sort_by_key(|(status, _)| rank(*status));
    Ok(rows
        .into_iter()
        .map(|(status, r)| TipSummary {
            id: r.id.to_string(),
            received_on: r.created_at.format("%Y-%m-%d").to_string(),
            status,
            category: names.category(r.category_id),
            institution: names.institution(r.institution_id),
            region: names.region(r.region_code.as_deref()),
            excerpt: r.body.chars().take(140).collect(),
        })
        .collect())
}

/// A tip's evidence file for the NHRC, of a tip within the viewer's scope (audited by the
/// caller's route); any other is missing.
pub async fn file(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
) -> Result<tip_file::Model, AppError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let row = tip_file::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    scope::tip(db, Scope::of(user)?, row.tip_id).await?;
    Ok(row)
}
