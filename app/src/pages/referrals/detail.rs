//! One referral, as its institution's liaison sees it: the version the NHRC released, the
//! filer only as far as the protection level allows, the deadlines, documents, actions and
//! the timeline of this referral alone.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::observations::{AddNote, ReferralAction as ReferralActionFn, get_referral};
use crate::components::case::{
    CaseText, ContestCallout, DeadlineLine, OverdueBadge, ReferralActions, StatusBadge, Timeline,
    day_or_not_given, deadline, or_not_given,
};
use crate::components::day::Day;
use crate::components::file_picker::FileInput;
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::components::loaded::loaded;
use crate::components::url_state::{UrlNotice, url_errors};
use crate::domain::evidence::{AttachmentPurpose, MAX_FILES};
use crate::domain::lifecycle::ReferralStatus;
use crate::i18n::use_i18n;
use crate::model::referral::ReferralDetail;

#[component]
pub fn ReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let referral_action = ServerAction::<ReferralActionFn>::new();
    let note = ServerAction::<AddNote>::new();
    let detail = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                referral_action.version().get(),
                note.version().get(),
            )
        },
        |(id, ..)| get_referral(id),
    );
    let note_failed = action_error(note);
    let upload_error = url_errors();
    view! {
        <UrlNotice />
        {loaded(detail, move |d: ReferralDetail| {
            let open = d.status != ReferralStatus::Closed;
            // Met deadlines read as met, with the day.
            let (ack_label, ack_day) =
                deadline(i18n, &d.acknowledged_on, "obs-acknowledged-on", "obs-ack-due", &d.ack_due);
            let (respond_label, respond_day) =
                deadline(i18n, &d.responded_on, "obs-responded-on", "obs-respond-due", &d.respond_due);
            view! {
                <article class="case">
                    <h1>{d.title.clone()}</h1>
                    <p class="case-meta">
                        <span class="reference">{d.reference.clone()}</span> " "
                        <StatusBadge name=d.status.as_str() label_key=d.status.label_key() /> " "
                        <OverdueBadge overdue=d.overdue />
                    </p>
                    <DeadlineLine next=d.next_deadline.clone() />
                    {(!d.actions.is_empty()).then(|| view! {
                        <section>
                            <h2>{i18n.t("obs-actions")}</h2>
                            <ContestCallout contest=d.contest.clone() />
                            <ReferralActions id=d.id.clone() choices=d.actions.clone() action=referral_action />
                        </section>
                    }.into_any())}

                    <h2>{i18n.t("obs-content")}</h2>
                    {view! { <dl class="facts">
                        <dt>{i18n.t("obs-forwarded-on")}</dt><dd><Day iso=d.forwarded_on.clone() /></dd>
                        <dt>{ack_label}</dt><dd>{ack_day}</dd>
                        <dt>{respond_label}</dt><dd>{respond_day}</dd>
                        <dt>{i18n.t("field-category")}</dt><dd>{or_not_given(i18n, d.category.clone())}</dd>
                        <dt>{i18n.t("field-region")}</dt>
                        <dd>{d.region.clone()} {(!d.cercle.is_empty()).then(|| format!(" · {}", d.cercle))}
                            {(!d.place.is_empty()).then(|| format!(" · {}", d.place))}</dd>
                        <dt>{i18n.t("field-incident-date")}</dt><dd>{day_or_not_given(i18n, d.incident_date.clone())}</dd>
                        <dt>{i18n.t("field-organisation")}</dt>
                        <dd>{d.organisation.clone().unwrap_or_else(|| i18n.t("obs-organisation-protected"))}</dd>
                        {d.contact_name.clone().map(|n| view! {
                            <dt>{i18n.t("field-contact-name")}</dt>
                            <dd>{n} {d.contact_phone.clone().map(|p| format!(" · {p}"))}</dd>
                        })}
                    </dl> }.into_any()}
                    <CaseText affected=d.affected description=d.description.clone() files_key="obs-files"
                        attachments=d.attachments.clone() />

                    <Timeline events=d.events.clone() />

                    {open.then(|| view! {
                        <section>
                            <h2>{i18n.t("obs-documents-title")}</h2>
                            <form method="post" action=format!("/referrals/{}/documents", d.id)
                                enctype="multipart/form-data" class="form wide">
                                <label for="documents">{i18n.t("field-documents")}</label>
                                <p class="hint" id="documents-hint">{i18n.t("form-evidence-hint")}</p>
                                <FileInput id="documents" described_by="documents-hint" error=upload_error
                                    room=MAX_FILES.saturating_sub(d.attachments.iter().filter(|a| a.purpose == AttachmentPurpose::Document).count()) />
                                <FieldMessage name="evidence" error=upload_error />
                                <button type="submit">{i18n.t("action-upload")}</button>
                            </form>
                            <h2>{i18n.t("obs-action-taken-title")}</h2>
                            <ActionForm action=note attr:class="form wide">
                                <FormAlert error=note_failed />
                                <input type="hidden" name="id" value=d.id.clone() />
                                <label for="taken-note">{i18n.t("field-action-taken")}</label>
                                <textarea id="taken-note" name="note" rows="3" required=true autocomplete="off"></textarea>
                                <button type="submit">{i18n.t("action-record")}</button>
                            </ActionForm>
                        </section>
                    }.into_any())}

                </article>
            }
            .into_any()
        })}
    }
}
