//! Reading the cube: each breakdown of the dashboard (and of the public page) is one grouped sum
//! over the cells of its level, within the viewer's scope: NHRC the whole cube, a liaison its
//! institution's referral measures, a CSO its own observations' facts counted live. The
//! running deadlines passed today without acknowledgement or response are added to each sum
//! ([`lapses`]), and the overdue list counts its days late in working days.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{CELLS, UNMET};
use crate::domain::Locale;
use crate::domain::calendar::working_days_between;
use crate::domain::statistics::{
    ALL, CellKey, Lapses, Measures, ObservationFacts, cercle_place, contributions, grain, is_month,
    lapse_cell, lapse_measures, region_place,
};
use crate::error::AppError;
use crate::model::statistics::{Dashboard, DashboardFilter, Figures, Group, OverdueReferral};
use crate::server::entities::cercle;
use crate::server::observations::scope::Scope;
use crate::server::observations::{Names, holidays};

/// How a question groups the cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breakdown {
    Total,
    Month,
    Institution,
    Region,
    Cercle,
    Category,
    Lens,
}

/// A filter checked against the reference data: unknown values are refused, not ignored, so
/// a figure never silently answers another question than the one asked.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// The filter, trimmed, each value known.
    pub filter: DashboardFilter,
    /// The cercle places of the region in the filter.
    cercles: Vec<String>,
}

impl Checked {
    /// Every cell of the months `from` to `to` (`YYYY-MM`, both included): no other filter.
    pub fn months(from: String, to: String) -> Checked {
        Checked {
            filter: DashboardFilter {
                from: Some(from),
                to: Some(to),
                ..Default::default()
            },
            cercles: Vec::new(),
        }
    }
}

impl std::ops::Deref for Checked {
    type Target = DashboardFilter;

    fn deref(&self) -> &DashboardFilter {
        &self.filter
    }
}

