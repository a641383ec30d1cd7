//! Anonymous tips on the wire: the NHRC's list, and a tip with its thread as the NHRC or the
//! tipster sees it.

use serde::{Deserialize, Serialize};

use crate::domain::tip::TipStatus;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TipSummary {
    pub id: String,
    pub received_on: String,
    pub status: TipStatus,
    pub category: Option<String>,
    pub institution: Option<String>,
    pub region: Option<String>,
    pub excerpt: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TipDetail {
    /// Only for the NHRC.
    pub id: Option<String>,
    /// The observation the NHRC made of it, if any (only for the NHRC).
    pub observation_id: Option<String>,
    pub received_on: String,
    pub status: TipStatus,
    pub category: Option<String>,
    pub institution: Option<String>,
    pub region: Option<String>,
    /// The NHRC made a case of it: all the tipster learns of what became of it.
    pub taken_up: bool,
    pub body: String,
    pub messages: Vec<TipMessageView>,
    /// Only for the NHRC.
    pub files: Vec<TipFileView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TipMessageView {
    pub from_nhrc: bool,
    pub at: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TipFileView {
    pub id: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// A tip the rate limit held back: what was typed and chosen, shown again once in the form,
/// why it waits (a catalogue key) and for how long.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TipDraft {
    pub body: String,
    pub category_id: String,
    pub institution_id: String,
    pub region_code: String,
    pub reason: String,
    /// Whole minutes until a tip is taken again, at least 1.
    pub wait_minutes: u64,
    /// Files came with it: they were not kept.
    pub files_dropped: bool,
}
