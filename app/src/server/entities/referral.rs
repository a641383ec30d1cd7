use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub observation_id: Uuid,
    pub institution_id: Uuid,
    /// The version the NHRC released to the institution (possibly redacted).
    pub title: String,
    pub description: String,
    /// The free-text place as released (the NHRC may redact the filer's).
    pub place: Option<String>,
    /// Whether any evidence file was shared (which ones: `referral_attachments`).
    pub share_evidence: bool,
    pub status: String,
    pub forwarded_at: DateTimeUtc,
    pub ack_due: Date,
    pub respond_due: Date,
    /// The response deadline first given, kept when a contest or a return replaced
    /// `respond_due`: the on-time measures count against it. `None` while never replaced.
    pub original_respond_due: Option<Date>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub responded_at: Option<DateTimeUtc>,
    /// Set when the deadline job escalated it, so that it does so once.
    pub auto_escalated: bool,
    pub closed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// The liaison's list order: `calendar::list_due` of the row as it stands (kept by
    /// `record` with every status change).
    pub list_due: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
