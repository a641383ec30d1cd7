//! One place that records a status change: [`record`] writes its event, audit entry, notices
//! and statistics from one [`Change`]. It takes the [`Moved`] that only a guarded update returns
//! (`#[must_use]`), so a status cannot move unrecorded, nor be recorded in part.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, IntoCondition, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    UpdateMany,
};
use uuid::Uuid;

use super::{NewEvent, audit, event_row};
use crate::domain::calendar::list_due;
use crate::domain::lifecycle::{EventKind, ObservationStatus, ReferralStatus};
use crate::domain::notification::Template;
use crate::domain::observation::Visibility;
use crate::error::AppError;
use crate::server::auth::CurrentUser;
use crate::server::entities::{observation, referral};
use crate::server::outbox::{self, Notice};
use crate::server::{statistics, unexpected};

/// An update that moves a status only if the row is still as read, so that of two people
/// acting at once only one moves it. Built here for observations and referrals; `new` takes
/// any other such update (a tip claimed for the observation made of it).
#[must_use = "a guarded update changes nothing until it is applied"]
pub struct Guarded<E: EntityTrait> {
    update: UpdateMany<E>,
    observation_id: Uuid,
}

impl Guarded<observation::Entity> {
    /// Observation `id` from `from` to `to`.
    pub fn observation(
        id: Uuid,
        from: ObservationStatus,
        to: ObservationStatus,
        now: DateTime<Utc>,
    ) -> Self {
        Self::new(
            observation::Entity::update_many()
                .col_expr(observation::Column::Status, Expr::value(to.as_str()))
                .col_expr(observation::Column::UpdatedAt, Expr::value(now))
                .filter(observation::Column::Id.eq(id))
                .filter(observation::Column::Status.eq(from.as_str())),
            id,
        )
    }
}

impl Guarded<referral::Entity> {
    /// Referral `row` from `from` to `to`.
    pub fn referral(
        row: &referral::Model,
        from: ReferralStatus,
        to: ReferralStatus,
        now: DateTime<Utc>,
    ) -> Self {
        Self::new(
            referral::Entity::update_many()
                .col_expr(referral::Column::Status, Expr::value(to.as_str()))
                .col_expr(referral::Column::UpdatedAt, Expr::value(now))
                .filter(referral::Column::Id.eq(row.id))
                .filter(referral::Column::Status.eq(from.as_str())),
            row.observation_id,
        )
    }
}

impl Guarded<referral::Entity> {
    /// Closed referral `id` of observation `observation_id` opened for a new round (forwarded
    /// again to the same institution): every column `round` sets, only while still closed.
    pub fn renewal(round: referral::ActiveModel, id: Uuid, observation_id: Uuid) -> Self {
        Self::new(
            referral::Entity::update_many()
                .set(round)
                .filter(referral::Column::Id.eq(id))
                .filter(referral::Column::Status.eq(ReferralStatus::Closed.as_str())),
            observation_id,
        )
    }
}

impl<E: EntityTrait> Guarded<E> {
    /// `update`, already guarded by its filters, moves observation `observation_id`.
    pub fn new(update: UpdateMany<E>, observation_id: Uuid) -> Self {
        Self {
            update,
            observation_id,
        }
    }

    /// Another column the same update sets.
    pub fn set(mut self, column: E::Column, value: impl Into<SimpleExpr>) -> Self {
        self.update = self.update.col_expr(column, value.into());
        self
    }

    /// A further condition the row must still meet.
    pub fn only_if(mut self, condition: impl IntoCondition) -> Self {
        self.update = self.update.filter(condition);
        self
    }

    /// Runs the update in the caller's transaction. `None`: the row changed meanwhile (or is
    /// not there), and nothing was written.
    #[must_use = "a status change must be recorded: pass what moved to `record::record`"]
    pub async fn apply(self, txn: &DatabaseTransaction) -> Result<Option<Moved>, AppError> {
        let result = self.update.exec(txn).await?;
        Ok((result.rows_affected > 0).then_some(Moved {
            observation_id: self.observation_id,
        }))
    }
}

/// A status that moved in the caller's transaction and is not yet recorded. It cannot be made
/// outside this module, and only [`record`] consumes it: a change dropped unrecorded is a
/// compiler warning, and a change recorded is recorded whole. The update itself stays with the
/// service because services work between the two: a forward inserts the referral its event
/// names, a closing reads the referrals still open once its update holds the row.
#[must_use = "a status change must be recorded: pass it to `record::record`"]
pub struct Moved {
    observation_id: Uuid,
}

impl Moved {
    /// Two rows of one case moved by one change (an observation forwarded, and the closed
    /// referral it renews): recorded once, as that change.
    pub fn and(self, other: Moved) -> Moved {
        debug_assert_eq!(self.observation_id, other.observation_id);
        self
    }
}

/// Whose status moved, from what to what (the timeline event's statuses).
#[derive(Clone, Copy)]
pub enum Status {
    /// `from` is None for an observation that is new (made of a tip).
    Observation {
        from: Option<ObservationStatus>,
        to: ObservationStatus,
    },
    /// `from` is None for a referral that is new (a forward).
    Referral {
        id: Uuid,
        institution_id: Uuid,
        from: Option<ReferralStatus>,
        to: ReferralStatus,
    },
}

