//! The NHRC's numbers as pure rules: what one observation adds to each cell of the statistics
//! cube, and how summed cells become the measures people read (shares, medians, suppression of
//! small counts). Storage and queries live in `server::statistics`, the dashboard's types in
//! `model::statistics`.
//!
//! Why a cube: the dashboard must answer in well under 100 ms at a million observations on
//! SQLite too. Every observation adds counts to a few cells keyed by month, institution, place,
//! category and the two gender-lens flags; each of institution, place and category is stored
//! both concrete and rolled up (`*`), so that any filter and any breakdown reads a few thousand
//! pre-summed rows instead of scanning the observations. Medians come from per-day histograms,
//! which add up like counts.
//!
//! The on-time shares count every referral whose deadline is decided: acknowledged (or
//! answered), on time or late; not acknowledged (or not answered) with its deadline passed, or
//! escalated to the NHRC without it, which counts as late. A referral still within its deadline
//! is in neither part. A lapse while the clock runs happens with time, not with an event: those
//! are added at query time from the deadlines still running ([`ReferralFacts::ack_due`],
//! [`lapse_contributions`]); a lapse settled by an event (escalation) is counted in the cube.

use serde::{Deserialize, Serialize};

use super::lifecycle::ObservationStatus;

/// Histogram buckets of working days: 0 to 30 exactly, then one bucket for "more than 30".
pub const DAY_BUCKETS: usize = 32;

/// The rolled-up value of a dimension.
pub const ALL: &str = "*";

/// Observation statuses that count (drafts are nobody's business but their author's).
pub const COUNTED_STATUSES: [ObservationStatus; 5] = [
    ObservationStatus::Submitted,
    ObservationStatus::NeedsInfo,
    ObservationStatus::Referred,
    ObservationStatus::Declined,
    ObservationStatus::Closed,
];

/// Counts held by one cell. Everything is a count, so cells add up and a change to one
/// observation is a difference of two contributions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measures {
    /// Observations by status, in the order of [`COUNTED_STATUSES`].
    pub observations: [i64; 5],
    /// Referrals forwarded (measured on the month they were forwarded).
    pub received: i64,
    pub acknowledged: i64,
    pub ack_on_time: i64,
    pub responded: i64,
    pub resp_on_time: i64,
    pub contested: i64,
    pub escalated: i64,
    /// Working days from forwarding to acknowledgement, as a histogram.
    pub ack_days: [i64; DAY_BUCKETS],
    /// Working days from forwarding to the first official response.
    pub resp_days: [i64; DAY_BUCKETS],
    /// Referrals never acknowledged and late: escalated without an acknowledgement (stored),
    /// or still waiting with the deadline passed (added at query time, as it depends on today).
    #[serde(default)]
    pub ack_lapsed: i64,
    /// The same for the response.
    #[serde(default)]
    pub resp_lapsed: i64,
}

const SCALARS: [&str; 9] = [
    "received",
    "acknowledged",
    "ack_on_time",
    "responded",
    "resp_on_time",
    "contested",
    "escalated",
    "ack_lapsed",
    "resp_lapsed",
];

impl Measures {
    /// Column names in storage order (the same order as [`Measures::values`]).
    pub fn columns() -> Vec<String> {
        let mut names: Vec<String> = COUNTED_STATUSES
            .iter()
            .map(|s| format!("obs_{}", s.as_str()))
            .collect();
        names.extend(SCALARS.iter().map(|s| s.to_string()));
        names.extend((0..DAY_BUCKETS).map(|d| format!("ack_d{d:02}")));
        names.extend((0..DAY_BUCKETS).map(|d| format!("resp_d{d:02}")));
        names
    }

    pub fn values(&self) -> Vec<i64> {
        let mut values = self.observations.to_vec();
        values.extend([
            self.received,
            self.acknowledged,
            self.ack_on_time,
            self.responded,
            self.resp_on_time,
            self.contested,
            self.escalated,
            self.ack_lapsed,
            self.resp_lapsed,
        ]);
        values.extend(self.ack_days);
        values.extend(self.resp_days);
        values
    }

