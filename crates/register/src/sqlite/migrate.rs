//! Opening an older store: the numbered schema migrations in `crates/register/migrations/`,
//! applied and recorded by the scheme every SQLite file of casebook shares ([`casebook_migrate`]),
//! plus what SQL alone cannot carry over (the backfills a store made before migration 2 needs),
//! in the same `IMMEDIATE` transaction.
//!
//! Invariants: a migration is applied at most once and is recorded in the same transaction that
//! applies it; a store that has a migration this build does not know (a newer casebook's) is
//! refused before anything is written; `user_version` is the highest migration applied.

use super::{Ctx, SqliteStore};
use crate::error::{RegisterError, Result};
use casebook_migrate::Migration;
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeSet;
use std::path::Path;

/// Numbered migrations. Each is applied once, in number order among those a store lacks; the store
/// records which ones it has (`schema_migrations`), so a number may be missing from one build and
/// added by the next (branches number their migrations independently). Migrations must therefore
/// not depend on one another's order beyond the first.
pub(crate) const MIGRATIONS: &[Migration] = &[
    (1, include_str!("../../migrations/0001_initial.sql")),
    (
        2,
        include_str!("../../migrations/0002_duplicates_reports_cases.sql"),
    ),
    (3, include_str!("../../migrations/0003_ingest_indexes.sql")),
    (4, include_str!("../../migrations/0004_compact.sql")),
    (5, include_str!("../../migrations/0005_report_type.sql")),
    (16, include_str!("../../migrations/0016_lists.sql")),
    (19, include_str!("../../migrations/0019_summary.sql")),
    (
        141,
        include_str!("../../migrations/0141_victim_details.sql"),
    ),
    (161, include_str!("../../migrations/0161_review_queue.sql")),
    (162, include_str!("../../migrations/0162_review_counts.sql")),
    (
        163,
        include_str!("../../migrations/0163_review_queue_one_pass.sql"),
    ),
    (164, include_str!("../../migrations/0164_perpetrators.sql")),
    (
        165,
        include_str!("../../migrations/0165_confidence_fit.sql"),
    ),
    (166, include_str!("../../migrations/0166_victim_events.sql")),
    (
        191,
        include_str!("../../migrations/0191_same_person_lookup.sql"),
    ),
];

/// The schema version this build writes: the highest migration number it knows.
pub const SCHEMA_VERSION: u32 = casebook_migrate::highest(MIGRATIONS);

impl SqliteStore {
    pub(super) fn newer(&self, found: u32) -> RegisterError {
        RegisterError::NewerSchema {
            path: self.path.parent().unwrap_or(&self.path).to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        }
    }

    pub(super) fn read_user_version(&self) -> Result<u32> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx(&self.path, || {
                format!("cannot read {}", self.path.display())
            })
    }

    pub(super) fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let (applied, unknown) = applied_migrations(&self.conn, &path)?;
        if let Some(v) = unknown {
            return Err(self.newer(v));
        }
        if MIGRATIONS.iter().all(|(v, _)| applied.contains(v)) {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(&path, || "starting the schema migration".into())?;
        // Read again under the write lock: another process may have migrated meanwhile.
        let (mut applied, unknown) = applied_migrations(&tx, &path)?;
        if let Some(v) = unknown {
            drop(tx);
            return Err(self.newer(v));
        }
        // A store that had the first schema but not the joins of migration 2 needs a backfill.
        let upgrades_joins = applied.contains(&1) && !applied.contains(&2);
        for (version, sql) in MIGRATIONS {
            if applied.insert(*version) {
                tx.execute_batch(sql)
                    .ctx(&path, || format!("applying schema migration {version}"))?;
            }
        }
        if upgrades_joins {
            // What SQL alone cannot carry over to a store made before migration 2: signatures of
            // the bodies already stored, and the case-name keys of the events stage.
            crate::near_dupes::backfill(&tx, &path)?;
            crate::case_join::rekey(&tx, &path)?;
        }
        casebook_migrate::record(&tx, &applied)
            .ctx(&path, || "recording the schema migrations".into())?;
        tx.commit()
            .ctx(&path, || "committing the schema migration".into())
    }
}

/// The migrations a store has, and the first one this build does not know (a newer casebook's).
fn applied_migrations(conn: &Connection, path: &Path) -> Result<(BTreeSet<u32>, Option<u32>)> {
    casebook_migrate::applied(conn, MIGRATIONS).ctx(path, || "reading the schema version".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqlite::STORE_FILE;
    use crate::Store;

    #[test]
    fn migrations_are_applied_by_number_with_gaps_and_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let (applied, unknown) = applied_migrations(&store.conn, &store.path).unwrap();
        let all: BTreeSet<u32> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(applied, all);
        assert_eq!(unknown, None);
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        drop(store);

        // A store from before the record (version 1 only): the later migrations are applied.
        let old = tempfile::tempdir().unwrap();
        let conn = Connection::open(old.path().join(STORE_FILE)).unwrap();
        conn.execute_batch(MIGRATIONS[0].1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        drop(conn);
        let store = SqliteStore::open(old.path()).unwrap();
        assert_eq!(applied_migrations(&store.conn, &store.path).unwrap().0, all);
        let indexed: bool = store
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'audit_target')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(indexed);

        // A migration this build does not know (a newer casebook's) is refused, untouched.
        let unknown = SCHEMA_VERSION + 1;
        store
            .conn
            .execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 'x')",
                [unknown],
            )
            .unwrap();
        drop(store);
        match SqliteStore::open(old.path()) {
            Err(RegisterError::NewerSchema { found, .. }) => assert_eq!(found, unknown),
            Ok(_) => panic!("a store with an unknown migration was opened"),
            Err(e) => panic!("{e}"),
        }
    }
}
