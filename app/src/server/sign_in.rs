//! Completing a sign-in on the server: the second step or the session, the device cookie, the
//! audit entry; and signing out of the browser's storage. The server functions that take the
//! password or the code are in `api::session` and `api::second_factor`.

use leptos::prelude::use_context;
use tower_sessions::Session;

use super::AppState;
use super::audit::{self, NewEntry};
use super::auth::{self, CurrentUser, SecondStep};
use crate::error::AppError;

/// The password was right: on to the second step when the account has or needs one (the
/// code step or the enrolment, carrying `next` on), else signed in and sent to `next` or the
/// role's page.
pub async fn after_password(
    state: &AppState,
    user: &CurrentUser,
    enrolled: bool,
    method: &str,
    next: Option<&str>,
) -> Result<(), AppError> {
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
pub fn signed_in_path<'a>(user: &CurrentUser, next: Option<&'a str>) -> &'a str {
    next.and_then(auth::local_next)
        .unwrap_or(user.role.landing_path())
}

/// Every step passed: the session is signed in, the device remembered, the sign-in audited.
pub async fn finish_sign_in(
    state: &AppState,
    session: &Session,
    user: &CurrentUser,
    method: &str,
) -> Result<(), AppError> {
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

/// Asks the browser to forget what the site stored in it. The session cookie goes with the
/// session; the device cookie stays (it names no account), so that a sign-in flood against the
/// account cannot lock its owner out of this device. Not the cache: pages are never stored, so
/// it holds only the public bundle, which a slow link would download again.
pub fn clear_site_data() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::HeaderName::from_static("clear-site-data"),
            axum::http::HeaderValue::from_static("\"storage\""),
        );
    }
}

/// Sets the cookie `name` on the response for the whole site, for `max_age_seconds` (0 removes
/// it): same-site only, out of scripts' reach, and `Secure` when the settings ask for it.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_seconds: u64) {
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
