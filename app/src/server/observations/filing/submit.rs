//! Submitting a draft: within the organisation's daily quota, with the next public reference
//! of the year, recorded as a status change.

use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use crate::domain::lifecycle::{ObservationAction, ObservationStatus, observation_transition};
use crate::domain::notification::Template;
use crate::domain::observation::{self as rules, Visibility};
use crate::error::AppError;
use crate::server::auth::CurrentUser;
use crate::server::entities::{observation, organisation, reference_counter};
use crate::server::observations::record::{Audit, Change, Event, Guarded, Status, Target, record};

/// The next public reference of the year (`OBS-2026-000124`), inside the caller's transaction.
pub async fn next_reference(
    txn: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> Result<String, AppError> {
    let year = now.year();
    reference_counter::Entity::insert(reference_counter::ActiveModel {
        year: Set(year),
        last: Set(0),
    })
    .on_conflict_do_nothing_on([reference_counter::Column::Year])
    .exec(txn)
    .await?;
    reference_counter::Entity::update_many()
        .col_expr(
            reference_counter::Column::Last,
            Expr::col(reference_counter::Column::Last).add(1),
        )
        .filter(reference_counter::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let number = reference_counter::Entity::find_by_id(year)
        .one(txn)
        .await?
        .map(|c| c.last)
        .ok_or_else(|| crate::server::unexpected("reference counter missing"))?;
    Ok(rules::reference(year, number))
}

/// Observations the organisation submitted since midnight (UTC).
async fn submitted_today(
    db: &impl ConnectionTrait,
    organisation_id: Uuid,
) -> Result<u64, AppError> {
    let midnight = Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(Utc::now);
    Ok(observation::Entity::find()
        .filter(observation::Column::OrganisationId.eq(organisation_id))
        .filter(observation::Column::SubmittedAt.gte(midnight))
        .count(db)
        .await?)
}

async fn daily_quota(db: &impl ConnectionTrait, organisation_id: Uuid) -> Result<u64, AppError> {
    Ok(organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .map_or(0, |o| u64::try_from(o.daily_filing_quota).unwrap_or(0)))
}

/// Whether the organisation has used up today's submissions (checked before a submitting
/// form is read, so that a refusal writes nothing).
#[tracing::instrument(skip_all, fields(organisation = %organisation_id))]
pub async fn quota_reached(
    db: &DatabaseConnection,
    organisation_id: Uuid,
) -> Result<bool, AppError> {
    Ok(submitted_today(db, organisation_id).await? >= daily_quota(db, organisation_id).await?)
}

/// Draft → submitted, with the next public reference of the year, in one transaction.
#[tracing::instrument(skip_all, fields(actor = %user.id, observation = %id))]
pub(super) async fn submit(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(), AppError> {
    let from = ObservationStatus::Draft;
    let transition = observation_transition(from, user.role, ObservationAction::Submit)
        .ok_or(AppError::Forbidden)?;
    let txn = crate::server::db::begin_write(db).await?;
    let now = Utc::now();
    // Written first and only while still a draft: of two concurrent submits, one wins.
    let Some(moved) = Guarded::observation(id, from, transition.to, now)
        .set(observation::Column::SubmittedAt, Expr::value(now))
        .set(observation::Column::ListedAt, Expr::value(now))
        .apply(&txn)
        .await?
    else {
        return Ok(());
    };
    // Counted after this submission's own write, inside the transaction: past the quota, the
    // whole submission rolls back (the draft stays).
    let row = observation::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if submitted_today(&txn, row.organisation_id).await?
        > daily_quota(&txn, row.organisation_id).await?
    {
        return Err(AppError::QuotaReached);
    }
    let reference = next_reference(&txn, now).await?;
    observation::Entity::update_many()
        .col_expr(observation::Column::Reference, Expr::value(reference))
        .filter(observation::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    record(
        &txn,
        moved,
        Change {
            actor: Some(user),
            status: Status::Observation {
                from: Some(from),
                to: transition.to,
            },
            event: Event {
                kind: ObservationAction::Submit.into(),
                note: None,
                visibility: Visibility::CsoNhrc,
            },
            audit: Audit {
                action: "submit",
                target: Target::Moved,
                detail: None,
            },
            notify: Some(Template::Submitted),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
