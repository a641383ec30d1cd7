//! The three HTTP routes that are not server functions, because they carry files: the filing
//! form (multipart, with evidence), an institution's documents, and downloads. Each checks
//! the caller and reads through the scoped access path like the server functions do.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::evidence::{self, Refusal, StoredFile};
use super::filing::{self, SaveRequest};
use super::scope::{self, Copy, Scope};
use super::{NewEvent, append_event, audit};
use crate::domain::Role;
use crate::domain::lifecycle::ReferralStatus;
use crate::domain::observation::{ObservationInput, Visibility};
use crate::error::{AppError, FieldError};
use crate::i18n::translate;
use crate::server::auth::RequestContext;
use crate::server::entities::attachment;
use crate::server::{AppState, http_status};

/// A text field longer than this is cut off (the form's own limits are far lower).
const MAX_TEXT_BYTES: usize = 64 * 1024;

pub(crate) fn refuse(context: &RequestContext, error: AppError) -> Response {
    let status = http_status(&error);
    let mut response = (status, translate(context.locale, error.message_key())).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Field errors travel back in the URL as `field.key` pairs: names and catalogue keys only,
/// never what was typed.
pub fn encode_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}.{}", e.field, e.key))
        .collect::<Vec<_>>()
        .join(",")
}

async fn read_text(field: &mut axum::extract::multipart::Field<'_>) -> Option<String> {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
            return None;
        }
        bytes.extend_from_slice(&chunk);
    }
    // Browsers send CR LF line ends in text areas.
    Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
}

/// Reads the files of a multipart form (field `evidence`) and hands its text fields to
/// `text`. Files over the limit or of a refused type are dropped while they stream.
pub(crate) async fn receive_form(
    multipart: &mut Multipart,
    dir: &std::path::Path,
    mut text: impl FnMut(&str, String),
) -> Result<(Vec<StoredFile>, Vec<Refusal>), AppError> {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Past the request's limit: stop reading, keep what arrived.
            Err(_) => {
                refused.push(Refusal::TooLarge);
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence" {
            match evidence::receive(&mut field, dir).await? {
                Some(Ok(file)) => files.push(file),
                Some(Err(refusal)) => refused.push(refusal),
                None => {}
            }
        } else if let Some(value) = read_text(&mut field).await {
            text(&name, value);
        }
    }
    Ok((files, refused))
}

/// `POST /observations/save`: saves the draft, then submits it when asked to. The submit
/// button posts to `?intent=submit`, so that the organisation's daily quota is checked before
/// anything of the form is read or written.
pub async fn save_observation(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    uri: axum::http::Uri,
    mut multipart: Multipart,
) -> Response {
    let Some(user) = context.user.clone() else {
        return refuse(&context, AppError::Unauthenticated);
    };
    if !matches!(user.role, Role::CsoMember | Role::CsoCoordinator) {
        return refuse(&context, AppError::Forbidden);
    }
    if let Err(error) = state.throttle.check_filing(user.id) {
        return refuse(&context, error);
    }
    let submitting = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "intent=submit"));
    if submitting && let Some(organisation) = user.organisation_id {
        match filing::quota_reached(&state.db, organisation).await {
            Ok(false) => {}
            Ok(true) => return refuse(&context, AppError::QuotaReached),
            Err(error) => return refuse(&context, error),
        }
    }
    let dir = evidence::files_dir(&state.settings.data_dir);
    let mut input = ObservationInput::default();
    let mut id = None;
    let mut form_token = String::new();
    let mut submit = false;
    let received = receive_form(&mut multipart, &dir, |name, value| match name {
        "id" => id = Some(value),
        "form_token" => form_token = value,
        "intent" => submit = value == "submit",
        "title" => input.title = value,
        "description" => input.description = value,
        "category_id" => input.category_id = value,
        "institution_ids" => input.institution_ids.push(value),
        "region_code" => input.region_code = value,
        "cercle_id" => input.cercle_id = value,
        "place" => input.place = value,
        "precision" => input.precision = value,
        "incident_date" => input.incident_date = value,
        "incident_month" => input.incident_month = value,
        "affected_women" => input.affected_women = value,
        "affected_men" => input.affected_men = value,
        "affected_girls" => input.affected_girls = value,
        "affected_boys" => input.affected_boys = value,
        "protection" => input.protection = value,
        "contact_name" => input.contact_name = value,
        "contact_phone" => input.contact_phone = value,
        "contact_consent" => input.contact_consent = matches!(value.as_str(), "on" | "true" | "1"),
        _ => {}
    })
    .await;
    let (files, refused) = match received {
        Ok(received) => received,
        Err(error) => return refuse(&context, error),
    };
    let request = SaveRequest {
        id,
        form_token,
        input,
        files,
        refused,
        submit,
    };
    match filing::save(&state.db, &state.settings.data_dir, &user, request).await {
        Ok(outcome) if outcome.submitted => {
            Redirect::to(&format!("/observations/{}?notice=submitted", outcome.id)).into_response()
        }
        Ok(outcome) if outcome.errors.is_empty() => {
            Redirect::to(&format!("/observations/{}/edit?notice=saved", outcome.id)).into_response()
        }
        Ok(outcome) => Redirect::to(&format!(
            "/observations/{}/edit?errors={}",
            outcome.id,
            encode_errors(&outcome.errors)
        ))
        .into_response(),
        Err(AppError::Validation(errors)) => Redirect::to(&format!(
            "/observations/new?errors={}",
            encode_errors(&errors)
        ))
        .into_response(),
        Err(error) => refuse(&context, error),
    }
}