fn clean(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

pub async fn check(
    db: &impl ConnectionTrait,
    names: &Names,
    filter: &DashboardFilter,
) -> Result<Checked, AppError> {
    let from = clean(&filter.from);
    let to = clean(&filter.to);
    for (field, month) in [("from", &from), ("to", &to)] {
        if month.as_deref().is_some_and(|m| !is_month(m)) {
            return Err(AppError::field(field, "error-month-invalid"));
        }
    }
    if let (Some(from), Some(to)) = (&from, &to)
        && from > to
    {
        return Err(AppError::field("to", "error-period-order"));
    }
    let institution = clean(&filter.institution);
    if let Some(id) = &institution
        && !Uuid::parse_str(id).is_ok_and(|id| names.has_institution(id))
    {
        return Err(AppError::field("institution", "error-choice-unknown"));
    }
    let category = clean(&filter.category);
    if let Some(id) = &category
        && !Uuid::parse_str(id).is_ok_and(|id| names.has_category(id))
    {
        return Err(AppError::field("category", "error-choice-unknown"));
    }
    let region = clean(&filter.region);
    let mut cercles = Vec::new();
    if let Some(code) = &region {
        if !names.has_region(code) {
            return Err(AppError::field("region", "error-choice-unknown"));
        }
        cercles = cercle::Entity::find()
            .filter(cercle::Column::RegionCode.eq(code.as_str()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| cercle_place(&c.id.to_string()))
            .collect();
    }
    Ok(Checked {
        filter: DashboardFilter {
            from,
            to,
            institution,
            region,
            category,
            womens: filter.womens,
            sensitive: filter.sensitive,
        },
        cercles,
    })
}

/// Which cells answer one question.
#[derive(Debug)]
struct Slice {
    grain: i32,
    /// `Some(value)`: that value (possibly `*`); `None`: any concrete value (the grain says).
    institution: Option<String>,
    category: Option<String>,
    place: Place,
    group: Breakdown,
    /// Grouped by month too, after the breakdown's own columns.
    monthly: bool,
}

#[derive(Debug)]
enum Place {
    Is(String),
    OneOf(Vec<String>),
    /// Every region (the only level a breakdown asks for without a list).
    AnyAtLevel,
}

fn slice(filter: &Checked, by: Breakdown) -> Slice {
    let fixed = |value: &Option<String>, grouped: bool| match value {
        Some(v) => Some(v.clone()),
        None if grouped => None,
        None => Some(ALL.to_string()),
    };
    let institution = fixed(&filter.institution, by == Breakdown::Institution);
    let category = fixed(&filter.category, by == Breakdown::Category);
    let (place, level) = match (by, &filter.region) {
        (Breakdown::Cercle, _) => (Place::OneOf(filter.cercles.clone()), 2),
        (_, Some(code)) => (Place::Is(region_place(code)), 1),
        (Breakdown::Region, None) => (Place::AnyAtLevel, 1),
        (_, None) => (Place::Is(ALL.to_string()), 0),
    };
    Slice {
        grain: grain(
            institution.as_deref() != Some(ALL),
            category.as_deref() != Some(ALL),
            level,
        ),
        institution,
        category,
        place,
        group: by,
        monthly: false,
    }
}

fn group_key(key: &CellKey, by: Breakdown) -> String {
    match by {
        Breakdown::Total => String::new(),
        Breakdown::Month => key.month.clone(),
        Breakdown::Institution => key.institution.clone(),
        Breakdown::Region | Breakdown::Cercle => key.place.clone(),
        Breakdown::Category => key.category.clone(),
        Breakdown::Lens => lens_key(key.womens, key.sensitive),
    }
}

fn lens_key(womens: bool, sensitive: bool) -> String {
    format!("{}{}", u8::from(womens), u8::from(sensitive))
}

/// Where the cells come from: the stored cube, or cells counted on the fly.
enum Source<'a> {
    Cube(&'a DatabaseConnection),
    Cells(BTreeMap<CellKey, Measures>),
}

impl Source<'_> {
    async fn sum(
        &self,
        filter: &Checked,
        by: Breakdown,
    ) -> Result<BTreeMap<String, Measures>, AppError> {
        let slice = slice(filter, by);
        match self {
            Source::Cube(db) => sum_stored(db, filter, &slice).await,
            Source::Cells(cells) => Ok(sum_counted(cells, filter, &slice)),
        }
    }
}

/// A source's sums with today's lapsed deadlines added.
struct Counts<'a> {
    source: Source<'a>,
    lapses: Vec<Lapses>,
}

impl Counts<'_> {
    async fn sum(
        &self,
        filter: &Checked,
        by: Breakdown,
    ) -> Result<BTreeMap<String, Measures>, AppError> {
        let mut sums = self.source.sum(filter, by).await?;
        let slice = slice(filter, by);
        for lapsed in &self.lapses {
            // Each lapse adds to one cell of the breakdown's grain, or to none.
            if let Some(key) = lapse_cell(lapsed, slice.grain)
                && in_slice(&key, filter, &slice)
            {
                sums.entry(group_key(&key, by))
                    .or_default()
                    .add(&lapse_measures(lapsed), 1);
            }
        }
        Ok(sums)
    }
}

