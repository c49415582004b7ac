//! The JSON API: everything the pages do, as JSON over HTTP. Described by `GET /api/openapi.json`.

use crate::accounts::{Role, User};
use crate::app::{clear_cookie, session_cookie, session_token, Caller, ClientAddr};
use crate::data::{self, CaseFileView, Dashboard, ReviewQueue};
use crate::error::{WebError, WebResult};
use crate::ingest::{self, Job, Upload};
use crate::public::PublicPolicy;
use crate::read::ArticleView;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use casebook_register::{
    AuditEntry, Claim, ClaimFilter, ClaimKind, Decision, DecisionRecord, PersonRecord, ReviewState,
    SqliteStore, Store,
};
use casebook_search::{FacetCounts, Filters, Kind, Mode, Snippet};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The OpenAPI document of this API.
pub const OPENAPI: &str = include_str!("../data/openapi.json");

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Runs `f` over the register with the public policy applied when the caller is the public.
pub async fn view<T, F>(state: &AppState, caller: &Caller, f: F) -> WebResult<T>
where
    T: Send + 'static,
    F: FnOnce(&SqliteStore, Option<&PublicPolicy>, &std::path::Path) -> WebResult<T>
        + Send
        + 'static,
{
    let public = caller.public;
    let dir = state.config().data_dir.clone();
    state
        .store(move |store| {
            let policy = if public {
                Some(PublicPolicy::build(store)?)
            } else {
                None
            };
            f(store, policy.as_ref(), &dir)
        })
        .await
}

/// `GET /api/dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
) -> WebResult<Json<Dashboard>> {
    view(&state, &caller, |store, policy, _| {
        data::dashboard(store, policy)
    })
    .await
    .map(Json)
}

/// Query parameters of a search.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    /// `auto`, `names` or `exact`.
    pub mode: Option<String>,
    /// `article`, `person` or `event`.
    pub kind: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub year: Option<String>,
    pub place: Option<String>,
    pub status: Option<String>,
    pub outlet: Option<String>,
    pub page: Option<usize>,
}

/// One search hit as the API returns it.
#[derive(Debug, Clone, Serialize)]
pub struct HitView {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    /// The page of the record.
    pub url: String,
    pub snippet: Snippet,
    /// The snippet as HTML, matched words in `<b>`.
    pub snippet_html: String,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<HitView>,
    pub facets: FacetCounts,
}

