//! Monitoring in the web application: the alert inbox (read state, Atom feed), the watchlist
//! (people, event types, places), the watched sources with their last error, and "add a feed or a
//! URL list and fetch it now" as a background job shown beside the upload jobs.
//!
//! The sources, watchlist and alerts live in `DATA/monitor.sqlite` (casebook-monitor). A fetch job
//! runs [`casebook_monitor::Monitor::run_sources`] with a [`WebSink`] that stores each page through
//! the shared flow ([`casebook_pipeline::record_page`]), so pages fetched here and pages
//! uploaded are read the same way. Viewers read and mark alerts read; analysts change the
//! watchlist and the sources, and each such change is recorded in the register's audit log.

use crate::accounts::Role;
use crate::api::record_action;
use crate::app::Caller;
use crate::error::{WebError, WebResult};
use crate::ingest::{self, FileResult, Job};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use casebook_monitor::{
    Alert, CapturedPage, IngestReport, Monitor, MonitorConfig, Sink, SourceKind, SourceOutcome,
    SourceRecord, Watch, WatchKind,
};
use casebook_register::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Alerts shown at most on one page of the inbox.
pub const INBOX_LIMIT: usize = 200;

/// Sources one request may add at once.
pub const MAX_SOURCES_PER_REQUEST: usize = 50;

/// Where an alert's evidence is shown in this application.
#[derive(Debug, Clone, Serialize)]
pub struct AlertLinks {
    /// The article page, at the sentence that reports the event when there is one.
    pub article: String,
    /// The person's case file, when the alert is about a person.
    pub person: Option<String>,
    /// The page as published, where the monitor fetched it.
    pub page: Option<String>,
}

/// An alert with its links.
#[derive(Debug, Clone, Serialize)]
pub struct AlertView {
    #[serde(flatten)]
    pub alert: Alert,
    pub links: AlertLinks,
}

/// The inbox: how many alerts are unread, and the alerts asked for (newest first).
#[derive(Debug, Clone, Serialize)]
pub struct Inbox {
    pub unread: u64,
    pub alerts: Vec<AlertView>,
}

/// Links an alert to its evidence: the article page at the reporting sentence (found among the
/// article's evidence spans by the alert's event), the case file and the published page.
fn alert_view(
    store: &dyn Store,
    alert: Alert,
    spans: &mut HashMap<String, Vec<(String, usize)>>,
) -> AlertView {
    let base = casebook_monitor::alert_links(&alert, "");
    let starts = spans.entry(alert.article_id.clone()).or_insert_with(|| {
        // An article the register no longer has still gets its link; the page then says 404.
        crate::read::article(store, &alert.article_id)
            .map(|a| a.evidence.into_iter().map(|e| (e.event, e.start)).collect())
            .unwrap_or_default()
    });
    let anchor = alert
        .event_id
        .as_ref()
        .and_then(|event| starts.iter().find(|(e, _)| e == event))
        .map(|(_, start)| format!("#at-{start}"))
        .unwrap_or_default();
    AlertView {
        links: AlertLinks {
            article: format!("{}{anchor}", base.article),
            person: base.person,
            // Only a web address becomes a link: never `javascript:` or another scheme.
            page: base
                .page
                .filter(|u| casebook_register::visibility::linkable_url(u).is_some()),
        },
        alert,
    }
}

/// The inbox as stored now.
pub async fn inbox(state: &AppState, unread_only: bool, limit: usize) -> WebResult<Inbox> {
    let (unread, alerts) = state
        .monitor(move |m| Ok((m.unread_count()?, m.alerts(unread_only, limit)?)))
        .await?;
    state
        .store(move |store| {
            let mut spans = HashMap::new();
            let alerts = alerts
                .into_iter()
                .map(|a| alert_view(store, a, &mut spans))
                .collect();
            Ok(Inbox { unread, alerts })
        })
        .await
}

/// Marks one alert read or unread; 404 for an unknown id. Returns the unread count after.
pub async fn set_read(state: &AppState, caller: &Caller, id: i64, read: bool) -> WebResult<u64> {
    caller.require(Role::Viewer)?;
    state
        .monitor(move |m| {
            if !m.set_read(id, read)? {
                return Err(WebError::not_found(format!("no alert has id {id}")));
            }
            Ok(m.unread_count()?)
        })
        .await
}

