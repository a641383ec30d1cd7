//! Everything that touches the database, sessions or mail. Compiled only with `ssr`; server
//! functions in `api` call into the services here.

pub mod accounts;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod entities;
pub mod http;
pub mod mail;
pub mod notifications;
pub mod observations;
pub mod organisations;
pub mod outbox;
pub mod queue;
pub mod reference;
pub mod second_factor;
pub mod sensitive;
pub mod session_store;
pub mod sign_in;
pub mod statistics;
pub mod tips;

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
    /// Tips the rate limit held back, waiting to be shown again once in the form (memory only).
    pub tip_drafts: tips::DraftFlash,
}

/// The application state, from the server-function or rendering context.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| unexpected("application state missing from context"))
}

/// An unexpected failure described by `cause`: the user sees only a short reference; the cause
/// is logged with it where the response is made. An error with a source of its own keeps its
/// chain better through `anyhow::Context` (`.context("what was being done")?`).
pub fn unexpected(cause: impl std::fmt::Display) -> AppError {
    AppError::unexpected(anyhow::anyhow!("{cause}"))
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

/// A database error met with `?`: unexpected, with the place of the `?` as its context when
/// the caller gave none.
/// A database that waited its limit for a lock: SQLite busy or locked (codes 5, 6),
/// PostgreSQL's lock not available or too many connections (55P03, 53300).
fn is_locked(error: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx))) =
        error
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(database) = sqlx.as_ref() else {
        return false;
    };
    matches!(
        database.code().as_deref(),
        Some("5" | "6" | "55P03" | "53300")
    )
}

impl From<sea_orm::DbErr> for AppError {
    #[track_caller]
    fn from(error: sea_orm::DbErr) -> Self {
        // Every connection busy for longer than the pool waits: the server is overloaded,
        // which the caller is told in words (503), not as a failure.
        if matches!(
            error,
            sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)
        ) || is_locked(&error)
        {
            tracing::warn!(%error, "the database is saturated: answered busy");
            return AppError::Busy;
        }
        let at = std::panic::Location::caller();
        AppError::unexpected(anyhow::Error::new(error).context(format!("database, at {at}")))
    }
}
