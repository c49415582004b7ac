//! casebook-monitor: follows news feeds and sites and raises alerts.
//!
//! In: watched sources (RSS/Atom feeds, sitemaps, plain URL lists), a watchlist (people in any script
//! and spelling, event types, places), and a [`Sink`] that archives a fetched page as an untouched
//! original and reads it through the whole pipeline into the register. Out: every new or changed page
//! fetched politely and handed to the sink, every version of a page recorded (SHA-256, time of
//! capture, URL; never overwritten), and alerts (an inbox with read state, an Atom feed, a webhook),
//! one per watch and register event, each linking to its evidence.
//!
//! The pure parts are tested alone: [`sources`] (listings → item URLs), [`polite`] (robots.txt,
//! back-off), [`watch`] (watchlist matching → alert drafts with dedup keys), [`atom`]. The edges are
//! [`fetch`] (the polite HTTP client) and [`state`] (its own SQLite file, `DATA/monitor.sqlite`, with
//! `PRAGMA user_version` migrations). That file sits beside the register rather than inside it; it
//! moves behind the register's storage boundary (`casebook_register::Store`) once that boundary has
//! room for monitoring state, so a PostgreSQL deployment keeps it in the same database.

pub mod address_guard;
pub mod atom;
pub mod fetch;
pub mod polite;
pub mod sources;
pub mod state;
pub mod watch;

pub use atom::{alert_links, render_alerts, AlertLinks};
pub use fetch::{FetchConfig, FetchError, FetchOutcome, Fetcher, Validators, UNREACHABLE};
pub use polite::Backoff;
pub use sources::{parse_listing, Item, Listing, SourceKind};
pub use state::{Alert, MonitorState, PageVersion, SourceRecord};
pub use watch::{
    match_article, AlertDraft, IngestReport, ReportedArticle, ReportedEvent, ReportedPerson, Watch,
    WatchKind,
};

use chrono::{SecondsFormat, Utc};
use futures_util::future::join_all;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::{Duration, Instant};

/// Errors of the monitor's own state and configuration (fetch failures are [`FetchError`]s, kept per
/// source and page rather than raised).
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("monitor state: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "monitor.sqlite is at schema version {0}, newer than this casebook knows; upgrade casebook"
    )]
    SchemaTooNew(u32),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Fetch(#[from] FetchError),
}

/// Result of the monitor's own operations.
pub type Result<T, E = MonitorError> = std::result::Result<T, E>;

/// A page as captured: the untouched bytes, where and when.
#[derive(Debug, Clone)]
pub struct CapturedPage {
    /// The URL the source listed.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// RFC 3339 UTC time of capture.
    pub captured_at: String,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// Where fetched pages go: the register (as originals) and the pipeline. `casebook_pipeline::StoreSink`
/// implements it over the real register; tests implement it with a stand-in.
pub trait Sink {
    /// Archives the page as an original and stores what the pipeline reads from it. An error means
    /// the page was not stored; it is fetched again on a later run.
    fn ingest(&mut self, page: CapturedPage) -> std::result::Result<IngestReport, String>;
}

/// How the monitor runs.
#[derive(Debug, Clone)]
pub struct MonitorConfig {
    pub fetch: FetchConfig,
    /// How long a failing source is left alone: doubled per consecutive failure.
    pub source_backoff: Backoff,
    /// Items taken from one listing per run (the newest come first in feeds).
    pub max_items_per_source: usize,
    /// Sitemaps followed from one sitemap index per run.
    pub max_child_sitemaps: usize,
    /// The web application's base URL for links in webhooks and feeds (`""`: site-relative).
    pub link_base: String,
    pub webhook_timeout: Duration,
    /// Deliveries of one alert tried at most this many times (once per run).
    pub webhook_max_attempts: u32,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        MonitorConfig {
            fetch: FetchConfig::default(),
            source_backoff: Backoff {
                base: Duration::from_secs(5 * 60),
                max: Duration::from_secs(6 * 3600),
            },
            max_items_per_source: 100,
            max_child_sitemaps: 10,
            link_base: String::new(),
            webhook_timeout: Duration::from_secs(10),
            webhook_max_attempts: 5,
        }
    }
}

