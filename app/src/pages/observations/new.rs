//! Filing a new observation.

use leptos::prelude::*;

use crate::api::observations::get_filing_form;
use crate::components::filing_form::ObservationForm;
use crate::components::loaded::loaded;
use crate::components::url_state::url_errors;
use crate::i18n::use_i18n;

#[component]
pub fn NewObservationPage() -> impl IntoView {
    let i18n = use_i18n();
    let error = url_errors();
    let form = Resource::new(|| (), |_| get_filing_form(None));
    view! {
        <h1>{i18n.t("page-new-observation-title")}</h1>
        {loaded(form, move |form| view! { <ObservationForm form error /> })}
    }
}
