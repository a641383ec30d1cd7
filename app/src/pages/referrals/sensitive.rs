//! A liaison's view of who in their institution may read cases in a sensitive category; the
//! coordinating liaison grants or revokes it here. Plain forms: works without JavaScript.

use leptos::prelude::*;

use crate::components::landing::LandingPage;
use crate::domain::Role;
use crate::pages::monitoring::sensitive::SensitiveAccessLists;

#[component]
pub fn InstitutionSensitivePage() -> impl IntoView {
    view! {
        <LandingPage roles=&[Role::Liaison] title="page-sensitive" lead="page-sensitive-institution-lead">
            <SensitiveAccessLists />
        </LandingPage>
    }
}