/// What happened to one source in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SourceOutcome {
    /// Fetched and read.
    Checked {
        listed: usize,
        /// Pages fetched for the first time.
        new_pages: usize,
        /// Known pages whose bytes changed: archived as a further version.
        new_versions: usize,
        /// Known pages fetched again that had not changed (a 304 or the same bytes).
        unchanged_pages: usize,
        /// Pages that could not be fetched or stored (tried again next run).
        failed_pages: usize,
    },
    /// The listing answered 304.
    NotModified,
    /// Left alone after failures until this time.
    BackingOff { until: String },
    /// The listing failed; the error is also recorded on the source.
    Failed { error: String },
}

impl SourceOutcome {
    /// What a checked listing did, in one line ("3 listed, 2 new, 0 changed, 1 unchanged, 0
    /// failed") for `casebook watch run` and the ingest page; `None` for the other outcomes.
    pub fn checked_counts(&self) -> Option<String> {
        match self {
            SourceOutcome::Checked {
                listed,
                new_pages,
                new_versions,
                unchanged_pages,
                failed_pages,
            } => Some(format!(
                "{listed} listed, {new_pages} new, {new_versions} changed, \
                 {unchanged_pages} unchanged, {failed_pages} failed"
            )),
            _ => None,
        }
    }
}

/// One source's run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRun {
    pub id: i64,
    pub url: String,
    #[serde(flatten)]
    pub outcome: SourceOutcome,
}

/// What one run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunReport {
    pub sources: Vec<SourceRun>,
    /// Pages handed to the sink.
    pub ingested: usize,
    /// Why pages were not fetched or stored: `URL: reason`.
    pub page_failures: Vec<String>,
    /// Alerts raised in this run.
    pub alerts: Vec<Alert>,
    pub webhooks_delivered: usize,
    pub webhooks_failed: usize,
    pub elapsed_ms: u128,
}

/// The current time as stored: RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A page to fetch in a run, with what is known of it.
struct PagePlan {
    source_id: i64,
    url: String,
    listed_updated: Option<String>,
    known: Option<state::PageState>,
}

/// The monitor: its state, its fetcher and its configuration.
pub struct Monitor {
    state: MonitorState,
    fetcher: Fetcher,
    config: MonitorConfig,
}

impl Monitor {
    /// Opens the monitor over `DATA/monitor.sqlite`.
    pub fn open(data_dir: &Path, config: MonitorConfig) -> Result<Self> {
        Self::with_state(MonitorState::open(data_dir)?, config)
    }

    /// A monitor over a given state (tests use one in memory).
    pub fn with_state(state: MonitorState, config: MonitorConfig) -> Result<Self> {
        let fetcher = Fetcher::new(config.fetch.clone())?;
        Ok(Monitor {
            state,
            fetcher,
            config,
        })
    }

    /// The state, for listing and editing sources, watches and alerts.
    pub fn state(&self) -> &MonitorState {
        &self.state
    }

