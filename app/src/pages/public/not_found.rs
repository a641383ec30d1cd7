//! The page for any unknown address (and for records outside the viewer's scope).

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>{i18n.t("page-not-found-title")}</h1>
        <p><a href="/">{i18n.t("nav-home")}</a></p>
    }
}
