//! Coordinators invite and disable the members of their own organisation.

use leptos::prelude::*;

use crate::api::accounts::InviteUser;
use crate::components::invite::InviteForm;
use crate::components::landing::LandingPage;
use crate::components::user_table::UserTable;
use crate::domain::Role;

#[component]
pub fn MembersPage() -> impl IntoView {
    let invite = ServerAction::<InviteUser>::new();
    let refresh = Signal::derive(move || invite.version().get());
    view! {
        <LandingPage roles=&[Role::CsoCoordinator] title="nav-members" lead="admin-members-lead">
            <InviteForm action=invite roles=&[Role::CsoMember] />
            <UserTable refresh />
        </LandingPage>
    }
}