    /// Adds a source after checking its URL.
    pub fn add_source(&self, url: &str, kind: SourceKind) -> Result<i64> {
        let parsed = url::Url::parse(url.trim())
            .map_err(|e| MonitorError::Invalid(format!("{url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(MonitorError::Invalid(format!(
                "{url:?} is not an http(s) URL"
            )));
        }
        self.state.add_source(parsed.as_str(), kind, &now_rfc3339())
    }

    /// Sets the webhook alerts are POSTed to, after checking it is an http(s) URL; returns it as stored.
    pub fn set_webhook(&self, url: &str) -> Result<String> {
        let parsed = url::Url::parse(url.trim())
            .map_err(|e| MonitorError::Invalid(format!("{url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(MonitorError::Invalid(format!(
                "{url:?} is not an http(s) URL"
            )));
        }
        self.state.set_webhook(Some(parsed.as_str()))?;
        Ok(parsed.to_string())
    }

    /// Checks every due source once, fetches new and changed pages, hands them to the sink, raises
    /// alerts and delivers them to the webhook. A failing source is recorded and skipped; it never
    /// stops the others, and no host's slowness holds up another host's requests.
    pub async fn run_once<S: Sink + ?Sized>(&mut self, sink: &mut S) -> Result<RunReport> {
        self.run(None, sink).await
    }

    /// Checks only the sources with these ids, now, back-off or not (someone asked for them, as
    /// the web application's "add and fetch now" does); otherwise as [`Monitor::run_once`].
    pub async fn run_sources<S: Sink + ?Sized>(
        &mut self,
        ids: &[i64],
        sink: &mut S,
    ) -> Result<RunReport> {
        self.run(Some(ids), sink).await
    }

    async fn run<S: Sink + ?Sized>(
        &mut self,
        only: Option<&[i64]>,
        sink: &mut S,
    ) -> Result<RunReport> {
        let started = Instant::now();
        let mut report = RunReport::default();

        // 1. Listings, fetched concurrently (the fetcher gates each host).
        // Only the fetcher (Sync) is borrowed across awaits, never the state, so the run is Send
        // and `poll_forever` can be spawned on a multi-threaded runtime.
        let due = match only {
            None => self.due_sources(&mut report)?,
            Some(ids) => self
                .state
                .sources()?
                .into_iter()
                .filter(|s| ids.contains(&s.id))
                .collect(),
        };
        let fetcher = &self.fetcher;
        let max_children = self.config.max_child_sitemaps;
        let listings = join_all(
            due.iter()
                .map(|source| fetch_listing(fetcher, max_children, source)),
        )
        .await;

        // 2. Which pages to fetch (state reads stay outside the awaits).
        let mut plans = Vec::new();
        let mut planned = std::collections::HashSet::new();
        let mut per_source = Vec::new();
        for (source, listing) in due.iter().zip(listings) {
            let now = now_rfc3339();
            match listing {
                Err(err) => {
                    self.source_failed(source, &err.to_string(), &now, &mut report)?;
                }
                Ok(None) => {
                    self.state.source_not_modified(source.id, &now)?;
                    report.sources.push(SourceRun {
                        id: source.id,
                        url: source.url.clone(),
                        outcome: SourceOutcome::NotModified,
                    });
                }
                Ok(Some((listing, validators))) => {
                    self.state.source_ok(
                        source.id,
                        validators.etag.as_deref(),
                        validators.last_modified.as_deref(),
                        &now,
                    )?;
                    let first = plans.len();
                    for item in listing.items.iter().take(self.config.max_items_per_source) {
                        // A page two sources list (a syndicated story) is fetched once per run.
                        if !planned.insert(item.url.clone()) {
                            continue;
                        }
                        let known = self.state.page(&item.url)?;
                        if self.wants(source.kind, item, known.as_ref()) {
                            plans.push(PagePlan {
                                source_id: source.id,
                                url: item.url.clone(),
                                listed_updated: item.updated.clone(),
                                known,
                            });
                        }
                    }
                    per_source.push((source.clone(), listing.items.len(), first..plans.len()));
                }
            }
        }

        // 3. Pages, fetched concurrently.
        let fetched = join_all(plans.iter().map(|plan| {
            let validators = plan
                .known
                .as_ref()
                .map(|k| Validators {
                    etag: k.etag.clone(),
                    last_modified: k.last_modified.clone(),
                })
                .unwrap_or_default();
            async move { fetcher.fetch(&plan.url, &validators).await }
        }))
        .await;

        // 4. Archive, ingest, match: one page at a time, in listing order.
        let watches = self.state.watches()?;
        let mut outcomes = Vec::with_capacity(plans.len());
        for (plan, result) in plans.iter().zip(fetched) {
            outcomes.push(self.take_page(plan, result, sink, &watches, &mut report)?);
        }
        for (source, listed, range) in per_source {
            let (mut new_pages, mut new_versions, mut unchanged_pages, mut failed_pages) =
                (0, 0, 0, 0);
            for outcome in outcomes.get(range).unwrap_or_default() {
                match outcome {
                    PageOutcome::New => new_pages += 1,
                    PageOutcome::NewVersion => new_versions += 1,
                    PageOutcome::Unchanged => unchanged_pages += 1,
                    PageOutcome::Failed => failed_pages += 1,
                }
            }
            report.sources.push(SourceRun {
                id: source.id,
                url: source.url,
                outcome: SourceOutcome::Checked {
                    listed,
                    new_pages,
                    new_versions,
                    unchanged_pages,
                    failed_pages,
                },
            });
        }
        report.sources.sort_by_key(|s| s.id);

        // 5. Webhook deliveries: bounded by their own timeout, failures recorded on the alert.
        let webhook = self.state.webhook()?;
        if let Some(hook) = webhook {
            let pending = self
                .state
                .undelivered(self.config.webhook_max_attempts, 100)?;
            let results = deliver_webhooks(&self.config, &hook, &pending).await?;
            let now = now_rfc3339();
            for (alert, result) in pending.iter().zip(results) {
                let outcome = result.as_ref().map(|_| ()).map_err(String::as_str);
                self.state.webhook_attempt(alert.id, outcome, &now)?;
                match result {
                    Ok(()) => report.webhooks_delivered += 1,
                    Err(_) => report.webhooks_failed += 1,
                }
            }
        }
        report.elapsed_ms = started.elapsed().as_millis();
        Ok(report)
    }

    /// Runs [`Monitor::run_once`] every `interval` until `stop` turns true (or its sender is
    /// dropped). For `casebook serve`; the run summaries go to standard error, without names.
    pub async fn poll_forever<S: Sink + Send>(
        mut self,
        mut sink: S,
        interval: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *stop.borrow() {
                return;
            }
            match self.run_once(&mut sink).await {
                Ok(report) => eprintln!("casebook monitor: {}", report.summary()),
                Err(err) => eprintln!("casebook monitor: the run failed: {err}"),
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        return;
                    }
                }
            }
        }
    }

    /// Sources whose back-off has passed; the others are reported as backing off.
    fn due_sources(&self, report: &mut RunReport) -> Result<Vec<SourceRecord>> {
        let now = now_rfc3339();
        let mut due = Vec::new();
        for source in self.state.sources()? {
            match &source.next_attempt_at {
                // RFC 3339 UTC strings of one format compare in time order.
                Some(until) if until.as_str() > now.as_str() => report.sources.push(SourceRun {
                    id: source.id,
                    url: source.url.clone(),
                    outcome: SourceOutcome::BackingOff {
                        until: until.clone(),
                    },
                }),
                _ => due.push(source),
            }
        }
        Ok(due)
    }

    fn source_failed(
        &self,
        source: &SourceRecord,
        error: &str,
        now: &str,
        report: &mut RunReport,
    ) -> Result<()> {
        let delay = self
            .config
            .source_backoff
            .delay(source.failures.saturating_add(1));
        let next = (Utc::now()
            + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::zero()))
        .to_rfc3339_opts(SecondsFormat::Secs, true);
        self.state.source_failed(source.id, error, now, &next)?;
        report.sources.push(SourceRun {
            id: source.id,
            url: source.url.clone(),
            outcome: SourceOutcome::Failed {
                error: error.to_string(),
            },
        });
        Ok(())
    }

    /// Whether a listed item is fetched this run: new pages always; known pages when the listing
    /// says they changed, when the last try failed, and every run for watched URL lists (which
    /// have no dates; conditional requests keep that cheap).
    fn wants(&self, kind: SourceKind, item: &Item, known: Option<&state::PageState>) -> bool {
        let Some(known) = known else { return true };
        known.last_error.is_some()
            || known.latest_sha256.is_none()
            || kind == SourceKind::Urls
            || (item.updated.is_some() && item.updated != known.listed_updated)
    }

    fn take_page<S: Sink + ?Sized>(
        &self,
        plan: &PagePlan,
        result: std::result::Result<FetchOutcome, FetchError>,
        sink: &mut S,
        watches: &[Watch],
        report: &mut RunReport,
    ) -> Result<PageOutcome> {
        let now = now_rfc3339();
        let known = plan.known.clone().unwrap_or_default();
        let failed =
            |state: &MonitorState, report: &mut RunReport, why: String| -> Result<PageOutcome> {
                // Validators are dropped so the next try fetches the page whole.
                state.page_checked(
                    &plan.url,
                    plan.source_id,
                    None,
                    None,
                    None,
                    Some(&why),
                    &now,
                )?;
                report.page_failures.push(format!("{}: {why}", plan.url));
                Ok(PageOutcome::Failed)
            };
        let fetched = match result {
            Err(err) => return failed(&self.state, report, err.to_string()),
            Ok(FetchOutcome::NotModified) => {
                self.state.page_checked(
                    &plan.url,
                    plan.source_id,
                    known.etag.as_deref(),
                    known.last_modified.as_deref(),
                    plan.listed_updated.as_deref(),
                    None,
                    &now,
                )?;
                return Ok(PageOutcome::Unchanged);
            }
            Ok(FetchOutcome::Fetched(f)) => f,
        };
        let sha256 = hex::encode(Sha256::digest(&fetched.bytes));
        let bytes_len = fetched.bytes.len() as u64;
        let outcome = if known.latest_sha256.as_deref() == Some(sha256.as_str()) {
            PageOutcome::Unchanged
        } else {
            let page = CapturedPage {
                url: plan.url.clone(),
                final_url: fetched.final_url,
                captured_at: now.clone(),
                sha256: sha256.clone(),
                content_type: fetched.content_type,
                bytes: fetched.bytes,
            };
            let ingest = match sink.ingest(page) {
                Ok(r) => r,
                Err(why) => return failed(&self.state, report, format!("not stored: {why}")),
            };
            report.ingested += 1;
            self.state
                .add_version(&plan.url, &sha256, bytes_len, &now)?;
            for article in &ingest.articles {
                for draft in match_article(watches, article) {
                    if let Some(alert) = self.state.insert_alert(&draft, &now)? {
                        report.alerts.push(alert);
                    }
                }
            }
            if known.latest_sha256.is_some() {
                PageOutcome::NewVersion
            } else {
                PageOutcome::New
            }
        };
        self.state.page_checked(
            &plan.url,
            plan.source_id,
            fetched.validators.etag.as_deref(),
            fetched.validators.last_modified.as_deref(),
            plan.listed_updated.as_deref(),
            None,
            &now,
        )?;
        Ok(outcome)
    }
}