/// Marks every alert read; returns how many were unread.
pub async fn mark_all_read(state: &AppState, caller: &Caller) -> WebResult<usize> {
    caller.require(Role::Viewer)?;
    state.monitor(|m| Ok(m.mark_all_read()?)).await
}

/// A new watch.
#[derive(Debug, Clone, Deserialize)]
pub struct NewWatch {
    /// `person`, `event_type` or `place`.
    pub kind: String,
    pub value: String,
}

/// Adds a watch as an analyst (the same watch twice is one).
pub async fn add_watch(state: &AppState, caller: &Caller, new: NewWatch) -> WebResult<Watch> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let kind = WatchKind::parse(new.kind.trim()).ok_or_else(|| {
        WebError::bad_request(format!(
            "unknown watch kind {:?}: use person, event_type or place",
            new.kind
        ))
    })?;
    let value = new.value.trim().to_string();
    if value.chars().count() > 200 {
        return Err(WebError::bad_request(
            "a watched value has at most 200 characters",
        ));
    }
    let now = casebook_monitor::now_rfc3339();
    let stored = value.clone();
    let id = state
        .monitor(move |m| Ok(m.add_watch(kind, &stored, &now)?))
        .await?;
    record_action(
        state,
        actor,
        "watch_add",
        format!("watch-{id}"),
        serde_json::json!({"kind": kind.as_str(), "value": value}),
    )
    .await?;
    Ok(Watch { id, kind, value })
}

/// Removes a watch as an analyst (its alerts stay); 404 for an unknown id.
pub async fn remove_watch(state: &AppState, caller: &Caller, id: i64) -> WebResult<()> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let removed = state
        .monitor(move |m| {
            let watch = m.watches()?.into_iter().find(|w| w.id == id);
            if watch.is_some() {
                m.remove_watch(id)?;
            }
            Ok(watch)
        })
        .await?
        .ok_or_else(|| WebError::not_found(format!("no watch has id {id}")))?;
    record_action(
        state,
        actor,
        "watch_remove",
        format!("watch-{id}"),
        serde_json::json!({"kind": removed.kind.as_str(), "value": removed.value}),
    )
    .await
}

/// Sources to add, and whether to fetch them at once.
#[derive(Debug, Clone, Deserialize)]
pub struct NewSources {
    /// One URL, or several separated by line breaks (a pasted list).
    pub urls: String,
    /// `feed` (RSS, Atom, JSON Feed), `sitemap` or `urls` (a plain list of page addresses).
    #[serde(default = "default_kind")]
    pub kind: String,
    /// Fetch them now in a background job (default), or leave them to the poller.
    #[serde(default = "yes")]
    pub fetch: bool,
}

fn default_kind() -> String {
    "feed".into()
}

fn yes() -> bool {
    true
}

/// What adding sources did.
#[derive(Debug, Clone, Serialize)]
pub struct SourcesAdded {
    pub sources: Vec<SourceRecord>,
    /// The fetch job, when one was started.
    pub job: Option<u64>,
}

/// Adds watched sources as an analyst and, if asked, fetches them now in a background job.
pub async fn add_sources(
    state: &AppState,
    caller: &Caller,
    new: NewSources,
) -> WebResult<SourcesAdded> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let kind = SourceKind::parse(new.kind.trim()).ok_or_else(|| {
        WebError::bad_request(format!(
            "unknown source kind {:?}: use feed, sitemap or urls",
            new.kind
        ))
    })?;
    let urls: Vec<String> = new
        .urls
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if urls.is_empty() {
        return Err(WebError::bad_request("give at least one URL to watch"));
    }
    if urls.len() > MAX_SOURCES_PER_REQUEST {
        return Err(WebError::bad_request(format!(
            "{} URLs at once is more than the {MAX_SOURCES_PER_REQUEST} accepted; for a long list of pages, watch a URL list (kind urls) that holds them",
            urls.len()
        )));
    }
    // Refused before anything is added, so a full queue leaves no half-done request behind.
    let ticket = new.fetch.then(|| state.job_slots().admit()).transpose()?;
    let data_dir = state.config().data_dir.clone();
    let sources =
        state
            .blocking(move |_| {
                // The URL checks live on Monitor, which keeps its own connection to the state file.
                let monitor = Monitor::open(&data_dir, MonitorConfig::default())?;
                let mut ids = Vec::new();
                for url in &urls {
                    ids.push(monitor.add_source(url, kind).map_err(|e| {
                        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
                    })?);
                }
                let all = monitor.state().sources()?;
                Ok(ids
                    .iter()
                    .filter_map(|id| all.iter().find(|s| s.id == *id).cloned())
                    .collect::<Vec<_>>())
            })
            .await?;
    for s in &sources {
        record_action(
            state,
            actor.clone(),
            "source_add",
            format!("source-{}", s.id),
            serde_json::json!({"url": s.url, "kind": s.kind.as_str()}),
        )
        .await?;
    }
    let job = ticket.map(|ticket| start_fetch(state, &actor, sources.clone(), ticket));
    Ok(SourcesAdded { sources, job })
}

