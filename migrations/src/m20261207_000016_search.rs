//! Full-text search (issue 16): whole words and prefixes, without regard to accents or case
//! ("securite" finds "sécurité"), over an observation's title, description and place, and over
//! the text a referral released to its institution (a liaison searches nothing else). The
//! database keeps the index in step with every insert, edit and delete, inside the writing
//! transaction:
//! - SQLite: FTS5 tables (`unicode61 remove_diacritics 2`), contentless (no second copy of the
//!   text), kept by triggers; FTS5 rows are numbered, so a small table numbers each observation
//!   (or referral) for its row.
//! - PostgreSQL: a generated `tsvector` column (the `simple` configuration: no stemming, for
//!   French and English alike, with `unaccent` from contrib; each column weighted for ranking)
//!   and a GIN index on it.
//!
//! The public reference is looked up by its own unique index, not through this index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, its text columns)`: what each index covers.
const INDEXED: [(&str, &[&str]); 2] = [
    ("observations", &["title", "description", "place"]),
    ("referrals", &["title", "description", "place"]),
];

fn singular(table: &str) -> &str {
    table.trim_end_matches('s')
}

fn sqlite_up(table: &str, columns: &[&str]) -> Vec<String> {
    let one = singular(table);
    let list = columns.join(", ");
    let new: Vec<String> = columns
        .iter()
        .map(|c| format!("COALESCE(NEW.{c}, '')"))
        .collect();
    let new = new.join(", ");
    let row = |of: &str| format!("(SELECT row FROM {one}_search_rows WHERE {one}_id = {of}.id)");
    vec![
        format!(
            "CREATE TABLE {one}_search_rows (row INTEGER PRIMARY KEY, {one}_id BLOB NOT NULL UNIQUE)"
        ),
        format!(
            "CREATE VIRTUAL TABLE {one}_search USING fts5({list}, content='', \
             contentless_delete=1, tokenize='unicode61 remove_diacritics 2')"
        ),
        format!("INSERT INTO {one}_search_rows ({one}_id) SELECT id FROM {table}"),
        format!(
            "INSERT INTO {one}_search (rowid, {list}) SELECT r.row, {} FROM {table} t \
             JOIN {one}_search_rows r ON r.{one}_id = t.id",
            columns
                .iter()
                .map(|c| format!("COALESCE(t.{c}, '')"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "CREATE TRIGGER {one}_search_insert AFTER INSERT ON {table} BEGIN \
             INSERT INTO {one}_search_rows ({one}_id) VALUES (NEW.id); \
             INSERT INTO {one}_search (rowid, {list}) VALUES ({}, {new}); END",
            row("NEW")
        ),
        format!(
            "CREATE TRIGGER {one}_search_update AFTER UPDATE OF {list} ON {table} BEGIN \
             DELETE FROM {one}_search WHERE rowid = {}; \
             INSERT INTO {one}_search (rowid, {list}) VALUES ({}, {new}); END",
            row("OLD"),
            row("NEW")
        ),
        format!(
            "CREATE TRIGGER {one}_search_delete AFTER DELETE ON {table} BEGIN \
             DELETE FROM {one}_search WHERE rowid = {}; \
             DELETE FROM {one}_search_rows WHERE {one}_id = OLD.id; END",
            row("OLD")
        ),
    ]
}

fn sqlite_down(table: &str) -> Vec<String> {
    let one = singular(table);
    vec![
        format!("DROP TRIGGER {one}_search_insert"),
        format!("DROP TRIGGER {one}_search_update"),
        format!("DROP TRIGGER {one}_search_delete"),
        format!("DROP TABLE {one}_search"),
        format!("DROP TABLE {one}_search_rows"),
    ]
}

/// `unaccent` is not immutable (its dictionary could change), so an index cannot call it; this
/// wrapper names the dictionary and is declared immutable, as PostgreSQL's documentation
/// suggests.
const POSTGRES_UNACCENT: [&str; 2] = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE OR REPLACE FUNCTION veille_unaccent(text) RETURNS text \
     LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT \
     AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
];

/// PostgreSQL's weight of each indexed column, in their order: the title counts most, then the
/// place, then the description (`ts_rank` gives A, B and C 1.0, 0.4 and 0.2; SQLite's `bm25`
/// is given the same proportions at query time).
const POSTGRES_WEIGHTS: [char; 3] = ['A', 'C', 'B'];

fn postgres_up(table: &str, columns: &[&str]) -> Vec<String> {
    let vector = columns
        .iter()
        .zip(POSTGRES_WEIGHTS)
        .map(|(c, weight)| {
            format!(
                "setweight(to_tsvector('simple'::regconfig, veille_unaccent(coalesce({c}, ''))), \
                 '{weight}')"
            )
        })
        .collect::<Vec<_>>()
        .join(" || ");
    vec![
        format!(
            "ALTER TABLE {table} ADD COLUMN search tsvector GENERATED ALWAYS AS ({vector}) STORED"
        ),
        format!("CREATE INDEX {table}_search ON {table} USING gin (search)"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements: Vec<String> = match db.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_UNACCENT
                .iter()
                .map(|s| String::from(*s))
                .chain(INDEXED.iter().flat_map(|(t, c)| postgres_up(t, c)))
                .collect(),
            _ => INDEXED.iter().flat_map(|(t, c)| sqlite_up(t, c)).collect(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements: Vec<String> = match db.get_database_backend() {
            DatabaseBackend::Postgres => INDEXED
                .iter()
                .flat_map(|(t, _)| {
                    [
                        format!("DROP INDEX {t}_search"),
                        format!("ALTER TABLE {t} DROP COLUMN search"),
                    ]
                })
                .chain(["DROP FUNCTION veille_unaccent(text)".to_string()])
                .collect(),
            _ => INDEXED.iter().flat_map(|(t, _)| sqlite_down(t)).collect(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
