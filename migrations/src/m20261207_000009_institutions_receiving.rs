//! Which institutions may receive referrals: `institutions.receives_referrals`. The CNDH itself
//! and the bodies outside the security services (the Médiateur, the CNRSS and CRSS, the CNT)
//! stay as names but are never forwarded to; a database loaded earlier learns it here.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Institutions {
    Table,
    Acronym,
    ReceivesReferrals,
}

/// The rows of the shipped reference data that receive no referrals (a fresh database reads
/// the same from `app/reference/institutions.csv`).
const NOT_RECEIVING: [&str; 5] = ["CNDH", "MEDIATEUR", "CNRSS", "CRSS", "CNT"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Institutions::Table)
                .add_column(
                    ColumnDef::new(Institutions::ReceivesReferrals)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(Institutions::Table)
                .value(Institutions::ReceivesReferrals, false)
                .and_where(Expr::col(Institutions::Acronym).is_in(NOT_RECEIVING))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Institutions::Table)
                .drop_column(Institutions::ReceivesReferrals)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
