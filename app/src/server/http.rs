//! The HTTP edge of errors and callers: each error's status, the refusal a plain route answers
//! with (in the caller's words), the signed-in user as an extractor, and the status of a server
//! function's error. Unexpected errors are logged here, once, as their response is made.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::Locale;
use crate::error::AppError;
use crate::i18n::translate;
use crate::server::auth::{CurrentUser, RequestContext};

/// The HTTP status an error answers with (JavaScript clients and curl see it; JavaScript-less
/// form posts to server functions are redirected back to their page instead).
pub fn http_status(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::AwaitingApproval => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::TooManyAttempts | AppError::QuotaReached => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        AppError::InvalidToken | AppError::Validation(_) | AppError::Request(_) => {
            StatusCode::BAD_REQUEST
        }
        AppError::Unexpected { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A plain route's answer to an error: its status and its message in the caller's language,
/// never stored by the browser. An unexpected error shows its reference only.
pub struct Refusal {
    locale: Locale,
    error: AppError,
    /// The message's catalogue key, when it is not the error's own.
    key: Option<&'static str>,
}

impl Refusal {
    pub fn new(locale: Locale, error: AppError) -> Refusal {
        Refusal {
            locale,
            error,
            key: None,
        }
    }

    /// A request refused (400) with a message of its own (e.g. an unknown export format).
    pub fn bad_request(locale: Locale, key: &'static str) -> Refusal {
        Refusal {
            locale,
            error: AppError::Request(key.into()),
            key: Some(key),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.error.log_if_unexpected();
        let key = self.key.unwrap_or_else(|| self.error.message_key());
        let mut response = (http_status(&self.error), translate(self.locale, key)).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// `result.or_refuse(locale)?` in a plain route: the error becomes the route's refusal.
pub trait OrRefuse<T> {
    fn or_refuse(self, locale: Locale) -> Result<T, Refusal>;
}

impl<T, E> OrRefuse<T> for Result<T, E>
where
    AppError: From<E>,
{
    // The caller's place, for a database error's context.
    #[track_caller]
    fn or_refuse(self, locale: Locale) -> Result<T, Refusal> {
        match self {
            Ok(value) => Ok(value),
            Err(error) => Err(Refusal::new(locale, AppError::from(error))),
        }
    }
}

/// The caller of a plain route, as [`crate::server::auth::identify`] found it: the page
/// language, and who is signed in, if anyone.
impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Refusal> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| {
                Refusal::new(
                    Locale::default(),
                    crate::server::unexpected("the request passed no identification"),
                )
            })
    }
}

/// The fully signed-in caller of a plain route (past the second factor where one is needed),
/// with the page language. Anyone else is refused with 401, in words.
pub struct SignedIn {
    pub user: CurrentUser,
    pub locale: Locale,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        let context = RequestContext::from_request_parts(parts, state).await?;
        match context.user {
            Some(user) => Ok(SignedIn {
                user,
                locale: context.locale,
            }),
            None => Err(Refusal::new(context.locale, AppError::Unauthenticated)),
        }
    }
}

/// Called as a server function's error goes on the wire ([`AppError`]'s `ser`): logs an
/// unexpected error, and gives the answer the error's own status instead of server_fn's 500,
/// so that a refused or invalid request is never reported as a server failure. A
/// JavaScript-less form post keeps the redirect back to its page that server_fn gives it, and
/// a server function called while a page renders changes nothing of the page.
pub fn server_fn_error_answered(error: &AppError) {
    use leptos::prelude::use_context;
    error.log_if_unexpected();
    let Some(request) = use_context::<Parts>() else {
        return;
    };
    let wants_page = request
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if !request.uri.path().starts_with("/api/") || wants_page {
        return;
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http_status(error));
    }
}
