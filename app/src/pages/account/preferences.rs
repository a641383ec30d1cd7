//! Each user chooses how they hear about changes: every time, once a day, or never.

use leptos::prelude::*;

use crate::api::notifications::{SetNotificationPreference, get_notification_preference};
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::components::loaded::loaded;
use crate::components::url_query::use_url_query;
use crate::components::url_state::UrlOutcome;
use crate::domain::notification::Preference;
use crate::i18n::use_i18n;

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetNotificationPreference>::new();
    let error = action_error(save);
    let current = Resource::new(
        move || save.version().get(),
        |_| get_notification_preference(),
    );
    let outcome = use_url_query::<UrlOutcome>();
    // After the action (with JavaScript), or from the address it sends back to (without).
    let saved = move || {
        save.value().get().is_some_and(|r| r.is_ok())
            || outcome.read().notice.as_deref() == Some("preferences_saved")
    };
    view! {
        <h1>{i18n.t("page-preferences-title")}</h1>
        <p>{i18n.t("page-preferences-lead")}</p>
        {move || saved().then(|| view! { <p class="alert alert-ok" role="status">{i18n.t("notice-preferences-saved")}</p> })}
        {loaded(current, move |current: Preference| view! {
            <ActionForm action=save attr:class="form">
                <FormAlert error />
                <fieldset class="field">
                    <legend>{i18n.t("field-preference")}</legend>
                    {Preference::ALL.iter().map(|p| {
                        let id = format!("preference-{}", p.as_str());
                        view! {
                            <div class="field checkbox">
                                <input type="radio" id=id.clone() name="preference" value=p.as_str()
                                    checked=current == *p />
                                <label for=id>{i18n.t(&format!("preference-{}", p.as_str()))}</label>
                            </div>
                        }
                    }).collect_view()}
                    <FieldMessage name="preference" error />
                </fieldset>
                <button type="submit">{i18n.t("action-save")}</button>
            </ActionForm>
        })}
        <p><a href="/security">{i18n.t("nav-security")}</a></p>
    }
}