/// `POST /referrals/{id}/documents`: an institution attaches documents to its referral.
pub async fn upload_documents(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let Some(user) = context.user.clone() else {
        return refuse(&context, AppError::Unauthenticated);
    };
    if user.role != Role::Liaison {
        return refuse(&context, AppError::Forbidden);
    }
    let scope = match Scope::of(&user) {
        Ok(scope) => scope,
        Err(error) => return refuse(&context, error),
    };
    let (referral, _) = match scope::referral(&state.db, scope, &id).await {
        Ok(found) => found,
        Err(error) => return refuse(&context, error),
    };
    let dir = evidence::files_dir(&state.settings.data_dir);
    let (files, mut refused) = match receive_form(&mut multipart, &dir, |_, _| {}).await {
        Ok(received) => received,
        Err(error) => return refuse(&context, error),
    };
    if referral.status == ReferralStatus::Closed.as_str() {
        evidence::discard(&dir, &files).await;
        return refuse(&context, AppError::field("evidence", "error-stale"));
    }
    let attached = match attach_documents(
        &state,
        &user,
        referral.id,
        referral.observation_id,
        files,
        &mut refused,
    )
    .await
    {
        Ok(n) => n,
        Err(error) => return refuse(&context, error),
    };
    let back = format!("/referrals/{}", referral.id);
    match refused.first() {
        Some(refusal) => Redirect::to(&format!("{back}?errors=evidence.{}", refusal.key())),
        None if attached == 0 => Redirect::to(&format!("{back}?errors=evidence.error-file-none")),
        None => Redirect::to(&format!("{back}?notice=saved")),
    }
    .into_response()
}

async fn attach_documents(
    state: &AppState,
    user: &crate::server::auth::CurrentUser,
    referral_id: Uuid,
    observation_id: Uuid,
    files: Vec<StoredFile>,
    refused: &mut Vec<Refusal>,
) -> Result<usize, AppError> {
    let dir = evidence::files_dir(&state.settings.data_dir);
    let txn = state.db.begin().await?;
    let mut count = attachment::Entity::find()
        .filter(attachment::Column::ReferralId.eq(referral_id))
        .count(&txn)
        .await? as usize;
    let mut attached = 0;
    let mut unused = Vec::new();
    for file in files {
        if count >= evidence::MAX_FILES {
            refused.push(Refusal::TooMany);
            unused.push(file);
            continue;
        }
        count += 1;
        attached += 1;
        let id = file
            .attach(&txn, observation_id, Some(referral_id), "document", user.id)
            .await?;
        audit(&txn, Some(user), "document_added", "attachment", id, None).await?;
    }
    if attached > 0 {
        append_event(
            &txn,
            NewEvent {
                observation_id,
                referral_id: Some(referral_id),
                actor: Some(user),
                kind: "document_added",
                from_status: None,
                to_status: None,
                note: None,
                visibility: Visibility::Everyone,
            },
        )
        .await?;
    }
    txn.commit().await?;
    evidence::discard(&dir, &unused).await;
    Ok(attached)
}

/// `GET /files/{id}`: the copy the viewer may have (the cleaned one, except for the NHRC).
pub async fn download(
    state: State<AppState>,
    context: Extension<RequestContext>,
    id: Path<String>,
) -> Response {
    send_file(state, context, id, Copy::Cleaned).await
}

/// `GET /files/{id}/original`: the sealed original, for the NHRC only.
pub async fn download_original(
    state: State<AppState>,
    context: Extension<RequestContext>,
    id: Path<String>,
) -> Response {
    send_file(state, context, id, Copy::Original).await
}

async fn send_file(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<String>,
    wanted: Copy,
) -> Response {
    let Some(user) = context.user.clone() else {
        return refuse(&context, AppError::Unauthenticated);
    };
    let scope = match Scope::of(&user) {
        Ok(scope) => scope,
        Err(error) => return refuse(&context, error),
    };
    let (row, file) = match scope::attachment(&state.db, scope, &id, wanted).await {
        Ok(found) => found,
        Err(error) => return refuse(&context, error),
    };
    let path = evidence::files_dir(&state.settings.data_dir).join(&file);
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(error) => return refuse(&context, crate::server::unexpected(error)),
    };
    if matches!(user.role, Role::Monitor | Role::Liaison) {
        let action = match wanted {
            Copy::Original => "download_original",
            Copy::Cleaned => "download",
        };
        if let Err(error) = audit(&state.db, Some(&user), action, "attachment", row.id, None).await
        {
            return refuse(&context, error);
        }
    }
    attachment_response(row.id, &row.content_type, bytes)
}

/// A file as a download, never shown inline, under a generated name: the uploader's file name
/// can identify people.
pub(crate) fn attachment_response(id: Uuid, content_type: &str, bytes: Vec<u8>) -> Response {
    let name = format!(
        "veille-{}.{}",
        &id.simple().to_string()[..8],
        evidence::extension(content_type)
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
