//! Referrals on the wire: the liaison's list and case page, and the card of a referral on its
//! observation's page.

use serde::{Deserialize, Serialize};

use super::observation::{ActionChoice, AttachmentView, EventView};
use super::queue::Waiting;
use crate::domain::lifecycle::{ReferralAction, ReferralStatus};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: ReferralStatus,
    pub forwarded_on: String,
    pub next_deadline: Option<NextDeadline>,
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
    /// The deadline that runs now, if one does: the first thing a case page says.
    pub next_deadline: Option<NextDeadline>,
    pub actions: Vec<ActionChoice<ReferralAction>>,
    /// While contested: why, and the response contested.
    pub contest: Option<ContestView>,
}

/// Which of a referral's deadlines runs (the acknowledgement or the response), its day, and
/// how many working days are left or have passed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NextDeadline {
    pub kind: DeadlineKind,
    /// ISO day (`2026-12-07`).
    pub due: String,
    /// `DueIn` or `LateBy`.
    pub waiting: Waiting,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Acknowledge,
    Respond,
}

impl DeadlineKind {
    pub fn label_key(self) -> &'static str {
        match self {
            DeadlineKind::Acknowledge => "obs-deadline-acknowledge",
            DeadlineKind::Respond => "obs-deadline-respond",
        }
    }
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
    pub next_deadline: Option<NextDeadline>,
    pub actions: Vec<ActionChoice<ReferralAction>>,
    pub contest: Option<ContestView>,
    pub events: Vec<EventView>,
    pub attachments: Vec<AttachmentView>,
}
