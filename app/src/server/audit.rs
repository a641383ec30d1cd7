//! The audit log: append-only entries chained by SHA-256, so that an edited, removed or
//! reordered row is found by [`verify`]. What an entry may hold: who, what, which record,
//! a short detail; never an address and never case text.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::auth::CurrentUser;
use super::entities::{audit_chain, audit_entry};
use crate::error::AppError;
use crate::model::audit::{AuditEntrySummary, AuditFilter, AuditPage};

const HEAD: i32 = 1;

/// What happened, before it takes its place in the chain.
pub struct NewEntry<'a> {
    pub actor_id: Option<Uuid>,
    pub actor_role: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: String,
    pub detail: Option<String>,
}

impl<'a> NewEntry<'a> {
    /// An action of `actor` (or of the system, when none) on one record.
    pub fn by(actor: Option<&'a CurrentUser>, action: &'a str, kind: &'a str, id: Uuid) -> Self {
        Self {
            actor_id: actor.map(|a| a.id),
            actor_role: actor.map(|a| a.role.as_str()).unwrap_or("system"),
            action,
            target_kind: kind,
            target_id: id.to_string(),
            detail: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The hash of an entry: SHA-256 over the previous hash and the entry's fields, as a JSON
/// array (one unambiguous encoding; the time in microseconds, as both databases keep it).
fn entry_hash(prev_hash: &str, seq: i64, row: &audit_entry::Model) -> String {
    let fields = serde_json::json!([
        seq,
        row.id.to_string(),
        row.created_at.timestamp_micros(),
        row.actor_id.map(|id| id.to_string()),
        row.actor_role,
        row.action,
        row.target_kind,
        row.target_id,
        row.detail,
    ]);
    let mut digest = Sha256::new();
    digest.update(prev_hash.as_bytes());
    digest.update(b"\n");
    digest.update(fields.to_string().as_bytes());
    hex::encode(digest.finalize())
}

fn now_in_micros() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

/// Takes the next place in the chain: the head's sequence number moves on first, which locks
/// the head row until the transaction ends, so concurrent appends wait for each other. Returns
/// the head with the new entry's number and the previous entry's hash.
async fn next_place(txn: &impl ConnectionTrait) -> Result<audit_chain::Model, sea_orm::DbErr> {
    audit_chain::Entity::update_many()
        .col_expr(
            audit_chain::Column::LastSeq,
            Expr::col(audit_chain::Column::LastSeq).add(1),
        )
        .filter(audit_chain::Column::Id.eq(HEAD))
        .exec(txn)
        .await?;
    audit_chain::Entity::find_by_id(HEAD)
        .one(txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("the audit chain's head row".into()))
}

async fn set_last_hash(txn: &impl ConnectionTrait, hash: String) -> Result<(), sea_orm::DbErr> {
    audit_chain::Entity::update_many()
        .col_expr(audit_chain::Column::LastHash, Expr::value(hash))
        .filter(audit_chain::Column::Id.eq(HEAD))
        .exec(txn)
        .await?;
    Ok(())
}

/// Appends one entry at the end of the chain, inside `db`'s transaction when it is one (the
/// entry then stands or falls with the change it records).
pub async fn append<C>(db: &C, entry: NewEntry<'_>) -> Result<(), AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = crate::server::db::begin_write(db).await?;
    let head = next_place(&txn).await?;
    let mut row = audit_entry::Model {
        id: Uuid::new_v4(),
        actor_id: entry.actor_id,
        actor_role: entry.actor_role.to_string(),
        action: entry.action.to_string(),
        target_kind: entry.target_kind.to_string(),
        target_id: entry.target_id,
        detail: entry.detail,
        created_at: now_in_micros(),
        seq: Some(head.last_seq),
        prev_hash: Some(head.last_hash.clone()),
        hash: None,
    };
    let hash = entry_hash(&head.last_hash, head.last_seq, &row);
    row.hash = Some(hash.clone());
    audit_entry::ActiveModel::from(row)
        .reset_all()
        .insert(&txn)
        .await?;
    set_last_hash(&txn, hash).await?;
    txn.commit().await?;
    Ok(())
}

/// An action of `actor` on one record (the common case of [`append`]).
pub async fn record<C>(
    db: &C,
    actor: Option<&CurrentUser>,
    action: &str,
    target_kind: &str,
    target_id: Uuid,
    detail: Option<String>,
) -> Result<(), AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let mut entry = NewEntry::by(actor, action, target_kind, target_id);
    entry.detail = detail;
    append(db, entry).await
}

/// Gives entries written before the chain existed (no `seq`) their place in it, oldest first:
/// once, while the chain is still empty (its head at 0, as the migration that made it left
/// it). Run at start-up. Once the chain has begun, an entry without a place was not written
/// by the portal: it is left as it is, for [`verify`] to report.
pub async fn chain_legacy_entries<C>(db: &C) -> Result<u64, sea_orm::DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    let mut chained = 0;
    let mut begun = false;
    loop {
        // The head is locked before the batch is read: another instance starting at the same
        // moment waits, then finds these entries chained.
        let txn = crate::server::db::begin_write(db).await?;
        audit_chain::Entity::update_many()
            .col_expr(
                audit_chain::Column::LastSeq,
                Expr::col(audit_chain::Column::LastSeq),
            )
            .filter(audit_chain::Column::Id.eq(HEAD))
            .exec(&txn)
            .await?;
        if !begun {
            begun = true;
            let head = audit_chain::Entity::find_by_id(HEAD).one(&txn).await?;
            if head.is_none_or(|h| h.last_seq > 0) {
                txn.commit().await?;
                return Ok(0);
            }
        }
        let batch = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.is_null())
            .order_by_asc(audit_entry::Column::CreatedAt)
            .order_by_asc(audit_entry::Column::Id)
            .limit(500)
            .all(&txn)
            .await?;
        if batch.is_empty() {
            txn.commit().await?;
            return Ok(chained);
        }
        for mut row in batch {
            let head = next_place(&txn).await?;
            // Stored times may carry more precision than the hash keeps.
            row.created_at = DateTime::from_timestamp_micros(row.created_at.timestamp_micros())
                .unwrap_or(row.created_at);
            let hash = entry_hash(&head.last_hash, head.last_seq, &row);
            let mut active: audit_entry::ActiveModel = row.clone().into();
            active.created_at = Set(row.created_at);
            active.seq = Set(Some(head.last_seq));
            active.prev_hash = Set(Some(head.last_hash.clone()));
            active.hash = Set(Some(hash.clone()));
            active.update(&txn).await?;
            set_last_hash(&txn, hash).await?;
            chained += 1;
        }
        txn.commit().await?;
    }
}

