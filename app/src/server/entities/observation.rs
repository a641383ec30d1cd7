use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "observations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `OBS-2026-000123`, given on submission; drafts have none.
    pub reference: Option<String>,
    pub form_token: String,
    pub organisation_id: Uuid,
    pub author_id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Option<Uuid>,
    pub region_code: Option<String>,
    pub cercle_id: Option<Uuid>,
    pub place: String,
    pub incident_date: Option<Date>,
    pub incident_precision: String,
    pub affected_women: i32,
    pub affected_men: i32,
    pub affected_girls: i32,
    pub affected_boys: i32,
    pub protection: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_consent_at: Option<DateTimeUtc>,
    pub status: String,
    pub resolution: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// The lists' order: the submission, or the creation while a draft.
    pub listed_at: DateTimeUtc,
    /// The earliest running deadline of its referrals: overdue on any later day. Kept by the
    /// database (migration 000018), never written here.
    pub overdue_from: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
