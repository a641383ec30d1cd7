//! Cross-cutting HTTP behaviour: security headers on every response, refusal of cross-site
//! mutations, sending whoever is not signed in to sign in, the health check, and answering at
//! once past the instance's limit of requests in flight.

use std::sync::Arc;

use app::i18n::translate;
use app::server::{AppState, auth, db};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

const DEFAULT_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let asset = request.uri().path().strip_prefix("/pkg/").map(|file| {
        // Content-hashed names never change: browsers and caches keep them for a year.
        app::server::assets::is_hashed(file)
    });
    let mut response = next.run(request).await;
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let cache = match asset {
        // Only a file that was there: a missing one (a deploy under way) is asked again.
        Some(true) if found => "public, max-age=31536000, immutable",
        Some(_) => "no-cache",
        None => "no-store",
    };
    let headers = response.headers_mut();
    if asset.is_some() {
        // The same name is served brotli, gzip or plain: shared caches must tell them apart.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Same-origin: no address ever goes to another site, and JavaScript-less form posts can
    // still return to their page.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    // Pages set their own policy with the script nonce; everything else gets the strictest.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_POLICY));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Whether a state-changing request comes from another site, judged by the browser's own
/// `Sec-Fetch-Site`, or else by `Origin` against `PUBLIC_URL` or `Host` (a reverse proxy may
/// rewrite the latter). Requests with neither header (not from a browser) carry no ambient
/// credentials a forger could use, and pass.
fn is_cross_site(request: &Request, public_url: &str) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    if origin
        .to_str()
        .is_ok_and(|o| o.eq_ignore_ascii_case(public_url.trim_end_matches('/')))
    {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_authority = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, authority)| authority.trim_end_matches('/'));
    match (origin_authority, host) {
        (Some(authority), Some(host)) => !authority.eq_ignore_ascii_case(host),
        _ => true,
    }
}

pub async fn reject_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // One-click unsubscribe (RFC 8058) is posted by mail providers; its signed token is the
    // proof, and all it can do is stop mail.
    let one_click = request.uri().path() == "/unsubscribe";
    if !safe && !one_click && is_cross_site(&request, &state.settings.public_url) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            Body::from(
                "Requête refusée : elle ne vient pas de ce site.\n\
                 Request refused: it does not come from this site.\n",
            ),
        )
            .into_response();
    }
    next.run(request).await
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    if db::ping(&state.db).await {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ok", "database": "ok" })),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
        )
            .into_response()
    }
}

/// Pages anyone may open without an account (or half-way through signing in).
const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/login",
    "/login/code",
    "/security",
    "/password/set",
    "/password/forgot",
    "/signalement",
    "/signalement/recu",
    "/signalement/suivi",
    "/transparence",
    "/unsubscribe",
];

/// Whether `path` is one of the application's pages (a route of its router): an unknown
/// address answers "not found" to everyone, signed in or not.
fn is_page(path: &str) -> bool {
    static PATTERNS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    let segments = |path: &str| -> Vec<String> {
        path.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let patterns = PATTERNS.get_or_init(|| {
        crate::routes()
            .iter()
            .map(|route| segments(route.path()))
            .collect()
    });
    let asked = segments(path);
    patterns.iter().any(|pattern| {
        pattern.len() == asked.len()
            && pattern
                .iter()
                .zip(&asked)
                .all(|(p, a)| p.starts_with(':') || p.starts_with('{') || p == a)
    })
}

/// Whether the request is a browser asking for a page (or a JavaScript-less form post).
fn wants_page(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Where a caller who is not signed in goes to sign in: the code step when the password was
/// already given (the enrolment page when the account has no app yet), else the sign-in
/// page; with `next`, the page to open afterwards.
async fn sign_in_path(session: Option<tower_sessions::Session>, next: Option<&str>) -> String {
    let waiting = match session {
        Some(session) => auth::waiting_step(&session).await,
        None => None,
    };
    match waiting {
        Some(auth::SecondStep::Code) => auth::with_next("/login/code", next),
        Some(auth::SecondStep::Enrol) => auth::with_next(auth::SecondStep::Enrol.path(), next),
        None => auth::with_next("/login", next),
    }
}

/// Refuses every server function outside `app::api::PUBLIC_ENDPOINTS` to a caller who is not
/// fully signed in (anonymous, or past the password only), before it reads its arguments.
/// A JavaScript-less form post is sent to the sign-in page (or the code step) instead of a
/// bare error, and a page that needs an account to the same place with `next` set to it, so
/// that signing in (a link from a mail, say) lands on that page.
pub async fn sign_in_required(request: Request, next: Next) -> Response {
    let signed_in = request
        .extensions()
        .get::<auth::RequestContext>()
        .is_some_and(|context| context.user.is_some());
    if signed_in {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let Some(name) = path.strip_prefix("/api/") else {
        let page = path.trim_end_matches('/');
        let needs_account = request.method() == Method::GET
            && wants_page(&request)
            && !PUBLIC_PAGES.contains(&if page.is_empty() { "/" } else { page })
            && is_page(path);
        if !needs_account {
            return next.run(request).await;
        }
        let target = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string());
        let to = sign_in_path(session(&request), target.as_deref()).await;
        return redirect(&to);
    };
    if app::api::PUBLIC_ENDPOINTS.contains(&name) {
        return next.run(request).await;
    }
    if wants_page(&request) {
        let to = sign_in_path(session(&request), None).await;
        return redirect(&to);
    }
    let body = serde_json::to_string(&app::error::AppError::Unauthenticated).unwrap_or_default();
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// The request's session (the session layer put it there), to be read after the request is
/// let go of: a request body cannot be held across an await.
fn session(request: &Request) -> Option<tower_sessions::Session> {
    request
        .extensions()
        .get::<tower_sessions::Session>()
        .cloned()
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, HeaderValue::from_static("/login"))],
        )
            .into_response(),
    }
}

