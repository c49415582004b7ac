//! A news site served from memory for the monitoring tests, here and in the command line's
//! (`crates/cli/tests/watch_serve.rs` includes this file): pages by path with an ETag (answering
//! `If-None-Match` with a 304), `robots.txt` keeping `/private/` out, a webhook receiver at
//! `/hook`, and counts of what was asked. Serving it is left to each test (on its runtime or a
//! thread of its own).

// Each including test uses only some of it.
#![allow(dead_code)]

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
pub struct Site {
    /// path → (body, content type)
    pub pages: BTreeMap<String, (String, &'static str)>,
    /// path → requests answered (any status)
    pub hits: BTreeMap<String, usize>,
    /// path → 304s answered
    pub not_modified: BTreeMap<String, usize>,
    /// JSON bodies POSTed to /hook
    pub hooks: Vec<serde_json::Value>,
}

pub type Shared = Arc<Mutex<Site>>;

/// The site's state, even after a handler panicked while holding it.
pub fn lock(site: &Shared) -> MutexGuard<'_, Site> {
    site.lock().unwrap_or_else(|p| p.into_inner())
}

fn etag_of(body: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:x}\"", h.finish())
}

async fn serve_path(
    State(site): State<Shared>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/{path}");
    let mut site = lock(&site);
    *site.hits.entry(path.clone()).or_default() += 1;
    let Some((body, content_type)) = site.pages.get(&path).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = etag_of(&body);
    if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        *site.not_modified.entry(path).or_default() += 1;
        return (StatusCode::NOT_MODIFIED, [("etag", etag)]).into_response();
    }
    (
        StatusCode::OK,
        [("etag", etag), ("content-type", content_type.to_string())],
        body,
    )
        .into_response()
}

async fn hook(State(site): State<Shared>, Json(body): Json<serde_json::Value>) -> StatusCode {
    lock(&site).hooks.push(body);
    StatusCode::NO_CONTENT
}

/// A new site with only its `robots.txt`, and the router that serves it.
pub fn news_site() -> (Router, Shared) {
    let site: Shared = Arc::default();
    put(
        &site,
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n".into(),
        "text/plain",
    );
    let router = Router::new()
        .route("/hook", post(hook))
        .route("/{*path}", get(serve_path))
        .with_state(site.clone());
    (router, site)
}

/// Serves `body` as `content_type` at `path` from now on.
pub fn put(site: &Shared, path: &str, body: String, content_type: &'static str) {
    lock(site).pages.insert(path.into(), (body, content_type));
}

/// The requests answered at `path` so far.
pub fn hits(site: &Shared, path: &str) -> usize {
    lock(site).hits.get(path).copied().unwrap_or(0)
}

/// The 304s answered at `path` so far.
pub fn not_modified(site: &Shared, path: &str) -> usize {
    lock(site).not_modified.get(path).copied().unwrap_or(0)
}
