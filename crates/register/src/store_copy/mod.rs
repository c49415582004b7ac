//! Copying a whole data directory's stores between backends (`casebook migrate-store FROM TO`):
//! the register, and the web's accounts and the monitor's state (each described by a
//! `casebook_migrate::StoreSchema`), from SQLite files to the schemas of a PostgreSQL database, or
//! back.
//!
//! Invariants:
//! - Both ends are at this build's schema version, so they have the same tables and columns; a
//!   difference is refused before anything is written.
//! - Each table is copied in one transaction of the target, which also records it as copied: a
//!   copy stopped half-way leaves whole tables, and running it again copies only what is missing.
//! - A copy goes only into a store that holds no records (or one an earlier copy was filling).
//! - Nothing is re-derived: rows arrive with what the source's triggers derived, and the target's
//!   triggers are set aside while a table loads, so both registers hold the same rows.
//! - The copy is done only when every table's row count and order-free digest equal the source's
//!   and, for the register, the target's audit chain verifies; then the progress record is removed.

mod postgres_end;
mod sqlite_end;
mod values;

use crate::error::{RegisterError, Result};
use crate::postgres::redacted;
use casebook_migrate::StoreSchema;
use postgres_end::PostgresEnd;
use sqlite_end::SqliteEnd;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use values::{Column, TableDigest, Value};

/// The register's tables in the order a copy loads them: each after the tables it points at
/// (within a table, rows may point at later rows: foreign keys are checked at commit).
pub const TABLES: &[&str] = &[
    "originals",
    "articles",
    "persons",
    "person_names",
    "article_persons",
    "mentions",
    "entities",
    "events",
    "event_sources",
    "cases",
    "case_sources",
    "case_defendants",
    "case_events",
    "claims",
    "decisions",
    "claim_decisions",
    "person_splits",
    "field_edits",
    "visibility",
    "audit",
    "article_signatures",
    "article_bands",
    "near_duplicates",
    "case_reports",
    "lists",
    "list_versions",
    "list_rows",
    "summary_counts",
    "summary_events",
    "summary_claims",
    "review_status_types",
    "review_queue",
    "review_counts",
    "perpetrator_reports",
    "perpetrator_counts",
    "confidence_fit",
    "victim_events",
];

/// The register as `migrate-store` copies it: the SQLite file of a data directory, or the default
/// schema (`public`) of a PostgreSQL database.
pub const REGISTER: StoreSchema = StoreSchema {
    name: "register",
    file: crate::STORE_FILE,
    sqlite: crate::sqlite::MIGRATIONS,
    postgres_namespace: "public",
    postgres: crate::postgres::MIGRATIONS,
    tables: TABLES,
    records: &["originals", "audit", "decisions", "lists"],
};

/// The target's record of tables copied so far (removed when a copy is verified).
pub(crate) const PROGRESS_TABLE: &str = "migrate_store_progress";

/// The query (both dialects) that is true when a store holds records a copy would overwrite.
pub(crate) fn holds_records(schema: &StoreSchema) -> String {
    let any: Vec<String> = schema
        .records
        .iter()
        .map(|t| format!("EXISTS (SELECT 1 FROM {})", quoted(t)))
        .collect();
    format!("SELECT {}", any.join(" OR "))
}

/// A source of rows: called with the sink each row goes to.
pub(crate) type Rows<'a> =
    &'a mut dyn FnMut(&mut dyn FnMut(Vec<Value>) -> Result<()>) -> Result<()>;

/// An identifier quoted for both dialects (`"end"` and `"row"` are column names here).
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Where a register is: a data directory (SQLite) or a PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Directory(PathBuf),
    Postgres(String),
}

impl Location {
    /// A `--data` value: a `postgres://` (or `postgresql://`) URL, else a directory.
    pub fn parse(data: &str) -> Location {
        if crate::postgres::is_url(data) {
            Location::Postgres(data.to_string())
        } else {
            Location::Directory(PathBuf::from(data))
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Directory(dir) => write!(f, "{}", dir.display()),
            Location::Postgres(url) => write!(f, "{}", redacted(url)),
        }
    }
}

/// One table of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    pub rows: u64,
    /// Copied by an earlier run that was stopped; not copied again.
    pub earlier: bool,
}

