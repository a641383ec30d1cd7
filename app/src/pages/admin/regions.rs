//! The regions of Mali and their cercles (historical layout at first load); admins add the
//! cercles of the newer regions and remove wrong ones.

use leptos::prelude::*;

use crate::api::reference::{AddCercle, DeleteCercle, list_regions};
use crate::components::form::{FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminRegionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddCercle>::new();
    let delete = ServerAction::<DeleteCercle>::new();
    let error = action_error(add);
    let delete_error = action_error(delete);
    let regions = Resource::new(
        move || (add.version().get(), delete.version().get()),
        |_| list_regions(),
    );
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-regions" lead="admin-regions-lead">
            <FormAlert error />
            <FormAlert error=delete_error />
            {loaded(regions, move |rows| view! {
                <ul class="records">
                    {rows
                        .into_iter()
                        .map(|r| {
                            let input_id = format!("cercle-{}", r.code);
                            view! {
                                <li>
                                    <h2>{r.name} " (" {r.code.clone()} ")"</h2>
                                    {r.cercles.is_empty().then(|| view! { <p class="hint">{i18n.t("admin-no-cercles")}</p> })}
                                    <ul class="chips">
                                        {r.cercles
                                            .into_iter()
                                            .map(|c| view! {
                                                <li>
                                                    {c.name}
                                                    <ActionForm action=delete attr:class="inline">
                                                        <input type="hidden" name="id" value=c.id />
                                                        <button type="submit" class="small">{i18n.t("action-delete")}</button>
                                                    </ActionForm>
                                                </li>
                                            })
                                            .collect_view()}
                                    </ul>
                                    <ActionForm action=add attr:class="row-form">
                                        <input type="hidden" name="region_code" value=r.code />
                                        <label for=input_id.clone()>{i18n.t("admin-cercle-new")}</label>
                                        <input id=input_id name="name" required=true autocomplete="off" />
                                        <button type="submit" class="small">{i18n.t("action-add")}</button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            })}
        </LandingPage>
    }
}
