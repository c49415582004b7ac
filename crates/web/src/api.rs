//! The JSON API: everything the pages do, as JSON over HTTP. Described by `GET /api/openapi.json`.

use crate::accounts::Role;
use crate::app::Caller;
use crate::data::{self, CaseFileView, Dashboard, PersonView, ReviewQueue};
use crate::error::{WebError, WebResult};
use crate::index_update;
use crate::ingest::{self, Job, Upload};
use crate::read::ArticleView;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use casebook_register::visibility::PublicPolicy;
use casebook_register::{
    AuditEntry, Claim, ClaimFilter, ClaimKind, Decision, DecisionRecord, ReviewState, SqliteStore,
    Store,
};
use casebook_search::{FacetCounts, Filters, Kind, Mode, Snippet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

mod session;
pub use session::*;

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
    let shared = state.clone();
    state
        .store(move |store| {
            let policy = if public {
                Some(shared.public_policy(store)?)
            } else {
                None
            };
            f(store, policy.as_deref(), &dir)
        })
        .await
}

/// `GET /api/dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
) -> WebResult<Json<Dashboard>> {
    crate::summary::dashboard(&state, &caller).await.map(Json)
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
    // Length, word and nesting limits are the search crate's (`casebook_search::MAX_QUERY_*`):
    // one policy for every caller, reported as a 400 below.
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
        include_hidden: !caller.public && caller.role().is_some_and(|r| r >= Role::Analyst),
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let public = caller.public;
    if public {
        // A protected name in any spelling, script or inflection finds nothing at all: even an
        // article withheld of the name would tell that it names them.
        let text = query.text.clone();
        let protected = view(state, caller, move |_, policy, _| {
            Ok(policy.is_some_and(|p| p.mentions_protected(&text)))
        })
        .await?;
        if protected {
            return Ok(SearchResponse {
                total: 0,
                page,
                per_page: PER_PAGE,
                hits: Vec::new(),
                facets: FacetCounts::default(),
            });
        }
    }
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
    let event_ids: Vec<String> = hits
        .iter()
        .filter(|h| h.kind == Kind::Event)
        .map(|h| h.id.clone())
        .collect();
    // One query per page of hits for what the hits show, never a pass over the register.
    hits = view(state, caller, move |store, policy, _| {
        let links = store.event_first_articles(&event_ids)?;
        let confirmed = match policy {
            Some(_) => store.confirmed_among(&event_ids)?,
            None => Default::default(),
        };
        // The public index holds the public view only; the policy of this moment is applied
        // again, in case a person was protected after the index was built.
        let mut hits: Vec<HitView> = match policy {
            None => hits,
            Some(policy) => hits
                .into_iter()
                .filter_map(|h| public_hit(policy, &confirmed, h))
                .collect(),
        };
        // An event has no page of its own: link to the article its first source is in.
        for h in &mut hits {
            if let Some(article) = links.get(&h.id).filter(|_| h.kind == Kind::Event) {
                h.url = format!("/articles/{}", crate::app::urlencode(article));
            }
        }
        Ok(hits)
    })
    .await?;
    Ok(SearchResponse {
        total: results.total,
        page,
        per_page: PER_PAGE,
        hits,
        facets: results.facets,
    })
}

/// A hit as the public may see it: persons and events the policy lets through, every text redacted.
fn public_hit(
    policy: &PublicPolicy,
    public_events: &BTreeSet<String>,
    mut h: HitView,
) -> Option<HitView> {
    match h.kind {
        Kind::Person => h.title = policy.person(&h.id)?.name.clone(),
        Kind::Event if !public_events.contains(&h.id) => return None,
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
) -> WebResult<Json<Vec<PersonView>>> {
    let limit = params.limit.unwrap_or(50).clamp(1, 500);
    view(&state, &caller, move |store, policy, _| {
        let Some(p) = policy else {
            let found = store.find_persons(&params.q, limit)?;
            return Ok(found.into_iter().map(PersonView::from).collect());
        };
        // A protected name, in any spelling, finds nothing: not even an initials-only record.
        if p.mentions_protected(&params.q) {
            return Ok(Vec::new());
        }
        let found = store.find_persons(&params.q, limit)?;
        Ok(found
            .into_iter()
            .filter_map(|r| p.person(&r.id).map(PersonView::from))
            .collect())
    })
    .await
    .map(Json)
}

/// Query of a case file: the page of its timeline (from 1).
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    pub page: Option<usize>,
}

