//! Writes made outside the register (accounts, watchlists) join its hash-chained audit log.

use casebook_register::{SqliteStore, Store};

#[test]
fn recorded_actions_join_the_audit_chain_with_their_actor() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let before = store.verify_audit().unwrap().entries;
    store
        .record_action(
            "amina",
            "account_create",
            "bekir",
            &serde_json::json!({"role": "analyst"}),
        )
        .unwrap();
    store
        .record_action(
            "bekir",
            "watch_add",
            "person",
            &serde_json::json!({"value": "Emil Ziyadinov"}),
        )
        .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(report.entries, before + 2);
    assert!(report.broken.is_none(), "{:?}", report.broken);
    let entries = store.audit_entries(0, 100).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.actor, "bekir");
    assert_eq!(last.action, "watch_add");
    assert_eq!(last.payload["value"], "Emil Ziyadinov");
    assert_eq!(entries[entries.len() - 2].actor, "amina");
    // An entry without an actor is refused, not written.
    assert!(store
        .record_action("", "account_create", "x", &serde_json::json!({}))
        .is_err());
    assert_eq!(store.verify_audit().unwrap().entries, before + 2);
}

#[test]
fn an_unknown_article_is_named_in_the_error_and_titles_skip_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    match store.article_text("no-such-article") {
        Err(casebook_register::RegisterError::UnknownId { kind, id }) => {
            assert_eq!((kind, id.as_str()), ("article", "no-such-article"));
        }
        other => panic!("expected UnknownId, got {other:?}"),
    }
    assert!(store
        .article_titles(&["no-such-article".to_string()])
        .unwrap()
        .is_empty());
}
