//! Saving a draft: every post saves what was typed before anything is checked, so a refused
//! form loses nothing; choices are checked against the reference data. A post that asks to
//! submit is then handed to `submit`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::attach::attach_evidence;
use super::form::{input_of, named_institutions};
use super::of_form;
use super::submit::submit;
use crate::domain::lifecycle::ObservationStatus;
use crate::domain::observation::{self as rules, DatePrecision, ObservationInput, ProtectionLevel};
use crate::error::{AppError, FieldError};
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    category, cercle, institution, observation, observation_institution, region,
};
use crate::server::observations::evidence::{ReceivedFiles, Refusal};
use crate::server::observations::scope::Scope;
use crate::server::observations::{audit, today};

/// One post of the filing form.
pub struct SaveRequest {
    pub id: Option<String>,
    pub form_token: String,
    pub input: ObservationInput,
    /// Removed from disk when the request is dropped, except those attached.
    pub files: ReceivedFiles,
    /// Files refused while they streamed in.
    pub refused: Vec<Refusal>,
    /// Text fields too long to be read: in error, and a resumed draft keeps their stored value.
    pub too_long: Vec<String>,
    pub submit: bool,
}

pub struct SaveOutcome {
    pub id: Uuid,
    /// Submitted now or before (a resent form).
    pub submitted: bool,
    pub errors: Vec<FieldError>,
}

/// Saves the draft (and submits it when asked). The received files stay on disk only if they
/// are attached by a committed transaction: every other way out of here, early refusals and
/// `?` included, drops `request.files`, which removes them.
#[tracing::instrument(skip_all, fields(actor = %user.id, observation = tracing::field::Empty))]
pub async fn save(
    db: &DatabaseConnection,
    user: &CurrentUser,
    mut request: SaveRequest,
) -> Result<SaveOutcome, AppError> {
    let scope = Scope::of(user)?;
    let Scope::Organisation { organisation, .. } = scope else {
        return Err(AppError::Forbidden);
    };
    let existing = of_form(db, scope, request.id.as_deref(), &request.form_token).await?;
    if let Some(row) = &existing
        && row.status != ObservationStatus::Draft.as_str()
    {
        // Already submitted: a resent form changes nothing.
        return Ok(SaveOutcome {
            id: row.id,
            submitted: true,
            errors: Vec::new(),
        });
    }
    if let Some(row) = &existing {
        keep_stored(db, row, &mut request.input, &request.too_long).await?;
    }
    let today = today();
    let mut errors = rules::check_draft(&request.input, today);
    for field in &request.too_long {
        if !errors.iter().any(|e| &e.field == field) {
            errors.push(FieldError {
                field: field.clone(),
                key: "error-too-long".into(),
            });
        }
    }
    let mut refused = request.refused.clone();
    let checked = check_references(db, &request.input, &mut errors).await?;
    let token = request.form_token.trim();
    if existing.is_none() && (token.is_empty() || token.len() > 64) {
        return Err(AppError::field("form_token", "error-form-expired"));
    }

    let txn = crate::server::db::begin_write(db).await?;
    let now = Utc::now();
    let id = existing.as_ref().map(|r| r.id).unwrap_or_else(Uuid::new_v4);
    tracing::Span::current().record("observation", tracing::field::display(id));
    let mut row: observation::ActiveModel = match &existing {
        Some(row) => row.clone().into(),
        None => observation::ActiveModel {
            id: Set(id),
            reference: Set(None),
            form_token: Set(token.to_string()),
            organisation_id: Set(organisation),
            author_id: Set(user.id),
            status: Set(ObservationStatus::Draft.as_str().into()),
            resolution: Set(None),
            created_at: Set(now),
            listed_at: Set(now),
            submitted_at: Set(None),
            closed_at: Set(None),
            contact_consent_at: Set(None),
            ..Default::default()
        },
    };
    fill(
        &mut row,
        &request.input,
        &checked,
        &errors,
        existing.as_ref(),
    );
    row.updated_at = Set(now);
    let saved = if existing.is_some() {
        row.update(&txn).await.map(|_| ())
    } else {
        row.insert(&txn).await.map(|_| ())
    };
    if let Err(error) = saved {
        // Two posts of one new form at once: the other one created it.
        drop(txn);
        return match of_form(db, scope, None, token).await? {
            Some(row) => Ok(SaveOutcome {
                id: row.id,
                submitted: row.status != ObservationStatus::Draft.as_str(),
                errors: Vec::new(),
            }),
            None => Err(error.into()),
        };
    }
    observation_institution::Entity::delete_many()
        .filter(observation_institution::Column::ObservationId.eq(id))
        .exec(&txn)
        .await?;
    for institution_id in &checked.institutions {
        observation_institution::ActiveModel {
            observation_id: Set(id),
            institution_id: Set(*institution_id),
        }
        .insert(&txn)
        .await?;
    }
    let kept = attach_evidence(&txn, user, id, &request.files, &mut refused).await?;
    if let Some(refusal) = refused.first() {
        errors.push(FieldError {
            field: "evidence".into(),
            key: refusal.key().into(),
        });
    }
    if existing.is_none() {
        audit(&txn, Some(user), "draft_created", "observation", id, None).await?;
    }
    txn.commit().await?;
    // Attached and committed, these stay; the others (copies, past the limit) go now.
    request.files.keep_only(&kept);

    if !request.submit {
        return Ok(SaveOutcome {
            id,
            submitted: false,
            errors,
        });
    }
    let mut submission = rules::check_submission(&request.input, today);
    submission.retain(|e| !errors.iter().any(|x| x.field == e.field));
    errors.extend(submission);
    if !errors.is_empty() {
        return Ok(SaveOutcome {
            id,
            submitted: false,
            errors,
        });
    }
    submit(db, user, id).await?;
    Ok(SaveOutcome {
        id,
        submitted: true,
        errors,
    })
}

