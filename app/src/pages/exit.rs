//! Where the quick-exit control leads: a blank, neutral page with nothing about the portal.

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn Exit() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="neutral">{i18n.t("page-exit-text")}</p> }
}
