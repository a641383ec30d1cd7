//! The export links of the dashboard: the same filter as the page, as CSV or JSON; observation
//! rows only for NHRC staff.

use leptos::prelude::*;

use crate::components::url_query::query_string;
use crate::i18n::use_i18n;
use crate::model::statistics::DashboardFilter;

#[component]
pub fn ExportsSection(
    filter: DashboardFilter,
    /// The number of observations, when the viewer may export their rows.
    observations: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The line's words and the language's own colon ("Le tableau par mois :", "The table by
    // month:").
    let formats = move |what: String| i18n.t_with("stats-export-formats", &[("what", what)]);
    // After `format=…`, which comes first in every export link.
    let query = match query_string(&filter) {
        text if text.is_empty() => text,
        text => format!("&{text}"),
    };
    view! {
        <section class="figures">
            <h2>{i18n.t("stats-export")}</h2>
            <ul class="exports">
                {observations.map(|count| view! {
                    <li>
                        {formats(i18n.t_with("stats-export-observations", &[("count", count.to_string())]))} " "
                        <a href=format!("/exports/observations?format=csv{query}") download>"CSV"</a> " · "
                        <a href=format!("/exports/observations?format=json{query}") download>"JSON"</a>
                    </li>
                })}
                {[("institutions", "stats-export-institutions"), ("regions", "stats-export-regions"),
                  ("categories", "stats-export-categories"), ("months", "stats-export-months")]
                    .into_iter()
                    .map(|(table, label)| view! {
                        <li>
                            {formats(i18n.t(label))} " "
                            <a href=format!("/exports/{table}?format=csv{query}") download>"CSV"</a> " · "
                            <a href=format!("/exports/{table}?format=json{query}") download>"JSON"</a>
                        </li>
                    })
                    .collect_view()}
            </ul>
            <p class="neutral">{i18n.t("stats-export-hint")}</p>
        </section>
    }
}
