//! The HTML shell (server only) and the root component with the routes.

use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::header::SiteHeader;
use crate::domain::Locale;
use crate::i18n::I18n;
use crate::pages;

/// The page language, from the request (see `server::auth::identify`). Pages are rendered on
/// the server only: the browser runs islands, which are given their words.
fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .extensions
                    .get::<crate::server::auth::RequestContext>()
                    .map(|c| c.locale)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    Locale::default()
}

/// The document around the app. Its one script carries a per-response nonce that the
/// Content-Security-Policy set here allows, and nothing else inline.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = page_locale();
    #[cfg(not(feature = "ssr"))]
    let _ = options;
    #[cfg(feature = "ssr")]
    {
        // Islands mode: only `#[island]` components are hydrated, so nothing else carries
        // hydration markers or serialised data.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
        leptos::nonce::provide_nonce();
        {
            use crate::server::assets::href;
            provide_context(Bundle {
                css: href(&options, "veille.css"),
                js: href(&options, "veille.js"),
                wasm: href(&options, "veille.wasm"),
            });
        }
        if let (Some(nonce), Some(response)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            let policy = format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
                 style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
            );
            if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
                response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
            }
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="same-origin" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <Assets />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Where the style sheet and the browser bundle are served (hashed names, see
/// `server::assets`): provided by the shell to every part of the page (an island's page also
/// asks for the bundle early, see `components::file_picker`).
#[derive(Clone, Debug, Default)]
pub struct Bundle {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

/// The style sheet and the page's one script (`islands.js`).
#[component]
fn Assets() -> impl IntoView {
    let Bundle { css, js, wasm } = use_context::<Bundle>().unwrap_or_default();
    let loader = format!("{}({js:?}, {wasm:?});", include_str!("islands.js"));
    view! {
        <link rel="stylesheet" href=css />
        <script type="module" nonce=leptos::nonce::use_nonce()>{loader}</script>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n(page_locale());
    provide_context(i18n);

    view! {
        // Until a route names its page (see `titled`).
        <Title text="Veille" />
        <Router>
            <SiteHeader />
            <main id="contenu" tabindex="-1">
                <Routes fallback=titled("page-not-found-title", pages::public::not_found::NotFoundPage)>
                    <Route path=path!("") view=described("page-title-home", "meta-description-home", pages::public::home::HomePage) ssr=SsrMode::Async />
                    <Route path=path!("login") view=titled("page-login-title", pages::account::login::LoginPage) ssr=SsrMode::Async />
                    <Route path=path!("login/code") view=titled("page-code-title", pages::account::login_code::LoginCodePage) ssr=SsrMode::Async />
                    <Route path=path!("security") view=titled("page-security-title", pages::account::security::SecurityPage) ssr=SsrMode::Async />
                    <Route path=path!("password/set") view=titled("page-set-password-title", pages::account::password_set::PasswordSetPage) ssr=SsrMode::Async />
                    <Route path=path!("password/forgot") view=titled("page-forgot-title", pages::account::password_forgot::PasswordForgotPage) ssr=SsrMode::Async />
                    <Route path=path!("organisation") view=titled("landing-organisation-title", pages::organisation::landing::OrganisationPage) ssr=SsrMode::Async />
                    <Route path=path!("organisation/members") view=titled("nav-members", pages::organisation::members::MembersPage) ssr=SsrMode::Async />
                    <Route path=path!("institution") view=titled("landing-institution-title", pages::referrals::landing::InstitutionPage) ssr=SsrMode::Async />
                    <Route path=path!("monitoring") view=titled("landing-monitoring-title", pages::monitoring::landing::MonitoringPage) ssr=SsrMode::Async />
                    <Route path=path!("monitoring/approvals") view=titled("page-monitor-approvals", pages::monitoring::approvals::MonitorApprovalsPage) ssr=SsrMode::Async />
                    <Route path=path!("monitoring/sensitive") view=titled("page-sensitive", pages::monitoring::sensitive::MonitorSensitivePage) ssr=SsrMode::Async />
                    <Route path=path!("institution/sensitive") view=titled("page-sensitive", pages::referrals::sensitive::InstitutionSensitivePage) ssr=SsrMode::Async />
                    <Route path=path!("audit") view=titled("page-audit-title", pages::monitoring::audit_log::AuditLogPage) ssr=SsrMode::Async />
                    <Route path=path!("dashboard") view=titled("page-dashboard-title", pages::statistics::dashboard::DashboardPage) ssr=SsrMode::Async />
                    <Route path=path!("signalement") view=described("page-tip-title", "meta-description-tip", pages::tips::new::NewTipPage) ssr=SsrMode::Async />
                    <Route path=path!("signalement/recu") view=titled("page-tip-receipt-title", pages::tips::receipt::TipReceiptPage) ssr=SsrMode::Async />
                    <Route path=path!("signalement/suivi") view=titled("page-tip-follow-title", pages::tips::follow::FollowTipPage) ssr=SsrMode::Async />
                    <Route path=path!("tips") view=titled("page-tips-title", pages::tips::list::TipsPage) ssr=SsrMode::Async />
                    <Route path=path!("tips/:id") view=titled("page-tip-nhrc-title", pages::tips::detail::TipPage) ssr=SsrMode::Async />
                    <Route path=path!("transparence") view=described("page-transparency-title", "meta-description-transparency", pages::statistics::transparency::TransparencyPage) ssr=SsrMode::Async />
                    <Route path=path!("observations") view=titled("page-observations-title", pages::observations::list::ObservationsPage) ssr=SsrMode::Async />
                    <Route path=path!("observations/new") view=titled("page-new-observation-title", pages::observations::new::NewObservationPage) ssr=SsrMode::Async />
                    <Route path=path!("observations/:id") view=titled("page-title-observation", pages::observations::detail::ObservationPage) ssr=SsrMode::Async />
                    <Route path=path!("observations/:id/edit") view=titled("page-draft-title", pages::observations::edit::EditObservationPage) ssr=SsrMode::Async />
                    <Route path=path!("preferences") view=titled("page-preferences-title", pages::account::preferences::PreferencesPage) ssr=SsrMode::Async />
                    <Route path=path!("unsubscribe") view=titled("page-unsubscribe-title", pages::account::unsubscribe::UnsubscribePage) ssr=SsrMode::Async />
                    <Route path=path!("admin/mail") view=titled("nav-mail", pages::admin::mail::AdminMailPage) ssr=SsrMode::Async />
                    <Route path=path!("referrals") view=titled("page-referrals-title", pages::referrals::list::ReferralsPage) ssr=SsrMode::Async />
                    <Route path=path!("referrals/:id") view=titled("page-title-referral", pages::referrals::detail::ReferralPage) ssr=SsrMode::Async />
                    <Route path=path!("admin") view=titled("landing-admin-title", pages::admin::landing::AdminPage) ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=titled("nav-users", pages::admin::users::AdminUsersPage) ssr=SsrMode::Async />
                    <Route path=path!("admin/organisations") view=titled("nav-organisations", pages::admin::organisations::AdminOrganisationsPage) ssr=SsrMode::Async />
                    <Route path=path!("admin/institutions") view=titled("nav-institutions", pages::admin::institutions::AdminInstitutionsPage) ssr=SsrMode::Async />
                    <Route path=path!("admin/categories") view=titled("nav-categories", pages::admin::categories::AdminCategoriesPage) ssr=SsrMode::Async />
                    <Route path=path!("admin/holidays") view=titled("nav-holidays", pages::admin::holidays::AdminHolidaysPage) ssr=SsrMode::Async />
                    <Route path=path!("admin/regions") view=titled("nav-regions", pages::admin::regions::AdminRegionsPage) ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// The tab title of a page: its name in the reader's language, then the site. Only catalogue
/// keys go in, so a title never carries case content (DESIGN §7, WCAG 2.4.2).
#[component]
pub fn PageTitle(key: &'static str) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! { <Title text=format!("{} · Veille", i18n.t(key)) /> }
}

/// A route's view: the page under its own tab title.
fn titled<F, V>(key: &'static str, page: F) -> impl Fn() -> AnyView + Send + Sync + Clone + 'static
where
    F: Fn() -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    move || view! { <PageTitle key /> {page()} }.into_any()
}

/// A public route's view: titled, with a meta description for search engines.
fn described<F, V>(
    key: &'static str,
    description: &'static str,
    page: F,
) -> impl Fn() -> AnyView + Send + Sync + Clone + 'static
where
    F: Fn() -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    titled(key, move || {
        let i18n = crate::i18n::use_i18n();
        view! {
            <Meta name="description" content=i18n.t(description) />
            {page()}
        }
    })
}
