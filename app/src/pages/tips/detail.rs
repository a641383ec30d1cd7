//! One anonymous tip for the NHRC: its text and evidence, the thread with the tipster, a
//! question to ask them (they read it with their receipt, also once an observation was made
//! of the tip), making an observation of it, closing it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::tips::{AskTip, CloseTip, ConvertTip, get_tip};
use crate::components::form::{FieldMessage, FormAlert, action_error};
use crate::components::landing::LandingPage;
use crate::components::loaded::loaded;
use crate::components::tip_thread::TipThread;
use crate::domain::Role;
use crate::domain::tip::TipStatus;
use crate::i18n::use_i18n;

#[component]
pub fn TipPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let ask = ServerAction::<AskTip>::new();
    let close = ServerAction::<CloseTip>::new();
    let convert = ServerAction::<ConvertTip>::new();
    let convert_error = action_error(convert);
    let ask_error = action_error(ask);
    let close_error = action_error(close);
    let tip = Resource::new(
        move || (id(), ask.version().get(), close.version().get()),
        |(id, _, _)| get_tip(id),
    );
    view! {
        <LandingPage roles=&[Role::Monitor] title="page-tip-nhrc-title" lead="page-tip-nhrc-lead">
            {loaded(tip, move |detail| {
                let ask_id = detail.id.clone().unwrap_or_default();
                let close_id = ask_id.clone();
                let convert_id = ask_id.clone();
                let observation = detail.observation_id.clone();
                let files = detail.files.clone();
                let closed = detail.status == TipStatus::Closed;
                let convertible = observation.is_none();
                view! {
                    <TipThread detail />
                    {observation.map(|id| view! {
                        <p class="alert alert-ok"><a href=format!("/observations/{id}")>{i18n.t("tip-converted")}</a></p>
                        <p class="hint">{i18n.t("tip-converted-thread")}</p>
                    })}
                    {(!files.is_empty()).then(|| view! {
                        <h2>{i18n.t("field-evidence")}</h2>
                        <ul>
                            {files.into_iter().map(|f| view! {
                                <li><a href=format!("/tips/files/{}", f.id) download="">{f.content_type} " · " {f.size_bytes} " B"</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(!closed).then(|| view! {
                        <ActionForm action=ask attr:class="form">
                            <FormAlert error=ask_error />
                            <input type="hidden" name="id" value=ask_id />
                            <div class="field">
                                <label for="body">{i18n.t("field-tip-question")}</label>
                                <textarea id="body" name="body" rows="5" autocomplete="off"></textarea>
                                <FieldMessage name="body" error=ask_error />
                            </div>
                            <button type="submit">{i18n.t("action-send")}</button>
                        </ActionForm>
                        {convertible.then(|| view! {
                            <ActionForm action=convert attr:class="inline">
                                <FormAlert error=convert_error />
                                <input type="hidden" name="id" value=convert_id />
                                <button type="submit">{i18n.t("action-convert-tip")}</button>
                            </ActionForm>
                        })}
                        <ActionForm action=close attr:class="inline">
                            <FormAlert error=close_error />
                            <input type="hidden" name="id" value=close_id />
                            <button type="submit" class="secondary">{i18n.t("action-close-tip")}</button>
                        </ActionForm>
                    })}
                }
            })}
        </LandingPage>
    }
}
