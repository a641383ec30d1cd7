//! The one error every server function returns, serialisable to the browser. It carries
//! message-catalogue keys, never a database message; unexpected failures carry only a reference
//! that is also in the server log, with the cause kept on the server beside it.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Seconds a client told "busy" (503) is asked to wait before trying again: the same whether
/// the instance refused it at the door, the database pool had no connection free, or the
/// database was locked.
pub const RETRY_AFTER_SECONDS: &str = "2";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    /// Also used for records outside the caller's scope: they must look like missing ones.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The password was right, but the account (a monitor) waits for another monitor's approval.
    #[error("awaiting approval")]
    AwaitingApproval,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many attempts")]
    TooManyAttempts,
    /// The server has more of this work than it takes at once (slow hashes, anonymous
    /// traffic across all addresses): try again in a moment.
    #[error("busy")]
    Busy,
    /// The organisation's daily filing quota is used up.
    #[error("daily quota reached")]
    QuotaReached,
    #[error("invalid or expired link")]
    InvalidToken,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The browser gets the reference only; the cause stays on the server (never serialised)
    /// and is logged once, with its chain and the same reference, where the response is made.
    #[error("unexpected error, reference {reference}")]
    Unexpected {
        reference: String,
        #[serde(skip)]
        cause: Cause,
    },
    #[error("request error: {0}")]
    Request(String),
}

impl AppError {
    pub fn field(field: &str, key: &str) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            key: key.into(),
        }])
    }

    /// The catalogue key of the general message shown above a form.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "error-unauthenticated",
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::AwaitingApproval => "error-awaiting-approval",
            AppError::InvalidCredentials => "error-invalid-credentials",
            AppError::TooManyAttempts => "error-too-many-attempts",
            AppError::Busy => "error-busy",
            AppError::QuotaReached => "error-quota-reached",
            AppError::InvalidToken => "error-invalid-token",
            AppError::Validation(_) => "error-validation",
            AppError::Unexpected { .. } => "error-unexpected",
            AppError::Request(_) => "error-request",
        }
    }

    /// The catalogue key of the error attached to `field`, if any.
    pub fn field_key(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.key.clone()),
            _ => None,
        }
    }

    pub fn reference(&self) -> Option<&str> {
        match self {
            AppError::Unexpected { reference, .. } => Some(reference),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }

    /// Every server function's error passes here on its way to the wire: the edge where it is
    /// logged (if unexpected) and given its HTTP status.
    #[cfg(feature = "ssr")]
    fn ser(&self) -> server_fn::Bytes {
        self.answered();
        serde_json::to_vec(self)
            .map(server_fn::Bytes::from)
            .unwrap_or_else(|_| server_fn::Bytes::from_static(br#"{"Request":"serialization"}"#))
    }
}

/// What lies behind an unexpected error, kept on the server only (empty in the browser). It is
/// logged once: where the response is made ([`Cause::log`]), or else when the last copy of the
/// error goes (a page rendered on the server, a background job), so that no cause goes
/// unlogged and none is logged twice.
#[derive(Clone, Default)]
pub struct Cause(#[cfg(feature = "ssr")] Option<std::sync::Arc<cause::Logged>>);

/// Not part of an error's identity: two unexpected errors differ by their reference.
impl PartialEq for Cause {
    fn eq(&self, _: &Cause) -> bool {
        true
    }
}

impl Eq for Cause {}

/// The chain, on the server (test failures and `?error` in logs show it); nothing in the browser.
impl std::fmt::Debug for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(feature = "ssr")]
        if let Some(logged) = &self.0 {
            return write!(f, "Cause({:#})", logged.error);
        }
        f.write_str("Cause")
    }
}

#[cfg(feature = "ssr")]
mod cause {
    use std::sync::atomic::{AtomicBool, Ordering};

    use axum::http::request::Parts;
    use axum::http::{StatusCode, header};

    use super::{AppError, Cause};

    pub struct Logged {
        reference: String,
        pub(super) error: anyhow::Error,
        logged: AtomicBool,
    }

