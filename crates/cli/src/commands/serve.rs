//! `casebook serve`: the web application and JSON API over the register, with the monitor's poller
//! beside it. The poller runs on a thread of its own (its own small runtime), checks the watched
//! sources (`casebook watch add`) every `--poll-interval` seconds through the shared ingest flow
//! (`casebook_pipeline::StoreSink`), and feeds the server's search index with what each page
//! brought (no rebuild). A failing source is recorded and counted in the log line of the run; it
//! never stops the server. On Ctrl-C or SIGTERM the server stops taking requests, the poller, index
//! work and background jobs are told to stop, and requests and a poller run in progress get a short
//! grace period each (running side by side): the process exits within a few seconds whatever runs.

use crate::Global;
use anyhow::{anyhow, Context};
use casebook_monitor::{Monitor, MonitorConfig};
use casebook_pipeline::StoreSink;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Public read-only mode: no logins, only confirmed facts, protected people and fields never shown.
    #[arg(long)]
    public: bool,
    /// Send the session cookie over plain HTTP too (only behind a trusted network; by default the
    /// cookie is `Secure`, which browsers send over HTTPS and to localhost only).
    #[arg(long)]
    insecure_cookies: bool,
    /// The largest upload accepted, in megabytes.
    #[arg(long, default_value_t = 32)]
    max_upload_mb: usize,
    /// Seconds between two checks of the watched sources by the background poller.
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    poll_interval: u64,
    /// No background poller (check the sources with `casebook watch run`, e.g. from cron).
    #[arg(long)]
    no_poll: bool,
    /// Who the poller's ingests are recorded as in the audit log.
    #[arg(long, env = "CASEBOOK_ACTOR", default_value = "casebook-watch")]
    poll_by: String,
    /// This application's base URL, for the links in alert webhooks.
    #[arg(long, env = "CASEBOOK_BASE_URL", default_value = "")]
    base_url: String,
    /// Let the poller and fetch jobs reach loopback, private and link-local addresses (refused by
    /// default, so an analyst's source cannot reach this machine's own services or network).
    #[arg(long)]
    allow_private_fetch: bool,
}