/// What a verified copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Which store was copied ("register", "accounts", "monitor").
    pub store: &'static str,
    pub schema_version: u32,
    pub tables: Vec<TableCopy>,
    /// Entries of the target's audit log, whose chain verified (0 for a store without one).
    pub audit_entries: u64,
}

enum End {
    Sqlite(SqliteEnd),
    Postgres(PostgresEnd),
}

impl End {
    /// One end of a copy; `None` for a source that does not hold this store.
    fn open(schema: &'static StoreSchema, at: &Location, source: bool) -> Result<Option<End>> {
        Ok(match at {
            Location::Directory(dir) => SqliteEnd::open(schema, dir, source)?.map(End::Sqlite),
            Location::Postgres(url) => PostgresEnd::open(schema, url, source)?.map(End::Postgres),
        })
    }

    fn schema_version(&mut self) -> Result<u32> {
        match self {
            End::Sqlite(e) => e.schema_version(),
            End::Postgres(e) => e.schema_version(),
        }
    }

    fn scan(
        &mut self,
        table: &str,
        columns: &[Column],
        f: &mut dyn FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<()> {
        match self {
            End::Sqlite(e) => e.scan(table, columns, f),
            End::Postgres(e) => e.scan(table, columns, f),
        }
    }

    fn digest(&mut self, table: &str, columns: &[Column]) -> Result<TableDigest> {
        let mut digest = TableDigest::default();
        self.scan(table, columns, &mut |row| {
            digest.add(&row);
            Ok(())
        })?;
        Ok(digest)
    }

    fn progress(&mut self) -> Result<Option<BTreeMap<String, u64>>> {
        match self {
            End::Sqlite(e) => e.progress(),
            End::Postgres(e) => e.progress(),
        }
    }

    fn holds_records(&mut self) -> Result<bool> {
        match self {
            End::Sqlite(e) => e.holds_records(),
            End::Postgres(e) => e.holds_records(),
        }
    }

    fn load(&mut self, table: &str, columns: &[Column], rows: Rows<'_>) -> Result<u64> {
        match self {
            End::Sqlite(e) => e.load(table, columns, rows),
            End::Postgres(e) => e.load(table, columns, rows),
        }
    }

    fn forget(&mut self, table: &str) -> Result<()> {
        match self {
            End::Sqlite(e) => e.forget(table),
            End::Postgres(e) => e.forget(table),
        }
    }

    fn finish(&mut self) -> Result<()> {
        match self {
            End::Sqlite(e) => e.finish(),
            End::Postgres(e) => e.finish(),
        }
    }

    fn audit_chain(&mut self) -> Result<crate::AuditReport> {
        match self {
            End::Sqlite(e) => e.audit_chain(),
            End::Postgres(e) => e.audit_chain(),
        }
    }
}

/// A table's columns, as the SQLite end declares them, checked against the PostgreSQL end's.
fn columns(a: &mut End, b: &mut End, table: &str) -> Result<Vec<Column>> {
    let ((End::Sqlite(sqlite), End::Postgres(postgres))
    | (End::Postgres(postgres), End::Sqlite(sqlite))) = (a, b)
    else {
        return Err(RegisterError::Invalid(
            "a copy's two ends must be of different backends".into(),
        ));
    };
    let declared = sqlite.columns(table)?;
    let other = postgres.columns(table)?;
    let same = declared.len() == other.len()
        && declared
            .iter()
            .all(|c| other.get(&c.name) == Some(&Some(c.kind)));
    if declared.is_empty() || !same {
        return Err(RegisterError::Invalid(format!(
            "the two registers' table {table} differs (columns {:?} against {:?}); nothing was \
             copied into it",
            declared.iter().map(|c| &c.name).collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>()
        )));
    }
    Ok(declared)
}

/// Copies the register at `from` into `to` and verifies the copy; `progress` hears of each table
/// as it is done. See the module's invariants.
pub fn copy_register(
    from: &Location,
    to: &Location,
    progress: &mut dyn FnMut(&TableCopy),
) -> Result<CopyReport> {
    between_backends(from, to)?;
    let missing = || {
        RegisterError::Invalid(format!(
            "{from} holds no register ({} is missing)",
            REGISTER.file
        ))
    };
    if let Location::Directory(dir) = from {
        if !dir.join(crate::STORE_FILE).exists() {
            return Err(missing());
        }
    }
    // A data directory's register is opened as the store opens it (write-ahead log, the
    // backfills of old schemas) before it is copied from or into, and only once the copy can go.
    for at in [from, to] {
        if let Location::Directory(dir) = at {
            crate::SqliteStore::open(dir)?;
        }
    }
    copy_store(&REGISTER, from, to, progress)?.ok_or_else(missing)
}

/// A copy goes between a data directory and a database, never between two of one kind.
fn between_backends(from: &Location, to: &Location) -> Result<()> {
    if matches!(
        (from, to),
        (Location::Directory(_), Location::Directory(_))
            | (Location::Postgres(_), Location::Postgres(_))
    ) {
        return Err(RegisterError::Invalid(format!(
            "migrate-store copies between a data directory and a PostgreSQL database ({from} and \
             {to} are of one kind); copy a register within one backend with its own backup tools"
        )));
    }
    Ok(())
}

/// Copies one store (the register, the accounts, the monitor's state) from `from` into `to` and
/// verifies the copy; `None` when `from` does not hold that store (nothing to copy).
pub fn copy_store(
    schema: &'static StoreSchema,
    from: &Location,
    to: &Location,
    progress: &mut dyn FnMut(&TableCopy),
) -> Result<Option<CopyReport>> {
    between_backends(from, to)?;
    let Some(mut source) = End::open(schema, from, true)? else {
        return Ok(None);
    };
    let audited = schema.tables.contains(&"audit");
    if audited {
        if let Some((seq, why)) = source.audit_chain()?.broken {
            return Err(RegisterError::Invalid(format!(
                "the audit log of {from} is broken at entry {seq} ({why}); a copy would carry the \
                 break over, so nothing was copied"
            )));
        }
    }
    let Some(mut target) = End::open(schema, to, false)? else {
        return Err(RegisterError::Invalid(format!(
            "{to} cannot hold the {}",
            schema.name
        )));
    };
    let (version, target_version) = (source.schema_version()?, target.schema_version()?);
    if version != target_version {
        return Err(RegisterError::Invalid(format!(
            "the {} of {from} is at schema version {version} and that of {to} at \
             {target_version}; open both with this casebook first",
            schema.name
        )));
    }
    let done = match target.progress()? {
        Some(done) => done,
        None if target.holds_records()? => {
            return Err(RegisterError::Invalid(format!(
                "{to} already holds a {}; migrate-store copies only into an empty one",
                schema.name
            )))
        }
        None => BTreeMap::new(),
    };
    let mut plan = Vec::with_capacity(schema.tables.len());
    for table in schema.tables {
        plan.push((*table, columns(&mut source, &mut target, table)?));
    }
    let mut tables = Vec::with_capacity(plan.len());
    for (table, cols) in &plan {
        let copy = match done.get(*table) {
            Some(rows) => TableCopy {
                table,
                rows: *rows,
                earlier: true,
            },
            None => {
                let rows = target.load(table, cols, &mut |sink| source.scan(table, cols, sink))?;
                TableCopy {
                    table,
                    rows,
                    earlier: false,
                }
            }
        };
        progress(&copy);
        tables.push(copy);
    }
    verify(&mut source, &mut target, &plan)?;
    let mut audit_entries = 0;
    if audited {
        let audit = target.audit_chain()?;
        if let Some((seq, why)) = audit.broken {
            return Err(RegisterError::Invalid(format!(
                "the copy's audit log is broken at entry {seq} ({why})"
            )));
        }
        audit_entries = audit.entries;
    }
    target.finish()?;
    Ok(Some(CopyReport {
        store: schema.name,
        schema_version: version,
        tables,
        audit_entries,
    }))
}

/// Compares every table of the two ends; a table that differs is marked to be copied again.
fn verify(source: &mut End, target: &mut End, plan: &[(&str, Vec<Column>)]) -> Result<()> {
    let mut differing = Vec::new();
    for (table, cols) in plan {
        let (expected, found) = (source.digest(table, cols)?, target.digest(table, cols)?);
        if expected != found {
            target.forget(table)?;
            differing.push(format!(
                "{table} ({} rows in the source, {} in the copy)",
                expected.rows, found.rows
            ));
        }
    }
    if differing.is_empty() {
        return Ok(());
    }
    Err(RegisterError::Invalid(format!(
        "the copy differs from its source in {}: was the source written to during the copy? \
         Run migrate-store again to copy these tables again",
        differing.join(", ")
    )))
}