/// Hits per page.
pub const PER_PAGE: usize = 20;

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Runs a search for a caller.
pub async fn run_search(
    state: &AppState,
    caller: &Caller,
    params: SearchParams,
) -> WebResult<SearchResponse> {
    let mode = match params.mode.as_deref().unwrap_or("auto") {
        "" | "auto" => Mode::Auto,
        "names" => Mode::Names,
        "exact" => Mode::Exact,
        other => {
            return Err(WebError::bad_request(format!(
                "unknown search mode {other:?}: use auto, names or exact"
            )))
        }
    };
    let kinds = match non_empty(&params.kind) {
        None => Vec::new(),
        Some(k) => vec![Kind::parse(&k).ok_or_else(|| {
            WebError::bad_request(format!("unknown kind {k:?}: use article, person or event"))
        })?],
    };
    let year = match non_empty(&params.year) {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| WebError::bad_request(format!("the year {y:?} is not a number")))?,
        ),
    };
    if params.q.chars().count() > 500 {
        return Err(WebError::bad_request(
            "the search text is longer than 500 characters",
        ));
    }
    let page = params.page.unwrap_or(1).clamp(1, 1000);
    let query = casebook_search::Query {
        text: params.q.clone(),
        mode,
        kinds,
        filters: Filters {
            event_type: non_empty(&params.event_type),
            year,
            place: non_empty(&params.place),
            status: non_empty(&params.status),
            outlet: non_empty(&params.outlet),
        },
        include_hidden: caller.role().is_some_and(|r| r >= Role::Analyst),
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let public = caller.public;
    let results = state
        .blocking(move |s| {
            let index = s.index().ok_or_else(|| {
                WebError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "search is off: the search index could not be opened",
                )
            })?;
            Ok(index.search(&query)?)
        })
        .await?;
    let mut hits: Vec<HitView> = results
        .hits
        .into_iter()
        .map(|h| HitView {
            url: match h.kind {
                // A WARC record's id ends in `#N`: encoded, or the browser takes it for a fragment.
                Kind::Article => format!("/articles/{}", crate::app::urlencode(&h.id)),
                Kind::Person => format!("/persons/{}", h.id),
                Kind::Event => String::new(),
            },
            title: h.title.unwrap_or_else(|| h.id.clone()),
            snippet_html: h.snippet.to_html(),
            kind: h.kind,
            id: h.id,
            snippet: h.snippet,
        })
        .collect();
    if public {
        hits = view(state, caller, move |store, policy, _| {
            let Some(policy) = policy else {
                return Ok(hits);
            };
            let mut confirmed = HashSet::new();
            store.visit_events(&mut |e| {
                if e.review == ReviewState::Confirmed {
                    confirmed.insert(e.id);
                }
                Ok(())
            })?;
            Ok(hits
                .into_iter()
                .filter_map(|mut h| {
                    match h.kind {
                        Kind::Person => h.title = policy.person(&h.id)?.name.clone(),
                        Kind::Event if !confirmed.contains(&h.id) => return None,
                        _ => h.title = policy.redact(&h.title),
                    }
                    let redacted = policy.redact(&h.snippet.fragment);
                    if redacted != h.snippet.fragment {
                        h.snippet = Snippet {
                            fragment: redacted,
                            highlights: Vec::new(),
                        };
                        h.snippet_html = h.snippet.to_html();
                    }
                    Some(h)
                })
                .collect())
        })
        .await?;
    }
    let event_links = hits
        .iter()
        .filter(|h| h.kind == Kind::Event)
        .map(|h| h.id.clone())
        .collect::<Vec<_>>();
    if !event_links.is_empty() {
        // An event has no page of its own: link to the article its first source is in.
        let links = state
            .store(move |store| {
                let wanted: HashSet<String> = event_links.into_iter().collect();
                let mut out = std::collections::HashMap::new();
                store.visit_events(&mut |e| {
                    if wanted.contains(&e.id) {
                        if let Some(s) = e.sources.first() {
                            out.insert(
                                e.id.clone(),
                                format!("/articles/{}", crate::app::urlencode(&s.article)),
                            );
                        }
                    }
                    Ok(())
                })?;
                Ok(out)
            })
            .await?;
        for h in &mut hits {
            if let Some(u) = links.get(&h.id) {
                h.url = u.clone();
            }
        }
    }
    Ok(SearchResponse {
        total: results.total,
        page,
        per_page: PER_PAGE,
        hits,
        facets: results.facets,
    })
}

/// `GET /api/search?q=…&mode=…&kind=…&type=…&year=…&place=…&status=…&outlet=…&page=…`.
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SearchParams>,
) -> WebResult<Json<SearchResponse>> {
    run_search(&state, &caller, params).await.map(Json)
}

/// Parameters of a person lookup by name.
#[derive(Debug, Deserialize)]
pub struct FindParams {
    pub q: String,
    pub limit: Option<usize>,
}

/// `GET /api/persons?q=…`: persons whose names contain the text.
pub async fn find_persons(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<FindParams>,
) -> WebResult<Json<Vec<PersonRecord>>> {
    let limit = params.limit.unwrap_or(50).clamp(1, 500);
    view(&state, &caller, move |store, policy, _| {
        let found = store.find_persons(&params.q, limit)?;
        Ok(match policy {
            None => found,
            Some(p) => found
                .into_iter()
                .filter_map(|r| p.person(&r.id).cloned())
                .collect(),
        })
    })
    .await
    .map(Json)
}

/// `GET /api/persons/{id}`: a case file.
pub async fn person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> WebResult<Json<CaseFileView>> {
    view(&state, &caller, move |store, policy, _| {
        data::case_file(store, policy, &id)
    })
    .await
    .map(Json)
}

/// `GET /api/articles/{id}`.
pub async fn article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> WebResult<Json<ArticleView>> {
    view(&state, &caller, move |store, policy, _| {
        data::article(store, policy, &id)
    })
    .await
    .map(Json)
}

