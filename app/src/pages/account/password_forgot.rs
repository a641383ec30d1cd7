//! Asking for a password-reset link. The answer is the same whether the address is known.

use leptos::prelude::*;

use crate::api::session::RequestPasswordReset;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::url_query::{Flag, url_query, use_url_query};
use crate::i18n::use_i18n;

/// `?sent=1`: where the form sends back to once the link is on its way.
#[derive(Clone, Debug, Default, PartialEq)]
struct ForgotQuery {
    sent: Option<Flag>,
}
url_query!(ForgotQuery { sent });

#[component]
pub fn PasswordForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let query = use_url_query::<ForgotQuery>();
    let sent = move || query.read().sent.is_some();
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
