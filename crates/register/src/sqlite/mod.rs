//! The SQLite backend: one file, `register.sqlite3`, in the data directory.
//!
//! WAL mode lets readers (a server) go on while one writer commits; every write transaction starts
//! `IMMEDIATE` (it takes the write lock first, so two writers queue on the busy timeout instead of
//! failing with "database is locked" when a read lock cannot be upgraded). `synchronous=NORMAL`
//! keeps every committed transaction through a killed process; only a power cut may lose the last
//! few commits, never consistency. Originals are stored as blobs in the same file, so an article and
//! the evidence it points to are committed together.
//!
//! This file owns the connection (opening, per-connection settings, the one write-transaction
//! helper, error classification) and the [`Store`] implementation, which hands each method to the
//! module of its seam: `migrate` (schema), `write` (storing articles), `records` and `listing`
//! (reads of persons, events and cases), `articles` (reads of articles), `decisions` (review),
//! `audit` (the hash-chained log and integrity checks), `paged` and `summary` (reads that cost what
//! a page shows).
//!
//! Invariants: every write goes through [`SqliteStore::write`], one `IMMEDIATE` transaction that
//! commits whole or not at all, and appends its audit entry inside that transaction; reads never
//! write.

use crate::error::{RegisterError, Result};
use crate::identity::PersonResolver;
use crate::types::*;
use crate::{AnalysedArticle, ArticleSearchFields, Original, Store};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod articles;
mod audit;
mod confidence;
mod decisions;
mod listing;
mod migrate;
mod paged;
mod perpetrators;
mod records;
mod review;
mod summary;
mod write;

use crate::audit_log::now;
use crate::records::{Edits, VisibilityMap, VICTIM_EVENTS_FROM};
pub use confidence::Calibration;
pub(crate) use migrate::MIGRATIONS;
pub use migrate::SCHEMA_VERSION;
pub(crate) use paged::{id_list, sort_by_preference};
pub use paged::{CaseFilePage, ReviewPage};
pub use perpetrators::{PerpetratorFile, PerpetratorFilter, PerpetratorRow};
pub use review::{
    priority_label, titled_summary, ArticleMeta, QueueFilter, QueuePage, QueueProgress, QueueRow,
    QueueSort, ScoredClaim,
};
pub use summary::{month_of, RegisterSummary};

/// The store's file name inside the data directory.
pub const STORE_FILE: &str = "register.sqlite3";

/// How long a writer waits for another writer before giving up. Long on purpose: a concurrent
/// ingest holds the lock only for one article at a time, so waiting always ends.
const BUSY_TIMEOUT: Duration = Duration::from_secs(600);

/// Per-connection settings. The page cache (128 MiB, the bound on the store's share of resident
/// memory) holds the hot parts of the indexes a large store's ingest updates at random places;
/// SQLite's default of 2 MiB made every insert read pages back through the kernel.
const CONNECTION_SETUP: &str = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;
    PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;";

/// What [`Store::prepare_bulk_ingest`] changes: a 384 MiB page cache (it bounds the store's share
/// of resident memory; `casebook ingest` also holds batches in flight and the search index's
/// writer, and must stay under 1 GiB at 100,000 articles), and a commit never checkpoints
/// unless the log has reached the checkpoint thread's far limit (1 GiB: 262,144 pages of 4 KiB).
const BULK_SETUP: &str = "PRAGMA cache_size=-393216; PRAGMA wal_autocheckpoint=262144;";

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// The register over one SQLite file.
pub struct SqliteStore {
    /// Declared first so that it stops before `conn` closes (fields drop in order).
    checkpointer: Option<crate::checkpoint::Checkpointer>,
    conn: Connection,
    path: PathBuf,
}

