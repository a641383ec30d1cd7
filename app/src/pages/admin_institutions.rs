//! Admins set each institution's response deadlines (working days) and whether it is active.

use leptos::prelude::*;

use crate::api::reference::{UpdateInstitution, list_institutions};
use crate::components::form::{FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::notice::{ErrorNotice, Loading};
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminInstitutions() -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateInstitution>::new();
    let error = action_error(update);
    let institutions = Resource::new(move || update.version().get(), |_| list_institutions());
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-institutions" lead="admin-institutions-lead">
            <FormAlert error />
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match institutions.await {
                        Ok(rows) => view! {
                            <ul class="records">
                                {rows
                                    .into_iter()
                                    .map(|i| {
                                        let ack_id = format!("ack-{}", i.id);
                                        let respond_id = format!("respond-{}", i.id);
                                        let active_id = format!("active-{}", i.id);
                                        view! {
                                            <li>
                                                <p><strong>{i.acronym}</strong> " — " {i.name}</p>
                                                <ActionForm action=update attr:class="row-form">
                                                    <input type="hidden" name="id" value=i.id />
                                                    <label for=ack_id.clone()>{i18n.t("field-ack-days")}</label>
                                                    <input id=ack_id type="number" min="1" max="365" name="ack_days"
                                                        value=i.ack_days.to_string() inputmode="numeric" />
                                                    <label for=respond_id.clone()>{i18n.t("field-respond-days")}</label>
                                                    <input id=respond_id type="number" min="1" max="365" name="respond_days"
                                                        value=i.respond_days.to_string() inputmode="numeric" />
                                                    <input id=active_id.clone() type="checkbox" name="active" checked=i.active />
                                                    <label for=active_id>{i18n.t("field-active")}</label>
                                                    <button type="submit" class="small">{i18n.t("action-save")}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </LandingPage>
    }
}
