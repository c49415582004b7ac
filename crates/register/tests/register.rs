//! The register's behaviour over hand-built articles: identity, events, review, audit, export.

mod common;

use casebook_model::Status;
use casebook_register::export::{export_csv, export_ftm, export_json};
use casebook_register::*;
use common::*;
use serde_json::Value;

fn open_tmp() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    (dir, store)
}

fn person_id(store: &SqliteStore, name: &str) -> String {
    let found = store.find_persons(name, 10).unwrap();
    assert_eq!(found.len(), 1, "exactly one person named {name}: {found:?}");
    found[0].id.clone()
}

fn json_export(store: &SqliteStore, public: bool) -> Value {
    let mut out = Vec::new();
    export_json(store, public, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn stores_articles_once_and_knows_people_again() {
    let (_dir, mut s) = open_tmp();
    let corpus = corpus();
    for item in &corpus {
        assert!(matches!(store(&mut s, item), StoreOutcome::Stored { .. }));
    }
    for item in &corpus {
        assert_eq!(store(&mut s, item), StoreOutcome::AlreadyStored);
    }
    let stats = s.stats().unwrap();
    assert_eq!(stats.articles, 3);
    assert_eq!(stats.originals, 3);
    // Emir Kaitov, Aider Ablyaev, Lenur Seitov, Zarema Osmanova.
    assert_eq!(stats.persons, 4);
    // Both reports of the detention on 4 September 2021 are one event with two sources.
    assert_eq!(stats.events, 3);
    assert_eq!(stats.cases, 1);
    assert!(s.integrity_check().unwrap().is_empty());

    let kaitov = person_id(&s, "Emir Kaitov");
    let file = s.case_file(&kaitov).unwrap();
    assert_eq!(file.person.articles, 2);
    assert_eq!(file.timeline.len(), 2);
    assert_eq!(file.timeline[0].event_type, "detention");
    assert_eq!(file.timeline[0].sources.len(), 2);
    assert_eq!(file.person.status, Status::PreTrialDetention);
    assert_eq!(file.cases.len(), 1);
    let seitov = person_id(&s, "Seitov");
    assert_eq!(
        s.case_file(&seitov).unwrap().person.status,
        Status::ServingSentence
    );
    // The original is kept byte for byte.
    assert_eq!(
        s.original_bytes(&corpus[0].0.sha256).unwrap(),
        corpus[0].0.bytes
    );
}

#[test]
fn uncertain_identity_becomes_a_claim_and_confirming_it_merges() {
    let (_dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    store(&mut s, &second_spelling_of_kaitov());
    let candidates = s
        .claims(&ClaimFilter {
            kind: Some(ClaimKind::SamePerson),
            ..ClaimFilter::default()
        })
        .unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!(s.stats().unwrap().persons, 5);
    let kaitov = person_id(&s, "Emir Kaitov");
    assert_eq!(s.case_file(&kaitov).unwrap().possible_duplicates.len(), 1);
    let d = s
        .decide(
            "rev",
            &Decision::Confirm {
                target: candidates[0].id.clone(),
            },
        )
        .unwrap();
    assert_eq!(s.stats().unwrap().persons, 4);
    let file = s.case_file(&kaitov).unwrap();
    assert!(file.person.names.contains(&"E. Kaitov".to_string()));
    assert_eq!(file.person.status, Status::ServingSentence);
    s.undo("rev", d.id).unwrap();
    assert_eq!(s.stats().unwrap().persons, 5);
}

#[test]
fn merge_split_and_undo_survive_a_rerun_of_a_newer_pipeline() {
    let (_dir, mut s) = open_tmp();
    let corpus = corpus();
    for item in &corpus {
        store(&mut s, item);
    }
    let kaitov = person_id(&s, "Emir Kaitov");
    let seitov = person_id(&s, "Lenur Seitov");
    let events_of = |s: &SqliteStore, id: &str| -> std::collections::BTreeSet<String> {
        s.case_file(id)
            .unwrap()
            .timeline
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    let both: std::collections::BTreeSet<String> = events_of(&s, &kaitov)
        .union(&events_of(&s, &seitov))
        .cloned()
        .collect();
    assert!(both.len() > events_of(&s, &kaitov).len());
    let merge = s
        .decide(
            "rev",
            &Decision::Merge {
                into: kaitov.clone(),
                from: seitov.clone(),
            },
        )
        .unwrap();
    assert_eq!(s.stats().unwrap().persons, 3);
    // The merged-away id leads to the person it was merged into, with their events.
    assert_eq!(s.case_file(&seitov).unwrap().person.id, kaitov);
    assert_eq!(events_of(&s, &kaitov), both);
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());

    // A newer pipeline reads the same articles again: the merge holds.
    for item in &corpus {
        let out = s
            .store_article(&item.0, &item.1, &provenance("v2"), &KeyResolver)
            .unwrap();
        assert!(matches!(out, StoreOutcome::Reanalysed { .. }), "{out:?}");
    }
    assert_eq!(s.stats().unwrap().persons, 3);
    assert_eq!(s.stats().unwrap().events, 3);
    let merged = s.case_file(&kaitov).unwrap();
    assert_eq!(merged.person.names.len(), 2);

    // Split the second name off again, as its own decision.
    let split = s
        .decide(
            "rev",
            &Decision::Split {
                person: kaitov.clone(),
                names: vec!["Lenur Seitov".into()],
            },
        )
        .unwrap();
    assert_eq!(s.stats().unwrap().persons, 4);
    assert_eq!(
        s.case_file(&kaitov).unwrap().person.names,
        vec!["Emir Kaitov".to_string()]
    );
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());
    // A new article naming the split-off person lands on the split person, not on Kaitov.
    let later = article(
        "a5.txt",
        &["Lenur Seitov was released in 2025."],
        &["Lenur Seitov"],
        vec![TestEvent {
            event_type: "release",
            victims: vec![0],
            date: Some(casebook_model::FuzzyDate::year(2025)),
            sentence: 0,
        }],
        &[],
    );
    store(&mut s, &later);
    assert_eq!(s.case_file(&kaitov).unwrap().person.names.len(), 1);
    assert_eq!(s.stats().unwrap().persons, 4);

    // Undo both: back to two separate machine persons.
    s.undo("rev", split.id).unwrap();
    assert_eq!(s.stats().unwrap().persons, 3);
    s.undo("rev", merge.id).unwrap();
    assert_eq!(s.stats().unwrap().persons, 4);
    assert_eq!(
        s.case_file(&seitov).unwrap().person.status,
        Status::Released
    );
    let err = s.undo("rev", merge.id).unwrap_err();
    assert!(err.to_string().contains("already undone"), "{err}");
    assert!(s.integrity_check().unwrap().is_empty());
}

#[test]
fn each_victims_events_follow_rereadings_and_a_drift_is_reported() {
    let (dir, mut s) = open_tmp();
    let detained = |victims: Vec<usize>| {
        article(
            "v.txt",
            &["Server Mustafayev and Emil Ziyadinov were detained in Bakhchysarai on 12 May 2023."],
            &["Server Mustafayev", "Emil Ziyadinov"],
            vec![TestEvent {
                event_type: "detention",
                victims,
                date: Some(casebook_model::FuzzyDate::year(2023)),
                sentence: 0,
            }],
            &[],
        )
    };
    store(&mut s, &detained(vec![0, 1]));
    let rows = |dir: &tempfile::TempDir| -> i64 {
        rusqlite::Connection::open(dir.path().join(STORE_FILE))
            .unwrap()
            .query_row("SELECT COUNT(*) FROM victim_events", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(rows(&dir), 2);
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());
    // A newer reading names one victim only: the other's row goes with the old report.
    let (original, analysed) = detained(vec![1]);
    s.store_article(&original, &analysed, &provenance("v2"), &KeyResolver)
        .unwrap();
    assert_eq!(rows(&dir), 1);
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());
    // A row changed beside the triggers is found.
    rusqlite::Connection::open(dir.path().join(STORE_FILE))
        .unwrap()
        .execute("DELETE FROM victim_events", [])
        .unwrap();
    let problems = s.integrity_check().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("victim_events")),
        "{problems:?}"
    );
}