/// Turns a SQLite error into a register error that says what was being done.
pub(crate) trait Ctx<T> {
    fn ctx(self, path: &Path, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Ctx<T> for std::result::Result<T, rusqlite::Error> {
    fn ctx(self, path: &Path, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|err| classify(err, path, context()))
    }
}

fn classify(err: rusqlite::Error, path: &Path, context: String) -> RegisterError {
    if let rusqlite::Error::SqliteFailure(code, _) = &err {
        match code.code {
            ErrorCode::DiskFull => {
                return RegisterError::DiskFull {
                    path: path.to_path_buf(),
                    context,
                }
            }
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                return RegisterError::Corrupt {
                    path: path.to_path_buf(),
                    detail: format!("{context}: {err}"),
                }
            }
            _ => {}
        }
    }
    RegisterError::Backend {
        context,
        source: Box::new(err),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain data (strings, numbers, maps with string keys) cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// The reports (`s`, rows of `event_sources`) that name register person `?1` among their victims:
/// through the person's articles and those articles' reports. The joins are in this order on
/// purpose (`CROSS JOIN` keeps it): a report's victims are checked before anything else is read.
const VICTIM_REPORTS_FROM: &str = "FROM article_persons ap
    CROSS JOIN event_sources s ON s.article_id = ap.article_id
    CROSS JOIN json_each(s.victims_json) j
    WHERE ap.person = ?1 AND j.value = ap.idx";

/// The effective register person of a machine-resolved person under a name key: the split rule
/// for the name if a reviewer split it off, then the root of any merge.
const EFFECTIVE_PERSON_SQL: &str = "
    COALESCE(
      (SELECT COALESCE(p2.merged_into, s.to_person) FROM person_splits s
         LEFT JOIN persons p2 ON p2.id = s.to_person
        WHERE s.from_person = COALESCE((SELECT merged_into FROM persons p WHERE p.id = ?1), ?1)
          AND s.name_key = ?2
        ORDER BY s.decision_id DESC LIMIT 1),
      COALESCE((SELECT merged_into FROM persons p WHERE p.id = ?1), ?1))";

impl SqliteStore {
    /// Opens the store in `dir`, creating the directory and the schema if need be and migrating an
    /// older schema. A store from a newer casebook is refused before anything is written.
    pub fn open(dir: &Path) -> Result<Self> {
        if crate::postgres::is_url(&dir.to_string_lossy()) {
            // Never a directory named `postgres:`: say what this build does with a database.
            return Err(RegisterError::Invalid(format!(
                "{} is a PostgreSQL database; so far only `casebook audit`, `person`, `stats` \
                 and `migrate-store` work on a register there",
                crate::postgres::redacted(&dir.to_string_lossy())
            )));
        }
        std::fs::create_dir_all(dir).map_err(|source| RegisterError::Io {
            context: format!("cannot create the data directory {}", dir.display()),
            source,
        })?;
        let path = dir.join(STORE_FILE);
        let conn =
            Connection::open(&path).ctx(&path, || format!("cannot open {}", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .ctx(&path, || "setting the busy timeout".into())?;
        let mut store = SqliteStore {
            checkpointer: None,
            conn,
            path,
        };
        let version = store.read_user_version()?;
        if version > SCHEMA_VERSION {
            return Err(store.newer(version));
        }
        let path = store.path.clone();
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .ctx(&path, || format!("cannot open {}", path.display()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(RegisterError::Invalid(format!(
                "the store at {} cannot use write-ahead logging (journal mode {mode})",
                path.display()
            )));
        }
        store
            .conn
            .execute_batch(CONNECTION_SETUP)
            .ctx(&path, || "setting up the connection".into())?;
        // Storing an article runs some forty distinct statements: all of them stay prepared
        // (rusqlite keeps 16 by default, and re-parsing the others took a tenth of the store's time).
        store
            .conn
            .set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Without the query planner stability guarantee, SQLite re-plans a statement whenever a
        // parameter it could plan around (a LIMIT, a LIKE pattern) is bound again, which is every
        // time a cached statement runs: storing an article re-prepared some twenty statements.
        store
            .conn
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
                true,
            )
            .ctx(&path, || "setting up the connection".into())?;
        store.migrate()?;
        Ok(store)
    }

    /// The path of the store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the checks that live in modules of their own (audit anchor, replay).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection as the backend-neutral SQL of `crate::sql` reads it.
    pub(crate) fn db(&self) -> crate::sql::SqliteDb<'_> {
        crate::sql::SqliteDb::new(&self.conn, &self.path)
    }

    /// Runs `f` in one write transaction, committing if it succeeds.
    fn write<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&Connection, &Path) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(&path, || format!("starting {what}"))?;
        let value = f(&tx, &path)?;
        tx.commit().ctx(&path, || format!("committing {what}"))?;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.committed();
        }
        Ok(value)
    }
}

