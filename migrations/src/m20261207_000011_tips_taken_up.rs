//! A tip made into an observation keeps its thread: such tips are now "taken up" instead of
//! closed, so that their senders can read the NHRC's messages and answer again. Tips converted
//! before this were all closed by the conversion itself; they are taken up too.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "UPDATE tips SET status = 'taken_up' \
                 WHERE status = 'closed' AND observation_id IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("UPDATE tips SET status = 'closed' WHERE status = 'taken_up'")
            .await?;
        Ok(())
    }
}
