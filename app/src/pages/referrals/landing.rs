//! Landing page of an institution's liaison officer: the work queue, then the lists.

use leptos::prelude::*;

use crate::components::landing::LandingPage;
use crate::components::queue::WorkQueue;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn InstitutionPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LandingPage roles=&[Role::Liaison] title="landing-institution-title" lead="landing-institution-lead">
            <WorkQueue path="/institution" />
            <h2>{i18n.t("landing-shortcuts")}</h2>
            <ul class="cards">
                <li><a href="/referrals">{i18n.t("landing-referrals")}</a></li>
                <li><a href="/referrals?overdue=1">{i18n.t("landing-overdue")}</a></li>
                <li><a href="/dashboard">{i18n.t("landing-dashboard")}</a></li>
                <li><a href="/institution/sensitive">{i18n.t("landing-sensitive")}</a></li>
            </ul>
        </LandingPage>
    }
}
