use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "institutions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub acronym: String,
    pub name_fr: String,
    pub name_en: String,
    pub kind: String,
    pub parent_acronym: Option<String>,
    pub ack_days: i32,
    pub respond_days: i32,
    pub active: bool,
    /// Whether it may be forwarded to (the CNDH itself and bodies outside the security
    /// services are named in the reference data but never receive referrals).
    pub receives_referrals: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