/// The line on the case's timeline.
pub struct Event<'a> {
    pub kind: EventKind,
    pub note: Option<&'a str>,
    pub visibility: Visibility,
}

/// The audit entry.
pub struct Audit<'a> {
    pub action: &'a str,
    pub target: Target<'a>,
    pub detail: Option<String>,
}

/// The record an audit entry is about.
pub enum Target<'a> {
    /// The observation or referral whose status moved.
    Moved,
    /// Another record (the tip an observation was made of).
    Other { kind: &'a str, id: Uuid },
}

/// One status change, described whole.
pub struct Change<'a> {
    /// None for the system.
    pub actor: Option<&'a CurrentUser>,
    pub status: Status,
    pub event: Event<'a>,
    pub audit: Audit<'a>,
    /// The notice for those concerned (its template names who); None: nobody is told.
    pub notify: Option<Template>,
}

/// Writes, inside the caller's transaction, what a status change leaves behind: the event on
/// the timeline, the audit entry, one outbox row per recipient of the notice, and the
/// observation's counts in the statistics.
#[tracing::instrument(skip_all, fields(observation = %moved.observation_id))]
pub async fn record(
    txn: &DatabaseTransaction,
    moved: Moved,
    change: Change<'_>,
) -> Result<(), AppError> {
    let observation_id = moved.observation_id;
    let (referral_id, institution_id, from, to, status_key) = match change.status {
        Status::Observation { from, to } => (
            None,
            None,
            from.map(|s| s.as_str()),
            to.as_str(),
            to.label_key(),
        ),
        Status::Referral {
            id,
            institution_id,
            from,
            to,
        } => (
            Some(id),
            Some(institution_id),
            from.map(|s| s.as_str()),
            to.as_str(),
            to.label_key(),
        ),
    };
    // First: a new deadline moves the observation's `overdue_from` (by trigger, migration
    // 000018), which locks the observation's row; taken before the audit chain's head, as an
    // observation's own change takes them, so that two changes never wait on each other.
    if let Some(referral_id) = referral_id {
        refresh_list_due(txn, referral_id).await?;
    }
    let mut event = event_row(NewEvent {
        observation_id,
        referral_id,
        actor: change.actor,
        kind: change.event.kind,
        note: change.event.note,
        visibility: change.event.visibility,
    });
    event.from_status = Set(from.map(str::to_string));
    event.to_status = Set(Some(to.to_string()));
    event.insert(txn).await?;
    let (target_kind, target_id) = match (change.audit.target, referral_id) {
        (Target::Other { kind, id }, _) => (kind, id),
        (Target::Moved, Some(referral_id)) => ("referral", referral_id),
        (Target::Moved, None) => ("observation", observation_id),
    };
    audit(
        txn,
        change.actor,
        change.audit.action,
        target_kind,
        target_id,
        change.audit.detail,
    )
    .await?;
    if let Some(template) = change.notify {
        // Read again inside the transaction: what the notice quotes (the reference a
        // submission just gave) is as the change left it.
        let observation = observation::Entity::find_by_id(observation_id)
            .one(txn)
            .await?
            .ok_or_else(|| unexpected("a moved observation is missing"))?;
        outbox::enqueue(
            txn,
            Notice {
                template,
                observation: &observation,
                institution_id,
                status: Some(status_key),
                actor: change.actor,
            },
        )
        .await?;
    }
    statistics::refresh(txn, observation_id).await
}

/// The referral's place in the liaison's list, from the row as the change left it (its status
/// and deadlines, which the guarded update may have moved).
async fn refresh_list_due(txn: &DatabaseTransaction, id: Uuid) -> Result<(), AppError> {
    let row = referral::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| unexpected("a moved referral is missing"))?;
    let status = ReferralStatus::parse(&row.status)
        .ok_or_else(|| unexpected("a referral with an unknown status"))?;
    let due = list_due(status, row.ack_due, row.respond_due);
    if due != row.list_due {
        referral::Entity::update_many()
            .col_expr(referral::Column::ListDue, Expr::value(due))
            .filter(referral::Column::Id.eq(id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::layers::rust_files;

    /// A status written anywhere but here would skip the event, audit entry, notices or
    /// statistics. New rows (a draft, an observation made of a tip, a first referral) are
    /// born with their status; moving one is only done by a `Guarded` update.
    #[test]
    fn statuses_move_only_through_the_recorder() {
        let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server");
        let mut files = Vec::new();
        rust_files(&server, &mut files);
        let forbidden = [
            "observation::Column::Status,",
            "referral::Column::Status,",
            "referral::Entity::update_many(",
            ".status=Set(",
        ];
        let mut found = Vec::new();
        for file in files {
            let relative = file.strip_prefix(&server).expect("under src/server");
            if relative == Path::new("observations/record.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&file).expect("source");
            // Whitespace out, so that a call split over lines is still seen whole.
            let code: String = source
                .lines()
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect::<String>()
                .split_whitespace()
                .collect();
            for pattern in forbidden {
                if code.contains(pattern) {
                    found.push(format!("server/{}: {pattern}", relative.display()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "status written outside observations/record.rs:\n{}",
            found.join("\n")
        );
    }
}
