//! The notification outbox (DESIGN §5): rows written in the same transaction as the status
//! change they announce, sent later by [`worker`]. A web request never talks to SMTP, so a mail
//! server that is down loses nothing and slows nobody.

pub mod templates;
pub mod unsubscribe;
pub mod worker;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::auth::CurrentUser;
use super::entities::{institution, notification, observation, user};
use crate::domain::Role;
use crate::domain::notification::{Audience, Preference, Template};
use crate::error::AppError;

/// Row states.
pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";
/// Waiting for the recipient's daily digest.
pub const DIGEST: &str = "digest";
/// Summarised in a digest that was queued.
pub const DIGESTED: &str = "digested";

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

/// Writes one row per recipient inside the caller's transaction. Returns how many.
pub async fn enqueue(db: &impl ConnectionTrait, notice: Notice<'_>) -> Result<usize, AppError> {
    let mut recipients: Vec<(user::Model, Audience)> = Vec::new();
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
            Audience::Nhrc => query.filter(user::Column::Role.eq(Role::Monitor.as_str())),
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
        let state = match Preference::parse(&recipient.notification_preference)
            .unwrap_or(Preference::Immediate)
        {
            Preference::Off => continue,
            Preference::Daily => DIGEST,
            Preference::Immediate => PENDING,
        };
        notification::ActiveModel {
            id: Set(Uuid::new_v4()),
            recipient_id: Set(recipient.id),
            template: Set(notice.template.as_str().to_string()),
            locale: Set(recipient.locale.clone()),
            observation_id: Set(Some(notice.observation.id)),
            reference: Set(notice.observation.reference.clone().unwrap_or_default()),
            status: Set(notice.status.clone()),
            institution: Set(acronym
                .clone()
                .filter(|_| notice.template.names_institution(audience))),
            state: Set(state.to_string()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            sent_at: Set(None),
            last_error: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
        written += 1;
    }
    Ok(written)
}
