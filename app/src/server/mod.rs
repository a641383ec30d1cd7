//! Everything that touches the database, sessions or mail. Compiled only with `ssr`; server
//! functions in `api` call into the services here.

pub mod accounts;
pub mod auth;
pub mod config;
pub mod db;
pub mod entities;
pub mod mail;
pub mod notifications;
pub mod observations;
pub mod outbox;
pub mod reference;
pub mod seed;
pub mod session_store;
pub mod statistics;
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
    pub throttle: Arc<auth::LoginThrottle>,
    /// The public transparency figures, computed at most every few minutes per language.
    pub public_figures: statistics::public::Cache,
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

/// Hex of `bytes` random bytes from the operating system's generator.
pub fn random_token(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    // The thread generator is a CSPRNG seeded from the operating system.
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
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
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        AppError::InvalidToken | AppError::Validation(_) | AppError::Request(_) => {
            StatusCode::BAD_REQUEST
        }
        AppError::Unexpected { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
