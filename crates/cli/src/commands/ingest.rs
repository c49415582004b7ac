//! `casebook ingest`: inputs → articles → people → events → register, in one pass.
//!
//! Each article is stored in one transaction with everything found in it, so an ingest killed at
//! any point leaves whole articles only; running the same ingest again skips what is stored (by the
//! original's SHA-256, before any analysis) and finishes the job.

use crate::Global;
use anyhow::Context;
use casebook_pipeline::{Indexer, Ingestor};
use casebook_register::{Store, StoreOutcome};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
}

/// Stored articles are sent to the search index in batches of this many.
const INDEX_BATCH: usize = 500;

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

/// Ingests every input into an open store; the caller prints the tally.
pub fn ingest_into(
    store: &mut dyn Store,
    inputs: impl Iterator<Item = Result<(String, Vec<u8>), (String, String)>>,
    actor: &str,
    mut indexer: Option<&mut Indexer>,
    progress: u64,
) -> anyhow::Result<Tally> {
    // The shared flow (casebook-pipeline): the same analysis and storing as the web
    // application's uploads and the monitor's pages.
    let ingestor = Ingestor::new(actor);
    let mut tally = Tally::default();
    let mut batch = Vec::new();
    let started = Instant::now();
    for input in inputs {
        tally.inputs += 1;
        if progress > 0 && tally.inputs % progress == 0 {
            eprintln!(
                "casebook ingest: {} inputs, {} articles stored, {:.0} inputs/s",
                tally.inputs,
                tally.stored,
                tally.inputs as f64 / started.elapsed().as_secs_f64().max(1e-9)
            );
        }
        let (source, bytes) = match input {
            Ok(input) => input,
            Err((source, why)) => {
                eprintln!("casebook ingest: cannot read {source}: {why}");
                tally.failed += 1;
                continue;
            }
        };
        let original = casebook_ingest::original(source, bytes);
        // A plain input's article id is its SHA-256: a re-run skips it before any analysis.
        if ingestor.recorder().is_current(store, &original)? {
            tally.already += 1;
            continue;
        }
        let analysis = ingestor.pipeline().analyse(&original);
        let recorded = ingestor
            .recorder()
            .record(store, &original, analysis)
            .with_context(|| format!("storing the original {}", original.source))?;
        if recorded.original_only && recorded.articles.is_empty() {
            // Kept as evidence all the same, so nothing handed in is lost.
            let why = recorded.failures.join("; ");
            eprintln!("casebook ingest: no article in {}: {why}", original.source);
            tally.without_article += 1;
            continue;
        }
        for stored in recorded.articles {
            let outcome = stored
                .outcome
                .with_context(|| format!("storing the article read from {}", original.source))?;
            let written = match outcome {
                StoreOutcome::Stored(w) => w,
                StoreOutcome::Reanalysed(w) => {
                    tally.reanalysed += 1;
                    w
                }
                StoreOutcome::AlreadyStored => {
                    tally.already += 1;
                    continue;
                }
            };
            tally.stored += 1;
            tally.new_persons += written.new_persons as u64;
            tally.new_events += written.new_events as u64;
            batch.push((stored.analysed, written));
        }
        flush_if_full(&mut batch, &mut indexer, INDEX_BATCH)?;
    }
    flush_if_full(&mut batch, &mut indexer, 0)?;
    Ok(tally)
}

fn flush_if_full(
    batch: &mut Vec<(casebook_model::AnalysedArticle, casebook_register::Written)>,
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
