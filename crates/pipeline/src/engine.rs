//! The one ingest engine: originals → analysed articles → the register, in batches, with the search
//! index kept in step. `casebook ingest` and `bench`, uploads and fetch jobs in the web application,
//! the monitor's sink and the ingest benchmark all store through an [`Engine`].
//!
//! Invariants: the text stages run on a worker thread while the caller's thread stores, joined by
//! bounded channels (so memory stays flat whichever side is slower); every batch is one transaction
//! of whole articles (a killed ingest leaves whole articles only), and a batch the store refuses is
//! stored again article by article so one bad article costs itself only; persons are resolved by
//! one resolver (the names stage's [`IndexResolver`]) kept for the engine's life, so names are
//! joined across batches, runs and writers alike; nothing handed in is lost: an input with no
//! storable article is kept as an original. Pure text work stays off the write transaction: the
//! near-duplicate signatures are made on the analysis thread.

use crate::analyse::{Analysis, Pipeline};
use crate::error::Result;
use crate::index::Indexer;
use crate::EXTRACTOR_VERSION;
use casebook_article::near_duplicate::Signature;
use casebook_model::{AnalysedArticle, Original};
use casebook_register::{IndexResolver, Provenance, RegisterError, Store, StoreOutcome, Written};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Articles stored per transaction by default: one commit per batch instead of per article. Once
/// the store outgrows its page cache, each commit writes every index page its articles touched;
/// articles of one batch share many of those pages, so larger batches write less per article (at
/// 100,000 articles, 1,024 per batch wrote 20% less than 512, which wrote 40% less than 64). Over
/// 80,000 synthetic articles, one run after the other, 4,096 ran at 203 articles/s end to end
/// against 169 with 1,024; over 100,000, 2,048 ran as fast as 4,096 (257 and 246 articles/s) with
/// less memory (peak 900 MiB against 975: a batch is held whole until it is stored).
pub const STORE_BATCH: usize = 2048;
/// A batch is stored after this long even if not full (slow inputs still reach the store).
const STORE_BATCH_AGE: Duration = Duration::from_secs(2);
/// Originals on their way through the analysis thread, at most: a whole store batch, so that the
/// analysis prepares the next batch while one is being stored, within these bounds (memory). With
/// half a batch, the storing thread waited for the analysis after every batch.
const IN_FLIGHT: std::ops::RangeInclusive<usize> = 64..=4096;
/// Bytes of originals on their way through the analysis thread, at most (one input larger than
/// this still goes through, alone): a run of large WARC files must not hold thousands of them.
const IN_FLIGHT_BYTES: usize = 256 * 1024 * 1024;
/// Stored articles are sent to the search index in batches of this many, or once the oldest has
/// waited [`INDEX_BATCH_AGE`], and at the end of every run. Each batch is one index commit, which
/// waits for the index's segment merges on the storing thread: at 500 a batch, `casebook bench`
/// ran at 262 articles/s at 60,000 articles, at 5,000 at 313/s; the batch is held in memory, so it
/// stays well below that.
const INDEX_BATCH: usize = 2_500;
/// How long a stored article waits at most before it is searchable during a long run.
const INDEX_BATCH_AGE: Duration = Duration::from_secs(30);

/// One analysed article and what storing it did.
#[derive(Debug)]
pub struct ArticleOutcome {
    pub analysed: AnalysedArticle,
    /// The store's answer; an error leaves the article out and the other articles stored.
    pub outcome: std::result::Result<StoreOutcome, RegisterError>,
}

impl ArticleOutcome {
    /// Where the article's facts went, when this call wrote them (stored, or re-read by a newer
    /// pipeline); `None` when it was stored already or failed.
    pub fn written(&self) -> Option<&Written> {
        match &self.outcome {
            Ok(StoreOutcome::Stored(w)) | Ok(StoreOutcome::Reanalysed(w)) => Some(w),
            Ok(StoreOutcome::AlreadyStored) | Err(_) => None,
        }
    }
}

/// What storing one original did.
#[derive(Debug)]
pub struct Recorded {
    /// Where the original came from (file name, upload name, address).
    pub source: String,
    /// The original's SHA-256 (lower-case hex), as archived.
    pub sha256: String,
    /// Every analysed article, in the original's order, with its outcome.
    pub articles: Vec<ArticleOutcome>,
    /// True when the original was kept by itself because no article of it could be stored: what
    /// was handed in is never lost.
    pub original_only: bool,
    /// Why documents of the original gave no article (from the analysis), and why the original
    /// itself could not be kept when that failed too.
    pub failures: Vec<String>,
}

