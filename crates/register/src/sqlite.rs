//! The SQLite backend: one file, `register.sqlite3`, in the data directory.
//!
//! WAL mode lets readers (a server) go on while one writer commits; every write transaction starts
//! `IMMEDIATE` (it takes the write lock first, so two writers queue on the busy timeout instead of
//! failing with "database is locked" when a read lock cannot be upgraded). `synchronous=NORMAL`
//! keeps every committed transaction through a killed process; only a power cut may lose the last
//! few commits, never consistency. Originals are stored as blobs in the same file, so an article and
//! the evidence it points to are committed together.

use crate::error::{RegisterError, Result};
use crate::identity::{name_key, surname_key, KnownName, NameLookup, PersonResolver, Resolution};
use crate::types::*;
use crate::{stable_id, AnalysedArticle, ArticleSearchFields, Original, Store};
use casebook_events::merge::dates_compatible;
use casebook_model::{FuzzyDate, Status};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod paged;
mod summary;

pub use paged::{CaseFilePage, ReviewPage};
pub use summary::{month_of, RegisterSummary};

/// Numbered migrations. Each is applied once, in number order among those a store lacks; the store
/// records which ones it has (`schema_migrations`), so a number may be missing from one build and
/// added by the next (branches number their migrations independently). Migrations must therefore
/// not depend on one another's order beyond the first.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (
        2,
        include_str!("../migrations/0002_duplicates_reports_cases.sql"),
    ),
    (3, include_str!("../migrations/0003_ingest_indexes.sql")),
    (4, include_str!("../migrations/0004_compact.sql")),
    (5, include_str!("../migrations/0005_report_type.sql")),
    (16, include_str!("../migrations/0016_lists.sql")),
    (19, include_str!("../migrations/0019_summary.sql")),
];

/// The schema version this build writes: the highest migration number it knows.
pub const SCHEMA_VERSION: u32 = highest_migration();

const fn highest_migration() -> u32 {
    let mut highest = 0;
    let mut i = 0;
    while i < MIGRATIONS.len() {
        if MIGRATIONS[i].0 > highest {
            highest = MIGRATIONS[i].0;
        }
        i += 1;
    }
    highest
}

/// The store's file name inside the data directory.
pub const STORE_FILE: &str = "register.sqlite3";

/// The hash before the first audit entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain data (strings, numbers, maps with string keys) cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// The audit hash of an entry: SHA-256 over its fields and the previous entry's hash.
pub fn audit_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    payload: &str,
    prev_hash: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        &seq.to_string(),
        at,
        actor,
        action,
        target,
        payload,
        prev_hash,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

fn append_audit(
    conn: &Connection,
    path: &Path,
    actor: &str,
    action: &str,
    target: &str,
    payload: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .ctx(path, || "reading the audit log".into())?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, AUDIT_GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = now();
    let hash = audit_hash(seq, &at, actor, action, target, payload, &prev_hash);
    conn.prepare_cached(
        "INSERT INTO audit (seq, at, actor, action, target, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            seq, at, actor, action, target, payload, prev_hash, hash
        ])
    })
    .ctx(path, || "appending to the audit log".into())?;
    Ok(())
}

/// Identity lookups over the open write transaction.
struct TxLookup<'a> {
    conn: &'a Connection,
    path: &'a Path,
}

