//! Ingest benchmark of the store with the real text stages, without the CLI (and without the
//! search index): `cargo run --release -p casebook-register --example bench_ingest -- --articles 100000`.
//!
//! A deterministic synthetic corpus (see `casebook_register::synthetic`) goes through the ingest,
//! article, people and event stages into a fresh register; prints articles/s, peak resident memory
//! (`VmHWM`) and store size. `casebook bench` measures the same path including the search index.

use casebook_model::AnalysedArticle;
use casebook_register::synthetic::Generator;
use casebook_register::{IndexResolver, Provenance, SqliteStore, Store, StoreOutcome};
use std::time::Instant;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
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
    let dir = tempfile::tempdir()?;
    let mut store = SqliteStore::open(dir.path())?;
    let people = casebook_people::Recognizer::new();
    let events = casebook_events::Extractor::new();
    let resolver = IndexResolver::new();
    let provenance = Provenance {
        extractor_version: "bench".into(),
        actor: "bench".into(),
    };
    let generator = Generator::new(1, population);
    let (mut analysis_s, mut store_s) = (0.0, 0.0);
    let mut stored = 0u64;
    let started = Instant::now();
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
        let t2 = Instant::now();
        analysis_s += (t2 - t).as_secs_f64();
        for a in &analysed {
            if let StoreOutcome::Stored(_) =
                store.store_article(&original, a, &provenance, &resolver)?
            {
                stored += 1;
            }
        }
        store_s += t2.elapsed().as_secs_f64();
        if (n + 1) % 10_000 == 0 {
            eprintln!(
                "{} articles, {:.0}/s",
                n + 1,
                (n + 1) as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let stats = store.stats()?;
    println!("articles stored     {stored} of {articles}");
    println!("persons / events    {} / {}", stats.persons, stats.events);
    println!("time                {secs:.1} s (analysis {analysis_s:.1} s, store {store_s:.1} s)");
    println!("throughput          {:.0} articles/s", stored as f64 / secs);
    if let Some(kib) = peak_rss_kib() {
        println!("peak memory (VmHWM) {:.0} MiB", kib as f64 / 1024.0);
    }
    let size = dir_size(dir.path());
    println!(
        "store size          {:.0} MiB ({:.1} KiB per article)",
        size as f64 / 1048576.0,
        size as f64 / 1024.0 / stored.max(1) as f64
    );
    Ok(())
}
