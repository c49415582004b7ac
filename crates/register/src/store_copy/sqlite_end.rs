//! A copy's SQLite end: a store's file read table by table, or filled table by table, each table
//! in one transaction with its triggers set aside (the rows come with what the triggers derived).

use super::values::{Column, Kind, Value};
use super::{quoted, Rows, PROGRESS_TABLE};
use crate::error::{RegisterError, Result};
use crate::sql::SqliteDb;
use crate::sqlite::Ctx;
use crate::types::AuditReport;
use casebook_migrate::StoreSchema;
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) struct SqliteEnd {
    conn: Connection,
    path: PathBuf,
    schema: &'static StoreSchema,
}

impl SqliteEnd {
    /// Opens (a target: creating) the store's file in `dir`, brought to this build's schema by the
    /// one migration scheme; `None` for a source directory without the file.
    pub(crate) fn open(
        schema: &'static StoreSchema,
        dir: &Path,
        source: bool,
    ) -> Result<Option<Self>> {
        let path = dir.join(schema.file);
        if source && !path.exists() {
            return Ok(None);
        }
        std::fs::create_dir_all(dir).map_err(|e| RegisterError::Io {
            context: format!("cannot create the data directory {}", dir.display()),
            source: e,
        })?;
        let err = || format!("opening {}", path.display());
        let mut conn = Connection::open(&path).ctx(&path, err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .ctx(&path, err)?;
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .ctx(&path, err)?;
        casebook_migrate::migrate(&mut conn, schema.sqlite).map_err(|e| {
            RegisterError::Invalid(format!("the {} in {}: {e}", schema.name, path.display()))
        })?;
        Ok(Some(SqliteEnd { conn, path, schema }))
    }

    fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn schema_version(&self) -> Result<u32> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx(&self.path, || "reading the schema version".into())
    }

    pub(crate) fn columns(&self, table: &str) -> Result<Vec<Column>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")
            .ctx(self.path(), || format!("reading the columns of {table}"))?;
        let columns = stmt
            .query_map([table], |r| {
                let declared: String = r.get(1)?;
                Ok(Column {
                    name: r.get(0)?,
                    kind: Kind::of_sqlite(&declared),
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .ctx(self.path(), || format!("reading the columns of {table}"))?;
        Ok(columns)
    }

    pub(crate) fn scan(
        &self,
        table: &str,
        columns: &[Column],
        f: &mut dyn FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<()> {
        let list: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
        let sql = format!("SELECT {} FROM {}", list.join(", "), quoted(table));
        let err = || format!("reading {table}");
        let mut stmt = self.conn.prepare(&sql).ctx(self.path(), err)?;
        let mut rows = stmt.query([]).ctx(self.path(), err)?;
        while let Some(row) = rows.next().ctx(self.path(), err)? {
            let mut values = Vec::with_capacity(columns.len());
            for (i, column) in columns.iter().enumerate() {
                let cell = row.get_ref(i).ctx(self.path(), err)?;
                values.push(Value::from_sqlite(cell, column.kind, table, &column.name)?);
            }
            f(values)?;
        }
        Ok(())
    }

    /// Tables an earlier, interrupted copy into this register finished (none when no copy ran).
    pub(crate) fn progress(&self) -> Result<Option<BTreeMap<String, u64>>> {
        let conn = &self.conn;
        let exists: Option<String> = conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [PROGRESS_TABLE],
                |r| r.get(0),
            )
            .optional()
            .ctx(self.path(), || "reading an earlier copy's progress".into())?;
        if exists.is_none() {
            return Ok(None);
        }
        let sql = format!("SELECT table_name, rows FROM {PROGRESS_TABLE}");
        let done = conn
            .prepare(&sql)
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                    .collect()
            })
            .ctx(self.path(), || "reading an earlier copy's progress".into())?;
        Ok(Some(done))
    }

    /// True when the store holds anything a copy into it would overwrite.
    pub(crate) fn holds_records(&self) -> Result<bool> {
        self.conn
            .query_row(&super::holds_records(self.schema), [], |r| r.get(0))
            .ctx(self.path(), || "reading what the store holds".into())
    }

    /// Replaces the table's rows with those `rows` yields, in one transaction, and records the
    /// table as copied in the same transaction.
    pub(crate) fn load(&mut self, table: &str, columns: &[Column], rows: Rows<'_>) -> Result<u64> {
        let path = self.path().to_path_buf();
        let err = || format!("copying into {table}");
        let conn = &self.conn;
        let tx = conn.unchecked_transaction().ctx(&path, err)?;
        tx.execute_batch(&format!(
            "PRAGMA defer_foreign_keys = ON;
             CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (table_name TEXT PRIMARY KEY, rows INTEGER NOT NULL);"
        ))
        .ctx(&path, err)?;
        // The rows come with what the triggers derived from them; the triggers would derive it twice.
        let triggers: Vec<(String, String)> = tx
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1")
            .and_then(|mut s| {
                s.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .ctx(&path, err)?;
        for (name, _) in &triggers {
            tx.execute_batch(&format!("DROP TRIGGER {}", quoted(name)))
                .ctx(&path, err)?;
        }
        tx.execute_batch(&format!("DELETE FROM {}", quoted(table)))
            .ctx(&path, err)?;
        let list: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(table),
            list.join(", "),
            marks.join(", ")
        );
        let mut copied = 0u64;
        {
            let mut insert = tx.prepare(&sql).ctx(&path, err)?;
            rows(&mut |row| {
                insert
                    .execute(rusqlite::params_from_iter(row.iter()))
                    .ctx(&path, err)?;
                copied += 1;
                Ok(())
            })?;
        }
        for (_, sql) in &triggers {
            tx.execute_batch(sql).ctx(&path, err)?;
        }
        tx.execute(
            &format!("INSERT OR REPLACE INTO {PROGRESS_TABLE} (table_name, rows) VALUES (?1, ?2)"),
            rusqlite::params![table, copied as i64],
        )
        .ctx(&path, err)?;
        tx.commit().ctx(&path, err)?;
        Ok(copied)
    }

    /// Forgets that a table was copied (its rows no longer match the source's), so a rerun copies it.
    pub(crate) fn forget(&self, table: &str) -> Result<()> {
        self.conn
            .execute(
                &format!("DELETE FROM {PROGRESS_TABLE} WHERE table_name = ?1"),
                [table],
            )
            .ctx(self.path(), || "recording the copy's progress".into())?;
        Ok(())
    }

    /// Ends a verified copy: the progress record goes.
    pub(crate) fn finish(&self) -> Result<()> {
        self.conn
            .execute_batch(&format!("DROP TABLE IF EXISTS {PROGRESS_TABLE}"))
            .ctx(self.path(), || "ending the copy".into())
    }

    pub(crate) fn audit_chain(&self) -> Result<AuditReport> {
        crate::audit_log::verify(&SqliteDb::new(&self.conn, &self.path))
    }
}
