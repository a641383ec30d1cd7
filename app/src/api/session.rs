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
    use crate::server::{accounts, auth, sign_in};
    let state = crate::server::state()?;
    let address = auth::client_address().await;
    let device = auth::request_cookie(auth::DEVICE_COOKIE).await;
    let (user, enrolled) =
        accounts::authenticate(&state, &email, &password, address, device.as_deref()).await?;
    sign_in::after_password(&state, &user, enrolled, "password", next.as_deref()).await
}

/// Ends the session and asks the browser to forget what it kept of the site (cache, cookies,
/// storage), so that a shared or seized phone shows nothing afterwards.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, sign_in};
    let session = auth::session().await?;
    auth::sign_out(&session).await?;
    sign_in::clear_site_data();
    leptos_axum::redirect("/");
    Ok(())
}

/// Remembers the chosen language in a cookie and, when signed in, in the user's preferences.
#[server(prefix = "/api", endpoint = "set_locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use crate::domain::Locale;
    use crate::server::{accounts, auth, sign_in};
    let locale =
        Locale::parse(&locale).ok_or_else(|| AppError::field("locale", "error-locale-invalid"))?;
    let state = crate::server::state()?;
    let context = auth::request_context().await?;
    if let Some(user) = context.user {
        accounts::set_locale(&state.db, user.id, locale).await?;
    }
    sign_in::set_cookie(&state, Locale::COOKIE, locale.as_str(), 365 * 24 * 3600);
    Ok(())
}

/// Completes an invitation or a password reset, then signs the user in (or sends them to
/// their second step: a reset link never skips it).
#[server(prefix = "/api", endpoint = "set_password")]
pub async fn set_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, auth, sign_in};
    let state = crate::server::state()?;
    let address = auth::client_address().await;
    let (user, enrolled) =
        accounts::set_password(&state, &token, &password, &confirm, address).await?;
    sign_in::after_password(&state, &user, enrolled, "password_link", None).await
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
