//! Sign-in for every role. `?next=…` (a page that needed an account, a link from a mail)
//! travels in a hidden field: once signed in, the user lands there.

use leptos::prelude::*;

use crate::api::session::Login as LoginFn;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::url_query::{url_query, use_url_query};
use crate::i18n::use_i18n;

/// `?next=…`: the page to open once signed in (checked on the server).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NextQuery {
    pub next: Option<String>,
}
url_query!(NextQuery { next });

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LoginFn>::new();
    let error = action_error(action);
    let query = use_url_query::<NextQuery>();
    let next = move || query.read().next.clone().unwrap_or_default();
    view! {
        <h1>{i18n.t("page-login-title")}</h1>
        {move || query.read().next.is_some().then(|| view! {
            <div class="alert" role="status"><p>{i18n.t("error-unauthenticated")}</p></div>
        })}
        <ActionForm action=action attr:class="form">
            <FormAlert error />
            <input type="hidden" name="next" value=next />
            <TextField name="email" label="field-email" kind="email" autocomplete="username" error />
            <TextField name="password" label="field-password" kind="password" autocomplete="current-password" error />
            <button type="submit">{i18n.t("action-login")}</button>
        </ActionForm>
        <p><a href="/password/forgot">{i18n.t("nav-forgot-password")}</a></p>
    }
}
