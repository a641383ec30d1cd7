//! The physical limit `scripts/bench.sh` compares the portal with: axum serving one response's
//! bytes as a constant (no database, no session, no rendering), on the same machine, runtime
//! and loopback as the portal, in the same run.
//!
//!     constant ADDRESS FILE [CONTENT-TYPE]

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::http::header;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(address), Some(file)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: constant ADDRESS FILE [CONTENT-TYPE]");
    };
    let content_type = args
        .next()
        .unwrap_or_else(|| "text/html; charset=utf-8".to_string());
    let body = Bytes::from(std::fs::read(&file).with_context(|| format!("cannot read {file}"))?);
    let app = Router::new().fallback(move || {
        let (body, content_type) = (body.clone(), content_type.clone());
        async move { ([(header::CONTENT_TYPE, content_type)], body) }
    });
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    axum::serve(listener, app).await?;
    Ok(())
}
