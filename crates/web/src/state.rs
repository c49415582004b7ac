//! What every request shares: the configuration, a small pool of register handles, the search
//! index, the accounts store, the monitor's state (sources, watchlist, alerts), the login limiter
//! and the ingest jobs.

use crate::accounts::Accounts;
use crate::busy::{JobSlots, PasswordChecks};
use crate::error::{StartError, WebError, WebResult};
use crate::ingest::Jobs;
use crate::login_limit::LoginLimiter;
use casebook_monitor::MonitorState;
use casebook_register::SqliteStore;
use casebook_search::SearchIndex;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data directory: register, search index, accounts.
    pub data_dir: PathBuf,
    /// Public read-only mode: no logins, only confirmed facts, protected people and fields never shown.
    pub public: bool,
    /// Mark the session cookie `Secure` (sent over HTTPS and loopback only). Turn off only behind a
    /// trusted plain-HTTP network.
    pub secure_cookies: bool,
    /// The largest request body accepted (uploads included), in bytes.
    pub max_body_bytes: usize,
    /// The actor recorded for ingests and the pipeline version recorded with every claim.
    pub extractor_version: String,
    /// Password checks (Argon2id, ~19 MiB each) running at once, and how long a login waits for
    /// one before it is answered 503.
    pub password_checks: usize,
    pub password_wait: Duration,
    /// Background jobs (uploads, fetches) running at once, and waiting; more are answered 429.
    pub jobs_running: usize,
    pub jobs_waiting: usize,
    /// Let fetch jobs reach loopback, private and link-local addresses (`serve
    /// --allow-private-fetch`); refused by default.
    pub allow_private_fetch: bool,
}

impl Config {
    /// A team-mode configuration for a data directory, with the defaults.
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            public: false,
            secure_cookies: true,
            max_body_bytes: 32 * 1024 * 1024,
            extractor_version: format!("casebook {}", env!("CARGO_PKG_VERSION")),
            password_checks: crate::busy::PASSWORD_CHECKS,
            password_wait: crate::busy::PASSWORD_WAIT,
            jobs_running: crate::busy::JOBS_RUNNING,
            jobs_waiting: crate::busy::JOBS_WAITING,
            allow_private_fetch: false,
        }
    }
}

pub use crate::login_limit::{ADDRESS_ATTEMPTS, LOGIN_ATTEMPTS, LOGIN_WINDOW};

/// Shared state of the application; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    /// Idle register handles. SQLite in WAL mode lets several readers run beside one writer, so
    /// each request takes its own handle instead of queueing on one.
    pool: Mutex<Vec<SqliteStore>>,
    index: Option<Arc<SearchIndex>>,
    /// The one ingest engine of uploads and fetch jobs, kept so its person index (the register's
    /// names) is read once per process, not once per job.
    engine: Mutex<casebook_pipeline::Engine>,
    /// Full rebuilds of the search index asked for so far (writes update it record by record).
    rebuilds: std::sync::atomic::AtomicU64,
    accounts: Accounts,
    logins: LoginLimiter,
    password_checks: PasswordChecks,
    job_slots: JobSlots,
    reindex: Notify,
    /// Set when the server is stopping: index work and background jobs end at their next step.
    stopping: AtomicBool,
    jobs: Jobs,
    /// `DATA/monitor.sqlite`, in team mode only (the public sees no alerts). One connection:
    /// the inbox and watchlist traffic is light, and the poller keeps its own.
    monitor: Option<Mutex<MonitorState>>,
    /// Turns of the requests that use the register ([`REGISTER_REQUESTS`] at once).
    register_turns: Arc<tokio::sync::Semaphore>,
    /// Turns of the exports ([`EXPORTS_AT_ONCE`]): an export reads the whole register for as long
    /// as its download lasts, so it has turns of its own and never holds the pages' turns.
    export_turns: Arc<tokio::sync::Semaphore>,
    /// The public policy and the register head it was built at (public mode): building it reads
    /// every person, so it is built again only when the register has changed. Every write to the
    /// register (articles, decisions on visibility, confirmations, merges) appends an audit entry,
    /// so a policy built at the current head is never stale.
    public_policy: Mutex<Option<(i64, Arc<casebook_register::visibility::PublicPolicy>)>>,
    /// Persons by status, counted in the background for the dashboard.
    status_counts: crate::summary::StatusCounts,
    /// Which articles reviewers have open now (soft locks).
    review_locks: crate::review_locks::ReviewLocks,
}

