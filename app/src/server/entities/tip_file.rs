use sea_orm::entity::prelude::*;

/// Evidence sent with a tip: the sealed original and, for images, a copy without metadata.
/// No file name is kept (the sender's may identify them).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tip_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tip_id: Uuid,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub stored_name: String,
    pub clean_stored_name: Option<String>,
    /// The size of the cleaned copy; null for files stored before it was recorded.
    pub clean_size_bytes: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
