//! Sends the outbox. Each row is claimed before it is sent (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so two instances never take the same row; SQLite has one writer), with a claim
//! that expires: a worker killed mid-batch leaves rows that another pass takes again. Each mail
//! carries a Message-ID derived from its row, so a resend after a crash is recognisably the
//! same message. Temporary failures are retried with exponential backoff; permanent ones, and
//! rows past the attempt limit, are marked dead for admins to see and resend.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use futures_util::{StreamExt, stream};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Statement,
};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::templates::{self, Links};
use super::{DEAD, DIGEST, DIGESTED, PENDING, SENDING, SENT, unsubscribe};
use crate::domain::Role;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::entities::{notification, referral, user};
use crate::server::mail::SendError;

/// How many rows a pass claims for each mail it may have in flight: enough to keep every
/// connection busy, few enough that a worker that dies strands little (until its claim expires).
pub const BATCH_PER_SENDER: usize = 4;

/// The database reads and writes of one drain that may run at once (the rest wait their turn).
const DATABASE_TURNS: usize = 2;

/// `<row id>@<portal host>`: the same for every attempt at one row.
pub fn message_id(row: Uuid, public_url: &str) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("veille.invalid");
    format!("<{}@{host}>", row.simple())
}

/// Claims up to `limit` rows that are due (or whose claim expired).
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    claim_seconds: i64,
    limit: usize,
) -> Result<Vec<notification::Model>, AppError> {
    let until = now + chrono::Duration::seconds(claim_seconds);
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE notifications SET state = 'sending', claimed_until = $1 \
             WHERE id IN (SELECT id FROM notifications \
               WHERE (state = 'pending' AND next_attempt_at <= $2) \
                  OR (state = 'sending' AND claimed_until < $2) \
               ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        _ => {
            "UPDATE notifications SET state = 'sending', claimed_until = $1 \
             WHERE id IN (SELECT id FROM notifications \
               WHERE (state = 'pending' AND next_attempt_at <= $2) \
                  OR (state = 'sending' AND claimed_until < $2) \
               ORDER BY next_attempt_at LIMIT $3) \
             RETURNING *"
        }
    };
    let statement = Statement::from_sql_and_values(
        backend,
        sql,
        [until.into(), now.into(), (limit as i64).into()],
    );
    Ok(notification::Entity::find()
        .from_raw_sql(statement)
        .all(db)
        .await?)
}