impl Recorded {
    /// The articles this call wrote, with where their facts went (for the search index).
    pub fn written(&self) -> impl Iterator<Item = (&AnalysedArticle, &Written)> {
        self.articles
            .iter()
            .filter_map(|a| a.written().map(|w| (&a.analysed, w)))
    }

    /// The first article the store refused, if any.
    pub fn first_error(&self) -> Option<&RegisterError> {
        self.articles.iter().find_map(|a| a.outcome.as_ref().err())
    }
}

/// What became of one input of [`Engine::run`], reported once it is settled (inputs skipped
/// before analysis at once, the others when their batch is stored, so not always in input order).
#[derive(Debug)]
pub enum Settled<'a> {
    /// Stored already by this pipeline version: skipped before any analysis.
    Current { seq: usize, source: &'a str },
    /// Analysed and stored (or kept as an original only).
    Recorded { seq: usize, recorded: &'a Recorded },
}

/// Counts of one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Inputs given.
    pub inputs: u64,
    /// Articles written (newly stored or re-read by a newer pipeline).
    pub stored: u64,
    /// Of those, articles re-read by a newer pipeline.
    pub reanalysed: u64,
    /// Inputs and articles stored already by this pipeline version.
    pub already: u64,
    /// Inputs with no article, kept as originals.
    pub without_article: u64,
    /// Articles the store refused.
    pub failed: u64,
    pub new_persons: u64,
    pub new_events: u64,
}

/// The ingest engine of one actor. Keeps the names stage's person index between calls, so build
/// one per writer and keep it (the first write reads the register's names once).
pub struct Engine {
    pipeline: &'static Pipeline,
    provenance: Provenance,
    resolver: IndexResolver,
    batch: usize,
}

// Stores run on a thread of their own beside the analysis (the poller, fetch and upload jobs).
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Engine>();
};

impl Engine {
    /// Ingests as `actor` with this build's pipeline version.
    pub fn new(actor: &str) -> Self {
        Self::with_provenance(Provenance {
            extractor_version: EXTRACTOR_VERSION.to_string(),
            actor: actor.to_string(),
        })
    }

    /// Ingests with the given provenance.
    pub fn with_provenance(provenance: Provenance) -> Self {
        Engine {
            pipeline: Pipeline::shared(),
            provenance,
            resolver: IndexResolver::new(),
            batch: STORE_BATCH,
        }
    }

    /// Stores `batch` articles per transaction (at least one).
    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// Records the next writes as `actor` (a server's engine serves every user).
    pub fn set_actor(&mut self, actor: &str) {
        self.provenance.actor = actor.to_string();
    }

