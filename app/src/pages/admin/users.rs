//! Admins invite coordinators, liaisons, monitors and admins, and disable accounts.

use leptos::prelude::*;

use crate::api::accounts::InviteUser;
use crate::components::invite::InviteForm;
use crate::components::landing::LandingPage;
use crate::components::user_table::UserTable;
use crate::domain::Role;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let invite = ServerAction::<InviteUser>::new();
    let refresh = Signal::derive(move || invite.version().get());
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-users" lead="admin-users-lead">
            <InviteForm action=invite roles=&[Role::CsoCoordinator, Role::Liaison, Role::Monitor, Role::Admin] />
            <UserTable refresh />
        </LandingPage>
    }
}
