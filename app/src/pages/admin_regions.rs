//! The regions of Mali and their (historical) cercles, as loaded from the reference data.

use leptos::prelude::*;

use crate::api::reference::list_regions;
use crate::components::landing::LandingPage;
use crate::components::notice::{ErrorNotice, Loading};
use crate::domain::Role;
use crate::i18n::use_i18n;

#[component]
pub fn AdminRegions() -> impl IntoView {
    let i18n = use_i18n();
    let regions = Resource::new(|| (), |_| list_regions());
    view! {
        <LandingPage roles=&[Role::Admin] title="nav-regions" lead="admin-regions-lead">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match regions.await {
                        Ok(rows) => view! {
                            <ul class="records">
                                {rows
                                    .into_iter()
                                    .map(|r| view! {
                                        <li>
                                            <strong>{r.name}</strong> " (" {r.code} ")"
                                            <p class="hint">
                                                {if r.cercles.is_empty() { i18n.t("admin-no-cercles") } else { r.cercles.join(", ") }}
                                            </p>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </LandingPage>
    }
}
