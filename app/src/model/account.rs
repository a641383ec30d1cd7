//! Accounts on the wire: invitations, the user lists, the monitors awaiting approval, and the
//! second-factor enrolment page's state.

use serde::{Deserialize, Serialize};

use crate::domain::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub institution_id: Option<String>,
    pub locale: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub affiliation: Option<String>,
    pub active: bool,
    /// Invited but no password set yet.
    pub pending: bool,
    /// A monitor account waiting for another monitor's approval.
    pub awaiting_approval: bool,
    /// Has an authenticator app enrolled.
    pub second_factor: bool,
    /// The viewer may reset that second factor (admins only).
    pub may_reset_second_factor: bool,
    /// The viewer's own account: never offered to disable (the server refuses it too).
    pub is_viewer: bool,
}

/// A monitor account waiting for a monitor's approval, as the approval page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingMonitor {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// `YYYY-MM-DD`.
    pub invited_on: String,
    /// Who asked for it (display name and address), when known.
    pub invited_by: Option<String>,
    /// Whether the invitee has set a password yet.
    pub password_set: bool,
    /// The viewer may decide (not their own account, not one they invited).
    pub may_decide: bool,
}

/// What the enrolment page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SecondFactorState {
    /// Already enrolled (since this date, `YYYY-MM-DD`).
    Enrolled { since: String },
    /// A secret to add to an app, as a QR code (SVG drawn on the server) and as text, with the
    /// recovery codes that come with it. `mandatory`: the role cannot sign in without it.
    Pending {
        secret: String,
        qr_svg: String,
        recovery_codes: Vec<String>,
        mandatory: bool,
    },
}
