use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub observation_id: Uuid,
    /// Set for an institution's documents (attached to its referral).
    pub referral_id: Option<Uuid>,
    pub uploaded_by: Uuid,
    /// `evidence` (from the CSO) or `document` (from the institution).
    pub purpose: String,
    /// As the uploader named it; shown to the uploader's side and the NHRC only.
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Generated file names under the data folder's `files/`, never served directly.
    pub stored_name: String,
    pub clean_stored_name: Option<String>,
    /// The size of the cleaned copy (what `/files/{id}` sends); null for files stored before
    /// it was recorded.
    pub clean_size_bytes: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
