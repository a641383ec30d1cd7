//! Two list filters read in an index instead of being asked of every case (issue 16): at a
//! million observations, "concerns institution X" and "overdue only" walked most of the list
//! to count their first 10 000 matches (150–180 ms a page, timeouts at 64 connections).
//!
//! - `observation_concerns`: one row per observation and institution it concerns — named by
//!   its filer or referred to — with the observation's `listed_at`, so that an institution's
//!   cases are an index range already in the list's order.
//! - `observations.overdue_from`: the earliest running deadline among the observation's
//!   referrals (their `list_due` before 9999-12-31), or none; the observation is overdue on
//!   any day after it, as `calendar::is_overdue` says of its referral.
//!
//! The database keeps both itself, by trigger, in the writing transaction, whoever writes
//! the rows they follow (the portal, the volume seed, an operator's SQL): nothing in the
//! portal's code can forget a step. `overdue_from` follows the referrals' `list_due`, which the
//! portal keeps with every change of status or deadline (an operator who changes those by hand
//! sets it too, as `calendar::list_due` says). Both are filled here for existing rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
    OverdueFrom,
}

#[derive(DeriveIden)]
enum ObservationConcerns {
    Table,
    ObservationId,
    InstitutionId,
    ListedAt,
}

/// The two tables whose rows make an observation concern an institution.
const SOURCES: [&str; 2] = ["observation_institutions", "referrals"];

/// Still concerned after a change of `row` (`OLD` or `NEW`): named, or referred.
fn concerned(row: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM observation_institutions n WHERE n.observation_id = \
         {row}.observation_id AND n.institution_id = {row}.institution_id) OR EXISTS \
         (SELECT 1 FROM referrals r WHERE r.observation_id = {row}.observation_id AND \
         r.institution_id = {row}.institution_id)"
    )
}

/// Forget the concern `OLD` made, unless another row still makes it.
fn forget() -> String {
    format!(
        "DELETE FROM observation_concerns WHERE observation_id = OLD.observation_id AND \
         institution_id = OLD.institution_id AND NOT ({})",
        concerned("OLD")
    )
}

/// The earliest running deadline of the observation `row` belongs to, set on it when it moved
/// (`differs`: the backend's null-safe "not equal"), so that a change that moves nothing
/// writes, and locks, nothing.
fn overdue_from(row: &str, differs: &str) -> String {
    let earliest = format!(
        "(SELECT MIN(list_due) FROM referrals r WHERE r.observation_id = {row}.observation_id \
         AND r.list_due < '9999-12-31')"
    );
    format!(
        "UPDATE observations SET overdue_from = {earliest} \
         WHERE id = {row}.observation_id AND overdue_from {differs} {earliest}"
    )
}

/// The observations with a deadline running, in the lists' order, with that deadline: "overdue
/// only" walks these few (5 % of a million generated cases) newest first and stops after a
/// page, where the whole list's index walked past thousands of recent cases not yet due
/// (69 ms a page at a million; 0.4 ms this way). Partial, so small; both databases use it
/// for `overdue_from < today`, which implies the condition.
const RUNNING_INDEX: &str = "CREATE INDEX observations_running ON observations \
     (listed_at, id, overdue_from) WHERE overdue_from IS NOT NULL";

const BACKFILL: [&str; 2] = [
    "INSERT INTO observation_concerns (observation_id, institution_id, listed_at) \
     SELECT o.id, c.institution_id, o.listed_at FROM observations o JOIN \
     (SELECT observation_id, institution_id FROM observation_institutions UNION \
      SELECT observation_id, institution_id FROM referrals) c ON c.observation_id = o.id",
    "UPDATE observations SET overdue_from = (SELECT MIN(r.list_due) FROM referrals r WHERE \
     r.observation_id = observations.id AND r.list_due < '9999-12-31') \
     WHERE id IN (SELECT observation_id FROM referrals WHERE list_due < '9999-12-31')",
];

/// SQLite's null-safe "not equal".
const SQLITE_DIFFERS: &str = "IS NOT";

fn sqlite_up() -> Vec<String> {
    // Inserted "or ignore": the other table may already make the concern.
    let remember = |table: &str| {
        format!(
            "CREATE TRIGGER {table}_concern_insert AFTER INSERT ON {table} BEGIN \
             INSERT OR IGNORE INTO observation_concerns (observation_id, institution_id, \
             listed_at) SELECT o.id, NEW.institution_id, o.listed_at FROM observations o \
             WHERE o.id = NEW.observation_id; END"
        )
    };
    let mut statements = Vec::new();
    for table in SOURCES {
        statements.push(remember(table));
        statements.push(format!(
            "CREATE TRIGGER {table}_concern_delete AFTER DELETE ON {table} BEGIN {}; END",
            forget()
        ));
        statements.push(format!(
            "CREATE TRIGGER {table}_concern_update AFTER UPDATE OF observation_id, \
             institution_id ON {table} BEGIN {}; INSERT OR IGNORE INTO observation_concerns \
             (observation_id, institution_id, listed_at) SELECT o.id, NEW.institution_id, \
             o.listed_at FROM observations o WHERE o.id = NEW.observation_id; END",
            forget()
        ));
    }
    statements.push(
        "CREATE TRIGGER observations_concern_listed AFTER UPDATE OF listed_at ON observations \
         BEGIN UPDATE observation_concerns SET listed_at = NEW.listed_at \
         WHERE observation_id = NEW.id; END"
            .to_string(),
    );
    statements.push(format!(
        "CREATE TRIGGER referrals_overdue_insert AFTER INSERT ON referrals BEGIN {}; END",
        overdue_from("NEW", SQLITE_DIFFERS)
    ));
    statements.push(format!(
        "CREATE TRIGGER referrals_overdue_update AFTER UPDATE OF list_due, observation_id \
         ON referrals BEGIN {}; {}; END",
        overdue_from("OLD", SQLITE_DIFFERS),
        overdue_from("NEW", SQLITE_DIFFERS)
    ));
    statements.push(format!(
        "CREATE TRIGGER referrals_overdue_delete AFTER DELETE ON referrals BEGIN {}; END",
        overdue_from("OLD", SQLITE_DIFFERS)
    ));
    statements
}