/// Puts back the stored value of each field that came too long to be read, so that a resumed
/// draft keeps what it had instead of an empty field.
async fn keep_stored(
    db: &impl ConnectionTrait,
    row: &observation::Model,
    input: &mut ObservationInput,
    too_long: &[String],
) -> Result<(), AppError> {
    if too_long.is_empty() {
        return Ok(());
    }
    let mut stored = input_of(row, named_institutions(db, row.id).await?);
    for field in too_long {
        match field.as_str() {
            "institution_ids" => {
                input.institution_ids = std::mem::take(&mut stored.institution_ids)
            }
            "contact_consent" => input.contact_consent = stored.contact_consent,
            other => {
                if let (Some(slot), Some(kept)) =
                    (input.text_field(other), stored.text_field(other))
                {
                    *slot = std::mem::take(kept);
                }
            }
        }
    }
    Ok(())
}

/// The observation a resent form belongs to, when the first post already submitted it: by the
/// form's id, or else its token, within the user's scope. Any failure counts as none (the
/// caller's refusal then stands).
#[tracing::instrument(skip_all, fields(actor = %user.id))]
pub async fn submitted_already(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: Option<&str>,
    form_token: &str,
) -> Option<Uuid> {
    let scope = Scope::of(user).ok()?;
    let row = of_form(db, scope, id, form_token).await.ok()??;
    (row.status != ObservationStatus::Draft.as_str()).then_some(row.id)
}

/// The form's choices, checked against the reference data; unknown ones are dropped with an
/// error on their field.
struct Checked {
    category: Option<Uuid>,
    institutions: Vec<Uuid>,
    region: Option<String>,
    cercle: Option<Uuid>,
}

