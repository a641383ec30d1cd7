//! Anonymous tips: receiving one (text, choices, evidence) and its receipt code, finding a tip
//! by its receipt, the thread between the NHRC and the tipster, and the NHRC's queue.
//! Nothing here records who sent a tip; the receipt is kept only as a slow hash.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::SaltString;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::audit::{self, NewEntry};
use super::auth::{CurrentUser, HashGate};
use super::entities::{category, institution, region, tip, tip_file, tip_message};
use super::observations::evidence::StoredFile;
use super::{sha256_hex, unexpected};
use crate::api::tips::{TipDetail, TipFileView, TipMessageView, TipSummary};
use crate::domain::Locale;
use crate::domain::tip::{self as rules, TipStatus};
use crate::error::{AppError, FieldError};

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
    let key = super::server_key(db, "tip_receipts").await?;
    let receipt = receipt.to_string();
    hashing
        .run(move || {
            let salt = SaltString::encode_b64(&key[..16]).map_err(unexpected)?;
            super::auth::argon2id_phc(receipt.as_bytes(), &salt)
        })
        .await?
}

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

/// Receipts waiting to be shown once, after the form that created them redirected: kept in
/// memory only, under the SHA-256 of a random token the browser holds in a cookie.
#[derive(Clone, Default)]
pub struct ReceiptFlash(Arc<Mutex<HashMap<String, (String, Instant)>>>);

const FLASH_LIFETIME: Duration = Duration::from_secs(600);

impl ReceiptFlash {
    pub fn put(&self, receipt: String) -> String {
        let token = super::random_token(16);
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
    if let Some(id) = institution_id
        && institution::Entity::find_by_id(id).one(db).await?.is_none()
    {
        errors.push(FieldError {
            field: "institution_id".into(),
            key: "error-choice-invalid".into(),
        });
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
    let txn = db.begin().await?;
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
    txn.commit().await?;
    Ok(receipt)
}

fn anonymous(action: &str, tip_id: Uuid) -> NewEntry<'_> {
    NewEntry {
        actor_id: None,
        actor_role: "anonymous",
        action,
        target_kind: "tip",
        target_id: tip_id.to_string(),
        detail: None,
    }
}

/// The tip a receipt opens, if any.
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

/// Who reads a tip's thread: the NHRC sees everything, the tipster their own words and the
/// NHRC's messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Nhrc,
    Tipster,
}

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
        status: row.status.clone(),
        category: names.category(row.category_id),
        institution: names.institution(row.institution_id),
        region: names.region(row.region_code.as_deref()),
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

/// Reference names for tips, in the reader's language.
struct Names {
    categories: Vec<(String, String)>,
    institutions: Vec<(String, String)>,
    regions: Vec<(String, String)>,
}

impl Names {
    async fn load(db: &DatabaseConnection, locale: Locale) -> Result<Self, AppError> {
        let choices = super::observations::listing::choices(db, locale).await?;
        Ok(Self {
            categories: choices.categories,
            institutions: choices.institutions,
            regions: choices.regions,
        })
    }

    fn find(list: &[(String, String)], key: Option<String>) -> Option<String> {
        let key = key?;
        list.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, name)| name.clone())
    }

    fn category(&self, id: Option<Uuid>) -> Option<String> {
        Self::find(&self.categories, id.map(|i| i.to_string()))
    }

    fn institution(&self, id: Option<Uuid>) -> Option<String> {
        Self::find(&self.institutions, id.map(|i| i.to_string()))
    }

    fn region(&self, code: Option<&str>) -> Option<String> {
        Self::find(&self.regions, code.map(str::to_string))
    }
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
    let txn = db.begin().await?;
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
    txn.commit().await?;
    Ok(())
}

/// The tipster answers (or adds to) their tip.
pub async fn reply(db: &DatabaseConnection, tip_id: Uuid, body: &str) -> Result<(), AppError> {
    let body = check_message(body)?;
    add_message(db, tip_id, None, body, TipStatus::Answered).await
}

/// The NHRC asks the tipster a question (read with the receipt).
pub async fn ask(
    db: &DatabaseConnection,
    user: &CurrentUser,
    tip_id: Uuid,
    body: &str,
) -> Result<(), AppError> {
    let body = check_message(body)?;
    add_message(db, tip_id, Some(user), body, TipStatus::AwaitingReply).await
}

