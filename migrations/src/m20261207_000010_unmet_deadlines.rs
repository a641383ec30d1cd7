//! Late without acknowledgement or response: the deadlines referrals have to meet while their
//! clock runs (`stat_unmet_deadlines`, one row per referral, with the dashboard's filter
//! columns), so that a deadline passed counts as late on the day it passes; and two counts in
//! the cube (`ack_lapsed`, `resp_lapsed`) for lapses an escalation settled. Filled with the
//! statistics facts; `veille recount-statistics` fills them for existing cases.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatUnmetDeadlines {
    Table,
    ReferralId,
    ObservationId,
    Institution,
    Organisation,
    Month,
    Region,
    Cercle,
    Category,
    Womens,
    Sensitive,
    AckDue,
    RespDue,
}

#[derive(DeriveIden)]
enum StatCells {
    Table,
    AckLapsed,
    RespLapsed,
}

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [StatCells::AckLapsed, StatCells::RespLapsed] {
            m.alter_table(
                Table::alter()
                    .table(StatCells::Table)
                    .add_column(ColumnDef::new(column).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        }
        use StatUnmetDeadlines as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(
                    ColumnDef::new(S::ReferralId)
                        .string_len(40)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(S::ObservationId).uuid().not_null())
                .col(ColumnDef::new(S::Institution).string_len(40).not_null())
                .col(ColumnDef::new(S::Organisation).string_len(40).not_null())
                .col(ColumnDef::new(S::Month).string_len(7).not_null())
                .col(ColumnDef::new(S::Region).string_len(16).null())
                .col(ColumnDef::new(S::Cercle).string_len(40).null())
                .col(ColumnDef::new(S::Category).string_len(40).not_null())
                .col(ColumnDef::new(S::Womens).boolean().not_null())
                .col(ColumnDef::new(S::Sensitive).boolean().not_null())
                .col(ColumnDef::new(S::AckDue).date().null())
                .col(ColumnDef::new(S::RespDue).date().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(S::Table, S::ObservationId)
                        .to(Observations::Table, Observations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, columns) in [
            ("stat_unmet_by_ack_due", vec![S::AckDue]),
            ("stat_unmet_by_resp_due", vec![S::RespDue]),
            ("stat_unmet_by_observation", vec![S::ObservationId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(S::Table);
            for column in columns {
                index.col(column);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(StatUnmetDeadlines::Table).to_owned())
            .await?;
        for column in [StatCells::AckLapsed, StatCells::RespLapsed] {
            m.alter_table(
                Table::alter()
                    .table(StatCells::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
