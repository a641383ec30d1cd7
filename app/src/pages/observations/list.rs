//! The observations list: a CSO's own observations, or the NHRC's triage queue and archive,
//! with filters in the URL.

use leptos::prelude::*;

use crate::api::observations::{get_list_choices, list_observations};
use crate::components::case::{OverdueBadge, StatusBadge};
use crate::components::day::Day;
use crate::components::list_filters::{ListFilters, Pager};
use crate::components::loaded::loaded;
use crate::components::url_query::use_url_query;
use crate::domain::lifecycle::ObservationStatus;
use crate::i18n::use_i18n;
use crate::model::observation::ListFilter;

#[component]
pub fn ObservationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_url_query::<ListFilter>();
    let list = Resource::new(move || filter.get(), |f| list_observations(Some(f)));
    let choices = Resource::new(|| (), |_| get_list_choices());
    let statuses: Vec<&'static str> = ObservationStatus::ALL.iter().map(|s| s.as_str()).collect();
    view! {
        <h1>{i18n.t("page-observations-title")}</h1>
        {loaded(choices, move |choices| view! {
            // Only those who may file are offered to (the NHRC would meet a refusal).
            {choices.can_file.then(|| view! {
                <p><a class="button" href="/observations/new">{i18n.t("action-new-observation")}</a></p>
            })}
            <details class="filter-box" open=filter.get_untracked() != Default::default()>
                <summary>{i18n.t("form-filters")}</summary>
                <ListFilters path="/observations" current=filter.get_untracked() choices
                    statuses=statuses.clone() status_prefix="status-obs-" />
            </details>
        })}
        {loaded(list, move |mut page| {
            if page.items.is_empty() {
                // "Nothing matches" only when a filter is set; otherwise there is nothing yet.
                let mut set = filter.get_untracked();
                (set.sort, set.after, set.before) = (None, None, None);
                let key = if set == Default::default() {
                    "list-empty-none"
                } else {
                    "list-empty"
                };
                return view! { <p class="empty">{i18n.t(key)}</p> }.into_any();
            }
            view! {
                <ul class="records case-list">
                    {std::mem::take(&mut page.items).into_iter().map(|o| view! {
                        <li>
                            <a href=format!("/observations/{}", o.id) class="case-title">
                                {if o.title.is_empty() { i18n.t("obs-untitled") } else { o.title.clone() }}
                            </a>
                            <p class="case-meta">
                                {o.reference.clone().map(|r| view! { <span class="reference">{r}</span> " " })}
                                <StatusBadge name=o.status.as_str() label_key=o.status.label_key() />
                                " " <OverdueBadge overdue=o.overdue />
                            </p>
                            <p class="neutral">
                                {o.category.clone()} " · " {o.region.clone()}
                                {(!o.institutions.is_empty()).then(|| format!(" · {}", o.institutions.join(", ")))}
                                {o.submitted_on.clone().map(|d| view! { " · " <Day iso=d /> })}
                                {o.organisation.clone().map(|n| format!(" · {n}"))}
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
                <Pager path="/observations" current=filter.get_untracked() page />
            }
            .into_any()
        })}
    }
}