impl NameLookup for TxLookup<'_> {
    fn by_key(&mut self, key: &str) -> Result<Vec<KnownName>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person, name FROM person_names WHERE name_key = ?1 LIMIT 8")
            .ctx(self.path, || "looking up a name".into())?;
        let rows = stmt
            .query_map([key], |r| {
                Ok(KnownName {
                    person: r.get(0)?,
                    name: r.get(1)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(self.path, || "looking up a name".into())?;
        Ok(rows)
    }

    fn names_since(&mut self, after: i64, limit: usize) -> Result<Vec<(i64, KnownName)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid, person, name FROM person_names WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            )
            .ctx(self.path, || "reading new names".into())?;
        let rows = stmt
            .query_map(params![after, limit as i64], |r| {
                Ok((
                    r.get(0)?,
                    KnownName {
                        person: r.get(1)?,
                        name: r.get(2)?,
                    },
                ))
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(self.path, || "reading new names".into())?;
        Ok(rows)
    }

    fn by_surname(&mut self, surname: &str, limit: usize) -> Result<Vec<KnownName>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person, name FROM person_names WHERE surname_key = ?1 LIMIT ?2")
            .ctx(self.path, || "looking up a surname".into())?;
        let rows = stmt
            .query_map(params![surname, limit as i64], |r| {
                Ok(KnownName {
                    person: r.get(0)?,
                    name: r.get(1)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(self.path, || "looking up a surname".into())?;
        Ok(rows)
    }
}

/// Reviewer edits of fields, by target id then field (the latest active edit wins).
type Edits = HashMap<String, BTreeMap<String, String>>;
/// Visibility settings by person then field (`""` for the whole person).
type VisibilityMap = HashMap<String, BTreeMap<String, Visibility>>;

/// The events whose victims include register person `?1`, as `e`: through the person's articles
/// and those articles' reports. The joins are in this order on purpose (`CROSS JOIN` keeps it):
/// a report's victims are checked before its event is read, or every event of every article
/// naming a popular person would be read at each ingest.
const VICTIM_EVENTS_FROM: &str = "FROM article_persons ap
    CROSS JOIN event_sources s ON s.article_id = ap.article_id
    CROSS JOIN json_each(s.victims_json) j
    CROSS JOIN events e ON e.id = s.event_id
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

    fn newer(&self, found: u32) -> RegisterError {
        RegisterError::NewerSchema {
            path: self.path.parent().unwrap_or(&self.path).to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        }
    }

    fn read_user_version(&self) -> Result<u32> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx(&self.path, || {
                format!("cannot read {}", self.path.display())
            })
    }

    fn migrate(&mut self) -> Result<()> {
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
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .ctx(&path, || "recording the schema migrations".into())?;
        let at = now();
        for version in &applied {
            tx.execute(
                "INSERT OR IGNORE INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, at],
            )
            .ctx(&path, || "recording the schema migrations".into())?;
        }
        let highest = applied.iter().max().copied().unwrap_or(SCHEMA_VERSION);
        tx.pragma_update(None, "user_version", highest)
            .ctx(&path, || "recording the schema version".into())?;
        tx.commit()
            .ctx(&path, || "committing the schema migration".into())
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

    fn load_edits(&self) -> Result<Edits> {
        let mut edits: Edits = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT target, field, value FROM field_edits ORDER BY decision_id")
            .ctx(&self.path, || "reading edits".into())?;
        let mut rows = stmt.query([]).ctx(&self.path, || "reading edits".into())?;
        while let Some(r) = rows.next().ctx(&self.path, || "reading edits".into())? {
            let (target, field, value): (String, String, String) = (
                r.get(0).ctx(&self.path, || "reading edits".into())?,
                r.get(1).ctx(&self.path, || "reading edits".into())?,
                r.get(2).ctx(&self.path, || "reading edits".into())?,
            );
            edits.entry(target).or_default().insert(field, value);
        }
        Ok(edits)
    }

    fn load_visibility(&self) -> Result<VisibilityMap> {
        let mut map: VisibilityMap = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person, field, level FROM visibility ORDER BY decision_id")
            .ctx(&self.path, || "reading visibility".into())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(&self.path, || "reading visibility".into())?;
        for (person, field, level) in rows {
            if let Some(level) = Visibility::parse(&level) {
                map.entry(person).or_default().insert(field, level);
            }
        }
        Ok(map)
    }

    /// The root person an id leads to, or `None` when the id names no person.
    fn root_person(&self, id: &str) -> Result<Option<String>> {
        root_person(&self.conn, &self.path, id)
    }

    fn person_record(&self, id: &str, edits: &Edits, vis: &VisibilityMap) -> Result<PersonRecord> {
        let path = &self.path;
        let err = || "reading a person".to_string();
        let stored_name: String = self
            .conn
            .prepare_cached("SELECT name FROM persons WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .ctx(path, err)?;
        let mut names: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT name, COUNT(*) FROM article_persons WHERE person = ?1 GROUP BY name",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(path, err)?;
        paged::sort_by_preference(&mut names);
        let articles: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(DISTINCT article_id) FROM article_persons WHERE person = ?1",
            )
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .ctx(path, err)?;
        let own_edits = edits.get(id);
        let name = own_edits
            .and_then(|e| e.get("name").cloned())
            .or_else(|| names.first().map(|n| n.0.clone()))
            .unwrap_or(stored_name);
        let status = self.person_status(id, edits)?;
        let person_vis = vis.get(id);
        let visibility = person_vis
            .and_then(|v| v.get("").copied())
            .unwrap_or(Visibility::Public);
        let field_visibility = person_vis
            .map(|v| {
                v.iter()
                    .filter(|(f, _)| !f.is_empty())
                    .map(|(f, l)| (f.clone(), *l))
                    .collect()
            })
            .unwrap_or_default();
        let confirmed: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM article_persons ap JOIN claims c ON c.id = ap.claim_id
                  WHERE ap.person = ?1 AND c.state = 'confirmed')",
            )
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .ctx(path, err)?;
        Ok(PersonRecord {
            id: id.to_string(),
            name,
            names: names.into_iter().map(|n| n.0).collect(),
            status,
            visibility,
            field_visibility,
            articles: articles as u64,
            confirmed,
        })
    }

    /// A person's status: a reviewer's edit, else derived from their events.
    fn person_status(&self, id: &str, edits: &Edits) -> Result<Status> {
        match edits
            .get(id)
            .and_then(|e| e.get("status"))
            .and_then(|s| Status::parse(s))
        {
            Some(status) => Ok(status),
            None => Ok(casebook_events::status::status(
                &self.person_events(id, edits)?,
            )),
        }
    }

    /// The person's non-rejected events, with reviewers' edits applied, for status derivation.
    fn person_events(&self, person: &str, edits: &Edits) -> Result<Vec<DatedEvent>> {
        // An event counts unless every report of it is rejected. Checking that costs half the
        // query, and most registers (every one in a bulk ingest) have no rejected report at all.
        let any_rejected: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM claims WHERE state = 'rejected' AND kind = 'event')",
            )
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .ctx(&self.path, || "reading a person's events".into())?;
        let not_all_rejected = if any_rejected {
            "AND EXISTS (SELECT 1 FROM event_sources r JOIN claims c ON c.id = r.claim_id
                          WHERE r.event_id = e.id AND c.state != 'rejected')"
        } else {
            ""
        };
        let rows: Vec<(String, String, Option<String>, String)> = self
            .conn
            .prepare_cached(&format!(
                "SELECT DISTINCT e.id, e.type, e.date, e.details_json {VICTIM_EVENTS_FROM} {not_all_rejected}"
            ))
            .and_then(|mut s| {
                s.query_map([person], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading a person's events".into())?;
        Ok(rows
            .into_iter()
            .map(|(id, mut event_type, mut date, details)| {
                if let Some(e) = edits.get(id.as_str()) {
                    if let Some(t) = e.get("type") {
                        event_type = t.clone();
                    }
                    if let Some(d) = e.get("date") {
                        date = Some(d.clone());
                    }
                }
                DatedEvent {
                    event_type,
                    date: date.as_deref().and_then(FuzzyDate::parse),
                    details: serde_json::from_str(&details).unwrap_or_default(),
                }
            })
            .collect())
    }

    fn sources(&self, sql: &'static str, id: &str) -> Result<Vec<SourceRecord>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(SourceRecord {
                        article: r.get(0)?,
                        text: r.get(1)?,
                        start: r.get::<_, i64>(2)? as usize,
                        end: r.get::<_, i64>(3)? as usize,
                        claim: r.get(4)?,
                        review: ReviewState::parse(&r.get::<_, String>(5)?)
                            .unwrap_or(ReviewState::Suggested),
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading sources".into())
    }

    fn strings(&self, sql: &'static str, id: &str) -> Result<Vec<String>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map([id], |r| r.get(0))?
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading the register".into())
    }

    fn event_record(&self, id: &str, edits: &Edits) -> Result<EventRecord> {
        let row: (
            String,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
            String,
        ) = self
            .conn
            .prepare_cached(
                "SELECT type, date, place, details_json, claimed_by, conflicts_json FROM events WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
                })
            })
            .ctx(&self.path, || "reading an event".into())?;
        let (mut event_type, mut date, mut place, details, claimed_by, conflicts) = row;
        if let Some(e) = edits.get(id) {
            if let Some(v) = e.get("type") {
                event_type = v.clone();
            }
            if let Some(v) = e.get("date") {
                date = Some(v.clone()).filter(|v| !v.is_empty());
            }
            if let Some(v) = e.get("place") {
                place = Some(v.clone()).filter(|v| !v.is_empty());
            }
        }
        let victims = self.strings(
            "SELECT DISTINCT ap.person FROM event_victims v
               JOIN article_persons ap ON ap.article_id = v.article_id AND ap.idx = v.person_idx
              WHERE v.event_id = ?1 ORDER BY 1",
            id,
        )?;
        let perpetrators = self.strings(
            "SELECT DISTINCT j.value FROM event_sources s, json_each(s.perpetrators_json) j
              WHERE s.event_id = ?1 ORDER BY 1",
            id,
        )?;
        let sources = self.sources(
            "SELECT s.article_id, s.text, s.start, s.\"end\", s.claim_id, c.state
               FROM event_sources s JOIN claims c ON c.id = s.claim_id
              WHERE s.event_id = ?1 ORDER BY s.article_id, s.seq",
            id,
        )?;
        Ok(EventRecord {
            id: id.to_string(),
            review: aggregate_review(&sources),
            event_type,
            date,
            place,
            victims,
            perpetrators,
            details: serde_json::from_str(&details).unwrap_or_default(),
            claimed_by,
            sources,
            conflicts: serde_json::from_str(&conflicts).unwrap_or_default(),
        })
    }

    fn case_record(&self, id: &str, name: String, edits: &Edits) -> Result<CaseRecord> {
        let name = edits
            .get(id)
            .and_then(|e| e.get("name").cloned())
            .unwrap_or(name);
        let defendants = self.strings(
            "SELECT DISTINCT ap.person FROM case_defendants d
               JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
              WHERE d.case_id = ?1 ORDER BY 1",
            id,
        )?;
        let events = self.strings(
            "SELECT event_id FROM case_events WHERE case_id = ?1 ORDER BY event_id",
            id,
        )?;
        let sources = self.sources(
            "SELECT s.article_id, s.text, s.start, s.\"end\", s.claim_id, c.state
               FROM case_sources s JOIN claims c ON c.id = s.claim_id
              WHERE s.case_id = ?1 ORDER BY s.article_id, s.seq",
            id,
        )?;
        let (names, reports) = self.case_reports(id)?;
        Ok(CaseRecord {
            id: id.to_string(),
            name,
            names,
            defendants,
            events,
            review: aggregate_review(&sources),
            sources,
            reports,
        })
    }

    /// Every name a case was reported under (most frequent first) and what each article put in.
    fn case_reports(&self, id: &str) -> Result<(Vec<String>, Vec<CaseReportRecord>)> {
        let err = || "reading a case's reports".to_string();
        let rows: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT article_id, name FROM case_reports WHERE case_id = ?1 ORDER BY article_id, seq",
            )
            .and_then(|mut s| s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        let defendants: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT d.article_id, ap.person FROM case_defendants d
                   JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
                  WHERE d.case_id = ?1 ORDER BY 1, 2",
            )
            .and_then(|mut s| s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut reports: Vec<CaseReportRecord> = Vec::new();
        for (article, name) in rows {
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name.clone(), 1)),
            }
            if reports
                .iter()
                .any(|r| r.article == article && r.name == name)
            {
                continue;
            }
            let named: Vec<String> = defendants
                .iter()
                .filter(|(a, _)| *a == article)
                .map(|(_, p)| p.clone())
                .collect();
            reports.push(CaseReportRecord {
                article,
                name,
                defendants: named,
            });
        }
        // Most frequent first; a stable sort keeps first-reported order among equals.
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        Ok((counts.into_iter().map(|(n, _)| n).collect(), reports))
    }

    fn count(&self, sql: &str) -> Result<u64> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .ctx(&self.path, || "counting".into())
    }

    fn grouped(&self, sql: &str) -> Result<BTreeMap<String, u64>> {
        let mut stmt = self
            .conn
            .prepare(sql)
            .ctx(&self.path, || "counting".into())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .and_then(|rows| rows.collect::<std::result::Result<BTreeMap<_, _>, _>>())
            .ctx(&self.path, || "counting".into())?;
        Ok(rows)
    }
}

/// What status derivation needs of a stored event.
struct DatedEvent {
    event_type: String,
    date: Option<FuzzyDate>,
    details: BTreeMap<String, String>,
}

impl casebook_events::status::Dated for DatedEvent {
    fn event_type(&self) -> &str {
        &self.event_type
    }
    fn date(&self) -> Option<FuzzyDate> {
        self.date
    }
    fn detail(&self, key: &str) -> Option<&str> {
        self.details.get(key).map(String::as_str)
    }
}

/// A source list's review: confirmed if any source is, rejected if all are, else suggested.
fn aggregate_review(sources: &[SourceRecord]) -> ReviewState {
    if sources.iter().any(|s| s.review == ReviewState::Confirmed) {
        ReviewState::Confirmed
    } else if !sources.is_empty() && sources.iter().all(|s| s.review == ReviewState::Rejected) {
        ReviewState::Rejected
    } else {
        ReviewState::Suggested
    }
}

/// The migrations a store has, and the first one this build does not know (a newer casebook's).
/// A store from before `schema_migrations` has every migration up to its `user_version`.
fn applied_migrations(conn: &Connection, path: &Path) -> Result<(BTreeSet<u32>, Option<u32>)> {
    let err = || "reading the schema version".to_string();
    let recorded: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
            [],
            |r| r.get(0),
        )
        .ctx(path, err)?;
    let applied: BTreeSet<u32> = if recorded {
        conn.prepare("SELECT version FROM schema_migrations")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .ctx(path, err)?
    } else {
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx(path, err)?;
        let mut known: BTreeSet<u32> = MIGRATIONS
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| *v <= version)
            .collect();
        if version > SCHEMA_VERSION {
            known.insert(version);
        }
        known
    };
    let unknown = applied
        .iter()
        .copied()
        .find(|v| !MIGRATIONS.iter().any(|(m, _)| m == v));
    Ok((applied, unknown))
}

