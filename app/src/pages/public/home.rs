//! The public front page: what the portal is, and the way in (sign-in, or one's own space
//! when already signed in).

use leptos::prelude::*;

use crate::api::session::current_user;
use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = Resource::new(|| (), |_| current_user());
    view! {
        <section class="intro">
            <h1>{i18n.t("home-title")}</h1>
            <p>{i18n.t("home-lead")}</p>
            <ul class="steps">
                <li>{i18n.t("home-step-file")}</li>
                <li>{i18n.t("home-step-triage")}</li>
                <li>{i18n.t("home-step-respond")}</li>
            </ul>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await {
                        // Signed in: their own space, not a second sign-in.
                        Ok(Some(viewer)) => view! {
                            <p><a class="button" href=viewer.role.landing_path()>{i18n.t("home-open-space")}</a></p>
                        }
                        .into_any(),
                        _ => view! {
                            <p><a class="button" href="/login">{i18n.t("nav-login")}</a></p>
                            <p class="hint">{i18n.t("home-invitation-only")}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/transparence">{i18n.t("home-public-figures")}</a></p>
            <p><a href="/signalement">{i18n.t("nav-tip")}</a> " · " <a href="/signalement/suivi">{i18n.t("nav-tip-follow")}</a></p>
        </section>
    }
}
