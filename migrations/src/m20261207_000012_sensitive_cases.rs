//! Who may read cases in a sensitive category (DESIGN §2-§3): `users.sensitive_cases`, granted
//! by a monitor (or, in an institution, by its coordinating liaison), and
//! `users.coordinates_institution`, the liaison who grants it within their institution.
//!
//! So that a running NHRC keeps its work, the monitors already approved and active hold the
//! permission from this migration on (new ones start without). In each institution the
//! earliest-created active liaison becomes its coordinating liaison; no liaison holds the
//! permission until someone grants it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    SensitiveCases,
    CoordinatesInstitution,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [Users::SensitiveCases, Users::CoordinatesInstitution] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(column)
                            .boolean()
                            .not_null()
                            .default(false)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE users SET sensitive_cases = TRUE \
             WHERE role = 'monitor' AND active = TRUE AND awaiting_approval = FALSE",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE users SET coordinates_institution = TRUE \
             WHERE role = 'liaison' AND active = TRUE AND institution_id IS NOT NULL \
             AND created_at = (SELECT MIN(earliest.created_at) FROM users earliest \
                 WHERE earliest.role = 'liaison' AND earliest.active = TRUE \
                 AND earliest.institution_id = users.institution_id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::CoordinatesInstitution, Users::SensitiveCases] {
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
