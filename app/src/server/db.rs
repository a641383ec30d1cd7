//! Opening the database: SQLite (embedded default) with WAL, full fsync, foreign keys and a busy
//! timeout, checked after connecting; PostgreSQL as is; each a pool of `DATABASE_POOL`
//! connections. Transactions that write begin here ([`begin_write`]). Migrations run from here.

use std::time::Duration;

use anyhow::{Context, bail};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

/// A pool of `pool` connections to `url`. On SQLite, WAL lets readers run beside the one
/// writer, so the pool serves reads in parallel; writes take turns ([`begin_write`]).
pub async fn connect(url: &str, pool: u32) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .max_connections(pool)
        .connect_timeout(Duration::from_secs(10))
        // A request that cannot get a connection within this is answered "busy" (503) rather
        // than waiting on in a queue.
        .acquire_timeout(Duration::from_secs(3));
    if url.starts_with("sqlite:") {
        // Pragmas are per connection: run them on every connection the pool opens.
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    }
    let db = Database::connect(options)
        .await
        .context("cannot open the database")?;
    check_sqlite_settings(&db).await?;
    Ok(db)
}

/// Begins a transaction that writes. On SQLite it takes the write lock at its first statement
/// (`BEGIN IMMEDIATE`), waiting for it under the busy timeout: a transaction that read first
/// and wrote later could otherwise find that another connection of the pool wrote meanwhile,
/// and fail. The one way this code base begins a transaction (a unit test holds to it).
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

async fn pragma_text(db: &DatabaseConnection, name: &str) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await?
        .with_context(|| format!("PRAGMA {name} returned nothing"))?;
    Ok(row.try_get_by_index::<String>(0)?.to_lowercase())
}

async fn pragma_number(db: &DatabaseConnection, name: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await?
        .with_context(|| format!("PRAGMA {name} returned nothing"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Refuses to start on a SQLite database that is not durable and consistent.
async fn check_sqlite_settings(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(());
    }
    let journal = pragma_text(db, "journal_mode").await?;
    let synchronous = pragma_number(db, "synchronous").await?;
    let foreign_keys = pragma_number(db, "foreign_keys").await?;
    let busy = pragma_number(db, "busy_timeout").await?;
    // synchronous: 2 = FULL; busy_timeout in milliseconds.
    if journal != "wal" || synchronous != 2 || foreign_keys != 1 || busy <= 0 {
        bail!(
            "SQLite settings not applied (journal_mode={journal}, synchronous={synchronous}, \
             foreign_keys={foreign_keys}, busy_timeout={busy})"
        );
    }
    Ok(())
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("cannot apply the migrations")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::layers::rust_files;

    /// A plain `begin()` on SQLite is deferred: with several connections, a read that turns
    /// into a write fails when another wrote meanwhile. Every transaction goes through
    /// `begin_write`, here and in the server crate's tools.
    #[test]
    fn every_transaction_begins_through_begin_write() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        rust_files(&root.join("src"), &mut files);
        rust_files(&root.join("../server/src"), &mut files);
        let found: Vec<String> = files
            .iter()
            .filter(|f| !f.ends_with("server/db.rs"))
            .flat_map(|file| {
                let source = std::fs::read_to_string(file).expect("source");
                source
                    .lines()
                    .enumerate()
                    .filter(|(_, line)| line.contains(".begin()"))
                    .map(|(n, _)| format!("{}:{}", file.display(), n + 1))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            found.is_empty(),
            "begin() instead of begin_write:\n{}",
            found.join("\n")
        );
    }
}

/// Whether the database answers, for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
