//! The work queue each role starts its day from: what waits for it, grouped by why, each item a
//! link to its case with since when it waits (working days). Filled by `server::queue`.

use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// The navigation counts what waits up to this many, and says "99+" from there: the count is
/// drawn on every page, so it reads no more rows than that.
pub const NAV_COUNT_LIMIT: u64 = 100;

/// Why a case waits for the viewer: one group of the queue each (the NHRC's, a liaison's, an
/// organisation's, in that order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Triage,
    Clarified,
    Contested,
    Escalated,
    Accepted,
    Overdue,
    Tips,
    ToAcknowledge,
    DueSoon,
    InfoReturned,
    ContestedResponses,
    Returned,
    NhrcQuestions,
    InstitutionQuestions,
    Responses,
    Drafts,
    ClosedRecently,
}

impl Bucket {
    /// The groups of each role's queue, in the order the page shows them.
    pub fn of(role: Role) -> &'static [Bucket] {
        use Bucket::*;
        match role {
            Role::Monitor => &[
                Triage, Clarified, Contested, Escalated, Accepted, Overdue, Tips,
            ],
            Role::Liaison => &[
                ToAcknowledge,
                DueSoon,
                InfoReturned,
                ContestedResponses,
                Returned,
            ],
            Role::CsoMember | Role::CsoCoordinator => &[
                NhrcQuestions,
                InstitutionQuestions,
                Responses,
                Drafts,
                ClosedRecently,
            ],
            Role::Admin => &[],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Triage => "triage",
            Bucket::Clarified => "clarified",
            Bucket::Contested => "contested",
            Bucket::Escalated => "escalated",
            Bucket::Accepted => "accepted",
            Bucket::Overdue => "overdue",
            Bucket::Tips => "tips",
            Bucket::ToAcknowledge => "to_acknowledge",
            Bucket::DueSoon => "due_soon",
            Bucket::InfoReturned => "info_returned",
            Bucket::ContestedResponses => "contested_responses",
            Bucket::Returned => "returned",
            Bucket::NhrcQuestions => "nhrc_questions",
            Bucket::InstitutionQuestions => "institution_questions",
            Bucket::Responses => "responses",
            Bucket::Drafts => "drafts",
            Bucket::ClosedRecently => "closed_recently",
        }
    }

    /// The catalogue key of the group's heading.
    pub fn title_key(self) -> String {
        format!("queue-{}", self.as_str())
    }
}

/// The filters of the NHRC's queue, as they appear in the page's URL (the same values as the
/// observation list's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueFilter {
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
}

/// How long an item has waited, or how long it has left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Waiting {
    /// Working days since it came into this state.
    Since(u32),
    /// Working days until its deadline (0: due today).
    DueIn(u32),
    /// Working days past its deadline.
    LateBy(u32),
}

/// One case (or tip) in the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    /// The page where the viewer acts on it.
    pub href: String,
    /// `OBS-…`; empty for a draft or a tip.
    pub reference: String,
    /// The title the viewer may read (an institution's liaison: the released one); for a tip,
    /// its category or region.
    pub title: String,
    /// The institution concerned (a referral seen by the NHRC), as its acronym.
    pub institution: Option<String>,
    /// A word more on why, as a catalogue key (escalated by the deadline job, a tip's reply).
    pub detail_key: Option<String>,
    /// A referral past its running deadline.
    pub overdue: bool,
    pub waiting: Waiting,
}

/// One group of the queue: its items (oldest first, at most a page of them) and how many
/// there are in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueSection {
    pub bucket: Bucket,
    pub total: u64,
    pub items: Vec<QueueItem>,
    /// The list that shows them all, when there is one and the group is longer than shown.
    pub more: Option<String>,
}

/// The whole queue of the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkQueue {
    pub sections: Vec<QueueSection>,
    /// Every group's total added up: the number in the navigation.
    pub total: u64,
    /// Whether the viewer may filter it (the NHRC).
    pub filterable: bool,
}
