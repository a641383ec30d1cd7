//! Filing: drafts saved and resumed, submission with a public reference. Every post saves
//! what was typed before anything is checked, so a refused form loses nothing; a resent form
//! (double click, reload) finds its observation by the form's hidden token and creates no
//! second one.

use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::evidence::{self, ReceivedFiles, Refusal};
use super::scope::{self, Scope};
use super::{NewEvent, append_event, audit, today};
use crate::api::observations::{AttachmentView, FilingForm};
use crate::domain::lifecycle::{ObservationAction, ObservationStatus, observation_transition};
use crate::domain::notification::Template;
use crate::domain::observation::{
    self as rules, DatePrecision, ObservationInput, ProtectionLevel, Visibility,
};
use crate::error::{AppError, FieldError};
use crate::server::auth::CurrentUser;
use crate::server::entities::{
    attachment, category, cercle, institution, observation, observation_institution, organisation,
    reference_counter, region,
};
use crate::server::outbox::{self, Notice};
use crate::server::reference;

pub async fn form(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: Option<&str>,
) -> Result<FilingForm, AppError> {
    let scope = Scope::of(user)?;
    let (id, form_token, values, evidence) = match id {
        Some(id) => {
            let row = scope::observation(db, scope, id).await?;
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
        categories: reference::categories(db)
            .await?
            .into_iter()
            .filter(|c| c.active)
            .collect(),
        institutions: reference::institutions(db, user.locale)
            .await?
            .into_iter()
            .filter(|i| i.active)
            .collect(),
        regions: reference::regions(db, user.locale).await?,
    })
}

/// The institutions a draft names, as the form sends them.
async fn named_institutions(
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
        .filter(attachment::Column::Purpose.eq("evidence"))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| super::detail::attachment_view(a, false))
        .collect())
}

fn input_of(row: &observation::Model, institution_ids: Vec<String>) -> ObservationInput {
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

    let txn = db.begin().await?;
    let now = Utc::now();
    let id = existing.as_ref().map(|r| r.id).unwrap_or_else(Uuid::new_v4);
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
    let attached = attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(id))
        .all(&txn)
        .await?;
    let mut count = attached.len();
    // The fingerprints attached before and by this post: the same file twice is kept once.
    let mut fingerprints: Vec<String> = attached.into_iter().map(|a| a.sha256).collect();
    let mut kept = Vec::new();
    for file in request.files.files() {
        if fingerprints.contains(&file.sha256) {
            continue;
        }
        if count >= evidence::MAX_FILES {
            refused.push(Refusal::TooMany);
            continue;
        }
        count += 1;
        file.attach(&txn, id, None, "evidence", user.id).await?;
        fingerprints.push(file.sha256.clone());
        kept.push(file.stored_name.clone());
    }
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

/// How many more evidence files a post of the filing form may bring: the limit less what the
/// draft it belongs to (by id, or else token) already has. Asked while the form is read, so
/// that files past the limit are never written; `save` counts again when it attaches.
pub async fn evidence_room(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: Option<String>,
    form_token: String,
) -> usize {
    let Ok(scope) = Scope::of(user) else {
        // Refused later anyway: nothing to write.
        return 0;
    };
    let row = match of_form(db, scope, id.as_deref(), &form_token).await {
        Ok(row) => row,
        // A draft that is not there (or not theirs) takes nothing: the post is refused.
        Err(AppError::NotFound) => return 0,
        Err(_) => None,
    };
    let Some(row) = row else {
        return evidence::MAX_FILES;
    };
    if row.status != ObservationStatus::Draft.as_str() {
        // Submitted already: a resent form attaches nothing.
        return 0;
    }
    let attached = attachment::Entity::find()
        .filter(attachment::Column::ObservationId.eq(row.id))
        .count(db)
        .await
        .unwrap_or(0);
    evidence::room(attached)
}

