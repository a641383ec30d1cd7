//! The second step of signing in: a code from the authenticator app, or a recovery code.
//! `?next=…` from the first step travels on in a hidden field.

use leptos::prelude::*;

use crate::api::second_factor::VerifySecondFactor;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::url_query::{query_string, use_url_query};
use crate::i18n::use_i18n;
use crate::pages::account::login::NextQuery;

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifySecondFactor>::new();
    let error = action_error(action);
    let query = use_url_query::<NextQuery>();
    let next = move || query.read().next.clone().unwrap_or_default();
    // Starting again keeps the page to open afterwards.
    let again = move || match query_string(&query.get()) {
        q if q.is_empty() => "/login".to_string(),
        q => format!("/login?{q}"),
    };
    view! {
        <h1>{i18n.t("page-code-title")}</h1>
        <p>{i18n.t("page-code-lead")}</p>
        <ActionForm action=action attr:class="form">
            <FormAlert error />
            <input type="hidden" name="next" value=next />
            <TextField name="code" label="field-code" autocomplete="one-time-code" hint="field-code-hint" error />
            <button type="submit">{i18n.t("action-verify")}</button>
        </ActionForm>
        <p><a href=again>{i18n.t("nav-login-again")}</a></p>
    }
}
