//! One labelled `<select>` of a filter form: an empty option first (no filter), then the
//! choices, the one in the address selected. Plain HTML, so the GET form works without JavaScript.

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn ChoiceSelect(
    /// The element's `id`; also its `name` unless `name` is given.
    id: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    /// Catalogue key of the label.
    label: &'static str,
    /// The words of the empty option ("all", say).
    #[prop(into)]
    empty: String,
    /// `(value, words)` pairs, in the order shown.
    choices: Vec<(String, String)>,
    /// The value chosen now, if any.
    current: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{i18n.t(label)}</label>
            <select id=id name=name.unwrap_or(id)>
                <option value="">{empty}</option>
                {choices.into_iter().map(|(value, words)| {
                    let selected = current.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{words}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
