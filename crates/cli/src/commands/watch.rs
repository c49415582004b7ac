//! `casebook watch`: follow feeds, sitemaps and URL lists, and alert on watched people, event types
//! and places. The sources, page versions, watchlist and alerts live in `DATA/monitor.sqlite`
//! (casebook-monitor); each new or changed page is archived in the register as an untouched original
//! and read through the whole pipeline by the shared `casebook_pipeline::StoreSink`.

use crate::Global;
use anyhow::Context;
use casebook_monitor::{
    render_alerts, Monitor, MonitorConfig, SourceKind, SourceOutcome, WatchKind,
};
use casebook_pipeline::{Indexer, StoreSink};
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
        /// Also fetch from loopback, private and link-local addresses (refused by default, so a
        /// watched source cannot reach this machine's own services or network).
        #[arg(long)]
        allow_private_fetch: bool,
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

/// The shared sink (casebook-pipeline) over the register in the data directory, feeding the search
/// index when it can be opened.
pub fn store_sink(data: &std::path::Path, actor: &str) -> anyhow::Result<StoreSink> {
    let sink = StoreSink::open(data, actor)
        .with_context(|| format!("opening the register in {}", data.display()))?;
    Ok(match Indexer::open(data) {
        Ok(indexer) => sink.with_indexer(indexer),
        Err(err) => {
            eprintln!("casebook watch: pages are stored without updating the search index: {err}");
            sink
        }
    })
}

pub fn open_monitor(global: &Global, base_url: &str) -> anyhow::Result<Monitor> {
    open_fetching_monitor(global, base_url, false)
}

/// The monitor for a run that fetches: `allow_private` lets it reach non-public addresses.
pub fn open_fetching_monitor(
    global: &Global,
    base_url: &str,
    allow_private: bool,
) -> anyhow::Result<Monitor> {
    let mut config = MonitorConfig {
        link_base: base_url.to_string(),
        ..MonitorConfig::default()
    };
    config.fetch.allow_private = allow_private;
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
        Command::Run {
            by,
            base_url,
            json,
            allow_private_fetch,
        } => {
            run_sources(global, &by, &base_url, json, allow_private_fetch)?;
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
            show_alerts(global, unread, atom, json, limit, &base_url)?;
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

/// `casebook watch run`: checks every due source once and prints what each gave.
fn run_sources(
    global: &Global,
    by: &str,
    base_url: &str,
    json: bool,
    allow_private_fetch: bool,
) -> anyhow::Result<()> {
    let mut monitor = open_fetching_monitor(global, base_url, allow_private_fetch)?;
    let mut sink = store_sink(&global.data, by)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // The sink indexed every page as it stored it, persons included.
    let report = runtime.block_on(monitor.run_once(&mut sink))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for s in &report.sources {
            let what = match &s.outcome {
                SourceOutcome::Checked { .. } => s.outcome.checked_counts().unwrap_or_default(),
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
    Ok(())
}

/// `casebook watch alerts`: the alerts as text, JSON or an Atom feed.
fn show_alerts(
    global: &Global,
    unread: bool,
    atom: bool,
    json: bool,
    limit: usize,
    base_url: &str,
) -> anyhow::Result<()> {
    let monitor = open_monitor(global, base_url)?;
    let alerts = monitor.state().alerts(unread, limit)?;
    if atom {
        println!("{}", render_alerts(&alerts, base_url));
    } else if json {
        println!("{}", serde_json::to_string_pretty(&alerts)?);
    } else {
        println!("{} unread", monitor.state().unread_count()?);
        for a in alerts {
            let mark = if a.read { ' ' } else { '*' };
            println!("{mark}{:>4}  {}  {}", a.id, a.created_at, a.title);
            println!("       {}", a.summary);
            let links = casebook_monitor::alert_links(&a, base_url);
            println!("       evidence: {}", links.article);
            if let Some(page) = links.page {
                println!("       page: {page}");
            }
        }
    }
    Ok(())
}

fn add_watch(global: &Global, kind: WatchKind, value: &str, now: &str) -> anyhow::Result<()> {
    let monitor = open_monitor(global, "")?;
    let id = monitor.state().add_watch(kind, value, now)?;
    println!("watch {id}: {kind} {value}");
    Ok(())
}
