//! The public transparency page (no account needed): per quarter, referrals received by each
//! institution and observations filed by category and by region. Counts from one to four are
//! shown as "< 5" (a zero as 0), and other cells are hidden with them so that none can be worked
//! out from totals; then how the figures shown are defined, in the dashboard's words.

use leptos::prelude::*;

use crate::api::statistics::get_transparency;
use crate::components::loaded::loaded;
use crate::i18n::{I18n, use_i18n};
use crate::model::statistics::{PublicTable, Published};

fn quarter(i18n: I18n, key: &str) -> String {
    match key.split_once("-T") {
        Some((year, n)) => i18n.t_with(
            "stats-quarter",
            &[("year", year.to_string()), ("n", n.to_string())],
        ),
        None => key.to_string(),
    }
}

fn cell(i18n: I18n, value: Published) -> String {
    match value {
        Published::Count(n) => n.to_string(),
        Published::Hidden => i18n.t("stats-small"),
    }
}

/// One public table: a row per name, a column per quarter, totals last. Six columns may not fit
/// a phone: the table then scrolls inside a region that a keyboard reaches, named by the
/// section's heading, with a shadow on the edge that has more (see `.figures .table-wrap`).
fn public_table(
    i18n: I18n,
    heading: &'static str,
    first: &'static str,
    quarters: Vec<String>,
    data: PublicTable,
) -> impl IntoView {
    let quarters: Vec<String> = quarters.iter().map(|q| quarter(i18n, q)).collect();
    let t = data.table;
    let id = format!("{heading}-title");
    view! {
        <section class="figures">
            <h2 id=id.clone()>{i18n.t(heading)}</h2>
            {if data.rows.is_empty() {
                view! { <p class="empty">{i18n.t("stats-nothing-yet")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby=id.clone()>
                        <table aria-labelledby=id.clone()>
                            <thead><tr>
                                <th scope="col">{i18n.t(first)}</th>
                                {quarters.into_iter().map(|q| view! { <th scope="col">{q}</th> }).collect_view()}
                                <th scope="col">{i18n.t("stats-total")}</th>
                            </tr></thead>
                            <tbody>
                                {data.rows.into_iter().zip(t.cells).zip(t.row_totals).map(|((label, cells), total)| view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        {cells.into_iter().map(|c| view! { <td>{cell(i18n, c)}</td> }).collect_view()}
                                        <td>{cell(i18n, total)}</td>
                                    </tr>
                                }).collect_view()}
                                <tr class="total">
                                    <th scope="row">{i18n.t("stats-total")}</th>
                                    {t.column_totals.into_iter().map(|c| view! { <td>{cell(i18n, c)}</td> }).collect_view()}
                                    <td>{cell(i18n, t.total)}</td>
                                </tr>
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn TransparencyPage() -> impl IntoView {
    let i18n = use_i18n();
    let figures = Resource::new(|| (), |_| get_transparency());
    view! {
        <h1>{i18n.t("page-transparency-title")}</h1>
        <p>{i18n.t("page-transparency-lead")}</p>
        {loaded(figures, move |f| view! {
            {public_table(i18n, "stats-public-institutions", "stats-institution", f.quarters.clone(), f.institutions)}
            {public_table(i18n, "stats-public-categories", "stats-category", f.quarters.clone(), f.categories)}
            {public_table(i18n, "stats-public-regions", "stats-region", f.quarters.clone(), f.regions)}
            <section class="figures">
                <h2>{i18n.t("stats-definitions")}</h2>
                // Only the figures this page shows.
                <ul>
                    <li>{i18n.t("stats-def-received")}</li>
                    <li>{i18n.t("stats-def-observations")}</li>
                </ul>
            </section>
            <p class="neutral">{i18n.t_with("stats-computed-at", &[("at", i18n.day(&f.computed_at))])}</p>
        })}
    }
}
