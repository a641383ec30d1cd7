//! Who may read cases in a sensitive category: monitors grant or revoke the permission and name
//! coordinating liaisons; the liaisons' own page (referrals/sensitive.rs) shows the same list
//! for their institution. Plain forms: works without JavaScript.

use leptos::prelude::*;

use crate::api::sensitive::{SetCoordinatingLiaison, SetSensitiveAccess, list_sensitive_access};
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::components::url_query::{Flag, url_query, use_url_query};
use crate::domain::Role;
use crate::i18n::use_i18n;
use crate::model::sensitive::SensitiveHolder;

/// `?granted=1`, `?revoked=1` or `?coordinators=1`: where a change sends back to.
#[derive(Clone, Debug, Default, PartialEq)]
struct ChangeQuery {
    granted: Option<Flag>,
    revoked: Option<Flag>,
    coordinators: Option<Flag>,
}
url_query!(ChangeQuery {
    granted,
    revoked,
    coordinators
});

#[component]
pub fn MonitorSensitivePage() -> impl IntoView {
    view! {
        <LandingPage roles=&[Role::Monitor] title="page-sensitive" lead="page-sensitive-lead">
            <SensitiveAccessLists />
        </LandingPage>
    }
}

/// The lists and their forms, for a monitor or a liaison (the server decides what each sees
/// and may change).
#[component]
pub fn SensitiveAccessLists() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetSensitiveAccess>::new();
    let coordinate = ServerAction::<SetCoordinatingLiaison>::new();
    let set_error = action_error(set);
    let coordinate_error = action_error(coordinate);
    let query = use_url_query::<ChangeQuery>();
    let notice = move || {
        let query = query.read();
        if query.granted.is_some() {
            Some("notice-sensitive-granted")
        } else if query.revoked.is_some() {
            Some("notice-sensitive-revoked")
        } else if query.coordinators.is_some() {
            Some("notice-coordinators-changed")
        } else {
            None
        }
    };
    let access = Resource::new(
        move || (set.version().get(), coordinate.version().get()),
        |_| list_sensitive_access(),
    );
    view! {
        {move || notice().map(|key| view! { <p class="alert alert-ok" role="status">{i18n.t(key)}</p> })}
        <FormAlert error=set_error />
        <FieldMessage name="user" error=set_error />
        <FormAlert error=coordinate_error />
        {loaded(access, move |access| {
            let holds = if access.viewer_holds { "page-sensitive-you-hold" } else { "page-sensitive-you-do-not-hold" };
            let names_coordinators = access.names_coordinators;
            let read_only = !access.viewer_grants;
            // Only monitors are shown the NHRC's own list (a liaison's is empty).
            let nhrc = !access.monitors.is_empty();
            // A coordinating liaison without the permission is told who gives it to them.
            let read_only_key = if nhrc {
                "page-sensitive-monitor-read-only"
            } else if access.viewer_coordinates {
                "page-sensitive-coordinator-read-only"
            } else {
                "page-sensitive-liaison-read-only"
            };
            view! {
                <p>{i18n.t(holds)}</p>
                {read_only.then(|| view! { <p>{i18n.t(read_only_key)}</p> })}
                {nhrc.then(|| view! {
                    <h2>{i18n.t("page-sensitive-monitors")}</h2>
                    <HolderTable holders=access.monitors.clone() set coordinate institutions=false names_coordinators=false />
                })}
                <h2>{i18n.t("page-sensitive-liaisons")}</h2>
                <HolderTable holders=access.liaisons institutions=true names_coordinators set coordinate />
            }
                .into_any()
        })}
    }
}

#[component]
fn HolderTable(
    holders: Vec<SensitiveHolder>,
    set: ServerAction<SetSensitiveAccess>,
    coordinate: ServerAction<SetCoordinatingLiaison>,
    /// Liaisons: the institution and coordinating columns.
    institutions: bool,
    /// The viewer names coordinating liaisons (monitors).
    names_coordinators: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if holders.is_empty() {
        return view! { <p>{i18n.t("page-sensitive-none")}</p> }.into_any();
    }
    let yes_no = move |b: bool| i18n.t(if b { "sensitive-yes" } else { "sensitive-no" });
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{i18n.t("field-display-name")}</th>
                        <th scope="col">{i18n.t("field-email")}</th>
                        {institutions.then(|| view! { <th scope="col">{i18n.t("field-institution")}</th> })}
                        <th scope="col">{i18n.t("field-sensitive-cases")}</th>
                        {institutions.then(|| view! { <th scope="col">{i18n.t("field-coordinating-liaison")}</th> })}
                        <th scope="col"><span class="visually-hidden">{i18n.t("field-actions")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {holders
                        .into_iter()
                        .map(|h| {
                            let (grant_id, coordinate_id) = (h.id.clone(), h.id.clone());
                            let grant = if h.holds { "revoke" } else { "grant" };
                            let grant_label = if h.holds { "action-sensitive-revoke" } else { "action-sensitive-grant" };
                            let coordinating = if h.coordinates { "no" } else { "yes" };
                            let coordinate_label = if h.coordinates { "action-coordinating-unname" } else { "action-coordinating-name" };
                            view! {
                                <tr>
                                    // Each cell names its column: on a phone the rows are stacked cards.
                                    <td data-label=i18n.t("field-display-name")>{h.display_name}</td>
                                    <td data-label=i18n.t("field-email")>{h.email}</td>
                                    {institutions.then(|| view! { <td data-label=i18n.t("field-institution")>{h.institution.clone().unwrap_or_default()}</td> })}
                                    <td data-label=i18n.t("field-sensitive-cases")>{yes_no(h.holds)}</td>
                                    {institutions.then(|| view! { <td data-label=i18n.t("field-coordinating-liaison")>{yes_no(h.coordinates)}</td> })}
                                    <td>
                                        {h.may_change.then(|| view! {
                                            <ActionForm action=set attr:class="inline">
                                                <input type="hidden" name="user_id" value=grant_id />
                                                <input type="hidden" name="grant" value=grant />
                                                <button type="submit" class="small">{i18n.t(grant_label)}</button>
                                            </ActionForm>
                                        })}
                                        {names_coordinators.then(|| view! {
                                            <ActionForm action=coordinate attr:class="inline">
                                                <input type="hidden" name="user_id" value=coordinate_id />
                                                <input type="hidden" name="coordinating" value=coordinating />
                                                <button type="submit" class="small secondary">{i18n.t(coordinate_label)}</button>
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
        .into_any()
}
