//! `casebook user add` through the built binary: the account is created and the creation is in the
//! register's audit log under who ran the command, never with the password.

mod common;

use casebook_register::{SqliteStore, Store};
use common::{casebook, ok};

#[test]
fn user_add_is_recorded_in_the_audit_log_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(casebook(dir.path())
        .args([
            "user",
            "add",
            "amina",
            "--role",
            "admin",
            "--by",
            "root@host",
        ])
        .env("CASEBOOK_PASSWORD", "a long first password"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("added amina (admin)"));
    let store = SqliteStore::open(dir.path()).unwrap();
    let entries = store.audit_entries(0, 100).unwrap();
    let entry = entries
        .iter()
        .find(|e| e.action == "account_create")
        .expect("the account creation is audited");
    assert_eq!(entry.actor, "root@host");
    assert_eq!(entry.target, "amina");
    assert_eq!(entry.payload["role"], "admin");
    assert!(!entry.payload.to_string().contains("first password"));
    assert!(store.verify_audit().unwrap().broken.is_none());
    // A refused account (too short a password) writes nothing.
    let out = casebook(dir.path())
        .args(["user", "add", "bekir"])
        .env("CASEBOOK_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        store.audit_entries(0, 100).unwrap().len(),
        entries.len(),
        "a refused account left an audit entry"
    );
}
