//! The register on PostgreSQL: connecting by URL (never echoed with its password), the numbered
//! migrations of `crates/register/migrations/postgres/`, and [`PostgresRegister`], what the backend
//! serves so far (the audit log: verified, anchored, replayed, appended to; counts, persons, case
//! files, events and cases read).
//!
//! Invariants: the migrations share their numbers with SQLite's, so one schema version means one
//! shape on both backends; a migration is applied at most once and recorded in the transaction
//! that applies it (`schema_migrations`, as SQLite records them); the transaction takes a
//! transaction-level advisory lock first, so two servers starting on one database at once never
//! both apply one; a database holding a migration this build does not know is refused untouched.

use crate::audit_anchor::AuditAnchor;
use crate::error::{RegisterError, Result};
use crate::sql::{Db, PostgresDb};
use crate::types::{
    AuditEntry, AuditReport, CaseFile, CaseRecord, EventRecord, PersonRecord, Stats,
};
use casebook_migrate::{Migration, StoreSchema};
use postgres::{Client, IsolationLevel, NoTls};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// PostgreSQL's migrations: `(number, SQL)`. Migration 191 is the whole register as SQLite has it
/// after its own migration 191; later numbers are added to both backends together.
pub(crate) const MIGRATIONS: &[Migration] = &[(
    191,
    include_str!("../migrations/postgres/0191_register.sql"),
)];

/// The advisory lock class of schema migrations (any constant shared by every casebook build); the
/// schema's name is the lock's second key.
const MIGRATION_LOCK: i32 = 0x6362_6b6d; // "cbkm"

/// True when a `--data` value names a PostgreSQL database rather than a data directory.
pub fn is_url(data: &str) -> bool {
    data.starts_with("postgres://") || data.starts_with("postgresql://")
}

/// The URL as it may be shown in messages and logs: without a password, whether it is given
/// before the host or as a `password=` parameter.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or("")),
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

pub(crate) fn backend(url: &str, what: &str, e: postgres::Error) -> RegisterError {
    RegisterError::Backend {
        context: format!("{what} ({})", redacted(url)),
        source: Box::new(e),
    }
}

/// Connects to the database at `url` and brings the register's schema to this build's, as opening
/// a SQLite data directory does.
pub fn connect(url: &str) -> Result<Client> {
    let mut client = connect_only(url)?;
    migrate(&mut client, url, &crate::store_copy::REGISTER)?;
    Ok(client)
}

/// Connects without touching the schema.
pub(crate) fn connect_only(url: &str) -> Result<Client> {
    Client::connect(url, NoTls).map_err(|e| backend(url, "connecting to PostgreSQL", e))
}

/// Connects to one store's schema (namespace) of the database, its tables first on the search
/// path. With `create`, the schema is made and migrated if need be; without, `None` when the
/// database does not hold that store.
pub(crate) fn connect_store(
    url: &str,
    schema: &StoreSchema,
    create: bool,
) -> Result<Option<Client>> {
    let mut client = connect_only(url)?;
    let ns = schema.postgres_namespace;
    if create {
        migrate(&mut client, url, schema)?;
    } else if applied(&mut client, url, ns)?.is_empty() {
        return Ok(None);
    }
    client
        .batch_execute(&format!("SET search_path TO \"{ns}\""))
        .map_err(|e| backend(url, "choosing the schema", e))?;
    Ok(Some(client))
}

/// The migrations the database holds of a store (none for a store casebook never kept there).
pub(crate) fn applied(client: &mut Client, url: &str, ns: &str) -> Result<BTreeSet<u32>> {
    let err = |e| backend(url, "reading the schema version", e);
    let table = format!("\"{ns}\".schema_migrations");
    let recorded: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
        .and_then(|r| r.try_get(0))
        .map_err(err)?;
    if !recorded {
        return Ok(BTreeSet::new());
    }
    let rows = client
        .query(&format!("SELECT version FROM {table}"), &[])
        .map_err(err)?;
    rows.iter()
        .map(|r| r.try_get::<_, i32>(0).map(|v| v as u32).map_err(err))
        .collect()
}

