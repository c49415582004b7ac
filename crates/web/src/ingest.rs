//! Ingest from the web: uploaded files run through the one ingest engine of `casebook ingest` and
//! the monitor (casebook-pipeline: read, extract the article, find people, find events, store with
//! provenance in batches, index what was stored), one background job per upload, with progress and
//! an error per file that failed.

use crate::error::WebResult;
use crate::state::AppState;
use casebook_pipeline::{Recorded, Settled};
use casebook_register::StoreOutcome;
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// Jobs kept in memory for the ingest page; older ones are forgotten first.
const JOBS_KEPT: usize = 50;

/// One uploaded file waiting to be ingested.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file's name as uploaded.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What happened to one file of a job.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub name: String,
    /// `waiting`, `stored`, `already_stored`, `kept_original` (no article in it) or `failed`.
    pub outcome: String,
    pub articles: usize,
    pub new_persons: usize,
    pub new_events: usize,
    /// Why the file (or a record of it) failed.
    pub errors: Vec<String>,
}

/// One ingest job and its progress.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: u64,
    pub actor: String,
    pub started_at: String,
    pub finished: bool,
    pub done: usize,
    pub total: usize,
    pub files: Vec<FileResult>,
}

/// The jobs of this server process.
#[derive(Default)]
pub struct Jobs {
    inner: Mutex<(u64, Vec<Arc<Mutex<Job>>>)>,
}

impl Jobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Vec<Arc<Mutex<Job>>>)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn create(&self, actor: &str, names: Vec<String>) -> Arc<Mutex<Job>> {
        let mut inner = self.lock();
        inner.0 += 1;
        let job = Arc::new(Mutex::new(Job {
            id: inner.0,
            actor: actor.to_string(),
            started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            finished: false,
            done: 0,
            total: names.len(),
            files: names
                .into_iter()
                .map(|name| FileResult {
                    name,
                    outcome: "waiting".into(),
                    articles: 0,
                    new_persons: 0,
                    new_events: 0,
                    errors: Vec::new(),
                })
                .collect(),
        }));
        inner.1.push(Arc::clone(&job));
        if inner.1.len() > JOBS_KEPT {
            inner.1.remove(0);
        }
        job
    }

    /// Every job, newest first.
    pub fn list(&self) -> Vec<Job> {
        let inner = self.lock();
        inner
            .1
            .iter()
            .rev()
            .map(|j| j.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .collect()
    }

    /// One job.
    pub fn get(&self, id: u64) -> Option<Job> {
        let inner = self.lock();
        inner
            .1
            .iter()
            .map(|j| j.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .find(|j| j.id == id)
    }
}

/// The job row of one input the shared flow recorded.
pub fn file_result(name: String, recorded: &Recorded) -> FileResult {
    let mut result = FileResult {
        name,
        outcome: "stored".into(),
        articles: 0,
        new_persons: 0,
        new_events: 0,
        errors: recorded.failures.clone(),
    };
    let mut already = 0;
    for (n, stored) in recorded.articles.iter().enumerate() {
        match &stored.outcome {
            Ok(StoreOutcome::Stored(written)) | Ok(StoreOutcome::Reanalysed(written)) => {
                result.articles += 1;
                result.new_persons += written.new_persons;
                result.new_events += written.new_events;
            }
            Ok(StoreOutcome::AlreadyStored) => {
                result.articles += 1;
                already += 1;
            }
            Err(e) => result.errors.push(format!("article {}: {e}", n + 1)),
        }
    }
    if recorded.original_only {
        // Nothing readable in it (or nothing storable): the original is still kept as evidence.
        result.outcome = if result.errors.is_empty() {
            "kept_original".into()
        } else {
            "failed".into()
        };
    } else if already == result.articles {
        result.outcome = "already_stored".into();
    }
    result
}

/// Starts a job ingesting `uploads` as `actor`; returns its id at once. Refused (429 with
/// `Retry-After`) when the server already has as many jobs running and waiting as it takes.
///
/// The job runs the one ingest engine of `casebook ingest` (casebook-pipeline: the text stages on
/// a worker thread, the store in batches), and the team's search index takes what it stored record
/// by record, so an upload is searchable when its job ends without any rebuild.
pub fn start(state: &AppState, actor: &str, uploads: Vec<Upload>) -> WebResult<u64> {
    let ticket = state.job_slots().admit()?;
    let job = state
        .jobs()
        .create(actor, uploads.iter().map(|u| u.name.clone()).collect());
    let id = job.lock().unwrap_or_else(|p| p.into_inner()).id;
    let state = state.clone();
    let actor = actor.to_string();
    tokio::task::spawn_blocking(move || {
        let _running = ticket.wait_turn();
        run_job(&state, &actor, &job, uploads);
        job.lock().unwrap_or_else(|p| p.into_inner()).finished = true;
    });
    Ok(id)
}

/// Stores `uploads` through the engine, filling in the job's rows as each file is settled.
pub fn run_job(state: &AppState, actor: &str, job: &Mutex<Job>, uploads: Vec<Upload>) {
    // The public index is redacted as a whole and rebuilt; the team's takes the records at once.
    let mut indexer = state.indexer();
    let rebuild = indexer.is_none();
    let row = |seq: usize, result: FileResult| {
        let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(slot) = j.files.get_mut(seq) {
            *slot = result;
        }
        j.done += 1;
    };
    let ran = state.store_blocking(|store| {
        let mut engine = state.engine();
        engine.set_actor(actor);
        // Files not stored when the server stops are reported as not done; sending them again
        // stores them.
        let originals = uploads
            .into_iter()
            .take_while(|_| !state.stopping())
            .map(|u| casebook_ingest::original(u.name, u.bytes));
        let ran = engine.run(
            store,
            originals,
            indexer.as_mut(),
            &mut |settled| match settled {
                Settled::Current { seq, source } => row(
                    seq,
                    FileResult {
                        name: source.to_string(),
                        outcome: "already_stored".into(),
                        articles: 1,
                        new_persons: 0,
                        new_events: 0,
                        errors: Vec::new(),
                    },
                ),
                Settled::Recorded { seq, recorded } => {
                    row(seq, file_result(recorded.source.clone(), recorded))
                }
            },
        );
        Ok(ran)
    });
    let failed = match ran {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(e) => Some(e.message),
    };
    if let Some(why) = failed {
        eprintln!("casebook-web: an ingest job stopped: {why}");
        let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
        for slot in j.files.iter_mut().filter(|f| f.outcome == "waiting") {
            slot.outcome = "failed".into();
            slot.errors
                .push(format!("the register refused the job: {why}"));
        }
    }
    if rebuild {
        state.request_reindex();
    }
}

impl Jobs {
    /// Opens a job whose rows the caller fills in as it goes (a fetch of watched sources, whose
    /// pages are not known up front); the caller sets `finished` at the end.
    pub fn open(&self, actor: &str, names: Vec<String>) -> Arc<Mutex<Job>> {
        self.create(actor, names)
    }
}