fn root_person(conn: &Connection, path: &Path, id: &str) -> Result<Option<String>> {
    conn.prepare_cached("SELECT COALESCE(merged_into, id) FROM persons WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .ctx(path, || "looking up a person".into())
}

fn exists(conn: &Connection, path: &Path, sql: &str, id: &str) -> Result<bool> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
        .map(|r| r.is_some())
        .ctx(path, || "looking up an id".into())
}

fn insert_original(conn: &Connection, path: &Path, original: &Original) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO originals (sha256, source, size, bytes, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| {
            s.execute(params![
                original.sha256,
                original.source,
                original.bytes.len() as i64,
                original.bytes,
                now()
            ])
        })
        .ctx(path, || format!("storing original {}", original.sha256))?;
    Ok(n > 0)
}

/// Everything `store_article` writes, in one transaction.
fn write_article(
    conn: &Connection,
    path: &Path,
    original: &Original,
    analysed: &AnalysedArticle,
    provenance: &Provenance,
    resolver: &dyn PersonResolver,
) -> Result<StoreOutcome> {
    let article = &analysed.article;
    let err = || format!("storing article {}", article.id);
    let version = provenance.extractor_version.as_str();
    let stored_version: Option<String> = conn
        .prepare_cached("SELECT extractor_version FROM articles WHERE id = ?1")
        .and_then(|mut s| s.query_row([&article.id], |r| r.get(0)).optional())
        .ctx(path, err)?;
    let reanalysed = match stored_version {
        Some(v) if v == version => return Ok(StoreOutcome::AlreadyStored),
        Some(_) => {
            // A newer pipeline's reading replaces the older one's machine rows; claims (stable ids)
            // and every reviewer decision stay, so nothing a reviewer decided is lost.
            remove_machine_rows(conn, path, &article.id)?;
            true
        }
        None => false,
    };
    let at = now();
    insert_original(conn, path, original)?;
    conn.prepare_cached(
        "INSERT INTO articles (id, source, original_sha256, url, canonical_url, title, published,
           published_json, authors_json, site, language, paragraphs_json, near_dupes_json,
           extractor_version, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )
    .and_then(|mut s| {
        s.execute(params![
            article.id,
            article.source,
            original.sha256,
            article.url,
            article.canonical_url,
            article.title,
            article.published.as_ref().map(|p| p.value.clone()),
            article.published.as_ref().map(to_json),
            to_json(&article.authors),
            article.site,
            article.language,
            to_json(&article.paragraphs),
            to_json(&article.near_duplicates),
            version,
            at,
        ])
    })
    .ctx(path, err)?;
    let near = crate::near_dupes::link(conn, path, &article.id, &article.text())?;

    let people = &analysed.people;
    // The first mention of each article person is the evidence of the person claim.
    let mut first_mention: HashMap<usize, (usize, usize)> = HashMap::new();
    for m in &people.mentions {
        first_mention.entry(m.person).or_insert((m.start, m.end));
    }
    let mut machine: Vec<String> = Vec::with_capacity(people.persons.len());
    let mut effective: Vec<String> = Vec::with_capacity(people.persons.len());
    let mut new_persons = 0;
    for (idx, person) in people.persons.iter().enumerate() {
        let key = name_key(&person.name);
        if key.is_empty() {
            return Err(RegisterError::Invalid(format!(
                "article {}: person {idx} has an empty name",
                article.id
            )));
        }
        let surname = surname_key(&key).to_string();
        let resolution = resolver.resolve(&person.name, &mut TxLookup { conn, path })?;
        let (machine_id, candidate) = match resolution {
            Resolution::Same(id) => (id, None),
            Resolution::Candidate { person: other, .. } => (stable_id("p", &[&key]), Some(other)),
            Resolution::New => (stable_id("p", &[&key]), None),
        };
        let created = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO persons (id, name, created_at) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![machine_id, person.name, at]))
            .ctx(path, err)?;
        new_persons += created;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO person_names (name_key, person, name, surname_key)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| s.execute(params![key, machine_id, person.name, surname]))
        .ctx(path, err)?;
        let (start, end) = first_mention.get(&idx).copied().unzip();
        if let Some(other) = candidate.filter(|o| *o != machine_id) {
            let claim = stable_id("c", &["same_person", &other, &machine_id]);
            insert_claim(
                conn,
                path,
                &ClaimRow {
                    id: &claim,
                    kind: ClaimKind::SamePerson,
                    subject: &format!("{other}|{machine_id}"),
                    article: &article.id,
                    start,
                    end,
                    summary: &format!("{} may be the person {other}", person.name),
                    version,
                    at: &at,
                },
            )?;
        }
        let effective_id: String = conn
            .prepare_cached(&format!("SELECT {EFFECTIVE_PERSON_SQL}"))
            .and_then(|mut s| s.query_row(params![machine_id, key], |r| r.get(0)))
            .ctx(path, err)?;
        let claim = stable_id("c", &["person", &article.id, &idx.to_string(), &key]);
        conn.prepare_cached(
            "INSERT INTO article_persons (article_id, idx, name, name_key, descriptors_json,
               machine_person, person, claim_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                article.id,
                idx as i64,
                person.name,
                key,
                to_json(&person.descriptors),
                machine_id,
                effective_id,
                claim
            ])
        })
        .ctx(path, err)?;
        insert_claim(
            conn,
            path,
            &ClaimRow {
                id: &claim,
                kind: ClaimKind::Person,
                subject: &machine_id,
                article: &article.id,
                start,
                end,
                summary: &format!("{} is named in {}", person.name, article.id),
                version,
                at: &at,
            },
        )?;
        machine.push(machine_id);
        effective.push(effective_id);
    }

    for (seq, m) in people.mentions.iter().enumerate() {
        if m.person >= people.persons.len() {
            return Err(RegisterError::Invalid(format!(
                "article {}: mention {seq} points to person {} of {}",
                article.id,
                m.person,
                people.persons.len()
            )));
        }
        conn.prepare_cached(
            "INSERT INTO mentions (article_id, seq, person_idx, text, start, \"end\")
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| {
            s.execute(params![
                article.id,
                seq as i64,
                m.person as i64,
                m.text,
                m.start as i64,
                m.end as i64
            ])
        })
        .ctx(path, err)?;
    }
    for (seq, e) in people.entities.iter().enumerate() {
        let kind = match e.kind {
            casebook_model::EntityKind::Organization => "organization",
            casebook_model::EntityKind::Place => "place",
        };
        conn.prepare_cached(
            "INSERT INTO entities (article_id, seq, kind, text, start, \"end\", canonical)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                article.id,
                seq as i64,
                kind,
                e.text,
                e.start as i64,
                e.end as i64,
                e.canonical
            ])
        })
        .ctx(path, err)?;
    }

    let person_of = |idx: usize| -> Result<&String> {
        machine.get(idx).ok_or_else(|| {
            RegisterError::Invalid(format!(
                "article {}: a fact points to person {idx} of {}",
                article.id,
                machine.len()
            ))
        })
    };
    let mut new_events = 0;
    let day_window = casebook_events::merge::MergeOptions::default().day_window;
    let mut event_ids: Vec<(String, BTreeSet<usize>)> = Vec::new();
    let mut victim_events = VictimEvents::default();
    for (seq, event) in analysed.events.events.iter().enumerate() {
        let mut victims: Vec<&str> = Vec::new();
        for &v in &event.victims {
            victims.push(effective.get(v).map(String::as_str).ok_or_else(|| {
                RegisterError::Invalid(format!(
                    "article {}: event {seq} points to person {v} of {}",
                    article.id,
                    effective.len()
                ))
            })?);
        }
        victims.sort_unstable();
        victims.dedup();
        let date = event.date.map(|d| d.to_string());
        // Another article's report of the same event: same type, a shared victim, compatible dates
        // (the events stage's rule). Events without named victims cannot be told apart; they stay alone.
        let found = victim_events.find(conn, path, &victims, event, day_window, &near)?;
        let id = found.as_ref().map(|k| k.id.clone());
        let id = id
            .unwrap_or_else(|| stable_id("e", &[&article.id, &seq.to_string(), &event.event_type]));
        let created = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO events (id, type, date, place, details_json, claimed_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    event.event_type,
                    date,
                    event.place,
                    to_json(&event.details),
                    event.claimed_by,
                    at
                ])
            })
            .ctx(path, err)?;
        new_events += created;
        let created_event = (created > 0).then(|| KnownEvent {
            id: id.clone(),
            date: date.clone(),
            created_at: at.clone(),
        });
        victim_events.record(&victims, &id, &event.event_type, created_event);
        let ev = &event.evidence;
        let claim = stable_id(
            "c",
            &[
                "event",
                &article.id,
                &seq.to_string(),
                &event.event_type,
                &ev.start.to_string(),
            ],
        );
        // The report: its evidence and what this article says of the event (date, place,
        // details, claim, victims, perpetrators), which the event's own values come from.
        conn.prepare_cached(
            "INSERT INTO event_sources (article_id, seq, event_id, text, start, \"end\", claim_id,
               date, place, details_json, claimed_by, victims_json, perpetrators_json, type)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .and_then(|mut s| {
            s.execute(params![
                article.id,
                seq as i64,
                id,
                ev.text,
                ev.start as i64,
                ev.end as i64,
                claim,
                date,
                event.place,
                to_json(&event.details),
                event.claimed_by,
                to_json(&event.victims),
                to_json(&event.perpetrators),
                event.event_type,
            ])
        })
        .ctx(path, err)?;
        if created == 0 {
            // A later report joins the event: date, place and details reconcile, disagreements stay.
            crate::reconcile::reconcile(conn, path, &id)?;
            victim_events.reconciled(&id);
        }
        let victim_names: Vec<&str> = event
            .victims
            .iter()
            .filter_map(|&v| people.persons.get(v).map(|p| p.name.as_str()))
            .collect();
        let mut summary = event.event_type.clone();
        if !victim_names.is_empty() {
            summary.push_str(&format!(" of {}", victim_names.join(", ")));
        }
        if let Some(d) = &date {
            summary.push_str(&format!(" on {d}"));
        }
        if let Some(p) = &event.place {
            summary.push_str(&format!(" in {p}"));
        }
        insert_claim(
            conn,
            path,
            &ClaimRow {
                id: &claim,
                kind: ClaimKind::Event,
                subject: &id,
                article: &article.id,
                start: Some(ev.start),
                end: Some(ev.end),
                summary: &summary,
                version,
                at: &at,
            },
        )?;
        event_ids.push((id, event.victims.iter().copied().collect()));
    }

    for (seq, case) in analysed.events.cases.iter().enumerate() {
        let key = name_key(&case.name);
        let mut defendant_ids = Vec::with_capacity(case.defendants.len());
        for &d in &case.defendants {
            person_of(d)?;
            defendant_ids.extend(effective.get(d).cloned());
        }
        // One case under every outlet's name: joins a stored case or starts one.
        let id = crate::case_join::attach(
            conn,
            path,
            &article.id,
            seq,
            &case.name,
            &defendant_ids,
            &at,
        )?;
        for &d in &case.defendants {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO case_defendants (case_id, article_id, person_idx) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![id, article.id, d as i64]))
            .ctx(path, err)?;
        }
        // The case's events are this article's events that happened to one of its defendants.
        for (event_id, victims) in &event_ids {
            if case.defendants.iter().any(|d| victims.contains(d)) {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO case_events (case_id, event_id) VALUES (?1, ?2)",
                )
                .and_then(|mut s| s.execute(params![id, event_id]))
                .ctx(path, err)?;
            }
        }
        let ev = &case.evidence;
        let claim = stable_id("c", &["case", &article.id, &seq.to_string(), &key]);
        conn.prepare_cached(
            "INSERT INTO case_sources (article_id, seq, case_id, text, start, \"end\", claim_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                article.id,
                seq as i64,
                id,
                ev.text,
                ev.start as i64,
                ev.end as i64,
                claim
            ])
        })
        .ctx(path, err)?;
        insert_claim(
            conn,
            path,
            &ClaimRow {
                id: &claim,
                kind: ClaimKind::Case,
                subject: &id,
                article: &article.id,
                start: Some(ev.start),
                end: Some(ev.end),
                summary: &format!(
                    "case {} with {} defendants",
                    case.name,
                    case.defendants.len()
                ),
                version,
                at: &at,
            },
        )?;
    }

    let payload = serde_json::json!({
        "source": article.source,
        "original": original.sha256,
        "persons": people.persons.len(),
        "events": analysed.events.events.len(),
        "cases": analysed.events.cases.len(),
        "extractor_version": version,
    });
    let action = if reanalysed { "reanalyse" } else { "ingest" };
    append_audit(
        conn,
        path,
        &provenance.actor,
        action,
        &article.id,
        &payload.to_string(),
    )?;
    let written = Written {
        persons: effective,
        events: event_ids.into_iter().map(|(id, _)| id).collect(),
        new_persons,
        new_events,
        near_duplicates: near,
    };
    Ok(if reanalysed {
        StoreOutcome::Reanalysed(written)
    } else {
        StoreOutcome::Stored(written)
    })
}

