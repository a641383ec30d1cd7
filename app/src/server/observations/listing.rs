//! Lists with filters, text search, sorting and pages, each within the viewer's scope (the
//! queries start from `scope::observations` / `scope::referrals`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use super::detail::{next_deadline, referral_overdue};
use super::scope::{self, Scope};
use super::search;
use super::{Names, today};
use crate::domain::lifecycle::{ObservationStatus, ReferralStatus};
use crate::error::AppError;
use crate::model::observation::{ListChoices, ListFilter, ObservationSummary, SORT_RELEVANCE};
use crate::model::referral::ReferralSummary;
use crate::model::{COUNT_LIMIT, Page};
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    observation, observation_concern, observation_institution, organisation, referral,
};

pub const PAGE_SIZE: u64 = 20;

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A filter's value: none when left empty, refused when it cannot be read (never ignored: a
/// list must not silently answer another question than the one asked).
fn parsed<T>(
    value: &Option<String>,
    (field, error): (&str, &str),
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match text(value) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| AppError::field(field, error)),
    }
}

/// A chosen value (a status, an id) that the list's own choices would have given.
fn choice<T>(
    value: &Option<String>,
    field: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    parsed(value, (field, "error-choice-unknown"), parse)
}

fn uuid(value: &Option<String>, field: &str) -> Result<Option<Uuid>, AppError> {
    choice(value, field, |v| Uuid::parse_str(v).ok())
}

/// Referrals past their running deadline on `today` (the SQL twin of `calendar::is_overdue`):
/// their `list_due` is that deadline, or a day after every deadline when none runs.
pub(crate) fn overdue_referrals(today: NaiveDate) -> Condition {
    Condition::all().add(referral::Column::ListDue.lt(today))
}

/// `column` within the filter's days, both included (no condition for an open end).
fn period(column: impl ColumnTrait + Copy, filter: &ListFilter) -> Result<Condition, AppError> {
    let day = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let mut condition = Condition::all();
    if let Some(from) = parsed(&filter.from, ("from", "error-date-invalid"), day)? {
        condition = condition.add(column.gte(midnight(from)));
    }
    if let Some(to) = parsed(&filter.to, ("to", "error-date-invalid"), day)? {
        condition = condition.add(column.lt(to.succ_opt().and_then(midnight)));
    }
    Ok(condition)
}

/// One key of a list's order, as a row holds it and a cursor carries it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Key {
    /// A moment, carried in nanoseconds (the stored value exactly, so that the row itself is
    /// the boundary).
    Moment(DateTime<Utc>),
    Day(NaiveDate),
    /// A row's place in a search's order of relevance, written `p12`: never its score, which
    /// counts words across every case, in scope or not, and moves with every edit.
    Place(usize),
}

impl Key {
    fn render(self) -> String {
        match self {
            Key::Moment(at) => at.timestamp_nanos_opt().unwrap_or_default().to_string(),
            Key::Day(day) => day.format("%Y-%m-%d").to_string(),
            Key::Place(place) => format!("p{place}"),
        }
    }

    /// The key of the same kind as `like`, read from a cursor.
    fn parse(like: Key, text: &str) -> Option<Key> {
        match like {
            Key::Moment(_) => text
                .parse::<i64>()
                .ok()
                .map(|n| Key::Moment(DateTime::from_timestamp_nanos(n))),
            Key::Day(_) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(Key::Day),
            Key::Place(_) => text
                .strip_prefix('p')
                .and_then(|n| n.parse::<usize>().ok())
                .map(Key::Place),
        }
    }

    fn value(self) -> sea_orm::Value {
        match self {
            Key::Moment(at) => at.into(),
            Key::Day(day) => day.into(),
            Key::Place(place) => (place as i64).into(),
        }
    }
}

/// A list's order: key columns then the row's id, all one way. A page is the rows after a
/// cursor (a row's keys and id) in that order, read through the index that holds it.
struct Sorting<C> {
    columns: Vec<C>,
    id: C,
    descending: bool,
}

/// A row's place in an order, as the URL carries it: `key.key.id`.
fn cursor_of(keys: &[Key], id: Uuid) -> String {
    let mut parts: Vec<String> = keys.iter().map(|k| k.render()).collect();
    parts.push(id.simple().to_string());
    parts.join(".")
}

