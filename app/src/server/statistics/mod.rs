//! The statistics cube on the server: each observation's facts, the cube kept up to date in the
//! transaction of every status change ([`refresh`]), rebuilt on demand ([`rebuild`]), read by
//! [`query`]. What counts where is decided in `domain::statistics`.
//!
//! A deadline that passes without acknowledgement or response counts as late, but it passes
//! with time, not with an event, so nothing would refresh the cube then. While the clock runs
//! it is therefore counted when the figures are read: the same transaction that keeps the facts
//! keeps each running deadline not yet met, with the filter columns, in [`UNMET`], and a query
//! counts those before today. Once an event settles it (escalation, whether by the deadline job
//! or by the NHRC), the lapse is counted in the cube and the row leaves [`UNMET`], so that table
//! stays as small as the open referrals. Nothing depends on the day it was written: the running
//! counts and a recount give the same figures on any day, with no job that must have run.

pub mod export;
pub mod public;
pub mod query;

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::{
    category, observation, observation_event, observation_institution, organisation, referral,
};
use super::observations::holidays;
use crate::domain::calendar::{Holidays, running_deadline, working_days_between};
use crate::domain::lifecycle::{ObservationStatus, ReferralStatus};
use crate::domain::statistics::{
    CellKey, Measures, ObservationFacts, ReferralFacts, contributions, difference,
};
use crate::error::AppError;

pub const CELLS: &str = "stat_cells";
const FACTS: &str = "stat_facts";
/// Open referrals with a running deadline, one row each, with the dashboard's filter columns:
/// "overdue today" is a range over their due dates, without touching the large tables.
pub const OPEN: &str = "stat_open_referrals";
/// Referrals whose clock runs without acknowledgement or response, one row each, with the
/// dashboard's filter columns and the deadline each has to meet: a lapse is counted from these.
pub const UNMET: &str = "stat_unmet_deadlines";

pub fn month_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// Reference flags the facts depend on: which categories are sensitive, which organisations
/// are women's organisations.
pub struct Flags {
    sensitive: HashSet<Uuid>,
    womens: HashSet<Uuid>,
}

impl Flags {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Flags, AppError> {
        Ok(Flags {
            sensitive: category::Entity::find()
                .filter(category::Column::Sensitive.eq(true))
                .all(db)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect(),
            womens: organisation::Entity::find()
                .filter(organisation::Column::IsWomensOrganisation.eq(true))
                .all(db)
                .await?
                .into_iter()
                .map(|o| o.id)
                .collect(),
        })
    }
}

/// The facts of one observation from its rows; `None` while it is a draft.
pub fn facts_of(
    row: &observation::Model,
    named: &[Uuid],
    referrals: &[referral::Model],
    marks: &HashMap<Uuid, (bool, bool)>,
    flags: &Flags,
    holidays: &Holidays,
) -> Option<ObservationFacts> {
    let status = ObservationStatus::parse(&row.status)?;
    let submitted_at = row.submitted_at?;
    if status == ObservationStatus::Draft {
        return None;
    }
    let mut institutions: Vec<String> = named.iter().map(Uuid::to_string).collect();
    institutions.extend(referrals.iter().map(|r| r.institution_id.to_string()));
    let date = |day: chrono::NaiveDate| day.format("%Y-%m-%d").to_string();
    let referrals = referrals
        .iter()
        .map(|r| {
            let forwarded = r.forwarded_at.date_naive();
            let (contested, escalated) = marks.get(&r.id).copied().unwrap_or_default();
            let status = ReferralStatus::parse(&r.status);
            // The measures count against the response deadline first given: the fresh one a
            // contest or a return brings serves the deadline jobs, not the on-time shares.
            let respond_due = r.original_respond_due.unwrap_or(r.respond_due);
            let (ack_due, ack_lapsed) = match (r.acknowledged_at, status) {
                (Some(_), _) => (None, false),
                (None, Some(ReferralStatus::Forwarded)) => (Some(date(r.ack_due)), false),
                // It left "forwarded" without an acknowledgement: escalated.
                (None, _) => (None, true),
            };
            let (resp_due, resp_lapsed) = match (r.responded_at, status) {
                (Some(_), _) => (None, false),
                (
                    None,
                    Some(
                        ReferralStatus::Forwarded
                        | ReferralStatus::Acknowledged
                        | ReferralStatus::InProgress,
                    ),
                ) => (Some(date(respond_due)), false),
                // While it waits for the organisation's answer the institution's clock stops
                // (the deadline moves on when the answer comes): late only if it had passed
                // already when it asked (the row last changed then).
                (None, Some(ReferralStatus::InfoRequested)) => {
                    (None, respond_due < r.updated_at.date_naive())
                }
                // Escalated (or closed after it) without a response.
                (None, _) => (None, true),
            };
            ReferralFacts {
                institution: r.institution_id.to_string(),
                month: month_of(r.forwarded_at),
                ack_days: r
                    .acknowledged_at
                    .map(|at| working_days_between(forwarded, at.date_naive(), holidays)),
                ack_on_time: r
                    .acknowledged_at
                    .is_some_and(|at| at.date_naive() <= r.ack_due),
                resp_days: r
                    .responded_at
                    .map(|at| working_days_between(forwarded, at.date_naive(), holidays)),
                resp_on_time: r
                    .responded_at
                    .is_some_and(|at| at.date_naive() <= respond_due),
                contested,
                escalated: escalated || r.status == ReferralStatus::Escalated.as_str(),
                id: r.id.to_string(),
                running_due: status
                    .and_then(|s| running_deadline(s, r.ack_due, r.respond_due))
                    .map(date),
                ack_due,
                resp_due,
                ack_lapsed,
                resp_lapsed,
            }
        })
        .collect();
    Some(ObservationFacts {
        month: month_of(submitted_at),
        region: row.region_code.clone(),
        cercle: row.cercle_id.map(|id| id.to_string()),
        category: row
            .category_id
            .map_or_else(|| "none".to_string(), |id| id.to_string()),
        sensitive: row
            .category_id
            .is_some_and(|id| flags.sensitive.contains(&id)),
        womens: flags.womens.contains(&row.organisation_id),
        status,
        institutions,
        referrals,
        organisation: row.organisation_id.to_string(),
        reference: row.reference.clone().unwrap_or_default(),
    })
}

