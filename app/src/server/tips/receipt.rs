//! A tip's receipt: made once and shown once, kept only as a slow hash, and the tip it opens.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::SaltString;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::tip as rules;
use crate::error::AppError;
use crate::server::auth::{self, HashGate, TIP_KEY};
use crate::server::entities::tip;
use crate::server::{sha256_hex, unexpected};

/// A fresh receipt: 100 bits from the operating system's generator.
pub fn new_receipt() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let values: [u8; rules::RECEIPT_CHARS] = std::array::from_fn(|_| rng.random_range(0..32));
    rules::format_receipt(&values)
}

/// Argon2id of the canonical receipt, salted with a key of this installation: slow to test
/// guesses against a stolen database, and the same for the same receipt, so it can be looked up.
/// Runs within the process's hashing cap (`Busy` beyond it).
pub async fn receipt_hash(
    hashing: &HashGate,
    db: &impl ConnectionTrait,
    receipt: &str,
) -> Result<String, AppError> {
    let key = crate::server::server_key(db, "tip_receipts").await?;
    let receipt = receipt.to_string();
    hashing
        .run(move || {
            let salt = SaltString::encode_b64(&key[..16]).map_err(unexpected)?;
            crate::server::auth::argon2id_phc(receipt.as_bytes(), &salt)
        })
        .await?
}

/// Receipts waiting to be shown once, after the form that created them redirected: kept in
/// memory only, under the SHA-256 of a random token the browser holds in a cookie.
#[derive(Clone, Default)]
pub struct ReceiptFlash(Arc<Mutex<HashMap<String, (String, Instant)>>>);

const FLASH_LIFETIME: Duration = Duration::from_secs(600);

impl ReceiptFlash {
    pub fn put(&self, receipt: String) -> String {
        let token = crate::server::random_token(16);
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (_, since)| since.elapsed() < FLASH_LIFETIME);
            map.insert(sha256_hex(&token), (receipt, Instant::now()));
        }
        token
    }

    pub fn take(&self, token: &str) -> Option<String> {
        let mut map = self.0.lock().ok()?;
        map.retain(|_, (_, since)| since.elapsed() < FLASH_LIFETIME);
        let (receipt, since) = map.remove(&sha256_hex(token))?;
        (since.elapsed() < FLASH_LIFETIME).then_some(receipt)
    }
}

/// The tip a receipt opens, if any.
#[tracing::instrument(skip_all)]
pub async fn open(
    db: &DatabaseConnection,
    hashing: &HashGate,
    typed: &str,
) -> Result<Uuid, AppError> {
    let refused = || AppError::field("receipt", "error-receipt-invalid");
    let receipt = rules::normalise_receipt(typed).ok_or_else(refused)?;
    let hash = receipt_hash(hashing, db, &receipt).await?;
    let row = tip::Entity::find()
        .filter(tip::Column::ReceiptHash.eq(hash))
        .one(db)
        .await?
        .ok_or_else(refused)?;
    Ok(row.id)
}

/// This session and the tip a receipt opened in it (see `auth::open_tip_session`);
/// `Unauthenticated` when it holds none.
pub async fn session_tip() -> Result<(tower_sessions::Session, Uuid), AppError> {
    let session = auth::session().await?;
    let id: Option<String> = session.get(TIP_KEY).await.map_err(unexpected)?;
    let id = id
        .and_then(|id| Uuid::parse_str(&id).ok())
        .ok_or(AppError::Unauthenticated)?;
    Ok((session, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_thousand_receipts_are_distinct_and_canonical() {
        let receipts: std::collections::HashSet<String> =
            (0..10_000).map(|_| new_receipt()).collect();
        assert_eq!(receipts.len(), 10_000);
        for receipt in receipts.iter().take(100) {
            assert_eq!(
                rules::normalise_receipt(receipt).as_deref(),
                Some(receipt.as_str())
            );
        }
    }

    #[test]
    fn a_receipt_is_shown_once() {
        let flash = ReceiptFlash::default();
        let token = flash.put("7K3M-Q9XD-0000-0000-0000".into());
        assert_eq!(flash.take("another token"), None);
        assert_eq!(
            flash.take(&token).as_deref(),
            Some("7K3M-Q9XD-0000-0000-0000")
        );
        assert_eq!(flash.take(&token), None);
    }
}