/// `GET /api/persons/{id}?page=N`: a case file with one page of its events, newest first.
pub async fn person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<PageParams>,
) -> WebResult<Json<CaseFileView>> {
    let page = p.page.unwrap_or(1);
    view(&state, &caller, move |store, policy, _| {
        data::case_file(store, policy, &id, page)
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

/// Query of a review queue page: the claim id the page starts after.
#[derive(Debug, Default, Deserialize)]
pub struct AfterParams {
    pub after: Option<String>,
}

/// `GET /api/review?after=CLAIM`: a page of the review queue.
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<AfterParams>,
) -> WebResult<Json<ReviewQueue>> {
    caller.require(Role::Viewer)?;
    let after = p.after.filter(|a| !a.is_empty());
    state
        .store(move |store| data::review_queue(store, after.as_deref()))
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

/// Records a decision as the caller, and brings the search index up to date with the records it
/// touched (see [`crate::index_update`]).
pub async fn apply_decision(
    state: &AppState,
    caller: &Caller,
    decision: Decision,
) -> WebResult<DecisionRecord> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let public = state.public();
    let (record, updates) = state
        .store(move |store| {
            let change = index_update::Change::Decision(&decision);
            let before = (!public).then(|| index_update::before(store, &change));
            let record = store.decide(&actor, &decision)?;
            Ok((
                record,
                before.map(|b| b.and_then(|b| index_update::after(store, b))),
            ))
        })
        .await?;
    state.update_index(updates).await;
    Ok(record)
}

/// Reverses a decision as the caller, and updates the search index as [`apply_decision`] does.
pub async fn apply_undo(state: &AppState, caller: &Caller, id: i64) -> WebResult<DecisionRecord> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let public = state.public();
    let (record, updates) = state
        .store(move |store| {
            let change = index_update::Change::Undo(id);
            let before = (!public).then(|| index_update::before(store, &change));
            let record = store.undo(&actor, id)?;
            Ok((
                record,
                before.map(|b| b.and_then(|b| index_update::after(store, b))),
            ))
        })
        .await?;
    state.update_index(updates).await;
    Ok(record)
}

/// `POST /api/decisions`: a decision (`{"action":"confirm","target":"…"}`, `merge`, `split`, …).
/// The answer carries the server's time for it (`Server-Timing: decide;dur=MS`).
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Json(decision): Json<Decision>,
) -> WebResult<Response> {
    let started = std::time::Instant::now();
    let record = apply_decision(&state, &caller, decision).await?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok((
        StatusCode::CREATED,
        [("server-timing", format!("decide;dur={ms:.2}"))],
        Json(record),
    )
        .into_response())
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
    let job = ingest::start(&state, &actor, uploads)?;
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

/// Writes the CSV export into a fresh directory beside the register and copies one table to
/// `out`; the directory is removed whatever happens.
fn csv_table(
    store: &SqliteStore,
    public: bool,
    data_dir: &std::path::Path,
    table: &str,
    out: &mut dyn std::io::Write,
) -> WebResult<()> {
    let token = crate::accounts::random_hex(8).map_err(|e| WebError::internal("an export", e))?;
    let dir = data_dir.join(format!("export-{token}.partial"));
    let result = casebook_register::export::export_csv(store, public, &dir)
        .map_err(WebError::from)
        .and_then(|()| {
            std::fs::File::open(dir.join(format!("{table}.csv")))
                .and_then(|mut file| std::io::copy(&mut file, out))
                .map(|_| ())
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
    let name = format!("casebook-{}.{ext}", if public { "public" } else { "team" });
    let headers = [
        (header::CONTENT_TYPE, mime.to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ),
    ];
    crate::export_stream::stream(&state, headers, move |store, out| {
        match format.as_str() {
            "ftm" => casebook_register::export::export_ftm(store, public, out)?,
            "csv" => csv_table(store, public, &data_dir, &table, out)?,
            _ => casebook_register::export::export_json(store, public, out)?,
        }
        Ok(())
    })
    .await
}