/// An event as the same-event rule of [`write_article`] sees it.
#[derive(Debug, Clone)]
struct KnownEvent {
    id: String,
    date: Option<String>,
    created_at: String,
}

/// The events each victim of an article already has, read once per victim and article (not once
/// per event report): an article reports several events of the same few persons, and a person
/// in the news often has many. Only the ids and types come with the victim (from the reports);
/// an event's date and age are read when its type matches a new report's.
#[derive(Default)]
struct VictimEvents {
    /// Per victim: (event id, type) of each event they are a victim of, in no set order.
    by_victim: HashMap<String, Vec<(String, String)>>,
    /// Events read so far, by id.
    events: HashMap<String, KnownEvent>,
}

/// True when one of these articles reports the event.
fn reported_by_any(
    conn: &Connection,
    path: &Path,
    event: &str,
    articles: &[String],
) -> Result<bool> {
    for article in articles {
        let found = conn
            .prepare_cached(
                "SELECT 1 FROM event_sources WHERE article_id = ?1 AND event_id = ?2 LIMIT 1",
            )
            .and_then(|mut s| s.exists(params![article, event]))
            .ctx(path, || "looking up an event's reports".into())?;
        if found {
            return Ok(true);
        }
    }
    Ok(false)
}

impl VictimEvents {
    /// The victim's events of one type, oldest first (by creation, then id).
    fn of_type(
        &mut self,
        conn: &Connection,
        path: &Path,
        victim: &str,
        event_type: &str,
    ) -> Result<Vec<KnownEvent>> {
        if !self.by_victim.contains_key(victim) {
            let mut known: Vec<(String, String)> = conn
                .prepare_cached(&format!("SELECT s.event_id, s.type {VICTIM_EVENTS_FROM}"))
                .and_then(|mut s| {
                    s.query_map([victim], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<std::result::Result<Vec<_>, _>>()
                })
                .ctx(path, || "reading a person's events".into())?;
            known.sort_unstable();
            known.dedup();
            self.by_victim.insert(victim.to_string(), known);
        }
        let ids: Vec<String> = self
            .by_victim
            .get(victim)
            .into_iter()
            .flatten()
            .filter(|(_, t)| t == event_type)
            .map(|(id, _)| id.clone())
            .collect();
        let mut events = Vec::with_capacity(ids.len());
        for id in ids {
            events.push(self.event(conn, path, &id)?);
        }
        events.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Ok(events)
    }

    /// An event's date and creation time, read once.
    fn event(&mut self, conn: &Connection, path: &Path, id: &str) -> Result<KnownEvent> {
        if let Some(known) = self.events.get(id) {
            return Ok(known.clone());
        }
        let known = conn
            .prepare_cached("SELECT date, created_at FROM events WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok(KnownEvent {
                        id: id.to_string(),
                        date: r.get(0)?,
                        created_at: r.get(1)?,
                    })
                })
            })
            .ctx(path, || "reading an event".into())?;
        self.events.insert(id.to_string(), known.clone());
        Ok(known)
    }

    /// Another report of the same event: same type, a shared victim, compatible dates (the events
    /// stage's rule), the oldest such event of the first victim that has one. Two undated reports
    /// say too little to be one event, unless the other one comes from a syndicated copy of this
    /// article (`near`: its near-duplicates), which reports the same events. Events without named
    /// victims cannot be told apart; they stay alone.
    fn find(
        &mut self,
        conn: &Connection,
        path: &Path,
        victims: &[&str],
        event: &casebook_model::Event,
        day_window: i64,
        near: &[String],
    ) -> Result<Option<KnownEvent>> {
        for victim in victims {
            let mut undated = Vec::new();
            for k in self.of_type(conn, path, victim, &event.event_type)? {
                let known_date = k.date.as_deref().and_then(FuzzyDate::parse);
                if known_date.is_none() && event.date.is_none() {
                    if !near.is_empty() {
                        undated.push(k);
                    }
                } else if dates_compatible(known_date, event.date, day_window) {
                    return Ok(Some(k));
                }
            }
            for k in undated {
                if reported_by_any(conn, path, &k.id, near)? {
                    return Ok(Some(k));
                }
            }
        }
        Ok(None)
    }

    /// Notes that the victims now have event `id` of this type (found, created, or already
    /// stored under its id); `created` gives a new event's date and creation time.
    fn record(
        &mut self,
        victims: &[&str],
        id: &str,
        event_type: &str,
        created: Option<KnownEvent>,
    ) {
        if let Some(known) = created {
            self.events.insert(id.to_string(), known);
        }
        for victim in victims {
            // A victim not read yet reads the event from the store when it is.
            if let Some(known) = self.by_victim.get_mut(*victim) {
                if !known.iter().any(|(k, _)| k == id) {
                    known.push((id.to_string(), event_type.to_string()));
                }
            }
        }
    }

    /// A report joined event `id` and its date may have changed: read it again when needed.
    fn reconciled(&mut self, id: &str) {
        self.events.remove(id);
    }
}

