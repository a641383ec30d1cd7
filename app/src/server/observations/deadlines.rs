//! The deadline jobs: reminders before a deadline and notices once it passed (once each), and
//! referrals past their running deadline and a grace period are escalated
//! to the NHRC by the system, once per referral (the `auto_escalated` flag is set in the same
//! conditional update, so two server instances cannot both do it).

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TryInsertResult,
};

use super::holidays;
use super::record::{Audit, Change, Event, Guarded, Status, Target, record};
use crate::domain::calendar::{escalation_due, running_deadline, working_days_between};
use crate::domain::lifecycle::{EventKind, ReferralStatus};
use crate::domain::notification::Template;
use crate::domain::observation::Visibility;
use crate::error::AppError;
use crate::server::entities::{deadline_notice, observation, referral};
use crate::server::outbox::{self, Notice};

/// Escalates what is due on `today`; returns how many referrals it escalated.
#[tracing::instrument(skip_all)]
pub async fn escalate_overdue(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let holidays = holidays(db).await?;
    let candidates = referral::Entity::find()
        .filter(referral::Column::AutoEscalated.eq(false))
        .filter(referral::Column::Status.is_in(ReferralStatus::open_names()))
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
        let txn = crate::server::db::begin_write(db).await?;
        let Some(moved) = Guarded::referral(&row, status, ReferralStatus::Escalated, now)
            .set(referral::Column::AutoEscalated, Expr::value(true))
            .only_if(referral::Column::AutoEscalated.eq(false))
            .apply(&txn)
            .await?
        else {
            continue;
        };
        record(
            &txn,
            moved,
            Change {
                actor: None,
                status: Status::Referral {
                    id: row.id,
                    institution_id: row.institution_id,
                    from: Some(status),
                    to: ReferralStatus::Escalated,
                },
                event: Event {
                    kind: EventKind::AutoEscalate,
                    note: None,
                    visibility: Visibility::Everyone,
                },
                audit: Audit {
                    action: EventKind::AutoEscalate.as_str(),
                    target: Target::Moved,
                    detail: None,
                },
                notify: Some(Template::Escalated),
            },
        )
        .await?;
        txn.commit().await?;
        escalated += 1;
    }
    Ok(escalated)
}

/// Working days before a deadline when its liaisons get a reminder.
pub const REMINDER_DAYS: u32 = 2;

/// Queues, once per referral and deadline, a reminder to the institution's liaisons a few
/// working days before the running deadline, and an overdue notice (liaisons and NHRC) once it
/// has passed. Returns how many notices it queued.
#[tracing::instrument(skip_all)]
pub async fn notify_deadlines(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let holidays = holidays(db).await?;
    let mut queued = 0;
    for row in referral::Entity::find()
        .filter(referral::Column::Status.is_in(ReferralStatus::open_names()))
        .all(db)
        .await?
    {
        let Some(due) = ReferralStatus::parse(&row.status)
            .and_then(|s| running_deadline(s, row.ack_due, row.respond_due))
        else {
            continue;
        };
        let template = if today > due {
            Template::Overdue
        } else if working_days_between(today, due, &holidays) <= REMINDER_DAYS {
            Template::Reminder
        } else {
            continue;
        };
        let txn = crate::server::db::begin_write(db).await?;
        let inserted = deadline_notice::Entity::insert(deadline_notice::ActiveModel {
            referral_id: Set(row.id),
            kind: Set(template.as_str().to_string()),
            due: Set(due),
            created_at: Set(Utc::now()),
        })
        .on_conflict_do_nothing_on([
            deadline_notice::Column::ReferralId,
            deadline_notice::Column::Kind,
            deadline_notice::Column::Due,
        ])
        .exec(&txn)
        .await?;
        if !matches!(inserted, TryInsertResult::Inserted(_)) {
            continue;
        }
        if let Some(observation) = observation::Entity::find_by_id(row.observation_id)
            .one(&txn)
            .await?
        {
            outbox::enqueue(
                &txn,
                Notice {
                    template,
                    observation: &observation,
                    institution_id: Some(row.institution_id),
                    status: Some(format!("status-ref-{}", row.status)),
                    actor: None,
                },
            )
            .await?;
        }
        txn.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Runs the job now and then every `every`, for as long as the server runs.
pub async fn run(db: DatabaseConnection, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if let Err(error) = notify_deadlines(&db, super::today()).await {
            tracing::warn!(%error, "deadline notices failed");
        }
        match escalate_overdue(&db, super::today()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(escalated = n, "overdue referrals escalated"),
            Err(error) => tracing::warn!(%error, "deadline job failed"),
        }
    }
}