/// `GET /originals/{sha256}`: the untouched bytes, shown as plain text and never run.
pub async fn original(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha): Path<String>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::not_found(format!(
            "{sha:?} is not the SHA-256 of an original (64 hex digits)"
        )));
    }
    let bytes = state
        .store(move |store| Ok(store.original_bytes(&sha.to_ascii_lowercase())?))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain"),
            (header::CONTENT_SECURITY_POLICY, "sandbox"),
        ],
        bytes,
    )
        .into_response())
}

/// Parameters of a claims listing.
#[derive(Debug, Deserialize)]
pub struct ClaimParams {
    pub state: Option<String>,
    pub kind: Option<String>,
    pub subject: Option<String>,
    pub limit: Option<usize>,
}

/// `GET /api/claims`.
pub async fn claims(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ClaimParams>,
) -> WebResult<Json<Vec<Claim>>> {
    caller.require(Role::Viewer)?;
    let filter = ClaimFilter {
        state: match p.state.as_deref() {
            None | Some("") => None,
            Some(s) => Some(ReviewState::parse(s).ok_or_else(|| {
                WebError::bad_request(format!(
                    "unknown state {s:?}: use suggested, confirmed or rejected"
                ))
            })?),
        },
        kind: match p.kind.as_deref() {
            None | Some("") => None,
            Some(s) => Some(ClaimKind::parse(s).ok_or_else(|| {
                WebError::bad_request(format!(
                    "unknown kind {s:?}: use person, event, case or same_person"
                ))
            })?),
        },
        subject: p.subject.filter(|s| !s.is_empty()),
        limit: p.limit.unwrap_or(200).clamp(1, 5000),
    };
    state
        .store(move |store| Ok(store.claims(&filter)?))
        .await
        .map(Json)
}

/// `GET /api/review`: the review queue.
pub async fn review(State(state): State<AppState>, caller: Caller) -> WebResult<Json<ReviewQueue>> {
    caller.require(Role::Viewer)?;
    state
        .store(|store| data::review_queue(store))
        .await
        .map(Json)
}

/// Parameters of a listing with a limit.
#[derive(Debug, Deserialize)]
pub struct LimitParams {
    pub limit: Option<usize>,
    pub from: Option<i64>,
}

/// `GET /api/decisions`: the latest decisions, newest first, with who made them.
pub async fn decisions(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<LimitParams>,
) -> WebResult<Json<Vec<DecisionRecord>>> {
    caller.require(Role::Viewer)?;
    let limit = p.limit.unwrap_or(100).clamp(1, 5000);
    state
        .store(move |store| Ok(store.decisions(limit)?))
        .await
        .map(Json)
}

/// Records a decision as the caller, and refreshes search when it changes who is who.
pub async fn apply_decision(
    state: &AppState,
    caller: &Caller,
    decision: Decision,
) -> WebResult<DecisionRecord> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let reindex = !matches!(decision, Decision::Confirm { .. } | Decision::Reject { .. });
    let record = state
        .store(move |store| Ok(store.decide(&actor, &decision)?))
        .await?;
    if reindex {
        state.request_reindex();
    }
    Ok(record)
}

/// Reverses a decision as the caller.
pub async fn apply_undo(state: &AppState, caller: &Caller, id: i64) -> WebResult<DecisionRecord> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let record = state
        .store(move |store| Ok(store.undo(&actor, id)?))
        .await?;
    state.request_reindex();
    Ok(record)
}

/// `POST /api/decisions`: a decision (`{"action":"confirm","target":"…"}`, `merge`, `split`, …).
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Json(decision): Json<Decision>,
) -> WebResult<(StatusCode, Json<DecisionRecord>)> {
    let record = apply_decision(&state, &caller, decision).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// `POST /api/decisions/{id}/undo`.
pub async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> WebResult<(StatusCode, Json<DecisionRecord>)> {
    let record = apply_undo(&state, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// `GET /api/audit?from=…&limit=…`.
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<LimitParams>,
) -> WebResult<Json<Vec<AuditEntry>>> {
    caller.require(Role::Viewer)?;
    let from = p.from.unwrap_or(0);
    let limit = p.limit.unwrap_or(200).clamp(1, 5000);
    state
        .store(move |store| Ok(store.audit_entries(from, limit)?))
        .await
        .map(Json)
}

/// Reads every file of a multipart upload.
pub async fn read_uploads(mut multipart: Multipart) -> WebResult<Vec<Upload>> {
    let mut uploads = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(WebError::new(
                    e.status(),
                    format!("the upload failed: {}", e.body_text()),
                ))
            }
        };
        let Some(name) = field.file_name().map(str::to_string) else {
            continue;
        };
        let bytes = field.bytes().await.map_err(|e| {
            WebError::new(
                e.status(),
                format!("the upload of {name:?} failed: {}", e.body_text()),
            )
        })?;
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        uploads.push(Upload {
            name: if name.is_empty() {
                "upload".into()
            } else {
                name
            },
            bytes: bytes.to_vec(),
        });
    }
    if uploads.is_empty() {
        return Err(WebError::bad_request(
            "the upload holds no files: choose at least one file",
        ));
    }
    Ok(uploads)
}

