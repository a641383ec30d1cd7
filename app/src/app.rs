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
                <Routes fallback=|| view! { <pages::not_found::NotFound /> }>
                    <Route path=path!("") view=pages::home::Home ssr=SsrMode::Async />
                    <Route path=path!("login") view=pages::login::Login ssr=SsrMode::Async />
                    <Route path=path!("login/code") view=pages::login_code::LoginCode ssr=SsrMode::Async />
                    <Route path=path!("security") view=pages::security::Security ssr=SsrMode::Async />
                    <Route path=path!("password/set") view=pages::password_set::PasswordSet ssr=SsrMode::Async />
                    <Route path=path!("password/forgot") view=pages::password_forgot::PasswordForgot ssr=SsrMode::Async />
                    <Route path=path!("organisation") view=pages::organisation::Organisation ssr=SsrMode::Async />
                    <Route path=path!("organisation/members") view=pages::members::Members ssr=SsrMode::Async />
                    <Route path=path!("institution") view=pages::institution::Institution ssr=SsrMode::Async />
                    <Route path=path!("monitoring") view=pages::monitoring::Monitoring ssr=SsrMode::Async />
                    <Route path=path!("monitoring/approvals") view=pages::monitor_approvals::MonitorApprovals ssr=SsrMode::Async />
                    <Route path=path!("audit") view=pages::audit_log::AuditLog ssr=SsrMode::Async />
                    <Route path=path!("dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("signalement") view=pages::tip_new::TipNew ssr=SsrMode::Async />
                    <Route path=path!("signalement/recu") view=pages::tip_receipt::TipReceipt ssr=SsrMode::Async />
                    <Route path=path!("signalement/suivi") view=pages::tip_follow::TipFollow ssr=SsrMode::Async />
                    <Route path=path!("tips") view=pages::tips::Tips ssr=SsrMode::Async />
                    <Route path=path!("tips/:id") view=pages::tip::Tip ssr=SsrMode::Async />
                    <Route path=path!("transparence") view=pages::transparency::Transparency ssr=SsrMode::Async />
                    <Route path=path!("observations") view=pages::observations::Observations ssr=SsrMode::Async />
                    <Route path=path!("observations/new") view=pages::observation_new::ObservationNew ssr=SsrMode::Async />
                    <Route path=path!("observations/:id") view=pages::observation::Observation ssr=SsrMode::Async />
                    <Route path=path!("observations/:id/edit") view=pages::observation_edit::ObservationEdit ssr=SsrMode::Async />
                    <Route path=path!("preferences") view=pages::preferences::Preferences ssr=SsrMode::Async />
                    <Route path=path!("unsubscribe") view=pages::unsubscribe::Unsubscribe ssr=SsrMode::Async />
                    <Route path=path!("admin/mail") view=pages::admin_mail::AdminMail ssr=SsrMode::Async />
                    <Route path=path!("referrals") view=pages::referrals::Referrals ssr=SsrMode::Async />
                    <Route path=path!("referrals/:id") view=pages::referral::Referral ssr=SsrMode::Async />
                    <Route path=path!("admin") view=pages::admin::Admin ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=pages::admin_users::AdminUsers ssr=SsrMode::Async />
                    <Route path=path!("admin/organisations") view=pages::admin_organisations::AdminOrganisations ssr=SsrMode::Async />
                    <Route path=path!("admin/institutions") view=pages::admin_institutions::AdminInstitutions ssr=SsrMode::Async />
                    <Route path=path!("admin/categories") view=pages::admin_categories::AdminCategories ssr=SsrMode::Async />
                    <Route path=path!("admin/holidays") view=pages::admin_holidays::AdminHolidays ssr=SsrMode::Async />
                    <Route path=path!("admin/regions") view=pages::admin_regions::AdminRegions ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
