//! The second factor: TOTP (RFC 6238, 6 digits, 30 s, SHA-1 as authenticator apps expect)
//! with one-time recovery codes. Enrolment, checking a code (each time step is accepted once),
//! and the admin's reset. Sessions that passed only the password live in `auth`.

use chrono::Utc;
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use sha2::Sha256;
use totp_rs::{Builder, Secret, Totp};
use uuid::Uuid;

use super::AppState;
use super::audit::{self, NewEntry};
use super::auth::{self, CurrentUser, SecondStep};
use super::entities::{recovery_code, user};
use super::session_store::revoke_user_sessions;
use super::{sha256_hex, unexpected};
use crate::error::AppError;

const ISSUER: &str = "Veille";
pub const RECOVERY_CODES: usize = 10;

/// How the second step was passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Totp,
    RecoveryCode,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Totp => "totp",
            Method::RecoveryCode => "recovery_code",
        }
    }
}

/// A fresh 160-bit secret, in base32 as authenticator apps take it.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    Secret::from(bytes.as_slice()).to_base32()
}

fn totp(secret: &str, account: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret).map_err(unexpected)?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(unexpected)
}

fn now_seconds() -> u64 {
    Utc::now().timestamp().max(0) as u64
}

/// The `otpauth://` address as a QR code, drawn on the server as SVG (no outside service).
pub fn qr_svg(secret: &str, account: &str) -> Result<String, AppError> {
    let url = totp(secret, account)?.to_url().map_err(unexpected)?;
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(unexpected)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The recovery codes of a secret: derived from it (HMAC), so enrolment needs to remember
/// only the secret until the first code confirms it; ten groups of 5+5 base32 characters
/// (50 bits each), easy to write down.
pub fn recovery_codes(secret: &str) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|i| {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(format!("veille-recovery-{i}").as_bytes());
            let bytes = mac.finalize().into_bytes();
            let chars: String = bytes
                .iter()
                .take(10)
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

fn normalise_recovery(code: &str) -> String {
    let chars: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if chars.len() == 10 {
        format!("{}-{}", &chars[..5], &chars[5..])
    } else {
        chars
    }
}

fn digits(code: &str) -> Option<String> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == 6 && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
}

/// Records `step` as used if it is later than the last accepted one: the same code (or an
/// older one) is refused afterwards, even by a concurrent request.
async fn claim_step(db: &impl ConnectionTrait, user_id: Uuid, step: u64) -> Result<bool, AppError> {
    let step = step as i64;
    let claimed = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Checks a second-step code for an enrolled account: a current TOTP code not used before,
/// or an unused recovery code (then spent).
#[tracing::instrument(skip_all, fields(account = %account.id))]
pub async fn check(
    db: &DatabaseConnection,
    account: &user::Model,
    code: &str,
) -> Result<Method, AppError> {
    // Reset meanwhile by an admin: this sign-in is over.
    let secret = account
        .totp_secret
        .as_deref()
        .ok_or(AppError::Unauthenticated)?;
    if let Some(code) = digits(code) {
        let step = totp(secret, &account.email)?.check(&code, now_seconds());
        return match step {
            Some(step) if claim_step(db, account.id, step).await? => Ok(Method::Totp),
            _ => Err(AppError::field("code", "error-code-invalid")),
        };
    }
    let hash = sha256_hex(&normalise_recovery(code));
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::UserId.eq(account.id))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected == 1 {
        Ok(Method::RecoveryCode)
    } else {
        Err(AppError::field("code", "error-code-invalid"))
    }
}

/// The account whose second factor is being set up, and whether its session waits for it to
/// finish signing in: the signed-in user (`false`), or a session that passed only the password
/// of an account that must enrol first (`true`). Any other caller is `Unauthenticated`.
pub async fn enrolling_account(
    state: &AppState,
    session: &tower_sessions::Session,
) -> Result<(user::Model, bool), AppError> {
    if let Some(current) = auth::request_context().await?.user {
        let row = user::Entity::find_by_id(current.id)
            .one(&state.db)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        return Ok((row, false));
    }
    match auth::pending_second_step(state, session).await? {
        Some((row, SecondStep::Enrol)) => Ok((row, true)),
        _ => Err(AppError::Unauthenticated),
    }
}

/// Enrols `secret` for the account once `code` shows the user's app holds it; replaces any
/// earlier recovery codes.
#[tracing::instrument(skip_all, fields(account = %account.id))]
pub async fn enrol(
    db: &DatabaseConnection,
    account: &user::Model,
    secret: &str,
    code: &str,
) -> Result<(), AppError> {
    let step = digits(code)
        .and_then(|code| {
            totp(secret, &account.email)
                .ok()?
                .check(&code, now_seconds())
        })
        .ok_or_else(|| AppError::field("code", "error-code-invalid"))?;
    let txn = crate::server::db::begin_write(db).await?;
    // Only where none is enrolled: of two enrolments at once, the second is refused.
    let enrolled = user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(secret))
        .col_expr(user::Column::TotpLastStep, Expr::value(step as i64))
        .col_expr(user::Column::TotpEnabledAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(account.id))
        .filter(user::Column::TotpSecret.is_null())
        .exec(&txn)
        .await?;
    if enrolled.rows_affected != 1 {
        return Err(AppError::field("code", "error-second-factor-enrolled"));
    }
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(account.id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::insert_many(recovery_codes(secret).iter().map(|code| {
        recovery_code::ActiveModel {
            id: Set(Uuid::new_v4()),
            user_id: Set(account.id),
            code_hash: Set(sha256_hex(code)),
            used_at: Set(None),
        }
    }))
    .exec(&txn)
    .await?;
    audit::append(
        &txn,
        NewEntry {
            actor_id: Some(account.id),
            actor_role: &account.role,
            action: "second_factor_enrolled",
            target_kind: "user",
            target_id: account.id.to_string(),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An admin clears a user's second factor (a lost phone): every session of the user ends, and
/// the next sign-in asks for a new enrolment.
#[tracing::instrument(skip_all, fields(admin = %admin.id, user = %user_id))]
pub async fn reset(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    user_id: Uuid,
) -> Result<(), AppError> {
    let txn = crate::server::db::begin_write(db).await?;
    let found = user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    if found.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    audit::append(
        &txn,
        NewEntry::by(Some(admin), "second_factor_reset", "user", user_id),
    )
    .await?;
    txn.commit().await?;
    revoke_user_sessions(db, user_id).await?;
    Ok(())
}
