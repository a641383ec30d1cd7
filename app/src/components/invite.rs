//! The invitation form, for admins (any role but member, with organisation or institution) and
//! for coordinators (members of their own organisation).

use leptos::prelude::*;

use crate::api::accounts::InviteUser;
use crate::api::reference::{list_institutions, list_organisations};
use crate::components::form::{FieldMessage, FormAlert, TextField, action_error};
use crate::components::url_query::{Flag, url_query, use_url_query};
use crate::domain::{Locale, Role};
use crate::i18n::use_i18n;

/// `?invited=1`: where an invitation sends back to.
#[derive(Clone, Debug, Default, PartialEq)]
struct InvitedQuery {
    invited: Option<Flag>,
}
url_query!(InvitedQuery { invited });

#[component]
pub fn InviteForm(action: ServerAction<InviteUser>, roles: &'static [Role]) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let query = use_url_query::<InvitedQuery>();
    let invited = move || query.read().invited.is_some();
    let for_admin = roles.contains(&Role::Liaison);
    // Only admins pick an organisation or an institution; coordinators invite into their own.
    let organisations = Resource::new(
        || (),
        move |_| async move {
            if for_admin {
                list_organisations().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    let institutions = Resource::new(
        || (),
        move |_| async move {
            if for_admin {
                list_institutions().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    view! {
        <section>
            <h2>{i18n.t("admin-invite-title")}</h2>
            <Show when=invited>
                <p class="alert alert-ok" role="status">{i18n.t("notice-invitation-sent")}</p>
            </Show>
            <ActionForm action=action attr:class="form">
                <FormAlert error />
                <TextField name="email" label="field-email" kind="email" autocomplete="off" error />
                <TextField name="display_name" label="field-display-name" autocomplete="off" error />
                {if roles.len() == 1 {
                    view! { <input type="hidden" name="role" value=roles[0].as_str() /> }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="role">{i18n.t("field-role")}</label>
                            <select id="role" name="role">
                                {roles
                                    .iter()
                                    .map(|r| view! { <option value=r.as_str()>{i18n.t(r.label_key())}</option> })
                                    .collect_view()}
                            </select>
                            <FieldMessage name="role" error />
                        </div>
                    }
                        .into_any()
                }}
                <Show when=move || for_admin>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let organisations = organisations.await.unwrap_or_default();
                            let institutions = institutions.await.unwrap_or_default();
                            view! {
                                <div class="field">
                                    <label for="organisation_id">{i18n.t("field-organisation")}</label>
                                    <p class="hint" id="organisation_id-hint">{i18n.t("form-organisation-hint")}</p>
                                    <select id="organisation_id" name="organisation_id" aria-describedby="organisation_id-hint">
                                        <option value="">"—"</option>
                                        {organisations
                                            .into_iter()
                                            .filter(|o| o.active)
                                            .map(|o| view! { <option value=o.id>{o.name}</option> })
                                            .collect_view()}
                                    </select>
                                    <FieldMessage name="organisation_id" error />
                                </div>
                                <div class="field">
                                    <label for="institution_id">{i18n.t("field-institution")}</label>
                                    <p class="hint" id="institution_id-hint">{i18n.t("form-institution-hint")}</p>
                                    <select id="institution_id" name="institution_id" aria-describedby="institution_id-hint">
                                        <option value="">"—"</option>
                                        {institutions
                                            .into_iter()
                                            // Liaisons serve institutions that receive referrals.
                                            .filter(|i| i.active && i.receives_referrals)
                                            .map(|i| view! { <option value=i.id>{format!("{} — {}", i.acronym, i.name)}</option> })
                                            .collect_view()}
                                    </select>
                                    <FieldMessage name="institution_id" error />
                                </div>
                            }
                        })}
                    </Suspense>
                </Show>
                <div class="field">
                    <label for="locale">{i18n.t("field-language")}</label>
                    <select id="locale" name="locale">
                        {Locale::ALL
                            .into_iter()
                            .map(|l| view! { <option value=l.as_str()>{i18n.t(&format!("lang-{}", l.as_str()))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit">{i18n.t("action-invite")}</button>
            </ActionForm>
        </section>
    }
}