pub async fn close(
    db: &DatabaseConnection,
    user: &CurrentUser,
    tip_id: Uuid,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
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

/// The NHRC's queue: open tips first (those with news on top), then closed ones.
pub async fn list(db: &DatabaseConnection, locale: Locale) -> Result<Vec<TipSummary>, AppError> {
    let rows = tip::Entity::find()
        .order_by_desc(tip::Column::UpdatedAt)
        .all(db)
        .await?;
    let names = Names::load(db, locale).await?;
    let rank = |status: &str| match TipStatus::parse(status) {
        Some(TipStatus::New | TipStatus::Answered) => 0,
        Some(TipStatus::AwaitingReply) => 1,
        _ => 2,
    };
    let mut rows: Vec<_> = rows.into_iter().collect();
    rows.sort_by_key(|r| rank(&r.status));
    Ok(rows
        .into_iter()
        .map(|r| TipSummary {
            id: r.id.to_string(),
            received_on: r.created_at.format("%Y-%m-%d").to_string(),
            status: r.status,
            category: names.category(r.category_id),
            institution: names.institution(r.institution_id),
            region: names.region(r.region_code.as_deref()),
            excerpt: r.body.chars().take(140).collect(),
        })
        .collect())
}

/// A tip's evidence file for the NHRC (audited by the caller's route).
pub async fn file(db: &DatabaseConnection, id: &str) -> Result<tip_file::Model, AppError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    tip_file::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub fn parse_tip_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// Anonymous tips that the NHRC made observations of are filed under this organisation: it has
/// no members (no CSO sees them) and institutions never learn the filer (protection level).
/// Known by a fixed id, not by its name (an admin could create another with that name); it
/// stays inactive, and activating it is refused, so nobody can be invited into it.
const TIPS_ORGANISATION: &str = "Signalements anonymes (CNDH)";
pub const TIPS_ORGANISATION_ID: Uuid = Uuid::from_u128(0x7e5a_0000_0000_4000_8000_0000_0000_0001);

async fn tips_organisation(txn: &impl ConnectionTrait) -> Result<Uuid, AppError> {
    use super::entities::organisation;
    let id = TIPS_ORGANISATION_ID;
    if organisation::Entity::find_by_id(id)
        .one(txn)
        .await?
        .is_some()
    {
        return Ok(id);
    }
    organisation::Entity::insert(organisation::ActiveModel {
        id: Set(id),
        name: Set(TIPS_ORGANISATION.into()),
        acronym: Set(Some("ANON".into())),
        region_code: Set(None),
        is_womens_organisation: Set(false),
        contact_email: Set(None),
        // Nobody can be invited into it, and it files nothing by itself.
        active: Set(false),
        created_at: Set(Utc::now()),
        daily_filing_quota: Set(0),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(id)
}

/// The NHRC makes an observation of a tip, to forward it like any other: submitted, with a
/// public reference, the tip's text, choices and evidence, the strictest identity protection.
/// The tip is then closed and points to it. Returns the observation's id.
pub async fn convert(
    db: &DatabaseConnection,
    user: &CurrentUser,
    tip_id: Uuid,
) -> Result<Uuid, AppError> {
    use super::entities::{attachment, observation, observation_institution};
    use super::observations::{NewEvent, append_event, evidence, filing};
    use crate::domain::lifecycle::ObservationStatus;
    use crate::domain::observation::{DatePrecision, ProtectionLevel, Visibility};
    let txn = db.begin().await?;
    let now = Utc::now();
    let id = Uuid::new_v4();
    // Claimed first, and only while open: of two conversions at once, one wins.
    let claimed = tip::Entity::update_many()
        .col_expr(tip::Column::Status, Expr::value(TipStatus::Closed.as_str()))
        .col_expr(tip::Column::ObservationId, Expr::value(id))
        .col_expr(tip::Column::UpdatedAt, Expr::value(now))
        .filter(tip::Column::Id.eq(tip_id))
        .filter(tip::Column::ObservationId.is_null())
        .filter(tip::Column::Status.ne(TipStatus::Closed.as_str()))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return match tip::Entity::find_by_id(tip_id).one(&txn).await? {
            Some(_) => Err(AppError::field("tip", "error-tip-closed")),
            None => Err(AppError::NotFound),
        };
    }
    let row = tip::Entity::find_by_id(tip_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let organisation_id = tips_organisation(&txn).await?;
    let reference = filing::next_reference(&txn, now).await?;
    let submitted = ObservationStatus::Submitted.as_str();
    let first_line: String = row
        .body
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect();
    observation::Entity::insert(observation::ActiveModel {
        id: Set(id),
        reference: Set(Some(reference.clone())),
        form_token: Set(format!("tip-{tip_id}")),
        organisation_id: Set(organisation_id),
        author_id: Set(user.id),
        title: Set(first_line),
        description: Set(row.body.clone()),
        category_id: Set(row.category_id),
        region_code: Set(row.region_code.clone()),
        cercle_id: Set(None),
        place: Set(String::new()),
        incident_date: Set(None),
        incident_precision: Set(DatePrecision::Day.as_str().into()),
        affected_women: Set(0),
        affected_men: Set(0),
        affected_girls: Set(0),
        affected_boys: Set(0),
        protection: Set(ProtectionLevel::AnonymousToInstitution.as_str().into()),
        contact_name: Set(None),
        contact_phone: Set(None),
        contact_consent_at: Set(None),
        status: Set(submitted.into()),
        resolution: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(Some(now)),
        closed_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    if let Some(institution_id) = row.institution_id {
        observation_institution::Entity::insert(observation_institution::ActiveModel {
            observation_id: Set(id),
            institution_id: Set(institution_id),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    let files = tip_file::Entity::find()
        .filter(tip_file::Column::TipId.eq(tip_id))
        .all(&txn)
        .await?;
    for (n, file) in files.into_iter().enumerate() {
        attachment::Entity::insert(attachment::ActiveModel {
            id: Set(Uuid::new_v4()),
            observation_id: Set(id),
            referral_id: Set(None),
            uploaded_by: Set(user.id),
            purpose: Set("evidence".into()),
            original_name: Set(format!(
                "signalement-{}.{}",
                n + 1,
                evidence::extension(&file.content_type)
            )),
            content_type: Set(file.content_type),
            size_bytes: Set(file.size_bytes),
            sha256: Set(file.sha256),
            stored_name: Set(file.stored_name),
            clean_stored_name: Set(file.clean_stored_name),
            clean_size_bytes: Set(file.clean_size_bytes),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    append_event(
        &txn,
        NewEvent {
            observation_id: id,
            referral_id: None,
            actor: Some(user),
            kind: "from_tip",
            from_status: None,
            to_status: Some(submitted),
            note: None,
            visibility: Visibility::Nhrc,
        },
    )
    .await?;
    audit::append(
        &txn,
        NewEntry::by(Some(user), "tip_converted", "tip", tip_id).detail(reference),
    )
    .await?;
    super::statistics::refresh(&txn, id).await?;
    txn.commit().await?;
    Ok(id)
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
