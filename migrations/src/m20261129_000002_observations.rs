//! The observation loop: observations (drafts included), the institutions the filer names,
//! referrals (one per institution the NHRC forwards to), the timeline of events, evidence and
//! documents, the audit log, and the yearly counters behind public references.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
    Reference,
    FormToken,
    OrganisationId,
    AuthorId,
    Title,
    Description,
    CategoryId,
    RegionCode,
    CercleId,
    Place,
    IncidentDate,
    IncidentPrecision,
    AffectedWomen,
    AffectedMen,
    AffectedGirls,
    AffectedBoys,
    Protection,
    ContactName,
    ContactPhone,
    ContactConsentAt,
    Status,
    Resolution,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum ObservationInstitutions {
    Table,
    ObservationId,
    InstitutionId,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
    ObservationId,
    InstitutionId,
    Title,
    Description,
    ShareEvidence,
    Status,
    ForwardedAt,
    AckDue,
    RespondDue,
    AcknowledgedAt,
    RespondedAt,
    AutoEscalated,
    ClosedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ObservationEvents {
    Table,
    Id,
    ObservationId,
    ReferralId,
    ActorId,
    ActorRole,
    Kind,
    FromStatus,
    ToStatus,
    Note,
    Visibility,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    ObservationId,
    ReferralId,
    UploadedBy,
    Purpose,
    OriginalName,
    ContentType,
    SizeBytes,
    Sha256,
    StoredName,
    CleanStoredName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Id,
    ActorId,
    ActorRole,
    Action,
    TargetKind,
    TargetId,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReferenceCounters {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Institutions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn id<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

fn moment<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn optional_moment<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn count<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .integer()
        .not_null()
        .default(0)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Observations as O;
        m.create_table(
            Table::create()
                .table(O::Table)
                .col(id(O::Id))
                .col(ColumnDef::new(O::Reference).string().null().unique_key())
                // The hidden token of the form that created the draft: a resent form finds it.
                .col(
                    ColumnDef::new(O::FormToken)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(O::OrganisationId).uuid().not_null())
                .col(ColumnDef::new(O::AuthorId).uuid().not_null())
                .col(ColumnDef::new(O::Title).string().not_null())
                .col(ColumnDef::new(O::Description).text().not_null())
                .col(ColumnDef::new(O::CategoryId).uuid().null())
                .col(ColumnDef::new(O::RegionCode).string().null())
                .col(ColumnDef::new(O::CercleId).uuid().null())
                .col(ColumnDef::new(O::Place).string().not_null())
                .col(ColumnDef::new(O::IncidentDate).date().null())
                .col(ColumnDef::new(O::IncidentPrecision).string().not_null())
                .col(count(O::AffectedWomen))
                .col(count(O::AffectedMen))
                .col(count(O::AffectedGirls))
                .col(count(O::AffectedBoys))
                .col(ColumnDef::new(O::Protection).string().not_null())
                .col(ColumnDef::new(O::ContactName).string().null())
                .col(ColumnDef::new(O::ContactPhone).string().null())
                .col(optional_moment(O::ContactConsentAt))
                .col(ColumnDef::new(O::Status).string().not_null())
                .col(ColumnDef::new(O::Resolution).string().null())
                .col(moment(O::CreatedAt))
                .col(moment(O::UpdatedAt))
                .col(optional_moment(O::SubmittedAt))
                .col(optional_moment(O::ClosedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(O::Table, O::OrganisationId)
                        .to(Organisations::Table, Organisations::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(O::Table, O::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("observations_by_organisation")
                .table(O::Table)
                .col(O::OrganisationId)
                .col(O::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("observations_by_status")
                .table(O::Table)
                .col(O::Status)
                .col(O::SubmittedAt)
                .to_owned(),
        )
        .await?;

        use ObservationInstitutions as OI;
        m.create_table(
            Table::create()
                .table(OI::Table)
                .col(ColumnDef::new(OI::ObservationId).uuid().not_null())
                .col(ColumnDef::new(OI::InstitutionId).uuid().not_null())
                .primary_key(
                    Index::create()
                        .col(OI::ObservationId)
                        .col(OI::InstitutionId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OI::Table, OI::ObservationId)
                        .to(O::Table, O::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OI::Table, OI::InstitutionId)
                        .to(Institutions::Table, Institutions::Id),
                )
                .to_owned(),
        )
        .await?;

        use Referrals as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(id(R::Id))
                .col(ColumnDef::new(R::ObservationId).uuid().not_null())
                .col(ColumnDef::new(R::InstitutionId).uuid().not_null())
                .col(ColumnDef::new(R::Title).string().not_null())
                .col(ColumnDef::new(R::Description).text().not_null())
                .col(ColumnDef::new(R::ShareEvidence).boolean().not_null())
                .col(ColumnDef::new(R::Status).string().not_null())
                .col(moment(R::ForwardedAt))
                .col(ColumnDef::new(R::AckDue).date().not_null())
                .col(ColumnDef::new(R::RespondDue).date().not_null())
                .col(optional_moment(R::AcknowledgedAt))
                .col(optional_moment(R::RespondedAt))
                .col(ColumnDef::new(R::AutoEscalated).boolean().not_null())
                .col(optional_moment(R::ClosedAt))
                .col(moment(R::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(R::Table, R::ObservationId)
                        .to(O::Table, O::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(R::Table, R::InstitutionId)
                        .to(Institutions::Table, Institutions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("referrals_one_per_institution")
                .table(R::Table)
                .col(R::ObservationId)
                .col(R::InstitutionId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("referrals_by_institution")
                .table(R::Table)
                .col(R::InstitutionId)
                .col(R::Status)
                .to_owned(),
        )
        .await?;

        use ObservationEvents as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .col(id(E::Id))
                .col(ColumnDef::new(E::ObservationId).uuid().not_null())
                .col(ColumnDef::new(E::ReferralId).uuid().null())
                .col(ColumnDef::new(E::ActorId).uuid().null())
                .col(ColumnDef::new(E::ActorRole).string().not_null())
                .col(ColumnDef::new(E::Kind).string().not_null())
                .col(ColumnDef::new(E::FromStatus).string().null())
                .col(ColumnDef::new(E::ToStatus).string().null())
                .col(ColumnDef::new(E::Note).text().null())
                .col(ColumnDef::new(E::Visibility).string().not_null())
                .col(moment(E::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::ObservationId)
                        .to(O::Table, O::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(E::Table, E::ReferralId)
                        .to(R::Table, R::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("events_by_observation")
                .table(E::Table)
                .col(E::ObservationId)
                .col(E::CreatedAt)
                .to_owned(),
        )
        .await?;

        use Attachments as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(id(A::Id))
                .col(ColumnDef::new(A::ObservationId).uuid().not_null())
                .col(ColumnDef::new(A::ReferralId).uuid().null())
                .col(ColumnDef::new(A::UploadedBy).uuid().not_null())
                .col(ColumnDef::new(A::Purpose).string().not_null())
                .col(ColumnDef::new(A::OriginalName).string().not_null())
                .col(ColumnDef::new(A::ContentType).string().not_null())
                .col(ColumnDef::new(A::SizeBytes).big_integer().not_null())
                .col(ColumnDef::new(A::Sha256).string().not_null())
                .col(ColumnDef::new(A::StoredName).string().not_null())
                .col(ColumnDef::new(A::CleanStoredName).string().null())
                .col(moment(A::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, A::ObservationId)
                        .to(O::Table, O::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, A::ReferralId)
                        .to(R::Table, R::Id),
                )
                .to_owned(),
        )
        .await?;

        use AuditEntries as AE;
        m.create_table(
            Table::create()
                .table(AE::Table)
                .col(id(AE::Id))
                .col(ColumnDef::new(AE::ActorId).uuid().null())
                .col(ColumnDef::new(AE::ActorRole).string().not_null())
                .col(ColumnDef::new(AE::Action).string().not_null())
                .col(ColumnDef::new(AE::TargetKind).string().not_null())
                .col(ColumnDef::new(AE::TargetId).string().not_null())
                .col(ColumnDef::new(AE::Detail).text().null())
                .col(moment(AE::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ReferenceCounters::Table)
                .col(
                    ColumnDef::new(ReferenceCounters::Year)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ReferenceCounters::Last).integer().not_null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReferenceCounters::Table.into_iden(),
            AuditEntries::Table.into_iden(),
            Attachments::Table.into_iden(),
            ObservationEvents::Table.into_iden(),
            Referrals::Table.into_iden(),
            ObservationInstitutions::Table.into_iden(),
            Observations::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
