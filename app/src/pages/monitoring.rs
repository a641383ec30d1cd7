//! Landing page of NHRC monitors.

use leptos::prelude::*;

use crate::components::landing::LandingPage;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn Monitoring() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LandingPage roles=&[Role::Monitor] title="landing-monitoring-title" lead="landing-monitoring-lead">
            <p class="empty">{i18n.t("landing-no-submissions")}</p>
        </LandingPage>
    }
}
