//! The accounts an admin or a coordinator manages, with enable/disable buttons: found by a
//! search in the address (`?q=`, works without JavaScript), at most [`SHOWN`] at a time.

use leptos::prelude::*;

use crate::api::accounts::{SetUserActive, list_users};
use crate::api::second_factor::ResetSecondFactor;
use crate::components::form::{FormAlert, action_error};
use crate::components::loaded::loaded;
use crate::i18n::use_i18n;
use crate::model::account::UserSummary;

/// Rows drawn at once: past it, the page asks for a narrower search.
const SHOWN: usize = 50;

/// Whether an account answers a search: its name, address or affiliation holds every word,
/// case aside.
fn matches(user: &UserSummary, search: &str) -> bool {
    let text = format!(
        "{} {} {}",
        user.display_name,
        user.email,
        user.affiliation.as_deref().unwrap_or_default()
    )
    .to_lowercase();
    search
        .to_lowercase()
        .split_whitespace()
        .all(|word| text.contains(word))
}

#[component]
pub fn UserTable(
    /// Bumped when the list must be reloaded (after an invitation).
    refresh: Signal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let toggle = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetSecondFactor>::new();
    let error = action_error(toggle);
    let reset_error = action_error(reset);
    let users = Resource::new(
        move || (refresh.get(), toggle.version().get(), reset.version().get()),
        |_| list_users(),
    );
    view! {
        <section>
            <h2>{i18n.t("admin-users-title")}</h2>
            <FormAlert error />
            <FormAlert error=reset_error />
            <form method="get" class="row-form search-form" role="search">
                <label for="user-search">{i18n.t("admin-users-search")}</label>
                <input type="search" id="user-search" name="q" value=search() autocomplete="off" />
                <button type="submit" class="small">{i18n.t("action-search")}</button>
            </form>
            {loaded(users, move |users: Vec<UserSummary>| {
                let wanted = search();
                let found: Vec<UserSummary> = users.into_iter().filter(|u| matches(u, &wanted)).collect();
                let total = found.len();
                view! {
                            <p class="hint" role="status">
                                {i18n.t_with("admin-users-found", &[("count", total.to_string())])}
                                {(total > SHOWN).then(|| view! {
                                    " " {i18n.t_with("admin-users-narrow", &[("shown", SHOWN.to_string())])}
                                })}
                            </p>
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr>
                                            <th scope="col">{i18n.t("field-display-name")}</th>
                                            <th scope="col">{i18n.t("field-email")}</th>
                                            <th scope="col">{i18n.t("field-role")}</th>
                                            <th scope="col">{i18n.t("field-affiliation")}</th>
                                            <th scope="col">{i18n.t("field-status")}</th>
                                            <th scope="col">{i18n.t("field-second-factor")}</th>
                                            <th scope="col"><span class="visually-hidden">{i18n.t("field-actions")}</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {found
                                            .into_iter()
                                            .take(SHOWN)
                                            .map(|u| {
                                                let status = if !u.active {
                                                    "admin-status-disabled"
                                                } else if u.awaiting_approval {
                                                    // A monitor account: a monitor must approve it first.
                                                    "admin-status-awaiting-approval"
                                                } else if u.pending {
                                                    "admin-status-invited"
                                                } else {
                                                    "admin-status-active"
                                                };
                                                let role = i18n.t(u.role.label_key());
                                                let (next, label) = if u.active {
                                                    ("false", "action-disable")
                                                } else {
                                                    ("true", "action-enable")
                                                };
                                                let (toggle_id, reset_id) = (u.id.clone(), u.id.clone());
                                                view! {
                                                    <tr>
                                                        <td>{u.display_name}</td>
                                                        <td>{u.email}</td>
                                                        <td>{role}</td>
                                                        <td>{u.affiliation.unwrap_or_default()}</td>
                                                        <td>{i18n.t(status)}</td>
                                                        <td>{i18n.t(if u.second_factor { "admin-second-factor-on" } else { "admin-second-factor-off" })}</td>
                                                        <td>
                                                            {if u.is_viewer {
                                                                view! { <span class="tag">{i18n.t("admin-users-you")}</span> }.into_any()
                                                            } else {
                                                                view! {
                                                                    <ActionForm action=toggle attr:class="inline">
                                                                        <input type="hidden" name="user_id" value=toggle_id />
                                                                        <input type="hidden" name="active" value=next />
                                                                        <button type="submit" class="small">{i18n.t(label)}</button>
                                                                    </ActionForm>
                                                                }.into_any()
                                                            }}
                                                            {u.may_reset_second_factor.then(|| view! {
                                                                <ActionForm action=reset attr:class="inline">
                                                                    <input type="hidden" name="user_id" value=reset_id />
                                                                    <button type="submit" class="small">{i18n.t("action-reset-second-factor")}</button>
                                                                </ActionForm>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                }
            })}
        </section>
    }
}