fn root_person(conn: &Connection, path: &Path, id: &str) -> Result<Option<String>> {
    crate::records::root_person(&crate::sql::SqliteDb::new(conn, path), id)
}

fn exists(conn: &Connection, path: &Path, sql: &str, id: &str) -> Result<bool> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
        .map(|r| r.is_some())
        .ctx(path, || "looking up an id".into())
}

impl Store for SqliteStore {
    fn schema_version(&self) -> Result<u32> {
        self.read_user_version()
    }

    fn integrity_check(&self) -> Result<Vec<String>> {
        self.check_integrity()
    }

    fn has_article(&self, id: &str) -> Result<bool> {
        self.read_has_article(id)
    }

    fn article_version(&self, id: &str) -> Result<Option<String>> {
        self.read_article_version(id)
    }

    fn has_original(&self, sha256: &str) -> Result<bool> {
        self.read_has_original(sha256)
    }

    fn add_original(&mut self, original: &Original, actor: &str) -> Result<bool> {
        self.write_original(original, actor)
    }

    fn store_article(
        &mut self,
        original: &Original,
        analysed: &AnalysedArticle,
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<StoreOutcome> {
        self.write_one_article(original, analysed, provenance, resolver)
    }

    fn prepare_bulk_ingest(&mut self) -> Result<()> {
        self.start_bulk_ingest()
    }

    fn store_batch(
        &mut self,
        batch: &[(&Original, &AnalysedArticle)],
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<Vec<StoreOutcome>> {
        self.write_batch(batch, None, provenance, resolver)
    }

    fn store_batch_signed(
        &mut self,
        batch: &[(&Original, &AnalysedArticle)],
        signatures: &[Option<casebook_article::near_duplicate::Signature>],
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<Vec<StoreOutcome>> {
        self.write_batch(batch, Some(signatures), provenance, resolver)
    }

    fn original_bytes(&self, sha256: &str) -> Result<Vec<u8>> {
        self.read_original_bytes(sha256)
    }

    fn case_file(&self, person: &str) -> Result<CaseFile> {
        self.read_case_file(person)
    }

    fn person(&self, id: &str) -> Result<PersonRecord> {
        self.read_person(id)
    }

    fn person_places(&self, id: &str) -> Result<Vec<String>> {
        self.read_person_places(id)
    }

    fn find_persons(&self, text: &str, limit: usize) -> Result<Vec<PersonRecord>> {
        self.search_persons(text, limit)
    }

    fn claims(&self, filter: &ClaimFilter) -> Result<Vec<Claim>> {
        self.list_claims(filter)
    }

    fn decide(&mut self, actor: &str, decision: &Decision) -> Result<DecisionRecord> {
        self.write_decision(actor, decision)
    }

    fn undo(&mut self, actor: &str, decision_id: i64) -> Result<DecisionRecord> {
        self.write_undo(actor, decision_id)
    }

    fn decisions(&self, limit: usize) -> Result<Vec<DecisionRecord>> {
        self.list_decisions(limit)
    }

    fn audit_entries(&self, from_seq: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        self.read_audit_entries(from_seq, limit)
    }

    fn verify_audit(&self) -> Result<AuditReport> {
        self.check_audit_chain()
    }

    fn stats(&self) -> Result<Stats> {
        self.read_stats()
    }

    fn visit_persons(&self, f: &mut dyn FnMut(PersonRecord) -> Result<()>) -> Result<()> {
        self.each_person(f)
    }

    fn visit_articles(&self, f: &mut dyn FnMut(ArticleRecord) -> Result<()>) -> Result<()> {
        self.each_article(f)
    }

    fn visit_events(&self, f: &mut dyn FnMut(EventRecord) -> Result<()>) -> Result<()> {
        self.each_event(f)
    }

    fn visit_cases(&self, f: &mut dyn FnMut(CaseRecord) -> Result<()>) -> Result<()> {
        self.each_case(f)
    }

    fn perpetrator_spellings(&self) -> Result<crate::PerpetratorSpellings> {
        self.grouped_perpetrator_spellings()
    }

    fn visit_article_search_fields(
        &self,
        f: &mut dyn FnMut(ArticleSearchFields) -> Result<()>,
    ) -> Result<()> {
        self.each_article_search_fields(f)
    }

    fn record_action(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        self.append_action(actor, action, target, payload)
    }

    fn article_text(&self, id: &str) -> Result<crate::ArticleText> {
        self.read_article_text(id)
    }

    fn record_ids(&self) -> Result<crate::RecordIds> {
        crate::record_ids::read(&self.conn, &self.path)
    }

    fn article_titles(&self, ids: &[String]) -> Result<BTreeMap<String, String>> {
        self.read_article_titles(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeyResolver;
    use casebook_model::{Article, ArticlePeople, ArticlePerson, PersonMention};

    fn big_article(n: usize) -> (Original, AnalysedArticle) {
        let body = format!(
            "Invented Person{n} was searched. {}",
            "Filler words of a report. ".repeat(2000)
        );
        let sha = format!("{n:064x}");
        let article = Article {
            id: sha.clone(),
            source: format!("in/{n}.txt"),
            original_sha256: sha.clone(),
            paragraphs: vec![body.clone()],
            ..Article::default()
        };
        let people = ArticlePeople {
            persons: vec![ArticlePerson {
                name: format!("Invented Person{n}"),
                descriptors: vec![],
                relations: vec![],
            }],
            mentions: vec![PersonMention {
                text: format!("Invented Person{n}"),
                start: 0,
                end: 15,
                person: 0,
            }],
            entities: vec![],
        };
        let original = Original {
            sha256: sha,
            source: format!("in/{n}.txt"),
            bytes: body.into_bytes(),
        };
        (
            original,
            AnalysedArticle {
                article,
                people,
                events: Default::default(),
            },
        )
    }

    #[test]
    fn a_full_disk_is_reported_and_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let prov = Provenance {
            extractor_version: "v1".into(),
            actor: "test".into(),
        };
        for n in 0..3 {
            let (o, a) = big_article(n);
            store.store_article(&o, &a, &prov, &KeyResolver).unwrap();
        }
        // Cap the file at its current size: the next article cannot fit, as on a full disk.
        let pages: i64 = store
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        store
            .conn
            .query_row(
                &format!("PRAGMA max_page_count = {}", pages + 2),
                [],
                |_| Ok(()),
            )
            .unwrap();
        let (o, a) = big_article(99);
        let err = store
            .store_article(&o, &a, &prov, &KeyResolver)
            .unwrap_err();
        assert!(matches!(err, RegisterError::DiskFull { .. }), "{err}");
        assert!(err.to_string().contains("nothing was lost"), "{err}");
        assert_eq!(store.stats().unwrap().articles, 3);
        assert!(store.integrity_check().unwrap().is_empty());
        assert!(!store.has_article(&a.article.id).unwrap());
    }
}
