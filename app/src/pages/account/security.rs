//! Enrolling an authenticator app: a QR code drawn on the server, the secret as text for apps
//! that cannot scan, the recovery codes, and the first code that confirms it all. Mandatory for
//! liaisons, monitors and admins (they arrive here after their password, `?next=…` travelling on
//! in a hidden field); optional for others.

use leptos::prelude::*;

use crate::api::second_factor::{ConfirmSecondFactor, second_factor_setup};
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::loaded::loaded;
use crate::components::url_query::use_url_query;
use crate::i18n::use_i18n;
use crate::model::account::SecondFactorState;
use crate::pages::account::login::NextQuery;

#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let error = action_error(confirm);
    let setup = Resource::new(move || confirm.version().get(), |_| second_factor_setup());
    // From a mail's link: the page to open once enrolled (kept only if local, on the server).
    let query = use_url_query::<NextQuery>();
    let next = move || query.read().next.clone().unwrap_or_default();
    view! {
        <h1>{i18n.t("page-security-title")}</h1>
        {loaded(setup, move |setup| match setup {
            SecondFactorState::Enrolled { since } => view! {
                <p class="alert alert-ok" role="status">
                    {i18n.t_with("notice-second-factor-enrolled", &[("since", i18n.day(&since))])}
                </p>
            }
            .into_any(),
            SecondFactorState::Pending { secret, qr_svg, recovery_codes, mandatory } => view! {
                {mandatory.then(|| view! { <p class="alert">{i18n.t("page-security-mandatory")}</p> })}
                <ol class="steps">
                    <li>{i18n.t("page-security-step-app")}</li>
                    <li>
                        {i18n.t("page-security-step-scan")}
                        <div class="qr" inner_html=qr_svg></div>
                        <p>{i18n.t("page-security-secret")} " " <code class="secret">{secret}</code></p>
                    </li>
                    <li>
                        {i18n.t("page-security-step-codes")}
                        <ul class="recovery">
                            {recovery_codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                        </ul>
                    </li>
                    <li>
                        {i18n.t("page-security-step-confirm")}
                        <ActionForm action=confirm attr:class="form">
                            <FormAlert error />
                            <input type="hidden" name="next" value=next />
                            <TextField name="code" label="field-code" autocomplete="one-time-code" error />
                            <button type="submit">{i18n.t("action-verify")}</button>
                        </ActionForm>
                    </li>
                </ol>
            }
            .into_any(),
        })}
    }
}
