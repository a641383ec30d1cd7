//! The notification outbox (DESIGN §5): rows written in the same transaction as the status
//! change they announce, sent later by [`worker`]. A web request never talks to SMTP, so a mail
//! server that is down loses nothing and slows nobody.

pub mod templates;
pub mod unsubscribe;
pub mod worker;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::auth::CurrentUser;
use super::entities::{category, institution, notification, observation, referral, tip, user};
use super::observations::scope::{self, Scope};
use crate::domain::Role;
use crate::domain::notification::{Audience, MailState, Preference, Template};
use crate::error::AppError;

/// Row states, as stored.
pub const PENDING: &str = MailState::Pending.as_str();
pub const SENDING: &str = MailState::Sending.as_str();
pub const SENT: &str = MailState::Sent.as_str();
pub const DEAD: &str = MailState::Dead.as_str();
/// Waiting for the recipient's daily digest.
pub const DIGEST: &str = MailState::Digest.as_str();
/// Summarised in a digest that was queued.
pub const DIGESTED: &str = MailState::Digested.as_str();

/// What happened, for whom to hear about it.
pub struct Notice<'a> {
    pub template: Template,
    pub observation: &'a observation::Model,
    /// The referral's institution, for events about a referral.
    pub institution_id: Option<Uuid>,
    /// The catalogue key of the new status.
    pub status: Option<String>,
    /// Who caused it (never mailed about it); None for the system.
    pub actor: Option<&'a CurrentUser>,
}

/// The state a new notice starts in for a recipient's preference: sent as it comes, kept for
/// the daily digest, or none at all (off).
fn first_state(preference: &str) -> Option<&'static str> {
    match Preference::parse(preference).unwrap_or(Preference::Immediate) {
        Preference::Off => None,
        Preference::Daily => Some(DIGEST),
        Preference::Immediate => Some(PENDING),
    }
}

/// A new outbox row of `template` for `recipient`, due at `due`, about nothing yet: the caller
/// says which observation or tip it leads to.
fn row(
    recipient: &user::Model,
    template: Template,
    state: &str,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> notification::ActiveModel {
    notification::ActiveModel {
        id: Set(Uuid::new_v4()),
        recipient_id: Set(recipient.id),
        template: Set(template.as_str().to_string()),
        locale: Set(recipient.locale.clone()),
        observation_id: Set(None),
        tip_id: Set(None),
        reference: Set(String::new()),
        status: Set(None),
        institution: Set(None),
        state: Set(state.to_string()),
        attempts: Set(0),
        next_attempt_at: Set(due),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    }
}

/// Writes one row per recipient inside the caller's transaction. Returns how many.
pub async fn enqueue(db: &impl ConnectionTrait, notice: Notice<'_>) -> Result<usize, AppError> {
    let mut recipients: Vec<(user::Model, Audience)> = Vec::new();
    // A case in a sensitive category is mailed to staff who hold the permission only (the
    // organisation always hears of its own case).
    let sensitive = match notice.observation.category_id {
        Some(id) => category::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|c| c.sensitive),
        None => false,
    };
    for audience in notice.template.audiences() {
        // A monitor awaiting approval is not yet the NHRC: nothing is mailed to it.
        let query = user::Entity::find()
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::AwaitingApproval.eq(false));
        let query = match audience {
            Audience::Organisation => query
                .filter(user::Column::OrganisationId.eq(notice.observation.organisation_id))
                .filter(
                    user::Column::Role
                        .is_in([Role::CsoMember.as_str(), Role::CsoCoordinator.as_str()]),
                ),
            Audience::Institution => match notice.institution_id {
                Some(id) => query
                    .filter(user::Column::InstitutionId.eq(id))
                    .filter(user::Column::Role.eq(Role::Liaison.as_str())),
                None => continue,
            },
            Audience::Institutions => {
                let concerned: Vec<Uuid> = referral::Entity::find()
                    .filter(referral::Column::ObservationId.eq(notice.observation.id))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| r.institution_id)
                    .collect();
                query
                    .filter(user::Column::InstitutionId.is_in(concerned))
                    .filter(user::Column::Role.eq(Role::Liaison.as_str()))
            }
            Audience::Nhrc => query.filter(user::Column::Role.eq(Role::Monitor.as_str())),
        };
        let query = if sensitive && !matches!(audience, Audience::Organisation) {
            query.filter(user::Column::SensitiveCases.eq(true))
        } else {
            query
        };
        for recipient in query.all(db).await? {
            let is_actor = notice.actor.is_some_and(|a| a.id == recipient.id);
            if !is_actor && !recipients.iter().any(|(r, _)| r.id == recipient.id) {
                recipients.push((recipient, *audience));
            }
        }
    }
    let acronym = match notice.institution_id {
        Some(id) => institution::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|i| i.acronym),
        None => None,
    };
    let now = Utc::now();
    let mut written = 0;
    for (recipient, audience) in recipients {
        let Some(state) = first_state(&recipient.notification_preference) else {
            continue;
        };
        notification::ActiveModel {
            observation_id: Set(Some(notice.observation.id)),
            reference: Set(notice.observation.reference.clone().unwrap_or_default()),
            status: Set(notice.status.clone()),
            institution: Set(acronym
                .clone()
                .filter(|_| notice.template.names_institution(audience))),
            ..row(&recipient, notice.template, state, now, now)
        }
        .insert(db)
        .await?;
        written += 1;
    }
    Ok(written)
}