#[test]
fn confirm_reject_and_edit_keep_through_a_rerun() {
    let (_dir, mut s) = open_tmp();
    let corpus = corpus();
    for item in &corpus {
        store(&mut s, item);
    }
    let kaitov = person_id(&s, "Emir Kaitov");
    let detention = s.case_file(&kaitov).unwrap().timeline[0].id.clone();
    s.decide(
        "rev",
        &Decision::Confirm {
            target: detention.clone(),
        },
    )
    .unwrap();
    let edit = s
        .decide(
            "rev",
            &Decision::Edit {
                target: kaitov.clone(),
                field: "status".into(),
                value: "released".into(),
            },
        )
        .unwrap();
    for item in &corpus {
        s.store_article(&item.0, &item.1, &provenance("v2"), &KeyResolver)
            .unwrap();
    }
    let file = s.case_file(&kaitov).unwrap();
    assert_eq!(file.timeline[0].review, ReviewState::Confirmed);
    assert_eq!(file.person.status, Status::Released);
    s.undo("rev", edit.id).unwrap();
    assert_eq!(
        s.case_file(&kaitov).unwrap().person.status,
        Status::PreTrialDetention
    );
    // Rejecting the custody event leaves the detention as the latest evidenced event.
    let custody = s.case_file(&kaitov).unwrap().timeline[1].id.clone();
    s.decide("rev", &Decision::Reject { target: custody })
        .unwrap();
    let file = s.case_file(&kaitov).unwrap();
    assert_eq!(file.timeline[1].review, ReviewState::Rejected);
    assert_eq!(file.person.status, Status::PreTrialDetention);
    let bad = s.decide(
        "rev",
        &Decision::Edit {
            target: kaitov,
            field: "status".into(),
            value: "fine".into(),
        },
    );
    assert!(matches!(bad, Err(RegisterError::Invalid(_))));
}

