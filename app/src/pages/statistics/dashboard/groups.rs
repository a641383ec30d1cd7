//! The breakdowns of the dashboard: the referral measures per institution, and per region,
//! cercle or category a bar chart beside the same table.

use leptos::prelude::*;

use super::numbers::{median, share};
use crate::components::chart::BarChart;
use crate::i18n::{I18n, use_i18n};
use crate::model::statistics::{Figures, Group};

/// The referral measures, in the order of the table's columns.
const MEASURES: [&str; 8] = [
    "stats-received",
    "stats-ack-on-time",
    "stats-resp-on-time",
    "stats-median-ack",
    "stats-median-resp",
    "stats-overdue-now",
    "stats-contested-share",
    "stats-escalated",
];

fn measures(i18n: I18n, f: &Figures) -> [String; 8] {
    [
        f.received.to_string(),
        share(i18n, f.ack_on_time),
        share(i18n, f.resp_on_time),
        median(i18n, f.median_ack_days),
        median(i18n, f.median_resp_days),
        f.overdue.to_string(),
        share(i18n, f.contested_share),
        f.escalated.to_string(),
    ]
}

/// The referral measures of a list of groups, one row each. On a phone each row becomes a
/// block of "measure … value" lines (`table.stack`); between that and a wide screen the table
/// scrolls in a region that a keyboard reaches and that is named by the section's heading.
#[component]
fn PerformanceTable(
    groups: Vec<Group>,
    heading: &'static str,
    /// The id of the heading that names the table.
    labelled_by: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by.clone()>
            <table class="stack" aria-labelledby=labelled_by.clone()>
                <thead><tr>
                    <th scope="col">{i18n.t(heading)}</th>
                    {MEASURES.iter().map(|key| view! { <th scope="col">{i18n.t(key)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {groups.into_iter().map(|g| {
                        let values = measures(i18n, &g.figures);
                        view! { <tr>
                            <th scope="row">{g.label}</th>
                            {MEASURES.iter().zip(values).map(|(key, value)| view! {
                                <td data-label=i18n.t(key)>{value}</td>
                            }).collect_view()}
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// What the on-time shares count, in the words shown beside the headline figures.
#[component]
pub fn Definitions() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="hint">
            <li>{i18n.t_with("stats-def-line", &[("term", i18n.t("stats-ack-on-time")), ("definition", i18n.t("stats-def-ack"))])}</li>
            <li>{i18n.t_with("stats-def-line", &[("term", i18n.t("stats-resp-on-time")), ("definition", i18n.t("stats-def-resp"))])}</li>
        </ul>
    }
}

/// The referral measures of each institution (the server sends them most received first).
#[component]
pub fn InstitutionsSection(groups: Vec<Group>) -> impl IntoView {
    let i18n = use_i18n();
    let id = "institutions-heading";
    view! {
        <section class="figures">
            <h2 id=id>{i18n.t("stats-institutions")}</h2>
            <PerformanceTable groups heading="stats-institution" labelled_by=id.to_string() />
            <Definitions />
        </section>
    }
}

/// Observations per group (a place or a category), as bars and as a table, both largest
/// first.
#[component]
pub fn CountSection(
    groups: Vec<Group>,
    heading: &'static str,
    shows_observations: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move |g: &Group| {
        if shows_observations {
            g.figures.observations_total
        } else {
            g.figures.received
        }
    };
    let mut groups = groups;
    // Stable: equal counts keep the server's order (by name).
    groups.sort_by_key(|g| std::cmp::Reverse(count(g)));
    let bars: Vec<(String, i64)> = groups.iter().map(|g| (g.label.clone(), count(g))).collect();
    let measure = if shows_observations {
        "stats-observations"
    } else {
        "stats-received"
    };
    let id = format!("{heading}-title");
    view! {
        <section class="figures">
            <h2 id=id.clone()>{i18n.t(heading)}</h2>
            <BarChart title=format!("{} — {}", i18n.t(heading), i18n.t(measure)) bars />
            <PerformanceTable groups heading labelled_by=id.clone() />
        </section>
    }
}
