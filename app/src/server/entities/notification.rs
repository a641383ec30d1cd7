use sea_orm::entity::prelude::*;

/// One mail to send (the outbox). Holds no case text: the reference, the new status and, where
/// the recipient may see it, the institution's acronym.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub recipient_id: Uuid,
    pub template: String,
    pub locale: String,
    pub observation_id: Option<Uuid>,
    /// The anonymous tip a mail is about (it then has no observation nor reference).
    pub tip_id: Option<Uuid>,
    pub reference: String,
    pub status: Option<String>,
    pub institution: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