/// A started ingest job.
#[derive(Debug, Serialize)]
pub struct JobStarted {
    pub job: u64,
    pub files: usize,
}

/// `POST /api/ingest` (multipart, one or more `files`): starts an ingest job.
pub async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> WebResult<(StatusCode, Json<JobStarted>)> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let uploads = read_uploads(multipart).await?;
    let files = uploads.len();
    let job = ingest::start(&state, &actor, uploads);
    Ok((StatusCode::ACCEPTED, Json(JobStarted { job, files })))
}

/// `GET /api/ingest/jobs`.
pub async fn jobs(State(state): State<AppState>, caller: Caller) -> WebResult<Json<Vec<Job>>> {
    caller.require(Role::Viewer)?;
    Ok(Json(state.jobs().list()))
}

/// `GET /api/ingest/jobs/{id}`.
pub async fn job(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<u64>,
) -> WebResult<Json<Job>> {
    caller.require(Role::Viewer)?;
    state
        .jobs()
        .get(id)
        .map(Json)
        .ok_or_else(|| WebError::not_found(format!("no ingest job {id}")))
}

/// Export parameters.
#[derive(Debug, Deserialize)]
pub struct ExportParams {
    /// `json` (default), `csv` or `ftm`.
    pub format: Option<String>,
    /// `public` for the public policy in team mode.
    pub scope: Option<String>,
    /// The CSV table (`persons` by default): one of [`CSV_TABLES`].
    pub table: Option<String>,
}

/// The tables of a CSV export, as `casebook export --format csv` writes them.
pub const CSV_TABLES: [&str; 9] = [
    "persons",
    "person_names",
    "articles",
    "mentions",
    "events",
    "event_victims",
    "event_sources",
    "cases",
    "case_defendants",
];

/// Writes the CSV export into a fresh directory beside the register and reads back one table;
/// the directory is removed whatever happens.
fn csv_table(
    store: &SqliteStore,
    public: bool,
    data_dir: &std::path::Path,
    table: &str,
) -> WebResult<Vec<u8>> {
    let token = crate::accounts::random_hex(8).map_err(|e| WebError::internal("an export", e))?;
    let dir = data_dir.join(format!("export-{token}.partial"));
    let result = casebook_register::export::export_csv(store, public, &dir)
        .map_err(WebError::from)
        .and_then(|()| {
            std::fs::read(dir.join(format!("{table}.csv")))
                .map_err(|e| WebError::internal("reading a CSV export", e))
        });
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        eprintln!("casebook-web: an export directory was not removed: {e}");
    }
    result
}

