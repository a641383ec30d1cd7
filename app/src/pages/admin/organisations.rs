//! Admins register civil-society organisations and deactivate them.

use leptos::prelude::*;

use crate::api::reference::{
    CreateOrganisation, SetOrganisationActive, SetOrganisationQuota, list_organisations,
    list_regions,
};
use crate::components::form::{FieldMessage, FormAlert, TextField, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminOrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateOrganisation>::new();
    let toggle = ServerAction::<SetOrganisationActive>::new();
    let error = action_error(create);
    let quota = ServerAction::<SetOrganisationQuota>::new();
    let toggle_error = action_error(toggle);
    let quota_error = action_error(quota);
    let organisations = Resource::new(
        move || {
            (
                create.version().get(),
                toggle.version().get(),
                quota.version().get(),
            )
        },
        |_| list_organisations(),
    );
    let regions = Resource::new(|| (), |_| list_regions());
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-organisations" lead="admin-organisations-lead">
            <section>
                <h2>{i18n.t("admin-organisation-new")}</h2>
                <ActionForm action=create attr:class="form">
                    <FormAlert error />
                    <TextField name="name" label="field-name" autocomplete="off" error />
                    <TextField name="acronym" label="field-acronym" autocomplete="off" required=false error />
                    <div class="field">
                        <label for="region_code">{i18n.t("field-region")}</label>
                        <select id="region_code" name="region_code">
                            <option value="">"—"</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    regions
                                        .await
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|r| view! { <option value=r.code>{r.name}</option> })
                                        .collect_view()
                                })}
                            </Suspense>
                        </select>
                        <FieldMessage name="region_code" error />
                    </div>
                    <div class="field checkbox">
                        <input type="checkbox" id="is_womens_organisation" name="is_womens_organisation" />
                        <label for="is_womens_organisation">{i18n.t("field-womens-organisation")}</label>
                    </div>
                    <TextField name="contact_email" label="field-contact-email" kind="email" required=false error />
                    <button type="submit">{i18n.t("action-create")}</button>
                </ActionForm>
            </section>
            <section>
                <h2>{i18n.t("nav-organisations")}</h2>
                <FormAlert error=toggle_error />
                <FormAlert error=quota_error />
                {loaded(organisations, move |rows| view! {
                                <ul class="records">
                                    {rows
                                        .into_iter()
                                        .map(|o| {
                                            let (next, label) = if o.active {
                                                ("false", "action-disable")
                                            } else {
                                                ("true", "action-enable")
                                            };
                                            let (toggle_id, quota_id) = (o.id.clone(), o.id.clone());
                                            let quota_field = format!("quota-{}", o.id);
                                            view! {
                                                <li>
                                                    <strong>{o.name}</strong>
                                                    {o.acronym.map(|a| format!(" ({a})"))}
                                                    {o.is_womens_organisation
                                                        .then(|| view! { " " <span class="tag">{i18n.t("admin-womens-tag")}</span> })}
                                                    {(!o.active)
                                                        .then(|| view! { " " <span class="tag">{i18n.t("admin-status-disabled")}</span> })}
                                                    <ActionForm action=toggle attr:class="inline">
                                                        <input type="hidden" name="id" value=toggle_id />
                                                        <input type="hidden" name="active" value=next />
                                                        <button type="submit" class="small">{i18n.t(label)}</button>
                                                    </ActionForm>
                                                    <ActionForm action=quota attr:class="inline">
                                                        <input type="hidden" name="id" value=quota_id />
                                                        <label for=quota_field.clone()>{i18n.t("field-daily-quota")}</label>
                                                        " "
                                                        <input type="number" id=quota_field name="quota" min="0" max="10000"
                                                            value=o.daily_filing_quota.to_string() class="narrow" />
                                                        <button type="submit" class="small">{i18n.t("action-save")}</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                })}
            </section>
        </LandingPage>
    }
}