/// The observation a post of the filing form belongs to, within the scope: the one its `id`
/// names (not found if it is not there or not theirs), or else the one its token created.
async fn of_form(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: Option<&str>,
    token: &str,
) -> Result<Option<observation::Model>, AppError> {
    if let Some(id) = id.filter(|id| !id.is_empty()) {
        return scope::observation(db, scope, id).await.map(Some);
    }
    if token.is_empty() {
        return Ok(None);
    }
    Ok(scope::observations(scope)
        .filter(observation::Column::FormToken.eq(token))
        .one(db)
        .await?)
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
    for text in &input.institution_ids {
        match Uuid::parse_str(text.trim()).ok() {
            Some(id)
                if institution::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .is_some_and(|i| i.active) =>
            {
                if !institutions.contains(&id) {
                    institutions.push(id);
                }
            }
            _ => invalid("institution_ids"),
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

/// The next public reference of the year (`OBS-2026-000124`), inside the caller's transaction.
pub async fn next_reference(
    txn: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> Result<String, AppError> {
    let year = now.year();
    reference_counter::Entity::insert(reference_counter::ActiveModel {
        year: Set(year),
        last: Set(0),
    })
    .on_conflict_do_nothing_on([reference_counter::Column::Year])
    .exec(txn)
    .await?;
    reference_counter::Entity::update_many()
        .col_expr(
            reference_counter::Column::Last,
            Expr::col(reference_counter::Column::Last).add(1),
        )
        .filter(reference_counter::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let number = reference_counter::Entity::find_by_id(year)
        .one(txn)
        .await?
        .map(|c| c.last)
        .ok_or_else(|| crate::server::unexpected("reference counter missing"))?;
    Ok(rules::reference(year, number))
}

/// Observations the organisation submitted since midnight (UTC).
async fn submitted_today(
    db: &impl ConnectionTrait,
    organisation_id: Uuid,
) -> Result<u64, AppError> {
    let midnight = Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(Utc::now);
    Ok(observation::Entity::find()
        .filter(observation::Column::OrganisationId.eq(organisation_id))
        .filter(observation::Column::SubmittedAt.gte(midnight))
        .count(db)
        .await?)
}

async fn daily_quota(db: &impl ConnectionTrait, organisation_id: Uuid) -> Result<u64, AppError> {
    Ok(organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .map_or(0, |o| u64::try_from(o.daily_filing_quota).unwrap_or(0)))
}

/// Whether the organisation has used up today's submissions (checked before a submitting
/// form is read, so that a refusal writes nothing).
pub async fn quota_reached(
    db: &DatabaseConnection,
    organisation_id: Uuid,
) -> Result<bool, AppError> {
    Ok(submitted_today(db, organisation_id).await? >= daily_quota(db, organisation_id).await?)
}

/// Draft → submitted, with the next public reference of the year, in one transaction.
async fn submit(db: &DatabaseConnection, user: &CurrentUser, id: Uuid) -> Result<(), AppError> {
    let from = ObservationStatus::Draft;
    let transition = observation_transition(from, user.role, ObservationAction::Submit)
        .ok_or(AppError::Forbidden)?;
    let txn = db.begin().await?;
    let now = Utc::now();
    // Written first and only while still a draft: of two concurrent submits, one wins.
    let changed = observation::Entity::update_many()
        .col_expr(
            observation::Column::Status,
            Expr::value(transition.to.as_str()),
        )
        .col_expr(observation::Column::SubmittedAt, Expr::value(now))
        .col_expr(observation::Column::UpdatedAt, Expr::value(now))
        .filter(observation::Column::Id.eq(id))
        .filter(observation::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Ok(());
    }
    // Counted after this submission's own write, inside the transaction: past the quota, the
    // whole submission rolls back (the draft stays).
    let row = observation::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if submitted_today(&txn, row.organisation_id).await?
        > daily_quota(&txn, row.organisation_id).await?
    {
        return Err(AppError::QuotaReached);
    }
    let reference = next_reference(&txn, now).await?;
    observation::Entity::update_many()
        .col_expr(observation::Column::Reference, Expr::value(reference))
        .filter(observation::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    append_event(
        &txn,
        NewEvent {
            observation_id: id,
            referral_id: None,
            actor: Some(user),
            kind: ObservationAction::Submit.as_str(),
            from_status: Some(from.as_str()),
            to_status: Some(transition.to.as_str()),
            note: None,
            visibility: Visibility::CsoNhrc,
        },
    )
    .await?;
    audit(&txn, Some(user), "submit", "observation", id, None).await?;
    if let Some(row) = observation::Entity::find_by_id(id).one(&txn).await? {
        outbox::enqueue(
            &txn,
            Notice {
                template: Template::Submitted,
                observation: &row,
                institution_id: None,
                status: Some(format!("status-obs-{}", transition.to.as_str())),
                actor: Some(user),
            },
        )
        .await?;
    }
    crate::server::statistics::refresh(&txn, id).await?;
    txn.commit().await?;
    Ok(())
}
