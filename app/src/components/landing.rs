//! The frame of each role's landing page: checks on the server that the viewer may be here,
//! then shows the page title, their organisation or institution, and the page's own content.

use leptos::prelude::*;

use crate::api::session::landing;
use crate::components::notice::{ErrorNotice, Loading};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::use_i18n;

#[component]
pub fn LandingPage(
    /// Roles allowed on this page; anyone else sees the "not allowed" notice.
    roles: &'static [Role],
    title: &'static str,
    lead: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = Resource::new(|| (), |_| landing());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(viewer) if roles.contains(&viewer.role) => view! {
                        <h1>{i18n.t(title)}</h1>
                        {viewer.affiliation.map(|name| view! { <p class="affiliation">{name}</p> })}
                        <p>{i18n.t(lead)}</p>
                        {children.read_value()()}
                    }
                        .into_any(),
                    Ok(_) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
