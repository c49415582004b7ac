//! `migrate-store`'s copy between SQLite and PostgreSQL, and the PostgreSQL schema's triggers and
//! views, which must derive exactly what SQLite's derive. Needs the server `scripts/test` starts.

mod common;

use casebook_register::store_copy::{copy_register, Location, TABLES};
use casebook_register::{audit_hash, Decision, SqliteStore, Store, Visibility};
use common::postgres::TestDatabase;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn person_id(store: &SqliteStore, name: &str) -> String {
    store.find_persons(name, 10).unwrap()[0].id.clone()
}

/// The test corpus, a near-copy of its first article, and a reviewer's work on it: confirmations,
/// a rejection, an edit undone (a decision pointing at a later one), a merge, a split and a
/// visibility setting.
fn reviewed_register(dir: &Path) -> SqliteStore {
    let mut s = SqliteStore::open(dir).unwrap();
    for item in &corpus() {
        store(&mut s, item);
    }
    store(
        &mut s,
        &article(
            "a1-copy.txt",
            &[
                "FSB officers detained Emir Kaitov in Simferopol on 4 September 2021.",
                "His lawyer Aider Ablyaev said Emir Kaitov was taken to the FSB building.",
                "Crimean Solidarity published the report.",
            ],
            &["Emir Kaitov", "Aider Ablyaev"],
            vec![TestEvent {
                event_type: "detention",
                victims: vec![0],
                date: None,
                sentence: 0,
            }],
            &[],
        ),
    );
    let kaitov = person_id(&s, "Emir Kaitov");
    let seitov = person_id(&s, "Lenur Seitov");
    let timeline = s.case_file(&kaitov).unwrap().timeline;
    s.decide(
        "rev",
        &Decision::Confirm {
            target: timeline[0].id.clone(),
        },
    )
    .unwrap();
    s.decide(
        "rev",
        &Decision::Reject {
            target: timeline[1].id.clone(),
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
    s.undo("rev", edit.id).unwrap();
    s.decide(
        "rev",
        &Decision::Merge {
            into: seitov.clone(),
            from: kaitov,
        },
    )
    .unwrap();
    s.decide(
        "rev",
        &Decision::Split {
            person: seitov.clone(),
            names: vec!["Emir Kaitov".into()],
        },
    )
    .unwrap();
    set_visibility(&mut s, &seitov, Some("names"), Visibility::Initials);
    s
}

/// Every row of every table of a SQLite register, sorted, as text (reals by their exact value).
fn dump(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(dir.join(casebook_register::STORE_FILE)).unwrap();
    let mut out = BTreeMap::new();
    for table in TABLES {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let width = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..width)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(" | "))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.insert(table.to_string(), rows);
    }
    out
}

/// Every person's case file, as JSON.
fn case_files(s: &SqliteStore) -> Vec<serde_json::Value> {
    let mut files = Vec::new();
    s.visit_persons(&mut |p| {
        files.push(serde_json::to_value(s.case_file(&p.id)?).unwrap());
        Ok(())
    })
    .unwrap();
    assert!(files.len() >= 4);
    files
}

fn copy(from: &Location, to: &Location) -> casebook_register::store_copy::CopyReport {
    copy_register(from, to, &mut |_| {}).unwrap_or_else(|e| panic!("copy {from} → {to}: {e}"))
}

