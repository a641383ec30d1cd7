//! Pieces of the case pages: status badges, the people affected, attachments, the timeline,
//! and the forms of the actions the viewer may take (offered from the domain's tables, and
//! checked again on the server).

use leptos::prelude::*;

use crate::api::observations::{
    ObservationAction as ObservationActionFn, ReferralAction as ReferralActionFn,
};
use crate::components::day::Day;
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::components::queue::waiting_words;
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::{ObservationAction, ReferralAction};
use crate::domain::observation::{Resolution, Visibility};
use crate::i18n::use_i18n;
use crate::model::observation::{ActionChoice, AttachmentView, EventView};
use crate::model::queue::Waiting;
use crate::model::referral::{ContestView, NextDeadline};

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

/// A referral's deadline as words and a day: when it was met ("acknowledged on …"), or until
/// then when it is due.
pub fn deadline(
    i18n: crate::i18n::I18n,
    met_on: &Option<String>,
    met_key: &str,
    due_key: &str,
    due: &str,
) -> (String, String) {
    match met_on {
        Some(day) => (i18n.t(met_key), i18n.day(day)),
        None => (i18n.t(due_key), i18n.day(due)),
    }
}

/// The organisation's reason for contesting a response, and the response it contests, just
/// above the forms of whoever answers it (both are on every party's timeline already).
#[component]
pub fn ContestCallout(contest: Option<ContestView>) -> impl IntoView {
    let i18n = use_i18n();
    contest.map(|c| {
        view! {
            <div class="alert contest-callout" role="note">
                <p><strong>{i18n.t("obs-contest-reason")}</strong> " " {c.reason}</p>
                {c.response.map(|r| view! {
                    <p class="neutral"><strong>{i18n.t("obs-contested-response")}</strong> " " {r}</p>
                })}
            </div>
        }
    })
}

/// A day of a case as people write it, or "not given" when it is unknown.
pub fn day_or_not_given(i18n: crate::i18n::I18n, iso: String) -> AnyView {
    if iso.trim().is_empty() {
        i18n.t("obs-not-given").into_any()
    } else {
        view! { <Day iso /> }.into_any()
    }
}

/// A fact of a case, or "not given" when it is unknown (an observation made from a tip has
/// no category, date or institution unless the tipster gave them): never an empty value.
pub fn or_not_given(i18n: crate::i18n::I18n, value: String) -> String {
    if value.trim().is_empty() {
        i18n.t("obs-not-given")
    } else {
        value
    }
}

