//! What a page shows when its data cannot be shown: not signed in, not allowed, or a failure.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::use_i18n;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    // The page answers with the error's status (a foreign record: 404, like a missing one).
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    match error {
        AppError::Unauthenticated => view! {
            <div class="alert" role="status">
                <p>{i18n.t("error-unauthenticated")}</p>
                <p><a href="/login">{i18n.t("nav-login")}</a></p>
            </div>
        }
        .into_any(),
        other => {
            let reference = other
                .reference()
                .map(|r| i18n.t_with("error-reference", &[("reference", r.to_string())]));
            // A refused filter or link has no form field to show its message by: say it here.
            let details: Vec<String> = match &other {
                AppError::Validation(errors) => errors.iter().map(|e| i18n.t(&e.key)).collect(),
                _ => Vec::new(),
            };
            view! {
                <div class="alert alert-error" role="alert">
                    <p>
                        {i18n.t(other.message_key())}
                        {reference.map(|r| view! { " " <span class="reference">{r}</span> })}
                    </p>
                    {(!details.is_empty()).then(|| view! {
                        <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

/// A short waiting line for data still on its way.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{i18n.t("notice-loading")}</p> }
}
