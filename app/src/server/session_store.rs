//! tower-sessions storage in our own database (SQLite or PostgreSQL) through sea-orm.
//! The session id is stored only as its SHA-256, so a copy of the database holds no live
//! session; the signed-in user is kept in its own column so that disabling a user can revoke
//! every one of their sessions at once.

use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::entities::session;
use super::sha256_hex;

/// The session key under which the signed-in user's id is kept.
pub const USER_ID_KEY: &str = "user_id";

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn to_chrono(t: time::OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_default()
}

fn key(id: &Id) -> String {
    sha256_hex(&id.to_string())
}

/// The signed-in user (kept in its own column), the data and the expiry of a session.
fn columns(
    record: &Record,
) -> session_store::Result<(Option<uuid::Uuid>, String, chrono::DateTime<chrono::Utc>)> {
    // A session waiting for its second step counts as its user's too: revoking the user's
    // sessions (new password, reset second factor, disabled) must end it.
    let user_id = record
        .data
        .get(USER_ID_KEY)
        .or_else(|| record.data.get(super::auth::PENDING_USER_KEY))
        .and_then(|v| v.as_str())
        .and_then(|s| uuid::Uuid::parse_str(s).ok());
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    Ok((user_id, data, to_chrono(record.expiry_date)))
}

fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
    let (user_id, data, expires_at) = columns(record)?;
    Ok(session::ActiveModel {
        id: Set(key(&record.id)),
        user_id: Set(user_id),
        data: Set(data),
        expires_at: Set(expires_at),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts a new session, drawing a new id in the (astronomically unlikely) case of a clash.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let row = row(record)?;
            match session::Entity::insert(row)
                .exec_without_returning(&self.db)
                .await
            {
                Ok(_) => return Ok(()),
                Err(err)
                    if matches!(
                        err.sql_err(),
                        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                    ) =>
                {
                    record.id = Id::default();
                }
                Err(err) => return Err(backend(err)),
            }
        }
    }

    /// Updates an existing session only: a session deleted meanwhile (sign-out, revocation)
    /// must not be written back by a request that was still in flight.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (user_id, data, expires_at) = columns(record)?;
        session::Entity::update_many()
            .col_expr(
                session::Column::UserId,
                sea_orm::sea_query::Expr::value(user_id),
            )
            .col_expr(session::Column::Data, sea_orm::sea_query::Expr::value(data))
            .col_expr(
                session::Column::ExpiresAt,
                sea_orm::sea_query::Expr::value(expires_at),
            )
            .filter(session::Column::Id.eq(key(&record.id)))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = session::Entity::find_by_id(key(id))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        if row.expires_at <= chrono::Utc::now() {
            // Gone idle: forget it now rather than at the next sweep.
            self.delete(id).await?;
            return Ok(None);
        }
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(chrono::Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Ends every session of `user_id` (logout everywhere, disabled account, new password).
pub async fn revoke_user_sessions(
    db: &DatabaseConnection,
    user_id: uuid::Uuid,
) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
