//! Notification preferences (every signed-in user) and the failed-mail list (admins).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::domain::notification::Preference;
use crate::error::AppError;
use crate::model::notification::MailProblem;

#[server(prefix = "/api", endpoint = "get_notification_preference")]
pub async fn get_notification_preference() -> Result<Preference, AppError> {
    let (state, user) = crate::server::auth::require(&Role::ALL).await?;
    crate::server::notifications::preference(&state.db, user.id).await
}

#[server(prefix = "/api", endpoint = "set_notification_preference")]
pub async fn set_notification_preference(preference: String) -> Result<(), AppError> {
    let (state, user) = crate::server::auth::require(&Role::ALL).await?;
    crate::server::notifications::set_preference(&state.db, user.id, &preference).await?;
    // Without JavaScript the page is loaded again: the address carries the confirmation.
    leptos_axum::redirect("/preferences?notice=preferences_saved");
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_mail_problems")]
pub async fn list_mail_problems() -> Result<Vec<MailProblem>, AppError> {
    let (state, _) = crate::server::auth::require(&[Role::Admin]).await?;
    crate::server::notifications::problems(&state.db).await
}

#[server(prefix = "/api", endpoint = "resend_mail")]
pub async fn resend_mail(id: String) -> Result<(), AppError> {
    let (state, _) = crate::server::auth::require(&[Role::Admin]).await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    crate::server::outbox::worker::resend(&state.db, id).await
}