/// A cursor's keys (shaped like `like`) and id; `None` when it cannot be one.
fn parse_cursor(text: &str, like: &[Key]) -> Option<(Vec<Key>, Uuid)> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let (id, keys) = parts.split_last()?;
    if keys.len() != like.len() {
        return None;
    }
    let keys = like
        .iter()
        .zip(keys)
        .map(|(like, text)| Key::parse(*like, text))
        .collect::<Option<Vec<Key>>>()?;
    Some((keys, Uuid::parse_str(id).ok()?))
}

/// The page of `query` the filter's cursor asks for (`after=`: the rows after it; `before=`:
/// those before it; neither: the first), with the cursors of its neighbours. `key_of` gives a
/// row's keys, shaped like the order's columns. A cursor that cannot be read is refused.
async fn keyset_page<E, C>(
    db: &DatabaseConnection,
    query: Select<E>,
    order: &Sorting<C>,
    filter: &ListFilter,
    key_of: impl Fn(&E::Model) -> (Vec<Key>, Uuid),
    like: &[Key],
) -> Result<(Vec<E::Model>, Option<String>, Option<String>), AppError>
where
    E: EntityTrait,
    C: ColumnTrait + Copy,
{
    use sea_orm::sea_query::ExprTrait;
    let (backward, cursor) = read_cursor(filter, like)?;
    // Walking back reads the order the other way, then turns the page round.
    let descending = order.descending != backward;
    let mut query = query;
    if let Some((keys, id)) = &cursor {
        let columns = order
            .columns
            .iter()
            .chain([&order.id])
            .map(|c| Expr::col(c.as_column_ref()))
            .collect::<Vec<_>>();
        let values = keys
            .iter()
            .map(|k| Expr::val(k.value()))
            .chain([Expr::val(*id)])
            .collect::<Vec<_>>();
        let (columns, values) = (Expr::tuple(columns), Expr::tuple(values));
        query = query.filter(if descending {
            columns.lt(values)
        } else {
            columns.gt(values)
        });
    }
    let direction = if descending { Order::Desc } else { Order::Asc };
    for column in order.columns.iter().chain([&order.id]) {
        query = query.order_by(*column, direction.clone());
    }
    let mut rows = query.limit(PAGE_SIZE + 1).all(db).await?;
    let more = rows.len() as u64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    if backward {
        rows.reverse();
    }
    let edge = |row: Option<&E::Model>| {
        row.map(|row| {
            let (keys, id) = key_of(row);
            cursor_of(&keys, id)
        })
    };
    let (previous, next) = neighbours(
        edge(rows.first()),
        edge(rows.last()),
        backward,
        more,
        cursor.is_some(),
    );
    Ok((rows, next, previous))
}

/// The cursor the filter carries: `before=` (walking back) or `after=`, shaped like `like`; a
/// cursor that cannot be read is refused on its field.
#[allow(clippy::type_complexity)]
fn read_cursor(
    filter: &ListFilter,
    like: &[Key],
) -> Result<(bool, Option<(Vec<Key>, Uuid)>), AppError> {
    let read = |field: &str, value: &Option<String>| -> Result<_, AppError> {
        match text(value) {
            None => Ok(None),
            Some(v) => parse_cursor(v, like)
                .map(Some)
                .ok_or_else(|| AppError::field(field, "error-choice-unknown")),
        }
    };
    Ok(match read("before", &filter.before)? {
        Some(cursor) => (true, Some(cursor)),
        None => (false, read("after", &filter.after)?),
    })
}

/// The links from a page (whose first and last rows' cursors are given) to its neighbours:
/// `(previous, next)`. `more`: the walk's direction has rows beyond this page.
fn neighbours(
    first: Option<String>,
    last: Option<String>,
    backward: bool,
    more: bool,
    from_cursor: bool,
) -> (Option<String>, Option<String>) {
    if backward {
        (first.filter(|_| more), last)
    } else {
        (first.filter(|_| from_cursor), last.filter(|_| more))
    }
}