/// Where the quick-exit control leads: a blank page that names nothing, outside the app shell
/// (no header, no name, no navigation), with no script. It also ends the session and asks the
/// browser to forget the site's storage, so that Back shows no case page (they are never
/// stored, and without the session they cannot be fetched again).
pub async fn exit_page(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    use tower_sessions::SessionStore;
    let name = state.settings.session_cookie_name();
    if let Some(id) = auth::cookie_value(&headers, name)
        .and_then(|value| value.parse::<tower_sessions::session::Id>().ok())
        && let Err(error) = app::server::session_store::DbSessionStore::new(state.db.clone())
            .delete(&id)
            .await
    {
        tracing::warn!(%error, "quick exit: the session could not be ended");
    }
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let expired = format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}");
    // A tip the rate limit held back goes too: nobody after the tipster finds it in the form.
    let draft = auth::TIP_DRAFT_COOKIE;
    if let Some(token) = auth::cookie_value(&headers, draft) {
        state.tip_drafts.take(&token);
    }
    let expired_draft = format!("{draft}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}");
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"),
        ],
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Nouvel onglet</title></head><body></body></html>",
    )
        .into_response();
    for cookie in [expired, expired_draft] {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
        .headers_mut()
        .insert("clear-site-data", HeaderValue::from_static("\"storage\""));
    response
}

/// How many requests the instance serves at once (`MAX_IN_FLIGHT`).
#[derive(Clone)]
pub struct InFlight(Arc<Semaphore>);

impl InFlight {
    pub fn new(limit: usize) -> InFlight {
        InFlight(Arc::new(Semaphore::new(limit)))
    }
}

/// Past the instance's limit, a request is answered at once — 503, `Retry-After` and a page in
/// the reader's language — rather than queued behind the others for seconds; it has touched
/// nothing (no session, no database), so a refused form loses nothing but the moment.
pub async fn shed_load(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    // The health check and the bundle cost nothing and must stay reachable: a health check
    // answered 503 would have the instance pulled out just when it is busiest.
    let path = request.uri().path();
    if path == "/healthz" || path.starts_with("/pkg/") {
        return next.run(request).await;
    }
    let Ok(_permit) = in_flight.0.try_acquire_owned() else {
        let page = busy_page(request.headers());
        drain_small_body(request).await;
        return page;
    };
    next.run(request).await
}

/// The most of a refused request's body read before answering: a form's few kilobytes.
const DRAINED_BODY: usize = 64 * 1024;

/// Reads a refused request's small body (a form) before it is answered, for a short while at
/// most: closing the connection on unread bytes resets it, and the phone that sent the form
/// would show a connection error instead of the page that says "busy, try again". A large
/// upload is not waited for.
async fn drain_small_body(request: Request) {
    let small = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|length| length > 0 && length <= DRAINED_BODY);
    if small {
        let body = axum::body::to_bytes(request.into_body(), DRAINED_BODY);
        let _ = tokio::time::timeout(std::time::Duration::from_millis(500), body).await;
    }
}

/// 503 with `Retry-After` and a page in the reader's language (cookie, then `Accept-Language`).
fn busy_page(headers: &axum::http::HeaderMap) -> Response {
    let locale = auth::header_locale(headers, None);
    let (title, text) = (
        translate(locale, "page-busy-title"),
        translate(locale, "error-busy"),
    );
    let page = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{text}</p></body></html>",
        locale.as_str()
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, app::error::RETRY_AFTER_SECONDS),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// Outside the session layer: when it could not write a changed session (the database
/// saturated), it answers an empty 500 in place of the page; the reader is told "busy, try
/// again" instead. The portal's own errors always carry a body with its type.
pub async fn busy_if_unsaved(request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        tracing::warn!("the session could not be written: answered busy");
        return busy_page(&headers);
    }
    response
}
