//! Wiring: the router with its middleware, the HTTP server, and the operator tools behind the
//! command line (`main.rs`); tests start the same application from here on a random port.

pub mod mail_volume;
pub mod middleware;
pub mod seed;
pub mod telemetry;
pub mod volume;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::server::config::Config;
use app::server::observations::{deadlines, evidence, routes as files};
use app::server::{AppState, Settings, auth, db, mail, reference, session_store::DbSessionStore};
use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::services::ServeFile;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Leptos options from the configuration (where to listen, the built bundle).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(env!("LEPTOS_OUTPUT_NAME"))
        .site_root(config.site_root.as_str())
        .site_pkg_dir(config.site_pkg_dir.as_str())
        .site_addr(config.site_addr)
        .build()
}

/// Opens the database, creates the data folder (and clears it of uploads a stop cut short),
/// applies migrations and loads the reference data on first start.
pub async fn prepare(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create the data folder {}",
            settings.data_dir.display()
        )
    })?;
    let removed = evidence::remove_stale_parts(&settings.data_dir)
        .context("cannot look through the uploaded files for unfinished ones")?;
    if removed > 0 {
        tracing::info!(removed, "unfinished uploads removed");
    }
    let db = db::connect(&settings.database_url, settings.database_pool).await?;
    db::migrate(&db).await?;
    // Once only, while the chain is empty; later unchained rows are left for `audit verify`.
    let chained = app::server::audit::chain_legacy_entries(&db)
        .await
        .context("cannot chain the earlier audit entries")?;
    if chained > 0 {
        tracing::info!(chained, "earlier audit entries added to the hash chain");
    }
    let remade = evidence::reclean_stored_images(&db, &settings.data_dir)
        .await
        .map_err(|e| anyhow::anyhow!("cannot re-encode the earlier copies of images: {e}"))?;
    if remade > 0 {
        tracing::info!(
            remade,
            "earlier copies of images made again from their pixels"
        );
    }
    if reference::load_if_empty(&db).await? {
        tracing::info!(
            "reference data loaded (regions, cercles, institutions, categories, holidays)"
        );
    }
    Ok(db)
}

/// What `veille audit verify` found: whether the chain is intact, and the line to print.
pub struct AuditCheck {
    pub intact: bool,
    pub message: String,
}

/// `veille audit verify`: opens the database and walks the audit chain, reading only. Unlike
/// every other command it applies no migration, chains nothing and touches no file in the
/// data folder, so that a row slipped into the table is reported rather than taken in.
pub async fn verify_audit(settings: &Settings) -> anyhow::Result<AuditCheck> {
    use app::server::audit::{Verdict, verify};
    if let Some(path) = settings
        .database_url
        .strip_prefix("sqlite://")
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|path| !path.is_empty() && !path.starts_with(':'))
    {
        // Opening in `rwc` mode would create an empty database there.
        anyhow::ensure!(
            std::path::Path::new(path).is_file(),
            "no database at {path}"
        );
    }
    let db = db::connect(&settings.database_url, settings.database_pool).await?;
    let verdict = verify(&db).await.context("cannot read the audit log")?;
    db.close().await.ok();
    Ok(match verdict {
        Verdict::Intact { entries } => AuditCheck {
            intact: true,
            message: format!("Audit chain intact: {entries} entries."),
        },
        // An entry outside the chain has no number: it is named by its id.
        Verdict::Broken {
            seq: 0,
            id: Some(id),
            reason,
        } => AuditCheck {
            intact: false,
            message: format!("Audit chain broken: entry {id}: {reason}."),
        },
        Verdict::Broken { seq, id, reason } => {
            let id = id.map(|id| format!(" (id {id})")).unwrap_or_default();
            AuditCheck {
                intact: false,
                message: format!("Audit chain broken at entry {seq}{id}: {reason}."),
            }
        }
    })
}

pub fn app_state(db: sea_orm::DatabaseConnection, settings: Settings) -> anyhow::Result<AppState> {
    let mailer = mail::Mailer::from_settings(&settings)?;
    Ok(AppState {
        db,
        mailer,
        throttle: Arc::new(auth::Throttle::new(&settings)),
        settings: Arc::new(settings),

        public_figures: Default::default(),
        receipts: Default::default(),
        tip_drafts: Default::default(),
    })
}

