//! The monthly trend: observations filed (or, for a liaison, referrals received) per month, as
//! a line and as a table.

use leptos::prelude::*;

use crate::components::chart::LineChart;
use crate::i18n::use_i18n;
use crate::model::statistics::Group;

#[component]
pub fn TrendSection(months: Vec<Group>, shows_observations: bool) -> impl IntoView {
    let i18n = use_i18n();
    let shows = shows_observations;
    let trend: Vec<(String, i64)> = months
        .iter()
        .map(|g| {
            let n = if shows {
                g.figures.observations_total
            } else {
                g.figures.received
            };
            // "déc. 2026" / "Dec 2026" (the label is the month's ISO form).
            (i18n.day(&g.label), n)
        })
        .collect();
    let trend_title = i18n.t(if shows {
        "stats-trend"
    } else {
        "stats-trend-received"
    });
    view! {
        <section class="figures">
            <h2 id="trend-heading">{trend_title.clone()}</h2>
            <LineChart title=trend_title points=trend.clone() />
            // Two narrow columns: they fit a phone's screen as they are, in time order.
            <table class="pairs" aria-labelledby="trend-heading">
                <thead><tr><th scope="col">{i18n.t("stats-month")}</th><th scope="col">{i18n.t(if shows { "stats-observations" } else { "stats-received" })}</th></tr></thead>
                <tbody>
                    {trend.into_iter().map(|(m, n)| view! { <tr><th scope="row">{m}</th><td>{n}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