/// Fetches a listing (and, for a sitemap index, the sitemaps it names); `None` for a 304.
async fn fetch_listing(
    fetcher: &Fetcher,
    max_children: usize,
    source: &SourceRecord,
) -> Result<Option<(Listing, Validators)>, MonitorError> {
    let validators = Validators {
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
    };
    let fetched = match fetcher.fetch(&source.url, &validators).await? {
        FetchOutcome::NotModified => return Ok(None),
        FetchOutcome::Fetched(f) => f,
    };
    let mut listing = parse_listing(source.kind, &fetched.final_url, &fetched.bytes)
        .map_err(|e| MonitorError::Invalid(e.to_string()))?;
    let children: Vec<String> = listing
        .child_sitemaps
        .drain(..)
        .take(max_children)
        .collect();
    // A set, not a scan of the list per item: children of 50,000 URLs each made that quadratic.
    let mut seen: std::collections::HashSet<String> =
        listing.items.iter().map(|i| i.url.clone()).collect();
    for child in children {
        // A child that fails costs its pages this run, not the whole index.
        if let Ok(FetchOutcome::Fetched(f)) = fetcher.fetch(&child, &Validators::default()).await {
            if let Ok(sub) = parse_listing(SourceKind::Sitemap, &f.final_url, &f.bytes) {
                for item in sub.items {
                    if seen.insert(item.url.clone()) {
                        listing.items.push(item);
                    }
                }
            }
        }
    }
    Ok(Some((listing, fetched.validators)))
}