/// `GET /export?format=…` and `GET /api/export`: the register as JSON, a CSV table, or
/// FollowTheMoney lines, under exactly the policy of `casebook export` (`--public` for the public
/// server and for `scope=public`: confirmed facts only, protected people and fields left out).
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<ExportParams>,
) -> WebResult<Response> {
    let public = caller.public || p.scope.as_deref() == Some("public");
    if !public {
        caller.require(Role::Viewer)?;
    }
    let format = p.format.as_deref().unwrap_or("json");
    let table = p.table.clone().unwrap_or_else(|| "persons".into());
    let (ext, mime) = match format {
        "json" => ("json".to_string(), "application/json"),
        "ftm" => ("ftm.jsonl".to_string(), "application/x-ndjson"),
        "csv" if CSV_TABLES.contains(&table.as_str()) => {
            (format!("{table}.csv"), "text/csv; charset=utf-8")
        }
        "csv" => {
            return Err(WebError::bad_request(format!(
                "unknown CSV table {table:?}: use one of {}",
                CSV_TABLES.join(", ")
            )))
        }
        other => {
            return Err(WebError::bad_request(format!(
                "unknown export format {other:?}: use json, csv or ftm"
            )))
        }
    };
    let format = format.to_string();
    let data_dir = state.config().data_dir.clone();
    let bytes = state
        .store(move |store| {
            let mut out = Vec::new();
            match format.as_str() {
                "ftm" => casebook_register::export::export_ftm(store, public, &mut out)?,
                "csv" => out = csv_table(store, public, &data_dir, &table)?,
                _ => casebook_register::export::export_json(store, public, &mut out)?,
            }
            Ok(out)
        })
        .await?;
    let name = format!("casebook-{}.{ext}", if public { "public" } else { "team" });
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Login by JSON.
#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

/// A session as the API reports it.
#[derive(Debug, Serialize)]
pub struct SessionInfo {
    pub user: User,
    /// Send this in the `X-CSRF-Token` header of every write.
    pub csrf: String,
}

/// Checks a login, with rate limiting; the new session's cookie and info.
pub async fn check_login(
    state: &AppState,
    addr: String,
    name: String,
    password: String,
) -> WebResult<(String, SessionInfo)> {
    let key = format!("{}|{addr}", name.to_lowercase());
    if let Some(wait) = state.login_blocked(&key) {
        return Err(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "too many failed logins: wait {} seconds and try again",
                wait.as_secs().max(1)
            ),
        ));
    }
    let login_name = name.clone();
    let opened = state
        .blocking(move |s| {
            let Some(user) = s.accounts().verify(&name, &password)? else {
                return Ok(None);
            };
            Ok(Some(s.accounts().open_session(&user)?))
        })
        .await?;
    match opened {
        Some(new) => {
            state.login_succeeded(&key);
            let cookie = session_cookie(&new.token, state.config().secure_cookies);
            Ok((
                cookie,
                SessionInfo {
                    user: new.session.user,
                    csrf: new.session.csrf,
                },
            ))
        }
        None => {
            login_failure(state, &key, &login_name, &addr).await;
            Err(WebError::new(
                StatusCode::UNAUTHORIZED,
                "the user name or the password is wrong",
            ))
        }
    }
}

/// `POST /api/session`: logs in, sets the session cookie, returns the CSRF token.
pub async fn login(
    State(state): State<AppState>,
    Extension(addr): Extension<ClientAddr>,
    Json(body): Json<LoginRequest>,
) -> WebResult<Response> {
    let (cookie, info) = check_login(&state, addr.0, body.name, body.password).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(info)).into_response())
}

/// `GET /api/session`: who is logged in.
pub async fn whoami(caller: Caller) -> WebResult<Json<SessionInfo>> {
    let s = caller.require(Role::Viewer)?;
    Ok(Json(SessionInfo {
        user: s.user.clone(),
        csrf: s.csrf.clone(),
    }))
}

/// `DELETE /api/session`: logs out.
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    if let Some(token) = session_token(&headers) {
        state
            .blocking(move |s| Ok(s.accounts().close_session(&token)?))
            .await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            clear_cookie(state.config().secure_cookies),
        )],
    )
        .into_response())
}

/// `GET /api/users` (admin).
pub async fn users(State(state): State<AppState>, caller: Caller) -> WebResult<Json<Vec<User>>> {
    caller.require(Role::Admin)?;
    state
        .blocking(|s| Ok(s.accounts().users()?))
        .await
        .map(Json)
}

/// A new account.
#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub password: String,
    pub role: String,
}

/// Creates an account as an admin, and records it in the register's audit log (without the password).
pub async fn create_user(state: &AppState, caller: &Caller, new: NewUser) -> WebResult<User> {
    let admin = caller.require(Role::Admin)?.user.name.clone();
    let role = Role::parse(&new.role).ok_or_else(|| {
        WebError::bad_request(format!(
            "unknown role {:?}: use viewer, analyst or admin",
            new.role
        ))
    })?;
    let user = state
        .blocking(move |s| Ok(s.accounts().add_user(&new.name, &new.password, role)?))
        .await?;
    record_action(
        state,
        admin,
        "account_create",
        user.name.clone(),
        serde_json::json!({"role": user.role.as_str()}),
    )
    .await?;
    Ok(user)
}