/// A search's page in order of relevance — the closest first, a case found by its reference
/// before any found by its words, then by id — among the at most 1000 rows the search found
/// (`relevance`): their ids are read within the list's scope and filters, ordered here, and
/// the page's rows loaded. Returns the rows, how many matched, and the neighbours' cursors.
#[allow(clippy::type_complexity)]
async fn ranked_page<E, C>(
    db: &DatabaseConnection,
    query: Select<E>,
    id: C,
    relevance: &HashMap<Uuid, f64>,
    filter: &ListFilter,
    id_of: impl Fn(&E::Model) -> Uuid,
) -> Result<(Vec<E::Model>, u64, Option<String>, Option<String>), AppError>
where
    E: EntityTrait,
    C: ColumnTrait + Copy,
{
    let mut ranked: Vec<(f64, Uuid)> = query
        .clone()
        .select_only()
        .column(id)
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(|id| (relevance.get(&id).copied().unwrap_or(f64::INFINITY), id))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (backward, cursor) = read_cursor(filter, &[Key::Place(0)])?;
    // Where the cursor's row stands in the order now (scores move with every edit): found by
    // its id, or at the place it had if it has left the list since.
    let place = cursor.as_ref().map(|(keys, at)| {
        ranked
            .iter()
            .position(|(_, i)| i == at)
            .or(match keys.first() {
                Some(Key::Place(place)) => Some(*place),
                _ => None,
            })
            .unwrap_or(0)
            .min(ranked.len())
    });
    let page = PAGE_SIZE as usize;
    let (start, end, more) = if backward {
        let end = place.unwrap_or(0);
        let start = end.saturating_sub(page);
        (start, end, start > 0)
    } else {
        let start = place.map_or(0, |p| (p + 1).min(ranked.len()));
        let end = (start + page).min(ranked.len());
        (start, end, end < ranked.len())
    };
    let chosen = &ranked[start..end];
    let edge = |at: usize| {
        chosen
            .get(at)
            .map(|(_, i)| cursor_of(&[Key::Place(start + at)], *i))
    };
    let (previous, next) = neighbours(
        edge(0),
        chosen.len().checked_sub(1).and_then(edge),
        backward,
        more,
        cursor.is_some(),
    );
    let mut rows = query
        .filter(id.is_in(chosen.iter().map(|(_, i)| *i)))
        .all(db)
        .await?;
    rows.sort_by_key(|row| chosen.iter().position(|(_, i)| *i == id_of(row)));
    Ok((rows, ranked.len() as u64, next, previous))
}

/// How many rows `query` matches, counted up to `limit`: the count reads no more rows than
/// that, whatever the table holds (the lists' counts and the navigation's).
pub(crate) async fn count_up_to<E: EntityTrait>(
    db: &DatabaseConnection,
    query: Select<E>,
    limit: u64,
) -> Result<u64, AppError> {
    let first = query
        .select_only()
        .expr(Expr::val(1))
        .limit(limit)
        .into_query();
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("counted"))
        .from_subquery(first, Alias::new("first"))
        .to_owned();
    let counted: i64 = match db.query_one(&count).await? {
        Some(row) => row.try_get("", "counted")?,
        None => 0,
    };
    Ok(counted.max(0) as u64)
}

/// How many rows `query` matches up to [`COUNT_LIMIT`], and whether there are more.
async fn capped_count<E: EntityTrait>(
    db: &DatabaseConnection,
    query: Select<E>,
) -> Result<(u64, bool), AppError> {
    let matching = count_up_to(db, query, COUNT_LIMIT + 1).await?;
    Ok((matching.min(COUNT_LIMIT), matching > COUNT_LIMIT))
}

/// The "overdue only" box: ticked, or left out.
fn overdue_only(filter: &ListFilter) -> Result<bool, AppError> {
    let ticked = |v: &str| matches!(v, "1" | "on" | "true").then_some(());
    Ok(choice(&filter.overdue, "overdue", ticked)?.is_some())
}

