//! One observation, for its organisation and for the NHRC: the facts, the files, each
//! referral with its status and deadlines, the actions the viewer may take, the timeline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::observations::{
    AddNote, ForwardObservation, ObservationAction as ObservationActionFn,
    ReferralAction as ReferralActionFn, get_observation,
};
use crate::components::case::{
    CaseText, ContestCallout, DeadlineLine, ObservationActions, OverdueBadge, ReferralActions,
    StatusBadge, Timeline, day_or_not_given, deadline, or_not_given,
};
use crate::components::form::{FieldMessage, FormAlert, FormError, action_error};
use crate::components::loaded::loaded;
use crate::components::url_state::UrlNotice;
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::{ObservationStatus, ReferralStatus};
use crate::i18n::use_i18n;
use crate::model::observation::ObservationDetail;

/// Region, cercle and place on one line, the parts given only; "not given" when none is.
fn place_line(i18n: crate::i18n::I18n, region: &str, cercle: &str, place: &str) -> String {
    let parts: Vec<&str> = [region, cercle, place]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect();
    or_not_given(i18n, parts.join(" · "))
}

#[component]
pub fn ObservationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let observation_action = ServerAction::<ObservationActionFn>::new();
    let referral_action = ServerAction::<ReferralActionFn>::new();
    let forward = ServerAction::<ForwardObservation>::new();
    let note = ServerAction::<AddNote>::new();
    let detail = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                observation_action.version().get(),
                referral_action.version().get(),
                forward.version().get(),
                note.version().get(),
            )
        },
        |(id, ..)| get_observation(id),
    );
    let referral_error = action_error(referral_action);
    view! {
        <UrlNotice />
        {loaded(detail, move |d: ObservationDetail| {
            let draft = d.status == ObservationStatus::Draft;
            view! {
                <article class="case">
                    <h1>{if d.title.is_empty() { i18n.t("obs-untitled") } else { d.title.clone() }}</h1>
                    <p class="case-meta">
                        {d.reference.clone().map(|r| view! { <span class="reference">{r}</span> " " })}
                        <StatusBadge name=d.status.as_str() label_key=d.status.label_key() />
                        {d.resolution.clone().map(|r| view! {
                            " " <span class="tag">{i18n.t(&format!("resolution-{r}"))}</span>
                        })}
                        {d.sensitive.then(|| view! { " " <span class="tag">{i18n.t("obs-sensitive")}</span> })}
                    </p>
                    {draft.then(|| view! {
                        <p><a class="button" href=format!("/observations/{}/edit", d.id)>{i18n.t("action-resume-draft")}</a></p>
                    })}
                    // What runs now, per institution, before anything else.
                    {d.referrals.iter().filter(|r| r.next_deadline.is_some()).map(|r| view! {
                        <DeadlineLine next=r.next_deadline.clone() institution=r.institution.clone() />
                    }).collect_view()}
                    {(!d.actions.is_empty()).then(|| view! {
                        <section>
                            <h2>{i18n.t("obs-actions")}</h2>
                            <ObservationActions id=d.id.clone() choices=d.actions.clone() action=observation_action />
                        </section>
                    }.into_any())}

                    {(!d.referrals.is_empty()).then(|| view! {
                        <section>
                            <h2>{i18n.t("obs-referrals")}</h2>
                            {(!d.unread_at.is_empty()).then(|| view! {
                                <p class="alert alert-error" role="status">
                                    {i18n.t_with("obs-sensitive-unread", &[("institutions", d.unread_at.join(", "))])}
                                </p>
                            })}
                            <FormAlert error=referral_error />
                            <FieldMessage name="action" error=referral_error />
                            <FieldMessage name="note" error=referral_error />
                            <ul class="records">
                                {d.referrals.iter().map(|r| {
                                    // Met deadlines read as met, with the day.
                                    let (ack_label, ack_day) = deadline(
                                        i18n, &r.acknowledged_on, "obs-acknowledged-on", "obs-ack-due", &r.ack_due,
                                    );
                                    let (respond_label, respond_day) = deadline(
                                        i18n, &r.responded_on, "obs-responded-on", "obs-respond-due", &r.respond_due,
                                    );
                                    // The contest's reason for whoever must act on it.
                                    let contest = (!r.actions.is_empty()).then(|| r.contest.clone()).flatten();
                                    view! {
                                    <li class="referral-card">
                                        <p>
                                            <strong title=r.institution_name.clone()>{r.institution.clone()}</strong> " "
                                            <StatusBadge name=r.status.as_str() label_key=r.status.label_key() /> " "
                                            <OverdueBadge overdue=r.overdue />
                                        </p>
                                        <p class="neutral">
                                            {ack_label} " " {ack_day} " · "
                                            {respond_label} " " {respond_day}
                                        </p>
                                        {r.released_title.clone().map(|t| view! {
                                            <details>
                                                <summary>{i18n.t("obs-released-version")}</summary>
                                                <p><strong>{t}</strong></p>
                                                <p class="description">{r.released_description.clone()}</p>
                                                <p>
                                                    <strong>{i18n.t_with("label-colon", &[("label", i18n.t("field-shared-files"))])}</strong> " "
                                                    {if r.released_files.is_empty() {
                                                        i18n.t("obs-no-files")
                                                    } else {
                                                        r.released_files.join(", ")
                                                    }}
                                                </p>
                                            </details>
                                        })}
                                        <ContestCallout contest />
                                        // The section shows the errors once, above the cards.
                                        <ReferralActions id=r.id.clone() choices=r.actions.clone() action=referral_action errors=false />
                                    </li>
                                }}).collect_view()}
                            </ul>
                        </section>
                    }.into_any())}

                    {(!d.forward_targets.is_empty()).then({
                        let d = d.clone();
                        move || {
                        let error = action_error(forward);
                        let evidence: Vec<_> =
                            d.attachments.iter().filter(|a| a.purpose == AttachmentPurpose::Evidence).cloned().collect();
                        view! {
                            <section>
                                <h2>{i18n.t("obs-forward-title")}</h2>
                                <p class="hint">{i18n.t("obs-forward-hint")}</p>
                                <ActionForm action=forward attr:class="form wide">
                                    <FormAlert error />
                                    <input type="hidden" name="id" value=d.id.clone() />
                                    <div class="field">
                                        <label for="forward-institution">{i18n.t("field-institution")}</label>
                                        <select id="forward-institution" name="institution_id" required=true>
                                            <option value="">{i18n.t("field-choose-institution")}</option>
                                            {d.forward_targets.iter().map(|(id, acronym)| view! {
                                                <option value=id.clone()>{acronym.clone()}</option>
                                            }).collect_view()}
                                        </select>
                                        <FieldMessage name="institution_id" error />
                                    </div>
                                    <ReleasedField
                                        name="title" confirm="confirm_title" label="field-released-title"
                                        original=d.title.clone() error
                                    />
                                    <ReleasedField
                                        name="description" confirm="confirm_description" label="field-released-description"
                                        original=d.description.clone() long=true error
                                    />
                                    <ReleasedField
                                        name="place" confirm="confirm_place" label="field-released-place"
                                        original=d.place.clone() required=false error
                                    />
                                    <fieldset class="field">
                                        <legend>{i18n.t("field-shared-files")}</legend>
                                        <p class="hint">{i18n.t("field-shared-files-hint")}</p>
                                        {evidence.is_empty().then(|| view! { <p class="neutral">{i18n.t("obs-no-files")}</p> })}
                                        {evidence.iter().map(|a| {
                                            let id = format!("forward-file-{}", a.id);
                                            let kb = (a.size_bytes + 1023) / 1024;
                                            view! {
                                                <div class="field checkbox">
                                                    <input type="checkbox" id=id.clone() name="shared_files[]" value=a.id.clone() />
                                                    <label for=id>{a.name.clone()} " " <span class="neutral">{i18n.t_with("size-kb", &[("kb", kb.to_string())])}</span></label>
                                                </div>
                                            }
                                        }).collect_view()}
                                        <FieldMessage name="shared_files" error />
                                    </fieldset>
                                    <button type="submit">{i18n.t("action-forward")}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }})}

                    <h2>{i18n.t("obs-content")}</h2>
                    {view! { <dl class="facts">
                        // Unknown facts say so (an observation made from a tip has few); the
                        // parts of a place not given are left out.
                        <dt>{i18n.t("field-category")}</dt><dd>{or_not_given(i18n, d.category.clone())}</dd>
                        <dt>{i18n.t("field-institutions")}</dt><dd>{or_not_given(i18n, d.named_institutions.join(", "))}</dd>
                        <dt>{i18n.t("field-region")}</dt>
                        <dd>{place_line(i18n, &d.region, &d.cercle, &d.place)}</dd>
                        <dt>{i18n.t("field-incident-date")}</dt><dd>{day_or_not_given(i18n, d.incident_date.clone())}</dd>
                        {(!d.organisation.is_empty()).then(|| view! {
                            <dt>{i18n.t("field-organisation")}</dt><dd>{d.organisation.clone()}</dd>
                        })}
                        <dt>{i18n.t("field-protection")}</dt><dd>{i18n.t(&format!("protection-{}", d.protection))}</dd>
                        {d.contact_name.clone().map(|n| view! {
                            <dt>{i18n.t("field-contact-name")}</dt>
                            <dd>{n} {d.contact_phone.clone().map(|p| format!(" · {p}"))}</dd>
                        })}
                    </dl> }.into_any()}
                    <CaseText affected=d.affected description=d.description.clone() files_key="field-evidence"
                        attachments=d.attachments.clone() originals=d.viewer_is_nhrc />

                    <Timeline events=d.events.clone() />
                    {(!draft).then({
                        let d = d.clone();
                        move || {
                        let error = action_error(note);
                        view! {
                            <section>
                                <h2>{i18n.t("obs-add-note")}</h2>
                                <ActionForm action=note attr:class="form wide">
                                    <FormAlert error />
                                    <input type="hidden" name="id" value=d.id.clone() />
                                    <label for="comment">{i18n.t("field-note-required")}</label>
                                    <textarea id="comment" name="note" rows="3" required=true autocomplete="off"></textarea>
                                    {d.viewer_is_nhrc.then(|| view! {
                                        <label for="visibility">{i18n.t("field-visibility")}</label>
                                        <select id="visibility" name="visibility">
                                            <option value="nhrc">{i18n.t("visibility-nhrc")}</option>
                                            <option value="cso_nhrc">{i18n.t("visibility-cso_nhrc")}</option>
                                            {(!d.referrals.is_empty()).then(|| view! {
                                                <option value="everyone">{i18n.t("visibility-everyone")}</option>
                                            })}
                                        </select>
                                    })}
                                    {(d.viewer_is_nhrc && !d.referrals.is_empty()).then(|| view! {
                                        <label for="note-referral">{i18n.t("field-note-concerning")}</label>
                                        <select id="note-referral" name="referral_id">
                                            <option value="">{i18n.t("note-concerning-observation")}</option>
                                            {d.referrals.iter().filter(|r| r.status != ReferralStatus::Closed).map(|r| view! {
                                                <option value=r.id.clone()>{r.institution.clone()}</option>
                                            }).collect_view()}
                                        </select>
                                        <FieldMessage name="referral_id" error />
                                    })}
                                    <button type="submit">{i18n.t("action-add-note")}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }})}

                </article>
            }
            .into_any()
        })}
    }
}

/// One released field of the forwarding form: the organisation's text beside the version the
/// institution will get, and the box that confirms it was reviewed (required, also on the
/// server).
#[component]
fn ReleasedField(
    name: &'static str,
    confirm: &'static str,
    label: &'static str,
    original: String,
    error: FormError,
    #[prop(default = false)] long: bool,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("forward-{name}");
    let confirm_id = format!("forward-{}", confirm.replace('_', "-"));
    let shown = if original.is_empty() {
        i18n.t("obs-original-empty")
    } else {
        original.clone()
    };
    view! {
        <fieldset class="field release">
            <legend>{i18n.t(label)}</legend>
            <div class="release-original">
                <p class="hint">{i18n.t("obs-original-text")}</p>
                <p class="description">{shown}</p>
            </div>
            <div class="release-version">
                <label for=input_id.clone()>{i18n.t(label)}</label>
                {if long {
                    view! {
                        <textarea id=input_id.clone() name=name rows="8" required=required autocomplete="off">
                            {original.clone()}
                        </textarea>
                    }.into_any()
                } else {
                    // Two lines, so that a long title or place is read whole before it is
                    // confirmed (a one-line box cut it off on a phone).
                    view! {
                        <textarea id=input_id.clone() name=name rows="2" required=required autocomplete="off">
                            {original.clone()}
                        </textarea>
                    }.into_any()
                }}
                <FieldMessage name=name error />
            </div>
            <div class="field checkbox">
                <input type="checkbox" id=confirm_id.clone() name=confirm required=true />
                <label for=confirm_id>{i18n.t("field-confirm-release")}</label>
            </div>
            <FieldMessage name=confirm error />
        </fieldset>
    }
}
