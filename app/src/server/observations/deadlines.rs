//! The deadline job: referrals past their running deadline and a grace period are escalated
//! to the NHRC by the system, once per referral (the `auto_escalated` flag is set in the same
//! conditional update, so two server instances cannot both do it).

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::{NewEvent, append_event, audit, holidays};
use crate::domain::calendar::escalation_due;
use crate::domain::lifecycle::ReferralStatus;
use crate::domain::notification::Template;
use crate::domain::observation::Visibility;
use crate::error::AppError;
use crate::server::entities::{observation, referral};
use crate::server::outbox::{self, Notice};

pub const AUTO_ESCALATE: &str = "auto_escalate";

/// Escalates what is due on `today`; returns how many referrals it escalated.
pub async fn escalate_overdue(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let holidays = holidays(db).await?;
    let open: Vec<&str> = ReferralStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    let candidates = referral::Entity::find()
        .filter(referral::Column::AutoEscalated.eq(false))
        .filter(referral::Column::Status.is_in(open))
        .all(db)
        .await?;
    let mut escalated = 0;
    for row in candidates {
        let Some(status) = ReferralStatus::parse(&row.status) else {
            continue;
        };
        if !escalation_due(status, row.ack_due, row.respond_due, today, &holidays) {
            continue;
        }
        let now = Utc::now();
        let txn = db.begin().await?;
        let changed = referral::Entity::update_many()
            .col_expr(
                referral::Column::Status,
                Expr::value(ReferralStatus::Escalated.as_str()),
            )
            .col_expr(referral::Column::AutoEscalated, Expr::value(true))
            .col_expr(referral::Column::UpdatedAt, Expr::value(now))
            .filter(referral::Column::Id.eq(row.id))
            .filter(referral::Column::Status.eq(row.status.as_str()))
            .filter(referral::Column::AutoEscalated.eq(false))
            .exec(&txn)
            .await?;
        if changed.rows_affected == 0 {
            continue;
        }
        append_event(
            &txn,
            NewEvent {
                observation_id: row.observation_id,
                referral_id: Some(row.id),
                actor: None,
                kind: AUTO_ESCALATE,
                from_status: Some(&row.status),
                to_status: Some(ReferralStatus::Escalated.as_str()),
                note: None,
                visibility: Visibility::Everyone,
            },
        )
        .await?;
        audit(&txn, None, AUTO_ESCALATE, "referral", row.id, None).await?;
        if let Some(observation) = observation::Entity::find_by_id(row.observation_id)
            .one(&txn)
            .await?
        {
            outbox::enqueue(
                &txn,
                Notice {
                    template: Template::Escalated,
                    observation: &observation,
                    institution_id: Some(row.institution_id),
                    status: Some(format!("status-ref-{}", ReferralStatus::Escalated.as_str())),
                    actor: None,
                },
            )
            .await?;
        }
        txn.commit().await?;
        escalated += 1;
    }
    Ok(escalated)
}

/// Runs the job now and then every `every`, for as long as the server runs.
pub async fn run(db: DatabaseConnection, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match escalate_overdue(&db, super::today()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(escalated = n, "overdue referrals escalated"),
            Err(error) => tracing::warn!(%error, "deadline job failed"),
        }
    }
}