    /// The inverse of [`Measures::values`]; missing values count as zero.
    pub fn from_values(values: &[i64]) -> Measures {
        let at = |i: usize| values.get(i).copied().unwrap_or(0);
        let mut m = Measures::default();
        for (i, slot) in m.observations.iter_mut().enumerate() {
            *slot = at(i);
        }
        let base = m.observations.len();
        m.received = at(base);
        m.acknowledged = at(base + 1);
        m.ack_on_time = at(base + 2);
        m.responded = at(base + 3);
        m.resp_on_time = at(base + 4);
        m.contested = at(base + 5);
        m.escalated = at(base + 6);
        m.ack_lapsed = at(base + 7);
        m.resp_lapsed = at(base + 8);
        let base = base + SCALARS.len();
        for d in 0..DAY_BUCKETS {
            m.ack_days[d] = at(base + d);
            m.resp_days[d] = at(base + DAY_BUCKETS + d);
        }
        m
    }

    pub fn add(&mut self, other: &Measures, sign: i64) {
        for (a, b) in self.observations.iter_mut().zip(other.observations) {
            *a += sign * b;
        }
        self.received += sign * other.received;
        self.acknowledged += sign * other.acknowledged;
        self.ack_on_time += sign * other.ack_on_time;
        self.responded += sign * other.responded;
        self.resp_on_time += sign * other.resp_on_time;
        self.contested += sign * other.contested;
        self.escalated += sign * other.escalated;
        self.ack_lapsed += sign * other.ack_lapsed;
        self.resp_lapsed += sign * other.resp_lapsed;
        for d in 0..DAY_BUCKETS {
            self.ack_days[d] += sign * other.ack_days[d];
            self.resp_days[d] += sign * other.resp_days[d];
        }
    }

    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|v| *v == 0)
    }

    pub fn observations_total(&self) -> i64 {
        self.observations.iter().sum()
    }

    pub fn observations_in(&self, status: ObservationStatus) -> i64 {
        COUNTED_STATUSES
            .iter()
            .position(|s| *s == status)
            .map_or(0, |i| self.observations[i])
    }

    /// Share of referrals acknowledged within their deadline, of those whose deadline is
    /// decided: acknowledged (on time or late), or not acknowledged with the deadline passed
    /// (late). Those still within their deadline count in neither part.
    pub fn ack_on_time_share(&self) -> Option<f64> {
        share(self.ack_on_time, self.acknowledged + self.ack_lapsed)
    }

    /// The same for the first official response and the response deadline.
    pub fn resp_on_time_share(&self) -> Option<f64> {
        share(self.resp_on_time, self.responded + self.resp_lapsed)
    }

    /// Share of responded referrals whose response the filer contested.
    pub fn contested_share(&self) -> Option<f64> {
        share(self.contested, self.responded)
    }

    pub fn median_ack_days(&self) -> Option<Median> {
        median(&self.ack_days)
    }

    pub fn median_resp_days(&self) -> Option<Median> {
        median(&self.resp_days)
    }
}

pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A median in working days: exact, or only known to be beyond the histogram.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Median {
    Days(f64),
    MoreThan(u32),
}

/// The median of the values a histogram counts (the mean of the two middle values when the
/// count is even).
pub fn median(histogram: &[i64; DAY_BUCKETS]) -> Option<Median> {
    let total: i64 = histogram.iter().sum();
    if total <= 0 {
        return None;
    }
    let value_at = |rank: i64| -> usize {
        let mut seen = 0;
        for (bucket, count) in histogram.iter().enumerate() {
            seen += count;
            if seen > rank {
                return bucket;
            }
        }
        DAY_BUCKETS - 1
    };
    let low = value_at((total - 1) / 2);
    let high = value_at(total / 2);
    let last = DAY_BUCKETS - 1;
    if low == last || high == last {
        return Some(Median::MoreThan(last as u32 - 1));
    }
    Some(Median::Days((low + high) as f64 / 2.0))
}

