//! Ingest from the web: uploaded files run through the very flow of `casebook ingest` and the
//! monitor (casebook-pipeline: read, extract the article, find people, find events, store with
//! provenance), one background job per upload, with progress and an error per file that failed.

use crate::error::WebResult;
use crate::state::AppState;
use casebook_pipeline::{Ingestor, Recorded, Recorder};
use casebook_register::{KeyResolver, Provenance, Store, StoreOutcome};
use casebook_search::SearchIndex;
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

/// Runs one file through the shared ingest flow (casebook-pipeline) into the register, and into
/// `index` when given, as `casebook ingest` indexes (the articles stored, their events and
/// persons); sets `stale` when the index could not be written.
fn ingest_file(
    store: &mut dyn Store,
    upload: Upload,
    ingestor: &Ingestor,
    index: Option<&SearchIndex>,
    stale: &mut bool,
) -> FileResult {
    let original = casebook_ingest::original(upload.name.clone(), upload.bytes);
    match ingestor.ingest(store, &original) {
        Ok(recorded) => {
            if let Some(index) = index {
                let stored = recorded
                    .articles
                    .iter()
                    .filter_map(|a| a.written().map(|w| (&a.analysed, w)));
                let indexed =
                    casebook_pipeline::index_stored(index, stored).and_then(|(_, persons)| {
                        casebook_pipeline::index_persons(index, &*store, &persons)
                    });
                if let Err(e) = indexed {
                    eprintln!("casebook-web: indexing {} failed: {e}", upload.name);
                    *stale = true;
                }
            }
            file_result(upload.name, recorded)
        }
        Err(e) => FileResult {
            name: upload.name,
            outcome: "failed".into(),
            articles: 0,
            new_persons: 0,
            new_events: 0,
            errors: vec![e.to_string()],
        },
    }
}

/// The job row of one input the shared flow recorded.
pub fn file_result(name: String, recorded: Recorded) -> FileResult {
    let mut result = FileResult {
        name,
        outcome: "stored".into(),
        articles: 0,
        new_persons: 0,
        new_events: 0,
        errors: recorded.failures,
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

/// The shared flow as the web application runs it for `actor`. Uploads and fetch jobs keep the
/// register's own key resolver (distinct spellings stay distinct people until a reviewer merges
/// them); `casebook ingest` and the monitor's poller use the names stage's index.
pub fn ingestor(state: &AppState, actor: &str) -> Ingestor {
    Ingestor::with_recorder(Recorder::with_resolver(
        Provenance {
            extractor_version: state.config().extractor_version.clone(),
            actor: actor.to_string(),
        },
        Box::new(KeyResolver),
    ))
}

/// Starts a job ingesting `uploads` as `actor`; returns its id at once. Refused (429 with
/// `Retry-After`) when the server already has as many jobs running and waiting as it takes.
pub fn start(state: &AppState, actor: &str, uploads: Vec<Upload>) -> WebResult<u64> {
    let ticket = state.job_slots().admit()?;
    let job = state
        .jobs()
        .create(actor, uploads.iter().map(|u| u.name.clone()).collect());
    let id = job.lock().unwrap_or_else(|p| p.into_inner()).id;
    let ingestor = ingestor(state, actor);
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let _running = ticket.wait_turn();
        // The team's index takes the stored records at once; the public one is redacted as a
        // whole and rebuilt.
        let index = if state.public() { None } else { state.index() };
        let mut stale = index.is_none();
        for (i, upload) in uploads.into_iter().enumerate() {
            if state.stopping() {
                // Files not stored yet are reported as not done; sending them again stores them.
                break;
            }
            let outcome = state.store_blocking(|store| {
                Ok(ingest_file(store, upload, &ingestor, index, &mut stale))
            });
            let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
            if let (Ok(r), Some(slot)) = (outcome, j.files.get_mut(i)) {
                *slot = r;
            } else if let Some(slot) = j.files.get_mut(i) {
                slot.outcome = "failed".into();
                slot.errors.push("the register could not be opened".into());
            }
            j.done = i + 1;
        }
        job.lock().unwrap_or_else(|p| p.into_inner()).finished = true;
        if stale {
            state.request_reindex();
        }
    });
    Ok(id)
}

impl Jobs {
    /// Opens a job whose rows the caller fills in as it goes (a fetch of watched sources, whose
    /// pages are not known up front); the caller sets `finished` at the end.
    pub fn open(&self, actor: &str, names: Vec<String>) -> Arc<Mutex<Job>> {
        self.create(actor, names)
    }
}
