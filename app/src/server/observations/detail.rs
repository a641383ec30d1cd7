//! One observation as its organisation and the NHRC see it; one referral as its institution
//! sees it. What each viewer may see is decided here and nowhere else in the page: the
//! liaison's version never carries the original text, NHRC-only notes, other institutions'
//! referrals, or the filer unless the protection level allows.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::scope::{self, Scope};
use super::{Names, audit, today};
use crate::domain::Role;
use crate::domain::calendar::{Holidays, is_overdue, running_deadline, working_days_between};
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::{
    EventKind, ObservationAction, ObservationStatus, ReferralAction, ReferralStatus,
    observation_actions, observation_transition, referral_actions, referral_transition,
};
use crate::domain::observation::{DatePrecision, ProtectionLevel, Visibility};
use crate::error::AppError;
use crate::model::observation::{ActionChoice, AttachmentView, EventView, ObservationDetail};
use crate::model::queue::Waiting;
use crate::model::referral::{
    ContestView, DeadlineKind, NextDeadline, ReferralCard, ReferralDetail,
};
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    attachment, observation, observation_event, observation_institution, organisation, referral,
    user,
};
use crate::server::observations::evidence;

fn moment(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

fn day(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn incident(row: &observation::Model) -> String {
    match (
        row.incident_date,
        DatePrecision::parse(&row.incident_precision),
    ) {
        (Some(d), Some(DatePrecision::Month)) => d.format("%Y-%m").to_string(),
        (Some(d), _) => day(d),
        (None, _) => String::new(),
    }
}

/// An attachment as listed; the fingerprint only where the viewer may fetch the original.
/// The size is that of the file its link sends (the cleaned copy).
pub fn attachment_view(a: attachment::Model, with_sha256: bool) -> AttachmentView {
    AttachmentView {
        id: a.id.to_string(),
        name: a.original_name,
        content_type: a.content_type,
        size_bytes: a.clean_size_bytes.unwrap_or(a.size_bytes),
        // Only the two are written; an unknown one is shown as the filer's evidence.
        purpose: AttachmentPurpose::parse(&a.purpose).unwrap_or(AttachmentPurpose::Evidence),
        sha256: with_sha256.then_some(a.sha256),
    }
}

/// The deadline running on a referral, and how far it is (working days, holidays skipped).
pub fn next_deadline(
    row: &referral::Model,
    today: chrono::NaiveDate,
    holidays: &Holidays,
) -> Option<NextDeadline> {
    let due = referral_due(row)?;
    let kind = if ReferralStatus::parse(&row.status) == Some(ReferralStatus::Forwarded)
        && due == row.ack_due
    {
        DeadlineKind::Acknowledge
    } else {
        DeadlineKind::Respond
    };
    Some(NextDeadline {
        kind,
        due: day(due),
        waiting: until(due, today, holidays),
    })
}

/// Working days left until `due`, or past it (the case pages' and the queues' one count).
pub fn until(due: chrono::NaiveDate, today: chrono::NaiveDate, holidays: &Holidays) -> Waiting {
    if today > due {
        Waiting::LateBy(working_days_between(due, today, holidays))
    } else {
        Waiting::DueIn(working_days_between(today, due, holidays))
    }
}

pub fn referral_overdue(row: &referral::Model, today: chrono::NaiveDate) -> bool {
    ReferralStatus::parse(&row.status)
        .is_some_and(|s| is_overdue(s, row.ack_due, row.respond_due, today))
}

pub fn referral_due(row: &referral::Model) -> Option<chrono::NaiveDate> {
    ReferralStatus::parse(&row.status)
        .and_then(|s| running_deadline(s, row.ack_due, row.respond_due))
}

fn referral_choices(status: ReferralStatus, role: Role) -> Vec<ActionChoice<ReferralAction>> {
    referral_actions(status, role)
        .into_iter()
        .filter_map(|a| {
            referral_transition(status, role, a).map(|t| ActionChoice {
                action: a,
                note_required: t.note_required,
            })
        })
        .collect()
}

/// Where a referral stands against its deadlines, and a contest to answer.
struct Progress {
    acknowledged_on: Option<String>,
    responded_on: Option<String>,
    contest: Option<ContestView>,
}

/// The day it was acknowledged; the day of its latest response unless a new one is awaited;
/// while contested, the latest reason and the response it contests. Read from the events every
/// party sees, so nobody learns more here than on their timeline.
async fn progress(
    db: &DatabaseConnection,
    row: &referral::Model,
    status: ReferralStatus,
) -> Result<Progress, AppError> {
    use ReferralStatus as R;
    let latest = |kind: EventKind| {
        observation_event::Entity::find()
            .filter(observation_event::Column::ReferralId.eq(row.id))
            .filter(observation_event::Column::Kind.eq(kind.as_str()))
            .filter(observation_event::Column::Visibility.eq(Visibility::Everyone.as_str()))
            .order_by_desc(observation_event::Column::CreatedAt)
            .one(db)
    };
    let awaiting = matches!(
        status,
        R::Forwarded | R::Acknowledged | R::InProgress | R::InfoRequested | R::Contested
    );
    let response = if row.responded_at.is_some() {
        latest(EventKind::Respond).await?
    } else {
        None
    };
    let responded_on = if awaiting {
        None
    } else {
        response
            .as_ref()
            .map(|e| e.created_at)
            .or(row.responded_at)
            .map(|at| day(at.date_naive()))
    };
    let contest = if status == R::Contested {
        latest(EventKind::Contest)
            .await?
            .and_then(|e| e.note)
            .map(|reason| ContestView {
                reason,
                response: response.and_then(|e| e.note),
            })
    } else {
        None
    };
    Ok(Progress {
        acknowledged_on: row.acknowledged_at.map(|at| day(at.date_naive())),
        responded_on,
        contest,
    })
}

#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn observation(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
) -> Result<ObservationDetail, AppError> {
    let scope = Scope::of(user)?;
    let row = scope::observation(db, scope, id).await?;
    let nhrc = scope.is_nhrc();
    if nhrc {
        audit(db, Some(user), "view", "observation", row.id, None).await?;
    }
    let names = Names::load(db, user.locale).await?;
    let today = today();
    let calendar = super::holidays(db).await?;
    let status = ObservationStatus::parse(&row.status).unwrap_or(ObservationStatus::Draft);
    let referrals = referral::Entity::find()
        .filter(referral::Column::ObservationId.eq(row.id))
        .order_by_asc(referral::Column::ForwardedAt)
        .all(db)
        .await?;
    let acronyms: HashMap<Uuid, String> = referrals
        .iter()
        .map(|r| (r.id, names.acronym(r.institution_id)))
        .collect();
    let named: Vec<Uuid> = observation_institution::Entity::find()
        .filter(observation_institution::Column::ObservationId.eq(row.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.institution_id)
        .collect();
    let visible: &[&str] = if nhrc {
        &["everyone", "cso_nhrc", "nhrc"]
    } else {
        &["everyone", "cso_nhrc"]
    };
    let events = events(
        db,
        observation_event::Entity::find()
            .filter(observation_event::Column::ObservationId.eq(row.id))
            .filter(observation_event::Column::Visibility.is_in(visible.iter().copied())),
        nhrc,
        |e| e.referral_id.and_then(|r| acronyms.get(&r).cloned()),
    )
    .await?;
    let attachments: Vec<AttachmentView> = attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(row.id))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| attachment_view(a, nhrc))
        .collect();
    // Which evidence went to which institution: the NHRC's to know, nobody else's.
    let mut released_files: HashMap<Uuid, Vec<String>> = HashMap::new();
    if nhrc {
        for r in &referrals {
            let shared = scope::shared_with(db, r.id).await?;
            released_files.insert(
                r.id,
                attachments
                    .iter()
                    .filter(|a| shared.iter().any(|s| s.to_string() == a.id))
                    .map(|a| a.name.clone())
                    .collect(),
            );
        }
    }
    let forward_targets =
        if observation_actions(status, user.role).contains(&ObservationAction::Forward) {
            let mut targets: Vec<_> = names
                .institutions()
                .filter(|i| {
                    i.active
                        && i.receives_referrals
                        && !referrals.iter().any(|r| {
                            r.institution_id == i.id && r.status != ReferralStatus::Closed.as_str()
                        })
                })
                .collect();
            targets.sort_by_key(|i| (!named.contains(&i.id), i.acronym.clone()));
            targets
                .into_iter()
                .map(|i| (i.id.to_string(), i.acronym.clone()))
                .collect()
        } else {
            Vec::new()
        };
    let organisation = organisation::Entity::find_by_id(row.organisation_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let mut progresses = HashMap::new();
    for r in &referrals {
        let status = ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Closed);
        progresses.insert(r.id, progress(db, r, status).await?);
    }
    let mut unread_at = Vec::new();
    if nhrc && names.sensitive(row.category_id) {
        for r in referrals
            .iter()
            .filter(|r| r.status != ReferralStatus::Closed.as_str())
        {
            let readers = user::Entity::find()
                .filter(user::Column::InstitutionId.eq(r.institution_id))
                .filter(user::Column::Role.eq(Role::Liaison.as_str()))
                .filter(user::Column::Active.eq(true))
                .filter(user::Column::SensitiveCases.eq(true))
                .count(db)
                .await?;
            if readers == 0 {
                unread_at.push(names.acronym(r.institution_id));
            }
        }
    }
    Ok(ObservationDetail {
        id: row.id.to_string(),
        reference: row.reference.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        category: names.category(row.category_id),
        sensitive: names.sensitive(row.category_id),
        named_institutions: named.iter().map(|i| names.acronym(*i)).collect(),
        region: names.region(row.region_code.as_deref()),
        cercle: names.cercle(row.cercle_id),
        place: row.place.clone(),
        incident_date: incident(&row),
        affected: [
            row.affected_women,
            row.affected_men,
            row.affected_girls,
            row.affected_boys,
        ],
        protection: row.protection.clone(),
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.clone(),
        organisation,
        status,
        resolution: row.resolution.clone(),
        actions: observation_actions(status, user.role)
            .into_iter()
            .filter(|a| !matches!(a, ObservationAction::Submit | ObservationAction::Forward))
            .filter_map(|a| {
                observation_transition(status, user.role, a).map(|t| ActionChoice {
                    action: a,
                    note_required: t.note_required,
                })
            })
            .collect(),
        unread_at,
        referrals: referrals
            .iter()
            .map(|r| {
                let status = ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Closed);
                let progress = progresses.remove(&r.id);
                let (acknowledged_on, responded_on, contest) = match progress {
                    Some(p) => (p.acknowledged_on, p.responded_on, p.contest),
                    None => (None, None, None),
                };
                ReferralCard {
                    id: r.id.to_string(),
                    institution: names.acronym(r.institution_id),
                    institution_name: names.institution(r.institution_id),
                    status,
                    released_title: nhrc.then(|| r.title.clone()),
                    released_description: nhrc.then(|| r.description.clone()),
                    released_files: released_files.remove(&r.id).unwrap_or_default(),
                    ack_due: day(r.ack_due),
                    respond_due: day(r.respond_due),
                    acknowledged_on,
                    responded_on,
                    overdue: referral_overdue(r, today),
                    next_deadline: next_deadline(r, today, &calendar),
                    actions: referral_choices(status, user.role),
                    contest,
                }
            })
            .collect(),
        events,
        attachments,
        forward_targets,
        viewer_is_nhrc: nhrc,
    })
}

