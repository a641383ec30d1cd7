//! The public front page.

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="intro">
            <h1>{i18n.t("home-title")}</h1>
            <p>{i18n.t("home-lead")}</p>
            <ul class="steps">
                <li>{i18n.t("home-step-file")}</li>
                <li>{i18n.t("home-step-triage")}</li>
                <li>{i18n.t("home-step-respond")}</li>
            </ul>
            <p><a class="button" href="/login">{i18n.t("nav-login")}</a></p>
            <p class="hint">{i18n.t("home-invitation-only")}</p>
            <p><a href="/transparence">{i18n.t("home-public-figures")}</a></p>
            <p><a href="/signalement">{i18n.t("nav-tip")}</a> " · " <a href="/signalement/suivi">{i18n.t("nav-tip-follow")}</a></p>
        </section>
    }
}
