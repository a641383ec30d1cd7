//! Admins see mail that was given up or is waiting for another attempt, and can resend it.

use leptos::prelude::*;

use crate::api::notifications::{ResendMail, list_mail_problems};
use crate::components::form::{FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::domain::Role;
use crate::domain::notification::{DIGEST_TEMPLATE, Template};
use crate::i18n::use_i18n;

#[component]
pub fn AdminMailPage() -> impl IntoView {
    let i18n = use_i18n();
    let resend = ServerAction::<ResendMail>::new();
    let error = action_error(resend);
    let rows = Resource::new(move || resend.version().get(), |_| list_mail_problems());
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-mail" lead="admin-mail-lead">
            <FormAlert error />
            {loaded(rows, move |rows| {
                if rows.is_empty() {
                    return view! { <p class="empty">{i18n.t("admin-mail-empty")}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr>
                                <th>{i18n.t("field-recipient")}</th>
                                <th>{i18n.t("field-template")}</th>
                                <th>{i18n.t("field-status")}</th>
                                <th>{i18n.t("field-attempts")}</th>
                                <th>{i18n.t("field-error")}</th>
                                <th>{i18n.t("field-actions")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{r.recipient.clone()}</td>
                                        <td>{r.template.map_or(DIGEST_TEMPLATE, Template::as_str)} " " <span class="reference">{r.reference.clone()}</span></td>
                                        <td>{i18n.t(&r.state.label_key())} " " {i18n.day(&r.next_attempt)}</td>
                                        <td>{r.attempts}</td>
                                        <td>{r.last_error.clone()}</td>
                                        <td>
                                            <ActionForm action=resend>
                                                <input type="hidden" name="id" value=r.id.clone() />
                                                <button type="submit" class="small">{i18n.t("action-resend")}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            })}
        </LandingPage>
    }
}