/// The running deadlines passed before `today` without acknowledgement or response, within
/// the scope, counted by forwarding month, institution, place, category and lens (each
/// breakdown then reads the level it needs: building every level's cells here took 15 000
/// cells and a dozen megabytes a request at a million cases). Few rows: only referrals whose
/// clock still runs are kept, and the deadline job escalates them a few days after their
/// deadline (the escalation then counts the lapse in the cube). The dashboard's filters apply
/// to them as to the cube's.
pub async fn lapses(
    db: &impl ConnectionTrait,
    scope: Scope,
    today: NaiveDate,
) -> Result<Vec<Lapses>, AppError> {
    let dimensions = [
        "month",
        "institution",
        "region",
        "cercle",
        "category",
        "womens",
        "sensitive",
    ];
    let mut lapses = Vec::new();
    for (due, ack) in [("ack_due", true), ("resp_due", false)] {
        let mut cond = Cond::all().add(Expr::col(Alias::new(due)).lt(today));
        match scope {
            Scope::Organisation { organisation, .. } => {
                cond = cond.add(Expr::col(Alias::new("organisation")).eq(organisation.to_string()));
            }
            Scope::Institution {
                institution: own, ..
            } => {
                cond = cond.add(Expr::col(Alias::new("institution")).eq(own.to_string()));
            }
            Scope::Nhrc { .. } => {}
        }
        let mut select = Query::select();
        select.from(Alias::new(UNMET)).cond_where(cond);
        for column in dimensions {
            select
                .column(Alias::new(column))
                .group_by_col(Alias::new(column));
        }
        select.expr(Expr::cust("COUNT(*)"));
        for row in db.query_all(&select).await? {
            let count: i64 = row.try_get_by_index(7)?;
            let lapsed = Lapses {
                month: row.try_get_by_index(0)?,
                institution: row.try_get_by_index(1)?,
                region: row.try_get_by_index(2)?,
                cercle: row.try_get_by_index(3)?,
                category: row.try_get_by_index(4)?,
                womens: row.try_get_by_index(5)?,
                sensitive: row.try_get_by_index(6)?,
                ack: if ack { count } else { 0 },
                resp: if ack { 0 } else { count },
            };
            lapses.push(lapsed);
        }
    }
    Ok(lapses)
}

fn sum_counted(
    cells: &BTreeMap<CellKey, Measures>,
    filter: &Checked,
    slice: &Slice,
) -> BTreeMap<String, Measures> {
    let mut groups: BTreeMap<String, Measures> = BTreeMap::new();
    for (key, measures) in cells {
        if in_slice(key, filter, slice) {
            groups
                .entry(group_key(key, slice.group))
                .or_default()
                .add(measures, 1);
        }
    }
    groups
}

/// Whether the cell `key` answers the slice's question under the filter.
fn in_slice(key: &CellKey, filter: &Checked, slice: &Slice) -> bool {
    let place_ok = match &slice.place {
        Place::Is(p) => key.place == *p,
        Place::OneOf(places) => places.contains(&key.place),
        Place::AnyAtLevel => key.place.starts_with("R:"),
    };
    key.grain() == slice.grain
        && place_ok
        && slice
            .institution
            .as_ref()
            .is_none_or(|v| key.institution == *v)
        && slice.category.as_ref().is_none_or(|v| key.category == *v)
        && filter.from.as_ref().is_none_or(|m| key.month >= *m)
        && filter.to.as_ref().is_none_or(|m| key.month <= *m)
        && filter.womens.is_none_or(|w| key.womens == w)
        && filter.sensitive.is_none_or(|s| key.sensitive == s)
}

/// The cells' columns a breakdown groups by.
fn group_columns(by: Breakdown) -> &'static [&'static str] {
    match by {
        Breakdown::Total => &[],
        Breakdown::Month => &["month"],
        Breakdown::Institution => &["institution"],
        Breakdown::Region | Breakdown::Cercle => &["place"],
        Breakdown::Category => &["category"],
        Breakdown::Lens => &["womens", "sensitive"],
    }
}

