//! Landing page of an institution's liaison officer.

use leptos::prelude::*;

use crate::components::landing::LandingPage;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn Institution() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LandingPage roles=&[Role::Liaison] title="landing-institution-title" lead="landing-institution-lead">
            <p class="empty">{i18n.t("landing-no-referrals")}</p>
        </LandingPage>
    }
}
