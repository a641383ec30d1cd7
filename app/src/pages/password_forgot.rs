//! Asking for a password-reset link. The answer is the same whether the address is known.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::session::RequestPasswordReset;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::i18n::use_i18n;

#[component]
pub fn PasswordForgot() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <h1>{i18n.t("page-forgot-title")}</h1>
        <Show when=sent fallback=move || view! {
            <p>{i18n.t("page-forgot-lead")}</p>
            <ActionForm action=action attr:class="form">
                <FormAlert error />
                <TextField name="email" label="field-email" kind="email" autocomplete="username" error />
                <button type="submit">{i18n.t("action-send-link")}</button>
            </ActionForm>
        }>
            <p class="alert alert-ok" role="status">{i18n.t("notice-reset-sent")}</p>
        </Show>
    }
}
