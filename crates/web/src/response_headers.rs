//! Headers every answer of a team server carries beyond the security headers: `Cache-Control:
//! no-store` (pages and API answers behind a login must not stay in a shared or browser cache,
//! where the next user of the machine would find them), and a `Retry-After` on every "not now"
//! (429, 503) that did not set its own.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// What a 429 or 503 without its own `Retry-After` tells the client, in seconds.
const DEFAULT_RETRY_AFTER: &str = "5";

/// The middleware: runs outside every other layer, so it sees the final answer.
pub async fn team_response_headers(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let cacheable = state.public() || req.uri().path().starts_with("/static/");
    let mut response = next.run(req).await;
    let status = response.status();
    let h = response.headers_mut();
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let not_now =
        status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE;
    if not_now && !h.contains_key(header::RETRY_AFTER) {
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(DEFAULT_RETRY_AFTER),
        );
    }
    response
}
