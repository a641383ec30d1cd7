//! Lifecycle actions. Each checks the transition table of `domain::lifecycle` for the
//! caller's role and the record's status, then moves the status and records the change
//! ([`super::record`]) in one transaction. The status is updated only if it is still the
//! one checked, so two people acting at once cannot both move it; the second is told the page
//! is out of date, not that the action is forbidden.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, SqlErr,
};
use uuid::Uuid;

use super::record::{Audit, Change, Event, Guarded, Status, Target, record};
use super::scope::{self, Scope};
use super::{NewEvent, append_event, audit, holidays, today};
use crate::domain::calendar::{add_working_days, list_due, working_days_between};
use crate::domain::lifecycle::{
    EventKind, ObservationAction, ObservationStatus, ReferralAction, ReferralStatus,
    observation_allowed_somewhere, observation_transition, referral_allowed_somewhere,
    referral_transition,
};
use crate::domain::notification::Template;
use crate::domain::observation::{self as rules, Resolution, Visibility};
use crate::error::{AppError, FieldError};
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    attachment, institution, observation, observation_event, referral, referral_attachment,
};

fn note_of(note: &str, required: bool) -> Result<Option<&str>, AppError> {
    let note = note.trim();
    if note.chars().count() > rules::NOTE_MAX {
        return Err(AppError::field("note", "error-too-long"));
    }
    if required && note.is_empty() {
        return Err(AppError::field("note", "error-note-required"));
    }
    Ok(Some(note).filter(|n| !n.is_empty()))
}

/// Someone else changed it first: the page is out of date.
fn stale() -> AppError {
    AppError::field("action", "error-stale")
}

/// An action the table refuses from the record's current status. If the caller may do it
/// from another status, the record moved on since their page was drawn (a second click, two
/// people at once): out of date. Otherwise it is not theirs to do.
fn refused(allowed_somewhere: bool) -> AppError {
    if allowed_somewhere {
        stale()
    } else {
        AppError::Forbidden
    }
}

