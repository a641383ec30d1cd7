//! The response deadline a referral was first given (`referrals.original_respond_due`): a
//! contest or a return replaces `respond_due`, and the on-time measures keep counting against
//! the first one. Empty while it was never replaced (earlier replacements are not known).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    OriginalRespondDue,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Referrals::Table)
                .add_column(ColumnDef::new(Referrals::OriginalRespondDue).date().null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Referrals::Table)
                .drop_column(Referrals::OriginalRespondDue)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
