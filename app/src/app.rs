//! The HTML shell (server only) and the root component with the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::header::SiteHeader;
use crate::domain::Locale;
use crate::i18n::I18n;
use crate::pages;

/// The page language: on the server from the request (see `server::auth::identify`), in the
/// browser from the `lang` attribute the server rendered.
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
    {
        #[cfg(feature = "hydrate")]
        {
            document()
                .document_element()
                .and_then(|html| html.get_attribute("lang"))
                .and_then(|lang| Locale::parse(&lang))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        Locale::default()
    }
}

/// The document around the app. Its scripts carry a per-response nonce that the
/// Content-Security-Policy set here allows, and nothing else inline.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = page_locale();
    #[cfg(feature = "ssr")]
    {
        leptos::nonce::provide_nonce();
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
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n(page_locale());
    provide_context(i18n);

    // Marks the page once the browser has taken it over (the end-to-end tests look for it).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="veille" href="/pkg/veille.css" />
        // Neutral on purpose: nothing about a case or a role in the tab title.
        <Title text="Veille" />
        <Router>
            <SiteHeader />
            <main id="contenu" tabindex="-1">
                <Routes fallback=|| view! { <pages::public::not_found::NotFoundPage /> }>
                    <Route path=path!("") view=pages::public::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("login") view=pages::account::login::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("login/code") view=pages::account::login_code::LoginCodePage ssr=SsrMode::Async />
                    <Route path=path!("security") view=pages::account::security::SecurityPage ssr=SsrMode::Async />
                    <Route path=path!("password/set") view=pages::account::password_set::PasswordSetPage ssr=SsrMode::Async />
                    <Route path=path!("password/forgot") view=pages::account::password_forgot::PasswordForgotPage ssr=SsrMode::Async />
                    <Route path=path!("organisation") view=pages::organisation::landing::OrganisationPage ssr=SsrMode::Async />
                    <Route path=path!("organisation/members") view=pages::organisation::members::MembersPage ssr=SsrMode::Async />
                    <Route path=path!("institution") view=pages::referrals::landing::InstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("monitoring") view=pages::monitoring::landing::MonitoringPage ssr=SsrMode::Async />
                    <Route path=path!("monitoring/approvals") view=pages::monitoring::approvals::MonitorApprovalsPage ssr=SsrMode::Async />
                    <Route path=path!("monitoring/sensitive") view=pages::monitoring::sensitive::MonitorSensitivePage ssr=SsrMode::Async />
                    <Route path=path!("institution/sensitive") view=pages::referrals::sensitive::InstitutionSensitivePage ssr=SsrMode::Async />
                    <Route path=path!("audit") view=pages::monitoring::audit_log::AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("dashboard") view=pages::statistics::dashboard::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("signalement") view=pages::tips::new::NewTipPage ssr=SsrMode::Async />
                    <Route path=path!("signalement/recu") view=pages::tips::receipt::TipReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("signalement/suivi") view=pages::tips::follow::FollowTipPage ssr=SsrMode::Async />
                    <Route path=path!("tips") view=pages::tips::list::TipsPage ssr=SsrMode::Async />
                    <Route path=path!("tips/:id") view=pages::tips::detail::TipPage ssr=SsrMode::Async />
                    <Route path=path!("transparence") view=pages::statistics::transparency::TransparencyPage ssr=SsrMode::Async />
                    <Route path=path!("observations") view=pages::observations::list::ObservationsPage ssr=SsrMode::Async />
                    <Route path=path!("observations/new") view=pages::observations::new::NewObservationPage ssr=SsrMode::Async />
                    <Route path=path!("observations/:id") view=pages::observations::detail::ObservationPage ssr=SsrMode::Async />
                    <Route path=path!("observations/:id/edit") view=pages::observations::edit::EditObservationPage ssr=SsrMode::Async />
                    <Route path=path!("preferences") view=pages::account::preferences::PreferencesPage ssr=SsrMode::Async />
                    <Route path=path!("unsubscribe") view=pages::account::unsubscribe::UnsubscribePage ssr=SsrMode::Async />
                    <Route path=path!("admin/mail") view=pages::admin::mail::AdminMailPage ssr=SsrMode::Async />
                    <Route path=path!("referrals") view=pages::referrals::list::ReferralsPage ssr=SsrMode::Async />
                    <Route path=path!("referrals/:id") view=pages::referrals::detail::ReferralPage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=pages::admin::landing::AdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=pages::admin::users::AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("admin/organisations") view=pages::admin::organisations::AdminOrganisationsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/institutions") view=pages::admin::institutions::AdminInstitutionsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/categories") view=pages::admin::categories::AdminCategoriesPage ssr=SsrMode::Async />
                    <Route path=path!("admin/holidays") view=pages::admin::holidays::AdminHolidaysPage ssr=SsrMode::Async />
                    <Route path=path!("admin/regions") view=pages::admin::regions::AdminRegionsPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