/// One pass: claims a batch and sends it, `MAIL_CONCURRENCY` mails at a time, each row marked
/// as soon as its own mail is answered. Returns how many rows it handled.
pub async fn drain_once(state: &AppState) -> Result<usize, AppError> {
    let senders = state.settings.mail_concurrency.max(1);
    let batch = claim(
        &state.db,
        Utc::now(),
        state.settings.mail_claim_seconds,
        senders * BATCH_PER_SENDER,
    )
    .await?;
    let handled = batch.len();
    if batch.is_empty() {
        return Ok(0);
    }
    // Loaded once per batch: the signing key and the recipients.
    let key = unsubscribe::key(&state.db).await?;
    let recipients: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(batch.iter().map(|r| r.recipient_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    // Several at once: a crash leaves at most `senders` mails in flight (sent, not yet marked),
    // which go again, with the same Message-ID, once the claim expires. What needs many at once
    // is the wait on SMTP; their database reads and writes take turns by [`DATABASE_TURNS`],
    // so that a drain never holds the pool the pages are served from.
    let turns = Semaphore::new(DATABASE_TURNS);
    let failures: Vec<AppError> = stream::iter(batch)
        .map(|row| {
            let recipient = recipients.get(&row.recipient_id);
            deliver(state, row, recipient, &key, &turns)
        })
        .buffer_unordered(senders)
        .filter_map(|done| async move { done.err() })
        .collect()
        .await;
    match failures.into_iter().next() {
        Some(error) => Err(error),
        None => Ok(handled),
    }
}

fn backoff(settings: &crate::server::Settings, attempts: i32) -> chrono::Duration {
    let factor = 2u64.saturating_pow(attempts.saturating_sub(1).max(0) as u32);
    let seconds = settings.mail_retry_seconds.saturating_mul(factor).min(3600);
    chrono::Duration::seconds(seconds as i64)
}

async fn deliver(
    state: &AppState,
    row: notification::Model,
    recipient: Option<&user::Model>,
    key: &[u8],
    turns: &Semaphore,
) -> Result<(), AppError> {
    let db = &state.db;
    let attempts = row.attempts + 1;
    let turn = turns
        .acquire()
        .await
        .map_err(|e| AppError::unexpected(e.into()))?;
    let Some(recipient) = recipient.filter(|u| u.active) else {
        return finish(
            db,
            row.id,
            DEAD,
            attempts,
            None,
            Some("recipient inactive".into()),
        )
        .await;
    };
    let base = state.settings.public_url.trim_end_matches('/');
    let token = unsubscribe::token_with(key, recipient.id)?;
    let case = case_path(db, &row, recipient).await?;
    drop(turn);
    let links = Links {
        case: format!("{base}{case}"),
        preferences: format!("{base}/preferences"),
        unsubscribe: format!("{base}/unsubscribe?token={token}"),
    };
    let email = templates::render(&row, &recipient.email, &recipient.display_name, &links);
    let id = message_id(row.id, &state.settings.public_url);
    let sent = state
        .mailer
        .send_tracked(
            &state.settings.mail_from,
            email,
            &id,
            &links.unsubscribe,
            row.created_at.into(),
        )
        .await;
    let _turn = turns
        .acquire()
        .await
        .map_err(|e| AppError::unexpected(e.into()))?;
    match sent {
        Ok(()) => finish(db, row.id, SENT, attempts, None, None).await,
        Err(SendError::Permanent(error)) => {
            tracing::warn!(notification = %row.id, %error, "mail refused for good");
            finish(db, row.id, DEAD, attempts, None, Some(error)).await
        }
        Err(SendError::Temporary(error)) => {
            if attempts >= state.settings.mail_max_attempts {
                tracing::warn!(notification = %row.id, %error, "mail given up after {attempts} attempts");
                finish(db, row.id, DEAD, attempts, None, Some(error)).await
            } else {
                let next = Utc::now() + backoff(&state.settings, attempts);
                finish(db, row.id, PENDING, attempts, Some(next), Some(error)).await
            }
        }
    }
}

/// The page a mail leads to, by id only: an institution's liaison gets its referral, the
/// organisation and the NHRC the observation, the NHRC a tip's page for a tip's mail; a mail
/// about no single case (the digest) leads to the recipient's own page. Signed out, the page
/// sends the reader through sign-in and back to it.
async fn case_path(
    db: &DatabaseConnection,
    row: &notification::Model,
    recipient: &user::Model,
) -> Result<String, AppError> {
    let role = Role::parse(&recipient.role);
    if let Some(tip) = row.tip_id {
        return Ok(format!("/tips/{tip}"));
    }
    let Some(observation) = row.observation_id else {
        return Ok(role.map_or("/", Role::landing_path).to_string());
    };
    if role != Some(Role::Liaison) {
        return Ok(format!("/observations/{observation}"));
    }
    let referral = match recipient.institution_id {
        Some(institution) => {
            referral::Entity::find()
                .filter(referral::Column::ObservationId.eq(observation))
                .filter(referral::Column::InstitutionId.eq(institution))
                .one(db)
                .await?
        }
        None => None,
    };
    Ok(match referral {
        Some(referral) => format!("/referrals/{}", referral.id),
        None => Role::Liaison.landing_path().to_string(),
    })
}

async fn finish(
    db: &DatabaseConnection,
    id: Uuid,
    state: &str,
    attempts: i32,
    next_attempt_at: Option<DateTime<Utc>>,
    error: Option<String>,
) -> Result<(), AppError> {
    let now = Utc::now();
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::State, Expr::value(state))
        .col_expr(notification::Column::Attempts, Expr::value(attempts))
        .col_expr(
            notification::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(notification::Column::LastError, Expr::value(error))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::State.eq(SENDING));
    if state == SENT {
        update = update.col_expr(notification::Column::SentAt, Expr::value(Some(now)));
    }
    if let Some(next) = next_attempt_at {
        update = update.col_expr(notification::Column::NextAttemptAt, Expr::value(next));
    }
    update.exec(db).await?;
    Ok(())
}

/// Turns each user's waiting digest rows into one summary mail, once a day at the digest hour
/// (rows that arrived after today's hour wait for tomorrow's). Returns how many digests.
pub async fn queue_digests(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    hour: u32,
) -> Result<usize, AppError> {
    let Some(today_at) = now
        .date_naive()
        .and_hms_opt(hour, 0, 0)
        .map(|t| t.and_utc())
    else {
        return Ok(0);
    };
    if now < today_at || now.hour() < hour {
        return Ok(0);
    }
    let waiting = notification::Entity::find()
        .filter(notification::Column::State.eq(DIGEST))
        .filter(notification::Column::CreatedAt.lt(today_at))
        .order_by_asc(notification::Column::CreatedAt)
        .all(db)
        .await?;
    let mut recipients: Vec<Uuid> = waiting.iter().map(|r| r.recipient_id).collect();
    recipients.dedup();
    recipients.sort();
    recipients.dedup();
    for recipient in &recipients {
        let rows: Vec<&notification::Model> = waiting
            .iter()
            .filter(|r| r.recipient_id == *recipient)
            .collect();
        let summary = templates::digest_summary(&rows);
        let txn = crate::server::db::begin_write(db).await?;
        let taken = notification::Entity::update_many()
            .col_expr(notification::Column::State, Expr::value(DIGESTED))
            .filter(notification::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .filter(notification::Column::State.eq(DIGEST))
            .exec(&txn)
            .await?;
        if taken.rows_affected == 0 {
            continue;
        }
        notification::ActiveModel {
            id: Set(Uuid::new_v4()),
            recipient_id: Set(*recipient),
            template: Set(templates::DIGEST.into()),
            locale: Set(rows[0].locale.clone()),
            observation_id: Set(None),
            tip_id: Set(None),
            reference: Set(summary),
            status: Set(None),
            institution: Set(None),
            state: Set(PENDING.into()),
            attempts: Set(0),
            // Due at once (`now` is the digest clock, which tests move forward).
            next_attempt_at: Set(Utc::now()),
            claimed_until: Set(None),
            sent_at: Set(None),
            last_error: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
    }
    Ok(recipients.len())
}

/// Runs for as long as the server runs: drains what is due, then waits `every`.
pub async fn run(state: AppState, every: Duration) {
    loop {
        if let Err(error) = queue_digests(&state.db, Utc::now(), state.settings.digest_hour).await {
            tracing::warn!(%error, "digest pass failed");
        }
        loop {
            match drain_once(&state).await {
                Ok(0) => break,
                Ok(_) => continue,
                Err(error) => {
                    tracing::warn!(%error, "outbox pass failed");
                    break;
                }
            }
        }
        tokio::time::sleep(every).await;
    }
}

/// Admins: a dead or delayed row goes back to the queue, due now, with a fresh count.
pub async fn resend(db: &impl ConnectionTrait, id: Uuid) -> Result<(), AppError> {
    let changed = notification::Entity::update_many()
        .col_expr(notification::Column::State, Expr::value(PENDING))
        .col_expr(notification::Column::Attempts, Expr::value(0))
        .col_expr(notification::Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::State.is_in([DEAD, PENDING]))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_stable_and_local() {
        let id = Uuid::nil();
        assert_eq!(
            message_id(id, "https://veille.cndh.ml/"),
            "<00000000000000000000000000000000@veille.cndh.ml>"
        );
        assert_eq!(
            message_id(id, "http://127.0.0.1:3000"),
            message_id(id, "http://127.0.0.1:3000")
        );
        assert!(message_id(id, "http://127.0.0.1:3000").ends_with("@127.0.0.1>"));
    }
}
