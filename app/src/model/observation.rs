//! Observations on the wire: list filters and rows, the case page as its filer and the NHRC see
//! it (with its timeline, evidence and referral cards), and the filing form's data.

use serde::{Deserialize, Serialize};

use super::reference::{CategorySummary, InstitutionSummary, RegionSummary};
use super::referral::ReferralCard;
use crate::domain::Role;
use crate::domain::evidence::AttachmentPurpose;
use crate::domain::lifecycle::{EventKind, ObservationAction, ObservationStatus};
use crate::domain::observation::{ObservationInput, Visibility};

/// The filters of a list, exactly as they appear in the page's URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFilter {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// `YYYY-MM-DD`, on the submission (or forwarding) date.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub overdue: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    /// `newest`, `oldest`, [`SORT_RELEVANCE`] (a search's default), or none: the list's own.
    #[serde(default)]
    pub sort: Option<String>,
    /// The page after this place in the order (a cursor the previous page gave).
    #[serde(default)]
    pub after: Option<String>,
    /// The page before this place in the order.
    #[serde(default)]
    pub before: Option<String>,
}

/// The order of a search's results by relevance, the default when searching (for a word in at
/// most 1000 cases; a word in more is listed in the list's own order).
pub const SORT_RELEVANCE: &str = "relevance";

/// The choices of the list filters, in the viewer's language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListChoices {
    pub categories: Vec<(String, String)>,
    pub institutions: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    /// Whether the viewer may file observations (CSO members and coordinators).
    #[serde(default)]
    pub can_file: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationSummary {
    pub id: String,
    pub reference: Option<String>,
    pub title: String,
    pub status: ObservationStatus,
    pub category: String,
    pub region: String,
    /// Acronyms of the institutions it was forwarded to (or named by the filer, before).
    pub institutions: Vec<String>,
    pub submitted_on: Option<String>,
    /// NHRC only.
    pub organisation: Option<String>,
    pub overdue: bool,
}

/// An observation as its filing organisation and the NHRC see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationDetail {
    pub id: String,
    pub reference: Option<String>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub sensitive: bool,
    pub named_institutions: Vec<String>,
    pub region: String,
    pub cercle: String,
    pub place: String,
    pub incident_date: String,
    pub affected: [i32; 4],
    pub protection: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub organisation: String,
    pub status: ObservationStatus,
    pub resolution: Option<String>,
    pub actions: Vec<ActionChoice<ObservationAction>>,
    pub referrals: Vec<ReferralCard>,
    /// NHRC only, a case in a sensitive category: the institutions it was forwarded to where no
    /// active liaison holds the sensitive-cases permission (nobody there can read it).
    pub unread_at: Vec<String>,
    pub events: Vec<EventView>,
    pub attachments: Vec<AttachmentView>,
    /// NHRC only: active institutions it has not been forwarded to yet.
    pub forward_targets: Vec<(String, String)>,
    pub viewer_is_nhrc: bool,
}

/// An action the viewer may take now, and whether it needs a note (reason, question, response).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionChoice<A> {
    pub action: A,
    pub note_required: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub kind: EventKind,
    /// A person's name for the NHRC; empty for everyone else, who see `actor_role`.
    pub actor: String,
    /// None: the portal itself (a deadline passed).
    pub actor_role: Option<Role>,
    pub note: Option<String>,
    pub visibility: Visibility,
    pub at: String,
    /// The institution of the referral the event belongs to (not shown to liaisons).
    pub institution: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub purpose: AttachmentPurpose,
    /// NHRC only: the fingerprint of the sealed original, which it may download.
    pub sha256: Option<String>,
}

/// What the filing form needs: the draft's values (or a fresh form token) and the choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingForm {
    pub id: Option<String>,
    pub form_token: String,
    pub values: ObservationInput,
    pub evidence: Vec<AttachmentView>,
    pub categories: Vec<CategorySummary>,
    pub institutions: Vec<InstitutionSummary>,
    pub regions: Vec<RegionSummary>,
}
