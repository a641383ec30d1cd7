//! Admins edit the thematic categories: names in both languages, sensitivity, activity.

use leptos::prelude::*;

use crate::api::reference::{CreateCategory, UpdateCategory, list_categories};
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCategory>::new();
    let update = ServerAction::<UpdateCategory>::new();
    let create_error = action_error(create);
    let error = action_error(update);
    let categories = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| list_categories(),
    );
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-categories" lead="admin-categories-lead">
            <FormAlert error />
            {loaded(categories, move |rows| view! {
                <ul class="records">
                    {rows
                        .into_iter()
                        .map(|c| {
                            let fr_id = format!("fr-{}", c.id);
                            let en_id = format!("en-{}", c.id);
                            let sensitive_id = format!("sensitive-{}", c.id);
                            let active_id = format!("active-{}", c.id);
                            view! {
                                <li>
                                    <ActionForm action=update attr:class="row-form">
                                        <input type="hidden" name="id" value=c.id.clone() />
                                        <label for=fr_id.clone()>{i18n.t("field-name-fr")}</label>
                                        <input id=fr_id name="name_fr" value=c.name_fr.clone() required=true />
                                        <label for=en_id.clone()>{i18n.t("field-name-en")}</label>
                                        <input id=en_id name="name_en" value=c.name_en.clone() required=true />
                                        <input id=sensitive_id.clone() type="checkbox" name="sensitive" checked=c.sensitive />
                                        <label for=sensitive_id>{i18n.t("field-sensitive")}</label>
                                        <input id=active_id.clone() type="checkbox" name="active" checked=c.active />
                                        <label for=active_id>{i18n.t("field-active")}</label>
                                        <button type="submit" class="small">{i18n.t("action-save")}</button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            })}
            <section>
                <h2>{i18n.t("admin-category-new")}</h2>
                <ActionForm action=create attr:class="form">
                    <FormAlert error=create_error />
                    <TextField name="name_fr" label="field-name-fr" autocomplete="off" error=create_error />
                    <TextField name="name_en" label="field-name-en" autocomplete="off" required=false error=create_error />
                    <div class="field checkbox">
                        <input type="checkbox" id="new-sensitive" name="sensitive" />
                        <label for="new-sensitive">{i18n.t("field-sensitive")}</label>
                    </div>
                    <button type="submit">{i18n.t("action-create")}</button>
                </ActionForm>
            </section>
        </LandingPage>
    }
}
