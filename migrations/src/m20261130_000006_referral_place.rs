//! The place as released to the institution: like the title and description, the NHRC may
//! redact the filer's free-text place before forwarding (it can name people or homes).
//! Referrals forwarded before this carry the filer's place, as they showed it until now.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Place,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Referrals::Table)
                .add_column(ColumnDef::new(Referrals::Place).string().null())
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE referrals SET place = \
                 (SELECT o.place FROM observations o WHERE o.id = referrals.observation_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Referrals::Table)
                .drop_column(Referrals::Place)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
