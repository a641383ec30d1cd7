//! The gender lens: the measures side by side for sensitive categories and the others, and for
//! women's organisations and the others.

use leptos::prelude::*;

use super::groups::Definitions;
use super::numbers::{median, share};
use crate::i18n::{I18n, use_i18n};
use crate::model::statistics::{Figures, Group};

fn group_name(i18n: I18n, g: &Group) -> String {
    i18n.t(&format!("stats-lens-{}", g.key.replace('_', "-")))
}

fn lens_rows(i18n: I18n, lens: Vec<Group>, shows_observations: bool) -> impl IntoView {
    let rows: Vec<(&'static str, Box<dyn Fn(&Figures) -> String>)> = vec![
        (
            "stats-observations",
            Box::new(|f: &Figures| f.observations_total.to_string()),
        ),
        (
            "stats-received",
            Box::new(|f: &Figures| f.received.to_string()),
        ),
        (
            "stats-ack-on-time",
            Box::new(move |f: &Figures| share(i18n, f.ack_on_time)),
        ),
        (
            "stats-resp-on-time",
            Box::new(move |f: &Figures| share(i18n, f.resp_on_time)),
        ),
        (
            "stats-median-ack",
            Box::new(move |f: &Figures| median(i18n, f.median_ack_days)),
        ),
        (
            "stats-median-resp",
            Box::new(move |f: &Figures| median(i18n, f.median_resp_days)),
        ),
        (
            "stats-contested-share",
            Box::new(move |f: &Figures| share(i18n, f.contested_share)),
        ),
        (
            "stats-escalated",
            Box::new(|f: &Figures| f.escalated.to_string()),
        ),
    ];
    rows.into_iter()
        .filter(|(key, _)| shows_observations || *key != "stats-observations")
        .map(|(key, value)| {
            // Each value labelled with its group, for the stacked rows of a phone.
            let cells: Vec<(String, String)> = lens
                .iter()
                .map(|g| (group_name(i18n, g), value(&g.figures)))
                .collect();
            view! {
                <tr>
                    <th scope="row">{i18n.t(key)}</th>
                    {cells.into_iter().map(|(group, c)| view! { <td data-label=group>{c}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view()
}

#[component]
pub fn LensSection(lens: Vec<Group>, shows_observations: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="figures">
            <h2 id="lens-heading">{i18n.t("stats-lens")}</h2>
            // Stacked on a phone; scrolling in a named, reachable region in between.
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="lens-heading">
                <table class="stack" aria-labelledby="lens-heading">
                    <thead><tr>
                        <td></td>
                        {lens.iter().map(|g| view! { <th scope="col">{group_name(i18n, g)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{lens_rows(i18n, lens.clone(), shows_observations)}</tbody>
                </table>
            </div>
            <Definitions />
        </section>
    }
}