/// Whether each referral was ever contested or escalated, from the timeline.
async fn marks(
    db: &impl ConnectionTrait,
    observations: &[Uuid],
) -> Result<HashMap<Uuid, (bool, bool)>, AppError> {
    let contested = ReferralStatus::Contested.as_str();
    let escalated = ReferralStatus::Escalated.as_str();
    let events = observation_event::Entity::find()
        .filter(observation_event::Column::ObservationId.is_in(observations.iter().copied()))
        .filter(observation_event::Column::ToStatus.is_in([contested, escalated]))
        .filter(observation_event::Column::ReferralId.is_not_null())
        .all(db)
        .await?;
    let mut marks: HashMap<Uuid, (bool, bool)> = HashMap::new();
    for event in events {
        let (Some(referral), Some(to)) = (event.referral_id, event.to_status) else {
            continue;
        };
        let mark = marks.entry(referral).or_default();
        mark.0 |= to == contested;
        mark.1 |= to == escalated;
    }
    Ok(marks)
}

/// What links a batch of observations to institutions: those named at filing, and the
/// referrals, each by observation.
pub struct Links {
    pub named: HashMap<Uuid, Vec<Uuid>>,
    pub referrals: HashMap<Uuid, Vec<referral::Model>>,
}

impl Links {
    pub async fn load(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Links, AppError> {
        let mut named: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for link in observation_institution::Entity::find()
            .filter(observation_institution::Column::ObservationId.is_in(ids.iter().copied()))
            .all(db)
            .await?
        {
            named
                .entry(link.observation_id)
                .or_default()
                .push(link.institution_id);
        }
        let mut referrals: HashMap<Uuid, Vec<referral::Model>> = HashMap::new();
        for row in referral::Entity::find()
            .filter(referral::Column::ObservationId.is_in(ids.iter().copied()))
            .all(db)
            .await?
        {
            referrals.entry(row.observation_id).or_default().push(row);
        }
        Ok(Links { named, referrals })
    }

    /// Named and referred institutions of one observation, each once.
    pub fn institutions(&self, observation: Uuid) -> Vec<Uuid> {
        let mut all: Vec<Uuid> = self.named.get(&observation).cloned().unwrap_or_default();
        all.extend(
            self.referrals
                .get(&observation)
                .into_iter()
                .flatten()
                .map(|r| r.institution_id),
        );
        all.sort();
        all.dedup();
        all
    }
}

/// The facts of a batch of observations, read with a handful of queries.
async fn load_facts(
    db: &impl ConnectionTrait,
    rows: &[observation::Model],
    flags: &Flags,
    holidays: &Holidays,
) -> Result<Vec<(Uuid, Option<ObservationFacts>)>, AppError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let Links { named, referrals } = Links::load(db, &ids).await?;
    let marks = marks(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let facts = facts_of(
                row,
                named.get(&row.id).map_or(&[][..], Vec::as_slice),
                referrals.get(&row.id).map_or(&[][..], Vec::as_slice),
                &marks,
                flags,
                holidays,
            );
            (row.id, facts)
        })
        .collect())
}