fn sqlite_down() -> Vec<String> {
    let mut statements = Vec::new();
    for table in SOURCES {
        for change in ["insert", "delete", "update"] {
            statements.push(format!("DROP TRIGGER {table}_concern_{change}"));
        }
    }
    statements.push("DROP TRIGGER observations_concern_listed".to_string());
    for change in ["insert", "update", "delete"] {
        statements.push(format!("DROP TRIGGER referrals_overdue_{change}"));
    }
    statements
}

fn postgres_up() -> Vec<String> {
    let mut statements = vec![
        // One function for both tables: each has the observation and the institution.
        format!(
            "CREATE FUNCTION veille_concerns() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP IN ('DELETE', 'UPDATE') THEN {}; END IF; \
             IF TG_OP IN ('INSERT', 'UPDATE') THEN \
             INSERT INTO observation_concerns (observation_id, institution_id, listed_at) \
             SELECT o.id, NEW.institution_id, o.listed_at FROM observations o \
             WHERE o.id = NEW.observation_id ON CONFLICT DO NOTHING; END IF; \
             RETURN NULL; END $$",
            forget()
        ),
        "CREATE FUNCTION veille_concerns_listed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN UPDATE observation_concerns SET listed_at = NEW.listed_at \
         WHERE observation_id = NEW.id; RETURN NULL; END $$"
            .to_string(),
        format!(
            "CREATE FUNCTION veille_overdue_from() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP IN ('DELETE', 'UPDATE') THEN {}; END IF; \
             IF TG_OP IN ('INSERT', 'UPDATE') THEN {}; END IF; \
             RETURN NULL; END $$",
            overdue_from("OLD", "IS DISTINCT FROM"),
            overdue_from("NEW", "IS DISTINCT FROM")
        ),
        "CREATE TRIGGER observations_concern_listed AFTER UPDATE OF listed_at ON observations \
         FOR EACH ROW EXECUTE FUNCTION veille_concerns_listed()"
            .to_string(),
        "CREATE TRIGGER referrals_overdue AFTER INSERT OR DELETE OR UPDATE OF list_due, \
         observation_id ON referrals FOR EACH ROW EXECUTE FUNCTION veille_overdue_from()"
            .to_string(),
    ];
    for table in SOURCES {
        statements.push(format!(
            "CREATE TRIGGER {table}_concerns AFTER INSERT OR DELETE OR UPDATE OF \
             observation_id, institution_id ON {table} FOR EACH ROW \
             EXECUTE FUNCTION veille_concerns()"
        ));
    }
    statements
}

fn postgres_down() -> Vec<String> {
    SOURCES
        .iter()
        .map(|table| format!("DROP TRIGGER {table}_concerns ON {table}"))
        .chain([
            "DROP TRIGGER referrals_overdue ON referrals".to_string(),
            "DROP TRIGGER observations_concern_listed ON observations".to_string(),
            "DROP FUNCTION veille_overdue_from()".to_string(),
            "DROP FUNCTION veille_concerns_listed()".to_string(),
            "DROP FUNCTION veille_concerns()".to_string(),
        ])
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ObservationConcerns as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(ColumnDef::new(C::ObservationId).uuid().not_null())
                .col(ColumnDef::new(C::InstitutionId).uuid().not_null())
                .col(
                    ColumnDef::new(C::ListedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .primary_key(Index::create().col(C::ObservationId).col(C::InstitutionId))
                .foreign_key(
                    ForeignKey::create()
                        .from(C::Table, C::ObservationId)
                        .to(Observations::Table, Observations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("observation_concerns_listed")
                .table(C::Table)
                .col(C::InstitutionId)
                .col(C::ListedAt)
                .col(C::ObservationId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Observations::Table)
                .add_column(ColumnDef::new(Observations::OverdueFrom).date().null())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(RUNNING_INDEX).await?;
        let triggers = match db.get_database_backend() {
            DatabaseBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        for statement in BACKFILL.iter().map(|s| String::from(*s)).chain(triggers) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let triggers = match db.get_database_backend() {
            DatabaseBackend::Postgres => postgres_down(),
            _ => sqlite_down(),
        };
        for statement in triggers {
            db.execute_unprepared(&statement).await?;
        }
        m.drop_index(
            Index::drop()
                .name("observations_running")
                .table(Observations::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Observations::Table)
                .drop_column(Observations::OverdueFrom)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(ObservationConcerns::Table).to_owned())
            .await?;
        Ok(())
    }
}