#[test]
fn a_register_copied_to_postgres_and_back_is_the_same_register() {
    let src = tempfile::tempdir().unwrap();
    let s = reviewed_register(src.path());
    let files = case_files(&s);
    drop(s);
    let before = dump(src.path());
    let filled = before.values().filter(|rows| !rows.is_empty()).count();
    assert!(
        filled >= 28,
        "the test register fills {filled} tables: {before:#?}"
    );

    let db = TestDatabase::new("roundtrip");
    let (sqlite, pg) = (
        Location::Directory(src.path().to_path_buf()),
        Location::Postgres(db.url.clone()),
    );
    let there = copy(&sqlite, &pg);
    assert_eq!(there.tables.len(), TABLES.len());
    assert!(there.audit_entries >= 10, "{there:?}");
    let back = tempfile::tempdir().unwrap();
    let again = copy(&pg, &Location::Directory(back.path().to_path_buf()));
    assert_eq!(again.tables, there.tables);
    assert_eq!(dump(back.path()), before);

    let s = SqliteStore::open(back.path()).unwrap();
    assert_eq!(s.integrity_check().unwrap(), Vec::<String>::new());
    assert_eq!(s.verify_audit().unwrap().broken, None);
    assert_eq!(case_files(&s), files);

    // Both backends have one schema version and the tables a copy carries, no more and no fewer.
    assert_eq!(
        casebook_register::postgres::SCHEMA_VERSION,
        casebook_register::SCHEMA_VERSION
    );
    let copied: std::collections::BTreeSet<String> = TABLES.iter().map(|t| t.to_string()).collect();
    let conn = rusqlite::Connection::open(src.path().join(casebook_register::STORE_FILE)).unwrap();
    let sqlite_tables: std::collections::BTreeSet<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sqlite_sequence', 'schema_migrations')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(sqlite_tables, copied);
    let mut client = db.client();
    let pg_tables: std::collections::BTreeSet<String> = client
        .query(
            "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = current_schema()
                AND table_type = 'BASE TABLE' AND table_name != 'schema_migrations'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(pg_tables, copied);

    // PostgreSQL numbers new decisions on from the copied ones.
    let last: i64 = client
        .query_one("SELECT MAX(id) FROM decisions", &[])
        .unwrap()
        .get(0);
    let next: i64 = client
        .query_one(
            "INSERT INTO decisions (at, actor, action, target, payload)
             VALUES ('2026-01-01', 'rev', 'confirm', 'x', '{}') RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(next, last + 1);
    // The audit log stays append-only there too.
    assert!(client
        .execute("UPDATE audit SET actor = 'someone else'", &[])
        .is_err());
    assert!(client.execute("DELETE FROM audit", &[]).is_err());
}

#[test]
fn a_copy_stopped_half_way_finishes_when_run_again_and_never_overwrites_a_register() {
    let src = tempfile::tempdir().unwrap();
    drop(reviewed_register(src.path()));
    let db = TestDatabase::new("resume");
    let (sqlite, pg) = (
        Location::Directory(src.path().to_path_buf()),
        Location::Postgres(db.url.clone()),
    );
    // The target refuses the audit log's rows, as a full disk or a lost connection would stop it.
    casebook_register::postgres::connect(&db.url).unwrap();
    let mut client = db.client();
    client
        .batch_execute("ALTER TABLE audit ADD CONSTRAINT stop_here CHECK (seq < 0)")
        .unwrap();
    let stopped = copy_register(&sqlite, &pg, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(stopped.contains("copying into audit"), "{stopped}");
    let count = |client: &mut ::postgres::Client, table: &str| -> i64 {
        client
            .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(count(&mut client, "articles"), 4);
    assert_eq!(count(&mut client, "audit"), 0);

    client
        .batch_execute("ALTER TABLE audit DROP CONSTRAINT stop_here")
        .unwrap();
    let mut heard = Vec::new();
    copy_register(&sqlite, &pg, &mut |t| heard.push((t.table, t.earlier))).unwrap();
    let earlier = |table: &str| heard.iter().find(|(t, _)| *t == table).unwrap().1;
    assert!(earlier("articles") && earlier("decisions"));
    assert!(!earlier("audit") && !earlier("victim_events"));
    let back = tempfile::tempdir().unwrap();
    copy(&pg, &Location::Directory(back.path().to_path_buf()));
    assert_eq!(dump(back.path()), dump(src.path()));

    // A register that holds records is never a copy's target; a copy is between two backends.
    let refused = copy_register(&sqlite, &pg, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(refused.contains("already holds a register"), "{refused}");
    let refused = copy_register(
        &pg,
        &Location::Directory(back.path().to_path_buf()),
        &mut |_| {},
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("already holds a register"), "{refused}");
    let same = copy_register(
        &sqlite,
        &Location::Directory(back.path().into()),
        &mut |_| {},
    );
    assert!(same
        .unwrap_err()
        .to_string()
        .contains("between a data directory and a PostgreSQL"));
    let missing = tempfile::tempdir().unwrap();
    let none = copy_register(
        &Location::Directory(missing.path().join("none")),
        &pg,
        &mut |_| {},
    );
    assert!(none.unwrap_err().to_string().contains("holds no register"));
    // A URL's password never appears in what a copy says.
    let wrong =
        Location::Postgres(db.url.replace("://casebook@", "://casebook:hunter2@") + "_none");
    let err = copy_register(&wrong, &sqlite, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(!err.contains("hunter2"), "{err}");
}

/// The same writes, made to a register on each backend, leave the same rows on both: every trigger
/// and view of the PostgreSQL schema derives what SQLite's derives.
#[test]
fn postgres_triggers_and_views_derive_what_sqlite_derives() {
    let src = tempfile::tempdir().unwrap();
    drop(reviewed_register(src.path()));
    let conn = rusqlite::Connection::open(src.path().join(casebook_register::STORE_FILE)).unwrap();
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    // Reports with victims and perpetrators to remove, an open claim, an event, and a victim to
    // move to another person in the undated copy (whose event claims are scored below the cap).
    let reported = one("SELECT id FROM articles WHERE source = 'a2.txt'");
    let claim = one("SELECT id FROM claims WHERE state = 'suggested' AND article_id IS NOT NULL ORDER BY id LIMIT 1");
    let event = one("SELECT id FROM events ORDER BY id LIMIT 1");
    let moved_article = one("SELECT id FROM articles WHERE source = 'a1-copy.txt'");
    let moved_to = one(&format!(
        "SELECT id FROM persons WHERE merged_into IS NULL AND id != (SELECT person FROM \
         article_persons WHERE article_id = '{moved_article}' AND idx = 0) ORDER BY id LIMIT 1"
    ));
    let (seq, prev): (i64, String) = conn
        .query_row(
            "SELECT seq + 1, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let hash = audit_hash(
        seq,
        "2026-12-08T00:00:00Z",
        "test",
        "reanalyse",
        &moved_article,
        "{}",
        &prev,
    );
    let writes = [
        format!("DELETE FROM event_sources WHERE article_id = '{reported}'"),
        format!("UPDATE claims SET state = 'confirmed' WHERE id = '{claim}'"),
        format!("UPDATE events SET date = '1999-01-02' WHERE id = '{event}'"),
        format!("UPDATE article_persons SET person = '{moved_to}' WHERE article_id = '{moved_article}' AND idx = 0"),
        format!("DELETE FROM review_queue WHERE article_id = '{moved_article}'"),
        format!(
            "INSERT INTO audit (seq, at, actor, action, target, payload, prev_hash, hash)
             VALUES ({seq}, '2026-12-08T00:00:00Z', 'test', 'reanalyse', '{moved_article}', '{{}}', '{prev}', '{hash}')"
        ),
    ];
    drop(conn);

    let db = TestDatabase::new("triggers");
    copy(
        &Location::Directory(src.path().to_path_buf()),
        &Location::Postgres(db.url.clone()),
    );
    let before = dump(src.path());
    let conn = rusqlite::Connection::open(src.path().join(casebook_register::STORE_FILE)).unwrap();
    let mut client = db.client();
    for sql in &writes {
        conn.execute_batch(sql)
            .unwrap_or_else(|e| panic!("SQLite: {sql}: {e}"));
        client
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("PostgreSQL: {sql}: {e}"));
    }
    drop(conn);
    let after = dump(src.path());
    for table in [
        "victim_events",
        "perpetrator_counts",
        "summary_claims",
        "summary_events",
        "review_queue",
    ] {
        assert_ne!(before[table], after[table], "the writes change {table}");
    }
    let back = tempfile::tempdir().unwrap();
    copy(
        &Location::Postgres(db.url.clone()),
        &Location::Directory(back.path().to_path_buf()),
    );
    let derived = dump(back.path());
    for table in TABLES {
        assert_eq!(
            derived[*table], after[*table],
            "{table} differs between the backends"
        );
    }
    // The views agree row for row, the claims' scores to the last bit.
    let conn = rusqlite::Connection::open(back.path().join(casebook_register::STORE_FILE)).unwrap();
    for (sql, kinds) in [
        ("SELECT event_id, article_id, CAST(person_idx AS BIGINT) FROM event_victims", "tti"),
        ("SELECT person, type, event_id FROM report_victim_events", "ttt"),
        ("SELECT claim_id, profile FROM claim_profiles", "tt"),
        ("SELECT id, title, outlet, published, language FROM article_meta", "ttttt"),
        (
            "SELECT claim_id, article_id, state, CAST(priority AS BIGINT), confidence, profile, prior \
             FROM claim_scores",
            "tttirtr",
        ),
    ] {
        let (sqlite, pg) = (rows_sqlite(&conn, sql, kinds), rows_postgres(&mut client, sql, kinds));
        assert!(!sqlite.is_empty(), "{sql}");
        assert_eq!(pg, sqlite, "{sql}");
    }
}

/// A query's rows from SQLite, sorted, each value as text (`kinds`: t text, i integer, r real).
fn rows_sqlite(conn: &rusqlite::Connection, sql: &str, kinds: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let mut rows: Vec<Vec<String>> = stmt
        .query_map([], |r| {
            Ok(kinds
                .chars()
                .enumerate()
                .map(|(i, k)| match k {
                    'i' => format!("{:?}", r.get::<_, Option<i64>>(i).unwrap()),
                    'r' => format!("{:?}", r.get::<_, Option<f64>>(i).unwrap()),
                    _ => format!("{:?}", r.get::<_, Option<String>>(i).unwrap()),
                })
                .collect())
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.sort();
    rows
}

/// The same from PostgreSQL.
fn rows_postgres(client: &mut ::postgres::Client, sql: &str, kinds: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = client
        .query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| {
            kinds
                .chars()
                .enumerate()
                .map(|(i, k)| match k {
                    'i' => format!("{:?}", r.get::<_, Option<i64>>(i)),
                    'r' => format!("{:?}", r.get::<_, Option<f64>>(i)),
                    _ => format!("{:?}", r.get::<_, Option<String>>(i)),
                })
                .collect()
        })
        .collect();
    rows.sort();
    rows
}
