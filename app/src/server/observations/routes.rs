//! The three HTTP routes that are not server functions, because they carry files: the filing
//! form (multipart, with evidence), an institution's documents, and downloads. Each checks
//! the caller and reads through the scoped access path like the server functions do.

use anyhow::Context;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::evidence::{self, ReceivedFiles, Refusal as FileRefusal};
use super::filing::{self, SaveRequest};
use super::scope::{self, Copy, Scope};
use super::{NewEvent, append_event, audit};
use crate::domain::Role;
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::{EventKind, ReferralStatus};
use crate::domain::observation::{ObservationInput, Visibility};
use crate::error::{AppError, FieldError};
use crate::server::auth::CurrentUser;
use crate::server::entities::attachment;
use crate::server::http::{OrRefuse, Refusal, SignedIn};
use crate::server::{AppState, run_to_end};

/// A text field longer than this is not read (the form's own limits are far lower): it is
/// reported as too long.
const MAX_TEXT_BYTES: usize = 64 * 1024;
/// All the text a form may hold: past it, fields are reported as too long, not kept.
const MAX_FORM_TEXT_BYTES: usize = 256 * 1024;

/// The text fields of the filing form (anything else is read past, never kept).
const FILING_FIELDS: &[&str] = &[
    "id",
    "form_token",
    "intent",
    "title",
    "description",
    "category_id",
    "institution_ids",
    "region_code",
    "cercle_id",
    "place",
    "precision",
    "incident_date",
    "incident_month",
    "affected_women",
    "affected_men",
    "affected_girls",
    "affected_boys",
    "protection",
    "contact_name",
    "contact_phone",
    "contact_consent",
];

/// Field errors travel back in the URL as `field.key` pairs: names and catalogue keys only,
/// never what was typed.
pub fn encode_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}.{}", e.field, e.key))
        .collect::<Vec<_>>()
        .join(",")
}

/// The field's text; `None` past [`MAX_TEXT_BYTES`].
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

/// Whether a file field holds anything (a browser sends an empty one when no file is
/// chosen). Reads at most its first chunk.
async fn has_content(field: &mut axum::extract::multipart::Field<'_>) -> bool {
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) if chunk.is_empty() => continue,
            Ok(Some(_)) => return true,
            Ok(None) => return false,
            // Cut off: the next field reports the request's limit.
            Err(_) => return false,
        }
    }
}

/// The last value of the text field `name`.
fn value_of(text: &[(String, String)], name: &str) -> Option<String> {
    text.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// A multipart form as read.
pub(crate) struct ReceivedForm {
    /// Text fields, in the order sent.
    pub text: Vec<(String, String)>,
    /// Names of the text fields over [`MAX_TEXT_BYTES`], which were not read.
    pub too_long: Vec<String>,
    /// Removed from disk when dropped, except those kept once attached.
    pub files: ReceivedFiles,
    pub refused: Vec<FileRefusal>,
}

/// Reads a multipart form: the text fields named in `fields` (others are read past and
/// dropped, so that an anonymous post cannot fill the memory with made-up fields), and files
/// (field `evidence`) streamed to disk. Files over the size limit or of a refused type are
/// refused while they stream; past `room` more files, they are refused without a byte
/// written. `room` is asked when the first file arrives, with the text fields sent before it
/// (browsers send fields in the page's order, hidden ones first).
pub(crate) async fn receive_form<F>(
    multipart: &mut Multipart,
    dir: &std::path::Path,
    fields: &[&str],
    room: impl FnOnce(&[(String, String)]) -> F,
) -> Result<ReceivedForm, AppError>
where
    F: std::future::Future<Output = usize>,
{
    let mut form = ReceivedForm {
        text: Vec::new(),
        too_long: Vec::new(),
        files: ReceivedFiles::new(dir),
        refused: Vec::new(),
    };
    let mut room = Some(room);
    let mut left = 0;
    let mut text_bytes = 0;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Past the request's limit: stop reading, keep what arrived.
            Err(_) => {
                form.refused.push(FileRefusal::TooLarge);
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence" {
            if let Some(room) = room.take() {
                left = room(form.text.as_slice()).await;
            }
            if left == 0 {
                if has_content(&mut field).await {
                    form.refused.push(FileRefusal::TooMany);
                }
                continue;
            }
            // On an error, `form` goes and takes the files received so far with it.
            match evidence::receive(&mut field, dir).await? {
                Some(Ok(file)) => {
                    left -= 1;
                    form.files.push(file);
                }
                Some(Err(refusal)) => form.refused.push(refusal),
                None => {}
            }
        } else if !fields.contains(&name.as_str()) {
            while let Ok(Some(_)) = field.chunk().await {}
        } else {
            match read_text(&mut field).await {
                Some(value) if text_bytes + value.len() <= MAX_FORM_TEXT_BYTES => {
                    text_bytes += value.len();
                    form.text.push((name, value));
                }
                _ if form.too_long.contains(&name) => {}
                _ => form.too_long.push(name),
            }
        }
    }
    Ok(form)
}

