//! Logs and request tracing. A request's span holds its method, the route it matched (the
//! pattern, never the path as sent) and its status: never the client's address, the query string
//! (tokens), cookies or bodies.

use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use tower_http::classify::{ServerErrorsAsFailures, ServerErrorsFailureClass, SharedClassifier};
use tower_http::trace::TraceLayer;
use tracing::Span;

/// Logs to standard output through `filter` (`RUST_LOG`, read and checked by the configuration).
pub fn init(filter: &str) {
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .init();
}

type Classifier = SharedClassifier<ServerErrorsAsFailures>;

/// One span per request, and one line once it is answered.
pub fn trace_layer() -> TraceLayer<
    Classifier,
    fn(&Request) -> Span,
    (),
    fn(&Response, Duration, &Span),
    (),
    (),
    fn(ServerErrorsFailureClass, Duration, &Span),
> {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request) -> Span)
        .on_request(())
        .on_response(answered as fn(&Response, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(failed as fn(ServerErrorsFailureClass, Duration, &Span))
}

fn request_span(request: &Request) -> Span {
    // Assets and pages the router does not know have no route: their path is not recorded.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str);
    tracing::info_span!(
        "request",
        method = %request.method(),
        route,
        status = tracing::field::Empty,
    )
}

fn answered(response: &Response, latency: Duration, span: &Span) {
    span.record("status", response.status().as_u16());
    tracing::info!(latency_ms = latency.as_millis() as u64, "answered");
}

/// A status of 500 and above is already in the `answered` line (and an unexpected error is
/// logged with its cause where it was answered); only a body that broke off is told here.
fn failed(failure: ServerErrorsFailureClass, latency: Duration, _: &Span) {
    if let ServerErrorsFailureClass::Error(error) = failure {
        tracing::warn!(%error, latency_ms = latency.as_millis() as u64, "response broke off");
    }
}
