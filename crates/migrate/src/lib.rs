//! casebook-migrate: one migration scheme for every SQLite file casebook keeps (the register,
//! the monitor's state, the web accounts). Each file's schema is a list of numbered migrations;
//! a file records the ones it has in a `schema_migrations` table, and `PRAGMA user_version` holds
//! the highest of them.
//!
//! Invariants: a migration is applied at most once, and recorded in the same transaction that
//! applies it (one `IMMEDIATE` transaction for all that are missing, re-read under the write lock,
//! so two processes opening a file at once never both apply one). Numbers need not follow one
//! another (branches number their migrations independently), so a migration must not depend on
//! another's order beyond the first. A file that has a migration this build does not know comes
//! from a newer casebook and is refused before anything is written. A file from before
//! `schema_migrations` has every migration numbered up to its `user_version`.
//!
//! [`migrate`] does all of it; a file that must also carry data over in the same transaction (the
//! register's backfills) uses [`applied`] and [`record`] around its own steps.
//!
//! A store that PostgreSQL can also hold is described once, with both backends' migrations, by a
//! [`StoreSchema`].

use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::BTreeSet;

/// A numbered migration: its number and its SQL.
pub type Migration = (u32, &'static str);

/// Why a file could not be brought to this build's schema.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The file has a migration this build does not know: a newer casebook wrote it.
    #[error("written by a newer casebook (schema migration {found}; this build knows up to {supported})")]
    Newer { found: u32, supported: u32 },
    #[error("schema migration: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// A store casebook keeps in a SQLite file of the data directory and, for teams, in a schema of a
/// PostgreSQL database: both backends' migrations (their highest numbers agree) and what
/// `casebook migrate-store` copies between them.
#[derive(Debug)]
pub struct StoreSchema {
    /// What the store is, in messages ("register", "accounts", "monitor").
    pub name: &'static str,
    /// Its file in the data directory.
    pub file: &'static str,
    pub sqlite: &'static [Migration],
    /// Its schema (namespace) in a PostgreSQL database.
    pub postgres_namespace: &'static str,
    pub postgres: &'static [Migration],
    /// Every table, each after the tables its rows point at.
    pub tables: &'static [&'static str],
    /// The tables whose rows mean the store holds records (others may hold seed rows).
    pub records: &'static [&'static str],
}

/// The schema version a build writes: the highest migration number it knows.
pub const fn highest(migrations: &[Migration]) -> u32 {
    let mut highest = 0;
    let mut i = 0;
    while i < migrations.len() {
        if migrations[i].0 > highest {
            highest = migrations[i].0;
        }
        i += 1;
    }
    highest
}

/// The migrations a file has, and the first one this build does not know (a newer casebook's).
pub fn applied(
    conn: &Connection,
    migrations: &[Migration],
) -> rusqlite::Result<(BTreeSet<u32>, Option<u32>)> {
    let recorded: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |r| r.get(0),
    )?;
    let applied: BTreeSet<u32> = if recorded {
        conn.prepare("SELECT version FROM schema_migrations")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())?
    } else {
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut known: BTreeSet<u32> = migrations
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| *v <= version)
            .collect();
        if version > highest(migrations) {
            known.insert(version);
        }
        known
    };
    let unknown = applied
        .iter()
        .copied()
        .find(|v| !migrations.iter().any(|(m, _)| m == v));
    Ok((applied, unknown))
}

/// Records inside the caller's transaction that the file has these migrations: a row each in
/// `schema_migrations` (made if need be) and the highest as `user_version`.
pub fn record(tx: &Connection, applied: &BTreeSet<u32>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    for version in applied {
        tx.execute(
            "INSERT OR IGNORE INTO schema_migrations (version, applied_at)
             VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            params![version],
        )?;
    }
    if let Some(highest) = applied.iter().max() {
        tx.pragma_update(None, "user_version", highest)?;
    }
    Ok(())
}

/// Brings a file to this build's schema: applies the migrations it lacks, in number order, and
/// records them, in one transaction. Returns the numbers applied now (none when it was current).
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<Vec<u32>, MigrateError> {
    let newer = |found| MigrateError::Newer {
        found,
        supported: highest(migrations),
    };
    let (applied_before, unknown) = applied(conn, migrations)?;
    if let Some(v) = unknown {
        return Err(newer(v));
    }
    if migrations.iter().all(|(v, _)| applied_before.contains(v)) {
        return Ok(Vec::new());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let (mut have, unknown) = applied(&tx, migrations)?;
    if let Some(v) = unknown {
        return Err(newer(v));
    }
    let mut ordered: Vec<&Migration> = migrations.iter().collect();
    ordered.sort_by_key(|(v, _)| *v);
    let mut now = Vec::new();
    for (version, sql) in ordered {
        if have.insert(*version) {
            tx.execute_batch(sql)?;
            now.push(*version);
        }
    }
    record(&tx, &have)?;
    tx.commit()?;
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &[Migration] = &[(1, "CREATE TABLE a (x INTEGER);")];
    const LATER: &[Migration] = &[
        (1, "CREATE TABLE a (x INTEGER);"),
        (7, "CREATE TABLE b (y INTEGER);"),
        (3, "ALTER TABLE a ADD COLUMN z TEXT;"),
    ];

    fn tables(conn: &Connection) -> Vec<String> {
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .unwrap()
    }

    #[test]
    fn missing_migrations_are_applied_once_by_number_and_recorded() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn, FIRST).unwrap(), vec![1]);
        assert_eq!(migrate(&mut conn, FIRST).unwrap(), Vec::<u32>::new());
        // A later build brings 3 and 7; 3 alters what 1 made, so number order matters.
        assert_eq!(migrate(&mut conn, LATER).unwrap(), vec![3, 7]);
        assert_eq!(tables(&conn), ["a", "b", "schema_migrations"]);
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 7);
        assert_eq!(
            applied(&conn, LATER).unwrap(),
            (BTreeSet::from([1, 3, 7]), None)
        );
    }

    #[test]
    fn a_file_of_a_newer_build_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, LATER).unwrap();
        match migrate(&mut conn, FIRST) {
            Err(MigrateError::Newer { found, supported }) => {
                assert_eq!((found, supported), (3, 1));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(tables(&conn), ["a", "b", "schema_migrations"]);
    }

    #[test]
    fn a_file_from_before_the_record_has_what_its_user_version_says() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE a (x INTEGER); PRAGMA user_version = 1;")
            .unwrap();
        assert_eq!(migrate(&mut conn, LATER).unwrap(), vec![3, 7]);
        // A user_version beyond every migration this build knows is a newer build's file.
        let mut newer = Connection::open_in_memory().unwrap();
        newer.execute_batch("PRAGMA user_version = 9;").unwrap();
        assert!(matches!(
            migrate(&mut newer, LATER),
            Err(MigrateError::Newer { found: 9, .. })
        ));
    }
}
