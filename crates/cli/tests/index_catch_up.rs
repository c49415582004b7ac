//! The search index after a killed ingest: `stats --check` reports what the store holds and the
//! index lacks, and the next ingest indexes it.

mod common;

use casebook_register::synthetic::Generator;
use casebook_register::{SqliteStore, Store};
use casebook_search::{Kind, SearchIndex};
use common::Scratch;
use std::path::Path;
use std::process::{Command, Output};

fn casebook(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn write_articles(dir: &Path, from: u64, to: u64) {
    std::fs::create_dir_all(dir).unwrap();
    let g = Generator::new(23, 300);
    for i in from..to {
        let (_, bytes) = g.article(i);
        std::fs::write(dir.join(format!("{i:05}.txt")), bytes).unwrap();
    }
}

#[test]
fn articles_stored_but_never_indexed_are_reported_and_indexed_by_the_next_ingest() {
    let scratch = Scratch::new("index-catch-up");
    let data = scratch.0.join("data");
    let first = scratch.0.join("first");
    let second = scratch.0.join("second");
    write_articles(&first, 0, 6);
    write_articles(&second, 6, 20);

    let out = casebook(&data, &["ingest", first.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = casebook(&data, &["stats", "--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A run killed after storing and before indexing leaves the same state as one without the index.
    let out = casebook(&data, &["ingest", "--no-index", second.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = SqliteStore::open(&data).unwrap().record_ids().unwrap();
    assert_eq!(stored.articles.len(), 20);
    let indexed = SearchIndex::open_or_create(data.join("index"))
        .unwrap()
        .ids(Kind::Article)
        .unwrap();
    assert_eq!(indexed.len(), 6);
    let missing = stored.articles.difference(&indexed).next().unwrap().clone();

    let out = casebook(&data, &["stats", "--check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(
        report.contains("20 articles in the store, 6 in the index"),
        "{report}"
    );
    assert!(
        report.contains("search index lacks 14 articles"),
        "{report}"
    );
    assert!(report.contains(&missing), "{report}");

    // The next ingest, even of nothing new, fills the index first.
    let out = casebook(&data, &["ingest", first.to_str().unwrap()]);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("the search index was behind the store"),
        "{log}"
    );
    let index = SearchIndex::open_or_create(data.join("index")).unwrap();
    assert_eq!(index.ids(Kind::Article).unwrap(), stored.articles);
    assert_eq!(index.ids(Kind::Event).unwrap(), stored.events);
    let out = casebook(&data, &["stats", "--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
