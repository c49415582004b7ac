//! A copy's PostgreSQL end: a register database read table by table, or filled table by table with
//! binary COPY, each table in one transaction with its triggers disabled and its foreign keys
//! checked at commit.

use super::values::{Column, Kind, Value};
use super::{quoted, Rows, PROGRESS_TABLE};
use crate::error::{RegisterError, Result};
use crate::postgres::backend;
use crate::sql::PostgresDb;
use crate::types::AuditReport;
use casebook_migrate::StoreSchema;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::Client;
use std::collections::BTreeMap;

pub(crate) struct PostgresEnd {
    client: Client,
    url: String,
    schema: &'static StoreSchema,
}

impl PostgresEnd {
    /// Connects to the store's schema of the database; a source is read as it is (`None` when the
    /// database does not hold the store), a target is brought to this build's schema.
    pub(crate) fn open(
        schema: &'static StoreSchema,
        url: &str,
        source: bool,
    ) -> Result<Option<Self>> {
        Ok(
            crate::postgres::connect_store(url, schema, !source)?.map(|client| PostgresEnd {
                client,
                url: url.to_string(),
                schema,
            }),
        )
    }

    fn err(&self, what: String) -> impl FnOnce(postgres::Error) -> RegisterError + '_ {
        move |e| backend(&self.url, &what, e)
    }

    pub(crate) fn schema_version(&mut self) -> Result<u32> {
        let ns = self.schema.postgres_namespace;
        let applied = crate::postgres::applied(&mut self.client, &self.url, ns)?;
        Ok(applied.into_iter().max().unwrap_or(0))
    }

    /// The table's columns by name, each with its kind (`None` for a type a copy cannot carry).
    pub(crate) fn columns(&mut self, table: &str) -> Result<BTreeMap<String, Option<Kind>>> {
        let rows = self
            .client
            .query(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
                  WHERE table_schema = current_schema() AND table_name = $1",
                &[&table],
            )
            .map_err(|e| backend(&self.url, &format!("reading the columns of {table}"), e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), Kind::of_postgres(r.get(1))))
            .collect())
    }

    pub(crate) fn scan(
        &mut self,
        table: &str,
        columns: &[Column],
        f: &mut dyn FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<()> {
        let list: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
        let sql = format!("SELECT {} FROM {}", list.join(", "), quoted(table));
        let url = self.url.clone();
        let err = |e| backend(&url, &format!("reading {table}"), e);
        let none: [&(dyn ToSql + Sync); 0] = [];
        // Rows stream from the server as they are read: memory stays flat on any table.
        let mut rows = self.client.query_raw(&sql, none).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let mut values = Vec::with_capacity(columns.len());
            for (i, column) in columns.iter().enumerate() {
                let value = match column.kind {
                    Kind::Integer => row
                        .try_get::<_, Option<i64>>(i)
                        .map(|v| v.map(Value::Integer)),
                    Kind::Real => row.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real)),
                    Kind::Text => row
                        .try_get::<_, Option<String>>(i)
                        .map(|v| v.map(Value::Text)),
                    Kind::Blob => row
                        .try_get::<_, Option<Vec<u8>>>(i)
                        .map(|v| v.map(Value::Blob)),
                }
                .map_err(err)?;
                values.push(value.unwrap_or(Value::Null));
            }
            f(values)?;
        }
        Ok(())
    }

    pub(crate) fn progress(&mut self) -> Result<Option<BTreeMap<String, u64>>> {
        let exists: bool = self
            .client
            .query_one(
                &format!("SELECT to_regclass('{PROGRESS_TABLE}') IS NOT NULL"),
                &[],
            )
            .and_then(|r| r.try_get(0))
            .map_err(self.err("reading an earlier copy's progress".into()))?;
        if !exists {
            return Ok(None);
        }
        let rows = self
            .client
            .query(
                &format!("SELECT table_name, rows FROM {PROGRESS_TABLE}"),
                &[],
            )
            .map_err(|e| backend(&self.url, "reading an earlier copy's progress", e))?;
        Ok(Some(
            rows.iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
                .collect(),
        ))
    }

    pub(crate) fn holds_records(&mut self) -> Result<bool> {
        self.client
            .query_one(&super::holds_records(self.schema), &[])
            .and_then(|r| r.try_get(0))
            .map_err(|e| backend(&self.url, "reading what the register holds", e))
    }

    pub(crate) fn load(&mut self, table: &str, columns: &[Column], rows: Rows<'_>) -> Result<u64> {
        let url = self.url.clone();
        let err = |e| backend(&url, &format!("copying into {table}"), e);
        let mut tx = self.client.transaction().map_err(err)?;
        tx.batch_execute(&format!(
            "SET CONSTRAINTS ALL DEFERRED;
             CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (table_name TEXT PRIMARY KEY, rows BIGINT NOT NULL);
             ALTER TABLE {t} DISABLE TRIGGER USER;
             DELETE FROM {t};",
            t = quoted(table)
        ))
        .map_err(err)?;
        let list: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
        let types: Vec<Type> = columns
            .iter()
            .map(|c| match c.kind {
                Kind::Integer => Type::INT8,
                Kind::Real => Type::FLOAT8,
                Kind::Text => Type::TEXT,
                Kind::Blob => Type::BYTEA,
            })
            .collect();
        let copy = format!(
            "COPY {} ({}) FROM STDIN BINARY",
            quoted(table),
            list.join(", ")
        );
        let sink = tx.copy_in(&copy).map_err(err)?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        let mut copied = 0u64;
        rows(&mut |row| {
            let cells: Vec<Box<dyn ToSql + Sync>> = row
                .into_iter()
                .zip(columns)
                .map(|(value, column)| boxed(value, column.kind))
                .collect();
            let refs: Vec<&(dyn ToSql + Sync)> = cells.iter().map(|c| c.as_ref()).collect();
            writer.write(&refs).map_err(err)?;
            copied += 1;
            Ok(())
        })?;
        writer.finish().map_err(err)?;
        // The foreign keys are checked now, with the whole table in (a table's triggers cannot be
        // enabled while checks on it are pending).
        tx.batch_execute(&format!(
            "SET CONSTRAINTS ALL IMMEDIATE; ALTER TABLE {} ENABLE TRIGGER USER",
            quoted(table)
        ))
        .map_err(err)?;
        // Identity columns (a decision's, an account's id) number on from the copied rows.
        let identities = tx
            .query(
                "SELECT column_name::TEXT FROM information_schema.columns
                  WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'",
                &[&table],
            )
            .map_err(err)?;
        for row in identities {
            let column: String = row.get(0);
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence(quote_ident(current_schema()) || '.' || $1, $2),
                                   COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
                    c = quoted(&column),
                    t = quoted(table)
                ),
                &[&table, &column],
            )
            .map_err(err)?;
        }
        tx.execute(
            &format!(
                "INSERT INTO {PROGRESS_TABLE} (table_name, rows) VALUES ($1, $2)
                 ON CONFLICT (table_name) DO UPDATE SET rows = excluded.rows"
            ),
            &[&table, &(copied as i64)],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(copied)
    }

    pub(crate) fn forget(&mut self, table: &str) -> Result<()> {
        self.client
            .execute(
                &format!("DELETE FROM {PROGRESS_TABLE} WHERE table_name = $1"),
                &[&table],
            )
            .map_err(|e| backend(&self.url, "recording the copy's progress", e))?;
        Ok(())
    }

    pub(crate) fn finish(&mut self) -> Result<()> {
        self.client
            .batch_execute(&format!("DROP TABLE IF EXISTS {PROGRESS_TABLE}"))
            .map_err(|e| backend(&self.url, "ending the copy", e))
    }

    pub(crate) fn audit_chain(&mut self) -> Result<AuditReport> {
        let tx = self
            .client
            .transaction()
            .map_err(|e| backend(&self.url, "verifying the audit log", e))?;
        let db = PostgresDb::new(tx, &self.url, None);
        let report = crate::audit_log::verify(&db)?;
        db.commit()?;
        Ok(report)
    }
}

/// A value as PostgreSQL binds it; a null is typed by its column (binding checks the type).
fn boxed(value: Value, kind: Kind) -> Box<dyn ToSql + Sync> {
    match value {
        Value::Null => match kind {
            Kind::Integer => Box::new(None::<i64>),
            Kind::Real => Box::new(None::<f64>),
            Kind::Text => Box::new(None::<String>),
            Kind::Blob => Box::new(None::<Vec<u8>>),
        },
        Value::Integer(i) => Box::new(i),
        Value::Real(f) => Box::new(f),
        Value::Text(t) => Box::new(t),
        Value::Blob(b) => Box::new(b),
    }
}
