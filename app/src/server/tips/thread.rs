//! A tip's thread: what each reader sees of it, the tipster's replies and the NHRC's
//! questions, and its closing. Once the NHRC made an observation of the tip, the thread goes
//! on, and each message is also an NHRC-only line of that observation's timeline.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{Names, anonymous};
use crate::domain::Locale;
use crate::domain::lifecycle::EventKind;
use crate::domain::notification::Template;
use crate::domain::observation::Visibility;
use crate::domain::tip::{self as rules, TipStatus};
use crate::error::AppError;
use crate::model::tip::{TipDetail, TipFileView, TipMessageView};
use crate::server::audit::{self, NewEntry};
use crate::server::auth::CurrentUser;
use crate::server::entities::{tip, tip_file, tip_message};
use crate::server::observations::{NewEvent, append_event};
use crate::server::outbox;

/// Who reads a tip's thread: the NHRC sees everything, the tipster their own words and the
/// NHRC's messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Nhrc,
    Tipster,
}

#[tracing::instrument(skip_all)]
pub async fn detail(
    db: &DatabaseConnection,
    tip_id: Uuid,
    reader: Reader,
    locale: Locale,
) -> Result<TipDetail, AppError> {
    let row = tip::Entity::find_by_id(tip_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let messages = tip_message::Entity::find()
        .filter(tip_message::Column::TipId.eq(tip_id))
        .order_by_asc(tip_message::Column::CreatedAt)
        .all(db)
        .await?;
    let files = match reader {
        Reader::Nhrc => tip_file::Entity::find()
            .filter(tip_file::Column::TipId.eq(tip_id))
            .order_by_asc(tip_file::Column::CreatedAt)
            .all(db)
            .await?
            .into_iter()
            .map(|f| TipFileView {
                id: f.id.to_string(),
                content_type: f.content_type,
                size_bytes: f.size_bytes,
            })
            .collect(),
        Reader::Tipster => Vec::new(),
    };
    let names = Names::load(db, locale).await?;
    Ok(TipDetail {
        id: (reader == Reader::Nhrc).then(|| row.id.to_string()),
        observation_id: row
            .observation_id
            .filter(|_| reader == Reader::Nhrc)
            .map(|id| id.to_string()),
        received_on: row.created_at.format("%Y-%m-%d").to_string(),
        status: super::status_of(&row),
        category: names.category(row.category_id),
        institution: names.institution(row.institution_id),
        region: names.region(row.region_code.as_deref()),
        taken_up: row.observation_id.is_some(),
        body: row.body,
        messages: messages
            .into_iter()
            .map(|m| TipMessageView {
                from_nhrc: m.author == "nhrc",
                at: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                body: m.body,
            })
            .collect(),
        files,
    })
}

fn check_message(body: &str) -> Result<String, AppError> {
    rules::check_tip_text(body).map_err(|key| AppError::field("body", key))?;
    Ok(body.trim().to_string())
}

async fn add_message(
    db: &DatabaseConnection,
    tip_id: Uuid,
    author: Option<&CurrentUser>,
    body: String,
    status: TipStatus,
) -> Result<(), AppError> {
    let now = Utc::now();
    let txn = crate::server::db::begin_write(db).await?;
    let open = tip::Entity::update_many()
        .col_expr(tip::Column::Status, Expr::value(status.as_str()))
        .col_expr(tip::Column::UpdatedAt, Expr::value(now))
        .filter(tip::Column::Id.eq(tip_id))
        .filter(tip::Column::Status.ne(TipStatus::Closed.as_str()))
        .exec(&txn)
        .await?;
    if open.rows_affected != 1 {
        return Err(AppError::field("body", "error-tip-closed"));
    }
    // Read after the update, which holds the row: a conversion at the same moment is either
    // wholly before this message or wholly after it.
    let observation_id = tip::Entity::find_by_id(tip_id)
        .one(&txn)
        .await?
        .and_then(|row| row.observation_id);
    if let Some(observation_id) = observation_id {
        // A note, not a status change: the observation's status stays as it is.
        append_event(
            &txn,
            NewEvent {
                observation_id,
                referral_id: None,
                actor: author,
                kind: if author.is_some() {
                    EventKind::TipQuestion
                } else {
                    EventKind::TipReply
                },
                note: Some(&body),
                visibility: Visibility::Nhrc,
            },
        )
        .await?;
    }
    tip_message::Entity::insert(tip_message::ActiveModel {
        id: Set(Uuid::new_v4()),
        tip_id: Set(tip_id),
        author: Set(if author.is_some() { "nhrc" } else { "tipster" }.into()),
        author_id: Set(author.map(|a| a.id)),
        body: Set(body),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    let entry = match author {
        Some(user) => NewEntry::by(Some(user), "tip_question", "tip", tip_id),
        None => anonymous("tip_reply", tip_id),
    };
    audit::append(&txn, entry).await?;
    // The tipster answered: the NHRC is told (at most once an hour per tip), by a link only.
    if author.is_none() {
        outbox::enqueue_tip(&txn, Template::TipReply, tip_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The tipster answers (or adds to) their tip; once the NHRC made an observation of it, the
/// answer is also one of that observation's NHRC-only notes.
// Traced without any field, like every path of the tipster's.
#[tracing::instrument(skip_all)]
pub async fn reply(db: &DatabaseConnection, tip_id: Uuid, body: &str) -> Result<(), AppError> {
    let body = check_message(body)?;
    add_message(db, tip_id, None, body, TipStatus::Answered).await
}

/// The NHRC asks the tipster a question (read with the receipt), before or after making an
/// observation of the tip.
// No tip id in the logs (see `convert`).
#[tracing::instrument(skip_all, fields(actor = %user.id))]
pub async fn ask(
    db: &DatabaseConnection,
    user: &CurrentUser,
    tip_id: Uuid,
    body: &str,
) -> Result<(), AppError> {
    let body = check_message(body)?;
    add_message(db, tip_id, Some(user), body, TipStatus::AwaitingReply).await
}

/// Ends the thread: the tipster may read it but no longer write.
#[tracing::instrument(skip_all, fields(actor = %user.id))]
pub async fn close(
    db: &DatabaseConnection,
    user: &CurrentUser,
    tip_id: Uuid,
) -> Result<(), AppError> {
    let txn = crate::server::db::begin_write(db).await?;
    let closed = tip::Entity::update_many()
        .col_expr(tip::Column::Status, Expr::value(TipStatus::Closed.as_str()))
        .col_expr(tip::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(tip::Column::Id.eq(tip_id))
        .exec(&txn)
        .await?;
    if closed.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    audit::append(&txn, NewEntry::by(Some(user), "tip_closed", "tip", tip_id)).await?;
    txn.commit().await?;
    Ok(())
}
