//! Signing in and out, the caller's identity, the interface language.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::session::Viewer;

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Viewer>, AppError> {
    use crate::server::{auth, organisations, reference};
    let state = crate::server::state()?;
    let context = auth::request_context().await?;
    let Some(user) = context.user else {
        return Ok(None);
    };
    let affiliation = match (user.organisation_id, user.institution_id) {
        (Some(id), _) => organisations::organisation_name(&state.db, id).await?,
        (_, Some(id)) => reference::institution_name(&state.db, id, context.locale).await?,
        _ => None,
    };
    Ok(Some(Viewer {
        display_name: user.display_name,
        role: user.role,
        affiliation,
    }))
}

/// `next`: the page to open once signed in (from the sign-in page's hidden field); only a
/// local path of known shape is followed, anything else lands on the role's page.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{accounts, auth};
    let state = crate::server::state()?;
    let address = auth::client_address().await;
    let device = auth::request_cookie(auth::DEVICE_COOKIE).await;
    let (user, enrolled) =
        accounts::authenticate(&state, &email, &password, address, device.as_deref()).await?;
    after_password(&state, &user, enrolled, "password", next.as_deref()).await
}

/// The password was right: on to the second step when the account has or needs one (the
/// code step or the enrolment, carrying `next` on), else signed in and sent to `next` or the
/// role's page.
#[cfg(feature = "ssr")]
async fn after_password(
    state: &crate::server::AppState,
    user: &crate::server::auth::CurrentUser,
    enrolled: bool,
    method: &str,
    next: Option<&str>,
) -> Result<(), AppError> {
    use crate::server::auth::{self, SecondStep};
    let session = auth::session().await?;
    match SecondStep::after_password(user.role, enrolled) {
        Some(step) => {
            auth::begin_second_step(&session, user.id, step).await?;
            // The code step and the enrolment both carry `next` on.
            leptos_axum::redirect(&auth::with_next(step.path(), next));
        }
        None => {
            finish_sign_in(state, &session, user, method).await?;
            leptos_axum::redirect(signed_in_path(user, next));
        }
    }
    Ok(())
}

/// Where a complete sign-in lands: `next` when it is a local path of known shape, else the
/// role's page. Whether the case it names exists or is the user's is not looked at here: the
/// page answers that, a foreign case exactly like a missing one.
#[cfg(feature = "ssr")]
pub(crate) fn signed_in_path<'a>(
    user: &crate::server::auth::CurrentUser,
    next: Option<&'a str>,
) -> &'a str {
    next.and_then(crate::server::auth::local_next)
        .unwrap_or(user.role.landing_path())
}

/// Every step passed: the session is signed in, the device remembered, the sign-in audited.
#[cfg(feature = "ssr")]
pub(crate) async fn finish_sign_in(
    state: &crate::server::AppState,
    session: &tower_sessions::Session,
    user: &crate::server::auth::CurrentUser,
    method: &str,
) -> Result<(), AppError> {
    use crate::server::audit::{self, NewEntry};
    use crate::server::auth;
    auth::sign_in(session, user.id).await?;
    let device = auth::request_cookie(auth::DEVICE_COOKIE).await;
    let device = state
        .throttle
        .remember_device(&user.email, device.as_deref());
    set_cookie(state, auth::DEVICE_COOKIE, &device, 90 * 24 * 3600);
    audit::append(
        &state.db,
        NewEntry::by(Some(user), "login", "user", user.id).detail(method),
    )
    .await
}

/// Ends the session and asks the browser to forget what it kept of the site (cache, cookies,
/// storage), so that a shared or seized phone shows nothing afterwards.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::auth;
    let session = auth::session().await?;
    auth::sign_out(&session).await?;
    clear_site_data();
    leptos_axum::redirect("/");
    Ok(())
}

/// Asks the browser to forget what the site stored in it. The session cookie goes with the
/// session; the device cookie stays (it names no account), so that a sign-in flood against the
/// account cannot lock its owner out of this device. Not the cache: pages are never stored, so
/// it holds only the public bundle, which a slow link would download again.
#[cfg(feature = "ssr")]
pub(crate) fn clear_site_data() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::HeaderName::from_static("clear-site-data"),
            axum::http::HeaderValue::from_static("\"storage\""),
        );
    }
}

/// Remembers the chosen language in a cookie and, when signed in, in the user's preferences.
#[server(prefix = "/api", endpoint = "set_locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use crate::domain::Locale;
    use crate::server::{accounts, auth};
    let locale =
        Locale::parse(&locale).ok_or_else(|| AppError::field("locale", "error-locale-invalid"))?;
    let state = crate::server::state()?;
    let context = auth::request_context().await?;
    if let Some(user) = context.user {
        accounts::set_locale(&state.db, user.id, locale).await?;
    }
    set_cookie(&state, Locale::COOKIE, locale.as_str(), 365 * 24 * 3600);
    Ok(())
}

#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(
    state: &crate::server::AppState,
    name: &str,
    value: &str,
    max_age_seconds: u64,
) {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{name}={value}; Path=/; Max-Age={max_age_seconds}; SameSite=Strict; HttpOnly{secure}"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
}

/// Completes an invitation or a password reset, then signs the user in (or sends them to
/// their second step: a reset link never skips it).
#[server(prefix = "/api", endpoint = "set_password")]
pub async fn set_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, auth};
    let state = crate::server::state()?;
    let address = auth::client_address().await;
    let (user, enrolled) =
        accounts::set_password(&state, &token, &password, &confirm, address).await?;
    after_password(&state, &user, enrolled, "password_link", None).await
}

#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::server::{accounts, auth};
    let state = crate::server::state()?;
    let address = auth::client_address().await;
    accounts::request_password_reset(&state, &email, address).await?;
    leptos_axum::redirect("/password/forgot?sent=1");
    Ok(())
}

/// What the caller's landing page shows about them.
#[server(prefix = "/api", endpoint = "landing")]
pub async fn landing() -> Result<Viewer, AppError> {
    use crate::domain::Role;
    use crate::server::auth;
    auth::require(&Role::ALL).await?;
    current_user().await?.ok_or(AppError::Unauthenticated)
}
