use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    /// Argon2id PHC string; never leaves the server.
    pub password_hash: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// `immediate`, `daily` or `off`.
    pub notification_preference: String,
    /// Base32 TOTP secret once the second factor is enrolled; never leaves the server.
    pub totp_secret: Option<String>,
    /// The last time step whose code was accepted: a code is good once.
    pub totp_last_step: Option<i64>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// A monitor account invited by an administrator: it may not sign in until another
    /// active monitor approves it (two-person rule). False for every other account.
    pub awaiting_approval: bool,
    /// Who invited the account, when it awaits approval (the approver must be someone else).
    pub invited_by: Option<Uuid>,
    /// May read cases in a sensitive category (monitors and liaisons), granted by a monitor
    /// or by the institution's coordinating liaison; audited.
    pub sensitive_cases: bool,
    /// The liaison who grants the sensitive-cases permission within their institution.
    pub coordinates_institution: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