/// The schema version this build writes on PostgreSQL (the same number as on SQLite).
pub const SCHEMA_VERSION: u32 = casebook_migrate::highest(MIGRATIONS);

/// Brings one store's schema (namespace) to this build's: the same rules as SQLite's migrations,
/// under a transaction-level advisory lock of that schema.
fn migrate(client: &mut Client, url: &str, schema: &StoreSchema) -> Result<()> {
    let err = |what: &'static str| move |e| backend(url, what, e);
    let ns = schema.postgres_namespace;
    let mut tx = client
        .transaction()
        .map_err(err("starting the schema migration"))?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&MIGRATION_LOCK, &ns],
    )
    .map_err(err("waiting for another process's schema migration"))?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS \"{ns}\"; SET LOCAL search_path TO \"{ns}\";
         CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    ))
    .map_err(err("recording the schema migrations"))?;
    let have: BTreeSet<u32> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .map_err(err("reading the schema version"))?
        .iter()
        .map(|r| r.get::<_, i32>(0) as u32)
        .collect();
    let supported = casebook_migrate::highest(schema.postgres);
    if let Some(found) = have
        .iter()
        .copied()
        .find(|v| !schema.postgres.iter().any(|(m, _)| m == v))
    {
        return Err(RegisterError::Invalid(format!(
            "the database {} holds {} schema version {found}, newer than this casebook knows (up \
             to {supported}); use a newer casebook, nothing was changed",
            redacted(url),
            schema.name
        )));
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut ordered: Vec<_> = schema.postgres.iter().collect();
    ordered.sort_by_key(|(v, _)| *v);
    for (version, sql) in ordered {
        if have.contains(version) {
            continue;
        }
        tx.batch_execute(sql)
            .map_err(err("applying a schema migration"))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[&(*version as i32), &now],
        )
        .map_err(err("recording the schema migrations"))?;
    }
    tx.commit().map_err(err("committing the schema migration"))
}

/// A register in a PostgreSQL database. So far it serves the audit log and the reads of persons,
/// case files, events, cases and counts, through the same code as SQLite's (`crate::audit_log`,
/// `crate::audit_anchor`, `crate::audit_replay`, `crate::records`, `crate::case_files` over
/// `crate::sql`); the whole `Store` follows as its other modules move onto that seam
/// (ARCHITECTURE.md, issue 17).
pub struct PostgresRegister {
    client: RefCell<Client>,
    url: String,
    statements: crate::sql::Statements,
}

impl PostgresRegister {
    /// Connects and brings the schema to this build's.
    pub fn connect(url: &str) -> Result<Self> {
        Ok(PostgresRegister {
            client: RefCell::new(connect(url)?),
            url: url.to_string(),
            statements: Default::default(),
        })
    }

    /// Runs `f` in a read-only transaction that sees one snapshot of the register throughout.
    fn read<T>(&self, what: &str, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        self.transaction(true, what, f)
    }

    /// Runs `f` in one write transaction, committing if it succeeds.
    fn write<T>(&mut self, what: &str, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        self.transaction(false, what, f)
    }

