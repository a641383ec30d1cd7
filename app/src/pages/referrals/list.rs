//! The liaison's inbox: their institution's referrals, the most urgent first, with due dates.

use leptos::prelude::*;

use crate::api::observations::{get_list_choices, list_referrals};
use crate::components::case::{DeadlineLine, OverdueBadge, StatusBadge};
use crate::components::day::Day;
use crate::components::list_filters::{ListFilters, Pager};
use crate::components::loaded::loaded;
use crate::components::url_query::use_url_query;
use crate::domain::lifecycle::ReferralStatus;
use crate::i18n::use_i18n;
use crate::model::observation::ListFilter;

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_url_query::<ListFilter>();
    // The list first: someone who may not read it gets the refusal alone, not a filter form
    // above it.
    let list = Resource::new(
        move || filter.get(),
        |f| async move {
            let page = list_referrals(Some(f)).await?;
            Ok((page, get_list_choices().await?))
        },
    );
    let statuses: Vec<&'static str> = ReferralStatus::ALL.iter().map(|s| s.as_str()).collect();
    view! {
        <h1>{i18n.t("page-referrals-title")}</h1>
        {loaded(list, move |(mut page, choices)| {
            let filters = view! {
                <details class="filter-box" open=filter.get_untracked() != Default::default()>
                    <summary>{i18n.t("form-filters")}</summary>
                    <ListFilters path="/referrals" current=filter.get_untracked() choices
                        statuses=statuses.clone() status_prefix="status-ref-" by_institution=false />
                </details>
            };
            if page.items.is_empty() {
                return view! {
                    {filters}
                    <p class="empty">{i18n.t("landing-no-referrals")}</p>
                }
                .into_any();
            }
            view! {
                {filters}
                <ul class="records case-list">
                    {std::mem::take(&mut page.items).into_iter().map(|r| view! {
                        <li>
                            <a href=format!("/referrals/{}", r.id) class="case-title">{r.title.clone()}</a>
                            <p class="case-meta">
                                <span class="reference">{r.reference.clone()}</span> " "
                                <StatusBadge name=r.status.as_str() label_key=r.status.label_key() />
                                " " <OverdueBadge overdue=r.overdue />
                            </p>
                            <p class="neutral">
                                {i18n.t("obs-forwarded-on")} " " <Day iso=r.forwarded_on.clone() />
                            </p>
                            // Which deadline runs (acknowledgement or response), and how far.
                            <DeadlineLine next=r.next_deadline.clone() />
                        </li>
                    }).collect_view()}
                </ul>
                <Pager path="/referrals" current=filter.get_untracked() page />
            }
            .into_any()
        })}
    }
}
