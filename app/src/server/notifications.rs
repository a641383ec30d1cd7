//! Preferences and the failed-mail list, and the one-click unsubscribe route.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::AppState;
use super::auth::RequestContext;
use super::entities::{notification, user};
use super::outbox::{DEAD, PENDING, unsubscribe};
use super::unexpected;
use crate::domain::notification::{DIGEST_TEMPLATE, MailState, Preference, Template};
use crate::error::AppError;
use crate::i18n::translate;
use crate::model::notification::MailProblem;
use crate::server::mail::escape_html;

#[tracing::instrument(skip_all, fields(user = %user_id))]
pub async fn preference(db: &DatabaseConnection, user_id: Uuid) -> Result<Preference, AppError> {
    // The outbox treats a stored preference it does not know as `immediate`: so does the page.
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|u| Preference::parse(&u.notification_preference))
        .unwrap_or(Preference::Immediate))
}

#[tracing::instrument(skip_all, fields(user = %user_id))]
pub async fn set_preference(
    db: &DatabaseConnection,
    user_id: Uuid,
    value: &str,
) -> Result<(), AppError> {
    let preference = Preference::parse(value.trim())
        .ok_or_else(|| AppError::field("preference", "error-choice-invalid"))?;
    user::Entity::update_many()
        .col_expr(
            user::Column::NotificationPreference,
            Expr::value(preference.as_str()),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Dead rows, and rows waiting for another attempt after a failure, newest first.
#[tracing::instrument(skip_all)]
pub async fn problems(db: &DatabaseConnection) -> Result<Vec<MailProblem>, AppError> {
    let rows = notification::Entity::find()
        .filter(
            Condition::any()
                .add(notification::Column::State.eq(DEAD))
                .add(
                    Condition::all()
                        .add(notification::Column::State.eq(PENDING))
                        .add(notification::Column::Attempts.gt(0)),
                ),
        )
        .order_by_desc(notification::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.recipient_id).collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| -> Result<MailProblem, AppError> {
            let template = match r.template.as_str() {
                DIGEST_TEMPLATE => None,
                name => Some(Template::parse(name).ok_or_else(|| {
                    unexpected(format!("notification {} has template {name:?}", r.id))
                })?),
            };
            let state = MailState::parse(&r.state).ok_or_else(|| {
                unexpected(format!("notification {} has state {:?}", r.id, r.state))
            })?;
            Ok(MailProblem {
                id: r.id.to_string(),
                recipient: users
                    .iter()
                    .find(|u| u.id == r.recipient_id)
                    .map(|u| u.email.clone())
                    .unwrap_or_default(),
                template,
                reference: r.reference,
                state,
                attempts: r.attempts,
                last_error: r.last_error,
                next_attempt: r.next_attempt_at.format("%Y-%m-%d %H:%M").to_string(),
            })
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The language of the account an unsubscribe token was made for, if the token is genuine:
/// the link is followed without a session, and its pages speak the reader's language.
pub async fn token_locale(
    db: &sea_orm::DatabaseConnection,
    token: &str,
) -> Option<crate::domain::Locale> {
    let user_id = unsubscribe::verify(db, token).await.ok().flatten()?;
    let account = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .ok()
        .flatten()?;
    crate::domain::Locale::parse(&account.locale)
}

/// The token of an address's query (`?token=…`), as it came.
pub fn token_in_query(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v.to_string())
}

/// `POST /unsubscribe?token=…`: RFC 8058 one-click unsubscribe. No session needed (the token
/// is the proof), so it is also exempt from the cross-site check: mail providers post it.
pub async fn one_click(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Query(query): Query<TokenQuery>,
    body: String,
) -> Response {
    // The token in the query (one-click) or in the confirmation form's body.
    let from_body = body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v.to_string());
    let token = query.token.or(from_body).unwrap_or_default();
    let locale = match context.user {
        Some(_) => context.locale,
        None => token_locale(&state.db, &token)
            .await
            .unwrap_or(context.locale),
    };
    let verified = match unsubscribe::verify(&state.db, &token).await {
        Ok(verified) => verified,
        Err(error) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                translate(locale, error.message_key()),
            )
                .into_response();
        }
    };
    let (status, key) = match verified {
        Some(user_id) => match set_preference(&state.db, user_id, Preference::Off.as_str()).await {
            Ok(()) => (StatusCode::OK, "notice-unsubscribed"),
            Err(error) => {
                error.log_if_unexpected();
                (StatusCode::INTERNAL_SERVER_ERROR, error.message_key())
            }
        },
        None => (StatusCode::BAD_REQUEST, "error-unsubscribe-invalid"),
    };
    let page = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Veille</title></head>\
         <body><p>{message}</p><p><a href=\"/preferences\">{preferences}</a></p></body></html>",
        lang = locale.as_str(),
        message = escape_html(&translate(locale, key)),
        preferences = escape_html(&translate(locale, "nav-preferences")),
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}
