//! The statistics cube behind the NHRC dashboard and the public page (see
//! `app::domain::statistics` for why a cube), each observation's facts as last counted, the
//! open referrals' running deadlines (for "overdue today"), and indexes for the overdue lists.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StatCells {
    Table,
    Month,
    Institution,
    Place,
    Category,
    Womens,
    Sensitive,
    Grain,
}

#[derive(DeriveIden)]
enum StatFacts {
    Table,
    ObservationId,
    Facts,
}

/// Open referrals with a running deadline, with the dashboard's filter columns.
#[derive(DeriveIden)]
enum StatOpenReferrals {
    Table,
    ReferralId,
    ObservationId,
    Reference,
    Institution,
    Organisation,
    Month,
    Region,
    Category,
    Womens,
    Sensitive,
    RunningDue,
}

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Status,
    AckDue,
    RespondDue,
}

/// The measure columns as they were when this migration was written: observations by status,
/// the referral counts, and two histograms of working days (0 to 30, then "more").
fn measure_columns() -> Vec<String> {
    let mut names: Vec<String> = ["submitted", "needs_info", "referred", "declined", "closed"]
        .iter()
        .map(|s| format!("obs_{s}"))
        .collect();
    names.extend(
        [
            "received",
            "acknowledged",
            "ack_on_time",
            "responded",
            "resp_on_time",
            "contested",
            "escalated",
        ]
        .iter()
        .map(|s| String::from(*s)),
    );
    names.extend((0..32).map(|d| format!("ack_d{d:02}")));
    names.extend((0..32).map(|d| format!("resp_d{d:02}")));
    names
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use StatCells as S;
        let mut table = Table::create();
        table
            .table(S::Table)
            .col(ColumnDef::new(S::Month).string_len(7).not_null())
            .col(ColumnDef::new(S::Institution).string_len(40).not_null())
            .col(ColumnDef::new(S::Place).string_len(40).not_null())
            .col(ColumnDef::new(S::Category).string_len(40).not_null())
            .col(ColumnDef::new(S::Womens).boolean().not_null())
            .col(ColumnDef::new(S::Sensitive).boolean().not_null())
            .col(ColumnDef::new(S::Grain).integer().not_null());
        for name in measure_columns() {
            table.col(
                ColumnDef::new(Alias::new(name))
                    .big_integer()
                    .not_null()
                    .default(0),
            );
        }
        m.create_table(table.to_owned()).await?;
        // One index per shape of question: no breakdown (the cell key itself), and a breakdown
        // by institution, by category or by place, each with the other dimensions fixed.
        let indexes: [(&str, [S; 4], bool); 4] = [
            (
                "stat_cells_key",
                [S::Institution, S::Category, S::Place, S::Month],
                true,
            ),
            (
                "stat_cells_by_institution",
                [S::Category, S::Place, S::Grain, S::Month],
                false,
            ),
            (
                "stat_cells_by_category",
                [S::Institution, S::Place, S::Grain, S::Month],
                false,
            ),
            (
                "stat_cells_by_place",
                [S::Institution, S::Category, S::Grain, S::Month],
                false,
            ),
        ];
        for (name, columns, unique) in indexes {
            let mut index = Index::create();
            index.name(name).table(S::Table);
            for column in columns {
                index.col(column);
            }
            if unique {
                index.col(S::Womens).col(S::Sensitive).unique();
            }
            m.create_index(index.to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(StatFacts::Table)
                .col(
                    ColumnDef::new(StatFacts::ObservationId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(StatFacts::Facts).text().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(StatFacts::Table, StatFacts::ObservationId)
                        .to(Observations::Table, Observations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        use StatOpenReferrals as S2;
        m.create_table(
            Table::create()
                .table(S2::Table)
                .col(
                    ColumnDef::new(S2::ReferralId)
                        .string_len(40)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(S2::ObservationId).uuid().not_null())
                .col(ColumnDef::new(S2::Reference).string_len(40).not_null())
                .col(ColumnDef::new(S2::Institution).string_len(40).not_null())
                .col(ColumnDef::new(S2::Organisation).string_len(40).not_null())
                .col(ColumnDef::new(S2::Month).string_len(7).not_null())
                .col(ColumnDef::new(S2::Region).string_len(16).null())
                .col(ColumnDef::new(S2::Category).string_len(40).not_null())
                .col(ColumnDef::new(S2::Womens).boolean().not_null())
                .col(ColumnDef::new(S2::Sensitive).boolean().not_null())
                .col(ColumnDef::new(S2::RunningDue).date().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(S2::Table, S2::ObservationId)
                        .to(Observations::Table, Observations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, columns) in [
            ("stat_open_by_due", vec![S2::RunningDue]),
            (
                "stat_open_by_institution",
                vec![S2::Institution, S2::RunningDue],
            ),
            ("stat_open_by_observation", vec![S2::ObservationId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(S2::Table);
            for column in columns {
                index.col(column);
            }
            m.create_index(index.to_owned()).await?;
        }
        for (name, due) in [
            ("referrals_by_ack_due", Referrals::AckDue),
            ("referrals_by_respond_due", Referrals::RespondDue),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Referrals::Table)
                    .col(Referrals::Status)
                    .col(due)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["referrals_by_ack_due", "referrals_by_respond_due"] {
            m.drop_index(Index::drop().name(name).table(Referrals::Table).to_owned())
                .await?;
        }
        m.drop_table(Table::drop().table(StatOpenReferrals::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(StatFacts::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(StatCells::Table).to_owned())
            .await
    }
}
