//! The register through the built `casebook` binary: a killed ingest, two ingests at once with a
//! reader, and clear errors for bad input.

mod common;

use casebook_register::synthetic::Generator;
use casebook_register::{SqliteStore, Store};
use common::Scratch;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn casebook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
}

fn write_corpus(dir: &Path, n: u64) {
    let g = Generator::new(11, 300);
    for i in 0..n {
        let (_, bytes) = g.article(i);
        std::fs::write(dir.join(format!("{i:05}.txt")), bytes).unwrap();
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

fn counts(data: &Path) -> (u64, u64, u64, u64) {
    let s = SqliteStore::open(data).unwrap();
    let st = s.stats().unwrap();
    (st.articles, st.persons, st.mentions, st.events)
}

#[test]
fn an_ingest_killed_midway_leaves_whole_articles_and_finishes_when_run_again() {
    let scratch = Scratch::new("crash");
    let inputs = scratch.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    write_corpus(&inputs, 150);
    let data = scratch.0.join("data");

    let mut child = casebook()
        .arg("--data")
        .arg(&data)
        // Small batches, so that the kill comes between commits of one ingest.
        .args(["ingest", "--no-index", "--batch", "8"])
        .arg(&inputs)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let stored = data.join("register.sqlite3").exists()
            && SqliteStore::open(&data)
                .map(|s| s.stats().map(|st| st.articles).unwrap_or(0))
                .unwrap_or(0)
                >= 10;
        if stored || Instant::now() > deadline {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = SqliteStore::open(&data).unwrap();
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
    let killed_at = store.stats().unwrap().articles;
    assert!(
        (10..150).contains(&killed_at),
        "killed after {killed_at} articles"
    );
    drop(store);

    let out = run(casebook()
        .arg("--data")
        .arg(&data)
        .args(["ingest", "--no-index"])
        .arg(&inputs));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(
        msg.contains(&format!("{killed_at} already stored")),
        "{msg}"
    );

    // The resumed register equals one ingested without interruption.
    let clean = scratch.0.join("clean");
    let out = run(casebook()
        .arg("--data")
        .arg(&clean)
        .args(["ingest", "--no-index"])
        .arg(&inputs));
    assert!(out.status.success());
    assert_eq!(counts(&data), counts(&clean));
    assert_eq!(counts(&data).0, 150);
    let out = run(casebook()
        .arg("--data")
        .arg(&data)
        .args(["stats", "--check"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn two_ingests_and_a_reader_at_once_neither_lock_nor_corrupt() {
    let scratch = Scratch::new("concurrent");
    let inputs = scratch.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    write_corpus(&inputs, 80);
    let data = scratch.0.join("data");
    // Create the store first so both writers race on ingest, not on creation.
    drop(SqliteStore::open(&data).unwrap());

    let spawn = || {
        casebook()
            .arg("--data")
            .arg(&data)
            .arg("ingest")
            .arg(&inputs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let reader_data = data.clone();
    let reader = std::thread::spawn(move || {
        let store = SqliteStore::open(&reader_data).unwrap();
        for _ in 0..50 {
            store.stats().unwrap();
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.contains("locked"), "{err}");
    }
    reader.join().unwrap();
    let store = SqliteStore::open(&data).unwrap();
    assert_eq!(store.stats().unwrap().articles, 80);
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn review_list_names_each_claims_article_by_title_not_hash() {
    let scratch = Scratch::new("review-list");
    let inputs = scratch.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    write_corpus(&inputs, 3);
    let data = scratch.0.join("data");
    let cli = |args: &[&str]| {
        let out = run(casebook().arg("--data").arg(&data).args(args));
        assert!(out.status.success(), "{args:?}: {out:?}");
        out.stdout
    };
    cli(&["ingest", "--no-index", inputs.to_str().unwrap()]);

    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&cli(&["review", "list", "--json", "--limit", "20"])).unwrap();
    assert!(!rows.is_empty());
    let store = SqliteStore::open(&data).unwrap();
    for row in &rows {
        let article = row["article"].as_str().unwrap().to_string();
        let meta = store
            .article_meta_of(std::slice::from_ref(&article))
            .unwrap();
        let title = &meta[&article].title;
        assert!(!title.is_empty() && !title.contains(&article), "{row}");
        assert_eq!(
            row["source"]["title"].as_str(),
            Some(title.as_str()),
            "{row}"
        );
    }

    let text = String::from_utf8(cli(&["review", "list", "--limit", "20"])).unwrap();
    assert_eq!(text.lines().count(), rows.len());
    for (line, row) in text.lines().zip(&rows) {
        let title = row["source"]["title"].as_str().unwrap();
        assert!(line.contains(&format!("[{title}")), "{line}");
    }
}

#[test]
fn bad_input_gets_a_clear_error() {
    let scratch = Scratch::new("bad");
    let data = scratch.0.join("data");
    let check = |args: &[&str], expect: &str| {
        let out = run(casebook().arg("--data").arg(&data).args(args));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(expect), "{args:?}: {err}");
    };
    check(&["person", "p-0000000000000000"], "no person with id");
    check(
        &["review", "confirm", "c-nothing"],
        "no claim, event, case or person",
    );
    check(&["review", "undo", "999"], "no decision");
    check(
        &["review", "list", "--state", "maybe"],
        "unknown review state",
    );
    check(&["export", "--format", "xml"], "unknown export format");
    check(&["export", "--format", "csv"], "--out DIR");
    check(
        &["ingest", "/no/such/input.txt"],
        "cannot read /no/such/input.txt",
    );
    let conn = rusqlite_free_user_version(&data, casebook_register::SCHEMA_VERSION + 1);
    assert!(conn);
    check(&["stats"], "newer than this casebook");
}

/// Sets the store's schema version through the sqlite3 file header (bytes 60..64), as a newer
/// casebook would have left it.
fn rusqlite_free_user_version(data: &Path, version: u32) -> bool {
    let path = data.join("register.sqlite3");
    // Make sure everything is checkpointed into the main file first.
    drop(SqliteStore::open(data).unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[60..64].copy_from_slice(&version.to_be_bytes());
    std::fs::write(&path, bytes).unwrap();
    true
}
