//! `casebook watch`: follow feeds, sitemaps and URL lists, and alert on watched people, event types
//! and places. The sources, page versions, watchlist and alerts live in `DATA/monitor.sqlite`
//! (casebook-monitor); each new or changed page is archived in the register as an untouched original
//! and read through the whole pipeline by [`StoreSink`].

use crate::pipeline::{Indexer, Pipeline, EXTRACTOR_VERSION};
use crate::Global;
use anyhow::Context;
use casebook_monitor::{
    render_alerts, CapturedPage, IngestReport, Monitor, MonitorConfig, ReportedArticle,
    ReportedEvent, ReportedPerson, Sink, SourceKind, SourceOutcome, WatchKind,
};
use casebook_register::{
    ClaimFilter, ClaimKind, IndexResolver, Provenance, SqliteStore, Store, StoreOutcome,
};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Watch a feed (RSS, Atom, JSON Feed), a sitemap, or a plain list of URLs.
    Add {
        url: String,
        /// feed, sitemap or urls.
        #[arg(long, default_value = "feed")]
        kind: String,
    },
    /// The watched sources, with their last error and since when they fail.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop watching a source (the pages archived from it stay).
    Remove { id: i64 },
    /// Check every source once (for cron): new and changed pages go through the pipeline.
    Run {
        /// Who the ingest is recorded as in the audit log.
        #[arg(long, env = "CASEBOOK_ACTOR", default_value = "casebook-watch")]
        by: String,
        /// Base URL of the web application, for links in webhooks.
        #[arg(long, env = "CASEBOOK_BASE_URL", default_value = "")]
        base_url: String,
        /// Print the run report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Alert when this person is reported, in any script or spelling.
    Person { name: String },
    /// Alert on every new event of this type (detention, disappearance, …).
    EventType { event_type: String },
    /// Alert on every new event at this place.
    Place { place: String },
    /// The watchlist.
    Watches,
    /// Remove an entry of the watchlist.
    Unwatch { id: i64 },
    /// The alert inbox (newest first), or an Atom feed of it.
    Alerts {
        #[arg(long)]
        unread: bool,
        #[arg(long)]
        atom: bool,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Base URL of the web application, for links in the Atom feed.
        #[arg(long, env = "CASEBOOK_BASE_URL", default_value = "")]
        base_url: String,
    },
    /// Mark alerts read (all of them with --all).
    Read {
        ids: Vec<i64>,
        #[arg(long)]
        all: bool,
    },
    /// POST every new alert as JSON to this URL; `--clear` stops it.
    Webhook {
        url: Option<String>,
        #[arg(long)]
        clear: bool,
    },
}

/// The real sink: pages become originals in the register and go through the whole pipeline; the
/// search index is kept in step when it can be opened.
pub struct StoreSink {
    store: SqliteStore,
    pipeline: Pipeline,
    resolver: IndexResolver,
    provenance: Provenance,
    indexer: Option<Indexer>,
}

impl StoreSink {
    /// Opens the register (and the search index) in the data directory.
    pub fn open(data: &std::path::Path, actor: &str) -> anyhow::Result<Self> {
        let store = casebook_register::open(data)?;
        let indexer = match Indexer::open(data) {
            Ok(i) => Some(i),
            Err(err) => {
                eprintln!(
                    "casebook watch: pages are stored without updating the search index: {err:#}"
                );
                None
            }
        };
        Ok(StoreSink {
            store,
            pipeline: Pipeline::new(),
            resolver: IndexResolver::new(),
            provenance: Provenance {
                extractor_version: EXTRACTOR_VERSION.to_string(),
                actor: actor.to_string(),
            },
            indexer,
        })
    }

    /// Re-indexes the persons the run touched; call once after a run.
    pub fn finish(&mut self) {
        if let Some(indexer) = self.indexer.take() {
            if let Err(err) = indexer.finish(&self.store) {
                eprintln!("casebook watch: the search index was not updated: {err:#}");
            }
        }
    }