/// A tip's mails to the NHRC go out at most once in this long: a tipster writing five
/// messages in a row makes one mail, and the tip's page shows them all.
pub const TIP_MAIL_INTERVAL_MINUTES: i64 = 60;

/// Tells the NHRC's monitors of a new tip or of a tipster's answer (`template` is about a
/// tip), inside the caller's transaction: a link to the tip, no text of it. A tip in a
/// sensitive category, or made into an observation in one, is mailed to monitors who hold the
/// permission only. At most one mail per tip an hour: news within the hour after the last one
/// is held back, as one mail due when the hour is up (none more while it waits). Returns how
/// many rows.
pub async fn enqueue_tip(
    db: &impl ConnectionTrait,
    template: Template,
    tip_id: Uuid,
) -> Result<usize, AppError> {
    debug_assert!(template.is_about_tip());
    let now = Utc::now();
    let interval = chrono::Duration::minutes(TIP_MAIL_INTERVAL_MINUTES);
    let earlier = notification::Entity::find()
        .filter(notification::Column::TipId.eq(tip_id))
        .all(db)
        .await?;
    // When the last mail about the tip goes (or went) out.
    let last = earlier.iter().map(|row| row.next_attempt_at).max();
    let due = match last {
        Some(last) if last + interval > now => {
            let held_back = earlier
                .iter()
                .any(|row| row.state == PENDING && row.next_attempt_at > now);
            if held_back {
                return Ok(0);
            }
            last + interval
        }
        _ => now,
    };
    // Read as a monitor without the permission would: absent, it is a sensitive tip.
    let sensitive = scope::tips(Scope::Nhrc { sensitive: false })
        .filter(tip::Column::Id.eq(tip_id))
        .one(db)
        .await?
        .is_none();
    // A monitor awaiting approval is not yet the NHRC.
    let monitors = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::AwaitingApproval.eq(false))
        .filter(user::Column::Role.eq(Role::Monitor.as_str()));
    let monitors = if sensitive {
        monitors.filter(user::Column::SensitiveCases.eq(true))
    } else {
        monitors
    };
    let monitors = monitors.all(db).await?;
    let mut written = 0;
    for recipient in monitors {
        let Some(state) = first_state(&recipient.notification_preference) else {
            continue;
        };
        // A tip has no public reference; the mail leads to it by its id.
        notification::ActiveModel {
            tip_id: Set(Some(tip_id)),
            ..row(&recipient, template, state, due, now)
        }
        .insert(db)
        .await?;
        written += 1;
    }
    Ok(written)
}
