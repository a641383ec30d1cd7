//! Cross-cutting HTTP behaviour: security headers on every response, refusal of cross-site
//! mutations, and the health check.

use app::server::{AppState, auth, db};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const DEFAULT_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
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
    let cache = if is_asset { "no-cache" } else { "no-store" };
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

/// Refuses every server function outside `app::api::PUBLIC_ENDPOINTS` to a caller who is not
/// fully signed in (anonymous, or past the password only), before it reads its arguments.
/// A JavaScript-less form post is sent to the sign-in page instead of a bare error.
pub async fn sign_in_required(request: Request, next: Next) -> Response {
    let Some(name) = request.uri().path().strip_prefix("/api/") else {
        return next.run(request).await;
    };
    let signed_in = request
        .extensions()
        .get::<auth::RequestContext>()
        .is_some_and(|context| context.user.is_some());
    if signed_in || app::api::PUBLIC_ENDPOINTS.contains(&name) {
        return next.run(request).await;
    }
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    }
    let body = serde_json::to_string(&app::error::AppError::Unauthenticated).unwrap_or_default();
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
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
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"),
        ],
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Nouvel onglet</title></head><body></body></html>",
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
        .headers_mut()
        .insert("clear-site-data", HeaderValue::from_static("\"storage\""));
    response
}
