//! The router and the layers every request passes: sessions and roles, CSRF checks, security
//! headers, and rendering every error as JSON (API) or a page (HTML).

use crate::accounts::{Role, Session};
use crate::error::{ErrorInfo, WebError, WebResult};
use crate::state::AppState;
use crate::{alerts, api, monitor_pages, pages, review_pages};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::Router;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "casebook_session";

/// Who is asking: a logged-in account, nobody, or the public (public mode).
#[derive(Debug, Clone)]
pub struct Caller {
    pub session: Option<Session>,
    pub public: bool,
    /// Unread alerts, counted for the navigation of a logged-in page (not for API calls).
    pub unread_alerts: Option<u64>,
}

impl Caller {
    /// The session, when the caller has at least `role`; 401 without a session, 403 otherwise.
    pub fn require(&self, role: Role) -> WebResult<&Session> {
        if self.public {
            return Err(WebError::forbidden(
                "this server is public and read-only: nothing can be changed here",
            ));
        }
        let session = self
            .session
            .as_ref()
            .ok_or_else(WebError::unauthenticated)?;
        if session.user.role < role {
            return Err(WebError::forbidden(format!(
                "this needs the {} role; your account has the {} role",
                role.as_str(),
                session.user.role.as_str()
            )));
        }
        Ok(session)
    }

    /// The account's role, if logged in.
    pub fn role(&self) -> Option<Role> {
        self.session.as_ref().map(|s| s.user.role)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(WebError::unauthenticated)
    }
}

/// The application's router over a state.
pub fn router(state: AppState) -> Router {
    let limit = state.config().max_body_bytes;
    let mut app = Router::new()
        .route("/", get(pages::dashboard))
        .route("/search", get(pages::search))
        .route("/persons/{id}", get(pages::person))
        .route("/articles/{id}", get(pages::article))
        .route("/export", get(pages::export))
        .route("/static/app.css", get(pages::css))
        .route("/static/app.js", get(pages::js))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/dashboard", get(api::dashboard))
        .route("/api/search", get(api::search))
        .route("/api/persons", get(api::find_persons))
        .route("/api/persons/{id}", get(api::person))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/export", get(api::export));
    if !state.public() {
        app = app
            .route("/login", get(pages::login_form).post(pages::login))
            .route("/logout", post(pages::logout))
            .route("/originals/{sha}", get(api::original))
            .route("/review", get(pages::review))
            .route("/review/decide", post(pages::decide))
            .route("/review/undo", post(pages::undo))
            .route("/review/queue", get(review_pages::queue))
            .route("/review/take", post(review_pages::take))
            .route("/review/calibrate", post(review_pages::calibrate))
            .route("/review/articles/{id}", get(review_pages::article))
            .route("/review/persons/{id}", get(review_pages::person))
            .route("/static/review.js", get(review_pages::js))
            .route("/ingest", get(pages::ingest).post(pages::ingest_upload))
            .route("/audit", get(pages::audit))
            .route("/lists", get(crate::lists_page::lists))
            .route("/lists/{name}", get(crate::lists_page::list))
            .route("/lists/{name}/{file}", get(crate::lists_page::export))
            .route("/perpetrators", get(crate::perpetrators_page::list))
            .route("/perpetrators/{name}", get(crate::perpetrators_page::file))
            .route("/users", get(pages::users).post(pages::add_user))
            .route("/account", get(pages::account))
            .route("/account/password", post(pages::change_password))
            .route("/users/role", post(pages::change_role))
            .route("/alerts", get(monitor_pages::inbox))
            .route("/alerts.atom", get(alerts::atom))
            .route("/alerts/read", post(monitor_pages::mark_read))
            .route("/alerts/read-all", post(monitor_pages::mark_all_read))
            .route("/watch", get(monitor_pages::watch))
            .route("/watch/add", post(monitor_pages::add_watch))
            .route("/watch/remove", post(monitor_pages::remove_watch))
            .route("/sources/add", post(monitor_pages::add_sources))
            .route("/sources/remove", post(monitor_pages::remove_source))
            .route("/sources/fetch", post(monitor_pages::fetch_source))
            .route("/api/alerts", get(alerts::api_alerts))
            .route("/api/alerts.atom", get(alerts::atom))
            .route("/api/alerts/read-all", post(alerts::api_mark_all_read))
            .route(
                "/api/alerts/{id}/read",
                post(alerts::api_mark_read).delete(alerts::api_mark_unread),
            )
            .route(
                "/api/watches",
                get(alerts::api_watches).post(alerts::api_add_watch),
            )
            .route("/api/watches/{id}", delete(alerts::api_remove_watch))
            .route(
                "/api/sources",
                get(alerts::api_sources).post(alerts::api_add_sources),
            )
            .route("/api/sources/{id}", delete(alerts::api_remove_source))
            .route("/api/sources/{id}/fetch", post(alerts::api_fetch_source))
            .route("/api/session/password", post(api::change_password))
            .route("/api/users/{name}/role", post(api::change_role))
            .route(
                "/api/session",
                post(api::login).delete(api::logout).get(api::whoami),
            )
            .route("/api/originals/{sha}", get(api::original))
            .route("/api/claims", get(api::claims))
            .route("/api/review", get(api::review))
            .route("/api/decisions", get(api::decisions).post(api::decide))
            .route("/api/decisions/{id}/undo", post(api::undo))
            .route("/api/audit", get(api::audit))
            .route("/api/ingest", post(api::ingest))
            .route("/api/ingest/jobs", get(api::jobs))
            .route("/api/ingest/jobs/{id}", get(api::job))
            .route("/api/users", get(api::users).post(api::add_user));
    }
    app.fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), render_errors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::response_headers::team_response_headers,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn not_found(method: Method, uri: axum::http::Uri) -> WebError {
    WebError::not_found(format!("nothing at {method} {}", uri.path()))
}

