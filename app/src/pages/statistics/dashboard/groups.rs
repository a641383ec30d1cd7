//! The breakdowns of the dashboard: the referral measures per institution, and per region,
//! cercle or category a bar chart beside the same table.

use leptos::prelude::*;

use super::numbers::{median, share};
use crate::components::chart::BarChart;
use crate::i18n::use_i18n;
use crate::model::statistics::Group;

/// The referral measures of a list of groups, one row each.
#[component]
fn PerformanceTable(
    groups: Vec<Group>,
    heading: &'static str,
    title: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    // A region that scrolls on a phone, reachable and named for keyboard users.
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t(title)>
            <table>
                <thead><tr>
                    <th scope="col">{i18n.t(heading)}</th>
                    <th scope="col">{i18n.t("stats-received")}</th>
                    <th scope="col">{i18n.t("stats-ack-on-time")}</th>
                    <th scope="col">{i18n.t("stats-resp-on-time")}</th>
                    <th scope="col">{i18n.t("stats-median-ack")}</th>
                    <th scope="col">{i18n.t("stats-median-resp")}</th>
                    <th scope="col">{i18n.t("stats-overdue-now")}</th>
                    <th scope="col">{i18n.t("stats-contested-share")}</th>
                    <th scope="col">{i18n.t("stats-escalated")}</th>
                </tr></thead>
                <tbody>
                    {groups.into_iter().map(|g| {
                        let f = g.figures;
                        view! { <tr>
                            <th scope="row">{g.label}</th>
                            <td>{f.received}</td>
                            <td>{share(i18n, f.ack_on_time)}</td>
                            <td>{share(i18n, f.resp_on_time)}</td>
                            <td>{median(i18n, f.median_ack_days)}</td>
                            <td>{median(i18n, f.median_resp_days)}</td>
                            <td>{f.overdue}</td>
                            <td>{share(i18n, f.contested_share)}</td>
                            <td>{f.escalated}</td>
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

/// The referral measures of each institution.
#[component]
pub fn InstitutionsSection(groups: Vec<Group>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="figures">
            <h2>{i18n.t("stats-institutions")}</h2>
            <PerformanceTable groups heading="stats-institution" title="stats-institutions" />
            <Definitions />
        </section>
    }
}

/// Observations per group (a place or a category), as bars and as a table.
#[component]
pub fn CountSection(
    groups: Vec<Group>,
    heading: &'static str,
    shows_observations: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let bars: Vec<(String, i64)> = groups
        .iter()
        .map(|g| {
            let n = if shows_observations {
                g.figures.observations_total
            } else {
                g.figures.received
            };
            (g.label.clone(), n)
        })
        .collect();
    let measure = if shows_observations {
        "stats-observations"
    } else {
        "stats-received"
    };
    view! {
        <section class="figures">
            <h2>{i18n.t(heading)}</h2>
            <BarChart title=format!("{} — {}", i18n.t(heading), i18n.t(measure)) bars />
            <PerformanceTable groups heading title=heading />
        </section>
    }
}