/// The application's routes, listed once per process. Listing them renders the whole app with
/// resource loading switched off, and that switch is process-wide (`leptos_server`'s
/// `IS_SUPPRESSING_RESOURCE_LOAD`): a page rendering meanwhile in another router of the same
/// process (tests start many) waited forever for its data. Listed once, before any router
/// serves, nothing renders at that moment.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as one router.
pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let routes = routes();
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let fallback_state = state.clone();
    let provide_fallback_state = move || provide_context(fallback_state.clone());

    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(state.settings.session_cookie_name())
        .with_secure(state.settings.secure_cookies())
        .with_same_site(SameSite::Strict)
        .with_http_only(true)
        .with_path("/")
        // Written when it changes (and, in use, every few minutes: `auth::TOUCH_MINUTES`),
        // never on every page view.
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::minutes(auth::IDLE_TIMEOUT_MINUTES),
        ));

    let site_root = std::path::Path::new(&*options.site_root);
    let assets = site_root.join(&*options.site_pkg_dir);
    Router::new()
        .leptos_routes_with_context(&options, routes, provide_state, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            provide_fallback_state,
            shell,
        ))
        // Routes that carry files; the request limit lets each file's own limit apply while
        // it streams.
        .route(
            "/observations/save",
            post(files::save_observation)
                .layer(DefaultBodyLimit::max(evidence::MAX_REQUEST_BYTES))
                .with_state(state.clone()),
        )
        .route(
            "/referrals/{id}/documents",
            post(files::upload_documents)
                .layer(DefaultBodyLimit::max(evidence::MAX_REQUEST_BYTES))
                .with_state(state.clone()),
        )
        .route(
            "/signalement/envoyer",
            post(app::server::tips::routes::submit)
                .layer(DefaultBodyLimit::max(evidence::MAX_REQUEST_BYTES))
                .with_state(state.clone()),
        )
        .route(
            "/tips/files/{id}",
            get(app::server::tips::routes::download).with_state(state.clone()),
        )
        .route(
            "/unsubscribe",
            post(app::server::notifications::one_click).with_state(state.clone()),
        )
        .route(
            "/files/{id}",
            get(files::download).with_state(state.clone()),
        )
        .route(
            "/exports/observations",
            get(app::server::statistics::export::observations).with_state(state.clone()),
        )
        .route(
            "/exports/{table}",
            get(app::server::statistics::export::table).with_state(state.clone()),
        )
        .route(
            "/files/{id}/original",
            get(files::download_original).with_state(state.clone()),
        )
        .layer(axum::middleware::from_fn(middleware::sign_in_required))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn(middleware::busy_if_unsaved))
        // Added after the session layers, so that assets, health checks and the exit page
        // neither read nor write a session.
        // Compressed by the build (brotli 11, gzip 9) and served as such to browsers that
        // accept it; the compression layer below leaves encoded responses alone.
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(assets)
                .precompressed_br()
                .precompressed_gzip(),
        )
        // The site root's own files are served here, never by Leptos' fallback: its static-file
        // branch runs under whatever reactive owner the worker thread last held, and so can
        // take the response headers (the page's Content-Security-Policy) of a page rendering
        // at the same moment.
        .route_service(
            "/favicon.svg",
            ServeFile::new(site_root.join("favicon.svg")),
        )
        .route_service("/robots.txt", ServeFile::new(site_root.join("robots.txt")))
        .route(
            "/healthz",
            get(middleware::healthz).with_state(state.clone()),
        )
        .route(
            "/exit",
            get(middleware::exit_page).with_state(state.clone()),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::reject_cross_site,
        ))
        // Before any session or database work: a refused request has touched nothing.
        .layer(axum::middleware::from_fn_with_state(
            middleware::InFlight::new(state.settings.max_in_flight),
            middleware::shed_load,
        ))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        // Outermost: a request's span covers every layer, and each layer's logs carry it.
        .layer(telemetry::trace_layer())
        .with_state(options)
}

/// Serves until the process is stopped; expired sessions are swept every ten minutes, overdue
/// referrals are escalated every quarter of an hour, and the outbox worker sends mail.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    options: LeptosOptions,
) -> anyhow::Result<()> {
    let sweeper_db = state.db.clone();
    let throttle = state.throttle.clone();
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        let store = DbSessionStore::new(sweeper_db);
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "cannot sweep expired sessions");
            }
            throttle.forget_stale();
        }
    });
    if state.settings.deadline_jobs {
        tokio::spawn(deadlines::run(state.db.clone(), Duration::from_secs(900)));
    }
    if state.settings.outbox_worker {
        tokio::spawn(app::server::outbox::worker::run(
            state.clone(),
            Duration::from_secs(1),
        ));
    }
    let app = router(state, options);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("the HTTP server stopped")
}
