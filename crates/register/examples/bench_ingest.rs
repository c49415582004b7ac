//! Ingest benchmark of the store with the real text stages, without the CLI (and without the
//! search index): `cargo run --release -p casebook-register --features synthetic --example bench_ingest -- --articles 100000`.
//!
//! A deterministic synthetic corpus (see `casebook_register::synthetic`) goes through the ingest,
//! article, people and event stages (on a worker thread) into a fresh register (on the main thread,
//! in batches of one transaction each, `--batch N`, default 1024); prints articles/s, peak resident
//! memory (`VmHWM`), bytes written, store size, and the time each side was busy. `--sequential`
//! runs both on one thread, one article per transaction; `--data DIR` keeps the store.
//! `casebook bench` measures the same path including the search index.

use casebook_model::{AnalysedArticle, Original};
use casebook_register::synthetic::Generator;
use casebook_register::{IndexResolver, Provenance, SqliteStore, Store, StoreOutcome};
use std::time::Instant;

/// The value after flag `name` on the command line.
fn value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == name)?;
    args.get(at + 1).cloned()
}

fn arg(name: &str, default: u64) -> u64 {
    value(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time this thread has used so far, in seconds (Linux `/proc/thread-self/stat`): on a
/// shared machine the wall clock says little about what each side costs.
fn thread_cpu_s() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which ends with ')'): utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

/// Bytes this process has written (Linux `/proc/self/io`, `wchar`): the write-ahead log and its
/// copy back into the store, which is what a large ingest waits for.
fn written_bytes() -> Option<u64> {
    std::fs::read_to_string("/proc/self/io")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("wchar:"))
        .and_then(|v| v.trim().parse().ok())
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Articles stored per transaction (see `Store::store_batch`).
const BATCH: usize = 1024;

/// One input after the text stages, with the thread CPU time they took.
struct Analysed {
    original: Original,
    articles: Vec<AnalysedArticle>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let articles = arg("--articles", 10_000);
    let population = arg("--population", 20_000) as usize;
    // `--data DIR` keeps the store for a look afterwards; by default it goes with a temporary
    // directory.
    let kept = value("--data").map(std::path::PathBuf::from);
    let temporary = tempfile::tempdir()?;
    let dir = kept.as_deref().unwrap_or(temporary.path());
    let mut store = SqliteStore::open(dir)?;
    // `--no-bulk` measures the store as other writers (the web uploads, the monitor) use it.
    if !std::env::args().any(|a| a == "--no-bulk") {
        store.prepare_bulk_ingest()?;
    }
    let resolver = IndexResolver::new();
    let provenance = Provenance {
        extractor_version: "bench".into(),
        actor: "bench".into(),
    };
    let generator = Generator::new(1, population);
    let mut store_s = 0.0;
    let mut stored = 0u64;
    let started = Instant::now();
    // The text stages run on a worker thread, the store on this one: the two overlap, and the
    // bounded channel keeps memory flat whichever is slower.
    let sequential = std::env::args().any(|a| a == "--sequential");
    let batch_size = if sequential {
        1
    } else {
        arg("--batch", BATCH as u64).max(1) as usize
    };
    let (to_store, from_analysis) = std::sync::mpsc::sync_channel::<Analysed>(2 * batch_size);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let (analysis_s, analysis_cpu) =
        std::thread::scope(|scope| -> Result<(f64, f64), Box<dyn std::error::Error>> {
            let generator = &generator;
            let worker = scope.spawn(move || {
                let people = casebook_people::Recognizer::new();
                let events = casebook_events::Extractor::new();
                let mut busy = 0.0;
                for n in 0..articles {
                    let (source, bytes) = generator.article(n);
                    let t = Instant::now();
                    let original = casebook_ingest::original(source, bytes);
                    let mut analysed = Vec::new();
                    for doc in casebook_ingest::read_original(&original)
                        .into_iter()
                        .flatten()
                    {
                        if let Ok(article) = casebook_article::extract(&doc) {
                            let p = people.recognize(&article.text());
                            let e = events.extract(&article, &p);
                            analysed.push(AnalysedArticle {
                                article,
                                people: p,
                                events: e,
                            });
                        }
                    }
                    busy += t.elapsed().as_secs_f64();
                    let item = Analysed {
                        original,
                        articles: analysed,
                    };
                    if to_store.send(item).is_err() {
                        break;
                    }
                    if sequential {
                        // Wait until the store has taken the article: no overlap.
                        let _ = done_rx.recv();
                    }
                }
                (busy, thread_cpu_s())
            });
            let mut inputs = 0u64;
            let mut batch: Vec<Analysed> = Vec::with_capacity(BATCH);
            let mut store_batch =
                |batch: &mut Vec<Analysed>| -> Result<(), Box<dyn std::error::Error>> {
                    let t = Instant::now();
                    let pairs: Vec<(&Original, &AnalysedArticle)> = batch
                        .iter()
                        .flat_map(|a| a.articles.iter().map(move |x| (&a.original, x)))
                        .collect();
                    for outcome in store.store_batch(&pairs, &provenance, &resolver)? {
                        if let StoreOutcome::Stored(_) = outcome {
                            stored += 1;
                        }
                    }
                    store_s += t.elapsed().as_secs_f64();
                    if sequential {
                        let _ = done_tx.send(());
                    }
                    batch.clear();
                    Ok(())
                };
            for item in from_analysis {
                batch.push(item);
                inputs += 1;
                if batch.len() >= batch_size {
                    store_batch(&mut batch)?;
                }
                if inputs.is_multiple_of(10_000) {
                    eprintln!(
                        "{inputs} articles, {:.0}/s",
                        inputs as f64 / started.elapsed().as_secs_f64()
                    );
                }
            }
            store_batch(&mut batch)?;
            worker
                .join()
                .map_err(|_| "the analysis thread panicked".into())
        })?;
    let secs = started.elapsed().as_secs_f64();
    let store_cpu = thread_cpu_s();
    let stats = store.stats()?;
    println!("articles stored     {stored} of {articles}");
    println!("persons / events    {} / {}", stats.persons, stats.events);
    println!(
        "time                {secs:.1} s (overlapping on two threads: analysis {analysis_s:.1} s, store {store_s:.1} s)"
    );
    println!(
        "CPU time            analysis thread {analysis_cpu:.1} s ({:.2} ms/article), store thread {store_cpu:.1} s ({:.2} ms/article)",
        analysis_cpu * 1e3 / stored.max(1) as f64,
        store_cpu * 1e3 / stored.max(1) as f64
    );
    println!("throughput          {:.0} articles/s", stored as f64 / secs);
    if let Some(kib) = peak_rss_kib() {
        println!("peak memory (VmHWM) {:.0} MiB", kib as f64 / 1024.0);
    }
    if let Some(written) = written_bytes() {
        println!(
            "written to disk     {:.0} MiB ({:.0} KiB per article)",
            written as f64 / 1048576.0,
            written as f64 / 1024.0 / stored.max(1) as f64
        );
    }
    let size = dir_size(dir);
    println!(
        "store size          {:.0} MiB ({:.1} KiB per article)",
        size as f64 / 1048576.0,
        size as f64 / 1024.0 / stored.max(1) as f64
    );
    Ok(())
}