    /// The provenance recorded with every claim.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// The text stages.
    pub fn pipeline(&self) -> &'static Pipeline {
        self.pipeline
    }

    /// True when this original's article is stored already by this pipeline version, so the
    /// analysis can be skipped. A plain input's article id is its SHA-256; for originals holding
    /// several articles (dumps, WARC) this says false and the store skips each stored article.
    pub fn is_current(&self, store: &dyn Store, original: &Original) -> Result<bool> {
        Ok(store.article_version(&original.sha256)?.as_deref()
            == Some(self.provenance.extractor_version.as_str()))
    }

    /// Stores one original with the articles of its analysis (made by the caller, e.g. with the
    /// page's address filled in) in one transaction, and feeds `indexer` with what was written
    /// (persons included). Only a failure to keep the original at all is an error.
    pub fn record(
        &self,
        store: &mut dyn Store,
        original: Original,
        analysis: Analysis,
        indexer: Option<&mut Indexer>,
    ) -> Result<Recorded> {
        let mut batch = vec![Pending::new(0, original, analysis)];
        // One answer per input given.
        let recorded = self.store_batch(store, &mut batch)?.pop().ok_or_else(|| {
            RegisterError::Invalid("the store gave no answer for the page".into())
        })?;
        if let Some(indexer) = indexer {
            let added = indexer
                .add(recorded.written())
                .and_then(|_| indexer.refresh_persons(&*store));
            if let Err(err) = added {
                // The index is derived and can be rebuilt; the store holds everything.
                eprintln!("casebook: the search index was not updated: {err}");
            }
        }
        Ok(recorded)
    }

    /// Ingests `inputs` into `store`: the text stages on a worker thread, the store writes in
    /// batches on this one, `indexer` (when given) fed as the run goes and its touched persons
    /// refreshed at the end. `settled` hears of every input once it is settled. Inputs stored
    /// already by this pipeline version are skipped before analysis. Errors only when the store
    /// cannot be read or an original cannot be kept; refused articles are reported and counted.
    pub fn run(
        &self,
        store: &mut dyn Store,
        inputs: impl Iterator<Item = Original>,
        indexer: Option<&mut Indexer>,
        settled: &mut dyn FnMut(Settled<'_>),
    ) -> Result<Tally> {
        let ahead = self.batch.clamp(*IN_FLIGHT.start(), *IN_FLIGHT.end());
        let mut run = Run {
            engine: self,
            store,
            indexer,
            settled,
            tally: Tally::default(),
            pending: Vec::new(),
            pending_articles: 0,
            pending_since: Instant::now(),
            to_index: Vec::new(),
            to_index_articles: 0,
            to_index_since: Instant::now(),
        };
        let pipeline = self.pipeline;
        std::thread::scope(|scope| -> Result<()> {
            let (to_analysis, analysis_inbox) = mpsc::sync_channel::<(usize, Original)>(ahead);
            let (analysed_out, from_analysis) = mpsc::sync_channel::<Pending>(ahead);
            scope.spawn(move || {
                yield_to_the_store();
                for (seq, original) in analysis_inbox {
                    let analysis = pipeline.analyse(&original);
                    let pending = Pending::new(seq, original, analysis);
                    if analysed_out.send(pending).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0usize;
            let mut in_flight_bytes = 0usize;
            for (seq, original) in inputs.enumerate() {
                run.tally.inputs += 1;
                // A plain input's article id is its SHA-256: a re-run skips it before analysis.
                if self.is_current(&*run.store, &original)? {
                    run.tally.already += 1;
                    (run.settled)(Settled::Current {
                        seq,
                        source: &original.source,
                    });
                    continue;
                }
                in_flight_bytes += original.bytes.len();
                in_flight += 1;
                if to_analysis.send((seq, original)).is_err() {
                    break;
                }
                while in_flight >= ahead || (in_flight > 0 && in_flight_bytes > IN_FLIGHT_BYTES) {
                    let Ok(pending) = from_analysis.recv() else {
                        break;
                    };
                    in_flight -= 1;
                    in_flight_bytes -= pending.original.bytes.len();
                    run.take(pending)?;
                }
            }
            drop(to_analysis);
            for pending in from_analysis {
                run.take(pending)?;
            }
            run.store_pending()
        })?;
        run.flush_index(true);
        Ok(run.tally)
    }

    /// Stores a batch of analysed inputs in one transaction (article by article when the store
    /// refuses the batch); an input none of whose articles could be stored is kept as an original.
    fn store_batch(
        &self,
        store: &mut dyn Store,
        batch: &mut Vec<Pending>,
    ) -> Result<Vec<Recorded>> {
        let pending = std::mem::take(batch);
        let pairs: Vec<(&Original, &AnalysedArticle)> = pending
            .iter()
            .flat_map(|p| p.analysis.articles.iter().map(move |a| (&p.original, a)))
            .collect();
        let signatures: Vec<Option<Signature>> = pending
            .iter()
            .flat_map(|p| p.signatures.iter().cloned())
            .collect();
        let mut outcomes: Vec<std::result::Result<StoreOutcome, RegisterError>> = if pairs
            .is_empty()
        {
            Vec::new()
        } else {
            match store.store_batch_signed(&pairs, &signatures, &self.provenance, &self.resolver) {
                Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
                // One refused article must not cost the others: each alone, with its own answer.
                Err(_) => pairs
                    .iter()
                    .map(|(original, analysed)| {
                        store.store_article(original, analysed, &self.provenance, &self.resolver)
                    })
                    .collect(),
            }
        };
        drop(pairs);
        outcomes.reverse();
        let mut recorded = Vec::with_capacity(pending.len());
        for p in pending {
            let articles: Vec<ArticleOutcome> = p
                .analysis
                .articles
                .into_iter()
                .map(|analysed| ArticleOutcome {
                    analysed,
                    outcome: outcomes.pop().unwrap_or_else(|| {
                        Err(RegisterError::Invalid("the store gave no answer".into()))
                    }),
                })
                .collect();
            let original_only = articles.iter().all(|a| a.outcome.is_err());
            if original_only {
                // Kept as evidence all the same, so nothing handed in is lost.
                store.add_original(&p.original, &self.provenance.actor)?;
            }
            recorded.push(Recorded {
                source: p.original.source,
                sha256: p.original.sha256,
                articles,
                original_only,
                failures: p.analysis.failures,
            });
        }
        Ok(recorded)
    }
}

/// An input analysed and waiting for its batch.
struct Pending {
    seq: usize,
    original: Original,
    analysis: Analysis,
    /// Each article's near-duplicate signature, made with the analysis (pure text work, on the
    /// analysis thread) rather than inside the store's write transaction.
    signatures: Vec<Option<Signature>>,
}

impl Pending {
    fn new(seq: usize, original: Original, analysis: Analysis) -> Self {
        let signatures = analysis
            .articles
            .iter()
            .map(|a| Signature::of_text(&a.article.text()))
            .collect();
        Pending {
            seq,
            original,
            analysis,
            signatures,
        }
    }
}

/// The storing side of one [`Engine::run`].
struct Run<'e, 's, 'i, 'f> {
    engine: &'e Engine,
    store: &'s mut dyn Store,
    indexer: Option<&'i mut Indexer>,
    settled: &'f mut dyn FnMut(Settled<'_>),
    tally: Tally,
    pending: Vec<Pending>,
    pending_articles: usize,
    pending_since: Instant,
    /// Stored inputs waiting for the index, with the number of their articles written.
    to_index: Vec<Recorded>,
    to_index_articles: usize,
    to_index_since: Instant,
}

impl Run<'_, '_, '_, '_> {
    fn take(&mut self, pending: Pending) -> Result<()> {
        if self.pending.is_empty() {
            self.pending_since = Instant::now();
        }
        self.pending_articles += pending.analysis.articles.len();
        self.pending.push(pending);
        if self.pending_articles >= self.engine.batch
            || self.pending_since.elapsed() >= STORE_BATCH_AGE
        {
            self.store_pending()?;
        }
        Ok(())
    }

    fn store_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let seqs: Vec<usize> = self.pending.iter().map(|p| p.seq).collect();
        let recorded = self.engine.store_batch(self.store, &mut self.pending)?;
        self.pending_articles = 0;
        for (seq, recorded) in seqs.into_iter().zip(recorded) {
            if recorded.articles.is_empty() {
                self.tally.without_article += 1;
            }
            for article in &recorded.articles {
                match &article.outcome {
                    Ok(StoreOutcome::Stored(w)) | Ok(StoreOutcome::Reanalysed(w)) => {
                        self.tally.stored += 1;
                        self.tally.new_persons += w.new_persons as u64;
                        self.tally.new_events += w.new_events as u64;
                        if matches!(article.outcome, Ok(StoreOutcome::Reanalysed(_))) {
                            self.tally.reanalysed += 1;
                        }
                    }
                    Ok(StoreOutcome::AlreadyStored) => self.tally.already += 1,
                    Err(_) => self.tally.failed += 1,
                }
            }
            (self.settled)(Settled::Recorded {
                seq,
                recorded: &recorded,
            });
            let written = recorded.written().count();
            if written > 0 && self.indexer.is_some() {
                if self.to_index.is_empty() {
                    self.to_index_since = Instant::now();
                }
                self.to_index_articles += written;
                self.to_index.push(recorded);
            }
        }
        self.flush_index(false);
        Ok(())
    }

    /// Sends the stored articles waiting to the index when there are enough of them, they have
    /// waited long enough, or `last` (the run is over: the touched persons are refreshed too).
    fn flush_index(&mut self, last: bool) {
        let Some(indexer) = self.indexer.as_deref_mut() else {
            return;
        };
        let due = self.to_index_articles >= INDEX_BATCH
            || self.to_index_since.elapsed() >= INDEX_BATCH_AGE;
        if !last && !due {
            return;
        }
        if !self.to_index.is_empty() {
            let added = indexer.add(self.to_index.iter().flat_map(|r| r.written()));
            if let Err(err) = added {
                // The index is derived: the store holds everything, the index can be rebuilt.
                eprintln!("casebook: the search index was not updated: {err}");
            }
            self.to_index.clear();
            self.to_index_articles = 0;
        }
        if last {
            if let Err(err) = indexer.refresh_persons(&*self.store) {
                eprintln!("casebook: the persons of the search index were not updated: {err}");
            }
        }
    }
}

/// Lowers the calling thread's priority. The storing thread is the slower half of an ingest; on
/// a machine with as many busy threads as cores (the text stages, the search index's threads, the
/// store's checkpoints) it waited for a core: 45 s of a 330 s `casebook bench` of 100,000
/// articles on two cores, 14 s with this. The text stages still get every core the store leaves
/// idle.
#[allow(unsafe_code)] // one libc call, its safety argued where it stands
fn yield_to_the_store() {
    #[cfg(target_os = "linux")]
    // SAFETY: a plain system call; on Linux a nice value belongs to the calling thread.
    unsafe {
        let _ = libc::nice(10);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    #[allow(unsafe_code)] // reads the thread's priority through libc
    fn the_analysis_thread_gives_way_to_the_store() {
        let (before, after) = std::thread::spawn(|| {
            // SAFETY: reads the calling thread's own priority.
            let nice =
                || unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
            let before = nice();
            super::yield_to_the_store();
            (before, nice())
        })
        .join()
        .unwrap();
        assert!(after > before || before == 19, "nice {before} → {after}");
    }
}