#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn observations(
    db: &DatabaseConnection,
    user: &CurrentUser,
    filter: &ListFilter,
) -> Result<Page<ObservationSummary>, AppError> {
    use observation::Column as C;
    let scope = Scope::of(user)?;
    let today = today();
    let mut query = scope::observations(scope);
    if let Some(status) = choice(&filter.status, "status", ObservationStatus::parse)? {
        query = query.filter(C::Status.eq(status.as_str()));
    }
    if let Some(category) = uuid(&filter.category, "category")? {
        query = query.filter(C::CategoryId.eq(category));
    }
    if let Some(region) = text(&filter.region) {
        query = query.filter(C::RegionCode.eq(region));
    }
    // On the submission day; `listed_at` is the submission moment itself once submitted
    // (migration 000015), so the range is read in the list's own index.
    let within = period(C::ListedAt, filter)?;
    if !within.is_empty() {
        query = query.filter(within).filter(C::SubmittedAt.is_not_null());
    }
    let institution = text(&filter.institution)
        .map(scope::institution_id)
        .transpose()?;
    if overdue_only(filter)? {
        // Kept on the observation by the database (migration 000018): read in its index.
        query = query.filter(C::OverdueFrom.lt(today));
    }
    let (mut truncated, mut relevance) = (false, None);
    if let Some(q) = text(&filter.q) {
        // Ordered by relevance is still the whole list, as it comes.
        let alone = ListFilter {
            q: None,
            after: None,
            before: None,
            sort: filter.sort.clone().filter(|sort| sort != SORT_RELEVANCE),
            ..filter.clone()
        } == ListFilter::default();
        let reach = if scope.is_nhrc() && alone {
            search::Reach::Everything
        } else {
            search::Reach::Narrowed
        };
        let found = search::observations(db, q, reach).await?;
        query = query.filter(found.condition);
        (truncated, relevance) = (found.truncated, found.relevance);
    }
    let (rows, total, more, next, previous) = match (relevance, text(&filter.sort)) {
        (Some(relevance), None | Some(SORT_RELEVANCE)) => {
            if let Some(institution) = institution {
                query = query.filter(scope::concerning_institution(institution));
            }
            let (rows, total, next, previous) =
                ranked_page(db, query, C::Id, &relevance, filter, |r| r.id).await?;
            (rows, total, false, next, previous)
        }
        (_, sort) => {
            let (rows, total, more, next, previous) =
                by_date(db, query, institution, sort, filter).await?;
            (rows, total, more || truncated, next, previous)
        }
    };
    let items = observation_summaries(db, user, scope, rows, today).await?;
    Ok(Page {
        items,
        total,
        more,
        next,
        previous,
    })
}

/// A page of observations in an order of dates, each an index's (migration 000015): newest or
/// oldest by the moment the case entered the list, or last changed first; with how many match
/// (capped) and the neighbours' cursors. Narrowed to an `institution`'s cases, the list's own
/// order is read in that institution's index (migration 000018).
async fn by_date(
    db: &DatabaseConnection,
    query: Select<observation::Entity>,
    institution: Option<Uuid>,
    sort: Option<&str>,
    filter: &ListFilter,
) -> Result<DatePage, AppError> {
    use observation::Column as C;
    use observation_concern::Column as Concern;
    let (by_update, descending) = match sort {
        Some("oldest") => (false, false),
        Some("updated") => (true, true),
        _ => (false, true),
    };
    let key_of = |row: &observation::Model| {
        let at = if by_update {
            row.updated_at
        } else {
            row.listed_at
        };
        (vec![Key::Moment(at)], row.id)
    };
    let like = [Key::Moment(DateTime::<Utc>::MIN_UTC)];
    // The page and its count, in `sorting`'s order.
    async fn counted<C: ColumnTrait + Copy>(
        db: &DatabaseConnection,
        query: Select<observation::Entity>,
        sorting: Sorting<C>,
        filter: &ListFilter,
        key_of: impl Fn(&observation::Model) -> (Vec<Key>, Uuid),
        like: &[Key],
    ) -> Result<DatePage, AppError> {
        let (total, more) = capped_count(db, query.clone()).await?;
        let (rows, next, previous) = keyset_page(db, query, &sorting, filter, key_of, like).await?;
        Ok((rows, total, more, next, previous))
    }
    match institution {
        // The copy of `listed_at` beside the institution is the order itself.
        Some(institution) if !by_update => {
            let sorting = Sorting {
                columns: vec![Concern::ListedAt],
                id: Concern::ObservationId,
                descending,
            };
            let query = scope::in_concerns_order(query, institution);
            counted(db, query, sorting, filter, key_of, &like).await
        }
        _ => {
            let sorting = Sorting {
                columns: vec![if by_update { C::UpdatedAt } else { C::ListedAt }],
                id: C::Id,
                descending,
            };
            let query = match institution {
                Some(institution) => query.filter(scope::concerning_institution(institution)),
                None => query,
            };
            counted(db, query, sorting, filter, key_of, &like).await
        }
    }
}

