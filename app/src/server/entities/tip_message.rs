use sea_orm::entity::prelude::*;

/// A message on a tip's thread: the NHRC's questions and the tipster's answers.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tip_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tip_id: Uuid,
    /// `nhrc` or `tipster`.
    pub author: String,
    /// The NHRC member who wrote it; none for the tipster.
    pub author_id: Option<Uuid>,
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
