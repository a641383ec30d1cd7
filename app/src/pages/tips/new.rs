//! The public form for an anonymous tip: a plain multipart post, so it works without
//! JavaScript (Tor Browser's safest setting). No account, no e-mail; the receipt shown next is
//! the only way back to the tip. A tip the rate limit held back comes back here once, filled in.

use leptos::prelude::*;

use crate::api::tips::{take_tip_draft, tip_choices};
use crate::components::file_picker::FileInput;
use crate::components::form::{FieldMessage, FormAlert};
use crate::components::loaded::loaded;
use crate::components::url_state::url_errors;
use crate::domain::tip::{
    TIP_BURST_PER_ADDRESS, TIP_MAX_CHARS, TIP_MIN_CHARS, TIP_MINUTES_PER_ADDRESS,
};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::model::tip::TipDraft;

#[component]
pub fn NewTipPage() -> impl IntoView {
    let i18n = use_i18n();
    let error = url_errors();
    let form = Resource::new(
        || (),
        |_| async move {
            let choices = tip_choices().await?;
            let draft = take_tip_draft().await?;
            Ok::<_, AppError>((choices, draft))
        },
    );
    let select = move |name: &'static str,
                       label: &'static str,
                       options: Vec<(String, String)>,
                       chosen: String| {
        view! {
            <div class="field">
                <label for=name>{i18n.t(label)}</label>
                <select id=name name=name>
                    <option value="">{i18n.t("tip-unknown")}</option>
                    {options.into_iter().map(|(id, label)| {
                        let selected = id == chosen;
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage name error />
            </div>
        }
    };
    view! {
        <h1>{i18n.t("page-tip-title")}</h1>
        <p>{i18n.t("page-tip-lead")}</p>
        <ul class="hint">
            <li>{i18n.t("tip-advice-device")}</li>
            <li>{i18n.t("tip-advice-tor")}</li>
            <li>{i18n.t("tip-advice-names")}</li>
        </ul>
        <p><a href="/signalement/suivi">{i18n.t("nav-tip-follow")}</a></p>
        {loaded(form, move |(choices, draft): (_, Option<TipDraft>)| {
            let held = draft.clone().map(|d| {
                let wait = i18n.t_with(
                    &d.reason,
                    &[
                        ("minutes", d.wait_minutes.to_string()),
                        ("burst", TIP_BURST_PER_ADDRESS.to_string()),
                        ("every", TIP_MINUTES_PER_ADDRESS.to_string()),
                    ],
                );
                view! {
                    <div class="alert alert-error" role="alert">
                        <p>{wait}</p>
                        <p>{i18n.t("tip-held-kept")}</p>
                        {d.files_dropped.then(|| view! { <p>{i18n.t("tip-held-files")}</p> })}
                    </div>
                }
            });
            let draft = draft.unwrap_or_default();
            view! {
                <form method="post" action="/signalement/envoyer" enctype="multipart/form-data" class="form wide" autocomplete="off">
                    {held}
                    <FormAlert error />
                    <div class="field">
                        <label for="body">{i18n.t("field-tip-body")}</label>
                        <p class="hint" id="body-hint">{i18n.t("field-tip-body-hint")}</p>
                        <textarea id="body" name="body" rows="10" required=true
                            minlength=TIP_MIN_CHARS.to_string() maxlength=TIP_MAX_CHARS.to_string()
                            aria-describedby="body-hint">{draft.body.clone()}</textarea>
                        <FieldMessage name="body" error />
                    </div>
                    {select("category_id", "field-category", choices.categories.clone(), draft.category_id.clone())}
                    {select("institution_id", "field-institution", choices.institutions.clone(), draft.institution_id.clone())}
                    {select("region_code", "field-region", choices.regions.clone(), draft.region_code.clone())}
                    <div class="field">
                        <label for="evidence">{i18n.t("field-evidence")}</label>
                        <p class="hint" id="evidence-hint">{i18n.t("field-tip-evidence-hint")}</p>
                        <p class="alert" id="evidence-unchanged">{i18n.t("form-evidence-unchanged")}</p>
                        <FileInput id="evidence" described_by="evidence-hint evidence-unchanged" error />
                        <FieldMessage name="evidence" error />
                    </div>
                    // A field people never see or fill (hidden by the style sheet, skipped by the
                    // keyboard and screen readers); robots that fill every field are refused.
                    <div class="trap" aria-hidden="true">
                        <label for="website">"Website"</label>
                        <input type="text" id="website" name="website" tabindex="-1" autocomplete="off" />
                    </div>
                    <button type="submit">{i18n.t("action-send-tip")}</button>
                </form>
            }
        })}
    }
}
