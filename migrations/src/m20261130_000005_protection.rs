//! Reporter protection: second factors (TOTP secret, last accepted step, recovery codes), the
//! hash chain over the audit log (its head row serialises appends), organisations' daily
//! filing quota, and anonymous tips with their message threads.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    TotpSecret,
    TotpLastStep,
    TotpEnabledAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Seq,
    PrevHash,
    Hash,
}

/// One row: the sequence number and hash of the last chained entry.
#[derive(DeriveIden)]
enum AuditChain {
    Table,
    Id,
    LastSeq,
    LastHash,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    DailyFilingQuota,
}

#[derive(DeriveIden)]
enum Tips {
    Table,
    Id,
    ReceiptHash,
    CategoryId,
    InstitutionId,
    RegionCode,
    Body,
    Status,
    ObservationId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TipMessages {
    Table,
    Id,
    TipId,
    Author,
    AuthorId,
    Body,
    CreatedAt,
}

/// Evidence sent with a tip. No file name is kept: the sender's may identify them.
#[derive(DeriveIden)]
enum TipFiles {
    Table,
    Id,
    TipId,
    ContentType,
    SizeBytes,
    Sha256,
    StoredName,
    CleanStoredName,
    CreatedAt,
}

fn moment<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Users::TotpSecret).string().null().to_owned(),
            ColumnDef::new(Users::TotpLastStep)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Users::TotpEnabledAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(
                    ColumnDef::new(RecoveryCodes::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(RecoveryCodes::UserId).uuid().not_null())
                .col(ColumnDef::new(RecoveryCodes::CodeHash).string().not_null())
                .col(
                    ColumnDef::new(RecoveryCodes::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("recovery_codes_by_user")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::UserId)
                .to_owned(),
        )
        .await?;

        // Entries written before this migration get their place in the chain when the
        // application starts (`server::audit::chain_unchained`): the hash is the application's.
        for column in [
            ColumnDef::new(AuditEntries::Seq)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(AuditEntries::PrevHash)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(AuditEntries::Hash)
                .string()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(AuditEntries::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("audit_entries_by_seq")
                .table(AuditEntries::Table)
                .col(AuditEntries::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditChain::Table)
                .col(
                    ColumnDef::new(AuditChain::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditChain::LastSeq).big_integer().not_null())
                .col(ColumnDef::new(AuditChain::LastHash).string().not_null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditChain::Table)
                .columns([AuditChain::Id, AuditChain::LastSeq, AuditChain::LastHash])
                .values_panic([1.into(), 0i64.into(), "".into()])
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter()
                .table(Organisations::Table)
                .add_column(
                    ColumnDef::new(Organisations::DailyFilingQuota)
                        .integer()
                        .not_null()
                        .default(20),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tips::Table)
                .col(ColumnDef::new(Tips::Id).uuid().not_null().primary_key())
                // Argon2id of the receipt code with a fixed salt (a lookup key); never the code.
                .col(
                    ColumnDef::new(Tips::ReceiptHash)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Tips::CategoryId).uuid().null())
                .col(ColumnDef::new(Tips::InstitutionId).uuid().null())
                .col(ColumnDef::new(Tips::RegionCode).string().null())
                .col(ColumnDef::new(Tips::Body).text().not_null())
                .col(ColumnDef::new(Tips::Status).string().not_null())
                .col(ColumnDef::new(Tips::ObservationId).uuid().null())
                .col(moment(Tips::CreatedAt))
                .col(moment(Tips::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("tips_by_status")
                .table(Tips::Table)
                .col(Tips::Status)
                .col(Tips::UpdatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TipMessages::Table)
                .col(
                    ColumnDef::new(TipMessages::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(TipMessages::TipId).uuid().not_null())
                // `nhrc` or `tipster`.
                .col(ColumnDef::new(TipMessages::Author).string().not_null())
                .col(ColumnDef::new(TipMessages::AuthorId).uuid().null())
                .col(ColumnDef::new(TipMessages::Body).text().not_null())
                .col(moment(TipMessages::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TipMessages::Table, TipMessages::TipId)
                        .to(Tips::Table, Tips::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TipFiles::Table)
                .col(ColumnDef::new(TipFiles::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(TipFiles::TipId).uuid().not_null())
                .col(ColumnDef::new(TipFiles::ContentType).string().not_null())
                .col(ColumnDef::new(TipFiles::SizeBytes).big_integer().not_null())
                .col(ColumnDef::new(TipFiles::Sha256).string().not_null())
                .col(ColumnDef::new(TipFiles::StoredName).string().not_null())
                .col(ColumnDef::new(TipFiles::CleanStoredName).string().null())
                .col(moment(TipFiles::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TipFiles::Table, TipFiles::TipId)
                        .to(Tips::Table, Tips::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("tip_messages_by_tip")
                .table(TipMessages::Table)
                .col(TipMessages::TipId)
                .col(TipMessages::CreatedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TipFiles::Table.into_iden(),
            TipMessages::Table.into_iden(),
            Tips::Table.into_iden(),
            AuditChain::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("audit_entries_by_seq")
                .table(AuditEntries::Table)
                .to_owned(),
        )
        .await?;
        for column in [
            AuditEntries::Seq.into_iden(),
            AuditEntries::PrevHash.into_iden(),
            AuditEntries::Hash.into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(AuditEntries::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for column in [
            Users::TotpSecret.into_iden(),
            Users::TotpLastStep.into_iden(),
            Users::TotpEnabledAt.into_iden(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Organisations::Table)
                .drop_column(Organisations::DailyFilingQuota)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
