//! The filing form: a plain multipart post to `/observations/save`, so it works the same with
//! and without JavaScript on a cheap phone. "Save draft" keeps everything typed; "Submit"
//! saves, then checks and submits. The hidden form token makes a resent form harmless.

use leptos::prelude::*;

use crate::components::file_picker::FileInput;
use crate::components::form::{FieldMessage, FormAlert, FormError, TextField};
use crate::domain::evidence::MAX_FILES;
use crate::domain::observation::{DatePrecision, ProtectionLevel};
use crate::i18n::use_i18n;
use crate::model::observation::FilingForm;

fn described(error: FormError, name: &'static str) -> impl Fn() -> Option<String> + Send + Sync {
    move || {
        error
            .get()
            .and_then(|e| e.field_key(name))
            .map(|_| format!("{name}-error"))
    }
}

fn invalid(
    error: FormError,
    name: &'static str,
) -> impl Fn() -> Option<&'static str> + Send + Sync {
    move || error.get().and_then(|e| e.field_key(name)).map(|_| "true")
}

#[component]
pub fn ObservationForm(form: FilingForm, error: FormError) -> impl IntoView {
    let i18n = use_i18n();
    let v = form.values.clone();
    let month = v.precision == DatePrecision::Month.as_str();
    let categories = form.categories.clone();
    let institutions = form.institutions.clone();
    let regions = form.regions.clone();
    let protection = v.protection.clone();
    view! {
        <form method="post" action="/observations/save" enctype="multipart/form-data" class="form wide" novalidate=true>
            <FormAlert error />
            <input type="hidden" name="form_token" value=form.form_token.clone() />
            {form.id.clone().map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <p class="hint">{i18n.t("form-filing-hint")}</p>

            <TextField name="title" label="field-title" error value=v.title.clone() autocomplete="off" hint="form-title-hint" />
            <div class="field">
                <label for="description">{i18n.t("field-description")}</label>
                <p class="hint" id="description-hint">{i18n.t("form-description-hint")}</p>
                <textarea id="description" name="description" rows="8" autocomplete="off"
                    aria-invalid=invalid(error, "description") aria-describedby=described(error, "description")>
                    {v.description.clone()}
                </textarea>
                <FieldMessage name="description" error />
            </div>

            <div class="field">
                <label for="category_id">{i18n.t("field-category")}</label>
                <select id="category_id" name="category_id" aria-invalid=invalid(error, "category_id")
                    aria-describedby=described(error, "category_id")>
                    <option value="">{i18n.t("form-choose")}</option>
                    {categories.into_iter().map(|c| {
                        let selected = c.id == v.category_id;
                        let name = if i18n.0 == crate::domain::Locale::En { c.name_en } else { c.name_fr };
                        view! { <option value=c.id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage name="category_id" error />
            </div>

            <fieldset class="field" aria-describedby=described(error, "institution_ids")>
                <legend>{i18n.t("field-institutions")}</legend>
                <p class="hint">{i18n.t("form-institutions-hint")}</p>
                <div class="checklist">
                    {institutions.into_iter().map(|i| {
                        let id = format!("inst-{}", i.id);
                        let checked = v.institution_ids.contains(&i.id);
                        view! {
                            <div class="field checkbox">
                                <input type="checkbox" id=id.clone() name="institution_ids" value=i.id checked=checked />
                                // Read by name first: the list is sorted by name.
                                <label for=id>{i.name} " — " {i.acronym}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
                <FieldMessage name="institution_ids" error />
            </fieldset>

            <div class="field">
                <label for="region_code">{i18n.t("field-region")}</label>
                <select id="region_code" name="region_code" aria-invalid=invalid(error, "region_code")
                    aria-describedby=described(error, "region_code")>
                    <option value="">{i18n.t("form-choose")}</option>
                    {regions.clone().into_iter().map(|r| {
                        let selected = r.code == v.region_code;
                        view! { <option value=r.code selected=selected>{r.name}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage name="region_code" error />
            </div>
            <div class="field">
                <label for="cercle_id">{i18n.t("field-cercle")}</label>
                <select id="cercle_id" name="cercle_id" aria-describedby=described(error, "cercle_id")>
                    <option value="">{i18n.t("form-choose")}</option>
                    {regions.into_iter().filter(|r| !r.cercles.is_empty()).map(|r| view! {
                        <optgroup label=r.name>
                            {r.cercles.into_iter().map(|c| {
                                let selected = c.id == v.cercle_id;
                                view! { <option value=c.id selected=selected>{c.name}</option> }
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
                <FieldMessage name="cercle_id" error />
            </div>
            <TextField name="place" label="field-place" error value=v.place.clone() required=false autocomplete="off" hint="form-place-hint" />

            <fieldset class="field">
                <legend>{i18n.t("field-incident-date")}</legend>
                <div class="field checkbox">
                    <input type="radio" id="precision-day" name="precision" value="day" checked=!month />
                    <label for="precision-day">{i18n.t("form-date-exact")}</label>
                </div>
                <TextField name="incident_date" label="field-date-day" kind="date" error value=v.incident_date.clone() required=false />
                <div class="field checkbox">
                    <input type="radio" id="precision-month" name="precision" value="month" checked=month />
                    <label for="precision-month">{i18n.t("form-date-month")}</label>
                </div>
                <TextField name="incident_month" label="field-date-month" kind="month" error value=v.incident_month.clone() required=false hint="form-month-hint" />
            </fieldset>

            <fieldset class="field">
                <legend>{i18n.t("field-affected")}</legend>
                <p class="hint">{i18n.t("form-affected-hint")}</p>
                <div class="counts">
                    <TextField name="affected_women" label="field-women" kind="number" error value=v.affected_women.clone() required=false />
                    <TextField name="affected_men" label="field-men" kind="number" error value=v.affected_men.clone() required=false />
                    <TextField name="affected_girls" label="field-girls" kind="number" error value=v.affected_girls.clone() required=false />
                    <TextField name="affected_boys" label="field-boys" kind="number" error value=v.affected_boys.clone() required=false />
                </div>
            </fieldset>

            <fieldset class="field">
                <legend>{i18n.t("field-protection")}</legend>
                {ProtectionLevel::ALL.iter().map(|level| {
                    let id = format!("protection-{}", level.as_str());
                    let checked = protection == level.as_str();
                    view! {
                        <div class="field checkbox">
                            <input type="radio" id=id.clone() name="protection" value=level.as_str() checked=checked />
                            <label for=id>{i18n.t(&format!("protection-{}", level.as_str()))}</label>
                        </div>
                    }
                }).collect_view()}
                <FieldMessage name="protection" error />
                <TextField name="contact_name" label="field-contact-name" error value=v.contact_name.clone() required=false autocomplete="off" hint="form-contact-hint" />
                <TextField name="contact_phone" label="field-contact-phone" kind="tel" error value=v.contact_phone.clone() required=false autocomplete="off" />
                <div class="field checkbox">
                    <input type="checkbox" id="contact_consent" name="contact_consent" checked=v.contact_consent />
                    <label for="contact_consent">{i18n.t("field-contact-consent")}</label>
                </div>
                <FieldMessage name="contact_consent" error />
            </fieldset>

            <div class="field">
                <label for="evidence">{i18n.t("field-evidence")}</label>
                <p class="hint" id="evidence-hint">{i18n.t("form-evidence-hint")}</p>
                <p class="alert" id="evidence-unchanged">{i18n.t("form-evidence-unchanged")}</p>
                {(!form.evidence.is_empty()).then(|| view! {
                    <ul class="chips">
                        {form.evidence.iter().map(|a| view! { <li>{a.name.clone()}</li> }).collect_view()}
                    </ul>
                })}
                <FileInput id="evidence" described_by="evidence-hint evidence-unchanged" error
                    room=MAX_FILES.saturating_sub(form.evidence.len()) />
                <FieldMessage name="evidence" error />
            </div>

            <div class="actions">
                <button type="submit" name="intent" value="draft" class="secondary">{i18n.t("action-save-draft")}</button>
                <button type="submit" name="intent" value="submit" formaction="/observations/save?intent=submit">{i18n.t("action-submit")}</button>
            </div>
        </form>
    }
}