    impl Logged {
        fn log(&self) {
            if !self.logged.swap(true, Ordering::AcqRel) {
                // `{:#}`: every context and cause on one line, outermost first.
                tracing::error!(reference = %self.reference, error = %format!("{:#}", self.error), "unexpected error");
            }
        }
    }

    impl Drop for Logged {
        fn drop(&mut self) {
            self.log();
        }
    }

    impl Cause {
        /// Logs the cause with its reference, unless that was done already.
        pub fn log(&self) {
            if let Some(logged) = &self.0 {
                logged.log();
            }
        }
    }

    impl AppError {
        /// The HTTP status the error answers with (JavaScript clients and curl see it;
        /// JavaScript-less form posts to server functions are redirected back to their page
        /// instead).
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::Unauthenticated | AppError::InvalidCredentials => {
                    StatusCode::UNAUTHORIZED
                }
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

        /// A server function's error on its way out: logged if unexpected, and given its
        /// status when a script or curl called the endpoint under `/api/`, so that a refused or
        /// invalid request is never reported as a server failure. A JavaScript-less form post
        /// keeps the redirect back to its page that server_fn gives it, and a server function
        /// called while a page renders changes nothing of the page.
        pub(super) fn answered(&self) {
            use leptos::prelude::use_context;
            self.log_if_unexpected();
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
                response.set_status(self.status());
                if matches!(self, AppError::Busy) {
                    response.insert_header(
                        header::RETRY_AFTER,
                        axum::http::HeaderValue::from_static(super::RETRY_AFTER_SECONDS),
                    );
                }
            }
        }

        /// An unexpected error with a new reference, keeping `error`'s chain for the log.
        pub fn unexpected(error: anyhow::Error) -> AppError {
            let reference = {
                use rand::RngCore;
                let mut bytes = [0u8; 5];
                rand::rng().fill_bytes(&mut bytes);
                hex::encode(bytes)
            };
            AppError::Unexpected {
                reference: reference.clone(),
                cause: Cause(Some(std::sync::Arc::new(Logged {
                    reference,
                    error,
                    logged: AtomicBool::new(false),
                }))),
            }
        }

        /// Logs the cause of an unexpected error (once); other errors are expected, and not
        /// logged.
        pub fn log_if_unexpected(&self) {
            if let AppError::Unexpected { cause, .. } = self {
                cause.log();
            }
        }
    }

    impl From<anyhow::Error> for AppError {
        fn from(error: anyhow::Error) -> AppError {
            AppError::unexpected(error)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::AppError;

        fn chain(error: &AppError) -> String {
            match error {
                AppError::Unexpected { cause, .. } => cause
                    .0
                    .as_ref()
                    .map(|logged| format!("{:#}", logged.error))
                    .unwrap_or_default(),
                other => panic!("expected an unexpected error, got {other:?}"),
            }
        }

        #[test]
        fn a_database_error_met_with_a_question_mark_says_where() {
            fn read() -> Result<(), AppError> {
                Err(sea_orm::DbErr::Custom("the disk is gone".into()))?;
                Ok(())
            }
            let line = line!() - 3;
            let error = read().expect_err("fails");
            let chain = chain(&error);
            assert!(chain.contains(&format!("src/error.rs:{line}:")), "{chain}");
            assert!(chain.ends_with("the disk is gone"), "{chain}");
            // The browser gets the reference only.
            let wire = serde_json::to_string(&error).expect("json");
            assert!(!wire.contains("disk"), "{wire}");
            assert!(
                wire.contains(error.reference().expect("reference")),
                "{wire}"
            );
        }

        #[test]
        fn context_is_kept_as_the_cause_chain() {
            use anyhow::Context;
            let read: Result<(), std::io::Error> = Err(std::io::ErrorKind::NotFound.into());
            let error = AppError::from(read.context("cannot read the evidence file").unwrap_err());
            assert_eq!(
                chain(&error),
                "cannot read the evidence file: entity not found"
            );
        }
    }
}