/// A page of observations: its rows, how many match (capped) and whether more do, and the
/// cursors of the pages after and before it.
type DatePage = (
    Vec<observation::Model>,
    u64,
    bool,
    Option<String>,
    Option<String>,
);

/// A page's rows as the list shows them, loaded with a fixed number of queries.
async fn observation_summaries(
    db: &DatabaseConnection,
    user: &CurrentUser,
    scope: Scope,
    rows: Vec<observation::Model>,
    today: NaiveDate,
) -> Result<Vec<ObservationSummary>, AppError> {
    let names = Names::load(db, user.locale).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let referrals = referral::Entity::find()
        .filter(referral::Column::ObservationId.is_in(ids.clone()))
        .all(db)
        .await?;
    let named = observation_institution::Entity::find()
        .filter(observation_institution::Column::ObservationId.is_in(ids))
        .all(db)
        .await?;
    // The organisations of this page's rows only (the NHRC sees who filed).
    let organisations: Vec<organisation::Model> = if scope.is_nhrc() {
        organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id)))
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let mine: Vec<&referral::Model> = referrals
                .iter()
                .filter(|r| r.observation_id == row.id)
                .collect();
            let institutions = if mine.is_empty() {
                named
                    .iter()
                    .filter(|n| n.observation_id == row.id)
                    .map(|n| names.acronym(n.institution_id))
                    .collect()
            } else {
                mine.iter()
                    .map(|r| names.acronym(r.institution_id))
                    .collect()
            };
            ObservationSummary {
                id: row.id.to_string(),
                reference: row.reference.clone(),
                title: row.title.clone(),
                status: ObservationStatus::parse(&row.status).unwrap_or(ObservationStatus::Draft),
                category: names.category(row.category_id),
                region: names.region(row.region_code.as_deref()),
                institutions,
                submitted_on: row.submitted_at.map(|d| d.format("%Y-%m-%d").to_string()),
                organisation: organisations
                    .iter()
                    .find(|o| o.id == row.organisation_id)
                    .map(|o| o.name.clone()),
                overdue: mine.iter().any(|r| referral_overdue(r, today)),
            }
        })
        .collect())
}