/// POSTs each alert to the webhook, all at once, each bounded by the webhook timeout; returns each
/// delivery's outcome in order.
async fn deliver_webhooks(
    config: &MonitorConfig,
    hook: &str,
    pending: &[Alert],
) -> Result<Vec<std::result::Result<(), String>>> {
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let mut builder = reqwest::Client::builder()
        .user_agent(config.fetch.user_agent.clone())
        .timeout(config.webhook_timeout)
        // A webhook that redirects is misconfigured; a POST is not replayed elsewhere.
        .redirect(reqwest::redirect::Policy::none());
    // The webhook is held to the fetcher's address policy: alerts carry names, and a hook that
    // points into the server's own network must be allowed by the operator, not assumed.
    if !config.fetch.allow_private {
        let refused = url::Url::parse(hook)
            .map_err(|_| ())
            .and_then(|u| address_guard::check_literal(&u).map_err(|_| ()));
        if refused.is_err() {
            let why = address_guard::NonPublicAddress.to_string();
            return Ok(pending.iter().map(|_| Err(why.clone())).collect());
        }
        builder = builder.dns_resolver(std::sync::Arc::new(address_guard::PublicOnlyResolver));
    }
    let client = builder
        .build()
        .map_err(|e| MonitorError::Invalid(format!("cannot build the webhook client: {e}")))?;
    Ok(join_all(pending.iter().map(|alert| {
        let body = WebhookPayload {
            text: format!("{}: {}", alert.title, alert.summary),
            links: alert_links(alert, &config.link_base),
            alert,
        };
        let request = client.post(hook).json(&body);
        async move {
            match request.send().await {
                Ok(r) if r.status().is_success() => Ok(()),
                Ok(r) => Err(format!("HTTP {}", r.status().as_u16())),
                Err(e) if e.is_timeout() => Err("timed out".to_string()),
                Err(e) if refused_address(&e) => Err(address_guard::NonPublicAddress.to_string()),
                Err(e) => Err(e.without_url().to_string()),
            }
        }
    }))
    .await)
}