/// Removes a watched source as an analyst (the pages archived from it stay); 404 for an unknown id.
pub async fn remove_source(state: &AppState, caller: &Caller, id: i64) -> WebResult<()> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let removed = state
        .monitor(move |m| {
            let source = m.sources()?.into_iter().find(|s| s.id == id);
            if source.is_some() {
                m.remove_source(id)?;
            }
            Ok(source)
        })
        .await?
        .ok_or_else(|| WebError::not_found(format!("no source has id {id}")))?;
    record_action(
        state,
        actor,
        "source_remove",
        format!("source-{id}"),
        serde_json::json!({"url": removed.url, "kind": removed.kind.as_str()}),
    )
    .await
}

/// Fetches one watched source now, as an analyst; the job's id. 404 for an unknown id.
pub async fn fetch_source(state: &AppState, caller: &Caller, id: i64) -> WebResult<u64> {
    let actor = caller.require(Role::Analyst)?.user.name.clone();
    let source = state
        .monitor(move |m| Ok(m.sources()?.into_iter().find(|s| s.id == id)))
        .await?
        .ok_or_else(|| WebError::not_found(format!("no source has id {id}")))?;
    let ticket = state.job_slots().admit()?;
    Ok(start_fetch(state, &actor, vec![source], ticket))
}

/// The sink of a fetch job: each page goes through the shared flow
/// ([`casebook_pipeline::record_page`], the server's one ingest engine) into the register and the
/// team's search index, and its outcome becomes a row of the job.
pub struct WebSink {
    state: AppState,
    job: Arc<Mutex<Job>>,
    actor: String,
    /// The team's index, fed page by page; `None` for the public index (rebuilt as a whole).
    indexer: Option<casebook_pipeline::Indexer>,
}

impl WebSink {
    /// A sink filling in `job`'s rows as `actor`.
    pub fn new(state: &AppState, job: Arc<Mutex<Job>>, actor: &str) -> Self {
        WebSink {
            state: state.clone(),
            job,
            actor: actor.to_string(),
            indexer: state.indexer(),
        }
    }

    /// True when pages stored here are not indexed as they come, so the index needs a rebuild.
    pub fn needs_rebuild(&self) -> bool {
        self.indexer.is_none()
    }
}

impl Sink for WebSink {
    fn ingest(&mut self, page: CapturedPage) -> Result<IngestReport, String> {
        let url = page.url.clone();
        let (state, actor, indexer) = (&self.state, &self.actor, &mut self.indexer);
        let outcome = state.store_blocking(|store| {
            let mut engine = state.engine();
            engine.set_actor(actor);
            Ok(casebook_pipeline::record_page(
                store,
                &engine,
                page,
                indexer.as_mut(),
            ))
        });
        let (row, answer) = match outcome {
            Ok(Ok((recorded, report))) => (ingest::file_result(url, &recorded), Ok(report)),
            Ok(Err(why)) | Err(WebError { message: why, .. }) => {
                (page_row(&url, "failed", vec![why.clone()]), Err(why))
            }
        };
        let mut job = self.job.lock().unwrap_or_else(|p| p.into_inner());
        job.total += 1;
        job.done += 1;
        job.files.push(row);
        answer
    }
}