/// The bucket a number of working days falls in.
pub fn bucket(days: u32) -> usize {
    (days as usize).min(DAY_BUCKETS - 1)
}

/// What the cube needs to know of one submitted observation; stored beside it so that its old
/// contribution can be taken back when it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationFacts {
    /// Month of submission, `YYYY-MM`.
    pub month: String,
    pub region: Option<String>,
    pub cercle: Option<String>,
    pub category: String,
    pub sensitive: bool,
    pub womens: bool,
    pub status: ObservationStatus,
    /// Institutions the observation concerns: those named at filing and those it was
    /// forwarded to.
    pub institutions: Vec<String>,
    pub referrals: Vec<ReferralFacts>,
    /// The filing organisation and the public reference, for the live overdue list.
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralFacts {
    pub institution: String,
    /// Month of forwarding, `YYYY-MM`: the institution's measures count from its clock.
    pub month: String,
    pub ack_days: Option<u32>,
    pub ack_on_time: bool,
    pub resp_days: Option<u32>,
    pub resp_on_time: bool,
    pub contested: bool,
    pub escalated: bool,
    #[serde(default)]
    pub id: String,
    /// The deadline it runs against while open (`YYYY-MM-DD`), if any: what "overdue today"
    /// is computed from.
    #[serde(default)]
    pub running_due: Option<String>,
    /// The acknowledgement deadline (`YYYY-MM-DD`) while it waits for an acknowledgement:
    /// once it has passed, the referral counts as late (at query time).
    #[serde(default)]
    pub ack_due: Option<String>,
    /// The response deadline while the institution's clock runs without a response, the same
    /// way (not while it waits for the organisation's answer: its clock stops meanwhile).
    #[serde(default)]
    pub resp_due: Option<String>,
    /// Late without ever acknowledging, settled by an event: escalated before acknowledging.
    #[serde(default)]
    pub ack_lapsed: bool,
    /// Late without a response, settled by an event: escalated (or closed after it) without
    /// one, or asked the organisation a question after its deadline had passed.
    #[serde(default)]
    pub resp_lapsed: bool,
}

/// A cell of the cube. `institution`, `place` and `category` hold [`ALL`] where rolled up;
/// `place` is `R:<region code>` or `C:<cercle id>` otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellKey {
    pub month: String,
    pub institution: String,
    pub place: String,
    pub category: String,
    pub womens: bool,
    pub sensitive: bool,
}

impl CellKey {
    /// Which dimensions are concrete, as one small number (stored and indexed, so that a
    /// breakdown reads exactly the rows of its own level).
    pub fn grain(&self) -> i32 {
        grain(
            self.institution != ALL,
            self.category != ALL,
            place_level(&self.place),
        )
    }
}

/// 0 for all of Mali, 1 for a region, 2 for a cercle.
pub fn place_level(place: &str) -> i32 {
    if place.starts_with("C:") {
        2
    } else if place.starts_with("R:") {
        1
    } else {
        0
    }
}

pub fn grain(institution: bool, category: bool, place_level: i32) -> i32 {
    i32::from(institution) + 2 * i32::from(category) + 4 * place_level
}

pub fn region_place(code: &str) -> String {
    format!("R:{code}")
}

pub fn cercle_place(id: &str) -> String {
    format!("C:{id}")
}

/// The places an observation counts at: all of Mali, its region and its cercle.
fn places_of(region: Option<&str>, cercle: Option<&str>) -> Vec<String> {
    let mut places = vec![ALL.to_string()];
    if let Some(region) = region {
        places.push(region_place(region));
    }
    if let Some(cercle) = cercle {
        places.push(cercle_place(cercle));
    }
    places
}

/// Deadlines passed without acknowledgement (`ack`) or response (`resp`) today, for referrals
/// sharing one forwarding month, institution, place, category and lens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lapses {
    pub month: String,
    pub institution: String,
    pub region: Option<String>,
    pub cercle: Option<String>,
    pub category: String,
    pub womens: bool,
    pub sensitive: bool,
    pub ack: i64,
    pub resp: i64,
}

