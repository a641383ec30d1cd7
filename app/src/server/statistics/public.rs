//! The public transparency page: per quarter, referrals per institution and observations per
//! category and region, through the dashboard's query builder; counts below five hidden with
//! their complements (`domain::statistics::suppress`); kept in memory a few minutes per language.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::query::{self, Breakdown, Checked};
use crate::domain::Locale;
use crate::domain::statistics::{Measures, suppress};
use crate::error::AppError;
use crate::model::statistics::{PublicTable, Transparency};
use crate::server::observations::Names;

const FRESH_FOR: Duration = Duration::from_secs(300);
const QUARTERS: usize = 4;

#[derive(Clone, Default)]
pub struct Cache(Arc<Mutex<HashMap<Locale, (Instant, Transparency)>>>);

/// The quarters shown (oldest first), each as its label and its first and last month.
fn quarters(today: NaiveDate) -> Vec<(String, String, String)> {
    let start =
        NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(today);
    (0..QUARTERS)
        .rev()
        .filter_map(|back| {
            let first = start.checked_sub_months(Months::new(3 * back as u32))?;
            let last = first.checked_add_months(Months::new(2))?;
            Some((
                format!("{}-T{}", first.year(), first.month0() / 3 + 1),
                first.format("%Y-%m").to_string(),
                last.format("%Y-%m").to_string(),
            ))
        })
        .collect()
}

/// Counts by (row key, month) of one breakdown of the cube over the months `from` to `to`:
/// `measure` picks the count from each cell's sums.
async fn counts(
    db: &DatabaseConnection,
    by: Breakdown,
    measure: fn(&Measures) -> i64,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String, i64)>, AppError> {
    let months = Checked::months(from.to_string(), to.to_string());
    Ok(query::sums_by_month(db, &months, by)
        .await?
        .into_iter()
        .map(|(key, month, sums)| (key, month, measure(&sums)))
        .collect())
}

fn table(
    counts: Vec<(String, String, i64)>,
    quarters: &[(String, String, String)],
    label: impl Fn(&str) -> String,
) -> PublicTable {
    let mut by_row: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (key, month, n) in counts {
        let Some(q) = quarters
            .iter()
            .position(|(_, first, last)| month >= *first && month <= *last)
        else {
            continue;
        };
        by_row
            .entry(label(&key))
            .or_insert_with(|| vec![0; quarters.len()])[q] += n;
    }
    by_row.retain(|_, counts| counts.iter().any(|n| *n > 0));
    let rows: Vec<String> = by_row.keys().cloned().collect();
    let values: Vec<Vec<i64>> = by_row.into_values().collect();
    PublicTable {
        rows,
        table: suppress(&values),
    }
}

/// An institution's name as the public knows it: "Police nationale (Direction générale de la
/// Police nationale)" reads "Police nationale".
fn public_name(full: &str) -> String {
    full.split_once(" (")
        .map_or(full, |(name, _)| name)
        .trim()
        .to_string()
}

async fn compute(db: &DatabaseConnection, locale: Locale) -> Result<Transparency, AppError> {
    let names = Names::load(db, locale).await?;
    let quarters = quarters(Utc::now().date_naive());
    let from = quarters.first().map(|q| q.1.clone()).unwrap_or_default();
    let to = quarters.last().map(|q| q.2.clone()).unwrap_or_default();
    let received = |m: &Measures| m.received;
    let observations = |m: &Measures| m.observations.iter().sum();
    let by_institution = counts(db, Breakdown::Institution, received, &from, &to).await?;
    let by_category = counts(db, Breakdown::Category, observations, &from, &to).await?;
    let by_region = counts(db, Breakdown::Region, observations, &from, &to).await?;
    let id = |key: &str| Uuid::parse_str(key).ok();
    Ok(Transparency {
        // Named for the public, who do not know the acronyms: "Police nationale", the name
        // without its parenthesised directorate.
        institutions: table(by_institution, &quarters, |k| {
            id(k).map_or_else(|| k.to_string(), |i| public_name(&names.institution(i)))
        }),
        categories: table(by_category, &quarters, |k| names.category_of_key(k)),
        regions: table(by_region, &quarters, |k| names.region(k.strip_prefix("R:"))),
        quarters: quarters.into_iter().map(|q| q.0).collect(),
        computed_at: Utc::now().format("%Y-%m-%d %H:%M").to_string(),
    })
}

/// The figures in `locale`, from memory when fresh enough.
#[tracing::instrument(skip_all)]
pub async fn transparency(
    db: &DatabaseConnection,
    cache: &Cache,
    locale: Locale,
) -> Result<Transparency, AppError> {
    if let Ok(held) = cache.0.lock()
        && let Some((at, figures)) = held.get(&locale)
        && at.elapsed() < FRESH_FOR
    {
        return Ok(figures.clone());
    }
    let figures = compute(db, locale).await?;
    if let Ok(mut held) = cache.0.lock() {
        held.insert(locale, (Instant::now(), figures.clone()));
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn institutions_go_by_the_name_people_know() {
        assert_eq!(
            public_name("Police nationale (Direction générale de la Police nationale)"),
            "Police nationale"
        );
        assert_eq!(
            public_name("Garde nationale du Mali"),
            "Garde nationale du Mali"
        );
        assert_eq!(public_name(""), "");
    }

    #[test]
    fn four_quarters_up_to_the_current_one() {
        let q = quarters(NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"));
        let labels: Vec<&str> = q.iter().map(|q| q.0.as_str()).collect();
        assert_eq!(labels, ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]);
        assert_eq!((q[3].1.as_str(), q[3].2.as_str()), ("2026-10", "2026-12"));
        let q = quarters(NaiveDate::from_ymd_opt(2027, 2, 1).expect("date"));
        assert_eq!(q[0].0, "2026-T2");
    }
}
