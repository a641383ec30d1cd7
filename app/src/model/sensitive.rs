//! Who may read cases in a sensitive category: the staff the permission page lists, and what
//! the viewer may change on each row.

use serde::{Deserialize, Serialize};

/// A monitor or liaison, as the sensitive-cases page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitiveHolder {
    pub id: String,
    pub display_name: String,
    pub email: String,
    /// The liaison's institution (acronym); none for monitors.
    pub institution: Option<String>,
    /// Holds the sensitive-cases permission.
    pub holds: bool,
    /// A liaison who grants the permission within their institution.
    pub coordinates: bool,
    /// The viewer may grant or revoke the permission on this row.
    pub may_change: bool,
}

/// The sensitive-cases page: monitors see every monitor and liaison; a liaison sees their own
/// institution's liaisons (and may change them when they coordinate it and hold the
/// permission).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitiveAccess {
    pub viewer_holds: bool,
    /// The viewer may grant or revoke it to someone (a monitor; a coordinating liaison who
    /// holds it).
    pub viewer_grants: bool,
    /// The viewer names coordinating liaisons (monitors).
    pub names_coordinators: bool,
    /// The viewer is a liaison who coordinates their institution (and grants the permission
    /// there once they hold it).
    pub viewer_coordinates: bool,
    pub monitors: Vec<SensitiveHolder>,
    pub liaisons: Vec<SensitiveHolder>,
}
