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
use std::sync::{Arc, LazyLock, RwLock};

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};
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

/// The holidays, from memory while the database's reference data has not changed.
pub async fn holidays(db: &impl ConnectionTrait) -> Result<Holidays, AppError> {
    Ok(Tables::current(db).await?.holidays.clone())
}

/// An id from a URL or a form: anything that is not one is simply not found.
pub fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The reference data one database holds at one version (a few hundred rows at most), shared
/// by every request of the process until the version moves.
struct Tables {
    categories: HashMap<Uuid, category::Model>,
    institutions: HashMap<Uuid, institution::Model>,
    regions: HashMap<String, region::Model>,
    cercles: HashMap<Uuid, String>,
    holidays: Holidays,
}

/// Each database's tables with the version they were read at, by the database's id: one entry
/// in production, one per test database in the tests (which share a process).
type Held = HashMap<String, (i64, Arc<Tables>)>;
static TABLES: LazyLock<RwLock<Held>> = LazyLock::new(Default::default);

impl Tables {
    /// The tables as the database holds them now: one query for its version (migration 000017,
    /// which changes it with every write to these tables, from any instance), and the tables
    /// read again only when it moved.
    async fn current(db: &impl ConnectionTrait) -> Result<Arc<Tables>, AppError> {
        let Some((database, version)) = reference_version(db).await? else {
            return Ok(Arc::new(Tables::read(db).await?));
        };
        if let Some(tables) = Tables::held(&database, version) {
            return Ok(tables);
        }
        // Read after the version: what a change committed meanwhile makes newer is kept under
        // a version already gone, and read again by the next request.
        let tables = Arc::new(Tables::read(db).await?);
        if let Ok(mut held) = TABLES.write() {
            held.insert(database, (version, tables.clone()));
        }
        Ok(tables)
    }

    fn held(database: &str, version: i64) -> Option<Arc<Tables>> {
        let held = TABLES.read().ok()?;
        held.get(database)
            .filter(|(at, _)| *at == version)
            .map(|(_, tables)| tables.clone())
    }

    async fn read(db: &impl ConnectionTrait) -> Result<Tables, AppError> {
        Ok(Tables {
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
            holidays: holiday::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|h| h.day)
                .collect(),
        })
    }
}

/// The database's id and its reference data's version; `None` if its row is missing (never
/// after the migrations), and then nothing is kept.
async fn reference_version(db: &impl ConnectionTrait) -> Result<Option<(String, i64)>, AppError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT database_id, version FROM reference_version WHERE id = 1",
        ))
        .await?;
    Ok(match row {
        Some(row) => Some((row.try_get_by_index(0)?, row.try_get_by_index(1)?)),
        None => None,
    })
}

/// The reference data's names in the viewer's language, from the tables held in memory.
pub struct Names {
    locale: Locale,
    tables: Arc<Tables>,
}

impl Names {
    pub async fn load(db: &impl ConnectionTrait, locale: Locale) -> Result<Names, AppError> {
        Ok(Names {
            locale,
            tables: Tables::current(db).await?,
        })
    }

    /// Every institution on record.
    pub fn institutions(&self) -> impl Iterator<Item = &institution::Model> {
        self.tables.institutions.values()
    }

    fn pick(&self, fr: &str, en: &str) -> String {
        match self.locale {
            Locale::Fr => fr.to_string(),
            Locale::En => en.to_string(),
        }
    }

    pub fn category(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.tables.categories.get(&id))
            .map(|c| self.pick(&c.name_fr, &c.name_en))
            .unwrap_or_default()
    }

    /// A category of the statistics by its key: its name, or "no category" for the
    /// observations made from a tip that named none (never a blank row).
    pub fn category_of_key(&self, key: &str) -> String {
        match Uuid::parse_str(key)
            .ok()
            .filter(|id| self.tables.categories.contains_key(id))
        {
            Some(id) => self.category(Some(id)),
            None => crate::i18n::translate(self.locale, "stats-no-category"),
        }
    }

    pub fn has_category(&self, id: Uuid) -> bool {
        self.tables.categories.contains_key(&id)
    }

    pub fn has_institution(&self, id: Uuid) -> bool {
        self.tables.institutions.contains_key(&id)
    }

    pub fn has_region(&self, code: &str) -> bool {
        self.tables.regions.contains_key(code)
    }

    pub fn sensitive(&self, id: Option<Uuid>) -> bool {
        id.and_then(|id| self.tables.categories.get(&id))
            .is_some_and(|c| c.sensitive)
    }

    pub fn acronym(&self, id: Uuid) -> String {
        self.tables
            .institutions
            .get(&id)
            .map(|i| i.acronym.clone())
            .unwrap_or_default()
    }

    pub fn institution(&self, id: Uuid) -> String {
        self.tables
            .institutions
            .get(&id)
            .map(|i| self.pick(&i.name_fr, &i.name_en))
            .unwrap_or_default()
    }

    pub fn region(&self, code: Option<&str>) -> String {
        code.and_then(|c| self.tables.regions.get(c))
            .map(|r| self.pick(&r.name_fr, &r.name_en))
            .unwrap_or_default()
    }

    pub fn cercle(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.tables.cercles.get(&id))
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
