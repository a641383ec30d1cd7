//! The HTTP edge of plain routes: the refusal a route answers with (the error's status, its
//! message in the caller's words), and the signed-in user as an extractor. Unexpected errors are
//! logged here, once, as the response is made (a server function's error is answered by
//! `AppError` itself, in `error.rs`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::domain::Locale;
use crate::error::AppError;
use crate::i18n::translate;
use crate::server::auth::{CurrentUser, RequestContext};

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
        let mut response = (self.error.status(), translate(self.locale, key)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if matches!(self.error, AppError::Busy) {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
            );
        }
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
