//! The audit chain anchored outside the store, and the reviewers' state replayed from it: a
//! deleted tail, a rewritten tail with recomputed hashes, and a visibility row changed by direct
//! SQL are all reported, where the chain alone saw nothing.

mod common;

use casebook_register::*;
use casebook_register::{audit_hash, STORE_FILE};
use common::*;
use rusqlite::Connection;

fn seeded() -> (tempfile::TempDir, SqliteStore, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    for item in &corpus() {
        store(&mut s, item);
    }
    let osmanova = s.find_persons("Zarema Osmanova", 10).unwrap()[0].id.clone();
    set_visibility(&mut s, &osmanova, None, Visibility::Hidden);
    (dir, s, osmanova)
}

/// The store's file opened as an attacker with SQL access would, triggers dropped.
fn tamper(dir: &tempfile::TempDir) -> Connection {
    let conn = Connection::open(dir.path().join(STORE_FILE)).unwrap();
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .unwrap();
    conn
}

#[test]
fn deleting_the_last_entries_breaks_the_anchor_though_the_chain_still_verifies() {
    let (dir, mut s, _) = seeded();
    s.record_action(
        "amina",
        "account_create",
        "dilyara",
        &serde_json::json!({"role": "viewer"}),
    )
    .unwrap();
    let anchor = s.audit_head().unwrap().unwrap();
    assert_eq!(anchor.seq, 5);
    assert!(s.verify_audit_anchor(&anchor, None).unwrap().is_empty());

    tamper(&dir)
        .execute("DELETE FROM audit WHERE seq > 3", [])
        .unwrap();
    assert_eq!(
        s.verify_audit().unwrap().broken,
        None,
        "the chain alone cannot see a cut tail"
    );
    let problems = s.verify_audit_anchor(&anchor, None).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("ends at entry 3, before the anchored entry 5")),
        "{problems:?}"
    );
}

#[test]
fn a_rewritten_tail_with_recomputed_hashes_differs_from_the_anchor() {
    let (dir, s, _) = seeded();
    let key = b"a key kept on the operator's laptop";
    let anchor = s.audit_head().unwrap().unwrap().signed(key);
    assert!(s
        .verify_audit_anchor(&anchor, Some(key))
        .unwrap()
        .is_empty());

    // Rewrite entry 2 and recompute every hash after it, as an attacker with the store would.
    let conn = tamper(&dir);
    let entries = s.audit_entries(1, 100).unwrap();
    let mut prev = entries[0].hash.clone();
    for e in &entries[1..] {
        let actor = if e.seq == 2 {
            "someone-else"
        } else {
            e.actor.as_str()
        };
        let payload = e.payload.to_string();
        let hash = audit_hash(e.seq, &e.at, actor, &e.action, &e.target, &payload, &prev);
        conn.execute(
            "UPDATE audit SET actor = ?2, payload = ?3, prev_hash = ?4, hash = ?5 WHERE seq = ?1",
            rusqlite::params![e.seq, actor, payload, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    assert_eq!(
        s.verify_audit().unwrap().broken,
        None,
        "the chain alone verifies a rewrite"
    );
    let problems = s.verify_audit_anchor(&anchor, Some(key)).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&format!("entry {} differs from the anchor", anchor.seq))),
        "{problems:?}"
    );
    // A forged anchor (the new head, with a MAC made without the key) is caught by its MAC.
    let forged = s
        .audit_head()
        .unwrap()
        .unwrap()
        .signed(b"the attacker's own guess at a key");
    let problems = s.verify_audit_anchor(&forged, Some(key)).unwrap();
    assert!(
        problems.iter().any(|p| p.contains("MAC does not match")),
        "{problems:?}"
    );
}

#[test]
fn a_visibility_row_changed_by_direct_sql_does_not_replay_from_the_log() {
    let (dir, s, osmanova) = seeded();
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());
    assert!(s.replay_problems().unwrap().is_empty());

    let conn = Connection::open(dir.path().join(STORE_FILE)).unwrap();
    conn.execute(
        "UPDATE visibility SET level = 'public' WHERE person = ?1",
        [&osmanova],
    )
    .unwrap();
    assert_eq!(s.verify_audit().unwrap().broken, None);
    let problems = s.integrity_check().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("visibility row") && p.contains(&osmanova) && p.contains("public")),
        "{problems:?}"
    );

    // A row slipped in without a decision, and a decision row edited, are reported too.
    conn.execute(
        "UPDATE visibility SET level = 'hidden' WHERE person = ?1",
        [&osmanova],
    )
    .unwrap();
    assert!(s.replay_problems().unwrap().is_empty());
    conn.execute(
        "UPDATE decisions SET payload = replace(payload, 'hidden', 'public')",
        [],
    )
    .unwrap();
    let problems = s.replay_problems().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("differs from what the audit log recorded")),
        "{problems:?}"
    );
}
