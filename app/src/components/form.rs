//! Form pieces that tie errors to their fields, with and without JavaScript: the error comes
//! from the action's value, which Leptos also restores after a JavaScript-less post.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

/// The last error of a form's action, if its last run failed.
pub type FormError = Signal<Option<AppError>>;

pub fn action_error<I, O>(action: ServerAction<I>) -> FormError
where
    I: server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(|result| result.err()))
}

/// The message above a form: what went wrong, and the reference of an unexpected error.
#[component]
pub fn FormAlert(error: FormError) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            let reference = error
                .reference()
                .map(|r| i18n.t_with("error-reference", &[("reference", r.to_string())]));
            view! {
                <p class="alert alert-error" role="alert">
                    {i18n.t(error.message_key())}
                    {reference.map(|r| view! { " " <span class="reference">{r}</span> })}
                </p>
            }
        })
    }
}

/// A labelled input whose error, if any, is shown under it and announced with it.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    error: FormError,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let message = move || error.get().and_then(|e| e.field_key(name));
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=name>{i18n.t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{i18n.t(h)}</p> })}
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described_by
            />
            {move || {
                message().map(|key| view! { <p class="msg-error" id=error_id.clone()>{i18n.t(&key)}</p> })
            }}
        </div>
    }
}

/// The error attached to a field that is not a text input (select, checkbox group).
#[component]
pub fn FieldMessage(name: &'static str, error: FormError) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().and_then(|e| e.field_key(name)).map(|key| {
            view! { <p class="msg-error" id=format!("{name}-error")>{i18n.t(&key)}</p> }
        })
    }
}
