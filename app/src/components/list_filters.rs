//! The filter form above a list: a plain GET form, so filters live in the URL (shareable, and
//! working without JavaScript), and the links between pages of results.

use leptos::prelude::*;

use crate::components::choice_select::ChoiceSelect;
use crate::components::url_query::query_string;
use crate::i18n::use_i18n;
use crate::model::observation::{ListChoices, ListFilter, SORT_RELEVANCE};
use crate::model::{COUNT_LIMIT, Page};

#[component]
pub fn ListFilters(
    path: &'static str,
    current: ListFilter,
    choices: ListChoices,
    /// Status names and the prefix of their catalogue keys (`status-obs-` or `status-ref-`).
    statuses: Vec<&'static str>,
    status_prefix: &'static str,
    #[prop(default = true)] by_institution: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let all = i18n.t("form-all");
    let statuses = statuses
        .into_iter()
        .map(|s| (s.to_string(), i18n.t(&format!("{status_prefix}{s}"))))
        .collect();
    let sorts = [
        (SORT_RELEVANCE, "form-sort-relevance"),
        ("newest", "form-sort-newest"),
        ("oldest", "form-sort-oldest"),
    ]
    .map(|(value, key)| (value.to_string(), i18n.t(key)))
    .to_vec();
    view! {
        <form method="get" action=path class="filters" role="search">
            <div class="field">
                <label for="q">{i18n.t("field-search")}</label>
                <input id="q" name="q" type="search" value=current.q.clone() autocomplete="off" />
            </div>
            <ChoiceSelect id="status" label="field-status" empty=all.clone() choices=statuses
                current=current.status.clone() />
            <ChoiceSelect id="category" label="field-category" empty=all.clone()
                choices=choices.categories current=current.category.clone() />
            {by_institution.then(|| view! {
                <ChoiceSelect id="institution" label="field-institution" empty=all.clone()
                    choices=choices.institutions.clone() current=current.institution.clone() />
            })}
            <ChoiceSelect id="region" label="field-region" empty=all.clone()
                choices=choices.regions current=current.region.clone() />
            <div class="field">
                <label for="from">{i18n.t("field-from")}</label>
                <input id="from" name="from" type="date" value=current.from.clone() />
            </div>
            <div class="field">
                <label for="to">{i18n.t("field-to")}</label>
                <input id="to" name="to" type="date" value=current.to.clone() />
            </div>
            <ChoiceSelect id="sort" label="field-sort" empty=i18n.t("form-sort-default")
                choices=sorts current=current.sort.clone() />
            <div class="field checkbox">
                <input id="overdue" name="overdue" type="checkbox" value="1" checked=current.overdue.is_some() />
                <label for="overdue">{i18n.t("field-overdue-only")}</label>
            </div>
            <button type="submit">{i18n.t("action-filter")}</button>
        </form>
    }
}

/// How many results, and links to the first, previous and next pages (each a place in the
/// list's order, kept in the URL with the filters).
#[component]
pub fn Pager<T: 'static>(path: &'static str, current: ListFilter, page: Page<T>) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |after: Option<String>, before: Option<String>| {
        let at = ListFilter {
            after,
            before,
            ..current.clone()
        };
        let query = query_string(&at);
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    };
    let count = if page.more {
        i18n.t_with("list-count-more", &[("count", COUNT_LIMIT.to_string())])
    } else {
        i18n.t_with("list-count", &[("count", page.total.to_string())])
    };
    view! {
        <nav class="pager" aria-label=i18n.t("nav-pages")>
            <p>{count}</p>
            {page.previous.map(|cursor| view! {
                <a href=link(None, None)>{i18n.t("nav-first")}</a> " "
                <a href=link(None, Some(cursor)) rel="prev">{i18n.t("nav-previous")}</a>
            })}
            " "
            {page.next.map(|cursor| view! { <a href=link(Some(cursor), None) rel="next">{i18n.t("nav-next")}</a> })}
        </nav>
    }
}
