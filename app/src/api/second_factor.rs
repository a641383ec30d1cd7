//! The second step of signing in, enrolling an authenticator app, and the admin's reset.
//! `second_factor_setup`, `confirm_second_factor` and `verify_second_factor` serve sessions
//! that passed only the password; nothing else does.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::account::SecondFactorState;

#[server(prefix = "/api", endpoint = "second_factor_setup")]
pub async fn second_factor_setup() -> Result<SecondFactorState, AppError> {
    use crate::domain::Role;
    use crate::server::{auth, second_factor, unexpected};
    let state = crate::server::state()?;
    let session = auth::session().await?;
    let (account, _) = second_factor::enrolling_account(&state, &session).await?;
    if let Some(since) = account
        .totp_enabled_at
        .filter(|_| account.totp_secret.is_some())
    {
        return Ok(SecondFactorState::Enrolled {
            since: since.format("%Y-%m-%d").to_string(),
        });
    }
    let secret = match session
        .get::<String>(auth::ENROL_SECRET_KEY)
        .await
        .map_err(unexpected)?
    {
        Some(secret) => secret,
        None => {
            let secret = second_factor::new_secret();
            session
                .insert(auth::ENROL_SECRET_KEY, &secret)
                .await
                .map_err(unexpected)?;
            secret
        }
    };
    let mandatory = Role::parse(&account.role).is_some_and(Role::requires_second_factor);
    Ok(SecondFactorState::Pending {
        qr_svg: second_factor::qr_svg(&secret, &account.email)?,
        recovery_codes: second_factor::recovery_codes(&secret),
        secret,
        mandatory,
    })
}

/// The first code from the app confirms the enrolment; a session that was waiting for it is
/// then signed in and sent to `next` (carried from the password step, followed as after a
/// code) or the role's page.
#[server(prefix = "/api", endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::auth::{self, CurrentUser};
    use crate::server::{second_factor, sign_in, unexpected};
    let state = crate::server::state()?;
    let session = auth::session().await?;
    let (account, pending) = second_factor::enrolling_account(&state, &session).await?;
    if account.totp_secret.is_some() {
        return Err(AppError::field("code", "error-second-factor-enrolled"));
    }
    state.throttle.check_second_factor(account.id)?;
    let secret: String = session
        .get(auth::ENROL_SECRET_KEY)
        .await
        .map_err(unexpected)?
        .ok_or_else(|| AppError::field("code", "error-code-expired"))?;
    second_factor::enrol(&state.db, &account, &secret, &code).await?;
    // Only wrong codes use up the allowance.
    state.throttle.second_factor_passed(account.id);
    session
        .remove_value(auth::ENROL_SECRET_KEY)
        .await
        .map_err(unexpected)?;
    let user = CurrentUser::from_row(&account).ok_or(AppError::Unauthenticated)?;
    if pending {
        sign_in::finish_sign_in(&state, &session, &user, "password+totp").await?;
        leptos_axum::redirect(sign_in::signed_in_path(&user, next.as_deref()));
    } else {
        leptos_axum::redirect("/security");
    }
    Ok(())
}

/// The second step of signing in: a code from the app, or a recovery code. `next` (carried
/// from the password step) is followed as after a password alone.
#[server(prefix = "/api", endpoint = "verify_second_factor")]
pub async fn verify_second_factor(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::audit::{self, NewEntry};
    use crate::server::auth::{self, CurrentUser, SecondStep};
    use crate::server::{second_factor, sign_in};
    let state = crate::server::state()?;
    let session = auth::session().await?;
    let Some((account, SecondStep::Code)) = auth::pending_second_step(&state, &session).await?
    else {
        return Err(AppError::Unauthenticated);
    };
    state.throttle.check_second_factor(account.id)?;
    let user = CurrentUser::from_row(&account).ok_or(AppError::Unauthenticated)?;
    match second_factor::check(&state.db, &account, &code).await {
        Ok(method) => {
            // Only wrong codes use up the allowance.
            state.throttle.second_factor_passed(account.id);
            let method = format!("password+{}", method.as_str());
            sign_in::finish_sign_in(&state, &session, &user, &method).await?;
            leptos_axum::redirect(sign_in::signed_in_path(&user, next.as_deref()));
            Ok(())
        }
        Err(error) => {
            audit::append(
                &state.db,
                NewEntry::by(Some(&user), "login_failed", "user", user.id).detail("second_factor"),
            )
            .await?;
            Err(error)
        }
    }
}

/// An admin clears a user's second factor (lost phone); audited, and the user's sessions end.
#[server(prefix = "/api", endpoint = "reset_second_factor")]
pub async fn reset_second_factor(user_id: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::{auth, second_factor};
    let (state, admin) = auth::require(&[Role::Admin]).await?;
    let user_id = uuid::Uuid::parse_str(user_id.trim()).map_err(|_| AppError::NotFound)?;
    second_factor::reset(&state.db, &admin, user_id).await
}
