//! Monitors approve or refuse the monitor accounts an administrator asked for (two-person
//! rule: an administrator alone never opens the cases to anyone). Plain forms: works without
//! JavaScript.

use leptos::prelude::*;

use crate::api::accounts::{DecideMonitor, list_pending_monitors};
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::components::url_query::{Flag, url_query, use_url_query};
use crate::domain::Role;
use crate::i18n::use_i18n;

/// `?approved=1` or `?refused=1`: where a decision sends back to.
#[derive(Clone, Debug, Default, PartialEq)]
struct DecisionQuery {
    approved: Option<Flag>,
    refused: Option<Flag>,
}
url_query!(DecisionQuery { approved, refused });

#[component]
pub fn MonitorApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideMonitor>::new();
    let error = action_error(decide);
    let query = use_url_query::<DecisionQuery>();
    let notice = move || {
        let query = query.read();
        if query.approved.is_some() {
            Some("notice-monitor-approved")
        } else if query.refused.is_some() {
            Some("notice-monitor-refused")
        } else {
            None
        }
    };
    let pending = Resource::new(move || decide.version().get(), |_| list_pending_monitors());
    view! {
        <LandingPage roles=&[Role::Monitor] title="page-monitor-approvals" lead="page-monitor-approvals-lead">
            {move || notice().map(|key| view! { <p class="alert alert-ok" role="status">{i18n.t(key)}</p> })}
            <FormAlert error />
            <FieldMessage name="user" error />
            {loaded(pending, move |pending| {
                if pending.is_empty() {
                    return view! { <p>{i18n.t("page-monitor-approvals-none")}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{i18n.t("field-display-name")}</th>
                                    <th scope="col">{i18n.t("field-email")}</th>
                                    <th scope="col">{i18n.t("field-invited-by")}</th>
                                    <th scope="col">{i18n.t("field-invited-on")}</th>
                                    <th scope="col">{i18n.t("field-password")}</th>
                                    <th scope="col"><span class="visually-hidden">{i18n.t("field-actions")}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {pending
                                    .into_iter()
                                    .map(|m| {
                                        let (approve_id, refuse_id) = (m.id.clone(), m.id.clone());
                                        view! {
                                            <tr>
                                                // Each cell names its column: on a phone the rows are stacked cards.
                                                <td data-label=i18n.t("field-display-name")>{m.display_name}</td>
                                                <td data-label=i18n.t("field-email")>{m.email}</td>
                                                <td data-label=i18n.t("field-invited-by")>{m.invited_by.unwrap_or_default()}</td>
                                                <td data-label=i18n.t("field-invited-on")>{i18n.day(&m.invited_on)}</td>
                                                <td data-label=i18n.t("field-password")>{i18n.t(if m.password_set { "admin-password-set" } else { "admin-password-not-set" })}</td>
                                                <td>
                                                    {if m.may_decide {
                                                        view! {
                                                            <ActionForm action=decide attr:class="inline">
                                                                <input type="hidden" name="user_id" value=approve_id />
                                                                <input type="hidden" name="decision" value="approve" />
                                                                <button type="submit" class="small">{i18n.t("action-approve")}</button>
                                                            </ActionForm>
                                                            <ActionForm action=decide attr:class="inline">
                                                                <input type="hidden" name="user_id" value=refuse_id />
                                                                <input type="hidden" name="decision" value="refuse" />
                                                                <button type="submit" class="small secondary">{i18n.t("action-refuse")}</button>
                                                            </ActionForm>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! { <span>{i18n.t("page-monitor-approvals-not-yours")}</span> }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            })}
        </LandingPage>
    }
}
