//! `casebook migrate-store` through the built binary: a data directory (register, accounts, the
//! monitor's state) into PostgreSQL and back into another directory gives the same stores; a
//! database that holds them is never overwritten. Needs the PostgreSQL server `scripts/test` starts.

mod common;
#[path = "../../register/tests/common/postgres.rs"]
mod pg;

use casebook_register::synthetic::Generator;
use casebook_register::Store;
use common::{casebook, ok, Scratch};

#[test]
fn a_data_directory_goes_to_postgres_and_back_through_the_command() {
    let scratch = Scratch::new("migrate-store");
    let inputs = scratch.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let g = Generator::new(5, 40);
    for i in 0..40 {
        std::fs::write(inputs.join(format!("{i:03}.txt")), g.article(i).1).unwrap();
    }
    let (first, second) = (scratch.0.join("first"), scratch.0.join("second"));
    ok(casebook(&first).args(["ingest", "--no-index"]).arg(&inputs));
    ok(casebook(&first)
        .args(["user", "add", "amina", "--role", "admin"])
        .env("CASEBOOK_PASSWORD", "a long enough passphrase"));
    ok(casebook(&first).args(["watch", "add", "https://news.example.org/feed.xml"]));
    let db = pg::TestDatabase::new("cli");
    // The password is given but never printed.
    let url = db.url.replacen("://casebook@", "://casebook:not-shown@", 1);

    let out = ok(casebook(&first).arg("migrate-store").arg(&first).arg(&url));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("every table verified"), "{said}");
    // The account's creation is audited too: 41 entries.
    assert!(
        said.contains("audit chain of 41 entries verifies"),
        "{said}"
    );
    assert!(
        said.contains("copied the accounts") && said.contains("copied the monitor"),
        "{said}"
    );
    assert!(!said.contains("not-shown"), "{said}");
    ok(casebook(&second)
        .arg("migrate-store")
        .arg(&url)
        .arg(&second));
    let stats = |data| String::from_utf8(ok(casebook(data).arg("stats")).stdout).unwrap();
    assert_eq!(stats(&second), stats(&first));
    assert!(stats(&first).contains("40"), "{}", stats(&first));
    // The register in PostgreSQL reads the same counts, and its audit log verifies and replays.
    let without_size = |text: String| -> String {
        text.lines()
            .filter(|l| !l.starts_with("data directory"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let in_postgres = std::path::PathBuf::from(&url);
    assert_eq!(
        without_size(stats(&in_postgres)),
        without_size(stats(&first))
    );
    let verified =
        String::from_utf8(ok(casebook(&in_postgres).args(["audit", "verify"])).stdout).unwrap();
    assert!(
        verified.contains("audit log intact: 41 entries"),
        "{verified}"
    );
    // A case file reads the same from there.
    let mut persons = Vec::new();
    casebook_register::SqliteStore::open(&first)
        .unwrap()
        .visit_persons(&mut |p| {
            persons.push(p.id);
            Ok(())
        })
        .unwrap();
    for id in persons.iter().take(5) {
        let file = |data| {
            String::from_utf8(ok(casebook(data).args(["person", id, "--json"])).stdout).unwrap()
        };
        assert_eq!(file(&in_postgres), file(&first), "{id}");
    }
    // The account logs in on the copy, and the watched feed is there.
    let accounts = casebook_web::accounts::Accounts::open(&second).unwrap();
    assert!(accounts
        .verify("amina", "a long enough passphrase")
        .unwrap()
        .is_some());
    let sources = String::from_utf8(ok(casebook(&second).args(["watch", "list"])).stdout).unwrap();
    assert!(
        sources.contains("https://news.example.org/feed.xml"),
        "{sources}"
    );

    // Each store's copy carries every table its SQLite file has, and both backends agree on its
    // schema version.
    for store in [
        &casebook_register::store_copy::REGISTER,
        &casebook_web::accounts::STORE,
        &casebook_monitor::state::STORE,
    ] {
        let conn = rusqlite::Connection::open(first.join(store.file)).unwrap();
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'schema_migrations')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut copied: Vec<String> = store.tables.iter().map(|t| t.to_string()).collect();
        tables.sort();
        copied.sort();
        assert_eq!(tables, copied, "{}", store.name);
        assert_eq!(
            casebook_migrate::highest(store.sqlite),
            casebook_migrate::highest(store.postgres),
            "{}",
            store.name
        );
    }

    let again = casebook(&first)
        .arg("migrate-store")
        .arg(&first)
        .arg(&url)
        .output()
        .unwrap();
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds a register"), "{said}");
    assert!(!said.contains("not-shown"), "{said}");
}