/// Removes what an earlier pipeline run derived from one article (not its claims or original).
fn remove_machine_rows(conn: &Connection, path: &Path, article: &str) -> Result<()> {
    let err = || format!("replacing the analysis of article {article}");
    let ids = |sql: &str| -> Result<Vec<String>> {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.query_map([article], |r| r.get(0))?.collect())
            .ctx(path, err)
    };
    let events = ids("SELECT DISTINCT event_id FROM event_sources WHERE article_id = ?1")?;
    let cases = ids("SELECT DISTINCT case_id FROM case_sources WHERE article_id = ?1")?;
    crate::near_dupes::forget(conn, path, article)?;
    for table in [
        "mentions",
        "entities",
        "event_sources",
        "case_defendants",
        "case_sources",
        "case_reports",
    ] {
        conn.execute(
            &format!("DELETE FROM {table} WHERE article_id = ?1"),
            [article],
        )
        .ctx(path, err)?;
    }
    for event in events {
        if !exists(
            conn,
            path,
            "SELECT 1 FROM event_sources WHERE event_id = ?1",
            &event,
        )? {
            for sql in [
                "DELETE FROM case_events WHERE event_id = ?1",
                "DELETE FROM events WHERE id = ?1",
            ] {
                conn.execute(sql, [&event]).ctx(path, err)?;
            }
        } else {
            crate::reconcile::reconcile(conn, path, &event)?;
        }
    }
    crate::case_join::refresh_names(conn, path, &cases)?;
    for case in cases {
        if !exists(
            conn,
            path,
            "SELECT 1 FROM case_sources WHERE case_id = ?1",
            &case,
        )? {
            for sql in [
                "DELETE FROM case_defendants WHERE case_id = ?1",
                "DELETE FROM case_events WHERE case_id = ?1",
                "DELETE FROM cases WHERE id = ?1",
            ] {
                conn.execute(sql, [&case]).ctx(path, err)?;
            }
        }
    }
    conn.execute(
        "DELETE FROM article_persons WHERE article_id = ?1",
        [article],
    )
    .ctx(path, err)?;
    conn.execute("DELETE FROM articles WHERE id = ?1", [article])
        .ctx(path, err)?;
    Ok(())
}

struct ClaimRow<'a> {
    id: &'a str,
    kind: ClaimKind,
    subject: &'a str,
    article: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    summary: &'a str,
    version: &'a str,
    at: &'a str,
}

/// Inserts a claim; a claim made again (by a newer pipeline) keeps its review state and only
/// records the newer extractor version.
fn insert_claim(conn: &Connection, path: &Path, c: &ClaimRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO claims (id, kind, subject, article_id, start, \"end\", summary, extractor_version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET extractor_version = excluded.extractor_version",
    )
    .and_then(|mut s| {
        s.execute(params![
            c.id,
            c.kind.as_str(),
            c.subject,
            c.article,
            c.start.map(|v| v as i64),
            c.end.map(|v| v as i64),
            c.summary,
            c.version,
            c.at
        ])
    })
    .ctx(path, || format!("storing claim {}", c.id))?;
    Ok(())
}

/// Recomputes a claim's state from its latest active confirm/reject decision.
fn refresh_claim_state(conn: &Connection, path: &Path, claim: &str) -> Result<()> {
    let latest: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT cd.state, d.actor, d.at FROM claim_decisions cd JOIN decisions d ON d.id = cd.decision_id
              WHERE cd.claim_id = ?1 ORDER BY cd.decision_id DESC LIMIT 1",
        )
        .and_then(|mut s| s.query_row([claim], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional())
        .ctx(path, || "reading claim decisions".into())?;
    let (state, by, at) = match latest {
        Some((s, by, at)) => (s, Some(by), Some(at)),
        None => ("suggested".to_string(), None, None),
    };
    conn.prepare_cached(
        "UPDATE claims SET state = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
    )
    .and_then(|mut s| s.execute(params![claim, state, by, at]))
    .ctx(path, || "updating a claim".into())?;
    Ok(())
}

