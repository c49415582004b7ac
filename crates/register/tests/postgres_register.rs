//! A register on PostgreSQL through `PostgresRegister`: its audit log (one unbroken chain under
//! concurrent writers; the same verification, anchoring and replay as on SQLite) and its reads of
//! persons, events, cases and counts, each written once for both backends. Needs the server
//! `scripts/test` starts.

mod common;

use casebook_register::store_copy::{copy_register, Location};
use casebook_register::{Decision, PostgresRegister, SqliteStore, Store, Visibility};
use common::postgres::TestDatabase;
use common::*;

#[test]
fn concurrent_writers_extend_one_unbroken_chain() {
    let db = TestDatabase::new("audit_writers");
    PostgresRegister::connect(&db.url).unwrap();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let url = db.url.clone();
            std::thread::spawn(move || {
                let mut register = PostgresRegister::connect(&url).unwrap();
                for i in 0..40 {
                    let payload = serde_json::json!({"writer": w, "n": i});
                    register
                        .record_action(&format!("writer{w}"), "watch_add", "watchlist", &payload)
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let register = PostgresRegister::connect(&db.url).unwrap();
    let report = register.verify_audit().unwrap();
    assert_eq!((report.entries, report.broken), (160, None));
    let entries = register.audit_entries(1, 1000).unwrap();
    let seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=160).collect::<Vec<_>>());
    // Every writer's every entry is there, each once.
    for w in 0..4 {
        let mine = entries
            .iter()
            .filter(|e| e.actor == format!("writer{w}"))
            .count();
        assert_eq!(mine, 40);
    }
    let mut refused = PostgresRegister::connect(&db.url).unwrap();
    assert!(refused
        .record_action(" ", "x", "y", &serde_json::json!({}))
        .is_err());
}

#[test]
fn a_copied_registers_log_verifies_anchors_and_replays_and_tampering_is_found() {
    let src = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(src.path()).unwrap();
    for item in &corpus() {
        store(&mut s, item);
    }
    let kaitov = s.find_persons("Emir Kaitov", 1).unwrap()[0].id.clone();
    let claim = s.case_file(&kaitov).unwrap().timeline[0].id.clone();
    s.decide("rev", &Decision::Confirm { target: claim })
        .unwrap();
    set_visibility(&mut s, &kaitov, None, Visibility::Hidden);
    let head = s.audit_head().unwrap().unwrap();
    drop(s);
    let db = TestDatabase::new("audit_copied");
    copy_register(
        &Location::Directory(src.path().to_path_buf()),
        &Location::Postgres(db.url.clone()),
        &mut |_| {},
    )
    .unwrap();

    let register = PostgresRegister::connect(&db.url).unwrap();
    assert_eq!(
        register.schema_version().unwrap(),
        casebook_register::SCHEMA_VERSION
    );
    assert_eq!(register.audit_head().unwrap(), Some(head.clone()));
    assert_eq!(
        register.verify_audit_anchor(&head, None).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(register.replay_problems().unwrap(), Vec::<String>::new());

    // A hidden person made public beside the log, and an entry rewritten in place.
    let mut client = db.client();
    client
        .batch_execute("UPDATE visibility SET level = 'public'")
        .unwrap();
    let replayed = register.replay_problems().unwrap();
    assert!(
        replayed.iter().any(|p| p.contains("visibility row")),
        "{replayed:?}"
    );
    client
        .batch_execute(
            "ALTER TABLE audit DISABLE TRIGGER USER;
             UPDATE audit SET actor = 'someone else' WHERE seq = 2;
             ALTER TABLE audit ENABLE TRIGGER USER;",
        )
        .unwrap();
    let report = register.verify_audit().unwrap();
    assert_eq!(report.broken.map(|(seq, _)| seq), Some(2));
    let anchored = register.verify_audit_anchor(&head, None).unwrap();
    assert!(
        anchored.iter().any(|p| p.starts_with("audit entry 2")),
        "{anchored:?}"
    );
}

/// The reads written once over the SQL seam give the same records from a register and its copy
/// in PostgreSQL: counts, every person (status derived or edited, visibility), event (victims,
/// perpetrators, sources, reviewers' edits) and case.
#[test]
fn a_copied_register_reads_the_same_persons_events_cases_and_counts() {
    let src = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(src.path()).unwrap();
    for item in &corpus() {
        store(&mut s, item);
    }
    // A second spelling that may be the same person: an open merge candidate on the case file.
    store(&mut s, &second_spelling_of_kaitov());
    let kaitov = s.find_persons("Emir Kaitov", 1).unwrap()[0].id.clone();
    let seitov = s.find_persons("Lenur Seitov", 1).unwrap()[0].id.clone();
    let timeline = s.case_file(&kaitov).unwrap().timeline;
    s.decide(
        "rev",
        &Decision::Reject {
            target: timeline[1].id.clone(),
        },
    )
    .unwrap();
    s.decide(
        "rev",
        &Decision::Edit {
            target: timeline[0].id.clone(),
            field: "place".into(),
            value: "Bakhchysarai".into(),
        },
    )
    .unwrap();
    s.decide(
        "rev",
        &Decision::Edit {
            target: seitov.clone(),
            field: "status".into(),
            value: "released".into(),
        },
    )
    .unwrap();
    set_visibility(&mut s, &kaitov, Some("names"), Visibility::Initials);
    let db = TestDatabase::new("reads");
    copy_register(
        &Location::Directory(src.path().to_path_buf()),
        &Location::Postgres(db.url.clone()),
        &mut |_| {},
    )
    .unwrap();
    let pg = PostgresRegister::connect(&db.url).unwrap();

    assert_eq!(pg.stats().unwrap(), s.stats().unwrap());
    assert_eq!(pg.person(&seitov).unwrap(), s.person(&seitov).unwrap());
    fn all<T: serde::Serialize>(
        visit: impl FnOnce(
            &mut dyn FnMut(T) -> casebook_register::Result<()>,
        ) -> casebook_register::Result<()>,
    ) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        visit(&mut |r| {
            out.push(serde_json::to_value(r).unwrap());
            Ok(())
        })
        .unwrap();
        out
    }
    let persons = all(|f| s.visit_persons(f));
    assert!(persons.len() >= 4);
    assert_eq!(all(|f| pg.visit_persons(f)), persons);
    let events = all(|f| s.visit_events(f));
    assert!(
        events.iter().any(|e| e["place"] == "Bakhchysarai"),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e["perpetrators"][0] == "FSB"),
        "{events:?}"
    );
    assert_eq!(all(|f| pg.visit_events(f)), events);
    let cases = all(|f| s.visit_cases(f));
    assert_eq!(cases.len(), 1);
    assert_eq!(all(|f| pg.visit_cases(f)), cases);
    assert!(matches!(
        pg.person("p-nobody"),
        Err(casebook_register::RegisterError::UnknownId { .. })
    ));
    // Every person's case file (timeline, cases, role words, open merge candidates) and the search.
    let kaitov_file = s.case_file(&kaitov).unwrap();
    assert_eq!(kaitov_file.possible_duplicates.len(), 1);
    assert!(!kaitov_file.cases.is_empty());
    for person in &persons {
        let id = person["id"].as_str().unwrap();
        assert_eq!(
            serde_json::to_value(pg.case_file(id).unwrap()).unwrap(),
            serde_json::to_value(s.case_file(id).unwrap()).unwrap(),
            "{id}"
        );
    }
    assert_eq!(
        pg.find_persons("kaitov", 10).unwrap(),
        s.find_persons("kaitov", 10).unwrap()
    );
}