/// The `id` and `form_token` of a filing form, from the fields sent before its first file (a
/// browser sends the hidden ones first). No file is read.
async fn identity(multipart: &mut Multipart) -> (Option<String>, String) {
    let mut id = None;
    let mut form_token = String::new();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "evidence" => break,
            "id" => id = read_text(&mut field).await,
            "form_token" => form_token = read_text(&mut field).await.unwrap_or_default(),
            _ => {}
        }
    }
    (id, form_token)
}

/// Why a filing post may not go ahead: the account's filing allowance, or, for a submission,
/// the organisation's daily quota.
async fn held_back(state: &AppState, user: &CurrentUser, submitting: bool) -> Option<AppError> {
    if let Err(error) = state.throttle.check_filing(user.id) {
        return Some(error);
    }
    let organisation = user.organisation_id.filter(|_| submitting)?;
    match filing::quota_reached(&state.db, organisation).await {
        Ok(false) => None,
        Ok(true) => Some(AppError::QuotaReached),
        Err(error) => Some(error),
    }
}

fn to_submitted(id: Uuid) -> Response {
    Redirect::to(&format!("/observations/{id}?notice=submitted")).into_response()
}

/// `POST /observations/save`: saves the draft, then submits it when asked to. The submit
/// button posts to `?intent=submit`, so that the organisation's daily quota is checked before
/// any file of the form is read or written.
pub async fn save_observation(
    State(state): State<AppState>,
    SignedIn { user, locale }: SignedIn,
    uri: axum::http::Uri,
    mut multipart: Multipart,
) -> Result<Response, Refusal> {
    if !matches!(user.role, Role::CsoMember | Role::CsoCoordinator) {
        return Err(Refusal::new(locale, AppError::Forbidden));
    }
    let submitting = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "intent=submit"));
    if let Some(error) = held_back(&state, &user, submitting).await {
        // A form sent again after its first post submitted it (double click, reload) lands on
        // its observation as that post did; only new filings are held back.
        let (id, form_token) = identity(&mut multipart).await;
        return match filing::submitted_already(&state.db, &user, id.as_deref(), &form_token).await {
            Some(id) => Ok(to_submitted(id)),
            None => Err(Refusal::new(locale, error)),
        };
    }
    let dir = evidence::files_dir(&state.settings.data_dir);
    let db = &state.db;
    let filer = &user;
    let form = receive_form(&mut multipart, &dir, FILING_FIELDS, move |text| {
        filing::evidence_room(
            db,
            filer,
            value_of(text, "id"),
            value_of(text, "form_token").unwrap_or_default(),
        )
    })
    .await
    .or_refuse(locale)?;
    let mut input = ObservationInput::default();
    let mut id = None;
    let mut form_token = String::new();
    let mut submit = false;
    for (name, value) in form.text {
        match name.as_str() {
            "id" => id = Some(value),
            "form_token" => form_token = value,
            "intent" => submit = value == "submit",
            "institution_ids" => input.institution_ids.push(value),
            "contact_consent" => {
                input.contact_consent = matches!(value.as_str(), "on" | "true" | "1")
            }
            other => {
                if let Some(slot) = input.text_field(other) {
                    *slot = value;
                }
            }
        }
    }
    let request = SaveRequest {
        id,
        form_token,
        input,
        files: form.files,
        refused: form.refused,
        too_long: form.too_long,
        submit,
    };
    let (db, filer) = (state.db.clone(), user.clone());
    Ok(
        match run_to_end(async move { filing::save(&db, &filer, request).await }).await {
            Ok(outcome) if outcome.submitted => to_submitted(outcome.id),
            Ok(outcome) if outcome.errors.is_empty() => {
                Redirect::to(&format!("/observations/{}/edit?notice=saved", outcome.id))
                    .into_response()
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
            Err(error) => return Err(Refusal::new(locale, error)),
        },
    )
}