    fn transaction<T>(
        &self,
        read_only: bool,
        what: &str,
        f: impl FnOnce(&dyn Db) -> Result<T>,
    ) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut builder = client.build_transaction();
        if read_only {
            builder = builder
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true);
        }
        let tx = builder.start().map_err(|e| backend(&self.url, what, e))?;
        let db = PostgresDb::new(tx, &self.url, Some(&self.statements));
        let out = f(&db)?;
        db.commit()?;
        Ok(out)
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<u32> {
        let applied = applied(
            &mut self.client.borrow_mut(),
            &self.url,
            crate::store_copy::REGISTER.postgres_namespace,
        )?;
        Ok(applied.into_iter().max().unwrap_or(0))
    }

    /// Recomputes the audit chain and reports its first broken link.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        self.read("verifying the audit log", crate::audit_log::verify)
    }

    /// Audit entries from `from_seq` on, at most `limit`.
    pub fn audit_entries(&self, from_seq: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        self.read("reading the audit log", |db| {
            crate::audit_log::entries(db, from_seq, limit)
        })
    }

    /// The last entry of the chain as an anchor; `None` for an empty log.
    pub fn audit_head(&self) -> Result<Option<AuditAnchor>> {
        self.read("reading the audit log", crate::audit_anchor::head)
    }

    /// As `SqliteStore::verify_audit_anchor`.
    pub fn verify_audit_anchor(
        &self,
        anchor: &AuditAnchor,
        key: Option<&[u8]>,
    ) -> Result<Vec<String>> {
        self.read("verifying the audit log", |db| {
            crate::audit_anchor::check(db, anchor, key)
        })
    }

    /// As `SqliteStore::replay_problems`.
    pub fn replay_problems(&self) -> Result<Vec<String>> {
        self.read(
            "replaying the audit log",
            crate::audit_replay::replay_problems,
        )
    }

    /// Counts over the register, as `Store::stats`.
    pub fn stats(&self) -> Result<Stats> {
        let version = self.schema_version()?;
        self.read("counting", |db| crate::records::stats(db, version))
    }

    /// One person's record, as `Store::person` (a merged-away id leads to its root).
    pub fn person(&self, id: &str) -> Result<PersonRecord> {
        self.read("reading a person", |db| {
            let root = crate::records::known_root_person(db, id)?;
            let edits = crate::records::load_edits(db)?;
            let vis = crate::records::load_visibility(db)?;
            crate::records::person_record(db, &root, &edits, &vis)
        })
    }

    /// A person's case file, as `Store::case_file`.
    pub fn case_file(&self, person: &str) -> Result<CaseFile> {
        self.read("reading a case file", |db| {
            crate::case_files::case_file(db, person)
        })
    }

    /// Persons whose names contain `text`, as `Store::find_persons`.
    pub fn find_persons(&self, text: &str, limit: usize) -> Result<Vec<PersonRecord>> {
        self.read("searching persons", |db| {
            crate::case_files::find_persons(db, text, limit)
        })
    }

    /// As `Store::visit_persons`, in one snapshot.
    pub fn visit_persons(&self, f: &mut dyn FnMut(PersonRecord) -> Result<()>) -> Result<()> {
        self.read("listing persons", |db| crate::records::each_person(db, f))
    }

    /// As `Store::visit_events`, in one snapshot.
    pub fn visit_events(&self, f: &mut dyn FnMut(EventRecord) -> Result<()>) -> Result<()> {
        self.read("listing events", |db| crate::records::each_event(db, f))
    }

    /// As `Store::visit_cases`, in one snapshot.
    pub fn visit_cases(&self, f: &mut dyn FnMut(CaseRecord) -> Result<()>) -> Result<()> {
        self.read("listing cases", |db| crate::records::each_case(db, f))
    }

    /// As `Store::record_action`: concurrent writers extend one unbroken chain.
    pub fn record_action(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        self.write("recording an action in the audit log", |db| {
            crate::audit_log::record_action(db, actor, action, target, payload)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            redacted("postgres://casebook:s3cret@db.example:5432/register?sslmode=disable"),
            "postgres://casebook@db.example:5432/register?sslmode=disable"
        );
        assert_eq!(
            redacted("postgresql://db/register"),
            "postgresql://db/register"
        );
        assert_eq!(redacted("postgres://u:p@h"), "postgres://u@h");
        assert_eq!(
            redacted("postgres://h/db?user=u&password=s3cret&sslmode=disable"),
            "postgres://h/db?user=u&sslmode=disable"
        );
        assert_eq!(
            redacted("postgres://h/db?Password=s3cret"),
            "postgres://h/db"
        );
        assert!(is_url("postgresql://h/db") && !is_url("./casebook-data"));
    }
}
