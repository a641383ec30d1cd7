//! Mails about an anonymous tip (issue 14): the outbox row names the tip it leads to, so that
//! its link opens the tip and a tip's mails can be held to one an hour.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    TipId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .add_column(ColumnDef::new(Notifications::TipId).uuid().null())
                .to_owned(),
        )
        .await?;
        // The hourly limit looks up a tip's latest mail.
        m.create_index(
            Index::create()
                .name("notifications_tip")
                .table(Notifications::Table)
                .col(Notifications::TipId)
                .col(Notifications::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("notifications_tip")
                .table(Notifications::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .drop_column(Notifications::TipId)
                .to_owned(),
        )
        .await
    }
}
