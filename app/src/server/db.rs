//! Opening the database: SQLite (embedded default) with WAL, full fsync, foreign keys and a busy
//! timeout, checked after connecting; PostgreSQL as is. Migrations run from here.

use std::time::Duration;

use anyhow::{Context, bail};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
};

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // Pragmas are per connection: run them on every connection the pool opens.
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    } else {
        options.max_connections(10);
    }
    let db = Database::connect(options)
        .await
        .context("cannot open the database")?;
    check_sqlite_settings(&db).await?;
    Ok(db)
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

/// Whether the database answers, for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
