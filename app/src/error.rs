//! The one error every server function returns, serialisable to the browser. It carries
//! message-catalogue keys, never a database message; unexpected failures carry only a reference
//! that is also in the server log.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

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
    #[error("unexpected error, reference {reference}")]
    Unexpected { reference: String },
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
            AppError::Unexpected { reference } => Some(reference),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}
