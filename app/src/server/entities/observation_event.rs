use sea_orm::entity::prelude::*;

/// One line of a case's timeline; append-only.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "observation_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub observation_id: Uuid,
    pub referral_id: Option<Uuid>,
    /// None for the system (automatic escalation).
    pub actor_id: Option<Uuid>,
    pub actor_role: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub visibility: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
