//! `casebook ingest`: inputs → articles → people → events → register, in one pass.
//!
//! Articles are stored in batches, each one transaction holding every article of the batch with
//! everything found in it, so an ingest killed at any point leaves whole articles only; running the same ingest again skips what is stored (by the
//! original's SHA-256, before any analysis) and finishes the job.

use crate::inputs::printable;
use crate::Global;
use casebook_pipeline::{Engine, Indexer, Settled};
use std::cell::Cell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub use casebook_pipeline::{Tally, STORE_BATCH};

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
    #[arg(long, default_value_t = STORE_BATCH as u64, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch: u64,
}

/// Ingests every input into an open store through the one ingest engine (casebook-pipeline: the
/// text stages on a worker thread, the store in batches on this one); the caller prints the tally.
/// Unreadable inputs are reported and counted as failed.
pub fn ingest_into(
    store: &mut dyn casebook_register::Store,
    inputs: impl Iterator<Item = Result<(String, Vec<u8>), (String, String)>>,
    actor: &str,
    indexer: Option<&mut Indexer>,
    progress: u64,
    batch: u64,
) -> anyhow::Result<Tally> {
    store.prepare_bulk_ingest()?;
    let engine = Engine::new(actor).with_batch(usize::try_from(batch).unwrap_or(usize::MAX));
    let unreadable = Cell::new(0u64);
    let stored = Cell::new(0u64);
    let started = Instant::now();
    let mut read = 0u64;
    let mut interval = (0u64, started);
    let originals = inputs.filter_map(|input| {
        read += 1;
        if progress > 0 && read.is_multiple_of(progress) {
            // Inputs run ahead of the store by what is on its way through the analysis, so the
            // store's own rate is given too: overall, and over the articles stored since the last
            // line (the running rate, which shows how storing slows as the register grows).
            let (before, since) = interval;
            let now = Instant::now();
            let stored_now = stored.get();
            eprintln!(
                "casebook ingest: {read} inputs, {stored_now} articles stored, {:.0} inputs/s; {:.0} articles/s overall, {:.0} since the last line",
                read as f64 / started.elapsed().as_secs_f64().max(1e-9),
                stored_now as f64 / started.elapsed().as_secs_f64().max(1e-9),
                (stored_now - before) as f64 / now.duration_since(since).as_secs_f64().max(1e-9),
            );
            interval = (stored_now, now);
        }
        match input {
            Ok((source, bytes)) => Some(casebook_ingest::original(source, bytes)),
            Err((source, why)) => {
                eprintln!(
                    "casebook ingest: cannot read {}: {}",
                    printable(&source),
                    printable(&why)
                );
                unreadable.set(unreadable.get() + 1);
                None
            }
        }
    });
    let mut tally = engine.run(store, originals, indexer, &mut |settled| {
        if let Settled::Recorded { recorded, .. } = settled {
            stored.set(stored.get() + recorded.written().count() as u64);
            report(recorded);
        }
    })?;
    tally.inputs += unreadable.get();
    tally.failed += unreadable.get();
    Ok(tally)
}

/// One error line per document of an input that gave no article and per article the store refused.
fn report(recorded: &casebook_pipeline::Recorded) {
    let source = printable(&recorded.source);
    if recorded.articles.is_empty() {
        // Kept as evidence all the same, so nothing handed in is lost.
        let why = recorded.failures.join("; ");
        eprintln!(
            "casebook ingest: no article in {source}: {}",
            printable(&why)
        );
        return;
    }
    // Some documents of the input gave articles, others none (a WARC record cut short, a page
    // too large): each of those still gets its error line, naming input and record.
    for why in &recorded.failures {
        eprintln!("casebook ingest: {source}: {}", printable(why));
    }
    for article in &recorded.articles {
        if let Err(err) = &article.outcome {
            eprintln!("casebook ingest: storing the article read from {source}: {err}");
        }
    }
}

/// Indexes what an earlier, killed run stored but never indexed, before this run adds more.
fn catch_up_index(indexer: &mut Indexer, store: &dyn casebook_register::Store) {
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
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "casebook ingest: {} inputs: {} articles stored ({} re-read by a newer pipeline), {} already stored, \
         {} without an article, {} unreadable or refused; {} new persons, {} new events; {:.1} s",
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
