//! Anonymous tips. The tipster's side (`tip_choices`, `take_tip_draft`, `take_tip_receipt`, `open_tip`,
//! `tip_thread`, `reply_tip`, `leave_tip`) needs no account: a receipt opens one tip for the
//! session. The NHRC's side (`list_tips`, `get_tip`, `ask_tip`, `convert_tip`, `close_tip`) is
//! for monitors, each tip within their scope (`scope::tips`: sensitive ones need the
//! permission), any other answering like a missing tip.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::observation::ListChoices;
use crate::model::tip::{TipDetail, TipDraft, TipSummary};

#[cfg(feature = "ssr")]
use crate::server::auth::{RECEIPT_COOKIE, TIP_DRAFT_COOKIE};

/// Categories, institutions and regions for the public form (reference data, no case data).
#[server(prefix = "/api", endpoint = "tip_choices")]
pub async fn tip_choices() -> Result<ListChoices, AppError> {
    use crate::server::{auth, observations::listing};
    let state = crate::server::state()?;
    let locale = auth::request_context().await?.locale;
    listing::tip_choices(&state.db, locale).await
}

/// The receipt of the tip just sent, once: the page that shows it is the only response that
/// ever carries it. `None` when it was shown already (or never existed).
#[server(prefix = "/api", endpoint = "take_tip_receipt")]
pub async fn take_tip_receipt() -> Result<Option<String>, AppError> {
    use crate::server::{auth, sign_in};
    let state = crate::server::state()?;
    let Some(token) = auth::request_cookie(RECEIPT_COOKIE).await else {
        return Ok(None);
    };
    sign_in::set_cookie(&state, RECEIPT_COOKIE, "", 0);
    Ok(state.receipts.take(&token))
}

/// The tip the rate limit held back, once, to fill the form in again (its text was kept in
/// memory only, under a token in a cookie). `None` when there is none.
#[server(prefix = "/api", endpoint = "take_tip_draft")]
pub async fn take_tip_draft() -> Result<Option<TipDraft>, AppError> {
    use crate::server::{auth, sign_in};
    let state = crate::server::state()?;
    let Some(token) = auth::request_cookie(TIP_DRAFT_COOKIE).await else {
        return Ok(None);
    };
    sign_in::set_cookie(&state, TIP_DRAFT_COOKIE, "", 0);
    Ok(state.tip_drafts.take(&token))
}

/// Opens the tip of a receipt for this session (never through the URL), within the limits on
/// receipt guesses. A tip never shares a session with an account: a signed-in account is
/// signed out first (the page says so), and the tip goes into a new session of its own.
#[server(prefix = "/api", endpoint = "open_tip")]
pub async fn open_tip(receipt: String) -> Result<(), AppError> {
    use crate::server::{auth, tips};
    let state = crate::server::state()?;
    state.throttle.check_receipt(auth::client_address().await)?;
    let tip_id = tips::open(&state.db, &state.throttle.hashing, &receipt).await?;
    let session = auth::session().await?;
    if auth::open_tip_session(&session, tip_id).await? {
        leptos_axum::redirect("/signalement/suivi?notice=tip_signed_out");
    } else {
        leptos_axum::redirect("/signalement/suivi");
    }
    Ok(())
}

/// The opened tip with the NHRC's questions; `None` when no receipt was given in this session.
#[server(prefix = "/api", endpoint = "tip_thread")]
pub async fn tip_thread() -> Result<Option<TipDetail>, AppError> {
    use crate::server::{auth, tips};
    let state = crate::server::state()?;
    let Ok((_, id)) = tips::session_tip().await else {
        return Ok(None);
    };
    let locale = auth::request_context().await?.locale;
    tips::detail(&state.db, id, tips::Reader::Tipster, locale)
        .await
        .map(Some)
}

#[server(prefix = "/api", endpoint = "reply_tip")]
pub async fn reply_tip(body: String) -> Result<(), AppError> {
    use crate::server::tips;
    let state = crate::server::state()?;
    let (_, id) = tips::session_tip().await?;
    tips::reply(&state.db, id, &body).await
}

/// Closes the tip for this browser: the session ends and the browser forgets the site's data.
#[server(prefix = "/api", endpoint = "leave_tip")]
pub async fn leave_tip() -> Result<(), AppError> {
    use crate::server::{auth, sign_in};
    let session = auth::session().await?;
    auth::sign_out(&session).await?;
    sign_in::clear_site_data();
    leptos_axum::redirect("/signalement");
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_tips")]
pub async fn list_tips() -> Result<Vec<TipSummary>, AppError> {
    use crate::domain::Role;
    use crate::server::{auth, tips};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    tips::list(&state.db, &user).await
}

#[server(prefix = "/api", endpoint = "get_tip")]
pub async fn get_tip(id: String) -> Result<TipDetail, AppError> {
    use crate::domain::Role;
    use crate::server::{audit, auth, tips};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    let id = tips::readable(&state.db, &user, &id).await?;
    let detail = tips::detail(&state.db, id, tips::Reader::Nhrc, user.locale).await?;
    audit::record(&state.db, Some(&user), "view", "tip", id, None).await?;
    Ok(detail)
}

#[server(prefix = "/api", endpoint = "ask_tip")]
pub async fn ask_tip(id: String, body: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::{auth, tips};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    let id = tips::readable(&state.db, &user, &id).await?;
    tips::ask(&state.db, &user, id, &body).await
}

/// Makes an observation of the tip (submitted, with a reference) and opens it, to forward it.
#[server(prefix = "/api", endpoint = "convert_tip")]
pub async fn convert_tip(id: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::{auth, tips};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    let id = tips::readable(&state.db, &user, &id).await?;
    let observation = tips::convert(&state.db, &user, id).await?;
    leptos_axum::redirect(&format!("/observations/{observation}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "close_tip")]
pub async fn close_tip(id: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::{auth, tips};
    let (state, user) = auth::require(&[Role::Monitor]).await?;
    let id = tips::readable(&state.db, &user, &id).await?;
    tips::close(&state.db, &user, id).await
}