fn select(filter: &Checked, slice: &Slice) -> SelectStatement {
    let col = |name: &str| Expr::col(Alias::new(name));
    let mut query = Query::select();
    query.from(Alias::new(CELLS));
    let mut group_columns = group_columns(slice.group).to_vec();
    if slice.monthly {
        group_columns.push("month");
    }
    for column in group_columns {
        query
            .column(Alias::new(column))
            .group_by_col(Alias::new(column));
    }
    for column in Measures::columns() {
        // PostgreSQL sums BIGINT into NUMERIC: cast back.
        query.expr_as(
            Expr::cust(format!("CAST(SUM({column}) AS BIGINT)")),
            Alias::new(column),
        );
    }
    let mut cond = Cond::all().add(col("grain").eq(slice.grain));
    if let Some(v) = &slice.institution {
        cond = cond.add(col("institution").eq(v.as_str()));
    }
    if let Some(v) = &slice.category {
        cond = cond.add(col("category").eq(v.as_str()));
    }
    cond = match &slice.place {
        Place::Is(p) => cond.add(col("place").eq(p.as_str())),
        Place::OneOf(places) => cond.add(col("place").is_in(places.iter().map(String::as_str))),
        // Region codes only (`R:…`), as a range the cell key's index can use.
        Place::AnyAtLevel => cond.add(col("place").gt("R:")).add(col("place").lt("R;")),
    };
    if let Some(m) = &filter.from {
        cond = cond.add(col("month").gte(m.as_str()));
    }
    if let Some(m) = &filter.to {
        cond = cond.add(col("month").lte(m.as_str()));
    }
    if let Some(w) = filter.womens {
        cond = cond.add(col("womens").eq(w));
    }
    if let Some(s) = filter.sensitive {
        cond = cond.add(col("sensitive").eq(s));
    }
    query.cond_where(cond);
    query.to_owned()
}

async fn sum_stored(
    db: &DatabaseConnection,
    filter: &Checked,
    slice: &Slice,
) -> Result<BTreeMap<String, Measures>, AppError> {
    if matches!(&slice.place, Place::OneOf(p) if p.is_empty()) {
        return Ok(BTreeMap::new());
    }
    let statement = select(filter, slice);
    let rows = db.query_all(&statement).await?;
    let measures = Measures::columns().len();
    let mut groups = BTreeMap::new();
    for row in rows {
        let (key, skip) = match slice.group {
            Breakdown::Total => (String::new(), 0),
            Breakdown::Lens => (
                lens_key(row.try_get_by_index(0)?, row.try_get_by_index(1)?),
                2,
            ),
            _ => (row.try_get_by_index::<String>(0)?, 1),
        };
        let mut values = Vec::with_capacity(measures);
        for i in 0..measures {
            // A sum over no rows is NULL.
            values.push(row.try_get_by_index::<Option<i64>>(skip + i)?.unwrap_or(0));
        }
        groups.insert(key, Measures::from_values(&values));
    }
    Ok(groups)
}

/// The whole cube's sums per group and month at `by`'s level (one of the breakdowns by a single
/// column: institution, region, cercle or category), within `filter`. For the public page,
/// which has no scope: its figures are published for everyone.
pub async fn sums_by_month(
    db: &DatabaseConnection,
    filter: &Checked,
    by: Breakdown,
) -> Result<Vec<(String, String, Measures)>, AppError> {
    debug_assert_eq!(group_columns(by).len(), 1, "{by:?}");
    let mut slice = slice(filter, by);
    slice.monthly = true;
    if matches!(&slice.place, Place::OneOf(p) if p.is_empty()) {
        return Ok(Vec::new());
    }
    let rows = db.query_all(&select(filter, &slice)).await?;
    let measures = Measures::columns().len();
    let mut sums = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = Vec::with_capacity(measures);
        for i in 0..measures {
            // A sum over no rows is NULL.
            values.push(row.try_get_by_index::<Option<i64>>(2 + i)?.unwrap_or(0));
        }
        sums.push((
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<String>(1)?,
            Measures::from_values(&values),
        ));
    }
    Ok(sums)
}

/// The cells of one organisation's observations, counted from their stored facts.
async fn organisation_cells(
    db: &DatabaseConnection,
    organisation: Uuid,
) -> Result<BTreeMap<CellKey, Measures>, AppError> {
    let statement = Query::select()
        .column((Alias::new("stat_facts"), Alias::new("facts")))
        .from(Alias::new("stat_facts"))
        .inner_join(
            Alias::new("observations"),
            Expr::col((Alias::new("observations"), Alias::new("id")))
                .equals((Alias::new("stat_facts"), Alias::new("observation_id"))),
        )
        .and_where(
            Expr::col((Alias::new("observations"), Alias::new("organisation_id"))).eq(organisation),
        )
        .to_owned();
    let mut cells: BTreeMap<CellKey, Measures> = BTreeMap::new();
    for row in db.query_all(&statement).await? {
        let text: String = row.try_get_by_index(0)?;
        let Ok(facts) = serde_json::from_str::<ObservationFacts>(&text) else {
            continue;
        };
        for (key, measures) in contributions(&facts) {
            cells.entry(key).or_default().add(&measures, 1);
        }
    }
    Ok(cells)
}

