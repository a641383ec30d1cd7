//! Choosing a password from an invitation or a reset link.

use leptos::prelude::*;

use crate::api::session::SetPassword;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::url_query::{url_query, use_url_query};
use crate::i18n::use_i18n;

/// `?token=…`: the invitation or reset link.
#[derive(Clone, Debug, Default, PartialEq)]
struct TokenQuery {
    token: Option<String>,
}
url_query!(TokenQuery { token });

#[component]
pub fn PasswordSetPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetPassword>::new();
    let error = action_error(action);
    let query = use_url_query::<TokenQuery>();
    let token = move || query.read().token.clone().unwrap_or_default();
    view! {
        <h1>{i18n.t("page-set-password-title")}</h1>
        <p>{i18n.t("page-set-password-lead")}</p>
        <ActionForm action=action attr:class="form">
            <FormAlert error />
            <input type="hidden" name="token" value=token />
            <TextField name="password" label="field-new-password" kind="password" autocomplete="new-password"
                hint="form-password-rule" error />
            <TextField name="confirm" label="field-confirm-password" kind="password" autocomplete="new-password" error />
            <button type="submit">{i18n.t("action-save-password")}</button>
        </ActionForm>
    }
}