/// The outcome of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: u64,
    },
    /// The first entry that does not match; `reason` says how.
    Broken {
        seq: i64,
        id: Option<Uuid>,
        reason: String,
    },
}

/// Walks the chain in order and names the first entry whose place, link or content does not
/// match: an edited field changes the hash, a removed entry leaves a gap, a removed tail
/// leaves the head ahead of the last entry.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verdict, sea_orm::DbErr> {
    const PAGE: u64 = 1000;
    let head = audit_chain::Entity::find_by_id(HEAD).one(db).await?;
    let unchained = audit_entry::Entity::find()
        .filter(audit_entry::Column::Seq.is_null())
        .one(db)
        .await?;
    if let Some(row) = unchained {
        return Ok(Verdict::Broken {
            seq: 0,
            id: Some(row.id),
            reason: "entry outside the chain (no sequence number)".into(),
        });
    }
    let Some(head) = head else {
        return Ok(Verdict::Broken {
            seq: 0,
            id: None,
            reason: "the chain's head row is missing".into(),
        });
    };
    let last_seq = head.last_seq;
    let mut expected_seq = 1i64;
    let mut prev_hash = String::new();
    loop {
        // Only up to the head as read first: entries appended during the walk are not judged.
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gte(expected_seq))
            .filter(audit_entry::Column::Seq.lte(last_seq))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let last_page = (page.len() as u64) < PAGE;
        for row in page {
            let seq = row.seq.unwrap_or_default();
            let broken = |reason: &str| Verdict::Broken {
                seq: expected_seq,
                id: Some(row.id),
                reason: reason.to_string(),
            };
            if seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    id: None,
                    reason: format!("entry missing (the next one found is {seq})"),
                });
            }
            if row.prev_hash.as_deref() != Some(prev_hash.as_str()) {
                return Ok(broken("link to the previous entry does not match"));
            }
            let hash = entry_hash(&prev_hash, seq, &row);
            if row.hash.as_deref() != Some(hash.as_str()) {
                return Ok(broken("content does not match its hash"));
            }
            prev_hash = hash;
            expected_seq += 1;
        }
        if last_page {
            break;
        }
    }
    let entries = (expected_seq - 1) as u64;
    if head.last_seq == entries as i64 && head.last_hash == prev_hash {
        return Ok(Verdict::Intact { entries });
    }
    Ok(Verdict::Broken {
        seq: expected_seq,
        id: None,
        reason: "entries missing at the end (the chain's head is further)".into(),
    })
}

pub const LOG_PAGE_SIZE: u64 = 50;

/// Actions about drafts, which are private to their author's organisation: kept in the chain
/// (so that it verifies) but never shown to NHRC staff, in the list, its count or the action
/// filter. Drafts are not audited otherwise (the NHRC cannot open one); an action that may
/// concern a draft must be named here.
pub const DRAFT_ACTIONS: [&str; 1] = ["draft_created"];

fn day_start(text: Option<&str>) -> Result<Option<DateTime<Utc>>, AppError> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
                .ok_or_else(|| AppError::field("from", "error-date-invalid"))
        })
        .transpose()
}