/// The public server's search index, in the data directory, apart from the team's `index`.
pub const PUBLIC_INDEX_DIR: &str = "public-index";

/// Handles kept idle at most; more are opened under load and closed afterwards.
const POOL_MAX_IDLE: usize = 8;

/// Requests reading or writing the register at once. More would not finish sooner on a small
/// machine, and each holds a handle with its page cache (`HANDLE_CACHE_MIB`) and what it reads:
/// this bounds the server's memory whatever the number of clients.
pub const REGISTER_REQUESTS: usize = 4;
/// Exports running at once; more wait for a turn like the register's requests do.
pub const EXPORTS_AT_ONCE: usize = 2;
/// How long a request waits for its turn before it is answered 503 with `Retry-After`.
pub const REGISTER_WAIT: Duration = Duration::from_secs(10);
/// Page cache of each register handle of the server, in MiB (the store's default is sized for an
/// ingest, which is one writer; the server keeps up to [`POOL_MAX_IDLE`] handles).
const HANDLE_CACHE_MIB: u32 = 32;

impl AppState {
    /// Opens the register, the search index and the accounts in the data directory.
    pub fn open(config: Config) -> Result<AppState, StartError> {
        let store = SqliteStore::open(&config.data_dir)
            .map_err(|e| StartError(format!("cannot open the register: {e}")))?;
        store
            .set_cache_mib(HANDLE_CACHE_MIB)
            .map_err(|e| StartError(format!("cannot open the register: {e}")))?;
        let accounts = Accounts::open(&config.data_dir)
            .map_err(|e| StartError(format!("cannot open the accounts: {e}")))?;
        let monitor = if config.public {
            None
        } else {
            let state = MonitorState::open(&config.data_dir)
                .map_err(|e| StartError(format!("cannot open the monitor's state: {e}")))?;
            Some(Mutex::new(state))
        };
        // The public server searches an index of its own, built from the public view only.
        let index_dir = config.data_dir.join(if config.public {
            PUBLIC_INDEX_DIR
        } else {
            "index"
        });
        let index = match SearchIndex::open_or_create(index_dir) {
            Ok(index) => Some(Arc::new(index)),
            Err(e) => {
                eprintln!("casebook-web: search is off: {e}");
                None
            }
        };
        let logins = LoginLimiter::default();
        let password_checks = PasswordChecks::new(config.password_checks, config.password_wait);
        let job_slots = JobSlots::new(config.jobs_running, config.jobs_waiting);
        let engine = casebook_pipeline::Engine::with_provenance(casebook_register::Provenance {
            extractor_version: config.extractor_version.clone(),
            actor: "casebook-web".into(),
        });
        Ok(AppState {
            inner: Arc::new(Inner {
                config,
                pool: Mutex::new(vec![store]),
                index,
                engine: Mutex::new(engine),
                rebuilds: Default::default(),
                accounts,
                logins,
                password_checks,
                job_slots,
                reindex: Notify::new(),
                stopping: AtomicBool::new(false),
                jobs: Jobs::default(),
                monitor,
                status_counts: Default::default(),
                review_locks: Default::default(),
                public_policy: Mutex::new(None),
                register_turns: Arc::new(tokio::sync::Semaphore::new(REGISTER_REQUESTS)),
                export_turns: Arc::new(tokio::sync::Semaphore::new(EXPORTS_AT_ONCE)),
            }),
        })
    }

