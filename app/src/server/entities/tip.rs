use sea_orm::entity::prelude::*;

/// An anonymous tip. Nothing here says who sent it; the receipt code is kept only as a slow
/// hash.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tips")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub receipt_hash: String,
    pub category_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    pub region_code: Option<String>,
    pub body: String,
    /// `new`, `awaiting_reply` (the NHRC asked), `answered` (the tipster replied), `closed`,
    /// `converted` (an observation was made of it).
    pub status: String,
    pub observation_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
