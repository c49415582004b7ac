//! `casebook bench`: ingest a deterministic synthetic corpus end to end (the very code path of
//! `casebook ingest`: article, people and event stages, register, search index) into a fresh data
//! directory, and print articles/s, peak resident memory and store size. With `--web`, then drive
//! the web application over that register (see `bench_web`), reusing the directory when it holds
//! a register already.

use super::ingest::{ingest_into, Tally};
use super::stats::dir_size;
use crate::Global;
use casebook_pipeline::Indexer;
use casebook_register::synthetic::Generator;
use casebook_register::Store;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Number of synthetic articles (about 500 words each).
    #[arg(long, default_value_t = 10_000)]
    pub articles: u64,
    /// Number of invented people the articles draw from.
    #[arg(long, default_value_t = 20_000)]
    pub population: usize,
    /// Seed of the corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Fresh directory for the benchmark's register (must not exist yet).
    #[arg(long, default_value = "casebook-bench-data")]
    pub dir: PathBuf,
    /// Articles stored per transaction (the ingest's default unless given).
    #[arg(long, default_value_t = crate::commands::ingest::STORE_BATCH as u64, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch: u64,
    /// Skip the search index (measures the store alone).
    #[arg(long)]
    pub no_index: bool,
    /// Then serve the register with `casebook serve` and drive every kind of page with concurrent
    /// clients (a directory that holds a register already is reused, not built again).
    #[arg(long)]
    pub web: bool,
    /// Clients sending requests at once (with `--web`).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
    pub clients: u64,
    /// Seconds the clients send requests for (with `--web`).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
}

/// Peak resident memory of this process so far, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let reuse = args.web && args.dir.join("register.sqlite3").exists();
    if reuse {
        println!("reusing the register in {}", args.dir.display());
    } else {
        build(&args, global)?;
    }
    if args.web {
        let drive = super::bench_web::Drive {
            clients: args.clients as usize,
            seconds: args.seconds,
        };
        super::bench_web::run(&args.dir, &drive)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Ingests the synthetic corpus into a fresh directory and prints what it cost.
fn build(args: &Args, _global: &Global) -> anyhow::Result<()> {
    if args.dir.exists() {
        anyhow::bail!(
            "{} exists; the benchmark needs a fresh directory (remove it or give another with --dir)",
            args.dir.display()
        );
    }
    let mut store = casebook_register::open(&args.dir)?;
    let mut indexer = if args.no_index {
        None
    } else {
        Some(Indexer::open(&args.dir)?)
    };
    let generator = Generator::new(args.seed, args.population);
    let started = Instant::now();
    let inputs = (0..args.articles).map(|n| Ok(generator.article(n)));
    let tally: Tally = ingest_into(
        &mut store,
        inputs,
        "casebook-bench",
        indexer.as_mut(),
        10_000,
        args.batch,
    )?;
    // The engine re-indexes the persons the run touched at its end: that is within this time.
    let secs = started.elapsed().as_secs_f64();
    let stats = store.stats()?;
    let size = dir_size(&args.dir);
    let store_size = dir_size(&args.dir) - dir_size(&args.dir.join("index"));
    println!("articles            {}", tally.stored);
    println!("persons / events    {} / {}", stats.persons, stats.events);
    println!("time                {secs:.1} s (persons re-indexed at the end included)");
    println!(
        "throughput          {:.0} articles/s end to end",
        tally.stored as f64 / secs
    );
    match peak_rss_kib() {
        Some(kib) => println!("peak memory (VmHWM) {:.0} MiB", kib as f64 / 1024.0),
        None => println!("peak memory (VmHWM) unknown (no /proc/self/status)"),
    }
    println!(
        "store size          {:.0} MiB ({:.1} KiB per article); with search index {:.0} MiB",
        store_size as f64 / 1048576.0,
        store_size as f64 / 1024.0 / tally.stored.max(1) as f64,
        size as f64 / 1048576.0
    );
    Ok(())
}