/// What lapsed deadlines add to the cells, at the same levels as the referral measures in
/// [`contributions`]: one cell at each grain their place reaches.
pub fn lapse_contributions(lapses: &Lapses) -> Vec<(CellKey, Measures)> {
    (0..GRAINS)
        .filter_map(|grain| lapse_cell(lapses, grain))
        .map(|key| (key, lapse_measures(lapses)))
        .collect()
}

/// How many grains there are: institution and category each concrete or not, times the
/// three levels of place.
pub const GRAINS: i32 = 12;

/// The one cell at `grain` that lapsed deadlines add to, if their place reaches its level (a
/// region's figures need the region, a cercle's the cercle): the dashboard sums lapses level
/// by level this way, without building every level's cells for each request.
pub fn lapse_cell(lapses: &Lapses, grain: i32) -> Option<CellKey> {
    let (institution, category, level) = (grain & 1 == 1, grain & 2 == 2, grain / 4);
    let place = match level {
        0 => ALL.to_string(),
        1 => region_place(lapses.region.as_deref()?),
        2 => cercle_place(lapses.cercle.as_deref()?),
        _ => return None,
    };
    let concrete = |yes: bool, value: &str| if yes { value } else { ALL }.to_string();
    Some(CellKey {
        month: lapses.month.clone(),
        institution: concrete(institution, &lapses.institution),
        place,
        category: concrete(category, &lapses.category),
        womens: lapses.womens,
        sensitive: lapses.sensitive,
    })
}

/// The measures lapsed deadlines add to each of their cells.
pub fn lapse_measures(lapses: &Lapses) -> Measures {
    Measures {
        ack_lapsed: lapses.ack,
        resp_lapsed: lapses.resp,
        ..Measures::default()
    }
}

/// Everything one observation adds to the cube, each cell once.
pub fn contributions(facts: &ObservationFacts) -> Vec<(CellKey, Measures)> {
    let places = places_of(facts.region.as_deref(), facts.cercle.as_deref());
    let categories = [ALL.to_string(), facts.category.clone()];
    let mut cells: std::collections::BTreeMap<CellKey, Measures> = Default::default();
    let mut add = |month: &str, institution: &str, measures: &Measures| {
        for place in &places {
            for category in &categories {
                let key = CellKey {
                    month: month.to_string(),
                    institution: institution.to_string(),
                    place: place.clone(),
                    category: category.clone(),
                    womens: facts.womens,
                    sensitive: facts.sensitive,
                };
                cells.entry(key).or_default().add(measures, 1);
            }
        }
    };

    if let Some(index) = COUNTED_STATUSES.iter().position(|s| *s == facts.status) {
        let mut counted = Measures::default();
        counted.observations[index] = 1;
        let mut institutions: Vec<&str> = facts.institutions.iter().map(String::as_str).collect();
        institutions.sort_unstable();
        institutions.dedup();
        add(&facts.month, ALL, &counted);
        for institution in institutions {
            add(&facts.month, institution, &counted);
        }
    }
    for referral in &facts.referrals {
        let mut m = Measures {
            received: 1,
            contested: i64::from(referral.contested),
            escalated: i64::from(referral.escalated),
            ack_lapsed: i64::from(referral.ack_lapsed),
            resp_lapsed: i64::from(referral.resp_lapsed),
            ..Measures::default()
        };
        if let Some(days) = referral.ack_days {
            m.acknowledged = 1;
            m.ack_on_time = i64::from(referral.ack_on_time);
            m.ack_days[bucket(days)] = 1;
        }
        if let Some(days) = referral.resp_days {
            m.responded = 1;
            m.resp_on_time = i64::from(referral.resp_on_time);
            m.resp_days[bucket(days)] = 1;
        }
        add(&referral.month, ALL, &m);
        add(&referral.month, &referral.institution, &m);
    }
    cells.into_iter().collect()
}