#[test]
fn unknown_ids_get_clear_errors_and_change_nothing() {
    let (_dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    let before = s.stats().unwrap();
    assert!(matches!(
        s.case_file("p-nobody"),
        Err(RegisterError::UnknownId { .. })
    ));
    assert!(matches!(
        s.decide(
            "rev",
            &Decision::Confirm {
                target: "c-nothing".into()
            }
        ),
        Err(RegisterError::UnknownId { .. })
    ));
    let kaitov = person_id(&s, "Emir Kaitov");
    assert!(matches!(
        s.decide(
            "rev",
            &Decision::Merge {
                into: kaitov,
                from: "p-nobody".into()
            }
        ),
        Err(RegisterError::UnknownId { .. })
    ));
    assert!(matches!(
        s.undo("rev", 999),
        Err(RegisterError::UnknownId { .. })
    ));
    assert!(matches!(
        s.find_persons("  !! ", 5),
        Err(RegisterError::Invalid(_))
    ));
    let after = s.stats().unwrap();
    assert_eq!(before.decisions, after.decisions);
    assert_eq!(before.audit_entries, after.audit_entries);
}

#[test]
fn a_store_from_a_newer_casebook_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let file = dir.path().join(STORE_FILE);
    let conn = rusqlite::Connection::open(&file).unwrap();
    let newer = SCHEMA_VERSION + 1;
    conn.pragma_update(None, "user_version", newer).unwrap();
    drop(conn);
    let err = SqliteStore::open(dir.path())
        .err()
        .expect("a newer store must be refused");
    assert!(matches!(err, RegisterError::NewerSchema { found, .. } if found == newer));
    assert!(err.to_string().contains("newer"), "{err}");
    let conn = rusqlite::Connection::open(&file).unwrap();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, newer);
}

#[test]
fn a_file_that_is_no_store_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(STORE_FILE),
        b"this is not a database, just some text",
    )
    .unwrap();
    let err = SqliteStore::open(dir.path()).err().expect("must fail");
    assert!(matches!(err, RegisterError::Corrupt { .. }), "{err}");
}

