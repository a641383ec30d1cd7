//! The filing form as drawn: empty for a new observation, or a draft's stored values and
//! evidence to resume it.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::super::scope::{self, Scope};
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::ObservationStatus;
use crate::domain::observation::{DatePrecision, ObservationInput, ProtectionLevel};
use crate::error::AppError;
use crate::model::observation::{AttachmentView, FilingForm};
use crate::server::auth::CurrentUser;
use crate::server::entities::{attachment, observation, observation_institution};
use crate::server::reference;

#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty))]
pub async fn form(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: Option<&str>,
) -> Result<FilingForm, AppError> {
    let scope = Scope::of(user)?;
    let (id, form_token, values, evidence) = match id {
        Some(id) => {
            let row = scope::observation(db, scope, id).await?;
            tracing::Span::current().record("observation", tracing::field::display(row.id));
            if row.status != ObservationStatus::Draft.as_str() {
                return Err(AppError::NotFound);
            }
            let named = named_institutions(db, row.id).await?;
            let evidence = attachments(db, row.id).await?;
            (
                Some(row.id.to_string()),
                row.form_token.clone(),
                input_of(&row, named),
                evidence,
            )
        }
        None => (
            None,
            Uuid::new_v4().to_string(),
            ObservationInput {
                precision: DatePrecision::Day.as_str().into(),
                protection: ProtectionLevel::default().as_str().into(),
                ..Default::default()
            },
            Vec::new(),
        ),
    };
    Ok(FilingForm {
        id,
        form_token,
        values,
        evidence,
        categories: reference::categories_by_name(db, user.locale)
            .await?
            .into_iter()
            .filter(|c| c.active)
            .collect(),
        institutions: reference::receiving_institutions(db, user.locale).await?,
        regions: reference::regions(db, user.locale).await?,
    })
}

/// The institutions a draft names, as the form sends them.
pub(super) async fn named_institutions(
    db: &impl ConnectionTrait,
    observation_id: Uuid,
) -> Result<Vec<String>, AppError> {
    Ok(observation_institution::Entity::find()
        .filter(observation_institution::Column::ObservationId.eq(observation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.institution_id.to_string())
        .collect())
}

async fn attachments(
    db: &impl ConnectionTrait,
    observation_id: Uuid,
) -> Result<Vec<AttachmentView>, AppError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(observation_id))
        .filter(attachment::Column::Purpose.eq(AttachmentPurpose::Evidence.as_str()))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| super::super::detail::attachment_view(a, false))
        .collect())
}

pub(super) fn input_of(row: &observation::Model, institution_ids: Vec<String>) -> ObservationInput {
    let month = row.incident_precision == DatePrecision::Month.as_str();
    let count = |n: i32| if n == 0 { String::new() } else { n.to_string() };
    ObservationInput {
        title: row.title.clone(),
        description: row.description.clone(),
        category_id: row.category_id.map(|i| i.to_string()).unwrap_or_default(),
        institution_ids,
        region_code: row.region_code.clone().unwrap_or_default(),
        cercle_id: row.cercle_id.map(|i| i.to_string()).unwrap_or_default(),
        place: row.place.clone(),
        precision: row.incident_precision.clone(),
        incident_date: match (month, row.incident_date) {
            (false, Some(d)) => d.format("%Y-%m-%d").to_string(),
            _ => String::new(),
        },
        incident_month: match (month, row.incident_date) {
            (true, Some(d)) => d.format("%Y-%m").to_string(),
            _ => String::new(),
        },
        affected_women: count(row.affected_women),
        affected_men: count(row.affected_men),
        affected_girls: count(row.affected_girls),
        affected_boys: count(row.affected_boys),
        protection: row.protection.clone(),
        contact_name: row.contact_name.clone().unwrap_or_default(),
        contact_phone: row.contact_phone.clone().unwrap_or_default(),
        contact_consent: row.contact_consent_at.is_some(),
    }
}
