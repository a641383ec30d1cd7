//! Making an observation of a tip: the NHRC's one way to forward what a tip reports, filed
//! under an organisation of its own that nobody belongs to.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::{EventKind, ObservationStatus};
use crate::domain::observation::{DatePrecision, ProtectionLevel, Visibility};
use crate::domain::tip::TipStatus;
use crate::error::AppError;
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    attachment, observation, observation_institution, organisation, tip, tip_file,
};
use crate::server::observations::record::{Audit, Change, Event, Guarded, Status, Target, record};
use crate::server::observations::{evidence, filing};

/// Anonymous tips that the NHRC made observations of are filed under this organisation: it has
/// no members (no CSO sees them) and institutions never learn the filer (protection level).
/// Known by a fixed id, not by its name (an admin could create another with that name); it
/// stays inactive, and activating it is refused, so nobody can be invited into it.
const TIPS_ORGANISATION: &str = "Signalements anonymes (CNDH)";
pub const TIPS_ORGANISATION_ID: Uuid = Uuid::from_u128(0x7e5a_0000_0000_4000_8000_0000_0000_0001);

async fn tips_organisation(txn: &impl ConnectionTrait) -> Result<Uuid, AppError> {
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
/// The tip then points to it and its thread stays open: the tipster's later messages reach the
/// observation's NHRC-only notes (`thread`). Returns the observation's id.
// No tip id in the logs: beside the observation's, it would tie the case to its tipster.
#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty))]
pub async fn convert(
    db: &DatabaseConnection,
    user: &CurrentUser,
    tip_id: Uuid,
) -> Result<Uuid, AppError> {
    let txn = crate::server::db::begin_write(db).await?;
    let now = Utc::now();
    let id = Uuid::new_v4();
    tracing::Span::current().record("observation", tracing::field::display(id));
    // Claimed first, and only while open: of two conversions at once, one wins.
    let claim = tip::Entity::update_many()
        .col_expr(
            tip::Column::Status,
            Expr::value(TipStatus::TakenUp.as_str()),
        )
        .col_expr(tip::Column::ObservationId, Expr::value(id))
        .col_expr(tip::Column::UpdatedAt, Expr::value(now))
        .filter(tip::Column::Id.eq(tip_id))
        .filter(tip::Column::ObservationId.is_null())
        .filter(tip::Column::Status.ne(TipStatus::Closed.as_str()));
    let Some(moved) = Guarded::new(claim, id).apply(&txn).await? else {
        return match tip::Entity::find_by_id(tip_id).one(&txn).await? {
            Some(_) => Err(AppError::field("tip", "error-tip-closed")),
            None => Err(AppError::NotFound),
        };
    };
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
        listed_at: Set(now),
        overdue_from: NotSet,
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
            purpose: Set(AttachmentPurpose::Evidence.as_str().into()),
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
    record(
        &txn,
        moved,
        Change {
            actor: Some(user),
            status: Status::Observation {
                from: None,
                to: ObservationStatus::Submitted,
            },
            event: Event {
                kind: EventKind::FromTip,
                note: None,
                visibility: Visibility::Nhrc,
            },
            audit: Audit {
                action: "tip_converted",
                target: Target::Other {
                    kind: "tip",
                    id: tip_id,
                },
                detail: Some(reference),
            },
            notify: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}
