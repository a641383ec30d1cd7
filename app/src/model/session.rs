//! Who is signed in, as the page shell sees it.

use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// What the page shell needs to know about the signed-in user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub display_name: String,
    pub role: Role,
    /// The organisation's or institution's name, when the role has one.
    pub affiliation: Option<String>,
}