#[test]
fn audit_chain_shows_tampering() {
    let (dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    let kaitov = person_id(&s, "Emir Kaitov");
    set_visibility(&mut s, &kaitov, None, Visibility::Initials);
    let report = s.verify_audit().unwrap();
    assert_eq!(report.entries, 4);
    assert_eq!(report.broken, None);
    drop(s);

    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE)).unwrap();
    // The log refuses ordinary edits ...
    assert!(conn
        .execute("UPDATE audit SET actor = 'someone' WHERE seq = 2", [])
        .is_err());
    // ... and whoever drops the guard to rewrite history is caught by the chain.
    conn.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone' WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);
    let s = SqliteStore::open(dir.path()).unwrap();
    let report = s.verify_audit().unwrap();
    assert_eq!(report.broken.as_ref().map(|b| b.0), Some(2), "{report:?}");
    assert!(!s.integrity_check().unwrap().is_empty());
}

#[test]
fn two_writers_at_once_neither_fails_nor_corrupts() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut s = SqliteStore::open(&path).unwrap();
                for i in 0..40 {
                    let name = format!("Person Number{w}x{i}");
                    let shared = "Emir Kaitov";
                    let text = format!("{name} and {shared} were searched in 2020.");
                    let item = article(
                        &format!("w{w}-{i}.txt"),
                        &[&text],
                        &[&name, shared],
                        vec![TestEvent {
                            event_type: "search",
                            victims: vec![0, 1],
                            date: None,
                            sentence: 0,
                        }],
                        &[],
                    );
                    store(&mut s, &item);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a writer failed");
    }
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.stats().unwrap().articles, 80);
    assert_eq!(s.stats().unwrap().persons, 81);
    assert!(s.integrity_check().unwrap().is_empty());
}

