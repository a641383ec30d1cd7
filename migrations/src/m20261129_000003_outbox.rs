//! The notification outbox (rows written in the same transaction as the event they announce,
//! sent by a worker), each user's notification preference, and the server's own secrets
//! (shared by every instance through the database).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    RecipientId,
    Template,
    Locale,
    ObservationId,
    Reference,
    Status,
    Institution,
    State,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    NotificationPreference,
}

/// Reminders and overdue notices already queued: one per referral, kind and deadline.
#[derive(DeriveIden)]
enum DeadlineNotices {
    Table,
    ReferralId,
    Kind,
    Due,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServerSecrets {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Notifications as N;
        m.create_table(
            Table::create()
                .table(N::Table)
                .col(ColumnDef::new(N::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(N::RecipientId).uuid().not_null())
                .col(ColumnDef::new(N::Template).string().not_null())
                .col(ColumnDef::new(N::Locale).string().not_null())
                .col(ColumnDef::new(N::ObservationId).uuid().null())
                .col(ColumnDef::new(N::Reference).string().not_null())
                .col(ColumnDef::new(N::Status).string().null())
                .col(ColumnDef::new(N::Institution).string().null())
                // pending → sending → sent, or back to pending with a later attempt, or dead;
                // `digest` rows wait for the daily summary.
                .col(ColumnDef::new(N::State).string().not_null())
                .col(ColumnDef::new(N::Attempts).integer().not_null())
                .col(
                    ColumnDef::new(N::NextAttemptAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(N::ClaimedUntil)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(N::SentAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(N::LastError).text().null())
                .col(
                    ColumnDef::new(N::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(N::Table, N::RecipientId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notifications_due")
                .table(N::Table)
                .col(N::State)
                .col(N::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(
                    ColumnDef::new(Users::NotificationPreference)
                        .string()
                        .not_null()
                        .default("immediate"),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DeadlineNotices::Table)
                .col(
                    ColumnDef::new(DeadlineNotices::ReferralId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(DeadlineNotices::Kind).string().not_null())
                .col(ColumnDef::new(DeadlineNotices::Due).date().not_null())
                .col(
                    ColumnDef::new(DeadlineNotices::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(DeadlineNotices::ReferralId)
                        .col(DeadlineNotices::Kind)
                        .col(DeadlineNotices::Due),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ServerSecrets::Table)
                .col(
                    ColumnDef::new(ServerSecrets::Name)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ServerSecrets::Value).string().not_null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ServerSecrets::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(DeadlineNotices::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::NotificationPreference)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