    fn ingest_page(&mut self, page: CapturedPage) -> anyhow::Result<IngestReport> {
        let url = page.url.clone();
        let original = casebook_ingest::original(page.url, page.bytes);
        let mut report = IngestReport {
            original_sha256: original.sha256.clone(),
            ..IngestReport::default()
        };
        let analysis = self.pipeline.analyse(&original);
        report.failures = analysis.failures;
        if analysis.articles.is_empty() {
            // Kept as evidence all the same: what was published is archived even if unread.
            self.store.add_original(&original, &self.provenance.actor)?;
            return Ok(report);
        }
        let mut stored = Vec::new();
        for mut analysed in analysis.articles {
            analysed.article.url.get_or_insert_with(|| url.clone());
            let outcome = self
                .store
                .store_article(&original, &analysed, &self.provenance, &self.resolver)
                .context("storing the article")?;
            let written = match outcome {
                StoreOutcome::Stored(w) | StoreOutcome::Reanalysed(w) => w,
                StoreOutcome::AlreadyStored => continue,
            };
            let person = |i: usize| -> anyhow::Result<Option<ReportedPerson>> {
                let (Some(id), Some(p)) = (written.persons.get(i), analysed.people.persons.get(i))
                else {
                    return Ok(None);
                };
                let known = self.store.person(id)?;
                Ok(Some(ReportedPerson {
                    id: id.clone(),
                    name: p.name.clone(),
                    other_names: known.names.into_iter().filter(|n| *n != p.name).collect(),
                }))
            };
            let mut persons = Vec::new();
            for i in 0..analysed.people.persons.len() {
                persons.extend(person(i)?);
            }
            let mut events = Vec::new();
            for (event, id) in analysed.events.events.iter().zip(&written.events) {
                let mut victims = Vec::new();
                for &v in &event.victims {
                    victims.extend(person(v)?);
                }
                // New to the register when every report of it comes from this article.
                let claims = self.store.claims(&ClaimFilter {
                    kind: Some(ClaimKind::Event),
                    subject: Some(id.clone()),
                    ..ClaimFilter::default()
                })?;
                let is_new = claims
                    .iter()
                    .all(|c| c.article.as_deref() == Some(analysed.article.id.as_str()));
                events.push(ReportedEvent {
                    id: id.clone(),
                    event_type: event.event_type.clone(),
                    date: event.date.map(|d| d.to_string()),
                    place: event.place.clone(),
                    victims,
                    evidence: event.evidence.text.clone(),
                    is_new,
                });
            }
            report.articles.push(ReportedArticle {
                id: analysed.article.id.clone(),
                title: analysed.article.title.clone(),
                url: analysed.article.url.clone(),
                persons,
                events,
            });
            stored.push((analysed, written));
        }
        if let Some(indexer) = self.indexer.as_mut() {
            if let Err(err) = indexer.add(&stored) {
                // The index is derived and can be rebuilt; the store holds everything.
                eprintln!("casebook watch: the search index was not updated: {err:#}");
            }
        }
        Ok(report)
    }
}

// `casebook serve` moves the sink into the poller's thread or task: it must stay Send.
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<StoreSink>();
};

impl Sink for StoreSink {
    fn ingest(&mut self, page: CapturedPage) -> Result<IngestReport, String> {
        self.ingest_page(page).map_err(|e| format!("{e:#}"))
    }
}

fn open_monitor(global: &Global, base_url: &str) -> anyhow::Result<Monitor> {
    let config = MonitorConfig {
        link_base: base_url.to_string(),
        ..MonitorConfig::default()
    };
    Monitor::open(&global.data, config)
        .with_context(|| format!("opening the monitor in {}", global.data.display()))
}

