//! `casebook ingest`: inputs → articles → people → events → register, in one pass.
//!
//! Articles are stored in batches, each one transaction holding every article of the batch with
//! everything found in it, so an ingest killed at any point leaves whole articles only; running the same ingest again skips what is stored (by the
//! original's SHA-256, before any analysis) and finishes the job.

use crate::inputs::printable;
use crate::Global;
use anyhow::Context;
use casebook_model::{AnalysedArticle, Original};
use casebook_pipeline::{Analysis, Indexer, Pipeline, EXTRACTOR_VERSION};
use casebook_register::{IndexResolver, Provenance, Store, StoreOutcome, Written};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (read recursively) to ingest; `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Who runs the ingest, for the audit log.
    #[arg(long, env = "CASEBOOK_ACTOR", default_value = "casebook-ingest")]
    pub by: String,
    /// Do not update the search index (it can be rebuilt from the store later).
    #[arg(long)]
    pub no_index: bool,
    /// Print a progress line every N inputs (0: only the summary).
    #[arg(long, default_value_t = 0)]
    pub progress: u64,
    /// Articles stored per transaction. Larger batches write less per article to a large store;
    /// a batch is also stored once it is two seconds old.
    #[arg(long, default_value_t = STORE_BATCH, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch: u64,
}

/// Stored articles are sent to the search index in batches of this many, or once the oldest has
/// waited [`INDEX_BATCH_AGE`]. Each batch is one index commit, which waits for the index's segment
/// merges on the storing thread: at 500 a batch, `casebook bench` ran at 262 articles/s at 60,000
/// articles, at 5,000 at 313/s; the batch is held in memory, so it stays well below that.
const INDEX_BATCH: usize = 2_500;
/// How long a stored article waits at most before it is searchable.
const INDEX_BATCH_AGE: Duration = Duration::from_secs(30);

/// Counts of one ingest run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub inputs: u64,
    pub stored: u64,
    pub reanalysed: u64,
    pub already: u64,
    pub without_article: u64,
    pub failed: u64,
    pub new_persons: u64,
    pub new_events: u64,
}

/// Articles stored per transaction by default: one commit per batch instead of per article. A
/// batch is stored whole or not at all, so a killed ingest still leaves whole articles only. Once
/// the store outgrows its page cache, each commit writes every index page its articles touched;
/// articles of one batch share many of those pages, so larger batches write less per article
/// (at 100,000 articles, 1,024 per batch wrote 20% less than 512, which wrote 40% less than 64).
pub const STORE_BATCH: u64 = 1024;
/// A batch is stored after this long even if not full (slow inputs still reach the store).
const STORE_BATCH_AGE: Duration = Duration::from_secs(2);
/// Originals on their way through the analysis thread, at most: a whole store batch, so that the
/// analysis prepares the next batch while one is being stored, within these bounds (memory). With
/// half a batch, the storing thread waited for the analysis after every batch.
const IN_FLIGHT: std::ops::RangeInclusive<usize> = 64..=4096;
/// Bytes of originals on their way through the analysis thread, at most (one input larger than
/// this still goes through, alone): a run of large WARC files must not hold thousands of them in
/// memory at once.
const IN_FLIGHT_BYTES: usize = 256 * 1024 * 1024;

/// Ingests every input into an open store; the caller prints the tally.
///
/// The text stages run on a worker thread while this thread reads inputs and stores what the worker
/// made, in batches: analysis and store writes overlap on two cores.
pub fn ingest_into(
    store: &mut dyn Store,
    inputs: impl Iterator<Item = Result<(String, Vec<u8>), (String, String)>>,
    actor: &str,
    indexer: Option<&mut Indexer>,
    progress: u64,
    batch: u64,
) -> anyhow::Result<Tally> {
    store.prepare_bulk_ingest()?;
    let batch = usize::try_from(batch).unwrap_or(usize::MAX).max(1);
    let ahead = batch.clamp(*IN_FLIGHT.start(), *IN_FLIGHT.end());
    let mut sink = Sink {
        batch,
        store,
        resolver: IndexResolver::new(),
        provenance: Provenance {
            extractor_version: EXTRACTOR_VERSION.to_string(),
            actor: actor.to_string(),
        },
        indexer,
        tally: Tally::default(),
        pending: Vec::new(),
        pending_since: Instant::now(),
        index_batch: Vec::new(),
        index_batch_since: Instant::now(),
    };
    let started = Instant::now();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (to_analysis, analysis_inbox) = mpsc::sync_channel::<Original>(ahead);
        let (analysed_out, from_analysis) = mpsc::sync_channel::<(Original, Analysis)>(ahead);
        scope.spawn(move || {
            yield_to_the_store();
            let pipeline = Pipeline::shared();
            for original in analysis_inbox {
                let analysis = pipeline.analyse(&original);
                if analysed_out.send((original, analysis)).is_err() {
                    break;
                }
            }
        });
        let mut in_flight = 0usize;
        let mut in_flight_bytes = 0usize;
        for input in inputs {
            sink.tally.inputs += 1;
            if progress > 0 && sink.tally.inputs.is_multiple_of(progress) {
                eprintln!(
                    "casebook ingest: {} inputs, {} articles stored, {:.0} inputs/s",
                    sink.tally.inputs,
                    sink.tally.stored,
                    sink.tally.inputs as f64 / started.elapsed().as_secs_f64().max(1e-9)
                );
            }
            let (source, bytes) = match input {
                Ok(input) => input,
                Err((source, why)) => {
                    eprintln!(
                        "casebook ingest: cannot read {}: {}",
                        printable(&source),
                        printable(&why)
                    );
                    sink.tally.failed += 1;
                    continue;
                }
            };
            let original = casebook_ingest::original(source, bytes);
            // A plain input's article id is its SHA-256: a re-run skips it before any analysis.
            if sink.store.article_version(&original.sha256)?.as_deref() == Some(EXTRACTOR_VERSION) {
                sink.tally.already += 1;
                continue;
            }
            in_flight_bytes += original.bytes.len();
            to_analysis
                .send(original)
                .map_err(|_| anyhow::anyhow!("the analysis thread stopped"))?;
            in_flight += 1;
            while in_flight >= ahead || (in_flight > 0 && in_flight_bytes > IN_FLIGHT_BYTES) {
                let (original, analysis) = from_analysis
                    .recv()
                    .map_err(|_| anyhow::anyhow!("the analysis thread stopped"))?;
                in_flight -= 1;
                in_flight_bytes -= original.bytes.len();
                sink.take(original, analysis)?;
            }
        }
        drop(to_analysis);
        for (original, analysis) in from_analysis {
            sink.take(original, analysis)?;
        }
        sink.store_pending()
    })?;
    flush_if_full(&mut sink.index_batch, &mut sink.indexer, 0)?;
    Ok(sink.tally)
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

/// The store side of [`ingest_into`]: takes analysed inputs, stores them in batches.
struct Sink<'a, 'i> {
    store: &'a mut dyn Store,
    /// Articles per transaction.
    batch: usize,
    resolver: IndexResolver,
    provenance: Provenance,
    indexer: Option<&'i mut Indexer>,
    tally: Tally,
    pending: Vec<(Original, AnalysedArticle)>,
    pending_since: Instant,
    index_batch: Vec<(AnalysedArticle, Written)>,
    index_batch_since: Instant,
}

impl Sink<'_, '_> {
    fn take(&mut self, original: Original, analysis: Analysis) -> anyhow::Result<()> {
        if analysis.articles.is_empty() {
            // Kept as evidence all the same, so nothing handed in is lost.
            self.store.add_original(&original, &self.provenance.actor)?;
            let why = analysis.failures.join("; ");
            eprintln!(
                "casebook ingest: no article in {}: {}",
                printable(&original.source),
                printable(&why)
            );
            self.tally.without_article += 1;
            return Ok(());
        }
        // Some documents of the input gave articles, others none (a WARC record cut short, a
        // page too large): each of those still gets its error line, naming input and record.
        for why in &analysis.failures {
            eprintln!(
                "casebook ingest: {}: {}",
                printable(&original.source),
                printable(why)
            );
        }
        if self.pending.is_empty() {
            self.pending_since = Instant::now();
        }
        let mut articles = analysis.articles;
        let last = articles.pop();
        // An original is cloned only when it gave several articles.
        for analysed in articles {
            self.pending.push((original.clone(), analysed));
        }
        if let Some(analysed) = last {
            self.pending.push((original, analysed));
        }
        if self.pending.len() >= self.batch || self.pending_since.elapsed() >= STORE_BATCH_AGE {
            self.store_pending()?;
        }
        Ok(())
    }

    /// Stores the pending articles in one transaction; if that fails, one by one, so the message
    /// names the input that failed and the others are kept.
    fn store_pending(&mut self) -> anyhow::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let pairs: Vec<(&Original, &AnalysedArticle)> =
            pending.iter().map(|(o, a)| (o, a)).collect();
        let outcomes = match self
            .store
            .store_batch(&pairs, &self.provenance, &self.resolver)
        {
            Ok(outcomes) => outcomes,
            Err(_) => {
                let mut outcomes = Vec::with_capacity(pending.len());
                for (original, analysed) in &pending {
                    outcomes.push(
                        self.store
                            .store_article(original, analysed, &self.provenance, &self.resolver)
                            .with_context(|| {
                                format!(
                                    "storing the article read from {}",
                                    printable(&original.source)
                                )
                            })?,
                    );
                }
                outcomes
            }
        };
        for ((_, analysed), outcome) in pending.into_iter().zip(outcomes) {
            let written = match outcome {
                StoreOutcome::Stored(w) => w,
                StoreOutcome::Reanalysed(w) => {
                    self.tally.reanalysed += 1;
                    w
                }
                StoreOutcome::AlreadyStored => {
                    self.tally.already += 1;
                    continue;
                }
            };
            self.tally.stored += 1;
            self.tally.new_persons += written.new_persons as u64;
            self.tally.new_events += written.new_events as u64;
            if self.index_batch.is_empty() {
                self.index_batch_since = Instant::now();
            }
            self.index_batch.push((analysed, written));
        }
        let limit = if self.index_batch_since.elapsed() >= INDEX_BATCH_AGE {
            0
        } else {
            INDEX_BATCH
        };
        flush_if_full(&mut self.index_batch, &mut self.indexer, limit)
    }
}

fn flush_if_full(
    batch: &mut Vec<(AnalysedArticle, Written)>,
    indexer: &mut Option<&mut Indexer>,
    limit: usize,
) -> anyhow::Result<()> {
    if batch.len() < limit.max(1) {
        return Ok(());
    }
    if let Some(indexer) = indexer.as_deref_mut() {
        if let Err(err) = indexer.add(batch.iter().map(|(a, w)| (a, w))) {
            // The index is derived: the store holds everything, the index can be rebuilt.
            eprintln!("casebook ingest: the search index was not updated: {err:#}");
        }
    }
    batch.clear();
    Ok(())
}

/// Indexes what an earlier, killed run stored but never indexed, before this run adds more.
fn catch_up_index(indexer: &mut Indexer, store: &dyn Store) {
    match indexer.catch_up(store) {
        Ok(done) if done.added + done.removed > 0 => eprintln!(
            "casebook ingest: the search index was behind the store: {} records indexed, {} removed, {} persons refreshed",
            done.added, done.removed, done.persons
        ),
        Ok(_) => {}
        // The index is derived: the ingest goes on, and `casebook reindex` rebuilds it.
        Err(err) => eprintln!("casebook ingest: the search index could not catch up: {err:#}"),
    }
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut store = casebook_register::open(&global.data)?;
    let mut indexer = if args.no_index {
        None
    } else {
        match Indexer::open(&global.data) {
            Ok(i) => Some(i),
            Err(err) => {
                eprintln!("casebook ingest: ingesting without updating the search index: {err:#}");
                None
            }
        }
    };
    if let Some(indexer) = indexer.as_mut() {
        catch_up_index(indexer, &store);
    }
    let started = Instant::now();
    // Input finding and reading are shared with `casebook extract` (crate::inputs).
    let inputs = crate::inputs::expand(&args.paths).into_iter().map(|item| {
        let input = item.map_err(|e| (e.source, e.reason))?;
        crate::inputs::read_bytes(&input)
            .map(|bytes| (input.source(), bytes))
            .map_err(|e| (e.source, e.reason))
    });
    let tally = ingest_into(
        &mut store,
        inputs,
        &args.by,
        indexer.as_mut(),
        args.progress,
        args.batch,
    )?;
    if let Some(indexer) = indexer {
        if let Err(err) = indexer.finish(&store) {
            eprintln!("casebook ingest: the search index was not updated: {err:#}");
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "casebook ingest: {} inputs: {} articles stored ({} re-read by a newer pipeline), {} already stored, \
         {} without an article, {} unreadable; {} new persons, {} new events; {:.1} s",
        tally.inputs,
        tally.stored,
        tally.reanalysed,
        tally.already,
        tally.without_article,
        tally.failed,
        tally.new_persons,
        tally.new_events,
        secs
    );
    Ok(if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
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