/// The people affected, by sex and age: a count left blank is stored as 0, so only the counts
/// given are shown, and "not given" when there is none.
#[component]
pub fn Affected(counts: [i32; 4]) -> impl IntoView {
    let i18n = use_i18n();
    let labels = ["field-women", "field-men", "field-girls", "field-boys"];
    if counts.iter().all(|n| *n <= 0) {
        return view! { <p class="neutral">{i18n.t("obs-not-given")}</p> }.into_any();
    }
    view! {
        <ul class="chips">
            {labels.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(label, n)| view! {
                <li>{i18n.t_with("affected-count", &[("label", i18n.t(label)), ("count", n.to_string())])}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The observation's own words under its facts: the people affected, the description, the
/// files (`files_key` names them for the reader: evidence, or the files shared with an
/// institution).
#[component]
pub fn CaseText(
    affected: [i32; 4],
    description: String,
    files_key: &'static str,
    attachments: Vec<AttachmentView>,
    #[prop(default = false)] originals: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h3>{i18n.t("field-affected")}</h3>
        <Affected counts=affected />
        <h3>{i18n.t("field-description")}</h3>
        <p class="description">{description}</p>
        <h3>{i18n.t(files_key)}</h3>
        <Attachments items=attachments originals />
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
                        {(a.purpose == AttachmentPurpose::Document).then(|| view! { " " <span class="tag">{i18n.t("obs-document")}</span> })}
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
                let who = match (e.actor.is_empty(), e.actor_role) {
                    (false, _) => e.actor.clone(),
                    (true, Some(role)) => i18n.t(role.label_key()),
                    (true, None) => i18n.t("obs-system"),
                };
                view! {
                    <li>
                        <p class="timeline-head">
                            <strong>{i18n.t(&e.kind.label_key())}</strong>
                            {e.institution.clone().map(|i| view! { " " <span class="tag">{i}</span> })}
                            {(e.visibility != Visibility::Everyone).then(|| view! {
                                " " <span class="tag">{i18n.t(&e.visibility.label_key())}</span>
                            })}
                        </p>
                        <p class="neutral">{who} " · " <Day iso=e.at.clone() /></p>
                        {e.note.clone().map(|n| view! { <p class="note">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The note field of an action form, required where the transition table says so; `label`
/// (a catalogue key) says what the text is for and who reads it, where the action gives one.
#[component]
fn NoteField(id: String, required: bool, #[prop(optional)] label: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let label = label.unwrap_or_else(|| {
        if required {
            "field-note-required"
        } else {
            "field-note"
        }
        .to_string()
    });
    view! {
        <label for=id.clone()>{i18n.t(&label)}</label>
        <textarea id=id name="note" rows="3" required=required autocomplete="off"></textarea>
    }
}

/// One form per action the viewer may take on an observation.
#[component]
pub fn ObservationActions(
    id: String,
    choices: Vec<ActionChoice<ObservationAction>>,
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
            {ordered(choices, |a| a.is_terminal()).into_iter().map(|choice| {
                let id = id.clone();
                let name = choice.action.as_str();
                let note_id = format!("note-{id}-{name}");
                let closing = choice.action == ObservationAction::Close;
                let needs_form = choice.note_required || closing;
                let label = i18n.t(&choice.action.label_key());
                let terminal = choice.action.is_terminal();
                let button = label.clone();
                let form = view! {
                    <ActionForm action=action attr:class="act-form">
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="action" value=name />
                        {closing.then(|| {
                            let resolution_id = format!("resolution-{id}");
                            view! {
                                <label for=resolution_id.clone()>{i18n.t("field-resolution")}</label>
                                <select id=resolution_id name="resolution" required=true>
                                    <option value="">{i18n.t("form-choose")}</option>
                                    {Resolution::ALL.iter().map(|r| view! {
                                        <option value=r.as_str()>{i18n.t(&format!("resolution-{}", r.as_str()))}</option>
                                    }).collect_view()}
                                </select>
                            }
                        })}
                        {needs_form.then(|| view! {
                            <NoteField id=note_id.clone() required=choice.note_required
                                label=format!("field-note-obs-{name}") />
                        })}
                        {terminal.then(|| view! { <Confirm id=format!("confirm-{id}-{name}") /> })}
                        <button type="submit" class=if terminal { "secondary" } else { "" }>{button.clone()}</button>
                    </ActionForm>
                };
                folded(terminal, label, form)
            }).collect_view()}
        </div>
    }
}

/// The actions in the order a reader weighs them: the ones that move the case on first, those
/// that end its follow-up last (folded under their name, sent only once the reader ticks that
/// they mean it).
fn ordered<A>(mut choices: Vec<ActionChoice<A>>, terminal: fn(&A) -> bool) -> Vec<ActionChoice<A>> {
    choices.sort_by_key(|c| terminal(&c.action));
    choices
}

/// A terminal action's form inside a disclosure named after it; others as they are.
fn folded(terminal: bool, label: String, form: impl IntoView + 'static) -> AnyView {
    if terminal {
        view! {
            <details class="terminal-action">
                <summary>{label}</summary>
                {form}
            </details>
        }
        .into_any()
    } else {
        form.into_any()
    }
}

/// The required box of a terminal action's form (checked by the browser, with or without
/// JavaScript).
#[component]
fn Confirm(id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field checkbox">
            <input type="checkbox" id=id.clone() name="confirm" value="yes" required=true />
            <label for=id>{i18n.t("field-confirm-terminal")}</label>
        </div>
    }
}

/// What a case page says first under its status: the deadline that runs (acknowledgement or
/// response), how far it is in working days, and its day; in red once it has passed.
#[component]
pub fn DeadlineLine(
    next: Option<NextDeadline>,
    #[prop(optional)] institution: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    next.map(|n| {
        let late = matches!(n.waiting, Waiting::LateBy(_));
        view! {
            <p class=if late { "deadline late" } else { "deadline" }>
                {institution.map(|i| view! { <strong>{i}</strong> " · " })}
                <strong>{i18n.t(n.kind.label_key())}</strong> " · "
                {waiting_words(i18n, n.waiting)} " · " <Day iso=n.due />
            </p>
        }
    })
}

/// One form per action the viewer may take on a referral, each note labelled by what it is
/// for (a closing note is the NHRC's resolution, read by every party), with the action's
/// errors above them; `errors: false` where the page shows them once for several referrals.
#[component]
pub fn ReferralActions(
    id: String,
    choices: Vec<ActionChoice<ReferralAction>>,
    action: ServerAction<ReferralActionFn>,
    #[prop(default = true)] errors: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        {errors.then(|| view! {
            <FormAlert error />
            // The referral changed since the page was drawn (error-stale), or an unknown action.
            <FieldMessage name="action" error />
            <FieldMessage name="note" error />
        })}
        <div class="act-list">
            {ordered(choices, |a| a.is_terminal()).into_iter().map(|choice| {
                let id = id.clone();
                let name = choice.action.as_str();
                // Its own id and label: two notes on one page are never one field to a reader.
                let note_id = format!("note-ref-{id}-{name}");
                let note_label = format!("field-note-ref-{name}");
                let label = i18n.t(&choice.action.label_key());
                let terminal = choice.action.is_terminal();
                let button = label.clone();
                let form = view! {
                    <ActionForm action=action attr:class="act-form">
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="action" value=name />
                        {choice.note_required.then(|| view! { <NoteField id=note_id.clone() required=true label=note_label.clone() /> })}
                        {terminal.then(|| view! { <Confirm id=format!("confirm-ref-{id}-{name}") /> })}
                        <button type="submit" class=if terminal { "secondary" } else { "" }>{button.clone()}</button>
                    </ActionForm>
                };
                folded(terminal, label, form)
            }).collect_view()}
        </div>
    }
}
