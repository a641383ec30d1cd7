//! Receiving a tip: its text and choices checked, stored with its evidence files, audited
//! without anyone's name; the space tip evidence takes on disk. Nothing records who sent it.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::anonymous;
use super::receipt::{new_receipt, receipt_hash};
use crate::domain::notification::Template;
use crate::domain::tip::{self as rules, TipStatus};
use crate::error::{AppError, FieldError};
use crate::server::auth::HashGate;
use crate::server::entities::{category, institution, region, tip, tip_file};
use crate::server::observations::evidence::StoredFile;
use crate::server::{audit, outbox};

/// The space tip evidence takes on disk, as recorded: each original and, where it is a file
/// of its own, its cleaned copy (a copy of unknown size counts as large as its original).
pub async fn stored_file_bytes(db: &DatabaseConnection) -> Result<u64, AppError> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Total {
        total: i64,
    }
    let sql = "SELECT CAST(COALESCE(SUM(size_bytes + CASE \
               WHEN clean_stored_name IS NULL OR clean_stored_name = stored_name THEN 0 \
               ELSE COALESCE(clean_size_bytes, size_bytes) END), 0) AS BIGINT) AS total \
               FROM tip_files";
    let total = Total::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?
        .map_or(0, |row| row.total);
    Ok(u64::try_from(total).unwrap_or(0))
}

/// A tip as the public form sends it.
#[derive(Default)]
pub struct NewTip {
    pub category_id: String,
    pub institution_id: String,
    pub region_code: String,
    pub body: String,
}

fn optional_id(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text.trim()).ok()
}

/// Checks the tip, stores it with its files and returns the receipt (shown once, never kept).
// The tipster's paths are traced without any field: even a tip's id beside a request's time
// is a lead to who sent it.
#[tracing::instrument(skip_all)]
pub async fn receive(
    db: &DatabaseConnection,
    hashing: &HashGate,
    input: NewTip,
    files: &[StoredFile],
) -> Result<String, AppError> {
    let mut errors = Vec::new();
    if let Err(key) = rules::check_tip_text(&input.body) {
        errors.push(FieldError {
            field: "body".into(),
            key: key.into(),
        });
    }
    let category_id = optional_id(&input.category_id);
    if let Some(id) = category_id
        && category::Entity::find_by_id(id).one(db).await?.is_none()
    {
        errors.push(FieldError {
            field: "category_id".into(),
            key: "error-choice-invalid".into(),
        });
    }
    let institution_id = optional_id(&input.institution_id);
    if let Some(id) = institution_id {
        // Only institutions that receive referrals are offered; a forged form naming another
        // is told so on the field.
        let key = match institution::Entity::find_by_id(id).one(db).await? {
            Some(i) if i.active && i.receives_referrals => None,
            Some(i) if i.active => Some("error-institution-not-receiving"),
            _ => Some("error-choice-invalid"),
        };
        if let Some(key) = key {
            errors.push(FieldError {
                field: "institution_id".into(),
                key: key.into(),
            });
        }
    }
    let region_code = Some(input.region_code.trim().to_string()).filter(|c| !c.is_empty());
    if let Some(code) = &region_code
        && region::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .is_none()
    {
        errors.push(FieldError {
            field: "region_code".into(),
            key: "error-choice-invalid".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let receipt = new_receipt();
    let hash = receipt_hash(hashing, db, &receipt).await?;
    let id = Uuid::new_v4();
    let now = Utc::now();
    let txn = crate::server::db::begin_write(db).await?;
    tip::Entity::insert(tip::ActiveModel {
        id: Set(id),
        receipt_hash: Set(hash),
        category_id: Set(category_id),
        institution_id: Set(institution_id),
        region_code: Set(region_code),
        body: Set(input.body.trim().to_string()),
        status: Set(TipStatus::New.as_str().into()),
        observation_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    for file in files {
        tip_file::Entity::insert(tip_file::ActiveModel {
            id: Set(Uuid::new_v4()),
            tip_id: Set(id),
            content_type: Set(file.content_type.clone()),
            size_bytes: Set(file.size as i64),
            sha256: Set(file.sha256.clone()),
            stored_name: Set(file.stored_name.clone()),
            clean_stored_name: Set(Some(file.clean_stored_name.clone())),
            clean_size_bytes: Set(Some(file.clean_size as i64)),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    audit::append(&txn, anonymous("tip_received", id)).await?;
    // The NHRC hears of it by a link to the tip, never its words.
    outbox::enqueue_tip(&txn, Template::TipReceived, id).await?;
    txn.commit().await?;
    Ok(receipt)
}
