//! Landing page of CSO members and coordinators: the work queue, then filing and the lists.

use leptos::prelude::*;

use crate::components::landing::LandingPage;
use crate::components::queue::WorkQueue;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LandingPage roles=&[Role::CsoMember, Role::CsoCoordinator] title="landing-organisation-title"
            lead="landing-organisation-lead">
            <WorkQueue path="/organisation" />
            <h2>{i18n.t("landing-shortcuts")}</h2>
            <ul class="cards">
                <li><a href="/observations/new">{i18n.t("action-new-observation")}</a></li>
                <li><a href="/observations">{i18n.t("landing-our-observations")}</a></li>
                <li><a href="/dashboard">{i18n.t("landing-dashboard")}</a></li>
            </ul>
        </LandingPage>
    }
}
