//! Everything that touches the database, sessions or mail. Compiled only with `ssr`; server
//! functions in `api` call into the services here.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod entities;
pub mod mail;
pub mod notifications;
pub mod observations;
pub mod outbox;
pub mod reference;
pub mod second_factor;
pub mod seed;
pub mod session_store;
pub mod statistics;
pub mod tip_routes;
pub mod tips;
pub mod volume;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::error::AppError;

pub use config::Settings;

/// Shared by every request: provided to server functions through Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub mailer: mail::Mailer,
    pub throttle: Arc<auth::Throttle>,
    /// The public transparency figures, computed at most every few minutes per language.
    pub public_figures: statistics::public::Cache,
    /// Tip receipts waiting to be shown once (memory only).
    pub receipts: tips::ReceiptFlash,
}

/// The application state, from the server-function or rendering context.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| unexpected("application state missing from context"))
}

/// Logs an unexpected failure in full and returns the short reference the user sees.
pub fn unexpected(cause: impl std::fmt::Display) -> AppError {
    let reference = random_token(5);
    tracing::error!(reference = %reference, error = %cause, "unexpected error");
    AppError::Unexpected { reference }
}

/// Runs `work` to its end even if the request that started it is dropped (the browser went
/// away): work that commits a record and then keeps the files it names on disk must not stop
/// between the two.
pub async fn run_to_end<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T, AppError>> + Send + 'static,
) -> Result<T, AppError> {
    tokio::spawn(work)
        .await
        .unwrap_or_else(|error| Err(unexpected(error)))
}

/// Hex of `bytes` random bytes from the operating system's generator.
pub fn random_token(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    // The thread generator is a CSPRNG seeded from the operating system.
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// A random key the server generates on first use and keeps in the database (named `name`),
/// so that every instance shares it.
pub async fn server_key(
    db: &impl sea_orm::ConnectionTrait,
    name: &str,
) -> Result<Vec<u8>, AppError> {
    use entities::server_secret;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    if let Some(row) = server_secret::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
    {
        return hex::decode(row.value).map_err(unexpected);
    }
    // First use: of two instances racing here, the first insert wins and both read it back.
    server_secret::Entity::insert(server_secret::ActiveModel {
        name: Set(name.to_string()),
        value: Set(random_token(32)),
    })
    .on_conflict_do_nothing_on([server_secret::Column::Name])
    .exec(db)
    .await?;
    let row = server_secret::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
        .ok_or_else(|| unexpected(format!("server key {name} missing")))?;
    hex::decode(row.value).map_err(unexpected)
}

pub fn sha256_hex(value: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(value.as_bytes()))
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        unexpected(err)
    }
}

/// The HTTP status a server function's error answers with (JavaScript clients and curl see it;
/// JavaScript-less form posts are redirected back to their page instead).
pub fn http_status(error: &AppError) -> axum::http::StatusCode {
    use axum::http::StatusCode;
    match error {
        AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::AwaitingApproval => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::TooManyAttempts | AppError::QuotaReached => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        AppError::InvalidToken | AppError::Validation(_) | AppError::Request(_) => {
            StatusCode::BAD_REQUEST
        }
        AppError::Unexpected { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
