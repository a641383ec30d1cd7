//! One-click unsubscribe links (RFC 8058): `<user id>.<HMAC-SHA256 of it>` under a key the
//! server generates once and keeps in the database, so every instance verifies the same links
//! and nobody can forge one without the key.

use hmac::{Hmac, Mac};
use sea_orm::ConnectionTrait;
use sha2::Sha256;
use uuid::Uuid;

use crate::error::AppError;
use crate::server::unexpected;

const KEY_NAME: &str = "unsubscribe";

pub async fn key(db: &impl ConnectionTrait) -> Result<Vec<u8>, AppError> {
    crate::server::server_key(db, KEY_NAME).await
}

fn signature(key: &[u8], user_id: Uuid) -> Result<Hmac<Sha256>, AppError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(unexpected)?;
    mac.update(b"unsubscribe:");
    mac.update(user_id.as_bytes());
    Ok(mac)
}

pub async fn token(db: &impl ConnectionTrait, user_id: Uuid) -> Result<String, AppError> {
    token_with(&key(db).await?, user_id)
}

/// The token under an already loaded key (the worker loads it once per batch).
pub fn token_with(key: &[u8], user_id: Uuid) -> Result<String, AppError> {
    let mac = signature(key, user_id)?;
    Ok(format!(
        "{}.{}",
        user_id.simple(),
        hex::encode(mac.finalize().into_bytes())
    ))
}

/// The user a token was made for, if it is genuine (compared in constant time).
pub async fn verify(db: &impl ConnectionTrait, token: &str) -> Result<Option<Uuid>, AppError> {
    let Some((id, tag)) = token.trim().split_once('.') else {
        return Ok(None);
    };
    let (Ok(user_id), Ok(tag)) = (Uuid::parse_str(id), hex::decode(tag)) else {
        return Ok(None);
    };
    let mac = signature(&key(db).await?, user_id)?;
    Ok(mac.verify_slice(&tag).is_ok().then_some(user_id))
}