/// The timeline rows a query selects, oldest first, with actors named for the NHRC only.
async fn events(
    db: &DatabaseConnection,
    query: sea_orm::Select<observation_event::Entity>,
    name_actors: bool,
    institution_of: impl Fn(&observation_event::Model) -> Option<String>,
) -> Result<Vec<EventView>, AppError> {
    let rows = query
        .order_by_asc(observation_event::Column::CreatedAt)
        .all(db)
        .await?;
    let actors: HashMap<Uuid, String> = if name_actors {
        let ids: Vec<Uuid> = rows.iter().filter_map(|e| e.actor_id).collect();
        user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(rows
        .iter()
        .map(|e| EventView {
            // A line of an unknown kind (written by a later version) is labelled as a note.
            kind: EventKind::parse(&e.kind).unwrap_or(EventKind::Comment),
            actor: e
                .actor_id
                .and_then(|id| actors.get(&id).cloned())
                .unwrap_or_default(),
            actor_role: Role::parse(&e.actor_role),
            note: e.note.clone(),
            // Events are chosen for the viewer by their visibility first; an unknown one is
            // labelled as the narrowest.
            visibility: Visibility::parse(&e.visibility).unwrap_or(Visibility::Nhrc),
            at: moment(e.created_at),
            institution: institution_of(e),
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn referral(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: &str,
) -> Result<ReferralDetail, AppError> {
    let scope = Scope::of(user)?;
    let (row, obs) = scope::referral(db, scope, id).await?;
    audit(db, Some(user), "view", "referral", row.id, None).await?;
    let names = Names::load(db, user.locale).await?;
    let protection = ProtectionLevel::parse(&obs.protection).unwrap_or_default();
    let organisation = match protection {
        ProtectionLevel::AnonymousToInstitution => None,
        _ => organisation::Entity::find_by_id(obs.organisation_id)
            .one(db)
            .await?
            .map(|o| o.name),
    };
    let named_contact =
        protection == ProtectionLevel::NamedContact && obs.contact_consent_at.is_some();
    let status = ReferralStatus::parse(&row.status).unwrap_or(ReferralStatus::Closed);
    let progress = progress(db, &row, status).await?;
    let events = events(
        db,
        observation_event::Entity::find()
            .filter(observation_event::Column::ReferralId.eq(row.id))
            .filter(observation_event::Column::Visibility.eq(Visibility::Everyone.as_str())),
        false,
        |_| None,
    )
    .await?;
    let mut attachments = Vec::new();
    let rows = attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(obs.id))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(db)
        .await?;
    let shared = scope::shared_with(db, row.id).await?;
    let mut number = 0;
    for a in rows {
        // The same rule as the download route's ([`scope::attachment`]).
        let shown = match a.referral_id {
            Some(referral_id) => referral_id == row.id,
            None => shared.contains(&a.id),
        };
        if !shown {
            continue;
        }
        number += 1;
        // Evidence keeps no name the filer gave it: names can identify people.
        let name = match a.referral_id {
            Some(_) => a.original_name.clone(),
            None => format!("piece-{number}.{}", evidence::extension(&a.content_type)),
        };
        attachments.push(AttachmentView {
            name,
            ..attachment_view(a, false)
        });
    }
    Ok(ReferralDetail {
        id: row.id.to_string(),
        reference: obs.reference.clone().unwrap_or_default(),
        title: row.title.clone(),
        description: row.description.clone(),
        category: names.category(obs.category_id),
        region: names.region(obs.region_code.as_deref()),
        cercle: names.cercle(obs.cercle_id),
        place: row.place.clone().unwrap_or_default(),
        incident_date: incident(&obs),
        affected: [
            obs.affected_women,
            obs.affected_men,
            obs.affected_girls,
            obs.affected_boys,
        ],
        organisation,
        contact_name: named_contact.then(|| obs.contact_name.clone()).flatten(),
        contact_phone: named_contact.then(|| obs.contact_phone.clone()).flatten(),
        status,
        forwarded_on: day(row.forwarded_at.date_naive()),
        ack_due: day(row.ack_due),
        respond_due: day(row.respond_due),
        acknowledged_on: progress.acknowledged_on,
        responded_on: progress.responded_on,
        overdue: referral_overdue(&row, today()),
        next_deadline: next_deadline(&row, today(), &super::holidays(db).await?),
        actions: referral_choices(status, user.role),
        contest: progress.contest,
        events,
        attachments,
    })
}
