//! Pieces of the case pages: status badges, the people affected, attachments, the timeline,
//! and the forms of the actions the viewer may take (offered from the domain's tables, and
//! checked again on the server).

use leptos::prelude::*;

use crate::api::observations::{
    ObservationAction as ObservationActionFn, ReferralAction as ReferralActionFn,
};
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::domain::observation::{Resolution, Visibility};
use crate::i18n::use_i18n;
use crate::model::observation::{ActionChoice, AttachmentView, EventView};

/// An observation's or a referral's status: `name` styles it, `label_key` words it.
#[component]
pub fn StatusBadge(name: &'static str, label_key: String) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=format!("status status-{name}")>{i18n.t(&label_key)}</span> }
}

#[component]
pub fn OverdueBadge(overdue: bool) -> impl IntoView {
    let i18n = use_i18n();
    overdue.then(|| view! { <span class="status overdue">{i18n.t("status-overdue")}</span> })
}

#[component]
pub fn Affected(counts: [i32; 4]) -> impl IntoView {
    let i18n = use_i18n();
    let labels = ["field-women", "field-men", "field-girls", "field-boys"];
    view! {
        <ul class="chips">
            {labels.iter().zip(counts).map(|(label, n)| view! {
                <li>{i18n.t_with("affected-count", &[("label", i18n.t(label)), ("count", n.to_string())])}</li>
            }).collect_view()}
        </ul>
    }
}

/// Files with their download links; `originals`: the NHRC may also fetch the sealed original.
#[component]
pub fn Attachments(
    items: Vec<AttachmentView>,
    #[prop(default = false)] originals: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="neutral">{i18n.t("obs-no-files")}</p> }.into_any();
    }
    view! {
        <ul class="records">
            {items.into_iter().map(|a| {
                let kb = (a.size_bytes + 1023) / 1024;
                view! {
                    <li>
                        <a href=format!("/files/{}", a.id) rel="external" download="">{a.name.clone()}</a>
                        " " <span class="neutral">{i18n.t_with("size-kb", &[("kb", kb.to_string())])}</span>
                        {(a.purpose == "document").then(|| view! { " " <span class="tag">{i18n.t("obs-document")}</span> })}
                        {originals.then(|| view! {
                            " · " <a href=format!("/files/{}/original", a.id) rel="external" download="">{i18n.t("obs-original")}</a>
                        })}
                        {a.sha256.map(|sha| view! { <br /><span class="reference small-print">"SHA-256 " {sha}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn Timeline(events: Vec<EventView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{i18n.t("obs-timeline")}</h2>
        <ol class="timeline">
            {events.into_iter().map(|e| {
                let who = if e.actor.is_empty() {
                    if e.actor_role == "system" {
                        i18n.t("obs-system")
                    } else {
                        i18n.t(&format!("role-{}", e.actor_role))
                    }
                } else {
                    e.actor.clone()
                };
                view! {
                    <li>
                        <p class="timeline-head">
                            <strong>{i18n.t(&format!("event-{}", e.kind))}</strong>
                            {e.institution.clone().map(|i| view! { " " <span class="tag">{i}</span> })}
                            {(e.visibility != Visibility::Everyone).then(|| view! {
                                " " <span class="tag">{i18n.t(&e.visibility.label_key())}</span>
                            })}
                        </p>
                        <p class="neutral">{who} " · " <time>{e.at.clone()}</time></p>
                        {e.note.clone().map(|n| view! { <p class="note">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The note field of an action form, required where the transition table says so.
#[component]
fn NoteField(id: String, required: bool) -> impl IntoView {
    let i18n = use_i18n();
    let label = if required {
        "field-note-required"
    } else {
        "field-note"
    };
    view! {
        <label for=id.clone()>{i18n.t(label)}</label>
        <textarea id=id name="note" rows="3" required=required autocomplete="off"></textarea>
    }
}

/// One form per action the viewer may take on an observation.
#[component]
pub fn ObservationActions(
    id: String,
    choices: Vec<ActionChoice>,
    action: ServerAction<ObservationActionFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <FormAlert error />
        // The case changed since the page was drawn (error-stale), or an unknown action.
        <FieldMessage name="action" error />
        <FieldMessage name="note" error />
        <FieldMessage name="resolution" error />
        <div class="act-list">
            {choices.into_iter().map(|choice| {
                let id = id.clone();
                let note_id = format!("note-{}-{}", id, choice.action);
                let closing = choice.action == "close";
                let needs_form = choice.note_required || closing;
                view! {
                    <ActionForm action=action attr:class="act-form">
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="action" value=choice.action.clone() />
                        {closing.then(|| {
                            let resolution_id = format!("resolution-{id}");
                            view! {
                                <label for=resolution_id.clone()>{i18n.t("field-resolution")}</label>
                                <select id=resolution_id name="resolution" required=true>
                                    {Resolution::ALL.iter().map(|r| view! {
                                        <option value=r.as_str()>{i18n.t(&format!("resolution-{}", r.as_str()))}</option>
                                    }).collect_view()}
                                </select>
                            }
                        })}
                        {needs_form.then(|| view! { <NoteField id=note_id.clone() required=choice.note_required /> })}
                        <button type="submit" class=if choice.action == "withdraw" { "secondary" } else { "" }>
                            {i18n.t(&format!("action-obs-{}", choice.action))}
                        </button>
                    </ActionForm>
                }
            }).collect_view()}
        </div>
    }
}

/// One form per action the viewer may take on a referral.
#[component]
pub fn ReferralActions(
    id: String,
    choices: Vec<ActionChoice>,
    action: ServerAction<ReferralActionFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="act-list">
            {choices.into_iter().map(|choice| {
                let id = id.clone();
                let note_id = format!("note-{}-{}", id, choice.action);
                view! {
                    <ActionForm action=action attr:class="act-form">
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="action" value=choice.action.clone() />
                        {choice.note_required.then(|| view! { <NoteField id=note_id.clone() required=true /> })}
                        <button type="submit">{i18n.t(&format!("action-ref-{}", choice.action))}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </div>
    }
}
