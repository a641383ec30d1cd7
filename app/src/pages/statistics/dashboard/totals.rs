//! The headline figures of the dashboard: the key measures (each on-time share with its
//! definition beside it), and (for those who see observations) the count by status and by phase.

use leptos::prelude::*;

use super::numbers::{median, share};
use crate::domain::statistics::COUNTED_STATUSES;
use crate::i18n::use_i18n;
use crate::model::statistics::Figures;

/// Statuses grouped by where the case stands: with the NHRC, with an institution, finished.
fn phases(f: &Figures) -> [(&'static str, i64); 3] {
    use crate::domain::lifecycle::ObservationStatus as S;
    let n = |status: S| {
        COUNTED_STATUSES
            .iter()
            .position(|s| *s == status)
            .map_or(0, |i| f.observations[i])
    };
    [
        ("stats-phase-triage", n(S::Submitted) + n(S::NeedsInfo)),
        ("stats-phase-institution", n(S::Referred)),
        ("stats-phase-done", n(S::Declined) + n(S::Closed)),
    ]
}

#[component]
pub fn TotalsSection(totals: Figures, shows_observations: bool) -> impl IntoView {
    let i18n = use_i18n();
    let shows = shows_observations;
    view! {
        <section class="figures">
            <h2>{i18n.t("stats-totals")}</h2>
            <dl class="key-figures">
                {shows.then(|| view! {
                    <div><dt>{i18n.t("stats-observations")}</dt><dd>{totals.observations_total}</dd></div>
                })}
                <div><dt>{i18n.t("stats-received")}</dt><dd>{totals.received}</dd></div>
                <div>
                    <dt>{i18n.t("stats-ack-on-time")}</dt><dd>{share(i18n, totals.ack_on_time)}</dd>
                    <dd><small class="hint">{i18n.t("stats-def-ack")}</small></dd>
                </div>
                <div>
                    <dt>{i18n.t("stats-resp-on-time")}</dt><dd>{share(i18n, totals.resp_on_time)}</dd>
                    <dd><small class="hint">{i18n.t("stats-def-resp")}</small></dd>
                </div>
                <div><dt>{i18n.t("stats-median-ack")}</dt><dd>{median(i18n, totals.median_ack_days)}</dd></div>
                <div><dt>{i18n.t("stats-median-resp")}</dt><dd>{median(i18n, totals.median_resp_days)}</dd></div>
                <div><dt>{i18n.t("stats-overdue-now")}</dt><dd>{totals.overdue}</dd></div>
                <div><dt>{i18n.t("stats-contested-share")}</dt><dd>{share(i18n, totals.contested_share)}</dd></div>
                <div><dt>{i18n.t("stats-escalated")}</dt><dd>{totals.escalated}</dd></div>
            </dl>
            // Two narrow columns whose headers wrap: they fit a phone's screen as they are.
            {shows.then(|| view! {
                <table class="pairs">
                    <caption>{i18n.t("stats-by-status")}</caption>
                    <thead><tr><th scope="col">{i18n.t("field-status")}</th><th scope="col">{i18n.t("stats-observations")}</th></tr></thead>
                    <tbody>
                        {COUNTED_STATUSES.iter().zip(totals.observations).map(|(s, n)| view! {
                            <tr><th scope="row">{i18n.t(&s.label_key())}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <table class="pairs">
                    <caption>{i18n.t("stats-by-phase")}</caption>
                    <thead><tr><th scope="col">{i18n.t("stats-phase")}</th><th scope="col">{i18n.t("stats-observations")}</th></tr></thead>
                    <tbody>
                        {phases(&totals).into_iter().map(|(key, n)| view! {
                            <tr><th scope="row">{i18n.t(key)}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
