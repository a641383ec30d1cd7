//! The second step of signing in: a code from the authenticator app, or a recovery code.

use leptos::prelude::*;

use crate::api::second_factor::VerifySecondFactor;
use crate::components::form::{FormAlert, TextField, action_error};
use crate::i18n::use_i18n;

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifySecondFactor>::new();
    let error = action_error(action);
    view! {
        <h1>{i18n.t("page-code-title")}</h1>
        <p>{i18n.t("page-code-lead")}</p>
        <ActionForm action=action attr:class="form">
            <FormAlert error />
            <TextField name="code" label="field-code" autocomplete="one-time-code" hint="field-code-hint" error />
            <button type="submit">{i18n.t("action-verify")}</button>
        </ActionForm>
        <p><a href="/login">{i18n.t("nav-login-again")}</a></p>
    }
}