#[test]
fn json_export_has_the_documented_shape() {
    let (_dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    let doc = json_export(&s, false);
    let persons = doc["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 4);
    for p in persons {
        assert!(
            p["id"].is_string()
                && p["name"].is_string()
                && p["names"].is_array()
                && p["status"].is_string()
        );
    }
    let articles = doc["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 3);
    assert_eq!(articles[0]["source"], "a1.txt");
    let m = &articles[0]["mentions"][0];
    assert!(
        m["person"].is_string() && m["text"] == "Emir Kaitov" && m["start"] == 22 && m["end"] == 33
    );
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    for e in events {
        assert!(e["type"].is_string() && e["victims"].is_array() && e["perpetrators"].is_array());
        assert_eq!(e["review"], "suggested");
        let src = &e["sources"][0];
        assert!(
            src["article"].is_string()
                && src["text"].is_string()
                && src["start"].is_u64()
                && src["end"].is_u64()
        );
    }
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["defendants"].as_array().unwrap().len(), 2);
    assert_eq!(cases[0]["events"].as_array().unwrap().len(), 2);
}

#[test]
fn public_export_holds_only_confirmed_facts_and_protects_people() {
    let (_dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    assert_eq!(
        json_export(&s, true)["persons"].as_array().unwrap().len(),
        0
    );
    let seitov = person_id(&s, "Lenur Seitov");
    let osmanova = person_id(&s, "Zarema Osmanova");
    s.decide(
        "rev",
        &Decision::Confirm {
            target: seitov.clone(),
        },
    )
    .unwrap();
    s.decide(
        "rev",
        &Decision::Confirm {
            target: osmanova.clone(),
        },
    )
    .unwrap();
    set_visibility(&mut s, &osmanova, None, Visibility::Hidden);
    set_visibility(&mut s, &seitov, None, Visibility::Initials);
    let sentence = s
        .case_file(&seitov)
        .unwrap()
        .timeline
        .last()
        .unwrap()
        .id
        .clone();
    s.decide("rev", &Decision::Confirm { target: sentence })
        .unwrap();

    let doc = json_export(&s, true);
    let text = doc.to_string();
    assert!(
        !text.contains("Osmanova") && !text.contains("Zarema"),
        "hidden witness leaked"
    );
    assert!(!text.contains("Seitov"), "initials-only person leaked");
    let persons = doc["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["name"], "L. S.");
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["sources"][0]["text"],
        "A court sentenced L. S. to 13 years in a strict-regime colony in 2023."
    );
    assert_eq!(doc["cases"].as_array().unwrap().len(), 0);
    // The team export is complete.
    let full = json_export(&s, false).to_string();
    assert!(full.contains("Zarema Osmanova"));

    let dir = tempfile::tempdir().unwrap();
    export_csv(&s, true, dir.path()).unwrap();
    let persons_csv = std::fs::read_to_string(dir.path().join("persons.csv")).unwrap();
    assert_eq!(persons_csv.lines().count(), 2);
    assert!(!persons_csv.contains("Osmanova"));
    let mut ftm = Vec::new();
    export_ftm(&s, true, &mut ftm).unwrap();
    let ftm = String::from_utf8(ftm).unwrap();
    assert!(!ftm.contains("Osmanova") && !ftm.contains("Seitov"));
    for line in ftm.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["id"].is_string() && v["schema"].is_string() && v["properties"].is_object());
    }
}

#[test]
fn full_csv_and_ftm_exports_cover_every_record_type() {
    let (_dir, mut s) = open_tmp();
    for item in &corpus() {
        store(&mut s, item);
    }
    let dir = tempfile::tempdir().unwrap();
    export_csv(&s, false, dir.path()).unwrap();
    let count = |f: &str| {
        std::fs::read_to_string(dir.path().join(f))
            .unwrap()
            .lines()
            .count()
            - 1
    };
    assert_eq!(count("persons.csv"), 4);
    assert_eq!(count("articles.csv"), 3);
    assert_eq!(count("events.csv"), 3);
    assert_eq!(count("event_sources.csv"), 4);
    // Rows citing an article carry its title and date, as articles.csv has them.
    let table = |f: &str| -> Vec<std::collections::HashMap<String, String>> {
        let mut r = csv::Reader::from_path(dir.path().join(f)).unwrap();
        let header = r.headers().unwrap().clone();
        r.records()
            .map(|row| {
                let row = row.unwrap();
                header
                    .iter()
                    .map(str::to_string)
                    .zip(row.iter().map(str::to_string))
                    .collect()
            })
            .collect()
    };
    let articles = table("articles.csv");
    for f in ["event_sources.csv", "mentions.csv"] {
        let rows = table(f);
        assert!(!rows.is_empty(), "{f}");
        for row in rows {
            let a = articles.iter().find(|a| a["id"] == row["article"]).unwrap();
            assert!(!a["title"].is_empty());
            assert_eq!(row["article_title"], a["title"], "{f}");
            assert_eq!(row["article_published"], a["published"], "{f}");
        }
    }
    assert_eq!(count("cases.csv"), 1);
    assert_eq!(count("case_defendants.csv"), 2);
    let mut ftm = Vec::new();
    export_ftm(&s, false, &mut ftm).unwrap();
    let schemas: Vec<String> = String::from_utf8(ftm)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["schema"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for schema in [
        "Person",
        "Article",
        "Documentation",
        "Event",
        "CourtCase",
        "CourtCaseParty",
    ] {
        assert!(schemas.iter().any(|s| s == schema), "no {schema}");
    }
    assert_eq!(schemas.iter().filter(|s| *s == "Person").count(), 4);
}

#[test]
fn a_bulk_ingest_copies_its_log_back_on_its_own_thread_and_closes_clean() {
    let (dir, mut s) = open_tmp();
    let file = dir.path().join(STORE_FILE);
    s.prepare_bulk_ingest().unwrap();
    let before = std::fs::metadata(&file).unwrap().len();
    let items = corpus();
    let batch: Vec<(&Original, &AnalysedArticle)> = items.iter().map(|(o, a)| (o, a)).collect();
    s.store_batch(&batch, &provenance("v1"), &KeyResolver)
        .unwrap();
    // The commit only appended to the log (the writer no longer checkpoints); the checkpoint
    // thread copies it into the store file within about a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::metadata(&file).unwrap().len() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the store file never received the commit"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(s);
    assert!(!dir.path().join(format!("{}-wal", STORE_FILE)).exists());
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());
    assert_eq!(s.stats().unwrap().articles, items.len() as u64);
}
