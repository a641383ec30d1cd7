//! The filter form above a list: a plain GET form, so filters live in the URL (shareable, and
//! working without JavaScript), and the links between pages of results.

use leptos::prelude::*;

use crate::api::observations::{ListChoices, ListFilter};
use crate::i18n::use_i18n;

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The query string of `filter` at `page`.
pub fn query_string(filter: &ListFilter, page: u64) -> String {
    let pairs = [
        ("status", &filter.status),
        ("category", &filter.category),
        ("institution", &filter.institution),
        ("region", &filter.region),
        ("from", &filter.from),
        ("to", &filter.to),
        ("overdue", &filter.overdue),
        ("q", &filter.q),
        ("sort", &filter.sort),
    ];
    let mut parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode(v)))
        })
        .collect();
    parts.push(format!("page={page}"));
    parts.join("&")
}

/// The filter read from the page's URL.
pub fn filter_from_query(query: &leptos_router::params::ParamsMap) -> ListFilter {
    let get = |k: &str| query.get(k).filter(|v| !v.trim().is_empty());
    ListFilter {
        status: get("status"),
        category: get("category"),
        institution: get("institution"),
        region: get("region"),
        from: get("from"),
        to: get("to"),
        overdue: get("overdue"),
        q: get("q"),
        sort: get("sort"),
        page: get("page").and_then(|p| p.parse().ok()),
    }
}

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
    let is = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    view! {
        <form method="get" action=path class="filters" role="search">
            <div class="field">
                <label for="q">{i18n.t("field-search")}</label>
                <input id="q" name="q" type="search" value=current.q.clone() autocomplete="off" />
            </div>
            <div class="field">
                <label for="status">{i18n.t("field-status")}</label>
                <select id="status" name="status">
                    <option value="">{i18n.t("form-all")}</option>
                    {statuses.into_iter().map(|s| view! {
                        <option value=s selected=is(&current.status, s)>{i18n.t(&format!("{status_prefix}{s}"))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="category">{i18n.t("field-category")}</label>
                <select id="category" name="category">
                    <option value="">{i18n.t("form-all")}</option>
                    {choices.categories.into_iter().map(|(id, name)| {
                        let selected = is(&current.category, &id);
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            {by_institution.then(|| view! {
                <div class="field">
                    <label for="institution">{i18n.t("field-institution")}</label>
                    <select id="institution" name="institution">
                        <option value="">{i18n.t("form-all")}</option>
                        {choices.institutions.clone().into_iter().map(|(id, name)| {
                            let selected = is(&current.institution, &id);
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="region">{i18n.t("field-region")}</label>
                <select id="region" name="region">
                    <option value="">{i18n.t("form-all")}</option>
                    {choices.regions.into_iter().map(|(code, name)| {
                        let selected = is(&current.region, &code);
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="from">{i18n.t("field-from")}</label>
                <input id="from" name="from" type="date" value=current.from.clone() />
            </div>
            <div class="field">
                <label for="to">{i18n.t("field-to")}</label>
                <input id="to" name="to" type="date" value=current.to.clone() />
            </div>
            <div class="field">
                <label for="sort">{i18n.t("field-sort")}</label>
                <select id="sort" name="sort">
                    <option value="">{i18n.t("form-sort-default")}</option>
                    <option value="newest" selected=is(&current.sort, "newest")>{i18n.t("form-sort-newest")}</option>
                    <option value="oldest" selected=is(&current.sort, "oldest")>{i18n.t("form-sort-oldest")}</option>
                </select>
            </div>
            <div class="field checkbox">
                <input id="overdue" name="overdue" type="checkbox" value="1" checked=current.overdue.is_some() />
                <label for="overdue">{i18n.t("field-overdue-only")}</label>
            </div>
            <button type="submit">{i18n.t("action-filter")}</button>
        </form>
    }
}

/// "Page 2 of 5" with links to the neighbours.
#[component]
pub fn Pager(
    path: &'static str,
    current: ListFilter,
    page: u64,
    pages: u64,
    total: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |p: u64| format!("{path}?{}", query_string(&current, p));
    view! {
        <nav class="pager" aria-label=i18n.t("nav-pages")>
            <p>{i18n.t_with("list-count", &[("count", total.to_string()), ("page", page.to_string()), ("pages", pages.to_string())])}</p>
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{i18n.t("nav-previous")}</a> })}
            " "
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{i18n.t("nav-next")}</a> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_url() {
        let filter = ListFilter {
            q: Some("détention & garde".into()),
            status: Some("submitted".into()),
            ..Default::default()
        };
        assert_eq!(
            query_string(&filter, 2),
            "status=submitted&q=d%C3%A9tention%20%26%20garde&page=2"
        );
    }
}