#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty))]
pub async fn observation_action(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
    action: &str,
    note: &str,
    resolution: Option<&str>,
) -> Result<(), AppError> {
    let scope = Scope::of(user)?;
    let row = scope::observation(db, scope, id).await?;
    tracing::Span::current().record("observation", tracing::field::display(row.id));
    let action = ObservationAction::parse(action)
        .filter(|a| *a != ObservationAction::Forward && *a != ObservationAction::Submit)
        .ok_or_else(|| AppError::field("action", "error-action-invalid"))?;
    let from = ObservationStatus::parse(&row.status).ok_or_else(|| stale())?;
    let transition = observation_transition(from, user.role, action)
        .ok_or_else(|| refused(observation_allowed_somewhere(user.role, action)))?;
    let note = note_of(note, transition.note_required)?;
    let resolution = match action {
        ObservationAction::Close => Some(
            resolution
                .and_then(Resolution::parse)
                .ok_or_else(|| AppError::field("resolution", "error-required"))?,
        ),
        ObservationAction::Withdraw => Some(Resolution::Withdrawn),
        _ => None,
    };

    let txn = crate::server::db::begin_write(db).await?;
    let now = Utc::now();
    let mut update = Guarded::observation(row.id, from, transition.to, now);
    update = match transition.to {
        ObservationStatus::Closed => update
            .set(
                observation::Column::Resolution,
                Expr::value(resolution.map(|r| r.as_str())),
            )
            .set(observation::Column::ClosedAt, Expr::value(Some(now))),
        ObservationStatus::Submitted if action == ObservationAction::Reopen => update
            .set(observation::Column::Resolution, Expr::value(None::<String>))
            .set(
                observation::Column::ClosedAt,
                Expr::value(None::<chrono::DateTime<Utc>>),
            ),
        _ => update,
    };
    let moved = update.apply(&txn).await?.ok_or_else(stale)?;
    // Read after the guarded update, inside the transaction: a forward waits for it (it
    // updates the same observation row) and then finds the case closed, so no referral can
    // open under a closed observation, and the reason check below sees what is really open.
    let open_referrals: Vec<referral::Model> = if transition.to == ObservationStatus::Closed {
        referral::Entity::find()
            .filter(referral::Column::ObservationId.eq(row.id))
            .filter(referral::Column::Status.ne(ReferralStatus::Closed.as_str()))
            .all(&txn)
            .await?
    } else {
        Vec::new()
    };
    // Closing over open referrals needs a reason (DESIGN §4); returning drops the
    // transaction, which undoes the status change.
    if action == ObservationAction::Close && !open_referrals.is_empty() && note.is_none() {
        return Err(AppError::field("note", "error-close-open-referrals"));
    }
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
                kind: action.into(),
                note,
                visibility: Visibility::CsoNhrc,
            },
            audit: Audit {
                action: action.as_str(),
                target: Target::Moved,
                detail: resolution.map(|r| r.as_str().to_string()),
            },
            notify: Template::of_observation_action(action),
        },
    )
    .await?;
    for open in &open_referrals {
        close_referral(&txn, user, open, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A referral closed because its observation was closed or withdrawn: only if it is still in
/// the status just read (an institution acting at the same moment makes the whole closing
/// out of date), with its own event and audit entry. The institution is told its referral
/// was closed (as when the NHRC closes one by itself); the organisation hears of the
/// observation's closing once.
async fn close_referral(
    txn: &DatabaseTransaction,
    user: &CurrentUser,
    open: &referral::Model,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let from = ReferralStatus::parse(&open.status).ok_or_else(stale)?;
    let moved = Guarded::referral(open, from, ReferralStatus::Closed, now)
        .set(referral::Column::ClosedAt, Expr::value(Some(now)))
        .apply(txn)
        .await?
        .ok_or_else(stale)?;
    record(
        txn,
        moved,
        Change {
            actor: Some(user),
            status: Status::Referral {
                id: open.id,
                institution_id: open.institution_id,
                from: Some(from),
                to: ReferralStatus::Closed,
            },
            event: Event {
                kind: EventKind::ClosedWithObservation,
                note: None,
                visibility: Visibility::Everyone,
            },
            audit: Audit {
                action: EventKind::ClosedWithObservation.as_str(),
                target: Target::Moved,
                detail: None,
            },
            notify: Some(Template::ReferralClosed),
        },
    )
    .await
}

/// What the NHRC releases to an institution when forwarding: its own version of the filer's
/// words (possibly redacted), each field confirmed as read, and the evidence files it chose.
pub struct Released<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Empty: no place is released.
    pub place: &'a str,
    /// Whether the NHRC ticked "reviewed" by each released field: title, description, place.
    pub confirmed: [bool; 3],
    /// Ids of the observation's evidence files the institution gets (none unless chosen).
    pub shared_files: &'a [String],
}

/// The boxes that confirm each released field was reviewed: title, description, place.
const CONFIRMATIONS: [&str; 3] = ["confirm_title", "confirm_description", "confirm_place"];

/// The evidence files of observation `observation_id` named by `chosen`, each once; `None`
/// if any is not one of them (an institution's document, another observation's file, no id).
async fn shared_evidence(
    db: &DatabaseConnection,
    observation_id: Uuid,
    chosen: &[String],
) -> Result<Option<Vec<Uuid>>, AppError> {
    // An observation holds ten evidence files at most: a longer list names others.
    if chosen.len() > super::evidence::MAX_FILES {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for id in chosen {
        match Uuid::parse_str(id.trim()) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => return Ok(None),
        }
    }
    if ids.is_empty() {
        return Ok(Some(ids));
    }
    let found = attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids.clone()))
        .filter(attachment::Column::ObservationId.eq(observation_id))
        .filter(attachment::Column::ReferralId.is_null())
        .all(db)
        .await?;
    Ok((found.len() == ids.len()).then_some(ids))
}

