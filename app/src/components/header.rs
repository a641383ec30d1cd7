//! The top of every page: skip link, quick exit, name, navigation for the viewer's role,
//! language switch, sign-out. Its forms are plain posts, so they work without JavaScript.

use leptos::prelude::*;

use leptos_router::hooks::use_location;

use crate::api::queue::queue_count;
use crate::api::session::current_user;
use crate::components::url_query::{query_string, url_query};
use crate::domain::{Locale, Role};
use crate::i18n::use_i18n;
use crate::model::queue::{Bucket, NAV_COUNT_LIMIT};

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

/// The link to the role's landing page, its work queue: it shows how many items wait there.
const QUEUE_LINK: &str = "nav-queue";

fn links(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut links = role_links(role);
    links.push(("/preferences", "nav-preferences"));
    links
}

fn role_links(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::CsoMember => vec![
            ("/organisation", "nav-queue"),
            ("/observations", "nav-observations"),
        ],
        Role::CsoCoordinator => vec![
            ("/organisation", "nav-queue"),
            ("/observations", "nav-observations"),
            ("/organisation/members", "nav-members"),
        ],
        Role::Liaison => vec![
            ("/institution", "nav-queue"),
            ("/referrals", "nav-referrals"),
        ],
        Role::Monitor => vec![
            ("/monitoring", "nav-queue"),
            ("/observations", "nav-observations"),
            ("/tips", "nav-tips"),
            ("/audit", "nav-audit"),
        ],
        Role::Admin => std::iter::once(("/admin", "nav-admin"))
            .chain(ADMIN_SECTIONS)
            .collect(),
    }
}

/// `?next=…` of the sign-in link.
#[derive(Clone, Debug, Default, PartialEq)]
struct ReturnTo {
    next: Option<String>,
}
url_query!(ReturnTo { next });

/// The sign-in link: from any page but the home page and the sign-in steps, signing in comes
/// back to the page (`path` and `search`, without its `?`; the server keeps it only if local).
fn login_link(path: &str, search: &str) -> String {
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    if matches!(first, "" | "login" | "security" | "password" | "exit") {
        return "/login".to_string();
    }
    let here = match search {
        "" => path.to_string(),
        search => format!("{path}?{search}"),
    };
    format!("/login?{}", query_string(&ReturnTo { next: Some(here) }))
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // The query too: opening a tip signs the account out and comes back to the same path
    // with a notice.
    // With the number of items waiting in the viewer's work queue, asked only once the viewer
    // is known to have one.
    let viewer = Resource::new(
        move || (location.pathname.get(), location.search.get()),
        |_| async move {
            let viewer = current_user().await;
            let waiting = match &viewer {
                Ok(Some(v)) if !Bucket::of(v.role).is_empty() => queue_count().await.ok(),
                _ => None,
            };
            (viewer, waiting)
        },
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
            // One line on a phone: the name, the quick exit (second in the keyboard's order
            // too, and in sight while the page scrolls), and the menu (a disclosure, so it opens
            // without JavaScript; shown open on a wide screen).
            <div class="bar">
                <a class="brand" href="/">"Veille"</a>
                // Leaves for a neutral page and, with JavaScript (the page's script, `islands.js`),
                // replaces this page in history.
                <a class="quick-exit" href="/exit" rel="external">{i18n.t("nav-quick-exit")}</a>
                <details class="site-menu">
                    <summary>{i18n.t("nav-menu")}</summary>
            <nav aria-label=i18n.t("nav-main")>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match viewer.await {
                            (Ok(Some(viewer)), waiting) => {
                                let role_label = i18n.t(viewer.role.label_key());
                                view! {
                                    <ul class="menu">
                                        {links(viewer.role)
                                            .into_iter()
                                            .map(|(href, key)| {
                                                let words = match waiting {
                                                    Some(count) if key == QUEUE_LINK => i18n.t_with(
                                                        "nav-queue-count",
                                                        &[("count", if count >= NAV_COUNT_LIMIT {
                                                            format!("{}+", NAV_COUNT_LIMIT - 1)
                                                        } else {
                                                            count.to_string()
                                                        })],
                                                    ),
                                                    _ => i18n.t(key),
                                                };
                                                view! { <li><a href=href>{words}</a></li> }
                                            })
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
                                    <li><a href=login_link(&location.pathname.get(), &location.search.get())>{i18n.t("nav-login")}</a></li>
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
                </details>
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::login_link;

    #[test]
    fn signing_in_from_a_page_comes_back_to_it() {
        assert_eq!(login_link("/", ""), "/login");
        assert_eq!(login_link("/login", "next=/x"), "/login");
        assert_eq!(login_link("/login/code", ""), "/login");
        assert_eq!(login_link("/security", ""), "/login");
        assert_eq!(
            login_link("/referrals/abc", ""),
            "/login?next=%2Freferrals%2Fabc"
        );
        assert_eq!(
            login_link("/observations", "status=submitted&page=2"),
            "/login?next=%2Fobservations%3Fstatus%3Dsubmitted%26page%3D2"
        );
    }
}