    /// The soft locks of articles under review.
    pub fn review_locks(&self) -> &crate::review_locks::ReviewLocks {
        &self.inner.review_locks
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// True in public read-only mode.
    pub fn public(&self) -> bool {
        self.inner.config.public
    }

    /// The accounts store.
    pub fn accounts(&self) -> &Accounts {
        &self.inner.accounts
    }

    /// The search index, when it could be opened.
    pub fn index(&self) -> Option<&SearchIndex> {
        self.inner.index.as_deref()
    }

    /// The search index, for a writer on another thread (the poller's sink).
    pub fn shared_index(&self) -> Option<Arc<SearchIndex>> {
        self.inner.index.clone()
    }

    /// What feeds the index with what uploads and fetch jobs store: the team's index, record by
    /// record; `None` for the public index (redacted as a whole, rebuilt when the register moves)
    /// and when search is off.
    pub fn indexer(&self) -> Option<casebook_pipeline::Indexer> {
        if self.public() {
            return None;
        }
        self.shared_index().map(casebook_pipeline::Indexer::shared)
    }

    /// The ingest engine of uploads and fetch jobs; one job stores at a time.
    pub fn engine(&self) -> std::sync::MutexGuard<'_, casebook_pipeline::Engine> {
        // A poisoned lock only means a job panicked; the engine's resolver follows the store.
        self.inner.engine.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Full rebuilds of the search index this process has asked for (each write path updates it
    /// record by record; a rebuild is for a missing or stale index at start, and the public index).
    pub fn rebuilds_asked(&self) -> u64 {
        self.inner.rebuilds.load(Ordering::SeqCst)
    }

    /// The public policy at the register's current head: the one kept when the register has not
    /// changed since it was built, else built now (and kept).
    pub fn public_policy(
        &self,
        store: &SqliteStore,
    ) -> WebResult<Arc<casebook_register::visibility::PublicPolicy>> {
        let head = store.register_head()?;
        let kept = self
            .inner
            .public_policy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|(at, _)| *at == head)
            .map(|(_, policy)| Arc::clone(policy));
        if let Some(policy) = kept {
            return Ok(policy);
        }
        let policy = Arc::new(casebook_register::visibility::PublicPolicy::build(store)?);
        *self
            .inner
            .public_policy
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some((head, Arc::clone(&policy)));
        Ok(policy)
    }

    /// Persons by status as last counted for the dashboard.
    pub fn status_counts(&self) -> &crate::summary::StatusCounts {
        &self.inner.status_counts
    }

    /// The ingest jobs.
    pub fn jobs(&self) -> &Jobs {
        &self.inner.jobs
    }

    /// Runs `f` with the monitor's state on the blocking pool; 404 in public mode, which has none.
    pub async fn monitor<T, F>(&self, f: F) -> WebResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&MonitorState) -> WebResult<T> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.monitor_blocking(f)).await?
    }

    /// Runs `f` with the monitor's state on the current thread.
    pub fn monitor_blocking<T>(
        &self,
        f: impl FnOnce(&MonitorState) -> WebResult<T>,
    ) -> WebResult<T> {
        let Some(monitor) = &self.inner.monitor else {
            return Err(crate::error::WebError::not_found(
                "alerts and watchlists are not part of the public view",
            ));
        };
        // A poisoned lock only means a request panicked mid-call; SQLite kept its own state.
        let guard = monitor.lock().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    /// Runs `f` with a register handle on the blocking pool (the register is synchronous), in
    /// its turn: at most [`REGISTER_REQUESTS`] at once; after [`REGISTER_WAIT`] without a turn,
    /// 503 with `Retry-After`.
    pub async fn store<T, F>(&self, f: F) -> WebResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> WebResult<T> + Send + 'static,
    {
        self.store_in_turn(&self.inner.register_turns, f).await
    }

    /// Runs `f` with a register handle on the blocking pool in an export's turn (see
    /// [`EXPORTS_AT_ONCE`]), with the same wait and 503 as [`AppState::store`].
    pub async fn export<T, F>(&self, f: F) -> WebResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> WebResult<T> + Send + 'static,
    {
        self.store_in_turn(&self.inner.export_turns, f).await
    }

    /// Runs `f` with a register handle on the blocking pool once `turns` gives it a turn; the
    /// turn is held until `f` returns.
    async fn store_in_turn<T, F>(&self, turns: &Arc<tokio::sync::Semaphore>, f: F) -> WebResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> WebResult<T> + Send + 'static,
    {
        let permit = turn(turns).await?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let out = state.store_blocking(f);
            drop(permit);
            out
        })
        .await?
    }

    /// Runs `f` with a register handle on the current thread (for code already off the runtime).
    pub fn store_blocking<T>(
        &self,
        f: impl FnOnce(&mut SqliteStore) -> WebResult<T>,
    ) -> WebResult<T> {
        let taken = self.lock_pool().pop();
        let mut store = match taken {
            Some(s) => s,
            None => {
                let store = SqliteStore::open(&self.inner.config.data_dir)?;
                store.set_cache_mib(HANDLE_CACHE_MIB)?;
                store
            }
        };
        let out = f(&mut store);
        let mut pool = self.lock_pool();
        if pool.len() < POOL_MAX_IDLE {
            pool.push(store);
        }
        out
    }

    /// Runs `f` on the blocking pool with the state (for accounts and index work).
    pub async fn blocking<T, F>(&self, f: F) -> WebResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> WebResult<T> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(&state)).await?
    }

    fn lock_pool(&self) -> std::sync::MutexGuard<'_, Vec<SqliteStore>> {
        // A poisoned pool only means a request panicked while returning a handle; the handles are fine.
        self.inner.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The failed-login counters (per client address, and per address and user name).
    pub fn logins(&self) -> &LoginLimiter {
        &self.inner.logins
    }

    /// The cap on password checks running at once.
    pub fn password_checks(&self) -> &PasswordChecks {
        &self.inner.password_checks
    }

    /// The cap on background jobs running and waiting.
    pub fn job_slots(&self) -> &JobSlots {
        &self.inner.job_slots
    }

    /// Asks the background task to rebuild the search index from the register.
    pub fn request_reindex(&self) {
        self.inner.rebuilds.fetch_add(1, Ordering::SeqCst);
        self.inner.reindex.notify_one();
    }

    /// Writes the index changes a decision made (see [`crate::index_update`]); rebuilds the whole
    /// index in the background instead when there are none to write (the public index, which is
    /// redacted as a whole) or when working them out or writing them failed.
    pub async fn update_index(
        &self,
        updates: Option<casebook_register::Result<Vec<crate::index_update::Update>>>,
    ) {
        let updates = match updates {
            Some(Ok(updates)) => updates,
            Some(Err(e)) => {
                eprintln!("casebook-web: the records a decision touched could not be read ({e}); rebuilding the search index");
                return self.request_reindex();
            }
            None => return self.request_reindex(),
        };
        let written = self
            .blocking(move |state| {
                let Some(index) = state.index() else {
                    return Ok(0);
                };
                Ok(crate::index_update::apply(index, &updates)?)
            })
            .await;
        if let Err(e) = written {
            eprintln!("casebook-web: updating the search index failed ({e}); rebuilding it");
            self.request_reindex();
        }
    }

    /// Tells index work and background jobs to stop at their next step (the server is stopping).
    pub fn stop(&self) {
        self.inner.stopping.store(true, Ordering::SeqCst);
        self.inner.reindex.notify_one();
    }

    /// True once [`AppState::stop`] was called.
    pub fn stopping(&self) -> bool {
        self.inner.stopping.load(Ordering::SeqCst)
    }

    /// Rebuilds the search index whenever asked, at most once per `pause`, until the server stops.
    pub async fn reindex_loop(self, pause: Duration) {
        loop {
            self.inner.reindex.notified().await;
            if self.stopping() {
                return;
            }
            let state = self.clone();
            let result =
                tokio::task::spawn_blocking(move || crate::projection::reindex(&state)).await;
            match result {
                Ok(Ok(n)) => eprintln!("casebook-web: search index rebuilt ({n} records)"),
                Ok(Err(e)) => eprintln!("casebook-web: rebuilding the search index failed: {e}"),
                Err(e) => eprintln!("casebook-web: rebuilding the search index failed: {e}"),
            }
            tokio::time::sleep(pause).await;
        }
    }
}

/// A turn of `turns`, waited for at most [`REGISTER_WAIT`]; after that, 503 with `Retry-After`.
async fn turn(turns: &Arc<tokio::sync::Semaphore>) -> WebResult<tokio::sync::OwnedSemaphorePermit> {
    match tokio::time::timeout(REGISTER_WAIT, turns.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        // The semaphore is never closed; a closed one would mean the server is stopping.
        Ok(Err(_)) | Err(_) => Err(WebError::retry_later(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy with other requests: try again in a few seconds",
            REGISTER_WAIT.as_secs(),
        )),
    }
}
