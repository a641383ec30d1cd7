//! The dashboard's filter form: a plain GET form to `/dashboard`, so a view is shared by its
//! address and works without JavaScript.

use leptos::prelude::*;

use crate::components::choice_select::ChoiceSelect;
use crate::i18n::use_i18n;
use crate::model::observation::ListChoices;
use crate::model::statistics::DashboardFilter;

#[component]
pub fn DashboardFilters(
    current: DashboardFilter,
    choices: ListChoices,
    /// Liaisons filter neither by institution nor by who filed.
    by_institution: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let all = i18n.t("form-all");
    // A yes/no filter: `1` and `0`, as the address carries them.
    let yes_no = move |name: &'static str,
                       label: &'static str,
                       yes: &'static str,
                       no: &'static str,
                       value: Option<bool>| {
        let choices = vec![
            ("1".to_string(), i18n.t(yes)),
            ("0".to_string(), i18n.t(no)),
        ];
        let current = value.map(|v| if v { "1" } else { "0" }.to_string());
        view! { <ChoiceSelect id=name label empty=i18n.t("form-all") choices current /> }
    };
    view! {
        <form method="get" action="/dashboard" class="filters" role="search">
            <div class="field">
                <label for="from">{i18n.t("field-month-from")}</label>
                <input id="from" name="from" type="month" value=current.from.clone() />
            </div>
            <div class="field">
                <label for="to">{i18n.t("field-month-to")}</label>
                <input id="to" name="to" type="month" value=current.to.clone() />
            </div>
            {by_institution.then(|| view! {
                <ChoiceSelect id="institution" label="field-institution" empty=all.clone()
                    choices=choices.institutions.clone() current=current.institution.clone() />
            })}
            <ChoiceSelect id="region" label="field-region" empty=all.clone()
                choices=choices.regions current=current.region.clone() />
            <ChoiceSelect id="category" label="field-category" empty=all.clone()
                choices=choices.categories current=current.category.clone() />
            {by_institution.then(|| yes_no("womens", "field-womens-filter", "stats-lens-womens", "stats-lens-other-organisations", current.womens))}
            {yes_no("sensitive", "field-sensitive-filter", "stats-lens-sensitive", "stats-lens-other-categories", current.sensitive)}
            <button type="submit">{i18n.t("action-filter")}</button>
        </form>
    }
    .into_any()
}