async fn check_references(
    db: &impl ConnectionTrait,
    input: &ObservationInput,
    errors: &mut Vec<FieldError>,
) -> Result<Checked, AppError> {
    let mut invalid = |field: &str| {
        errors.push(FieldError {
            field: field.into(),
            key: "error-choice-invalid".into(),
        })
    };
    let category = match input.category_id.trim() {
        "" => None,
        text => match Uuid::parse_str(text).ok() {
            Some(id)
                if category::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .is_some_and(|c| c.active) =>
            {
                Some(id)
            }
            _ => {
                invalid("category_id");
                None
            }
        },
    };
    let mut institutions = Vec::new();
    let mut not_receiving = false;
    for text in &input.institution_ids {
        let found = match Uuid::parse_str(text.trim()).ok() {
            Some(id) => institution::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|i| i.active),
            None => None,
        };
        match found {
            // The CNDH and the bodies outside the security services are not offered: a
            // forged form naming one is told so on the field.
            Some(i) if !i.receives_referrals => not_receiving = true,
            Some(i) => {
                if !institutions.contains(&i.id) {
                    institutions.push(i.id);
                }
            }
            None => invalid("institution_ids"),
        }
    }
    let region = match input.region_code.trim() {
        "" => None,
        code => match region::Entity::find_by_id(code.to_string()).one(db).await? {
            Some(r) => Some(r.code),
            None => {
                invalid("region_code");
                None
            }
        },
    };
    let cercle = match input.cercle_id.trim() {
        "" => None,
        text => match Uuid::parse_str(text).ok() {
            Some(id) => match cercle::Entity::find_by_id(id).one(db).await? {
                Some(c) if region.as_deref().is_none_or(|r| r == c.region_code) => Some(id),
                _ => {
                    invalid("cercle_id");
                    None
                }
            },
            None => {
                invalid("cercle_id");
                None
            }
        },
    };
    if not_receiving {
        errors.push(FieldError {
            field: "institution_ids".into(),
            key: "error-institution-not-receiving".into(),
        });
    }
    Ok(Checked {
        category,
        institutions,
        region,
        cercle,
    })
}

/// Copies the form into the row, keeping the stored value of any field that is in error.
fn fill(
    row: &mut observation::ActiveModel,
    input: &ObservationInput,
    checked: &Checked,
    errors: &[FieldError],
    existing: Option<&observation::Model>,
) {
    let bad = |field: &str| errors.iter().any(|e| e.field == field);
    let clip = |text: &str, max: usize| text.trim().chars().take(max).collect::<String>();
    row.title = Set(clip(&input.title, rules::TITLE_MAX));
    row.description = Set(clip(&input.description, rules::DESCRIPTION_MAX));
    row.category_id = Set(checked.category);
    row.region_code = Set(checked.region.clone());
    row.cercle_id = Set(checked.cercle);
    row.place = Set(clip(&input.place, rules::PLACE_MAX));
    let date = rules::incident_date(input).ok().flatten();
    if !bad("incident_date") && !bad("incident_month") {
        row.incident_date = Set(date.map(|(d, _)| d));
        row.incident_precision = Set(date
            .map(|(_, p)| p)
            .or(DatePrecision::parse(&input.precision))
            .unwrap_or(DatePrecision::Day)
            .as_str()
            .into());
    } else if existing.is_none() {
        row.incident_date = Set(None);
        row.incident_precision = Set(DatePrecision::Day.as_str().into());
    }
    for (field, value, column) in [
        ("affected_women", &input.affected_women, 0),
        ("affected_men", &input.affected_men, 1),
        ("affected_girls", &input.affected_girls, 2),
        ("affected_boys", &input.affected_boys, 3),
    ] {
        let kept = existing.map(|e| {
            [
                e.affected_women,
                e.affected_men,
                e.affected_girls,
                e.affected_boys,
            ][column]
        });
        let n = if bad(field) {
            kept.unwrap_or(0)
        } else {
            rules::affected(value).unwrap_or(0)
        };
        let value = Set(n);
        match column {
            0 => row.affected_women = value,
            1 => row.affected_men = value,
            2 => row.affected_girls = value,
            _ => row.affected_boys = value,
        }
    }
    let protection = ProtectionLevel::parse(&input.protection).unwrap_or_default();
    row.protection = Set(protection.as_str().into());
    let contact = |text: &str, max: usize| Some(clip(text, max)).filter(|t| !t.is_empty());
    row.contact_name = Set(contact(&input.contact_name, 200));
    row.contact_phone = Set(contact(&input.contact_phone, 50));
    let consent = input.contact_consent.then(|| {
        existing
            .and_then(|e| e.contact_consent_at)
            .unwrap_or_else(Utc::now)
    });
    row.contact_consent_at = Set(consent);
}