fn page_row(name: &str, outcome: &str, errors: Vec<String>) -> FileResult {
    FileResult {
        name: name.to_string(),
        outcome: outcome.to_string(),
        articles: 0,
        new_persons: 0,
        new_events: 0,
        errors,
    }
}

fn listing_row(source: &SourceRecord) -> FileResult {
    page_row(
        &format!("{} ({})", source.url, source.kind),
        "fetching",
        Vec::new(),
    )
}

/// Starts a job fetching `sources` now, as `actor`; returns its id at once. The job's first rows
/// are the listings, then one row per page as it is stored; pages that could not be fetched and
/// listings that failed show their reason.
/// The job runs once `ticket` (from [`crate::busy::JobSlots::admit`]) gets its turn.
pub fn start_fetch(
    state: &AppState,
    actor: &str,
    sources: Vec<SourceRecord>,
    ticket: crate::busy::JobTicket,
) -> u64 {
    let job = state
        .jobs()
        .open(actor, sources.iter().map(|s| listing_row(s).name).collect());
    let (id, listings) = {
        let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
        for row in &mut j.files {
            row.outcome = "fetching".into();
        }
        // The listings are counted done once the run reports on them.
        (j.id, j.files.len())
    };
    let sink = WebSink::new(state, Arc::clone(&job), actor);
    let rebuild = sink.needs_rebuild();
    let data_dir = state.config().data_dir.clone();
    let mut config = MonitorConfig::default();
    config.fetch.allow_private = state.config().allow_private_fetch;
    let ids: Vec<i64> = sources.iter().map(|s| s.id).collect();
    let state = state.clone();
    let failed_job = Arc::clone(&job);
    // Its own thread and single-threaded runtime: the sink stores synchronously between fetches,
    // and that must not hold up a worker of the server's runtime.
    let spawned = std::thread::Builder::new()
        .name(format!("casebook-fetch-{id}"))
        .spawn(move || {
            let _running = ticket.wait_turn();
            let mut sink = sink;
            let run = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the fetch: {e}"))
                .and_then(|rt| {
                    let mut monitor =
                        Monitor::open(&data_dir, config).map_err(|e| e.to_string())?;
                    rt.block_on(monitor.run_sources(&ids, &mut sink))
                        .map_err(|e| e.to_string())
                });
            let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
            match run {
                Ok(report) => {
                    for (row, source) in j.files.iter_mut().take(listings).zip(&sources) {
                        let Some(run) = report.sources.iter().find(|r| r.id == source.id) else {
                            row.outcome = "failed".into();
                            row.errors
                                .push("the source was removed before the fetch".into());
                            continue;
                        };
                        match &run.outcome {
                            SourceOutcome::Checked { .. } => {
                                row.outcome = "listed".into();
                                let counts = run.outcome.checked_counts().unwrap_or_default();
                                row.name = format!("{} — {counts}", row.name);
                            }
                            SourceOutcome::NotModified => row.outcome = "not_modified".into(),
                            SourceOutcome::BackingOff { until } => {
                                row.outcome = "backing_off".into();
                                row.errors.push(format!("left alone until {until}"));
                            }
                            SourceOutcome::Failed { error } => {
                                row.outcome = "failed".into();
                                row.errors.push(error.clone());
                            }
                        }
                    }
                    for failure in &report.page_failures {
                        let (url, why) = failure.split_once(": ").unwrap_or((failure, ""));
                        j.files.push(page_row(url, "failed", vec![why.to_string()]));
                        j.total += 1;
                        j.done += 1;
                    }
                }
                Err(e) => {
                    for row in j.files.iter_mut().take(listings) {
                        row.outcome = "failed".into();
                        row.errors.push(e.clone());
                    }
                }
            }
            j.done = j.total;
            j.finished = true;
            drop(j);
            // The team's index took every page as it was stored; only a public one is rebuilt.
            if rebuild {
                state.request_reindex();
            }
        });
    if let Err(e) = spawned {
        let mut j = failed_job.lock().unwrap_or_else(|p| p.into_inner());
        for row in &mut j.files {
            row.outcome = "failed".into();
            row.errors.push(format!("the fetch could not start: {e}"));
        }
        j.finished = true;
    }
    id
}

// ---- The JSON API ----

