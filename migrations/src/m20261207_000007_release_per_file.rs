//! Evidence is released per file: which of an observation's files each referral shares
//! (`referral_attachments`), instead of all or nothing. Referrals that shared their evidence
//! keep every evidence file they had. Also the size of the copy institutions receive (images
//! are re-encoded, so it differs from the original's); unknown (null) for files stored before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReferralAttachments {
    Table,
    ReferralId,
    AttachmentId,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    CleanSizeBytes,
}

#[derive(DeriveIden)]
enum TipFiles {
    Table,
    CleanSizeBytes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ReferralAttachments as RA;
        m.create_table(
            Table::create()
                .table(RA::Table)
                .col(ColumnDef::new(RA::ReferralId).uuid().not_null())
                .col(ColumnDef::new(RA::AttachmentId).uuid().not_null())
                .primary_key(Index::create().col(RA::ReferralId).col(RA::AttachmentId))
                .foreign_key(
                    ForeignKey::create()
                        .from(RA::Table, RA::ReferralId)
                        .to(Referrals::Table, Referrals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RA::Table, RA::AttachmentId)
                        .to(Attachments::Table, Attachments::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Evidence is the observation's files that belong to no referral (an institution's
        // documents do).
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO referral_attachments (referral_id, attachment_id) \
                 SELECT r.id, a.id FROM referrals r \
                 JOIN attachments a ON a.observation_id = r.observation_id \
                 WHERE r.share_evidence AND a.referral_id IS NULL",
            )
            .await?;
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table(Attachments::Table)
                .add_column(
                    ColumnDef::new(Attachments::CleanSizeBytes)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TipFiles::Table)
                .add_column(
                    ColumnDef::new(TipFiles::CleanSizeBytes)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(TipFiles::Table)
                .drop_column(TipFiles::CleanSizeBytes)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Attachments::Table)
                .drop_column(Attachments::CleanSizeBytes)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(ReferralAttachments::Table).to_owned())
            .await?;
        Ok(())
    }
}
