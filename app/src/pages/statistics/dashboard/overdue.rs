//! The referrals past their deadline: the first ones the server sends (days late in working
//! days), and how many there are in all.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::model::statistics::OverdueReferral;

#[component]
pub fn OverdueSection(overdue: Vec<OverdueReferral>, total: i64) -> impl IntoView {
    let i18n = use_i18n();
    let more = total > overdue.len() as i64;
    view! {
        <section class="figures">
            <h2 id="overdue-heading">{i18n.t("stats-overdue")}</h2>
            {if overdue.is_empty() {
                view! { <p class="empty">{i18n.t("stats-no-overdue")}</p> }.into_any()
            } else {
                view! {
                    // Stacked on a phone; scrolling in a named, reachable region in between.
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="overdue-heading">
                        <table class="stack" aria-labelledby="overdue-heading">
                            <thead><tr>
                                <th scope="col">{i18n.t("stats-reference")}</th>
                                <th scope="col" class="text">{i18n.t("stats-institution")}</th>
                                <th scope="col">{i18n.t("stats-due")}</th>
                                <th scope="col">{i18n.t("stats-days-late")}</th>
                            </tr></thead>
                            <tbody>
                                {overdue.into_iter().map(|o| view! { <tr>
                                    <th scope="row"><a href=o.link>{o.reference}</a></th>
                                    <td class="text" data-label=i18n.t("stats-institution")>{o.institution}</td>
                                    <td data-label=i18n.t("stats-due")>{i18n.day(&o.due)}</td>
                                    <td data-label=i18n.t("stats-days-late")>{o.days_late}</td>
                                </tr> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="hint">{i18n.t_with("stats-def-line", &[("term", i18n.t("stats-days-late")), ("definition", i18n.t("stats-def-days-late"))])}</p>
                    {more.then(|| view! {
                        <p class="neutral">{i18n.t_with("stats-overdue-more", &[("count", total.to_string())])}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}