/// Query of an alert listing.
#[derive(Debug, Deserialize)]
pub struct AlertQuery {
    /// Only unread alerts.
    #[serde(default)]
    pub unread: bool,
    pub limit: Option<usize>,
}

/// `GET /api/alerts?unread=true&limit=…`: the inbox, newest first, with the unread count.
pub async fn api_alerts(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AlertQuery>,
) -> WebResult<Json<Inbox>> {
    caller.require(Role::Viewer)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    inbox(&state, q.unread, limit).await.map(Json)
}

/// The unread count after a change.
#[derive(Debug, Serialize)]
pub struct Unread {
    pub unread: u64,
}

/// `POST /api/alerts/{id}/read`: marks an alert read.
pub async fn api_mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> WebResult<Json<Unread>> {
    let unread = set_read(&state, &caller, id, true).await?;
    Ok(Json(Unread { unread }))
}

/// `DELETE /api/alerts/{id}/read`: marks an alert unread again.
pub async fn api_mark_unread(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> WebResult<Json<Unread>> {
    let unread = set_read(&state, &caller, id, false).await?;
    Ok(Json(Unread { unread }))
}

/// How many alerts a "mark all read" changed.
#[derive(Debug, Serialize)]
pub struct Marked {
    pub marked: usize,
}

/// `POST /api/alerts/read-all`.
pub async fn api_mark_all_read(
    State(state): State<AppState>,
    caller: Caller,
) -> WebResult<Json<Marked>> {
    let marked = mark_all_read(&state, &caller).await?;
    Ok(Json(Marked { marked }))
}

/// The base URL links in the feed start with: the address the client used to reach us.
fn request_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// `GET /alerts.atom` and `GET /api/alerts.atom`: the newest alerts as an Atom feed, each entry
/// linking to the article, the case file and the page as published.
pub async fn atom(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<AlertQuery>,
) -> WebResult<Response> {
    caller.require(Role::Viewer)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let alerts = state
        .monitor(move |m| Ok(m.alerts(q.unread, limit)?))
        .await?;
    let body = casebook_monitor::render_alerts(&alerts, &request_base(&headers));
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// `GET /api/watches`: the watchlist.
pub async fn api_watches(
    State(state): State<AppState>,
    caller: Caller,
) -> WebResult<Json<Vec<Watch>>> {
    caller.require(Role::Viewer)?;
    state.monitor(|m| Ok(m.watches()?)).await.map(Json)
}

/// `POST /api/watches` (analyst): `{"kind": "person"|"event_type"|"place", "value": "…"}`.
pub async fn api_add_watch(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewWatch>,
) -> WebResult<(StatusCode, Json<Watch>)> {
    let watch = add_watch(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(watch)))
}

/// `DELETE /api/watches/{id}` (analyst).
pub async fn api_remove_watch(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> WebResult<StatusCode> {
    remove_watch(&state, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/sources`: the watched sources, each with its last error and since when it fails.
pub async fn api_sources(
    State(state): State<AppState>,
    caller: Caller,
) -> WebResult<Json<Vec<SourceRecord>>> {
    caller.require(Role::Viewer)?;
    state.monitor(|m| Ok(m.sources()?)).await.map(Json)
}

/// `POST /api/sources` (analyst): `{"urls": "…", "kind": "feed"|"sitemap"|"urls", "fetch": true}`;
/// 202 with the sources and the fetch job when one started, 201 otherwise.
pub async fn api_add_sources(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewSources>,
) -> WebResult<(StatusCode, Json<SourcesAdded>)> {
    let added = add_sources(&state, &caller, new).await?;
    let status = if added.job.is_some() {
        StatusCode::ACCEPTED
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(added)))
}

/// `DELETE /api/sources/{id}` (analyst).
pub async fn api_remove_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> WebResult<StatusCode> {
    remove_source(&state, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A started fetch job.
#[derive(Debug, Serialize)]
pub struct FetchStarted {
    pub job: u64,
}

/// `POST /api/sources/{id}/fetch` (analyst): fetches a source now; its progress is the job's.
pub async fn api_fetch_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> WebResult<(StatusCode, Json<FetchStarted>)> {
    let job = fetch_source(&state, &caller, id).await?;
    Ok((StatusCode::ACCEPTED, Json(FetchStarted { job })))
}