/// One page of the log for NHRC staff, newest first, with the filters they chose; actors by
/// name, observations by their public reference (linked only when `sees_sensitive` or the case
/// is outside the sensitive categories: the page would answer 404).
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    sees_sensitive: bool,
) -> Result<AuditPage, AppError> {
    use super::entities::{category, observation, referral, user};
    let mut select = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.is_not_in(DRAFT_ACTIONS))
        .order_by_desc(audit_entry::Column::Seq);
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(action) = text(&filter.action) {
        select = select.filter(audit_entry::Column::Action.eq(action));
    }
    if let Some(role) = text(&filter.role) {
        select = select.filter(audit_entry::Column::ActorRole.eq(role));
    }
    if let Some(from) = day_start(filter.from.as_deref())? {
        select = select.filter(audit_entry::Column::CreatedAt.gte(from));
    }
    if let Some(until) = day_start(filter.until.as_deref())
        .map_err(|_| AppError::field("until", "error-date-invalid"))?
    {
        select =
            select.filter(audit_entry::Column::CreatedAt.lt(until + chrono::Duration::days(1)));
    }
    let total = select.clone().count(db).await?;
    let pages = Ord::max(total.div_ceil(LOG_PAGE_SIZE), 1);
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let rows = select
        .offset((page - 1) * LOG_PAGE_SIZE)
        .limit(LOG_PAGE_SIZE)
        .all(db)
        .await?;
    let actor_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
    let actors = user::Entity::find()
        .filter(user::Column::Id.is_in(actor_ids))
        .all(db)
        .await?;
    let ids_of = |kind: &str| -> Vec<Uuid> {
        rows.iter()
            .filter(|r| r.target_kind == kind)
            .filter_map(|r| Uuid::parse_str(&r.target_id).ok())
            .collect()
    };
    let referrals = referral::Entity::find()
        .filter(referral::Column::Id.is_in(ids_of("referral")))
        .all(db)
        .await?;
    let mut observation_ids = ids_of("observation");
    observation_ids.extend(referrals.iter().map(|r| r.observation_id));
    // Drafts are the organisation's own: never named nor linked for NHRC staff.
    let references = observation::Entity::find()
        .filter(observation::Column::Id.is_in(observation_ids))
        .filter(observation::Column::Status.ne("draft"))
        .all(db)
        .await?;
    let sensitive: Vec<Uuid> = if sees_sensitive {
        Vec::new()
    } else {
        category::Entity::find()
            .filter(category::Column::Sensitive.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    // A tip made into a case names the case's reference in its detail: never a sensitive one
    // for a reader without the permission.
    let hidden_references: Vec<String> = if sees_sensitive {
        Vec::new()
    } else {
        let named: Vec<String> = rows
            .iter()
            .filter(|r| r.action == "tip_converted")
            .filter_map(|r| r.detail.clone())
            .collect();
        observation::Entity::find()
            .filter(observation::Column::Reference.is_in(named))
            .filter(observation::Column::CategoryId.is_in(sensitive.clone()))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|o| o.reference)
            .collect()
    };
    // An observation (or a referral's observation) by its public reference, with its page; a
    // sensitive case the reader may not open by no reference at all (`None`), only said to be
    // one.
    let case_of = |kind: &str, id: &str| -> Option<(Option<String>, Option<String>)> {
        let observation_id = match kind {
            "observation" => Uuid::parse_str(id).ok()?,
            "referral" => {
                referrals
                    .iter()
                    .find(|r| r.id.to_string() == id)?
                    .observation_id
            }
            _ => return None,
        };
        let o = references.iter().find(|o| o.id == observation_id)?;
        let opens = sees_sensitive || !o.category_id.is_some_and(|c| sensitive.contains(&c));
        let reference = o.reference.clone()?;
        Some(if opens {
            (Some(reference), Some(format!("/observations/{}", o.id)))
        } else {
            (None, None)
        })
    };
    let actions: Vec<String> = audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::Action)
        .filter(audit_entry::Column::Action.is_not_in(DRAFT_ACTIONS))
        .distinct()
        .order_by_asc(audit_entry::Column::Action)
        .into_tuple()
        .all(db)
        .await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            let case = case_of(&r.target_kind, &r.target_id);
            AuditEntrySummary {
                seq: r.seq.unwrap_or_default(),
                at: r.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                actor: r.actor_id.and_then(|id| {
                    actors
                        .iter()
                        .find(|u| u.id == id)
                        .map(|u| format!("{} <{}>", u.display_name, u.email))
                }),
                role: r.actor_role,
                action: r.action,
                link: case.as_ref().and_then(|(_, link)| link.clone()),
                target_key: matches!(case, Some((None, _)))
                    .then(|| "audit-sensitive-case".to_string()),
                target: match case {
                    Some((Some(reference), _)) => reference,
                    Some((None, _)) => String::new(),
                    None => r.target_id,
                },
                target_kind: r.target_kind,
                detail: r.detail.filter(|d| !hidden_references.contains(d)),
            }
        })
        .collect();
    Ok(AuditPage {
        entries,
        total,
        page,
        pages,
        actions,
    })
}
