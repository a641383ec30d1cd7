//! Resuming a draft: the filing form with what was saved, and the errors of the last post.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::observations::get_filing_form;
use crate::components::filing_form::ObservationForm;
use crate::components::loaded::loaded;
use crate::components::url_state::{UrlNotice, url_errors};
use crate::i18n::use_i18n;

#[component]
pub fn EditObservationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let error = url_errors();
    let form = Resource::new(move || params.read().get("id"), get_filing_form);
    view! {
        <h1>{i18n.t("page-draft-title")}</h1>
        <UrlNotice />
        {loaded(form, move |form| view! { <ObservationForm form error /> })}
    }
}