/// The referrals overdue today within the filter and the scope: their count per institution,
/// and the oldest ones. Read from the open referrals' running deadlines (kept with the cube),
/// whose own columns carry every filter: no scan or join of the large tables.
async fn overdue(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &Checked,
    names: &Names,
    today: NaiveDate,
) -> Result<(HashMap<String, i64>, Vec<OverdueReferral>), AppError> {
    let col = |name: &str| Expr::col(Alias::new(name));
    let mut cond = Cond::all().add(col("running_due").lt(today));
    match scope {
        Scope::Organisation { organisation, .. } => {
            cond = cond.add(col("organisation").eq(organisation.to_string()));
        }
        Scope::Institution {
            institution: own, ..
        } => cond = cond.add(col("institution").eq(own.to_string())),
        Scope::Nhrc { .. } => {}
    }
    if let Some(id) = &filter.institution {
        cond = cond.add(col("institution").eq(id.as_str()));
    }
    if let Some(code) = &filter.region {
        cond = cond.add(col("region").eq(code.as_str()));
    }
    if let Some(id) = &filter.category {
        cond = cond.add(col("category").eq(id.as_str()));
    }
    if let Some(womens) = filter.womens {
        cond = cond.add(col("womens").eq(womens));
    }
    if let Some(sensitive) = filter.sensitive {
        cond = cond.add(col("sensitive").eq(sensitive));
    }
    if let Some(m) = &filter.from {
        cond = cond.add(col("month").gte(m.as_str()));
    }
    if let Some(m) = &filter.to {
        cond = cond.add(col("month").lte(m.as_str()));
    }
    let counts = Query::select()
        .column(Alias::new("institution"))
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new(super::OPEN))
        .cond_where(cond.clone())
        .group_by_col(Alias::new("institution"))
        .to_owned();
    let mut by_institution = HashMap::new();
    for row in db.query_all(&counts).await? {
        by_institution.insert(
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<i64>(1)?,
        );
    }
    // The figures count every case; the list names cases, so a sensitive one only to a reader
    // who holds the permission.
    let listed = if scope.sees_sensitive() {
        cond
    } else {
        cond.add(col("sensitive").eq(false))
    };
    let oldest = Query::select()
        .columns(
            [
                "referral_id",
                "observation_id",
                "reference",
                "institution",
                "running_due",
            ]
            .map(Alias::new),
        )
        .from(Alias::new(super::OPEN))
        .cond_where(listed)
        .order_by(Alias::new("running_due"), Order::Asc)
        .order_by(Alias::new("reference"), Order::Asc)
        .limit(50)
        .to_owned();
    let holidays = holidays(db).await?;
    let mut list = Vec::new();
    for row in db.query_all(&oldest).await? {
        let referral: String = row.try_get_by_index(0)?;
        let observation: Uuid = row.try_get_by_index(1)?;
        let institution: String = row.try_get_by_index(3)?;
        let due: NaiveDate = row.try_get_by_index(4)?;
        list.push(OverdueReferral {
            link: match scope {
                Scope::Institution { .. } => format!("/referrals/{referral}"),
                _ => format!("/observations/{observation}"),
            },
            reference: row.try_get_by_index(2)?,
            institution: Uuid::parse_str(&institution)
                .map(|id| names.acronym(id))
                .unwrap_or_default(),
            due: due.format("%Y-%m-%d").to_string(),
            days_late: i64::from(working_days_between(due, today, &holidays)),
        });
    }
    Ok((by_institution, list))
}