pub fn run(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    let now = casebook_monitor::now_rfc3339();
    match command {
        Command::Add { url, kind } => {
            let kind = SourceKind::parse(&kind)
                .with_context(|| format!("--kind {kind:?}: expected feed, sitemap or urls"))?;
            let monitor = open_monitor(global, "")?;
            let id = monitor.add_source(&url, kind)?;
            println!("source {id}: {url} ({kind})");
        }
        Command::List { json } => {
            let monitor = open_monitor(global, "")?;
            let sources = monitor.state().sources()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&sources)?);
            } else if sources.is_empty() {
                println!("no source watched; add one with `casebook watch add URL`");
            }
            if !json {
                for s in sources {
                    let checked = s.last_checked_at.as_deref().unwrap_or("never");
                    println!("{:>4}  {:<8} {}  (checked {checked})", s.id, s.kind, s.url);
                    if let Some(err) = &s.last_error {
                        println!(
                            "      FAILING since {} ({} times): {err}; next try after {}",
                            s.error_since.as_deref().unwrap_or("?"),
                            s.failures,
                            s.next_attempt_at.as_deref().unwrap_or("the next run")
                        );
                    }
                }
            }
        }
        Command::Remove { id } => {
            let monitor = open_monitor(global, "")?;
            if !monitor.state().remove_source(id)? {
                anyhow::bail!("no source has id {id} (see `casebook watch list`)");
            }
            println!("source {id} removed; the pages archived from it are kept");
        }
        Command::Run { by, base_url, json } => {
            let mut monitor = open_monitor(global, &base_url)?;
            let mut sink = StoreSink::open(&global.data, &by)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            let report = runtime.block_on(monitor.run_once(&mut sink))?;
            sink.finish();
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for s in &report.sources {
                    let what = match &s.outcome {
                        SourceOutcome::Checked {
                            listed,
                            new_pages,
                            new_versions,
                            unchanged_pages,
                            failed_pages,
                        } => format!(
                            "{listed} listed, {new_pages} new, {new_versions} changed, \
                             {unchanged_pages} unchanged, {failed_pages} failed"
                        ),
                        SourceOutcome::NotModified => "unchanged (304)".to_string(),
                        SourceOutcome::BackingOff { until } => format!("backing off until {until}"),
                        SourceOutcome::Failed { error } => format!("FAILED: {error}"),
                    };
                    println!("{:>4}  {}  {what}", s.id, s.url);
                }
                for failure in &report.page_failures {
                    eprintln!("casebook watch: {failure}");
                }
                for alert in &report.alerts {
                    println!("ALERT {}: {}", alert.id, alert.title);
                }
                eprintln!("casebook watch: {}", report.summary());
            }
        }
        Command::Person { name } => add_watch(global, WatchKind::Person, &name, &now)?,
        Command::EventType { event_type } => {
            add_watch(global, WatchKind::EventType, &event_type, &now)?
        }
        Command::Place { place } => add_watch(global, WatchKind::Place, &place, &now)?,
        Command::Watches => {
            let monitor = open_monitor(global, "")?;
            for w in monitor.state().watches()? {
                println!("{:>4}  {:<10} {}", w.id, w.kind, w.value);
            }
        }
        Command::Unwatch { id } => {
            let monitor = open_monitor(global, "")?;
            if !monitor.state().remove_watch(id)? {
                anyhow::bail!("no watch has id {id} (see `casebook watch watches`)");
            }
            println!("watch {id} removed; its alerts are kept");
        }
        Command::Alerts {
            unread,
            atom,
            json,
            limit,
            base_url,
        } => {
            let monitor = open_monitor(global, &base_url)?;
            let alerts = monitor.state().alerts(unread, limit)?;
            if atom {
                println!("{}", render_alerts(&alerts, &base_url));
            } else if json {
                println!("{}", serde_json::to_string_pretty(&alerts)?);
            } else {
                println!("{} unread", monitor.state().unread_count()?);
                for a in alerts {
                    let mark = if a.read { ' ' } else { '*' };
                    println!("{mark}{:>4}  {}  {}", a.id, a.created_at, a.title);
                    println!("       {}", a.summary);
                    let links = casebook_monitor::alert_links(&a, &base_url);
                    println!("       evidence: {}", links.article);
                    if let Some(page) = links.page {
                        println!("       page: {page}");
                    }
                }
            }
        }
        Command::Read { ids, all } => {
            let monitor = open_monitor(global, "")?;
            if all {
                println!("{} alerts marked read", monitor.state().mark_all_read()?);
            } else if ids.is_empty() {
                anyhow::bail!("name the alerts to mark read, or use --all");
            } else {
                for id in ids {
                    if !monitor.state().set_read(id, true)? {
                        anyhow::bail!("no alert has id {id}");
                    }
                }
            }
        }
        Command::Webhook { url, clear } => {
            let monitor = open_monitor(global, "")?;
            match (url, clear) {
                (_, true) => {
                    monitor.state().set_webhook(None)?;
                    println!("webhook cleared");
                }
                (Some(url), false) => {
                    let url = monitor.set_webhook(&url)?;
                    println!("new alerts will be POSTed to {url}");
                }
                (None, false) => match monitor.state().webhook()? {
                    Some(url) => println!("{url}"),
                    None => println!("no webhook set"),
                },
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn add_watch(global: &Global, kind: WatchKind, value: &str, now: &str) -> anyhow::Result<()> {
    let monitor = open_monitor(global, "")?;
    let id = monitor.state().add_watch(kind, value, now)?;
    println!("watch {id}: {kind} {value}");
    Ok(())
}
