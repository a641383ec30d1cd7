//! Admins keep the public-holiday calendar that deadlines skip: add a day, remove a wrong one.

use leptos::prelude::*;

use crate::api::reference::{AddHoliday, DeleteHoliday, list_holidays};
use crate::components::form::{FormAlert, TextField, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminHolidaysPage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddHoliday>::new();
    let delete = ServerAction::<DeleteHoliday>::new();
    let error = action_error(add);
    let delete_error = action_error(delete);
    let holidays = Resource::new(
        move || (add.version().get(), delete.version().get()),
        |_| list_holidays(),
    );
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-holidays" lead="admin-holidays-lead">
            <section>
                <h2>{i18n.t("admin-holiday-new")}</h2>
                <ActionForm action=add attr:class="form">
                    <FormAlert error />
                    <TextField name="day" label="field-date" kind="date" error />
                    <TextField name="name_fr" label="field-name-fr" autocomplete="off" error />
                    <TextField name="name_en" label="field-name-en" autocomplete="off" required=false error />
                    <button type="submit">{i18n.t("action-add")}</button>
                </ActionForm>
            </section>
            <section>
                <h2>{i18n.t("nav-holidays")}</h2>
                <FormAlert error=delete_error />
                {loaded(holidays, move |rows| view! {
                    <ul class="records">
                        {rows
                            .into_iter()
                            .map(|h| view! {
                                <li>
                                    <time datetime=h.day.clone()>{i18n.day(&h.day)}</time> " — " {h.name}
                                    <ActionForm action=delete attr:class="inline">
                                        <input type="hidden" name="id" value=h.id />
                                        <button type="submit" class="small">{i18n.t("action-delete")}</button>
                                    </ActionForm>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                })}
            </section>
        </LandingPage>
    }
}
