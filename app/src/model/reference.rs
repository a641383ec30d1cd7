//! Reference data on the wire: institutions, categories, holidays, regions and cercles,
//! organisations, and the admin's forms that create them.

use serde::{Deserialize, Serialize};

use crate::domain::institution::InstitutionKind;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstitutionSummary {
    pub id: String,
    pub acronym: String,
    /// In the viewer's language.
    pub name: String,
    pub name_fr: String,
    pub name_en: String,
    pub kind: InstitutionKind,
    pub ack_days: i32,
    pub respond_days: i32,
    pub active: bool,
    /// Whether the NHRC may forward observations to it.
    pub receives_referrals: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategorySummary {
    pub id: String,
    pub code: String,
    pub name_fr: String,
    pub name_en: String,
    pub sensitive: bool,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HolidaySummary {
    pub id: String,
    pub day: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CercleSummary {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionSummary {
    pub code: String,
    pub name: String,
    pub cercles: Vec<CercleSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewInstitution {
    pub acronym: String,
    pub name_fr: String,
    pub name_en: String,
    pub kind: String,
    pub parent_acronym: String,
    pub receives_referrals: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub region_code: Option<String>,
    pub is_womens_organisation: bool,
    pub active: bool,
    /// Observations it may submit per day.
    pub daily_filing_quota: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewOrganisation {
    pub name: String,
    pub acronym: String,
    pub region_code: String,
    pub is_womens_organisation: bool,
    pub contact_email: String,
}
