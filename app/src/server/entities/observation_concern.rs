//! An institution an observation concerns — named by its filer or referred to — with the
//! observation's place in the list. Kept by the database's triggers (migration 000018) from
//! `observation_institutions`, `referrals` and `observations.listed_at`; never written here.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "observation_concerns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub observation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: Uuid,
    pub listed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::observation::Entity",
        from = "Column::ObservationId",
        to = "super::observation::Column::Id"
    )]
    Observation,
}

impl ActiveModelBehavior for ActiveModel {}
