//! The audit log for NHRC staff: who did what to which record, newest first, filtered in the
//! URL (works without JavaScript), and a check of the hash chain.

use leptos::prelude::*;

use crate::api::audit::{VerifyAuditChain, list_audit_entries};
use crate::components::choice_select::ChoiceSelect;
use crate::components::day::Day;
use crate::components::form::{FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::components::url_query::{query_string, use_url_query};
use crate::domain::Role;
use crate::i18n::{I18n, use_i18n};
use crate::model::audit::{
    AuditEntrySummary, AuditFilter, ChainCheck, action_label_key, kind_label_key, method_label_key,
    role_label_key,
};

fn filter_link(filter: &AuditFilter, page: u64) -> String {
    let at = AuditFilter {
        page: Some(page),
        ..filter.clone()
    };
    format!("/audit?{}", query_string(&at))
}

/// The words for a code when the catalogue has them, else the code itself (an action written
/// before it had words, say).
fn words(i18n: I18n, key: Option<String>, code: &str) -> String {
    key.and_then(|key| {
        let text = i18n.t(&key);
        (text != key).then_some(text)
    })
    .unwrap_or_else(|| code.to_string())
}

/// One line of the log in words: roles, actions, sign-in methods and record kinds translated,
/// observations by their reference and linked.
fn entry_row(i18n: I18n, e: AuditEntrySummary) -> impl IntoView {
    let role = words(i18n, role_label_key(&e.role), &e.role);
    let action = words(i18n, action_label_key(&e.action), &e.action);
    let kind = words(i18n, kind_label_key(&e.target_kind), &e.target_kind);
    let detail = e
        .detail
        .as_deref()
        .map(|d| words(i18n, method_label_key(&e.action, d), d));
    let target = match &e.target_key {
        Some(key) => i18n.t(key),
        None => e.target,
    };
    let record = match e.link {
        Some(link) => view! { <a href=link class="reference">{target}</a> }.into_any(),
        None => view! { <span class="reference">{target}</span> }.into_any(),
    };
    view! {
        <tr>
            <td>{e.seq}</td>
            <td><Day iso=e.at /></td>
            <td>{e.actor.unwrap_or_default()} " (" {role} ")"</td>
            <td>{action}</td>
            <td>{kind} " " {record}</td>
            <td>{detail.unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_url_query::<AuditFilter>();
    let entries = Resource::new(move || filter.get(), list_audit_entries);
    let verify = ServerAction::<VerifyAuditChain>::new();
    let verify_error = action_error(verify);
    let verdict = move || {
        verify.value().get().and_then(|r| r.ok()).map(|check| {
            let (key, value, class) = match check {
                ChainCheck::Intact { entries } => {
                    ("audit-chain-intact", entries.to_string(), "alert alert-ok")
                }
                ChainCheck::Broken { at } => {
                    ("audit-chain-broken", at.to_string(), "alert alert-error")
                }
            };
            view! { <p class=class role="status">{i18n.t_with(key, &[("count", value)])}</p> }
        })
    };
    view! {
        <LandingPage roles=&[Role::Monitor] title="page-audit-title" lead="page-audit-lead">
            <ActionForm action=verify attr:class="inline">
                <FormAlert error=verify_error />
                <button type="submit" class="secondary">{i18n.t("action-verify-chain")}</button>
            </ActionForm>
            {verdict}
            {loaded(entries, move |page| {
                let current = filter.get_untracked();
                let actions: Vec<(String, String)> = page.actions.iter().map(|a| (a.clone(), words(i18n, action_label_key(a), a))).collect();
                let roles: Vec<(String, String)> = Role::ALL.iter().map(|r| r.as_str()).chain(["system", "anonymous"])
                    .map(|r| (r.to_string(), words(i18n, role_label_key(r), r)))
                    .collect();
                view! {
                    <form method="get" action="/audit" class="form filter-box">
                        <ChoiceSelect id="log-action" name="action" label="field-action" empty="—"
                            choices=actions current=current.action.clone() />
                        <ChoiceSelect id="log-role" name="role" label="field-role" empty="—"
                            choices=roles current=current.role.clone() />
                        <div class="field">
                            <label for="log-from">{i18n.t("field-from")}</label>
                            <input type="date" id="log-from" name="from" value=current.from.clone().unwrap_or_default() />
                        </div>
                        <div class="field">
                            <label for="log-until">{i18n.t("field-to")}</label>
                            <input type="date" id="log-until" name="until" value=current.until.clone().unwrap_or_default() />
                        </div>
                        <button type="submit">{i18n.t("action-filter")}</button>
                    </form>
                    <p>{i18n.t_with("audit-count", &[("count", page.total.to_string())])}</p>
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{i18n.t("field-when")}</th>
                                    <th scope="col">{i18n.t("field-who")}</th>
                                    <th scope="col">{i18n.t("field-action")}</th>
                                    <th scope="col">{i18n.t("field-record")}</th>
                                    <th scope="col">{i18n.t("field-detail")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.entries.into_iter().map(|e| entry_row(i18n, e)).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label=i18n.t("nav-pages")>
                        {(page.page > 1).then(|| view! { <a href=filter_link(&current, page.page - 1)>{i18n.t("nav-previous")}</a> })}
                        " " {format!("{} / {}", page.page, page.pages)} " "
                        {(page.page < page.pages).then(|| view! { <a href=filter_link(&current, page.page + 1)>{i18n.t("nav-next")}</a> })}
                    </nav>
                }
            })}
        </LandingPage>
    }
}
