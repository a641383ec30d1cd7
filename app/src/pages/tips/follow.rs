//! Following a tip: the receipt (typed into a form, never in the address) opens the tip for
//! this session; the tipster reads the NHRC's questions and answers them, then leaves. A tip
//! the NHRC took up says so, and nothing of what became of the case.

use leptos::prelude::*;

use crate::api::tips::{LeaveTip, OpenTip, ReplyTip, tip_thread};
use crate::components::form::{FieldMessage, FormAlert, TextField, action_error};
use crate::components::loaded::loaded;
use crate::components::tip_thread::TipThread;
use crate::components::url_state::UrlNotice;
use crate::i18n::use_i18n;
use crate::model::tip::TipDetail;

#[component]
pub fn FollowTipPage() -> impl IntoView {
    let i18n = use_i18n();
    let open = ServerAction::<OpenTip>::new();
    let reply = ServerAction::<ReplyTip>::new();
    let leave = ServerAction::<LeaveTip>::new();
    let open_error = action_error(open);
    let reply_error = action_error(reply);
    let thread = Resource::new(
        move || {
            (
                open.version().get(),
                reply.version().get(),
                leave.version().get(),
            )
        },
        |_| tip_thread(),
    );
    view! {
        <h1>{i18n.t("page-tip-follow-title")}</h1>
        <UrlNotice />
        {loaded(thread, move |thread: Option<TipDetail>| match thread {
            None => view! {
                <p>{i18n.t("tip-follow-lead")}</p>
                <ActionForm action=open attr:class="form" attr:autocomplete="off">
                    <FormAlert error=open_error />
                    <TextField name="receipt" label="field-receipt" autocomplete="off" error=open_error />
                    <button type="submit">{i18n.t("action-open-tip")}</button>
                </ActionForm>
            }
            .into_any(),
            Some(detail) => view! {
                {detail.taken_up.then(|| view! { <p class="alert alert-ok">{i18n.t("tip-taken-up")}</p> })}
                <TipThread detail />
                <ActionForm action=reply attr:class="form">
                    <FormAlert error=reply_error />
                    <div class="field">
                        <label for="body">{i18n.t("field-tip-reply")}</label>
                        <textarea id="body" name="body" rows="6" autocomplete="off"></textarea>
                        <FieldMessage name="body" error=reply_error />
                    </div>
                    <button type="submit">{i18n.t("action-send")}</button>
                </ActionForm>
                <ActionForm action=leave attr:class="inline">
                    <button type="submit" class="secondary">{i18n.t("action-leave-tip")}</button>
                </ActionForm>
            }
            .into_any(),
        })}
    }
}
