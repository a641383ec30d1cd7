//! Referrals on the wire: the liaison's list and case page, and the card of a referral on its
//! observation's page.

use serde::{Deserialize, Serialize};

use super::observation::{ActionChoice, AttachmentView, EventView};
use crate::domain::lifecycle::ReferralStatus;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: ReferralStatus,
    pub forwarded_on: String,
    pub due: Option<String>,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralCard {
    pub id: String,
    pub institution: String,
    pub institution_name: String,
    pub status: ReferralStatus,
    /// The released version; NHRC only (the CSO keeps the original).
    pub released_title: Option<String>,
    pub released_description: Option<String>,
    /// NHRC only: the names of the evidence files shared with the institution.
    pub released_files: Vec<String>,
    pub ack_due: String,
    pub respond_due: String,
    /// The deadlines met: the day of the acknowledgement, and of the response unless a new
    /// one is awaited (contested, or returned by the NHRC).
    pub acknowledged_on: Option<String>,
    pub responded_on: Option<String>,
    pub overdue: bool,
    pub actions: Vec<ActionChoice>,
    /// While contested: why, and the response contested.
    pub contest: Option<ContestView>,
}

/// A contested response: the organisation's latest reason, and the response it contests
/// (both on every party's timeline already).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContestView {
    pub reason: String,
    pub response: Option<String>,
}

/// A referral as the institution's liaison sees it: the released version, and the filer only
/// as far as the protection level allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralDetail {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub region: String,
    pub cercle: String,
    pub place: String,
    pub incident_date: String,
    pub affected: [i32; 4],
    pub organisation: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub status: ReferralStatus,
    pub forwarded_on: String,
    pub ack_due: String,
    pub respond_due: String,
    pub acknowledged_on: Option<String>,
    pub responded_on: Option<String>,
    pub overdue: bool,
    pub actions: Vec<ActionChoice>,
    pub contest: Option<ContestView>,
    pub events: Vec<EventView>,
    pub attachments: Vec<AttachmentView>,
}
