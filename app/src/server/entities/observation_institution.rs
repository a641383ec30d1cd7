use sea_orm::entity::prelude::*;

/// An institution the filer believes concerned (the NHRC decides where to forward).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "observation_institutions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub observation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
