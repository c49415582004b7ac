//! Article-body extraction benchmark: runs [`casebook_article::extract_html`] over the shared
//! 181-page benchmark (gzip HTML + ground truth), prints pages per second on one thread, writes the
//! predicted bodies as JSON and scores them with the official scorer `extraction_eval.py`.
//!
//! ```text
//! cargo bench -p casebook-article --bench extraction [-- BENCH_DIR] [--worst N] [--repeat N]
//!     [--dom-smoothie]
//! ```
//! `--dom-smoothie` runs plain dom_smoothie instead, as a reference measured under the same load.
//! `BENCH_DIR` defaults to `../shared/bench/article-extraction` next to the repository; the scorer is
//! looked up at `BENCH_DIR/../../tools/extraction_eval.py`. Decompression is not timed.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut bench_dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/article-extraction");
    let mut worst: Option<String> = None;
    let mut repeat = 3usize;
    let mut reference = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--worst" => worst = args.next(),
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(3).max(1),
            "--bench" => {}
            "--dom-smoothie" => reference = true,
            other => bench_dir = PathBuf::from(other),
        }
    }
    if let Err(message) = run(&bench_dir, worst.as_deref(), repeat, reference) {
        eprintln!("extraction bench: {message}");
        std::process::exit(1);
    }
}

fn run(
    bench_dir: &Path,
    worst: Option<&str>,
    repeat: usize,
    reference: bool,
) -> Result<(), String> {
    let truth_path = bench_dir.join("ground-truth.json");
    let truth_text = std::fs::read_to_string(&truth_path)
        .map_err(|e| format!("cannot read {}: {e}", truth_path.display()))?;
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_str(&truth_text)
        .map_err(|e| format!("{} is not JSON: {e}", truth_path.display()))?;

    // Decompress every page first so only extraction is timed.
    let mut pages = Vec::with_capacity(truth.len());
    for (id, entry) in &truth {
        let path = bench_dir.join("html").join(format!("{id}.html.gz"));
        let file = std::fs::File::open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let mut html = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut html)
            .map_err(|e| format!("cannot decompress {}: {e}", path.display()))?;
        let url = entry
            .get("url")
            .and_then(|u| u.as_str())
            .map(str::to_string);
        pages.push((id.clone(), url, html));
    }

    let mut predictions = serde_json::Map::new();
    let mut best = Duration::MAX;
    let mut best_cpu = Duration::MAX;
    let mut failures = 0usize;
    let mut coverage = Coverage::default();
    // One untimed page first, so that one-time set-up (bundled word lists, regex compilation)
    // is not charged to the measured rounds (nor to a profiler counting `extract_all`).
    if let Some((id, url, html)) = pages.first() {
        if reference {
            dom_smoothie_text(html);
        } else {
            let _ = casebook_article::extract_html(id, html, url.as_deref());
        }
    }
    for round in 0..repeat {
        let started = Instant::now();
        let cpu_started = thread_cpu_time();
        let (bodies, articles) = extract_all(&pages, reference);
        best = best.min(started.elapsed());
        if let (Some(end), Some(start)) = (thread_cpu_time(), cpu_started) {
            best_cpu = best_cpu.min(end.saturating_sub(start));
        }
        if round == 0 {
            // Metadata coverage, counted outside the timed loop (ours only, not the reference).
            for article in &articles {
                coverage.title += usize::from(article.title.is_some());
                coverage.authors += usize::from(!article.authors.is_empty());
                coverage.language += usize::from(article.language.is_some());
                coverage.site += usize::from(article.site.is_some());
                if let Some(p) = &article.published {
                    *coverage.published.entry(p.from.clone()).or_default() += 1;
                }
            }
            for ((id, _, _), body) in pages.iter().zip(bodies) {
                failures += usize::from(body.is_empty());
                predictions.insert(id.clone(), serde_json::json!({ "articleBody": body }));
            }
        }
    }

    let out_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let pred_path = out_dir.join(if reference {
        "dom-smoothie-plain.json"
    } else {
        "casebook-extraction.json"
    });
    let json = serde_json::to_string(&serde_json::Value::Object(predictions))
        .map_err(|e| format!("cannot serialise predictions: {e}"))?;
    std::fs::write(&pred_path, json)
        .map_err(|e| format!("cannot write {}: {e}", pred_path.display()))?;

    let seconds = best.as_secs_f64();
    println!(
        "extracted {} pages ({} empty) in {:.3} s (best of {repeat}) = {:.1} pages/s on one thread",
        pages.len(),
        failures,
        seconds,
        pages.len() as f64 / seconds
    );
    if best_cpu != Duration::MAX {
        // CPU time of this thread: what one core delivers even when other jobs share the machine.
        println!(
            "thread CPU time {:.3} s = {:.1} pages/s per core",
            best_cpu.as_secs_f64(),
            pages.len() as f64 / best_cpu.as_secs_f64()
        );
    }
    println!(
        "metadata found: title {}, authors {}, site {}, language {}, published {:?} (of {})",
        coverage.title,
        coverage.authors,
        coverage.site,
        coverage.language,
        coverage.published,
        pages.len()
    );
    println!("predictions: {}", pred_path.display());

    let scorer = bench_dir.join("../../tools/extraction_eval.py");
    let mut command = Command::new("python3");
    command
        .arg(&scorer)
        .arg(&pred_path)
        .arg("--truth")
        .arg(&truth_path);
    if let Some(n) = worst {
        command.arg("--worst").arg(n);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run {}: {e}", scorer.display()))?;
    if !status.success() {
        return Err(format!("{} failed: {status}", scorer.display()));
    }
    Ok(())
}

/// One measured round over every page: the bodies, and (ours only) the articles.
///
/// Never inlined, so that a profiler can count exactly the measured work:
/// `valgrind --tool=callgrind --toggle-collect='extraction::extract_all' BENCH --repeat 1`.
#[inline(never)]
fn extract_all(
    pages: &[(String, Option<String>, String)],
    reference: bool,
) -> (Vec<String>, Vec<casebook_model::Article>) {
    let mut bodies = Vec::with_capacity(pages.len());
    let mut articles = Vec::with_capacity(pages.len());
    for (id, url, html) in pages {
        let body = if reference {
            dom_smoothie_text(html)
        } else {
            match casebook_article::extract_html(id, html, url.as_deref()) {
                Ok(article) => {
                    let text = article.text();
                    articles.push(article);
                    text
                }
                Err(_) => String::new(),
            }
        };
        bodies.push(body);
    }
    (bodies, articles)
}

/// The reference: dom_smoothie alone, default settings, its own plain text (`--dom-smoothie`),
/// timed on the same machine at the same moment as ours.
fn dom_smoothie_text(html: &str) -> String {
    dom_smoothie::Readability::new(html, None, None)
        .and_then(|mut r| r.parse())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

/// How many pages yielded each metadata field; publication dates by where they were read.
#[derive(Default)]
struct Coverage {
    title: usize,
    authors: usize,
    site: usize,
    language: usize,
    published: BTreeMap<String, usize>,
}

/// CPU time consumed so far by the calling thread (Linux `/proc/thread-self/schedstat`, first
/// field, nanoseconds); `None` elsewhere.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
