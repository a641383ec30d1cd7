//! The work queue on a role's landing page: what waits, grouped by why, each item a link to its
//! case with since when it waits; the NHRC's with a filter form (a plain GET, like the lists').

use leptos::prelude::*;

use crate::api::observations::get_list_choices;
use crate::api::queue::get_work_queue;
use crate::components::case::OverdueBadge;
use crate::components::choice_select::ChoiceSelect;
use crate::components::loaded::loaded;
use crate::components::url_query::use_url_query;
use crate::error::AppError;
use crate::i18n::{I18n, use_i18n};
use crate::model::observation::ListChoices;
use crate::model::queue::{QueueFilter, QueueItem, QueueSection, Waiting};

/// "depuis 3 jours ouvrés", "échéance dans 2 jours ouvrés", "en retard de 4 jours ouvrés".
pub fn waiting_words(i18n: I18n, waiting: Waiting) -> String {
    let (prefix, days) = match waiting {
        Waiting::Since(days) => ("queue-since", days),
        Waiting::DueIn(days) => ("queue-due-in", days),
        Waiting::LateBy(days) => ("queue-late-by", days),
    };
    match days {
        0 => i18n.t(&format!("{prefix}-zero")),
        1 => i18n.t(&format!("{prefix}-one")),
        days => i18n.t_with(&format!("{prefix}-days"), &[("days", days.to_string())]),
    }
}

#[component]
fn Item(item: QueueItem) -> impl IntoView {
    let i18n = use_i18n();
    let title = if item.title.is_empty() {
        i18n.t("queue-untitled")
    } else {
        item.title.clone()
    };
    let details = [
        item.institution.clone(),
        item.detail_key.as_deref().map(|key| i18n.t(key)),
        Some(waiting_words(i18n, item.waiting)),
    ]
    .into_iter()
    .flatten()
    .filter(|d| !d.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let late = item.overdue || matches!(item.waiting, Waiting::LateBy(_));
    view! {
        <li class="queue-item">
            <a href=item.href.clone()>
                {(!item.reference.is_empty()).then(|| view! {
                    <span class="reference">{item.reference.clone()}</span> " "
                })}
                <span class="queue-title">{title}</span>
            </a>
            // Said in words when the line's own timing does not already say it.
            <OverdueBadge overdue=item.overdue && !matches!(item.waiting, Waiting::LateBy(_)) />
            <span class=if late { "queue-when late" } else { "queue-when" }>{details}</span>
        </li>
    }
}

#[component]
fn Section(section: QueueSection) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("file-{}", section.bucket.as_str());
    view! {
        <section class="queue-group" aria-labelledby=id.clone()>
            <h3 id=id.clone()>
                {i18n.t(&section.bucket.title_key())} " "
                <span class="queue-count">{format!("({})", section.total)}</span>
            </h3>
            <ul class="queue-list">
                {section.items.into_iter().map(|item| view! { <Item item /> }).collect_view()}
            </ul>
            {section.more.clone().map(|href| view! {
                <p class="queue-more"><a href=href>{i18n.t("queue-see-all")}</a></p>
            })}
        </section>
    }
}

/// The NHRC's filter form: institution, region, category, as on the observation list.
#[component]
fn QueueFilters(
    path: &'static str,
    current: QueueFilter,
    choices: Resource<Result<ListChoices, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let filtered = current != QueueFilter::default();
    view! {
        {loaded(choices, move |choices| {
            let all = i18n.t("form-all");
            view! {
                <details class="filter-box" open=filtered>
                    <summary>{i18n.t("form-filters")}</summary>
                    <form method="get" action=path class="filters" role="search">
                        <ChoiceSelect id="institution" label="field-institution" empty=all.clone()
                            choices=choices.institutions current=current.institution.clone() />
                        <ChoiceSelect id="region" label="field-region" empty=all.clone()
                            choices=choices.regions current=current.region.clone() />
                        <ChoiceSelect id="category" label="field-category" empty=all.clone()
                            choices=choices.categories current=current.category.clone() />
                        <button type="submit">{i18n.t("action-filter")}</button>
                        {filtered.then(|| view! { <a href=path class="secondary">{i18n.t("queue-unfilter")}</a> })}
                    </form>
                </details>
            }
        })}
    }
}

/// The viewer's queue. `path`: the page it is on (the filter form comes back to it);
/// `filters`: whether it offers the filter form (the NHRC's).
#[component]
pub fn WorkQueue(path: &'static str, #[prop(optional)] filters: bool) -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_url_query::<QueueFilter>();
    let queue = Resource::new(move || filter.get(), |f| get_work_queue(Some(f)));
    // Made here, beside the queue's, never inside its view: the browser must find the
    // resources in the order the server made them, or hydration fails.
    let choices = filters.then(|| Resource::new(|| (), |_| get_list_choices()));
    view! {
        <section class="queue" aria-labelledby="file-title">
            {choices.map(|choices| view! {
                <QueueFilters path current=filter.get_untracked() choices />
            })}
            {loaded(queue, move |queue| {
                let waiting: Vec<QueueSection> =
                    queue.sections.into_iter().filter(|s| s.total > 0).collect();
                view! {
                    <h2 id="file-title">
                        {i18n.t_with("queue-heading", &[("count", queue.total.to_string())])}
                    </h2>
                    {if waiting.is_empty() {
                        view! { <p class="empty">{i18n.t("queue-empty")}</p> }.into_any()
                    } else {
                        waiting.into_iter().map(|section| view! { <Section section /> })
                            .collect_view().into_any()
                    }}
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{Locale, Role};
    use crate::i18n::has_key;
    use crate::model::queue::Bucket;

    /// Every group of every role's queue, and every word an item may carry, in both languages.
    #[test]
    fn every_group_and_word_is_in_both_catalogues() {
        let mut keys: Vec<String> = Role::ALL
            .iter()
            .flat_map(|role| Bucket::of(*role).iter().map(|b| b.title_key()))
            .collect();
        for prefix in ["queue-since", "queue-due-in", "queue-late-by"] {
            for end in ["zero", "one", "days"] {
                keys.push(format!("{prefix}-{end}"));
            }
        }
        keys.extend(
            [
                "queue-detail-automatic",
                "queue-detail-tip-new",
                "queue-detail-tip-reply",
            ]
            .map(String::from),
        );
        for locale in [Locale::Fr, Locale::En] {
            for key in &keys {
                assert!(has_key(locale, key), "{key} in {locale:?}");
            }
        }
    }
}
