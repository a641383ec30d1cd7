//! The place as released to the institution: like the title and description, the NHRC may
//! redact the filer's free-text place before forwarding (it can name people or homes).
//! Referrals forwarded before this carry the filer's place, as they showed it until now.
//! Also: a referral waiting for the organisation's answer no longer has a running deadline,
//! so the dashboard's list of running deadlines forgets those it held; and acknowledging is
//! never due after responding (the inbox's order relies on it), so an institution set
//! otherwise gets its response days as acknowledgement days (and its referrals the matching
//! due dates).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Place,
}

#[derive(DeriveIden)]
enum StatOpenReferrals {
    Table,
    ReferralId,
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
        m.get_connection()
            .execute_unprepared(
                "UPDATE institutions SET ack_days = respond_days WHERE ack_days > respond_days",
            )
            .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE referrals SET ack_due = respond_due WHERE ack_due > respond_due",
            )
            .await?;
        // The ids are read through the driver: stored as UUIDs in one database and compared
        // as text in the statistics table.
        let waiting = m
            .get_connection()
            .query_all_raw(Statement::from_string(
                m.get_database_backend(),
                "SELECT id FROM referrals WHERE status = 'info_requested'",
            ))
            .await?;
        let ids: Vec<String> = waiting
            .iter()
            .filter_map(|row| row.try_get::<Uuid>("", "id").ok())
            .map(|id| id.to_string())
            .collect();
        if !ids.is_empty() {
            m.exec_stmt(
                Query::delete()
                    .from_table(StatOpenReferrals::Table)
                    .and_where(Expr::col(StatOpenReferrals::ReferralId).is_in(ids))
                    .to_owned(),
            )
            .await?;
        }
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
