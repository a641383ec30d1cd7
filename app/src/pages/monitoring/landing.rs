//! Landing page of NHRC monitors: their work queue, then the ways into the lists and figures.

use leptos::prelude::*;

use crate::components::landing::LandingPage;
use crate::components::queue::WorkQueue;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn MonitoringPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LandingPage roles=&[Role::Monitor] title="landing-monitoring-title" lead="landing-monitoring-lead">
            <WorkQueue path="/monitoring" filters=true />
            <h2>{i18n.t("landing-shortcuts")}</h2>
            <ul class="cards">
                <li><a href="/observations?status=submitted&sort=oldest">{i18n.t("landing-triage")}</a></li>
                <li><a href="/observations?overdue=1">{i18n.t("landing-overdue")}</a></li>
                <li><a href="/observations">{i18n.t("landing-all-observations")}</a></li>
                <li><a href="/tips">{i18n.t("nav-tips")}</a></li>
                <li><a href="/dashboard">{i18n.t("landing-dashboard")}</a></li>
                <li><a href="/monitoring/approvals">{i18n.t("landing-monitor-approvals")}</a></li>
                <li><a href="/monitoring/sensitive">{i18n.t("landing-sensitive")}</a></li>
            </ul>
        </LandingPage>
    }
}
