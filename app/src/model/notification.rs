//! Mail delivery as admins see it: the notifications that failed or wait for another attempt.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailProblem {
    pub id: String,
    pub recipient: String,
    pub template: String,
    pub reference: String,
    /// `dead` or `pending` (waiting for another attempt).
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt: String,
}
