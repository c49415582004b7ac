//! Web upload against the CLI ingest, through the one ingest engine:
//! `cargo run --release -p casebook-web --example bench_upload -- --articles 1000`.
//!
//! The same synthetic articles (`casebook_register::synthetic`) go (1) through the web upload's
//! job (`casebook_web::ingest::run_job`, the very call the upload handler's background job makes:
//! the server's engine, its store handle, its search index fed record by record) into one fresh
//! data directory, and (2) through what `casebook ingest` runs (the engine on a handle set up for
//! a long ingest, the data directory's index) into another; prints articles/s of each.
//!
//! `--data DIR` uploads into an existing register instead (e.g. one `casebook bench --articles
//! 10000 --dir DIR` built) and prints what one upload costs there, beside what a full rebuild of
//! the search index costs (what a fetched page cost the server before writes were indexed record
//! by record). `--seed N` picks other articles (default 7, apart from `casebook bench`'s 1).

use casebook_pipeline::{Engine, Indexer};
use casebook_register::synthetic::Generator;
use casebook_register::Store;
use casebook_web::{AppState, Config};
use std::time::Instant;

fn value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == name)?;
    args.get(at + 1).cloned()
}

fn arg(name: &str, default: u64) -> u64 {
    value(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Uploads `uploads` into the data directory `dir` as the web server does; returns the seconds
/// taken and the articles stored.
fn upload(
    dir: &std::path::Path,
    uploads: Vec<casebook_web::ingest::Upload>,
) -> Result<(f64, u64), Box<dyn std::error::Error>> {
    let state = AppState::open(Config::new(dir))?;
    let job = state
        .jobs()
        .open("bench", uploads.iter().map(|u| u.name.clone()).collect());
    let started = Instant::now();
    casebook_web::ingest::run_job(&state, "bench", &job, uploads);
    let secs = started.elapsed().as_secs_f64();
    let job = job.lock().map_err(|_| "the job's lock")?;
    let stored = job.files.iter().map(|f| f.articles as u64).sum();
    let failed = job.files.iter().filter(|f| f.outcome == "failed").count();
    if failed > 0 {
        return Err(format!("{failed} uploads failed").into());
    }
    Ok((secs, stored))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let articles = arg("--articles", 1000);
    let generator = Generator::new(arg("--seed", 7), 20_000);
    let uploads: Vec<casebook_web::ingest::Upload> = (0..articles)
        .map(|n| {
            let (name, bytes) = generator.article(n);
            casebook_web::ingest::Upload { name, bytes }
        })
        .collect();
    // The text stages' tables are built once per process: not in either measurement.
    let _ = casebook_pipeline::Pipeline::shared();

    if let Some(dir) = value("--data") {
        let dir = std::path::PathBuf::from(dir);
        let state = AppState::open(Config::new(&dir))?;
        let before = state.store_blocking(|s| Ok(s.stats()?))?;
        let started = Instant::now();
        let records = casebook_web::projection::reindex(&state)?;
        let rebuild = started.elapsed().as_secs_f64();
        drop(state);
        let (secs, stored) = upload(&dir, uploads)?;
        println!(
            "register            {} articles, {} persons, {} events",
            before.articles, before.persons, before.events
        );
        println!("full index rebuild  {rebuild:.2} s ({records} records): what a fetched page cost before");
        println!(
            "one upload          {stored} articles in {secs:.2} s, indexed record by record, no rebuild"
        );
        return Ok(());
    }

    let web_dir = tempfile::tempdir()?;
    let (web_secs, web_stored) = upload(web_dir.path(), uploads.clone())?;

    let cli_dir = tempfile::tempdir()?;
    let started = Instant::now();
    let mut store = casebook_register::open(cli_dir.path())?;
    store.prepare_bulk_ingest()?;
    let mut indexer = Indexer::open(cli_dir.path())?;
    let originals = uploads
        .into_iter()
        .map(|u| casebook_ingest::original(u.name, u.bytes));
    let tally = Engine::new("bench").run(&mut store, originals, Some(&mut indexer), &mut |_| {})?;
    let cli_secs = started.elapsed().as_secs_f64();

    let web_rate = web_stored as f64 / web_secs;
    let cli_rate = tally.stored as f64 / cli_secs;
    println!(
        "web upload          {web_stored} articles in {web_secs:.1} s: {web_rate:.0} articles/s"
    );
    println!(
        "CLI ingest          {} articles in {cli_secs:.1} s: {cli_rate:.0} articles/s",
        tally.stored
    );
    println!(
        "web / CLI           {:+.0}%",
        (web_rate / cli_rate - 1.0) * 100.0
    );
    Ok(())
}
