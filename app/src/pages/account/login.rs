//! Sign-in for every role.

use leptos::prelude::*;

use crate::api::session::Login as LoginFn;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::i18n::use_i18n;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LoginFn>::new();
    let error = action_error(action);
    view! {
        <h1>{i18n.t("page-login-title")}</h1>
        <ActionForm action=action attr:class="form">
            <FormAlert error />
            <TextField name="email" label="field-email" kind="email" autocomplete="username" error />
            <TextField name="password" label="field-password" kind="password" autocomplete="current-password" error />
            <button type="submit">{i18n.t("action-login")}</button>
        </ActionForm>
        <p><a href="/password/forgot">{i18n.t("nav-forgot-password")}</a></p>
    }
}