#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty, referral = tracing::field::Empty))]
pub async fn forward(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
    institution_id: &str,
    released: Released<'_>,
) -> Result<(), AppError> {
    let scope = Scope::of(user)?;
    let row = scope::observation(db, scope, id).await?;
    tracing::Span::current().record("observation", tracing::field::display(row.id));
    let from = ObservationStatus::parse(&row.status).ok_or_else(stale)?;
    let transition = observation_transition(from, user.role, ObservationAction::Forward)
        .ok_or_else(|| {
            refused(observation_allowed_somewhere(
                user.role,
                ObservationAction::Forward,
            ))
        })?;
    let target = Uuid::parse_str(institution_id.trim())
        .ok()
        .ok_or_else(|| AppError::field("institution_id", "error-required"))?;
    let target = institution::Entity::find_by_id(target)
        .one(db)
        .await?
        .filter(|i| i.active)
        .ok_or_else(|| AppError::field("institution_id", "error-choice-invalid"))?;
    // The CNDH itself and the bodies outside the security services are named for context
    // only: never offered, and refused here when a form is forged.
    if !target.receives_referrals {
        return Err(AppError::field(
            "institution_id",
            "error-institution-not-receiving",
        ));
    }
    let already = referral::Entity::find()
        .filter(referral::Column::ObservationId.eq(row.id))
        .filter(referral::Column::InstitutionId.eq(target.id))
        .one(db)
        .await?;
    // A closed referral (a reopened case) is forwarded again as a new round with fresh
    // deadlines; an open one cannot be forwarded twice.
    if already
        .as_ref()
        .is_some_and(|r| r.status != ReferralStatus::Closed.as_str())
    {
        return Err(AppError::field("institution_id", "error-already-forwarded"));
    }
    // Title and place are one line each (their boxes wrap, so a line break may come in).
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let (title, place) = (one_line(&released.title), one_line(&released.place));
    let (title, place) = (title.as_str(), place.as_str());
    let description = released.description.trim();
    let mut errors = Vec::new();
    let mut refuse = |field: &str, key: &str| {
        errors.push(FieldError {
            field: field.into(),
            key: key.into(),
        })
    };
    if title.is_empty() || title.chars().count() > rules::TITLE_MAX {
        refuse("title", "error-required");
    }
    if description.is_empty() || description.chars().count() > rules::DESCRIPTION_MAX {
        refuse("description", "error-required");
    }
    if place.chars().count() > rules::PLACE_MAX {
        refuse("place", "error-too-long");
    }
    // Nothing of the filer's words goes out unread: each released field is confirmed.
    for (confirm, confirmed) in CONFIRMATIONS.into_iter().zip(released.confirmed) {
        if !confirmed {
            refuse(confirm, "error-release-unconfirmed");
        }
    }
    let shared = match shared_evidence(db, row.id, released.shared_files).await? {
        Some(shared) => shared,
        None => {
            refuse("shared_files", "error-choice-invalid");
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let holidays = holidays(db).await?;
    let today = today();
    let referral_id = already.as_ref().map(|r| r.id).unwrap_or_else(Uuid::new_v4);
    tracing::Span::current().record("referral", tracing::field::display(referral_id));
    let now = Utc::now();

    let txn = crate::server::db::begin_write(db).await?;
    let mut moved = Guarded::observation(row.id, from, transition.to, now)
        .apply(&txn)
        .await?
        .ok_or_else(stale)?;
    let ack_due = add_working_days(today, target.ack_days.max(0) as u32, &holidays);
    let respond_due = add_working_days(today, target.respond_days.max(0) as u32, &holidays);
    let round = referral::ActiveModel {
        id: Set(referral_id),
        observation_id: Set(row.id),
        institution_id: Set(target.id),
        title: Set(title.to_string()),
        description: Set(description.to_string()),
        place: Set((!place.is_empty()).then(|| place.to_string())),
        share_evidence: Set(!shared.is_empty()),
        status: Set(ReferralStatus::Forwarded.as_str().into()),
        forwarded_at: Set(now),
        ack_due: Set(ack_due),
        respond_due: Set(respond_due),
        list_due: Set(list_due(ReferralStatus::Forwarded, ack_due, respond_due)),
        original_respond_due: Set(None),
        acknowledged_at: Set(None),
        responded_at: Set(None),
        auto_escalated: Set(false),
        closed_at: Set(None),
        updated_at: Set(now),
    };
    match already {
        None => round
            .insert(&txn)
            .await
            .map(|_| ())
            .map_err(|err| match err.sql_err() {
                // Forwarded to the same institution by someone else a moment ago (one
                // referral per observation and institution is a unique index).
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    AppError::field("institution_id", "error-already-forwarded")
                }
                _ => AppError::from(err),
            })?,
        Some(closed) => {
            let renewed = Guarded::renewal(round, closed.id, row.id)
                .apply(&txn)
                .await?
                .ok_or_else(stale)?;
            moved = moved.and(renewed);
            // A new round shares what is chosen now, not what the last one did.
            referral_attachment::Entity::delete_many()
                .filter(referral_attachment::Column::ReferralId.eq(referral_id))
                .exec(&txn)
                .await?;
        }
    }
    if !shared.is_empty() {
        referral_attachment::Entity::insert_many(shared.iter().map(|attachment_id| {
            referral_attachment::ActiveModel {
                referral_id: Set(referral_id),
                attachment_id: Set(*attachment_id),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    record(
        &txn,
        moved,
        Change {
            actor: Some(user),
            status: Status::Referral {
                id: referral_id,
                institution_id: target.id,
                from: None,
                to: ReferralStatus::Forwarded,
            },
            event: Event {
                kind: EventKind::Forward,
                note: None,
                visibility: Visibility::Everyone,
            },
            audit: Audit {
                action: "forward",
                target: Target::Moved,
                detail: Some(target.acronym.clone()),
            },
            notify: Some(Template::Forwarded),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty, referral = tracing::field::Empty))]
pub async fn referral_action(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
    action: &str,
    note: &str,
) -> Result<(), AppError> {
    let scope = Scope::of(user)?;
    let (row, _) = scope::referral(db, scope, id).await?;
    tracing::Span::current().record("observation", tracing::field::display(row.observation_id));
    tracing::Span::current().record("referral", tracing::field::display(row.id));
    let action = ReferralAction::parse(action)
        .ok_or_else(|| AppError::field("action", "error-action-invalid"))?;
    let from = ReferralStatus::parse(&row.status).ok_or_else(|| stale())?;
    let transition = referral_transition(from, user.role, action)
        .ok_or_else(|| refused(referral_allowed_somewhere(user.role, action)))?;
    let note = note_of(note, transition.note_required)?;
    let now = Utc::now();
    let mut update = Guarded::referral(&row, from, transition.to, now);
    match action {
        ReferralAction::Acknowledge => {
            update = update.set(referral::Column::AcknowledgedAt, Expr::value(Some(now)));
        }
        ReferralAction::Respond if row.responded_at.is_none() => {
            update = update.set(referral::Column::RespondedAt, Expr::value(Some(now)));
        }
        // A contested response, or one the NHRC sends back, gets a fresh response deadline;
        // the first one is kept, so that the on-time measures still count against it.
        ReferralAction::Contest | ReferralAction::Return => {
            let days = institution::Entity::find_by_id(row.institution_id)
                .one(db)
                .await?
                .map(|i| i.respond_days.max(0) as u32)
                .unwrap_or(0);
            let due = add_working_days(today(), days, &holidays(db).await?);
            let original = row.original_respond_due.unwrap_or(row.respond_due);
            update = update
                .set(referral::Column::RespondDue, Expr::value(due))
                .set(referral::Column::OriginalRespondDue, Expr::value(original));
        }
        // The institution's clock stops while it waits for the organisation's answer: the
        // response deadline moves by the working days since it asked (it could otherwise be
        // escalated for the organisation's delay).
        ReferralAction::Clarify => {
            let asked = observation_event::Entity::find()
                .filter(observation_event::Column::ReferralId.eq(row.id))
                .filter(
                    observation_event::Column::ToStatus.eq(ReferralStatus::InfoRequested.as_str()),
                )
                .order_by_desc(observation_event::Column::CreatedAt)
                .one(db)
                .await?
                .map(|e| e.created_at)
                // Only status changes touch the referral's row: it moved when it asked.
                .unwrap_or(row.updated_at);
            let calendar = holidays(db).await?;
            let waited = working_days_between(asked.date_naive(), today(), &calendar);
            let due = add_working_days(row.respond_due, waited, &calendar);
            update = update.set(referral::Column::RespondDue, Expr::value(due));
            // The first deadline stops too, unless it had passed already when it asked: then
            // it stays as it was (kept aside when it is the running one), so that a question
            // asked late does not make a late answer count as on time.
            let first = row.original_respond_due.unwrap_or(row.respond_due);
            let kept = if asked.date_naive() <= first {
                row.original_respond_due
                    .map(|original| add_working_days(original, waited, &calendar))
            } else {
                Some(first)
            };
            if let Some(kept) = kept {
                update = update.set(referral::Column::OriginalRespondDue, Expr::value(kept));
            }
        }
        ReferralAction::Close => {
            update = update.set(referral::Column::ClosedAt, Expr::value(Some(now)));
        }
        _ => {}
    }

    let txn = crate::server::db::begin_write(db).await?;
    let moved = update.apply(&txn).await?.ok_or_else(stale)?;
    record(
        &txn,
        moved,
        Change {
            actor: Some(user),
            status: Status::Referral {
                id: row.id,
                institution_id: row.institution_id,
                from: Some(from),
                to: transition.to,
            },
            event: Event {
                kind: action.into(),
                note,
                visibility: Visibility::Everyone,
            },
            audit: Audit {
                action: action.as_str(),
                target: Target::Moved,
                detail: None,
            },
            notify: Template::of_referral_action(action),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A note on the timeline. `id` is an observation (NHRC, CSO) or a referral (liaison). The
/// NHRC may address one of the observation's referrals (`referral_id`): only then may everyone
/// concerned, that institution included, read it.
#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty))]
pub async fn add_note(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
    note: &str,
    visibility: Option<&str>,
    referral_id: Option<&str>,
) -> Result<(), AppError> {
    let scope = Scope::of(user)?;
    let (observation_id, referral_id, kind, visibility) = match scope {
        Scope::Institution { .. } => {
            let (row, _) = scope::referral(db, scope, id).await?;
            if row.status == ReferralStatus::Closed.as_str() {
                return Err(stale());
            }
            (
                row.observation_id,
                Some(row.id),
                EventKind::ActionTaken,
                Visibility::Everyone,
            )
        }
        Scope::Nhrc { .. } => {
            let row = scope::observation(db, scope, id).await?;
            let visibility = visibility
                .and_then(Visibility::parse)
                .unwrap_or(Visibility::Nhrc);
            let concerning = match referral_id.map(str::trim).filter(|r| !r.is_empty()) {
                Some(referral_id) => {
                    let (referral, _) = scope::referral(db, scope, referral_id).await?;
                    if referral.observation_id != row.id {
                        return Err(AppError::field("referral_id", "error-choice-invalid"));
                    }
                    Some(referral.id)
                }
                None => None,
            };
            // An observation's own timeline reaches no institution: "everyone" needs one.
            if visibility == Visibility::Everyone && concerning.is_none() {
                return Err(AppError::field(
                    "referral_id",
                    "error-note-institution-required",
                ));
            }
            (row.id, concerning, EventKind::Comment, visibility)
        }
        Scope::Organisation { .. } => {
            let row = scope::observation(db, scope, id).await?;
            if row.status == ObservationStatus::Draft.as_str() {
                return Err(AppError::NotFound);
            }
            (row.id, None, EventKind::Comment, Visibility::CsoNhrc)
        }
    };
    let note = note_of(note, true)?;
    tracing::Span::current().record("observation", tracing::field::display(observation_id));
    let txn = crate::server::db::begin_write(db).await?;
    append_event(
        &txn,
        NewEvent {
            observation_id,
            referral_id,
            actor: Some(user),
            kind,
            note,
            visibility,
        },
    )
    .await?;
    audit(
        &txn,
        Some(user),
        kind.as_str(),
        if referral_id.is_some() {
            "referral"
        } else {
            "observation"
        },
        referral_id.unwrap_or(observation_id),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