/// What changes in the cube when an observation's facts go from `before` to `after`: the cells
/// whose counts move, with the difference (cells that do not move are left out).
pub fn difference(
    before: Option<&ObservationFacts>,
    after: Option<&ObservationFacts>,
) -> Vec<(CellKey, Measures)> {
    let mut cells: std::collections::BTreeMap<CellKey, Measures> = Default::default();
    for (facts, sign) in [(before, -1), (after, 1)] {
        for (key, measures) in facts.map(contributions).unwrap_or_default() {
            cells.entry(key).or_default().add(&measures, sign);
        }
    }
    cells.into_iter().filter(|(_, m)| !m.is_zero()).collect()
}

/// Public figures from 1 to this less one are shown as "< 5" (a zero is shown as 0: it
/// identifies nobody).
pub const SMALL_CELL: i64 = 5;

/// A published count: its value, or hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Published {
    Count(i64),
    /// From 1 to below [`SMALL_CELL`], or hidden so that such a one cannot be derived.
    Hidden,
}

/// Suppresses a table with its row and column totals: every count from 1 to below
/// [`SMALL_CELL`] (totals included) is hidden, and then, wherever a row or a column (its total
/// counted as one more of its cells) has exactly one hidden entry, the smallest visible count
/// beside it that is not zero is hidden too, until no line gives a hidden value away by
/// subtraction. Zeros stay shown: a line with a hidden count has another count above zero (its
/// total, or a cell when the total is hidden), so there is always one to hide with it.
pub fn suppress(table: &[Vec<i64>]) -> SuppressedTable {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    // The grid with totals: the last column holds row totals, the last row column totals.
    let mut grid = vec![vec![0i64; cols + 1]; rows + 1];
    for (r, row) in table.iter().enumerate() {
        for (c, value) in row.iter().enumerate().take(cols) {
            grid[r][c] = *value;
            grid[r][cols] += value;
            grid[rows][c] += value;
            grid[rows][cols] += value;
        }
    }
    let mut hidden: Vec<Vec<bool>> = grid
        .iter()
        .map(|row| row.iter().map(|v| *v > 0 && *v < SMALL_CELL).collect())
        .collect();
    loop {
        let mut changed = false;
        // Each row (with its total) and each column (with its total) is an additive line.
        let mut lines: Vec<Vec<(usize, usize)>> = Vec::new();
        for r in 0..=rows {
            lines.push((0..=cols).map(|c| (r, c)).collect());
        }
        for c in 0..=cols {
            lines.push((0..=rows).map(|r| (r, c)).collect());
        }
        for line in lines {
            let hidden_here = line.iter().filter(|(r, c)| hidden[*r][*c]).count();
            if hidden_here != 1 {
                continue;
            }
            let pick = line
                .iter()
                .filter(|(r, c)| !hidden[*r][*c] && grid[*r][*c] != 0)
                .min_by_key(|(r, c)| (grid[*r][*c], *r, *c));
            if let Some((r, c)) = pick {
                hidden[*r][*c] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let publish = |r: usize, c: usize| {
        if hidden[r][c] {
            Published::Hidden
        } else {
            Published::Count(grid[r][c])
        }
    };
    SuppressedTable {
        cells: (0..rows)
            .map(|r| (0..cols).map(|c| publish(r, c)).collect())
            .collect(),
        row_totals: (0..rows).map(|r| publish(r, cols)).collect(),
        column_totals: (0..cols).map(|c| publish(rows, c)).collect(),
        total: publish(rows, cols),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedTable {
    pub cells: Vec<Vec<Published>>,
    pub row_totals: Vec<Published>,
    pub column_totals: Vec<Published>,
    pub total: Published,
}

/// Whether `text` is a month `YYYY-MM`.
pub fn is_month(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").is_ok() && text.len() == 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> ObservationFacts {
        ObservationFacts {
            month: "2026-03".into(),
            region: Some("ML-1".into()),
            cercle: Some("kayes".into()),
            category: "cat".into(),
            sensitive: false,
            womens: true,
            status: ObservationStatus::Referred,
            institutions: vec!["police".into(), "gendarmerie".into()],
            referrals: vec![ReferralFacts {
                institution: "police".into(),
                month: "2026-04".into(),
                ack_days: Some(3),
                ack_on_time: true,
                resp_days: None,
                resp_on_time: false,
                contested: false,
                escalated: false,
                id: "r1".into(),
                running_due: Some("2026-05-01".into()),
                ack_due: None,
                resp_due: Some("2026-05-01".into()),
                ack_lapsed: false,
                resp_lapsed: false,
            }],
            organisation: "org".into(),
            reference: "OBS-2026-000001".into(),
        }
    }

    fn sum(cells: &[(CellKey, Measures)], keep: impl Fn(&CellKey) -> bool) -> Measures {
        let mut total = Measures::default();
        for (_, m) in cells.iter().filter(|(k, _)| keep(k)) {
            total.add(m, 1);
        }
        total
    }

    #[test]
    fn an_observation_counts_once_at_each_level_and_once_per_institution() {
        let cells = contributions(&facts());
        let all = |k: &CellKey| k.institution == ALL && k.place == ALL && k.category == ALL;
        assert_eq!(sum(&cells, all).observations_total(), 1);
        assert_eq!(sum(&cells, all).received, 1);
        let by_institution = sum(&cells, |k| {
            k.institution != ALL && k.place == ALL && k.category == ALL
        });
        assert_eq!(
            by_institution.observations_total(),
            2,
            "police and gendarmerie"
        );
        assert_eq!(by_institution.received, 1, "only the police received it");
        let by_cercle = sum(&cells, |k| {
            k.grain() == grain(false, false, 2) && k.place == "C:kayes"
        });
        assert_eq!(by_cercle.observations_in(ObservationStatus::Referred), 1);
        // 3 places × 2 categories × (all + 2 institutions) for the observation, and the
        // referral's month differs, so 3 × 2 × 2 more cells.
        assert_eq!(cells.len(), 18 + 12);
        assert!(cells.iter().all(|(k, _)| k.womens && !k.sensitive));
    }

    #[test]
    fn a_change_is_the_difference_of_two_contributions() {
        let before = facts();
        let mut after = facts();
        after.status = ObservationStatus::Closed;
        after.referrals[0].resp_days = Some(12);
        let delta = difference(Some(&before), Some(&after));
        let top = sum(&delta, |k| {
            k.institution == ALL && k.place == ALL && k.category == ALL
        });
        assert_eq!(top.observations_in(ObservationStatus::Referred), -1);
        assert_eq!(top.observations_in(ObservationStatus::Closed), 1);
        assert_eq!(top.responded, 1);
        assert_eq!(top.resp_days[12], 1);
        assert_eq!(top.acknowledged, 0, "unchanged, so not in the difference");
        assert!(difference(Some(&before), Some(&before)).is_empty());
        let mut rebuilt = Measures::default();
        for (key, m) in contributions(&before).into_iter().chain(delta) {
            if key.institution == ALL && key.place == ALL && key.category == ALL {
                rebuilt.add(&m, 1);
            }
        }
        assert_eq!(rebuilt.observations_in(ObservationStatus::Closed), 1);
        assert_eq!(rebuilt.observations_total(), 1);
    }

    #[test]
    fn a_lapsed_deadline_counts_as_late_and_one_still_running_not_at_all() {
        // Three referrals: acknowledged on time; never acknowledged, deadline passed; not yet
        // due (in neither part).
        let mut m = Measures {
            received: 3,
            acknowledged: 1,
            ack_on_time: 1,
            responded: 1,
            resp_on_time: 1,
            ..Measures::default()
        };
        assert_eq!(
            m.ack_on_time_share(),
            Some(1.0),
            "before the lapse is added"
        );
        let lapses = Lapses {
            month: "2026-04".into(),
            institution: "police".into(),
            region: Some("ML-1".into()),
            cercle: None,
            category: "cat".into(),
            ack: 1,
            resp: 1,
            ..Lapses::default()
        };
        let cells = lapse_contributions(&lapses);
        // 2 institution levels × 2 places × 2 categories, each once, each at its own grain.
        assert_eq!(cells.len(), 8);
        for (key, _) in &cells {
            assert_eq!(lapse_cell(&lapses, key.grain()).as_ref(), Some(key));
        }
        assert!((8..GRAINS).all(|cercle_level| lapse_cell(&lapses, cercle_level).is_none()));
        let top = sum(&cells, |k| {
            k.institution == ALL && k.place == ALL && k.category == ALL
        });
        m.add(&top, 1);
        assert_eq!(m.ack_on_time_share(), Some(0.5));
        assert_eq!(m.resp_on_time_share(), Some(0.5));
        assert!(!top.is_zero());
        assert_eq!(Measures::columns().len(), m.values().len());
        assert_eq!(
            Measures::from_values(&m.values()),
            m,
            "settled lapses are stored"
        );
    }

    #[test]
    fn medians_from_histograms() {
        let mut h = [0i64; DAY_BUCKETS];
        assert_eq!(median(&h), None);
        h[2] = 1;
        h[5] = 1;
        h[9] = 1;
        assert_eq!(median(&h), Some(Median::Days(5.0)));
        h[10] = 1;
        assert_eq!(median(&h), Some(Median::Days(7.0)));
        h[DAY_BUCKETS - 1] = 5;
        assert_eq!(median(&h), Some(Median::MoreThan(30)));
        assert_eq!(bucket(45), DAY_BUCKETS - 1);
    }

    #[test]
    fn measures_round_trip_through_their_columns() {
        let mut m = Measures::default();
        m.observations[2] = 7;
        m.escalated = 3;
        m.resp_days[31] = 4;
        assert_eq!(Measures::columns().len(), m.values().len());
        assert_eq!(Measures::from_values(&m.values()), m);
    }

    /// Whether `table` can have its hidden cells pinned down by subtraction along a line.
    fn derivable(published: &SuppressedTable) -> bool {
        let rows = published.cells.len();
        let cols = published.column_totals.len();
        let at = |r: usize, c: usize| match (r == rows, c == cols) {
            (false, false) => published.cells[r][c],
            (false, true) => published.row_totals[r],
            (true, false) => published.column_totals[c],
            (true, true) => published.total,
        };
        let hidden_in = |line: Vec<(usize, usize)>| {
            line.iter()
                .filter(|(r, c)| at(*r, *c) == Published::Hidden)
                .count()
        };
        (0..=rows).any(|r| hidden_in((0..=cols).map(|c| (r, c)).collect()) == 1)
            || (0..=cols).any(|c| hidden_in((0..=rows).map(|r| (r, c)).collect()) == 1)
    }

    #[test]
    fn small_cells_are_hidden_and_cannot_be_derived() {
        // Crafted: one small cell alone in its row and column, a small row total, a zero.
        let table = vec![
            vec![20, 3, 40],
            vec![15, 25, 30],
            vec![12, 18, 0],
            vec![1, 2, 1],
        ];
        let published = suppress(&table);
        for (r, row) in table.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if *value > 0 && *value < SMALL_CELL {
                    assert_eq!(published.cells[r][c], Published::Hidden, "cell {r},{c}");
                }
                if *value == 0 {
                    assert_eq!(published.cells[r][c], Published::Count(0), "cell {r},{c}");
                }
            }
        }
        assert_eq!(published.row_totals[3], Published::Hidden, "row total 4");
        assert!(!derivable(&published));
        for row in &published.cells {
            for cell in row {
                if let Published::Count(n) = cell {
                    assert!(*n == 0 || *n >= SMALL_CELL);
                }
            }
        }
        assert_eq!(published.total, Published::Count(167));
    }

    #[test]
    fn a_table_without_small_cells_is_published_whole() {
        let published = suppress(&[vec![10, 20], vec![30, 40]]);
        assert!(
            published
                .cells
                .iter()
                .flatten()
                .all(|c| matches!(c, Published::Count(_)))
        );
        assert_eq!(published.total, Published::Count(100));
    }
}