/// The liaison's inbox: their institution's referrals, the most urgent open ones first.
#[tracing::instrument(skip_all, fields(viewer = %user.id))]
pub async fn referrals(
    db: &DatabaseConnection,
    user: &CurrentUser,
    filter: &ListFilter,
) -> Result<Page<ReferralSummary>, AppError> {
    use referral::Column as C;
    let scope = Scope::of(user)?;
    let today = today();
    let mut query = scope::referrals(scope);
    if let Some(status) = choice(&filter.status, "status", ReferralStatus::parse)? {
        query = query.filter(C::Status.eq(status.as_str()));
    }
    query = query.filter(period(C::ForwardedAt, filter)?);
    if overdue_only(filter)? {
        query = query.filter(overdue_referrals(today));
    }
    let mut behind = Query::select()
        .column(observation::Column::Id)
        .from(observation::Entity)
        .to_owned();
    let mut restricted = false;
    if let Some(category) = uuid(&filter.category, "category")? {
        behind.and_where(observation::Column::CategoryId.eq(category));
        restricted = true;
    }
    if let Some(region) = text(&filter.region) {
        behind.and_where(observation::Column::RegionCode.eq(region));
        restricted = true;
    }
    if restricted {
        query = query.filter(C::ObservationId.in_subquery(behind));
    }
    let mut relevance = None;
    if let Some(q) = text(&filter.q) {
        // The released text and the public reference only: never the original.
        let found = search::referrals(db, q).await?;
        query = query.filter(found.condition);
        relevance = found.relevance;
    }
    if let (Some(relevance), None | Some(SORT_RELEVANCE)) = (&relevance, text(&filter.sort)) {
        let (rows, total, next, previous) =
            ranked_page(db, query, C::Id, relevance, filter, |r| r.id).await?;
        let items = referral_summaries(db, &rows, today).await?;
        return Ok(Page {
            items,
            total,
            more: false,
            next,
            previous,
        });
    }
    // Oldest due first (migration 000015's `list_due`: the running deadline, the referrals
    // without one after), or by forwarding day.
    let (columns, descending) = match text(&filter.sort) {
        Some("newest") => (vec![C::ForwardedAt], true),
        Some("oldest") => (vec![C::ForwardedAt], false),
        _ => (vec![C::ListDue, C::ForwardedAt], false),
    };
    let by_due = columns.len() == 2;
    let sorting = Sorting {
        columns,
        id: C::Id,
        descending,
    };
    let key_of = |row: &referral::Model| {
        let keys = if by_due {
            vec![Key::Day(row.list_due), Key::Moment(row.forwarded_at)]
        } else {
            vec![Key::Moment(row.forwarded_at)]
        };
        (keys, row.id)
    };
    let like = if by_due {
        vec![
            Key::Day(NaiveDate::MIN),
            Key::Moment(DateTime::<Utc>::MIN_UTC),
        ]
    } else {
        vec![Key::Moment(DateTime::<Utc>::MIN_UTC)]
    };
    let (total, more) = capped_count(db, query.clone()).await?;
    let (rows, next, previous) = keyset_page(db, query, &sorting, filter, key_of, &like).await?;
    let items = referral_summaries(db, &rows, today).await?;
    Ok(Page {
        items,
        total,
        more,
        next,
        previous,
    })
}

/// A page's referrals as the liaison's list shows them, loaded with a fixed number of queries.
async fn referral_summaries(
    db: &DatabaseConnection,
    rows: &[referral::Model],
    today: NaiveDate,
) -> Result<Vec<ReferralSummary>, AppError> {
    let calendar = super::holidays(db).await?;
    let observations = observation::Entity::find()
        .filter(observation::Column::Id.is_in(rows.iter().map(|r| r.observation_id)))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .map(|r| ReferralSummary {
            id: r.id.to_string(),
            reference: observations
                .iter()
                .find(|o| o.id == r.observation_id)
                .and_then(|o| o.reference.clone())
                .unwrap_or_default(),
            title: r.title.clone(),
            status: ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Closed),
            forwarded_on: r.forwarded_at.format("%Y-%m-%d").to_string(),
            next_deadline: next_deadline(r, today, &calendar),
            overdue: referral_overdue(r, today),
        })
        .collect())
}

pub async fn choices(
    db: &DatabaseConnection,
    locale: crate::domain::Locale,
) -> Result<ListChoices, AppError> {
    use crate::server::reference;
    Ok(ListChoices {
        categories: reference::categories_by_name(db, locale)
            .await?
            .into_iter()
            .map(|c| {
                let name = match locale {
                    crate::domain::Locale::Fr => c.name_fr,
                    crate::domain::Locale::En => c.name_en,
                };
                (c.id, name)
            })
            .collect(),
        // Only institutions that receive referrals can appear in results: the others are
        // never offered to filers, tipsters or forwarders.
        institutions: reference::institutions(db, locale)
            .await?
            .into_iter()
            .filter(|i| i.receives_referrals)
            .map(|i| (i.id, i.acronym))
            .collect(),
        regions: reference::regions(db, locale)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect(),
        can_file: false,
    })
}

/// The public tip form's choices: categories, the institutions a tipster may name (those that
/// receive referrals, by their name, not their acronym) and regions, in the reader's language.
pub async fn tip_choices(
    db: &DatabaseConnection,
    locale: crate::domain::Locale,
) -> Result<ListChoices, AppError> {
    use crate::server::reference;
    let mut tip = choices(db, locale).await?;
    tip.institutions = reference::receiving_institutions(db, locale)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    Ok(tip)
}