/// Records a write made outside the register (accounts, watchlists, sources) in the register's
/// hash-chained audit log under the user who made it. Never given a password.
pub async fn record_action(
    state: &AppState,
    actor: String,
    action: &'static str,
    target: String,
    payload: serde_json::Value,
) -> WebResult<()> {
    state
        .store(move |store| Ok(store.record_action(&actor, action, &target, &payload)?))
        .await
}

/// A password change: the current password and the new one.
#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the caller's own password after checking the current one (counted against the login
/// rate limit, so a stolen session cannot guess it); the caller's other sessions end.
pub async fn set_own_password(
    state: &AppState,
    caller: &Caller,
    addr: String,
    token: Option<String>,
    change: PasswordChange,
) -> WebResult<()> {
    let user = caller.require(Role::Viewer)?.user.clone();
    let key = format!("{}|{addr}", user.name.to_lowercase());
    if let Some(wait) = state.login_blocked(&key) {
        return Err(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "too many wrong passwords: wait {} seconds and try again",
                wait.as_secs().max(1)
            ),
        ));
    }
    let name = user.name.clone();
    let checked = state
        .blocking(move |s| {
            if s.accounts().verify(&name, &change.current)?.is_none() {
                return Ok(false);
            }
            s.accounts()
                .set_password(&user, &change.new, token.as_deref())?;
            Ok(true)
        })
        .await?;
    if !checked {
        login_failure(state, &key, &caller_name(caller), &addr).await;
        return Err(WebError::forbidden("the current password is wrong"));
    }
    let name = caller_name(caller);
    record_action(
        state,
        name.clone(),
        "password_change",
        name,
        serde_json::json!({}),
    )
    .await
}

fn caller_name(caller: &Caller) -> String {
    caller
        .session
        .as_ref()
        .map(|s| s.user.name.clone())
        .unwrap_or_default()
}

/// Changes an account's role as an admin; 404 for an unknown account.
pub async fn set_role(
    state: &AppState,
    caller: &Caller,
    name: String,
    role: String,
) -> WebResult<User> {
    let admin = caller.require(Role::Admin)?.user.name.clone();
    let role = Role::parse(role.trim()).ok_or_else(|| {
        WebError::bad_request(format!(
            "unknown role {role:?}: use viewer, analyst or admin"
        ))
    })?;
    let target = name.clone();
    let (user, before) = state
        .blocking(move |s| Ok(s.accounts().set_role(&target, role)?))
        .await?
        .ok_or_else(|| WebError::not_found(format!("no account is named {name:?}")))?;
    record_action(
        state,
        admin,
        "role_change",
        user.name.clone(),
        serde_json::json!({"from": before.as_str(), "to": user.role.as_str()}),
    )
    .await?;
    Ok(user)
}

/// `POST /api/session/password`: `{"current": "…", "new": "…"}`; 204, or 403 when the current
/// password is wrong.
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    Json(change): Json<PasswordChange>,
) -> WebResult<StatusCode> {
    set_own_password(&state, &caller, addr.0, session_token(&headers), change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A role change.
#[derive(Debug, Deserialize)]
pub struct RoleChange {
    pub role: String,
}

/// `POST /api/users/{name}/role` (admin): `{"role": "viewer"|"analyst"|"admin"}`.
pub async fn change_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    Json(change): Json<RoleChange>,
) -> WebResult<Json<User>> {
    set_role(&state, &caller, name, change.role).await.map(Json)
}

/// Counts a failed login or password check, and records in the audit log the moment a name and
/// address reach the limit (once per window, so a flood of guesses writes one entry, not many).
async fn login_failure(state: &AppState, key: &str, name: &str, addr: &str) {
    state.login_failed(key);
    if state.login_just_blocked(key) {
        let recorded = record_action(
            state,
            "anonymous".to_string(),
            "login_rate_limited",
            name.to_string(),
            serde_json::json!({"address": addr, "attempts": crate::state::LOGIN_ATTEMPTS}),
        )
        .await;
        if let Err(e) = recorded {
            eprintln!("casebook-web: a rate-limited login was not recorded: {e}");
        }
    }
}

/// `POST /api/users` (admin): `{"name","password","role"}`.
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewUser>,
) -> WebResult<(StatusCode, Json<User>)> {
    let user = create_user(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(user)))
}
