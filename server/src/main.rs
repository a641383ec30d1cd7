//! `veille`: the portal's one binary. Serve by default; migrate, seed, create-admin and
//! create-monitor for operators. Configuration comes from the environment (see the README).

use anyhow::Context;
use app::server::accounts;
use app::server::config::Config;
use clap::{Parser, Subcommand};
use server::seed;

#[derive(Parser)]
#[command(
    name = "veille",
    version,
    about = "Veille — civil-society oversight portal"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default): applies migrations first.
    Serve,
    /// Apply the database migrations and load the reference data if missing.
    Migrate,
    /// Load data into the database.
    Seed {
        /// Fictitious organisations and one account per role (all on the .test domain).
        #[arg(long)]
        demo: bool,
        /// N fictitious observations with their histories, to measure the dashboard at volume
        /// (never on a real portal).
        #[arg(long, value_name = "N")]
        observations: Option<u64>,
        /// N mails waiting in the outbox for 100 fictitious readers, to measure sending at
        /// volume (never on a real portal).
        #[arg(long, value_name = "N")]
        mails: Option<u64>,
    },
    /// Recount the statistics behind the dashboards from the observations.
    RecountStatistics,
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Create an administrator and print a one-time link to set their password.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Create an NHRC monitor (no approval needed: the first one, or one vouched for by whoever
    /// runs the server) and print a one-time link to set their password.
    CreateMonitor {
        #[arg(long)]
        email: String,
    },
    /// Grant the "sensitive cases" permission to a monitor or liaison (the first monitor's:
    /// afterwards monitors grant it on the portal); audited.
    GrantSensitive {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain, reading only (no migration, nothing chained); names the first
    /// broken entry, or an entry outside the chain, and exits with status 1 if any.
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // A value that cannot be read stops the start, naming its variable.
    let config = Config::from_env()?;
    server::telemetry::init(&config.log_filter);
    let settings = config.settings.clone();
    tracing::info!(database = %settings.database_url_redacted(), data = %settings.data_dir.display(), "starting");
    let command = cli.command.unwrap_or(Command::Serve);
    // Verification only reads: no migration, no chaining (see `server::verify_audit`).
    if let Command::Audit {
        command: AuditCommand::Verify,
    } = command
    {
        return audit_verify(&settings).await;
    }
    let db = server::prepare(&settings).await?;

    match command {
        Command::Serve => {
            let options = server::leptos_options(&config);
            let listener = tokio::net::TcpListener::bind(options.site_addr)
                .await
                .with_context(|| format!("cannot listen on {}", options.site_addr))?;
            tracing::info!("serving on http://{}", listener.local_addr()?);
            let state = server::app_state(db, settings)?;
            server::serve(listener, state, options).await
        }
        Command::Migrate => {
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Seed {
            demo,
            observations,
            mails,
        } => {
            if !demo && observations.is_none() && mails.is_none() {
                anyhow::bail!("nothing to seed: pass --demo, --observations N and/or --mails N");
            }
            if demo {
                if seed::demo(&db).await? {
                    println!("Demo data loaded.");
                }
                println!("Demo accounts (password for all: {}):", seed::DEMO_PASSWORD);
                for account in seed::DEMO_ACCOUNTS {
                    println!("  {:<16} {}", account.role.as_str(), account.email);
                }
                println!(
                    "Liaison, monitor and admin also need a code from an authenticator app \
                     holding the key {}.",
                    seed::DEMO_TOTP_SECRET
                );
            }
            if let Some(n) = observations {
                let bar = indicatif::ProgressBar::new(n).with_style(
                    indicatif::ProgressStyle::with_template(
                        "{elapsed_precise} [{bar:40}] {pos}/{len} observations ({per_sec}, {eta} left)",
                    )?
                    .progress_chars("=> "),
                );
                let started = std::time::Instant::now();
                server::volume::observations(&db, n, |done| bar.set_position(done)).await?;
                bar.finish();
                println!(
                    "{n} fictitious observations written in {:.0?}.",
                    started.elapsed()
                );
            }
            if let Some(n) = mails {
                server::mail_volume::mails(&db, n).await?;
                println!("{n} fictitious mails waiting in the outbox.");
            }
            Ok(())
        }
        Command::RecountStatistics => {
            let started = std::time::Instant::now();
            let counted = app::server::statistics::rebuild(&db).await?;
            println!(
                "{counted} observations counted in {:.0?}.",
                started.elapsed()
            );
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => audit_verify(&settings).await,
        Command::CreateAdmin { email } => {
            let link = accounts::create_admin(&db, &settings, &email).await?;
            println!("Administrator {email}: set the password within 7 days, once, at\n{link}");
            Ok(())
        }
        Command::CreateMonitor { email } => {
            let link = accounts::create_monitor(&db, &settings, &email).await?;
            println!("Monitor {email}: set the password within 7 days, once, at\n{link}");
            Ok(())
        }
        Command::GrantSensitive { email } => {
            app::server::sensitive::grant_from_command_line(&db, &email).await?;
            println!("{email} may now read cases in sensitive categories.");
            Ok(())
        }
    }
}

/// Prints what `veille audit verify` found; exits with status 1 when the chain is broken.
async fn audit_verify(settings: &app::server::Settings) -> anyhow::Result<()> {
    let check = server::verify_audit(settings).await?;
    println!("{}", check.message);
    if !check.intact {
        std::process::exit(1);
    }
    Ok(())
}
