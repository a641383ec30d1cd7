//! The two HTTP routes of anonymous tips that carry files: sending a tip (multipart, works
//! without JavaScript and over Tor Browser's safest setting) and the NHRC's download of a
//! tip's evidence. A tip the rate limit holds back goes back to the form, filled in.

use std::net::SocketAddr;

use anyhow::Context;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{self as tips, NewTip};
use crate::domain::Role;
use crate::error::{AppError, FieldError};
use crate::model::tip::TipDraft;
use crate::server::AppState;
use crate::server::audit;
use crate::server::auth::{RECEIPT_COOKIE, RequestContext, TIP_DRAFT_COOKIE};
use crate::server::http::{OrRefuse, Refusal, SignedIn};
use crate::server::observations::evidence;
use crate::server::observations::routes::{attachment_response, encode_errors, receive_form};

/// The text fields of the tip form (anything else is read past, never kept).
const TIP_FIELDS: &[&str] = &[
    "category_id",
    "institution_id",
    "region_code",
    "body",
    "website",
];

/// `POST /signalement/envoyer`: stores the tip and sends the browser to the page that shows
/// its receipt once. The limits (per address, IPv6 by /64, and across all addresses) are
/// checked before the form is read (a tip they hold back goes back to the form filled in, see
/// [`held`]); a filled-in honeypot field (invisible to people), or
/// evidence past the disk quota for tips, is refused with nothing written.
pub async fn submit(
    State(state): State<AppState>,
    context: RequestContext,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    mut multipart: Multipart,
) -> Result<Response, Refusal> {
    let locale = context.locale;
    if let Err((why, wait)) = state.throttle.check_tip_wait(address.ip()) {
        return held(&state, locale, &mut multipart, why, wait).await;
    }
    // The disk quota for tip evidence: once it is reached, no file is even written.
    let used = tips::stored_file_bytes(&state.db).await.or_refuse(locale)?;
    let quota = state.settings.tip_files_max_bytes;
    let full = used >= quota;
    let dir = evidence::files_dir(&state.settings.data_dir);
    // Every way out below but a stored tip drops `form.files`, which removes them from disk.
    let form = receive_form(&mut multipart, &dir, TIP_FIELDS, |_| {
        std::future::ready(if full { 0 } else { evidence::MAX_FILES })
    })
    .await
    .or_refuse(locale)?;
    let mut input = NewTip::default();
    let mut honeypot = String::new();
    for (name, value) in form.text {
        match name.as_str() {
            "category_id" => input.category_id = value,
            "institution_id" => input.institution_id = value,
            "region_code" => input.region_code = value,
            "body" => input.body = value,
            "website" => honeypot = value,
            _ => {}
        }
    }
    if !honeypot.trim().is_empty() {
        return Err(Refusal::new(locale, AppError::Request("refused".into())));
    }
    let mut errors = Vec::new();
    let arrived: u64 = form
        .files
        .files()
        .iter()
        .map(|f| {
            let copy = f.clean_stored_name != f.stored_name;
            f.size + if copy { f.clean_size } else { 0 }
        })
        .sum();
    let refused_for_room = full && form.refused.contains(&evidence::Refusal::TooMany);
    if refused_for_room || (arrived > 0 && used.saturating_add(arrived) > quota) {
        // Nothing is kept: the files received go with `form`, and the tip is not stored.
        errors.push(FieldError {
            field: "evidence".into(),
            key: "error-tip-files-full".into(),
        });
    } else if let Some(refusal) = form.refused.first() {
        errors.push(FieldError {
            field: "evidence".into(),
            key: refusal.key().into(),
        });
    }
    // Not read, so not to be judged by what little arrived.
    if form.too_long.iter().any(|field| field == "body") {
        errors.push(FieldError {
            field: "body".into(),
            key: "error-tip-too-long".into(),
        });
    }
    if !errors.is_empty() {
        return Ok(
            Redirect::to(&format!("/signalement?errors={}", encode_errors(&errors)))
                .into_response(),
        );
    }
    let db = state.db.clone();
    let throttle = state.throttle.clone();
    let files = form.files;
    let stored = crate::server::run_to_end(async move {
        let receipt = tips::receive(&db, &throttle.hashing, input, files.files()).await?;
        files.keep_all();
        Ok(receipt)
    });
    Ok(match stored.await {
        Ok(receipt) => {
            let token = state.receipts.put(receipt);
            to_page_with_cookie(&state, "/signalement/recu", RECEIPT_COOKIE, &token)
        }
        Err(AppError::Validation(errors)) => {
            Redirect::to(&format!("/signalement?errors={}", encode_errors(&errors))).into_response()
        }
        Err(error) => return Err(Refusal::new(locale, error)),
    })
}

/// A redirect to `to`, with a cookie holding the token of what that page shows once.
fn to_page_with_cookie(state: &AppState, to: &str, name: &str, token: &str) -> Response {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{name}={token}; Path=/; Max-Age=600; SameSite=Strict; HttpOnly{secure}");
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A tip the rate limit holds back (the address's allowance, or everyone's): its text and
/// choices are read, no file written, and the form shows them again once, in the portal's own
/// page, with how long to wait. Nothing of it is kept but in memory, a few minutes.
async fn held(
    state: &AppState,
    locale: crate::domain::Locale,
    multipart: &mut Multipart,
    why: AppError,
    wait: std::time::Duration,
) -> Result<Response, Refusal> {
    let dir = evidence::files_dir(&state.settings.data_dir);
    let form = receive_form(multipart, &dir, TIP_FIELDS, |_| std::future::ready(0))
        .await
        .or_refuse(locale)?;
    let mut draft = TipDraft {
        reason: match why {
            AppError::Busy => "tip-held-busy",
            _ => "tip-held-address",
        }
        .into(),
        wait_minutes: wait.as_secs().div_ceil(60).max(1),
        files_dropped: !form.refused.is_empty(),
        ..TipDraft::default()
    };
    for (name, value) in form.text {
        match name.as_str() {
            "category_id" => draft.category_id = value,
            "institution_id" => draft.institution_id = value,
            "region_code" => draft.region_code = value,
            "body" => draft.body = value,
            _ => {}
        }
    }
    let token = state.tip_drafts.put(draft);
    Ok(to_page_with_cookie(
        state,
        "/signalement",
        TIP_DRAFT_COOKIE,
        &token,
    ))
}

/// `GET /tips/files/{id}`: a tip's evidence, as sent, for the NHRC only; audited.
pub async fn download(
    State(state): State<AppState>,
    SignedIn { user, locale }: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    if user.role != Role::Monitor {
        return Err(Refusal::new(locale, AppError::NotFound));
    }
    let row = tips::file(&state.db, &user, &id).await.or_refuse(locale)?;
    let path = evidence::files_dir(&state.settings.data_dir).join(&row.stored_name);
    let bytes = tokio::fs::read(&path)
        .await
        .context("cannot read a tip's file")
        .or_refuse(locale)?;
    audit::record(
        &state.db,
        Some(&user),
        "download_original",
        "tip_file",
        row.id,
        None,
    )
    .await
    .or_refuse(locale)?;
    Ok(attachment_response(row.id, &row.content_type, bytes))
}