async fn stored_facts(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<ObservationFacts>, AppError> {
    let select = Query::select()
        .column(Alias::new("facts"))
        .from(Alias::new(FACTS))
        .and_where(Expr::col(Alias::new("observation_id")).eq(id))
        .to_owned();
    let row = db.query_one(&select).await?;
    let text: Option<String> = match row {
        Some(row) => Some(row.try_get("", "facts")?),
        None => None,
    };
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Brings the cube up to date with one observation, inside the caller's transaction: takes
/// back what it counted before, adds what it counts now.
#[tracing::instrument(skip_all, fields(observation = %id))]
pub async fn refresh(db: &impl ConnectionTrait, id: Uuid) -> Result<(), AppError> {
    let Some(row) = observation::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let flags = Flags::load(db).await?;
    let holidays = holidays(db).await?;
    let after = load_facts(db, std::slice::from_ref(&row), &flags, &holidays)
        .await?
        .pop()
        .and_then(|(_, facts)| facts);
    let before = stored_facts(db, id).await?;
    if before == after {
        return Ok(());
    }
    add_cells(db, &difference(before.as_ref(), after.as_ref())).await?;
    let delete = Query::delete()
        .from_table(Alias::new(FACTS))
        .and_where(Expr::col(Alias::new("observation_id")).eq(id))
        .to_owned();
    db.execute(&delete).await?;
    for table in [OPEN, UNMET] {
        let delete = Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("observation_id")).eq(id))
            .to_owned();
        db.execute(&delete).await?;
    }
    if let Some(after) = after {
        write_facts(db, &[(id, after)]).await?;
    }
    Ok(())
}