/// `POST /referrals/{id}/documents`: an institution attaches documents to its referral.
pub async fn upload_documents(
    State(state): State<AppState>,
    SignedIn { user, locale }: SignedIn,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, Refusal> {
    if user.role != Role::Liaison {
        return Err(Refusal::new(locale, AppError::Forbidden));
    }
    let scope = Scope::of(&user).or_refuse(locale)?;
    let (referral, _) = scope::referral(&state.db, scope, &id)
        .await
        .or_refuse(locale)?;
    // Checked before the form is read, so that nothing is written for a closed referral or
    // past the limit.
    if referral.status == ReferralStatus::Closed.as_str() {
        return Err(Refusal::new(
            locale,
            AppError::field("evidence", "error-stale"),
        ));
    }
    let attached = attachment::Entity::find()
        .filter(attachment::Column::ReferralId.eq(referral.id))
        .count(&state.db)
        .await
        .or_refuse(locale)?;
    let room = evidence::room(attached);
    let dir = evidence::files_dir(&state.settings.data_dir);
    let form = receive_form(&mut multipart, &dir, &[], |_| std::future::ready(room))
        .await
        .or_refuse(locale)?;
    let (owned_state, owner) = (state.clone(), user.clone());
    let (observation_id, referral_id) = (referral.observation_id, referral.id);
    let attaching = run_to_end(async move {
        attach_documents(
            &owned_state,
            &owner,
            referral_id,
            observation_id,
            form.files,
            form.refused,
        )
        .await
    });
    let (attached, refused) = attaching.await.or_refuse(locale)?;
    let back = format!("/referrals/{}", referral.id);
    Ok(match refused.first() {
        Some(refusal) => Redirect::to(&format!("{back}?errors=evidence.{}", refusal.key())),
        None if attached == 0 => Redirect::to(&format!("{back}?errors=evidence.error-file-none")),
        None => Redirect::to(&format!("{back}?notice=attached")),
    }
    .into_response())
}

/// Attaches the documents in one transaction; the files stay on disk only once it commits
/// (dropping `files` removes the rest). Answers how many were attached, and the refusals
/// (those of the upload, and any past the limit).
async fn attach_documents(
    state: &AppState,
    user: &CurrentUser,
    referral_id: Uuid,
    observation_id: Uuid,
    files: ReceivedFiles,
    mut refused: Vec<FileRefusal>,
) -> Result<(usize, Vec<FileRefusal>), AppError> {
    let txn = crate::server::db::begin_write(&state.db).await?;
    // Counted again inside the transaction: another upload may have landed since the form
    // was read.
    let mut count = attachment::Entity::find()
        .filter(attachment::Column::ReferralId.eq(referral_id))
        .count(&txn)
        .await? as usize;
    let mut kept = Vec::new();
    for file in files.files() {
        if count >= evidence::MAX_FILES {
            refused.push(FileRefusal::TooMany);
            continue;
        }
        count += 1;
        let id = file
            .attach(
                &txn,
                observation_id,
                Some(referral_id),
                AttachmentPurpose::Document,
                user.id,
            )
            .await?;
        audit(&txn, Some(user), "document_added", "attachment", id, None).await?;
        kept.push(file.stored_name.clone());
    }
    let attached = kept.len();
    if attached > 0 {
        append_event(
            &txn,
            NewEvent {
                observation_id,
                referral_id: Some(referral_id),
                actor: Some(user),
                kind: EventKind::DocumentAdded,
                note: None,
                visibility: Visibility::Everyone,
            },
        )
        .await?;
    }
    txn.commit().await?;
    files.keep_only(&kept);
    Ok((attached, refused))
}

/// `GET /files/{id}`: the copy the viewer may have (the cleaned one, except for the NHRC).
pub async fn download(
    state: State<AppState>,
    caller: SignedIn,
    id: Path<String>,
) -> Result<Response, Refusal> {
    send_file(state, caller, id, Copy::Cleaned).await
}

/// `GET /files/{id}/original`: the sealed original, for the NHRC only.
pub async fn download_original(
    state: State<AppState>,
    caller: SignedIn,
    id: Path<String>,
) -> Result<Response, Refusal> {
    send_file(state, caller, id, Copy::Original).await
}

async fn send_file(
    State(state): State<AppState>,
    SignedIn { user, locale }: SignedIn,
    Path(id): Path<String>,
    wanted: Copy,
) -> Result<Response, Refusal> {
    let scope = Scope::of(&user).or_refuse(locale)?;
    let (row, file) = scope::attachment(&state.db, scope, &id, wanted)
        .await
        .or_refuse(locale)?;
    let path = evidence::files_dir(&state.settings.data_dir).join(&file);
    let bytes = tokio::fs::read(&path)
        .await
        .context("cannot read an attachment's file")
        .or_refuse(locale)?;
    if matches!(user.role, Role::Monitor | Role::Liaison) {
        let action = match wanted {
            Copy::Original => "download_original",
            Copy::Cleaned => "download",
        };
        audit(&state.db, Some(&user), action, "attachment", row.id, None)
            .await
            .or_refuse(locale)?;
    }
    Ok(attachment_response(row.id, &row.content_type, bytes))
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
