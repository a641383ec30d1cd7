//! The observation loop on the server: the scoped access path, filing, evidence, lifecycle
//! actions, lists, details and deadlines. Every read of an observation or referral goes
//! through [`scope`]; every change of their status is written by [`record`].

pub mod deadlines;
pub mod detail;
pub mod evidence;
pub mod filing;
pub mod listing;
pub mod record;
pub mod routes;
pub mod scope;
pub mod search;
pub mod workflow;

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::auth::CurrentUser;
use super::entities::{category, cercle, holiday, institution, observation_event, region};
use crate::domain::Locale;
use crate::domain::calendar::Holidays;
use crate::domain::lifecycle::EventKind;
use crate::domain::observation::Visibility;
use crate::error::AppError;

/// Deadlines are counted in Mali's time zone, which is UTC all year.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub async fn holidays(db: &impl ConnectionTrait) -> Result<Holidays, AppError> {
    Ok(holiday::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.day)
        .collect())
}

/// An id from a URL or a form: anything that is not one is simply not found.
pub fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The reference data's names in the viewer's language, loaded once per request (a few
/// hundred rows at most).
pub struct Names {
    locale: Locale,
    categories: HashMap<Uuid, category::Model>,
    pub institutions: HashMap<Uuid, institution::Model>,
    regions: HashMap<String, region::Model>,
    cercles: HashMap<Uuid, String>,
}

impl Names {
    pub async fn load(db: &impl ConnectionTrait, locale: Locale) -> Result<Names, AppError> {
        Ok(Names {
            locale,
            categories: category::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect(),
            institutions: institution::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|i| (i.id, i))
                .collect(),
            regions: region::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|r| (r.code.clone(), r))
                .collect(),
            cercles: cercle::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
        })
    }

    fn pick(&self, fr: &str, en: &str) -> String {
        match self.locale {
            Locale::Fr => fr.to_string(),
            Locale::En => en.to_string(),
        }
    }

    pub fn category(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.categories.get(&id))
            .map(|c| self.pick(&c.name_fr, &c.name_en))
            .unwrap_or_default()
    }

    /// A category of the statistics by its key: its name, or "no category" for the
    /// observations made from a tip that named none (never a blank row).
    pub fn category_of_key(&self, key: &str) -> String {
        match Uuid::parse_str(key)
            .ok()
            .filter(|id| self.categories.contains_key(id))
        {
            Some(id) => self.category(Some(id)),
            None => crate::i18n::translate(self.locale, "stats-no-category"),
        }
    }

    pub fn has_category(&self, id: Uuid) -> bool {
        self.categories.contains_key(&id)
    }

    pub fn has_region(&self, code: &str) -> bool {
        self.regions.contains_key(code)
    }

    pub fn sensitive(&self, id: Option<Uuid>) -> bool {
        id.and_then(|id| self.categories.get(&id))
            .is_some_and(|c| c.sensitive)
    }

    pub fn acronym(&self, id: Uuid) -> String {
        self.institutions
            .get(&id)
            .map(|i| i.acronym.clone())
            .unwrap_or_default()
    }

    pub fn institution(&self, id: Uuid) -> String {
        self.institutions
            .get(&id)
            .map(|i| self.pick(&i.name_fr, &i.name_en))
            .unwrap_or_default()
    }

    pub fn region(&self, code: Option<&str>) -> String {
        code.and_then(|c| self.regions.get(c))
            .map(|r| self.pick(&r.name_fr, &r.name_en))
            .unwrap_or_default()
    }

    pub fn cercle(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.cercles.get(&id))
            .cloned()
            .unwrap_or_default()
    }
}

/// One line of a timeline that moves no status (a note, a document), written inside the
/// caller's transaction. A status change's line is written by [`record`], with the rest of it.
pub struct NewEvent<'a> {
    pub observation_id: Uuid,
    pub referral_id: Option<Uuid>,
    /// None for the system.
    pub actor: Option<&'a CurrentUser>,
    pub kind: EventKind,
    pub note: Option<&'a str>,
    pub visibility: Visibility,
}

pub async fn append_event(db: &impl ConnectionTrait, event: NewEvent<'_>) -> Result<(), AppError> {
    event_row(event).insert(db).await?;
    Ok(())
}

/// An event's row, its statuses empty: only [`record`] sets them.
fn event_row(event: NewEvent<'_>) -> observation_event::ActiveModel {
    observation_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        observation_id: Set(event.observation_id),
        referral_id: Set(event.referral_id),
        actor_id: Set(event.actor.map(|a| a.id)),
        actor_role: Set(event
            .actor
            .map(|a| a.role.as_str())
            .unwrap_or("system")
            .to_string()),
        kind: Set(event.kind.as_str().to_string()),
        from_status: Set(None),
        to_status: Set(None),
        note: Set(event
            .note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)),
        visibility: Set(event.visibility.as_str().to_string()),
        created_at: Set(Utc::now()),
    }
}

pub use super::audit::record as audit;
