use sea_orm::entity::prelude::*;

/// A reminder or overdue notice already queued for one deadline of one referral.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub referral_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub due: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
