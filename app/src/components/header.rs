//! The top of every page: skip link, quick exit, name, navigation for the viewer's role,
//! language switch, sign-out. Its forms are plain posts, so they work without JavaScript.

use leptos::prelude::*;

use leptos_router::hooks::use_location;

use crate::api::session::current_user;
use crate::domain::{Locale, Role};
use crate::i18n::use_i18n;

/// The administration pages, in the navigation and on the administration landing page.
pub const ADMIN_SECTIONS: [(&str, &str); 7] = [
    ("/admin/users", "nav-users"),
    ("/admin/organisations", "nav-organisations"),
    ("/admin/institutions", "nav-institutions"),
    ("/admin/categories", "nav-categories"),
    ("/admin/holidays", "nav-holidays"),
    ("/admin/regions", "nav-regions"),
    ("/admin/mail", "nav-mail"),
];

fn links(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut links = role_links(role);
    links.push(("/preferences", "nav-preferences"));
    links
}

fn role_links(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::CsoMember => vec![
            ("/organisation", "nav-organisation"),
            ("/observations", "nav-observations"),
        ],
        Role::CsoCoordinator => vec![
            ("/organisation", "nav-organisation"),
            ("/observations", "nav-observations"),
            ("/organisation/members", "nav-members"),
        ],
        Role::Liaison => vec![
            ("/institution", "nav-institution"),
            ("/referrals", "nav-referrals"),
        ],
        Role::Monitor => vec![
            ("/monitoring", "nav-monitoring"),
            ("/observations", "nav-observations"),
            ("/tips", "nav-tips"),
            ("/audit", "nav-audit"),
        ],
        Role::Admin => std::iter::once(("/admin", "nav-admin"))
            .chain(ADMIN_SECTIONS)
            .collect(),
    }
}

/// With JavaScript, the exit replaces the current entry of the history, so Back does not return
/// to the page that was left; without it, the link still leaves at once.
fn quick_exit(event: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        event.prevent_default();
        let _ = window().location().replace("/exit");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    // Asked again at each navigation: signing in or out with JavaScript changes pages
    // without reloading, and the header must follow.
    let location = use_location();
    // The query too: opening a tip signs the account out and comes back to the same path
    // with a notice.
    let viewer = Resource::new(
        move || (location.pathname.get(), location.search.get()),
        |_| current_user(),
    );
    let other = match i18n.0 {
        Locale::Fr => Locale::En,
        Locale::En => Locale::Fr,
    };
    let other_label = match other {
        Locale::Fr => "lang-fr",
        Locale::En => "lang-en",
    };
    view! {
        <a class="skip-link" href="#contenu">{i18n.t("nav-skip")}</a>
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">"Veille"</a>
                // Leaves for a neutral page and, with JavaScript, replaces this page in history.
                <a class="quick-exit" href="/exit" rel="external" on:click=quick_exit>{i18n.t("nav-quick-exit")}</a>
            </div>
            <nav aria-label=i18n.t("nav-main")>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match viewer.await {
                            Ok(Some(viewer)) => {
                                let role_label = i18n.t(viewer.role.label_key());
                                view! {
                                    <ul class="menu">
                                        {links(viewer.role)
                                            .into_iter()
                                            .map(|(href, key)| view! { <li><a href=href>{i18n.t(key)}</a></li> })
                                            .collect_view()}
                                    </ul>
                                    <p class="who">
                                        {viewer.display_name} " · " {role_label}
                                    </p>
                                    <form method="post" action="/api/logout" class="inline">
                                        <button type="submit" class="link-button">{i18n.t("nav-logout")}</button>
                                    </form>
                                }
                                    .into_any()
                            }
                            _ => view! {
                                <ul class="menu">
                                    <li><a href="/login">{i18n.t("nav-login")}</a></li>
                                </ul>
                            }
                                .into_any(),
                        }
                    })}
                </Suspense>
                <form method="post" action="/api/set_locale" class="inline lang-switch">
                    <input type="hidden" name="locale" value=other.as_str() />
                    <button type="submit" class="link-button" lang=other.as_str()>{i18n.t(other_label)}</button>
                </form>
            </nav>
        </header>
    }
}
