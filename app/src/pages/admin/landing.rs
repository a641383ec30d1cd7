//! Landing page of platform administrators: where each kind of record is managed.

use leptos::prelude::*;

use crate::components::header::ADMIN_SECTIONS;
use crate::components::landing::LandingPage;
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LandingPage roles=&[Role::Admin] title="landing-admin-title" lead="landing-admin-lead">
            <ul class="cards">
                {ADMIN_SECTIONS
                    .into_iter()
                    .map(|(href, key)| view! { <li><a href=href>{i18n.t(key)}</a></li> })
                    .collect_view()}
            </ul>
        </LandingPage>
    }
}