/// Rebuilds `persons.merged_into` from the active merge decisions and confirmed same-person claims.
fn recompute_merges(conn: &Connection, path: &Path) -> Result<()> {
    let err = || "applying merges".to_string();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let payloads: Vec<String> = conn
        .prepare_cached(
            "SELECT payload FROM decisions WHERE action = 'merge' AND undone_by IS NULL ORDER BY id",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .ctx(path, err)?;
    for p in payloads {
        if let Ok(Decision::Merge { into, from }) = serde_json::from_str::<Decision>(&p) {
            pairs.push((into, from));
        }
    }
    let subjects: Vec<String> = conn
        .prepare_cached(
            "SELECT subject FROM claims WHERE kind = 'same_person' AND state = 'confirmed' ORDER BY decided_at",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .ctx(path, err)?;
    for s in subjects {
        if let Some((into, from)) = s.split_once('|') {
            pairs.push((into.to_string(), from.to_string()));
        }
    }
    // Union-find over the few persons that take part in merges.
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
        let mut cur = x.to_string();
        while let Some(p) = parent.get(&cur) {
            if *p == cur {
                break;
            }
            cur = p.clone();
        }
        cur
    }
    for (into, from) in &pairs {
        let ri = find(&mut parent, into);
        let rf = find(&mut parent, from);
        if ri != rf {
            parent.insert(rf, ri);
        }
    }
    conn.execute(
        "UPDATE persons SET merged_into = NULL WHERE merged_into IS NOT NULL",
        [],
    )
    .ctx(path, err)?;
    let members: Vec<String> = parent.keys().cloned().collect();
    for m in members {
        let root = find(&mut parent, &m);
        if root != m {
            conn.prepare_cached("UPDATE persons SET merged_into = ?2 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![m, root]))
                .ctx(path, err)?;
        }
    }
    Ok(())
}

/// Recomputes every article person's effective register person after merges and splits changed.
fn recompute_effective(conn: &Connection, path: &Path) -> Result<()> {
    let expr = EFFECTIVE_PERSON_SQL
        .replace("?1", "article_persons.machine_person")
        .replace("?2", "article_persons.name_key");
    conn.execute(
        &format!("UPDATE article_persons SET person = {expr} WHERE person IS NOT {expr}"),
        [],
    )
    .ctx(path, || "applying merges and splits".into())?;
    Ok(())
}

/// Resolves what a confirm/reject targets to the claim ids it covers.
fn target_claims(conn: &Connection, path: &Path, target: &str) -> Result<Vec<String>> {
    let list = |sql: &str| -> Result<Vec<String>> {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.query_map([target], |r| r.get(0))?.collect())
            .ctx(path, || "resolving a review target".into())
    };
    if exists(conn, path, "SELECT 1 FROM claims WHERE id = ?1", target)? {
        return Ok(vec![target.to_string()]);
    }
    if exists(conn, path, "SELECT 1 FROM events WHERE id = ?1", target)? {
        return list(
            "SELECT claim_id FROM event_sources WHERE event_id = ?1 ORDER BY article_id, seq",
        );
    }
    if exists(conn, path, "SELECT 1 FROM cases WHERE id = ?1", target)? {
        return list(
            "SELECT claim_id FROM case_sources WHERE case_id = ?1 ORDER BY article_id, seq",
        );
    }
    if let Some(root) = root_person(conn, path, target)? {
        let claims: Vec<String> = conn
            .prepare_cached(
                "SELECT claim_id FROM article_persons WHERE person = ?1 ORDER BY article_id, idx",
            )
            .and_then(|mut s| s.query_map([&root], |r| r.get(0))?.collect())
            .ctx(path, || "resolving a review target".into())?;
        return Ok(claims);
    }
    Err(RegisterError::UnknownId {
        kind: "claim, event, case or person",
        id: target.to_string(),
    })
}

fn require_person(conn: &Connection, path: &Path, id: &str) -> Result<String> {
    root_person(conn, path, id)?.ok_or_else(|| RegisterError::UnknownId {
        kind: "person",
        id: id.to_string(),
    })
}

const PERSON_FIELDS: &[&str] = &["name", "status"];
const EVENT_FIELDS: &[&str] = &["type", "date", "place"];
const VISIBILITY_FIELDS: &[&str] = &["name", "names", "status"];

/// Checks a decision against the register and applies it; returns the payload to record.
fn apply_decision(conn: &Connection, path: &Path, id: i64, decision: &Decision) -> Result<()> {
    let err = || "applying a decision".to_string();
    match decision {
        Decision::Confirm { target } | Decision::Reject { target } => {
            let state = if matches!(decision, Decision::Confirm { .. }) {
                ReviewState::Confirmed
            } else {
                ReviewState::Rejected
            };
            let claims = target_claims(conn, path, target)?;
            let mut touches_identity = false;
            for claim in &claims {
                conn.prepare_cached(
                    "INSERT INTO claim_decisions (decision_id, claim_id, state) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut s| s.execute(params![id, claim, state.as_str()]))
                .ctx(path, err)?;
                refresh_claim_state(conn, path, claim)?;
                touches_identity |= exists(
                    conn,
                    path,
                    "SELECT 1 FROM claims WHERE id = ?1 AND kind = 'same_person'",
                    claim,
                )?;
            }
            if touches_identity {
                recompute_merges(conn, path)?;
                recompute_effective(conn, path)?;
            }
        }
        Decision::Edit {
            target,
            field,
            value,
        } => {
            let is_event = exists(conn, path, "SELECT 1 FROM events WHERE id = ?1", target)?;
            let is_case = exists(conn, path, "SELECT 1 FROM cases WHERE id = ?1", target)?;
            let (target, allowed): (String, &[&str]) = if is_event {
                (target.clone(), EVENT_FIELDS)
            } else if is_case {
                (target.clone(), &["name"])
            } else if let Some(root) = root_person(conn, path, target)? {
                (root, PERSON_FIELDS)
            } else {
                return Err(RegisterError::UnknownId {
                    kind: "person, event or case",
                    id: target.clone(),
                });
            };
            if !allowed.contains(&field.as_str()) {
                return Err(RegisterError::Invalid(format!(
                    "cannot edit field {field:?} of {target}: editable fields are {}",
                    allowed.join(", ")
                )));
            }
            let valid = match (is_event, field.as_str()) {
                (false, "status") => Status::parse(value).is_some(),
                (true, "date") => value.is_empty() || FuzzyDate::parse(value).is_some(),
                _ => is_event || is_case || !value.trim().is_empty(),
            };
            if !valid {
                return Err(RegisterError::Invalid(format!(
                    "{value:?} is not a valid {field} (statuses: {}; dates: YYYY, YYYY-MM or YYYY-MM-DD)",
                    Status::ALL.map(|s| s.as_str()).join(", ")
                )));
            }
            conn.prepare_cached(
                "INSERT INTO field_edits (decision_id, target, field, value) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![id, target, field, value]))
            .ctx(path, err)?;
        }
        Decision::Merge { into, from } => {
            let a = require_person(conn, path, into)?;
            let b = require_person(conn, path, from)?;
            if a == b {
                return Err(RegisterError::Invalid(format!(
                    "{into} and {from} are already the same person ({a})"
                )));
            }
            recompute_merges(conn, path)?;
            recompute_effective(conn, path)?;
        }
        Decision::Split { person, names } => {
            let root = require_person(conn, path, person)?;
            if names.is_empty() {
                return Err(RegisterError::Invalid(
                    "a split needs at least one name to move".into(),
                ));
            }
            let own: BTreeSet<String> = conn
                .prepare_cached("SELECT DISTINCT name_key FROM article_persons WHERE person = ?1")
                .and_then(|mut s| s.query_map([&root], |r| r.get(0))?.collect())
                .ctx(path, err)?;
            let keys: BTreeSet<String> = names.iter().map(|n| name_key(n)).collect();
            for (i, key) in keys.iter().enumerate() {
                if !own.contains(key) {
                    return Err(RegisterError::Invalid(format!(
                        "person {root} was never named as name {} of the split list; \
                         see `casebook person {root}` for the names",
                        i + 1
                    )));
                }
            }
            if keys.len() == own.len() {
                return Err(RegisterError::Invalid(format!(
                    "a split must leave {root} at least one name"
                )));
            }
            let new_person = stable_id("p", &["split", &id.to_string(), &root]);
            conn.prepare_cached("INSERT INTO persons (id, name, created_at) VALUES (?1, ?2, ?3)")
                .and_then(|mut s| s.execute(params![new_person, names[0], now()]))
                .ctx(path, err)?;
            for key in &keys {
                conn.prepare_cached(
                    "INSERT INTO person_splits (decision_id, from_person, name_key, to_person)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![id, root, key, new_person]))
                .ctx(path, err)?;
            }
            recompute_effective(conn, path)?;
        }
        Decision::SetVisibility {
            person,
            field,
            level,
        } => {
            let root = require_person(conn, path, person)?;
            let field = field.clone().unwrap_or_default();
            if !field.is_empty() && !VISIBILITY_FIELDS.contains(&field.as_str()) {
                return Err(RegisterError::Invalid(format!(
                    "no field {field:?} to hide: fields are {}",
                    VISIBILITY_FIELDS.join(", ")
                )));
            }
            conn.prepare_cached(
                "INSERT INTO visibility (decision_id, person, field, level) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![id, root, field, level.as_str()]))
            .ctx(path, err)?;
        }
    }
    Ok(())
}

fn decision_target(decision: &Decision) -> String {
    match decision {
        Decision::Confirm { target }
        | Decision::Reject { target }
        | Decision::Edit { target, .. } => target.clone(),
        Decision::Merge { into, .. } => into.clone(),
        Decision::Split { person, .. } | Decision::SetVisibility { person, .. } => person.clone(),
    }
}

fn read_decision(conn: &Connection, path: &Path, id: i64) -> Result<Option<DecisionRecord>> {
    conn.prepare_cached(
        "SELECT id, at, actor, action, target, payload, undone_by FROM decisions WHERE id = ?1",
    )
    .and_then(|mut s| s.query_row([id], decision_row).optional())
    .ctx(path, || "reading a decision".into())
}

fn decision_row(r: &rusqlite::Row) -> rusqlite::Result<DecisionRecord> {
    let payload: String = r.get(5)?;
    Ok(DecisionRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        undone_by: r.get(6)?,
    })
}

fn claim_row(r: &rusqlite::Row) -> rusqlite::Result<Claim> {
    let kind: String = r.get(1)?;
    let state: String = r.get(8)?;
    Ok(Claim {
        id: r.get(0)?,
        kind: ClaimKind::parse(&kind).unwrap_or(ClaimKind::Person),
        subject: r.get(2)?,
        article: r.get(3)?,
        start: r.get::<_, Option<i64>>(4)?.map(|v| v as usize),
        end: r.get::<_, Option<i64>>(5)?.map(|v| v as usize),
        summary: r.get(6)?,
        extractor_version: r.get(7)?,
        state: ReviewState::parse(&state).unwrap_or(ReviewState::Suggested),
        decided_by: r.get(9)?,
        decided_at: r.get(10)?,
    })
}

const CLAIM_COLUMNS: &str =
    "id, kind, subject, article_id, start, \"end\", summary, extractor_version, state, decided_by, decided_at";

impl Store for SqliteStore {
    fn schema_version(&self) -> Result<u32> {
        self.read_user_version()
    }

    fn integrity_check(&self) -> Result<Vec<String>> {
        let mut problems: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
            .ctx(&self.path, || "checking integrity".into())?;
        problems.retain(|p| p != "ok");
        let fk: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(format!(
                        "{} row {} has no parent in {}",
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?
                    ))
                })?
                .collect()
            })
            .ctx(&self.path, || "checking foreign keys".into())?;
        problems.extend(fk);
        // Logical checks a crash could break if writes were not atomic.
        let orphans = self.count(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS
               (SELECT 1 FROM audit WHERE action = 'ingest' AND target = a.id)",
        )?;
        if orphans > 0 {
            problems.push(format!("{orphans} articles have no audit entry"));
        }
        let unclaimed = self.count(
            "SELECT COUNT(*) FROM article_persons ap WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = ap.claim_id)",
        )?;
        if unclaimed > 0 {
            problems.push(format!("{unclaimed} article persons have no claim"));
        }
        let report = self.verify_audit()?;
        if let Some((seq, why)) = report.broken {
            problems.push(format!("audit entry {seq}: {why}"));
        }
        // Reviewers' state changed beside the log (a direct UPDATE) breaks no hash: replay it.
        problems.extend(self.replay_problems()?);
        Ok(problems)
    }

    fn has_article(&self, id: &str) -> Result<bool> {
        exists(
            &self.conn,
            &self.path,
            "SELECT 1 FROM articles WHERE id = ?1",
            id,
        )
    }

    fn article_version(&self, id: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT extractor_version FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .ctx(&self.path, || "looking up an article".into())
    }

    fn has_original(&self, sha256: &str) -> Result<bool> {
        exists(
            &self.conn,
            &self.path,
            "SELECT 1 FROM originals WHERE sha256 = ?1",
            sha256,
        )
    }

    fn add_original(&mut self, original: &Original, actor: &str) -> Result<bool> {
        self.write("storing an original", |conn, path| {
            let added = insert_original(conn, path, original)?;
            if added {
                let payload =
                    serde_json::json!({"source": original.source, "size": original.bytes.len()});
                append_audit(
                    conn,
                    path,
                    actor,
                    "add_original",
                    &original.sha256,
                    &payload.to_string(),
                )?;
            }
            Ok(added)
        })
    }

    fn store_article(
        &mut self,
        original: &Original,
        analysed: &AnalysedArticle,
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<StoreOutcome> {
        if self.article_version(&analysed.article.id)?.as_deref()
            == Some(&provenance.extractor_version)
        {
            // Checked before taking the write lock, so a re-run over stored articles never queues.
            return Ok(StoreOutcome::AlreadyStored);
        }
        let stored = self.write("storing an article", |conn, path| {
            write_article(conn, path, original, analysed, provenance, resolver)
        });
        if stored.is_err() {
            // The resolver may have read names of the rolled-back transaction.
            resolver.forget();
        }
        stored
    }

    /// A larger page cache (a large store's indexes take new entries at random places; each page
    /// not in the cache is read back from the file and written out again at the next commit), and
    /// the write-ahead log copied back on a thread of its own instead of inside the commits
    /// ([`crate::checkpoint`]). Calling it again changes nothing.
    fn prepare_bulk_ingest(&mut self) -> Result<()> {
        if self.checkpointer.is_some() {
            return Ok(());
        }
        self.conn.execute_batch(BULK_SETUP).ctx(&self.path, || {
            "setting up the store for a long ingest".into()
        })?;
        self.checkpointer = Some(crate::checkpoint::Checkpointer::start(&self.path)?);
        Ok(())
    }

    fn store_batch(
        &mut self,
        batch: &[(&Original, &AnalysedArticle)],
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<Vec<StoreOutcome>> {
        let mut pending = Vec::with_capacity(batch.len());
        for (_, analysed) in batch {
            // Checked before taking the write lock, so a re-run over stored articles never queues.
            let stored = self.article_version(&analysed.article.id)?;
            pending.push(stored.as_deref() != Some(provenance.extractor_version.as_str()));
        }
        if !pending.contains(&true) {
            return Ok(batch.iter().map(|_| StoreOutcome::AlreadyStored).collect());
        }
        let stored = self.write("storing a batch of articles", |conn, path| {
            let mut outcomes = Vec::with_capacity(batch.len());
            for ((original, analysed), pending) in batch.iter().zip(pending) {
                outcomes.push(if pending {
                    write_article(conn, path, original, analysed, provenance, resolver)?
                } else {
                    StoreOutcome::AlreadyStored
                });
            }
            Ok(outcomes)
        });
        if stored.is_err() {
            resolver.forget();
        }
        stored
    }

    fn original_bytes(&self, sha256: &str) -> Result<Vec<u8>> {
        self.conn
            .prepare_cached("SELECT bytes FROM originals WHERE sha256 = ?1")
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .ctx(&self.path, || "reading an original".into())?
            .ok_or_else(|| RegisterError::UnknownId {
                kind: "original",
                id: sha256.to_string(),
            })
    }

    fn case_file(&self, person: &str) -> Result<CaseFile> {
        let root = self
            .root_person(person)?
            .ok_or_else(|| RegisterError::UnknownId {
                kind: "person",
                id: person.to_string(),
            })?;
        let edits = self.load_edits()?;
        let vis = self.load_visibility()?;
        let record = self.person_record(&root, &edits, &vis)?;
        let descriptors = self.descriptors(&root)?;
        let event_ids = self.strings(
            "SELECT DISTINCT v.event_id FROM article_persons ap
               JOIN event_victims v ON v.article_id = ap.article_id AND v.person_idx = ap.idx
              WHERE ap.person = ?1",
            &root,
        )?;
        let mut timeline = Vec::with_capacity(event_ids.len());
        for id in event_ids {
            timeline.push(self.event_record(&id, &edits)?);
        }
        timeline.sort_by(|a, b| match (&a.date, &b.date) {
            (Some(x), Some(y)) => x.cmp(y).then(a.id.cmp(&b.id)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.id.cmp(&b.id),
        });
        let cases = self.person_cases(&root, &edits)?;
        let possible_duplicates = self.possible_duplicates(&root)?;
        Ok(CaseFile {
            person: record,
            descriptors,
            timeline,
            cases,
            possible_duplicates,
        })
    }

    fn person(&self, id: &str) -> Result<PersonRecord> {
        let root = self
            .root_person(id)?
            .ok_or_else(|| RegisterError::UnknownId {
                kind: "person",
                id: id.to_string(),
            })?;
        self.person_record(&root, &self.load_edits()?, &self.load_visibility()?)
    }

    fn find_persons(&self, text: &str, limit: usize) -> Result<Vec<PersonRecord>> {
        let key = name_key(text);
        if key.is_empty() {
            return Err(RegisterError::Invalid(
                "a person search needs at least one letter or digit".into(),
            ));
        }
        let pattern = format!("%{}%", key.replace(['%', '_'], ""));
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT person FROM article_persons WHERE name_key LIKE ?1 ORDER BY person LIMIT ?2",
            )
            .and_then(|mut s| s.query_map(params![pattern, limit as i64], |r| r.get(0))?.collect())
            .ctx(&self.path, || "searching persons".into())?;
        let edits = self.load_edits()?;
        let vis = self.load_visibility()?;
        ids.iter()
            .map(|id| self.person_record(id, &edits, &vis))
            .collect()
    }

    fn claims(&self, filter: &ClaimFilter) -> Result<Vec<Claim>> {
        let limit = if filter.limit == 0 {
            i64::MAX
        } else {
            filter.limit as i64
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CLAIM_COLUMNS} FROM claims
                  WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR kind = ?2)
                    AND (?3 IS NULL OR subject = ?3 OR subject LIKE ?3 || '|%' OR subject LIKE '%|' || ?3)
                  ORDER BY rowid LIMIT ?4"
            ))
            .ctx(&self.path, || "listing claims".into())?;
        let rows = stmt
            .query_map(
                params![
                    filter.state.map(|s| s.as_str()),
                    filter.kind.map(|k| k.as_str()),
                    filter.subject,
                    limit
                ],
                claim_row,
            )
            .and_then(|r| r.collect())
            .ctx(&self.path, || "listing claims".into())?;
        Ok(rows)
    }

    fn decide(&mut self, actor: &str, decision: &Decision) -> Result<DecisionRecord> {
        self.write("recording a decision", |conn, path| {
            let at = now();
            let target = decision_target(decision);
            let payload = to_json(decision);
            conn.prepare_cached(
                "INSERT INTO decisions (at, actor, action, target, payload) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute(params![at, actor, decision.action(), target, payload]))
            .ctx(path, || "recording a decision".into())?;
            let id = conn.last_insert_rowid();
            apply_decision(conn, path, id, decision)?;
            let audit_payload = serde_json::json!({"decision": id, "request": decision});
            append_audit(conn, path, actor, decision.action(), &target, &audit_payload.to_string())?;
            read_decision(conn, path, id)?.ok_or_else(|| RegisterError::UnknownId {
                kind: "decision",
                id: id.to_string(),
            })
        })
    }

    fn undo(&mut self, actor: &str, decision_id: i64) -> Result<DecisionRecord> {
        self.write("undoing a decision", |conn, path| {
            let err = || "undoing a decision".to_string();
            let original = read_decision(conn, path, decision_id)?.ok_or_else(|| RegisterError::UnknownId {
                kind: "decision",
                id: decision_id.to_string(),
            })?;
            if original.action == "undo" {
                return Err(RegisterError::Invalid(format!(
                    "decision {decision_id} is itself an undo; make the decision again instead"
                )));
            }
            if let Some(by) = original.undone_by {
                return Err(RegisterError::Invalid(format!(
                    "decision {decision_id} was already undone by decision {by}"
                )));
            }
            let at = now();
            let payload = serde_json::json!({"undoes": decision_id, "action": original.action}).to_string();
            conn.prepare_cached(
                "INSERT INTO decisions (at, actor, action, target, payload) VALUES (?1, ?2, 'undo', ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![at, actor, decision_id.to_string(), payload]))
            .ctx(path, err)?;
            let id = conn.last_insert_rowid();
            conn.execute("UPDATE decisions SET undone_by = ?2 WHERE id = ?1", params![decision_id, id])
                .ctx(path, err)?;
            let claims: Vec<String> = conn
                .prepare_cached("SELECT claim_id FROM claim_decisions WHERE decision_id = ?1")
                .and_then(|mut s| s.query_map([decision_id], |r| r.get(0))?.collect())
                .ctx(path, err)?;
            for table in ["claim_decisions", "person_splits", "field_edits", "visibility"] {
                conn.execute(&format!("DELETE FROM {table} WHERE decision_id = ?1"), [decision_id])
                    .ctx(path, err)?;
            }
            for claim in &claims {
                refresh_claim_state(conn, path, claim)?;
            }
            recompute_merges(conn, path)?;
            recompute_effective(conn, path)?;
            append_audit(conn, path, actor, "undo", &decision_id.to_string(), &payload)?;
            read_decision(conn, path, id)?.ok_or_else(|| RegisterError::UnknownId {
                kind: "decision",
                id: id.to_string(),
            })
        })
    }

    fn decisions(&self, limit: usize) -> Result<Vec<DecisionRecord>> {
        self.conn
            .prepare_cached(
                "SELECT id, at, actor, action, target, payload, undone_by FROM decisions ORDER BY id DESC LIMIT ?1",
            )
            .and_then(|mut s| s.query_map([limit as i64], decision_row)?.collect())
            .ctx(&self.path, || "listing decisions".into())
    }

    fn audit_entries(&self, from_seq: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        self.conn
            .prepare_cached(
                "SELECT seq, at, actor, action, target, payload, prev_hash, hash FROM audit
                  WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![from_seq, limit as i64], |r| {
                    let payload: String = r.get(5)?;
                    Ok(AuditEntry {
                        seq: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                        prev_hash: r.get(6)?,
                        hash: r.get(7)?,
                    })
                })?
                .collect()
            })
            .ctx(&self.path, || "reading the audit log".into())
    }

    fn verify_audit(&self) -> Result<AuditReport> {
        let err = || "verifying the audit log".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, actor, action, target, payload, prev_hash, hash FROM audit ORDER BY seq")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        let mut prev = AUDIT_GENESIS.to_string();
        let mut expected_seq = 1i64;
        let mut entries = 0u64;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let get = |i: usize| -> Result<String> { r.get::<_, String>(i).ctx(&self.path, err) };
            let seq: i64 = r.get(0).ctx(&self.path, err)?;
            let (at, actor, action, target, payload, prev_hash, hash) = (
                get(1)?,
                get(2)?,
                get(3)?,
                get(4)?,
                get(5)?,
                get(6)?,
                get(7)?,
            );
            entries += 1;
            let broken = if seq != expected_seq {
                Some(format!(
                    "expected entry {expected_seq}: entries were removed"
                ))
            } else if prev_hash != prev {
                Some("does not chain to the entry before it".to_string())
            } else if audit_hash(seq, &at, &actor, &action, &target, &payload, &prev_hash) != hash {
                Some("its content does not match its hash: it was changed".to_string())
            } else {
                None
            };
            if let Some(why) = broken {
                return Ok(AuditReport {
                    entries,
                    broken: Some((seq, why)),
                });
            }
            prev = hash;
            expected_seq += 1;
        }
        Ok(AuditReport {
            entries,
            broken: None,
        })
    }

    fn stats(&self) -> Result<Stats> {
        let mut persons_by_status: BTreeMap<String, u64> = BTreeMap::new();
        let mut persons = 0;
        self.visit_persons(&mut |p| {
            persons += 1;
            *persons_by_status
                .entry(p.status.as_str().to_string())
                .or_default() += 1;
            Ok(())
        })?;
        Ok(Stats {
            schema_version: self.read_user_version()?,
            originals: self.count("SELECT COUNT(*) FROM originals")?,
            originals_bytes: self.count("SELECT COALESCE(SUM(size), 0) FROM originals")?,
            articles: self.count("SELECT COUNT(*) FROM articles")?,
            persons,
            mentions: self.count("SELECT COUNT(*) FROM mentions")?,
            events: self.count("SELECT COUNT(*) FROM events")?,
            cases: self.count("SELECT COUNT(*) FROM cases")?,
            events_by_type: self.grouped("SELECT type, COUNT(*) FROM events GROUP BY type")?,
            persons_by_status,
            claims_by_state: self.grouped("SELECT state, COUNT(*) FROM claims GROUP BY state")?,
            decisions: self.count("SELECT COUNT(*) FROM decisions")?,
            audit_entries: self.count("SELECT COUNT(*) FROM audit")?,
        })
    }

    fn visit_persons(&self, f: &mut dyn FnMut(PersonRecord) -> Result<()>) -> Result<()> {
        let edits = self.load_edits()?;
        let vis = self.load_visibility()?;
        let err = || "listing persons".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT person FROM article_persons ORDER BY person")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            f(self.person_record(&id, &edits, &vis)?)?;
        }
        Ok(())
    }

    fn visit_articles(&self, f: &mut dyn FnMut(ArticleRecord) -> Result<()>) -> Result<()> {
        let err = || "listing articles".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT id, source, original_sha256, url, title, published, near_dupes_json FROM articles ORDER BY rowid")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            let mentions: Vec<MentionRecord> = self
                .conn
                .prepare_cached(
                    "SELECT ap.person, m.text, m.start, m.\"end\", c.state FROM mentions m
                       JOIN article_persons ap ON ap.article_id = m.article_id AND ap.idx = m.person_idx
                       JOIN claims c ON c.id = ap.claim_id
                      WHERE m.article_id = ?1 ORDER BY m.seq",
                )
                .and_then(|mut s| {
                    s.query_map([&id], |r| {
                        Ok(MentionRecord {
                            person: r.get(0)?,
                            text: r.get(1)?,
                            start: r.get::<_, i64>(2)? as usize,
                            end: r.get::<_, i64>(3)? as usize,
                            review: ReviewState::parse(&r.get::<_, String>(4)?)
                                .unwrap_or(ReviewState::Suggested),
                        })
                    })?
                    .collect()
                })
                .ctx(&self.path, err)?;
            f(ArticleRecord {
                source: r.get(1).ctx(&self.path, err)?,
                original_sha256: r.get(2).ctx(&self.path, err)?,
                url: r.get(3).ctx(&self.path, err)?,
                title: r.get(4).ctx(&self.path, err)?,
                published: r.get(5).ctx(&self.path, err)?,
                near_duplicates: serde_json::from_str(&r.get::<_, String>(6).ctx(&self.path, err)?)
                    .unwrap_or_default(),
                id,
                mentions,
            })?;
        }
        Ok(())
    }

    fn visit_events(&self, f: &mut dyn FnMut(EventRecord) -> Result<()>) -> Result<()> {
        let edits = self.load_edits()?;
        let err = || "listing events".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM events ORDER BY id")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            f(self.event_record(&id, &edits)?)?;
        }
        Ok(())
    }

    fn visit_cases(&self, f: &mut dyn FnMut(CaseRecord) -> Result<()>) -> Result<()> {
        let edits = self.load_edits()?;
        let err = || "listing cases".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM cases ORDER BY id")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            let name: String = r.get(1).ctx(&self.path, err)?;
            f(self.case_record(&id, name, &edits)?)?;
        }
        Ok(())
    }

    fn visit_article_search_fields(
        &self,
        f: &mut dyn FnMut(ArticleSearchFields) -> Result<()>,
    ) -> Result<()> {
        let err = || "listing article texts".to_string();
        let mut names = self
            .conn
            .prepare("SELECT name FROM article_persons WHERE article_id = ?1 ORDER BY idx")
            .ctx(&self.path, err)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, title, paragraphs_json, site, published, url FROM articles ORDER BY rowid",
            )
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            let paragraphs: String = r.get(2).ctx(&self.path, err)?;
            let paragraphs: Vec<String> =
                serde_json::from_str(&paragraphs).map_err(|e| RegisterError::Corrupt {
                    path: self.path.clone(),
                    detail: format!("the paragraphs of article {id} are not a JSON list: {e}"),
                })?;
            let people = names
                .query_map([&id], |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .ctx(&self.path, err)?;
            f(ArticleSearchFields {
                title: r.get(1).ctx(&self.path, err)?,
                text: paragraphs.join(casebook_model::PARAGRAPH_SEPARATOR),
                site: r.get(3).ctx(&self.path, err)?,
                published: r.get(4).ctx(&self.path, err)?,
                url: r.get(5).ctx(&self.path, err)?,
                people,
                id,
            })?;
        }
        Ok(())
    }

    fn record_action(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        if actor.trim().is_empty() || action.trim().is_empty() {
            return Err(RegisterError::Invalid(
                "an audit entry needs an actor and an action".into(),
            ));
        }
        self.write("recording an action in the audit log", |conn, path| {
            append_audit(conn, path, actor, action, target, &payload.to_string())
        })
    }

    fn article_text(&self, id: &str) -> Result<crate::ArticleText> {
        let err = || "reading an article".to_string();
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
        );
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT source, original_sha256, url, title, published, site, language, paragraphs_json,
                        near_dupes_json
                   FROM articles WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                })
                .optional()
            })
            .ctx(&self.path, err)?;
        let Some((
            source,
            original_sha256,
            url,
            title,
            published,
            site,
            language,
            paragraphs,
            near_dupes,
        )) = row
        else {
            return Err(RegisterError::UnknownId {
                kind: "article",
                id: id.to_string(),
            });
        };
        let paragraphs: Vec<String> =
            serde_json::from_str(&paragraphs).map_err(|e| RegisterError::Corrupt {
                path: self.path.clone(),
                detail: format!("the paragraphs of article {id:?} are not a JSON list: {e}"),
            })?;
        let review = |s: Option<String>| {
            s.and_then(|s| ReviewState::parse(&s))
                .unwrap_or(ReviewState::Suggested)
        };
        let mentions = self
            .conn
            .prepare_cached(
                "SELECT ap.person, m.text, m.start, m.\"end\", c.state FROM mentions m
                   JOIN article_persons ap ON ap.article_id = m.article_id AND ap.idx = m.person_idx
                   LEFT JOIN claims c ON c.id = ap.claim_id
                  WHERE m.article_id = ?1 ORDER BY m.start",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(MentionRecord {
                        person: r.get(0)?,
                        text: r.get(1)?,
                        start: r.get::<_, i64>(2)?.max(0) as usize,
                        end: r.get::<_, i64>(3)?.max(0) as usize,
                        review: review(r.get(4)?),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .ctx(&self.path, err)?;
        let evidence = self
            .conn
            .prepare_cached(
                "SELECT es.start, es.\"end\", es.event_id, e.type, c.state
                   FROM event_sources es JOIN events e ON e.id = es.event_id
                   LEFT JOIN claims c ON c.id = es.claim_id
                  WHERE es.article_id = ?1 ORDER BY es.start",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(crate::EvidenceSpan {
                        start: r.get::<_, i64>(0)?.max(0) as usize,
                        end: r.get::<_, i64>(1)?.max(0) as usize,
                        event: r.get(2)?,
                        event_type: r.get(3)?,
                        review: review(r.get(4)?),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .ctx(&self.path, err)?;
        Ok(crate::ArticleText {
            record: ArticleRecord {
                id: id.to_string(),
                source,
                original_sha256,
                url,
                title,
                published,
                // Written by the store itself as a JSON list; an unreadable one shows no links.
                near_duplicates: serde_json::from_str(&near_dupes).unwrap_or_default(),
                mentions,
            },
            site,
            language,
            paragraphs,
            evidence,
        })
    }

    fn record_ids(&self) -> Result<crate::RecordIds> {
        crate::record_ids::read(&self.conn, &self.path)
    }

    fn article_titles(&self, ids: &[String]) -> Result<BTreeMap<String, String>> {
        let err = || "reading article titles".to_string();
        let mut out = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT COALESCE(title, source) FROM articles WHERE id = ?1")
            .ctx(&self.path, err)?;
        for id in ids {
            if let Some(title) = stmt
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()
                .ctx(&self.path, err)?
            {
                out.insert(id.clone(), title);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeyResolver;
    use casebook_model::{Article, ArticlePeople, ArticlePerson, PersonMention};

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
