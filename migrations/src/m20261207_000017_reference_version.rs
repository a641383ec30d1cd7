//! The reference data's version (issue 16): every instance holds the names of categories,
//! institutions, regions and cercles, and the holidays, in memory, and reads one number per
//! request to know whether they are still current. The database changes it itself, by trigger,
//! with every insert, update or delete of those tables, whoever writes (the portal, another
//! instance, an administrator's SQL), inside the writing transaction.
//!
//! The new version is random, not the old one plus one: a version read inside a transaction
//! that is then rolled back may have been cached with its data, and must never come back with
//! another transaction's commit. The row also names the database (a random id made here), so
//! that one process serving several databases (the tests) never mixes their data.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows the cache holds.
const WATCHED: [&str; 5] = [
    "categories",
    "institutions",
    "regions",
    "cercles",
    "holidays",
];

const CREATE_TABLE: &str = "CREATE TABLE reference_version (\
     id integer PRIMARY KEY CHECK (id = 1), \
     database_id text NOT NULL, \
     version bigint NOT NULL)";

/// SQLite's triggers are per row only: one per kind of change.
const SQLITE_CHANGES: [&str; 3] = ["insert", "update", "delete"];

fn sqlite_up() -> Vec<String> {
    let mut statements = vec![
        CREATE_TABLE.to_string(),
        "INSERT INTO reference_version (id, database_id, version) \
         VALUES (1, lower(hex(randomblob(16))), random())"
            .to_string(),
    ];
    for table in WATCHED {
        for change in SQLITE_CHANGES {
            statements.push(format!(
                "CREATE TRIGGER {table}_reference_{change} AFTER {} ON {table} BEGIN \
                 UPDATE reference_version SET version = random(); END",
                change.to_uppercase()
            ));
        }
    }
    statements
}

fn sqlite_down() -> Vec<String> {
    let mut statements = Vec::new();
    for table in WATCHED {
        for change in SQLITE_CHANGES {
            statements.push(format!("DROP TRIGGER {table}_reference_{change}"));
        }
    }
    statements.push("DROP TABLE reference_version".to_string());
    statements
}

fn postgres_up() -> Vec<String> {
    let mut statements = vec![
        CREATE_TABLE.to_string(),
        "INSERT INTO reference_version (id, database_id, version) \
         VALUES (1, gen_random_uuid()::text, (random() * 9e15)::bigint)"
            .to_string(),
        "CREATE FUNCTION veille_reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN UPDATE reference_version SET version = (random() * 9e15)::bigint; RETURN NULL; \
         END $$"
            .to_string(),
    ];
    // Once per statement, however many rows it changed; TRUNCATE fires no row trigger.
    for table in WATCHED {
        statements.push(format!(
            "CREATE TRIGGER {table}_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
             ON {table} FOR EACH STATEMENT EXECUTE FUNCTION veille_reference_changed()"
        ));
    }
    statements
}

fn postgres_down() -> Vec<String> {
    WATCHED
        .iter()
        .map(|table| format!("DROP TRIGGER {table}_reference ON {table}"))
        .chain([
            "DROP FUNCTION veille_reference_changed()".to_string(),
            "DROP TABLE reference_version".to_string(),
        ])
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements = match db.get_database_backend() {
            DatabaseBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements = match db.get_database_backend() {
            DatabaseBackend::Postgres => postgres_down(),
            _ => sqlite_down(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