/// How long a run in progress may go on after shutdown was asked for. Cutting a run short is safe
/// (each page is stored in its own transactions, and a page not yet stored is fetched again next
/// time), so shutdown never waits on a slow host's timeouts.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// How long requests in progress may go on after shutdown was asked for, and then how long work
/// left on the blocking threads (an index rebuild, an ingest batch) is waited for. Both are cut
/// short safely: the register and the index commit whole transactions only.
const REQUEST_GRACE: Duration = Duration::from_secs(2);
const BLOCKING_GRACE: Duration = Duration::from_millis(500);

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut config = casebook_web::Config::new(&global.data);
    config.public = args.public;
    config.secure_cookies = !args.insecure_cookies;
    config.max_body_bytes = args.max_upload_mb.max(1) * 1024 * 1024;
    config.allow_private_fetch = args.allow_private_fetch;
    if !args.public {
        let accounts = casebook_web::Accounts::open(&global.data)
            .with_context(|| format!("opening the accounts in {}", global.data.display()))?;
        if accounts.count()? == 0 {
            eprintln!(
                "casebook: no account yet; create the first admin with `casebook user add NAME --role admin`"
            );
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let mut poller = None;
    let served = runtime.block_on(async {
        let (state, router) = casebook_web::application(config).map_err(|e| anyhow!("{e}"))?;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener
            .local_addr()
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        eprintln!("casebook: serving on http://{local}/");
        if args.no_poll {
            eprintln!("casebook: the poller is off (--no-poll)");
        } else {
            let settings = PollSettings {
                data: global.data.clone(),
                interval: Duration::from_secs(args.poll_interval),
                actor: args.poll_by.clone(),
                base_url: args.base_url.clone(),
                allow_private_fetch: args.allow_private_fetch,
            };
            poller = Some(Poller::start(settings, state.clone())?);
        }
        let asked = std::sync::Arc::new(tokio::sync::Notify::new());
        let on_signal = {
            let (asked, state) = (asked.clone(), state.clone());
            let poller_stop = poller.as_ref().map(Poller::stopper);
            async move {
                shutdown_signal().await;
                eprintln!("casebook: stopping");
                state.stop();
                if let Some(stop) = poller_stop {
                    let _ = stop.send(true);
                }
                asked.notify_one();
            }
        };
        let server = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(on_signal);
        tokio::select! {
            served = std::future::IntoFuture::into_future(server) => {
                served.context("the server stopped")
            }
            _ = async {
                asked.notified().await;
                tokio::time::sleep(REQUEST_GRACE).await;
            } => {
                eprintln!(
                    "casebook: requests still running {} s after the stop were cut short",
                    REQUEST_GRACE.as_secs()
                );
                Ok(())
            }
        }
    });
    if let Some(poller) = poller {
        poller.stop();
    }
    runtime.shutdown_timeout(BLOCKING_GRACE);
    served?;
    eprintln!("casebook: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what service managers send).
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

/// What the poller needs to know.
struct PollSettings {
    data: PathBuf,
    interval: Duration,
    actor: String,
    base_url: String,
    allow_private_fetch: bool,
}

/// The background poller: a thread running the monitor's `poll_forever` until told to stop.
struct Poller {
    stop: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    thread: std::thread::JoinHandle<()>,
}

impl Poller {
    /// Starts the poller thread. Only failing to start a thread is an error; a monitor or register
    /// that cannot be opened is reported and leaves the server running without a poller.
    fn start(settings: PollSettings, state: casebook_web::AppState) -> anyhow::Result<Poller> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("casebook-poller".into())
            .spawn(move || poll(settings, state, stopped))
            .context("starting the poller thread")?;
        Ok(Poller {
            stop: std::sync::Arc::new(stop),
            thread,
        })
    }

    /// What tells the poller to stop (sent at the signal, so its grace runs beside the requests').
    fn stopper(&self) -> std::sync::Arc<tokio::sync::watch::Sender<bool>> {
        self.stop.clone()
    }

    /// Tells the poller to stop and waits for it (a run in progress gets [`STOP_GRACE`]).
    fn stop(self) {
        let _ = self.stop.send(true);
        if self.thread.join().is_err() {
            eprintln!("casebook: the poller ended with a panic");
        }
    }
}

fn open_poller(
    settings: &PollSettings,
    state: casebook_web::AppState,
) -> anyhow::Result<(Monitor, StoreSink)> {
    let mut config = MonitorConfig {
        link_base: settings.base_url.clone(),
        ..MonitorConfig::default()
    };
    config.fetch.allow_private = settings.allow_private_fetch;
    let monitor = Monitor::open(&settings.data, config)
        .with_context(|| format!("opening the monitor in {}", settings.data.display()))?;
    // The sink writes the server's own search index page by page (writers take its lock in
    // turn); a public server's index is redacted as a whole and follows the register by itself.
    let sink = StoreSink::open(&settings.data, &settings.actor)
        .with_context(|| format!("opening the register in {}", settings.data.display()))?;
    Ok(match state.indexer() {
        Some(indexer) => (monitor, sink.with_indexer(indexer)),
        None => (monitor, sink),
    })
}

fn poll(
    settings: PollSettings,
    state: casebook_web::AppState,
    stopped: tokio::sync::watch::Receiver<bool>,
) {
    let (monitor, sink) = match open_poller(&settings, state) {
        Ok(opened) => opened,
        Err(err) => {
            eprintln!("casebook: the poller is off: {err:#}");
            return;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("casebook: the poller is off: cannot start its runtime: {err}");
            return;
        }
    };
    eprintln!(
        "casebook: checking the watched sources every {} s",
        settings.interval.as_secs()
    );
    let mut asked = stopped.clone();
    runtime.block_on(async move {
        let polling = monitor.poll_forever(sink, settings.interval, stopped);
        let cut_short = async {
            while !*asked.borrow_and_update() {
                if asked.changed().await.is_err() {
                    break;
                }
            }
            tokio::time::sleep(STOP_GRACE).await;
        };
        tokio::select! {
            _ = polling => {}
            _ = cut_short => {
                eprintln!(
                    "casebook: the poller was stopped in the middle of a run; pages not stored yet are fetched next time"
                );
            }
        }
    });
}
