use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub acronym: Option<String>,
    pub region_code: Option<String>,
    pub is_womens_organisation: bool,
    pub contact_email: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// Observations the organisation may submit per day (UTC); admins can raise it.
    pub daily_filing_quota: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
