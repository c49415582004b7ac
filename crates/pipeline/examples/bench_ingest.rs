//! Ingest benchmark of the one ingest engine with the real text stages, without the CLI (and
//! without the search index): `cargo run --release -p casebook-pipeline --features synthetic
//! --example bench_ingest -- --articles 100000`.
//!
//! A deterministic synthetic corpus (see `casebook_register::synthetic`) goes through
//! [`casebook_pipeline::Engine`] (the text stages on a worker thread, the store on this one, in
//! batches of one transaction each, `--batch N`, default 1024) into a fresh register; prints
//! articles/s, peak resident memory (`VmHWM`), bytes written, store size, and the CPU time of each
//! side. `--no-bulk` stores as the web server does (no bulk set-up of the handle); `--data DIR`
//! keeps the store. `casebook bench` measures the same engine including the search index.

use casebook_pipeline::{Engine, Settled};
use casebook_register::synthetic::Generator;
use casebook_register::{Provenance, SqliteStore, Store};
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

/// CPU time used so far, in seconds, read from a Linux `stat` file: `/proc/thread-self/stat` for
/// this thread (on a shared machine the wall clock says little about what each side costs),
/// `/proc/self/stat` for the whole process.
fn cpu_s(stat_file: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(stat_file) else {
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let articles = arg("--articles", 10_000);
    let population = arg("--population", 20_000) as usize;
    // `--data DIR` keeps the store for a look afterwards; by default it goes with a temporary
    // directory.
    let kept = value("--data").map(std::path::PathBuf::from);
    let temporary = tempfile::tempdir()?;
    let dir = kept.as_deref().unwrap_or(temporary.path());
    let mut store = SqliteStore::open(dir)?;
    // `--no-bulk` measures the store as the web server's handles are set up.
    if !std::env::args().any(|a| a == "--no-bulk") {
        store.prepare_bulk_ingest()?;
    }
    let engine = Engine::with_provenance(Provenance {
        extractor_version: "bench".into(),
        actor: "bench".into(),
    })
    .with_batch(arg("--batch", casebook_pipeline::STORE_BATCH as u64) as usize);
    let generator = Generator::new(1, population);
    let started = Instant::now();
    let inputs = (0..articles).map(|n| {
        let (source, bytes) = generator.article(n);
        casebook_ingest::original(source, bytes)
    });
    let mut settled = 0u64;
    let tally = engine.run(&mut store, inputs, None, &mut |s| {
        if let Settled::Recorded { .. } = s {
            settled += 1;
            if settled.is_multiple_of(10_000) {
                eprintln!(
                    "{settled} articles, {:.0}/s",
                    settled as f64 / started.elapsed().as_secs_f64()
                );
            }
        }
    })?;
    let secs = started.elapsed().as_secs_f64();
    let store_cpu = cpu_s("/proc/thread-self/stat");
    let other_cpu = cpu_s("/proc/self/stat") - store_cpu;
    let stored = tally.stored;
    let stats = store.stats()?;
    println!("articles stored     {stored} of {articles}");
    println!("persons / events    {} / {}", stats.persons, stats.events);
    println!("time                {secs:.1} s");
    println!(
        "CPU time            store thread {store_cpu:.1} s ({:.2} ms/article); other threads (text stages, checkpoints) {other_cpu:.1} s ({:.2} ms/article)",
        store_cpu * 1e3 / stored.max(1) as f64,
        other_cpu * 1e3 / stored.max(1) as f64
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
