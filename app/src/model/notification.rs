//! Mail delivery as admins see it: the notifications that failed or wait for another attempt.

use serde::{Deserialize, Serialize};

use crate::domain::notification::{MailState, Template};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailProblem {
    pub id: String,
    pub recipient: String,
    /// None for a daily digest.
    pub template: Option<Template>,
    pub reference: String,
    /// `Dead` or `Pending` (waiting for another attempt).
    pub state: MailState,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt: String,
}