/// Paths anyone may reach without logging in.
fn open_path(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/api/session" | "/api/openapi.json" | "/static/app.css" | "/static/app.js"
    )
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Same-origin check for writes: a browser always sends `Origin` on a cross-site POST.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// Loads the session, sends strangers to the login page, and checks the CSRF token of every write.
async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match authenticate_inner(state, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn authenticate_inner(state: AppState, mut req: Request, next: Next) -> WebResult<Response> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if state.public() {
        if unsafe_method {
            return Err(WebError::forbidden(
                "this server is public and read-only: nothing can be changed here",
            ));
        }
        req.extensions_mut().insert(Caller {
            session: None,
            public: true,
            unread_alerts: None,
        });
        return Ok(next.run(req).await);
    }
    let path = req.uri().path().to_string();
    // Pages show the unread alerts in their navigation; counted in the same trip as the session.
    let page = !unsafe_method && !path.starts_with("/api/") && !path.starts_with("/static/");
    let (session, unread_alerts) = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => {
            state
                .blocking(move |s| {
                    let session = s.accounts().session(&token)?;
                    let unread = match (&session, page) {
                        (Some(_), true) => s.monitor_blocking(|m| Ok(m.unread_count()?)).ok(),
                        _ => None,
                    };
                    Ok((session, unread))
                })
                .await?
        }
        None => (None, None),
    };
    if unsafe_method && !same_origin(req.headers()) {
        return Err(WebError::forbidden(
            "the request came from another site (Origin does not match); refused",
        ));
    }
    if session.is_none() && !open_path(&path) {
        if !unsafe_method && !path.starts_with("/api/") {
            let next_url = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            let target = format!("/login?next={}", urlencode(&next_url));
            return Ok(Redirect::to(&target).into_response());
        }
        return Err(WebError::unauthenticated());
    }
    if let (true, Some(s)) = (unsafe_method, &session) {
        req = check_csrf(req, &s.csrf, state.config().max_body_bytes).await?;
    }
    let addr = client_addr(req.extensions());
    req.extensions_mut().insert(addr);
    req.extensions_mut().insert(Caller {
        session,
        public: false,
        unread_alerts,
    });
    Ok(next.run(req).await)
}

/// Accepts a write when it carries the session's CSRF token: in the `X-CSRF-Token` header (API),
/// the `csrf` query parameter (multipart uploads), or the `csrf` field of a form.
async fn check_csrf(req: Request, expected: &str, limit: usize) -> WebResult<Request> {
    let matches = |got: &str| constant_time_eq(got.as_bytes(), expected.as_bytes());
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if matches(h) {
            Ok(req)
        } else {
            Err(csrf_error())
        };
    }
    if let Some(q) = req.uri().query() {
        if let Some(v) = q.split('&').find_map(|kv| kv.strip_prefix("csrf=")) {
            return if matches(v) {
                Ok(req)
            } else {
                Err(csrf_error())
            };
        }
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_error());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the form is larger than the limit of {limit} bytes"),
        )
    })?;
    let found = bytes
        .split(|b| *b == b'&')
        .find_map(|kv| kv.strip_prefix(b"csrf="))
        .is_some_and(|v| constant_time_eq(v, expected.as_bytes()));
    if !found {
        return Err(csrf_error());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn csrf_error() -> WebError {
    WebError::forbidden(
        "the form's security token is missing or stale: reload the page and try again",
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Turns every error response into JSON (under `/api/`) or an HTML page, with a clear message.
async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/") || wants_json(req.headers());
    let public = state.public();
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let message = match parts.extensions.get::<ErrorInfo>() {
        Some(info) => info.message.clone(),
        None => {
            // axum's own rejections (bad JSON, body too large, wrong method) carry plain text.
            let bytes = axum::body::to_bytes(body, 16 * 1024)
                .await
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_lowercase()
            } else {
                text
            }
        }
    };
    let mut out = if api {
        let body = serde_json::json!({ "error": message, "status": status.as_u16() });
        (status, axum::Json(body)).into_response()
    } else {
        (status, pages::error_page(status, &message, public)).into_response()
    };
    for name in [header::RETRY_AFTER, header::WWW_AUTHENTICATE, header::ALLOW] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        crate::accounts::SESSION_LIFETIME.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session token of a request's cookie.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// The client's address, for rate limiting logins.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

fn client_addr(extensions: &axum::http::Extensions) -> ClientAddr {
    ClientAddr(
        extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "local".to_string()),
    )
}
