//! The dashboard and the public transparency page on the wire: what the dashboard is asked
//! for and what it shows, and the public tables. The rules that compute them (the cube,
//! medians, suppression of small counts) live in `domain::statistics`.

use serde::{Deserialize, Serialize};

use crate::domain::statistics::Measures;
// The results of the domain's rules that travel as they are.
pub use crate::domain::statistics::{Median, Published, SuppressedTable};

/// What the dashboard is asked for; every field comes from the URL, so a view can be shared
/// and works without JavaScript. Months are `YYYY-MM`, inclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub institution: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    /// Filed by a women's organisation (true) or by another (false).
    pub womens: Option<bool>,
    /// In a sensitive category (true) or not (false).
    pub sensitive: Option<bool>,
}

/// The measures of a group, as people read them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Observations by status, in the order of [`COUNTED_STATUSES`].
    pub observations: [i64; 5],
    pub observations_total: i64,
    pub received: i64,
    pub acknowledged: i64,
    /// Acknowledged on time, of the referrals acknowledged or past their acknowledgement
    /// deadline without one (those count as late); still within it: in neither part.
    pub ack_on_time: Option<f64>,
    /// Not acknowledged, acknowledgement deadline passed (late, today).
    pub ack_lapsed: i64,
    pub responded: i64,
    /// The same for the first official response and the response deadline.
    pub resp_on_time: Option<f64>,
    /// Not answered, response deadline passed (late, today).
    pub resp_lapsed: i64,
    pub median_ack_days: Option<Median>,
    pub median_resp_days: Option<Median>,
    pub contested: i64,
    pub contested_share: Option<f64>,
    pub escalated: i64,
    /// Referrals past their running deadline today (live, not from the cube).
    pub overdue: i64,
}

impl Figures {
    pub fn of(m: &Measures) -> Figures {
        Figures {
            observations: m.observations,
            observations_total: m.observations_total(),
            received: m.received,
            acknowledged: m.acknowledged,
            ack_on_time: m.ack_on_time_share(),
            ack_lapsed: m.ack_lapsed,
            responded: m.responded,
            resp_on_time: m.resp_on_time_share(),
            resp_lapsed: m.resp_lapsed,
            median_ack_days: m.median_ack_days(),
            median_resp_days: m.median_resp_days(),
            contested: m.contested,
            contested_share: m.contested_share(),
            escalated: m.escalated,
            overdue: 0,
        }
    }
}

/// One line of a breakdown: what it is (an id, a code or a month) and its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub key: String,
    pub label: String,
    pub figures: Figures,
}

/// A referral past its running deadline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueReferral {
    /// Where the viewer opens it: the observation for the NHRC, the referral for a liaison.
    pub link: String,
    pub reference: String,
    pub institution: String,
    pub due: String,
    /// Working days after the deadline, up to today (Malian holidays counted).
    pub days_late: i64,
}

/// Everything the dashboard shows for one filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filter: DashboardFilter,
    /// Liaisons see only their institution's referral measures, never observation counts.
    pub shows_observations: bool,
    /// Only NHRC staff may export observation rows.
    pub exports_observations: bool,
    pub totals: Figures,
    pub months: Vec<Group>,
    pub institutions: Vec<Group>,
    pub regions: Vec<Group>,
    /// Cercles of the region in the filter (empty without one).
    pub cercles: Vec<Group>,
    pub categories: Vec<Group>,
    /// The gender lens: sensitive categories and the others; women's organisations and the
    /// others too, except for a liaison (it would say something of who filed).
    pub lens: Vec<Group>,
    pub overdue: Vec<OverdueReferral>,
    pub overdue_total: i64,
}

/// A table of the public page: rows by name, columns by quarter, small counts hidden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTable {
    pub rows: Vec<String>,
    pub table: SuppressedTable,
}

/// The public transparency page: aggregates only, per quarter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transparency {
    /// `2026-T3` style labels, oldest first.
    pub quarters: Vec<String>,
    /// Referrals received by each institution.
    pub institutions: PublicTable,
    /// Observations filed, by category.
    pub categories: PublicTable,
    /// Observations filed, by region.
    pub regions: PublicTable,
    /// When the figures were computed (UTC, `YYYY-MM-DD HH:MM`).
    pub computed_at: String,
}
