//! Ingest from the web: uploaded files run through the same stages as `casebook ingest` (read,
//! extract the article, find people, find events, store), one background job per upload, with
//! progress and an error per file that failed.

use crate::state::AppState;
use casebook_register::{AnalysedArticle, KeyResolver, Provenance, Store, StoreOutcome};
use serde::Serialize;
use std::sync::{Arc, LazyLock, Mutex};

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

static PEOPLE: LazyLock<casebook_people::Recognizer> =
    LazyLock::new(casebook_people::Recognizer::new);
static EVENTS: LazyLock<casebook_events::Extractor> =
    LazyLock::new(casebook_events::Extractor::new);

/// Runs one file through the pipeline into the register.
fn ingest_file(store: &mut dyn Store, upload: Upload, provenance: &Provenance) -> FileResult {
    let mut result = FileResult {
        name: upload.name.clone(),
        outcome: "stored".into(),
        articles: 0,
        new_persons: 0,
        new_events: 0,
        errors: Vec::new(),
    };
    let original = casebook_ingest::original(upload.name, upload.bytes);
    let mut already = 0;
    for (n, doc) in casebook_ingest::read_original(&original)
        .into_iter()
        .enumerate()
    {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                result.errors.push(format!("record {}: {e}", n + 1));
                continue;
            }
        };
        let article = match casebook_article::extract(&doc) {
            Ok(a) => a,
            Err(e) => {
                result.errors.push(format!("record {}: {e}", n + 1));
                continue;
            }
        };
        let people = PEOPLE.recognize(&article.text());
        let events = EVENTS.extract(&article, &people);
        let analysed = AnalysedArticle {
            article,
            people,
            events,
        };
        match store.store_article(&original, &analysed, provenance, &KeyResolver) {
            Ok(StoreOutcome::Stored(written)) | Ok(StoreOutcome::Reanalysed(written)) => {
                result.articles += 1;
                result.new_persons += written.new_persons;
                result.new_events += written.new_events;
            }
            Ok(StoreOutcome::AlreadyStored) => {
                result.articles += 1;
                already += 1;
            }
            Err(e) => result.errors.push(format!("record {}: {e}", n + 1)),
        }
    }
    if result.articles == 0 {
        // Nothing readable in it: the original is still kept as evidence.
        match store.add_original(&original, &provenance.actor) {
            Ok(_) if result.errors.is_empty() => result.outcome = "kept_original".into(),
            Ok(_) => result.outcome = "failed".into(),
            Err(e) => {
                result.errors.push(e.to_string());
                result.outcome = "failed".into();
            }
        }
    } else if already == result.articles {
        result.outcome = "already_stored".into();
    }
    result
}

/// Starts a job ingesting `uploads` as `actor`; returns its id at once.
pub fn start(state: &AppState, actor: &str, uploads: Vec<Upload>) -> u64 {
    let job = state
        .jobs()
        .create(actor, uploads.iter().map(|u| u.name.clone()).collect());
    let id = job.lock().unwrap_or_else(|p| p.into_inner()).id;
    let provenance = Provenance {
        extractor_version: state.config().extractor_version.clone(),
        actor: actor.to_string(),
    };
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        for (i, upload) in uploads.into_iter().enumerate() {
            let outcome = state.store_blocking(|store| Ok(ingest_file(store, upload, &provenance)));
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
        state.request_reindex();
    });
    id
}

impl Jobs {
    /// Opens a job whose rows the caller fills in as it goes (a fetch of watched sources, whose
    /// pages are not known up front); the caller sets `finished` at the end.
    pub fn open(&self, actor: &str, names: Vec<String>) -> Arc<Mutex<Job>> {
        self.create(actor, names)
    }
}

/// Runs one fetched page through the same stages as an upload, and hands back with the outcome
/// each newly stored article and what the register wrote for it (the monitor's alerts match
/// the people and events in them). `url` is recorded as the article's address when the page
/// names none.
pub fn ingest_page(
    store: &mut dyn Store,
    upload: Upload,
    url: &str,
    provenance: &Provenance,
) -> (
    FileResult,
    Vec<(AnalysedArticle, casebook_register::Written)>,
) {
    let mut result = FileResult {
        name: upload.name.clone(),
        outcome: "stored".into(),
        articles: 0,
        new_persons: 0,
        new_events: 0,
        errors: Vec::new(),
    };
    let original = casebook_ingest::original(upload.name, upload.bytes);
    let mut stored = Vec::new();
    for (n, doc) in casebook_ingest::read_original(&original)
        .into_iter()
        .enumerate()
    {
        let article = doc
            .map_err(|e| e.to_string())
            .and_then(|d| casebook_article::extract(&d).map_err(|e| e.to_string()));
        let mut article = match article {
            Ok(a) => a,
            Err(e) => {
                result.errors.push(format!("record {}: {e}", n + 1));
                continue;
            }
        };
        article.url.get_or_insert_with(|| url.to_string());
        let people = PEOPLE.recognize(&article.text());
        let events = EVENTS.extract(&article, &people);
        let analysed = AnalysedArticle {
            article,
            people,
            events,
        };
        result.articles += 1;
        match store.store_article(&original, &analysed, provenance, &KeyResolver) {
            Ok(StoreOutcome::Stored(written)) | Ok(StoreOutcome::Reanalysed(written)) => {
                result.new_persons += written.new_persons;
                result.new_events += written.new_events;
                stored.push((analysed, written));
            }
            Ok(StoreOutcome::AlreadyStored) => {}
            Err(e) => {
                result.articles -= 1;
                result.errors.push(format!("record {}: {e}", n + 1));
            }
        }
    }
    if result.articles == 0 {
        // Nothing readable in it: the page is still kept as evidence of what was published.
        result.outcome = match store.add_original(&original, &provenance.actor) {
            Ok(_) if result.errors.is_empty() => "kept_original".into(),
            Ok(_) => "failed".into(),
            Err(e) => {
                result.errors.push(e.to_string());
                "failed".into()
            }
        };
    } else if stored.is_empty() {
        result.outcome = "already_stored".into();
    }
    (result, stored)
}
