//! Admins register institutions and set each one's response deadlines (working days),
//! whether it is active and whether it may receive referrals.

use leptos::prelude::*;

use crate::api::reference::{CreateInstitution, UpdateInstitution, list_institutions};
use crate::components::form::{FieldMessage, FormAlert, TextField, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::domain::institution::InstitutionKind;
use crate::i18n::use_i18n;

#[component]
pub fn AdminInstitutionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateInstitution>::new();
    let update = ServerAction::<UpdateInstitution>::new();
    let create_error = action_error(create);
    let error = action_error(update);
    let institutions = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| list_institutions(),
    );
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-institutions" lead="admin-institutions-lead">
            <p class="hint">{i18n.t("admin-receives-referrals-hint")}</p>
            <FormAlert error />
            // The deadline forms share one action: their field errors show here, under the alert.
            <FieldMessage name="ack_days" error />
            <FieldMessage name="respond_days" error />
            {loaded(institutions, move |rows| view! {
                <ul class="records">
                    {rows
                        .into_iter()
                        .map(|i| {
                            let fr_id = format!("fr-{}", i.id);
                            let en_id = format!("en-{}", i.id);
                            let ack_id = format!("ack-{}", i.id);
                            let respond_id = format!("respond-{}", i.id);
                            let active_id = format!("active-{}", i.id);
                            let receiving_id = format!("receiving-{}", i.id);
                            view! {
                                <li>
                                    <p>
                                        <strong>{i.acronym.clone()}</strong> " — " {i.name.clone()} " · "
                                        {i18n.t(&i.kind.label_key())}
                                    </p>
                                    <ActionForm action=update attr:class="row-form">
                                        <input type="hidden" name="id" value=i.id.clone() />
                                        <span class="pair">
                                            <label for=fr_id.clone()>{i18n.t("field-name-fr")}</label>
                                            <input id=fr_id name="name_fr" value=i.name_fr.clone() required=true />
                                        </span>
                                        <span class="pair">
                                            <label for=en_id.clone()>{i18n.t("field-name-en")}</label>
                                            <input id=en_id name="name_en" value=i.name_en.clone() />
                                        </span>
                                        <span class="pair">
                                            <label for=ack_id.clone()>{i18n.t("field-ack-days")}</label>
                                            <input id=ack_id type="number" min="1" max="365" name="ack_days"
                                                value=i.ack_days.to_string() inputmode="numeric" />
                                        </span>
                                        <span class="pair">
                                            <label for=respond_id.clone()>{i18n.t("field-respond-days")}</label>
                                            <input id=respond_id type="number" min="1" max="365" name="respond_days"
                                                value=i.respond_days.to_string() inputmode="numeric" />
                                        </span>
                                        <span class="pair">
                                            <input id=active_id.clone() type="checkbox" name="active" checked=i.active />
                                            <label for=active_id>{i18n.t("field-active")}</label>
                                        </span>
                                        <span class="pair">
                                            <input id=receiving_id.clone() type="checkbox" name="receives_referrals"
                                                checked=i.receives_referrals />
                                            <label for=receiving_id>{i18n.t("field-receives-referrals")}</label>
                                        </span>
                                        <button type="submit" class="small">{i18n.t("action-save")}</button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            })}
            <section>
                <h2>{i18n.t("admin-institution-new")}</h2>
                <ActionForm action=create attr:class="form">
                    <FormAlert error=create_error />
                    <TextField name="acronym" label="field-acronym" autocomplete="off" error=create_error />
                    <TextField name="name_fr" label="field-name-fr" autocomplete="off" error=create_error />
                    <TextField name="name_en" label="field-name-en" autocomplete="off" required=false error=create_error />
                    <div class="field">
                        <label for="kind">{i18n.t("field-kind")}</label>
                        <select id="kind" name="kind">
                            {InstitutionKind::ALL
                                .iter()
                                .map(|k| view! { <option value=k.as_str()>{i18n.t(&k.label_key())}</option> })
                                .collect_view()}
                        </select>
                        <FieldMessage name="kind" error=create_error />
                    </div>
                    <TextField name="parent_acronym" label="field-parent" autocomplete="off" required=false error=create_error />
                    <div class="field checkbox">
                        <input type="checkbox" id="new-receives-referrals" name="receives_referrals" checked=true />
                        <label for="new-receives-referrals">{i18n.t("field-receives-referrals")}</label>
                    </div>
                    <button type="submit">{i18n.t("action-create")}</button>
                </ActionForm>
            </section>
        </LandingPage>
    }
}