/// True when the resolver refused every address of the webhook's host (the reason is deep in
/// the client's error chain).
fn refused_address(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if cause.is::<address_guard::NonPublicAddress>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// What the webhook receives: the alert, its links, and a one-line `text` chat tools show as is.
#[derive(Serialize)]
struct WebhookPayload<'a> {
    text: String,
    links: AlertLinks,
    alert: &'a Alert,
}

enum PageOutcome {
    New,
    NewVersion,
    Unchanged,
    Failed,
}

impl RunReport {
    /// One line of counts (no names: it goes to logs).
    pub fn summary(&self) -> String {
        let failed = self
            .sources
            .iter()
            .filter(|s| matches!(s.outcome, SourceOutcome::Failed { .. }))
            .count();
        let unchanged = self
            .sources
            .iter()
            .filter(|s| matches!(s.outcome, SourceOutcome::NotModified))
            .count();
        format!(
            "{} sources ({} unchanged, {} failing), {} pages stored, {} page failures, {} alerts, \
             {} webhook deliveries ({} failed), {} ms",
            self.sources.len(),
            unchanged,
            failed,
            self.ingested,
            self.page_failures.len(),
            self.alerts.len(),
            self.webhooks_delivered,
            self.webhooks_failed,
            self.elapsed_ms
        )
    }
}