/// Adds each cell's measures to the stored ones (creating the cell when new).
pub async fn add_cells(
    db: &impl ConnectionTrait,
    cells: &[(CellKey, Measures)],
) -> Result<(), AppError> {
    let columns = Measures::columns();
    let key_columns = [
        "month",
        "institution",
        "place",
        "category",
        "womens",
        "sensitive",
    ];
    // SQLite allows 32 766 variables per statement; 86 per row.
    for chunk in cells.chunks(300) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(CELLS)).columns(
            key_columns
                .iter()
                .chain(["grain"].iter())
                .map(|c| Alias::new(*c))
                .chain(columns.iter().map(Alias::new)),
        );
        for (key, measures) in chunk {
            let mut values: Vec<sea_orm::sea_query::SimpleExpr> = vec![
                key.month.clone().into(),
                key.institution.clone().into(),
                key.place.clone().into(),
                key.category.clone().into(),
                key.womens.into(),
                key.sensitive.into(),
                key.grain().into(),
            ];
            values.extend(measures.values().into_iter().map(Into::into));
            insert
                .values(values)
                .context("cannot add a row to a statistics insert")?;
        }
        let mut conflict = OnConflict::columns(key_columns.iter().map(|c| Alias::new(*c)));
        for column in &columns {
            conflict.value(
                Alias::new(column),
                Expr::col((Alias::new(CELLS), Alias::new(column)))
                    .add(Expr::col((Alias::new("excluded"), Alias::new(column)))),
            );
        }
        insert.on_conflict(conflict);
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Stores each observation's facts, its open referrals' running deadlines and its referrals'
/// unmet deadlines.
pub async fn write_facts(
    db: &impl ConnectionTrait,
    facts: &[(Uuid, ObservationFacts)],
) -> Result<(), AppError> {
    write_open(db, facts).await?;
    write_unmet(db, facts).await?;
    for chunk in facts.chunks(1000) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(FACTS))
            .columns([Alias::new("observation_id"), Alias::new("facts")]);
        for (id, facts) in chunk {
            let text = serde_json::to_string(facts)
                .context("cannot write an observation's statistics facts")?;
            insert
                .values([(*id).into(), text.into()])
                .context("cannot add a row to a statistics insert")?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

async fn write_open(
    db: &impl ConnectionTrait,
    facts: &[(Uuid, ObservationFacts)],
) -> Result<(), AppError> {
    let rows: Vec<(Uuid, &ObservationFacts, &ReferralFacts, &String)> = facts
        .iter()
        .flat_map(|(id, f)| {
            f.referrals
                .iter()
                .filter_map(move |r| r.running_due.as_ref().map(|due| (*id, f, r, due)))
        })
        .collect();
    for chunk in rows.chunks(2000) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(OPEN)).columns(
            [
                "referral_id",
                "observation_id",
                "reference",
                "institution",
                "organisation",
                "month",
                "region",
                "category",
                "womens",
                "sensitive",
                "running_due",
            ]
            .map(Alias::new),
        );
        for (id, f, r, due) in chunk {
            let due = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d")
                .context("cannot read an open referral's due date")?;
            insert
                .values([
                    r.id.clone().into(),
                    (*id).into(),
                    f.reference.clone().into(),
                    r.institution.clone().into(),
                    f.organisation.clone().into(),
                    r.month.clone().into(),
                    f.region.clone().into(),
                    f.category.clone().into(),
                    f.womens.into(),
                    f.sensitive.into(),
                    due.into(),
                ])
                .context("cannot add a row to a statistics insert")?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

async fn write_unmet(
    db: &impl ConnectionTrait,
    facts: &[(Uuid, ObservationFacts)],
) -> Result<(), AppError> {
    let day = |text: &Option<String>| -> Result<Option<chrono::NaiveDate>, AppError> {
        text.as_deref()
            .map(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d"))
            .transpose()
            .context("cannot read an unmet deadline")
            .map_err(AppError::from)
    };
    let rows: Vec<(Uuid, &ObservationFacts, &ReferralFacts)> = facts
        .iter()
        .flat_map(|(id, f)| {
            f.referrals
                .iter()
                .filter(|r| r.ack_due.is_some() || r.resp_due.is_some())
                .map(move |r| (*id, f, r))
        })
        .collect();
    for chunk in rows.chunks(2000) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(UNMET)).columns(
            [
                "referral_id",
                "observation_id",
                "institution",
                "organisation",
                "month",
                "region",
                "cercle",
                "category",
                "womens",
                "sensitive",
                "ack_due",
                "resp_due",
            ]
            .map(Alias::new),
        );
        for (id, f, r) in chunk {
            insert
                .values([
                    r.id.clone().into(),
                    (*id).into(),
                    r.institution.clone().into(),
                    f.organisation.clone().into(),
                    r.month.clone().into(),
                    f.region.clone().into(),
                    f.cercle.clone().into(),
                    f.category.clone().into(),
                    f.womens.into(),
                    f.sensitive.into(),
                    day(&r.ack_due)?.into(),
                    day(&r.resp_due)?.into(),
                ])
                .context("cannot add a row to a statistics insert")?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Sums contributions in memory, for bulk loads.
#[derive(Default)]
pub struct CubeBuilder {
    cells: BTreeMap<CellKey, Measures>,
}

impl CubeBuilder {
    pub fn count(&mut self, facts: &ObservationFacts) {
        for (key, measures) in contributions(facts) {
            self.cells.entry(key).or_default().add(&measures, 1);
        }
    }

    /// How many cells it holds.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Adds its cells to the stored ones (a cell already there gets the sums).
    pub async fn write(self, db: &impl ConnectionTrait) -> Result<usize, AppError> {
        let cells: Vec<(CellKey, Measures)> = self.cells.into_iter().collect();
        add_cells(db, &cells).await?;
        Ok(cells.len())
    }
}

/// Refreshes the planner's statistics after a bulk change, so that each dashboard question
/// picks the index of its own shape.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), AppError> {
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

/// Recounts everything from the observations (after a change to the reference flags, or to
/// check the running counts): empties the cube and counts each observation again.
#[tracing::instrument(skip_all)]
pub async fn rebuild(db: &DatabaseConnection) -> Result<usize, AppError> {
    let flags = Flags::load(db).await?;
    let holidays = holidays(db).await?;
    let txn = crate::server::db::begin_write(db).await?;
    txn.execute(&Query::delete().from_table(Alias::new(CELLS)).to_owned())
        .await?;
    txn.execute(&Query::delete().from_table(Alias::new(FACTS)).to_owned())
        .await?;
    txn.execute(&Query::delete().from_table(Alias::new(OPEN)).to_owned())
        .await?;
    txn.execute(&Query::delete().from_table(Alias::new(UNMET)).to_owned())
        .await?;
    let mut cube = CubeBuilder::default();
    let mut after: Option<Uuid> = None;
    let mut counted = 0;
    loop {
        let mut page = observation::Entity::find()
            .filter(observation::Column::Status.ne(ObservationStatus::Draft.as_str()))
            .order_by_asc(observation::Column::Id)
            .limit(2000);
        if let Some(last) = after {
            page = page.filter(observation::Column::Id.gt(last));
        }
        let rows = page.all(&txn).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id);
        let facts: Vec<(Uuid, ObservationFacts)> = load_facts(&txn, &rows, &flags, &holidays)
            .await?
            .into_iter()
            .filter_map(|(id, facts)| facts.map(|f| (id, f)))
            .collect();
        for (_, f) in &facts {
            cube.count(f);
        }
        counted += facts.len();
        write_facts(&txn, &facts).await?;
    }
    cube.write(&txn).await?;
    txn.commit().await?;
    analyze(db).await?;
    Ok(counted)
}