/// The dashboard for `filter` as `scope` may see it.
#[tracing::instrument(skip_all)]
pub async fn dashboard(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &DashboardFilter,
    locale: Locale,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    let names = Names::load(db, locale).await?;
    let mut filter = filter.clone();
    if let Some(own) = scope.institution() {
        filter.institution = Some(own.to_string());
        // Whether a women's organisation filed says something of the filer, which an
        // institution never learns: no such filter, and no such lens, for a liaison.
        if filter.womens.is_some() {
            return Err(AppError::field("womens", "error-choice-unknown"));
        }
    }
    let checked = check(db, &names, &filter).await?;
    let source = Counts {
        source: match scope {
            Scope::Organisation { organisation, .. } => {
                Source::Cells(organisation_cells(db, organisation).await?)
            }
            Scope::Nhrc { .. } | Scope::Institution { .. } => Source::Cube(db),
        },
        lapses: lapses(db, scope, today).await?,
    };
    let (overdue_by_institution, overdue) = overdue(db, scope, &checked, &names, today).await?;
    let shows_observations = !matches!(scope, Scope::Institution { .. });

    let figures = |m: &Measures| {
        let mut f = Figures::of(m);
        if !shows_observations {
            f.observations = Default::default();
            f.observations_total = 0;
        }
        f
    };
    let groups = |sums: BTreeMap<String, Measures>, label: &dyn Fn(&str) -> String| -> Vec<Group> {
        sums.into_iter()
            .map(|(key, m)| Group {
                label: label(&key),
                figures: figures(&m),
                key,
            })
            .collect()
    };

    let total = source
        .sum(&checked, Breakdown::Total)
        .await?
        .remove("")
        .unwrap_or_default();
    let mut totals = figures(&total);
    totals.overdue = overdue_by_institution.values().sum();

    let months = groups(source.sum(&checked, Breakdown::Month).await?, &|m| {
        m.to_string()
    });
    let mut institutions = groups(source.sum(&checked, Breakdown::Institution).await?, &|id| {
        Uuid::parse_str(id).map_or_else(|_| id.to_string(), |id| names.acronym(id))
    });
    for group in &mut institutions {
        group.figures.overdue = overdue_by_institution.get(&group.key).copied().unwrap_or(0);
    }
    institutions.sort_by(|a, b| {
        b.figures
            .received
            .cmp(&a.figures.received)
            .then(a.label.cmp(&b.label))
    });
    let place_label = |place: &str| -> String {
        if let Some(code) = place.strip_prefix("R:") {
            names.region(Some(code))
        } else if let Some(id) = place.strip_prefix("C:") {
            names.cercle(Uuid::parse_str(id).ok())
        } else {
            place.to_string()
        }
    };
    let regions = groups(source.sum(&checked, Breakdown::Region).await?, &place_label);
    let cercles = if checked.region.is_some() {
        groups(source.sum(&checked, Breakdown::Cercle).await?, &place_label)
    } else {
        Vec::new()
    };
    let categories = groups(source.sum(&checked, Breakdown::Category).await?, &|id| {
        names.category_of_key(id)
    });
    let lens_cells = source.sum(&checked, Breakdown::Lens).await?;
    let lens_group = |key: &str, keep: &dyn Fn(&str) -> bool| {
        let mut m = Measures::default();
        for (k, v) in &lens_cells {
            if keep(k) {
                m.add(v, 1);
            }
        }
        Group {
            key: key.to_string(),
            label: key.to_string(),
            figures: figures(&m),
        }
    };
    let mut lens = Vec::new();
    if shows_observations {
        lens.push(lens_group("womens", &|k| k.starts_with('1')));
        lens.push(lens_group("other_organisations", &|k| k.starts_with('0')));
    }
    lens.push(lens_group("sensitive", &|k| k.ends_with('1')));
    lens.push(lens_group("other_categories", &|k| k.ends_with('0')));
    Ok(Dashboard {
        filter: checked.filter.clone(),
        shows_observations,
        exports_observations: scope.is_nhrc(),
        totals,
        months,
        institutions,
        regions,
        cercles,
        categories,
        lens,
        overdue_total: overdue_by_institution.values().sum(),
        overdue,
    })
}
