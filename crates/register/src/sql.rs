//! The one way the register's logic speaks SQL, whichever backend holds the register: a statement
//! is written once with `?N` placeholders, its parameters and rows are plain values, and a failure
//! says what was being done. [`SqliteDb`] runs it through rusqlite (statements stay prepared);
//! [`PostgresDb`] through the `postgres` client, inside one transaction, with `?N` read as `$N`.
//!
//! Invariants: a statement means the same on both backends; integers of any width and booleans read as
//! SQLite's typing gives them (PostgreSQL's `COUNT` is BIGINT, `EXISTS` is BOOLEAN, a literal is
//! INTEGER), and a NUMERIC result is refused (cast it in the statement); a parameter binds to the
//! type PostgreSQL infers for its place, or is refused, never silently changed.

use crate::error::{RegisterError, Result};
use crate::sqlite::Ctx;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use std::cell::RefCell;
use std::path::Path;

/// One value of a row, as SQLite types values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A statement's parameter, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}
impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}
impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}
impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}
impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// A statement's parameters: `args![a, b]` is `&[Param::from(a), Param::from(b)]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::sql::Param::from($value)),*] as &[$crate::sql::Param<'_>]
    };
}
pub(crate) use args;

/// A row read by either backend.
#[derive(Debug)]
pub(crate) struct Row(Vec<Value>);

impl Row {
    /// Column `i` as `T`; a value of another type is an error naming the column.
    pub(crate) fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let value = self.0.get(i).unwrap_or(&Value::Null);
        T::from_value(value).ok_or_else(|| {
            RegisterError::Invalid(format!(
                "column {i} of a row holds {value:?}, not {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// What a column's value can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for u64 {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).and_then(|i| u64::try_from(i).ok())
    }
}
impl FromValue for f64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Real(f) => Some(*f),
            Value::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for bool {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).map(|i| i != 0)
    }
}
impl FromValue for String {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A connection inside a transaction, on either backend.
pub(crate) trait Db {
    /// Runs a statement; returns the rows it changed. `what` says what it does, for its error.
    fn execute(&self, sql: &'static str, params: &[Param<'_>], what: &str) -> Result<usize>;

    /// Runs a query, handing each row to `f` in order.
    fn query(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        what: &str,
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()>;

    /// Makes the writers of one kind take turns until this transaction ends (SQLite's write
    /// transactions already do; PostgreSQL's take a transaction-level advisory lock on `key`).
    fn take_turn(&self, key: i64) -> Result<()>;
}

impl dyn Db + '_ {
    /// Every row of a query, in order.
    pub(crate) fn rows(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        what: &str,
    ) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        self.query(sql, params, what, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first row of a query, if any.
    pub(crate) fn row(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        what: &str,
    ) -> Result<Option<Row>> {
        let mut first = None;
        self.query(sql, params, what, &mut |row| {
            if first.is_none() {
                first = Some(row);
            }
            Ok(())
        })?;
        Ok(first)
    }
}

/// SQLite, through the caller's connection (inside its transaction).
pub(crate) struct SqliteDb<'a> {
    conn: &'a rusqlite::Connection,
    path: &'a Path,
}

impl<'a> SqliteDb<'a> {
    pub(crate) fn new(conn: &'a rusqlite::Connection, path: &'a Path) -> Self {
        SqliteDb { conn, path }
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(*i),
            Param::Real(f) => ValueRef::Real(*f),
            Param::Text(t) => ValueRef::Text(t.as_bytes()),
        }))
    }
}

impl Db for SqliteDb<'_> {
    fn execute(&self, sql: &'static str, params: &[Param<'_>], what: &str) -> Result<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(params)))
            .ctx(self.path, || what.to_string())
    }

    fn query(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        what: &str,
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let err = || what.to_string();
        let mut stmt = self.conn.prepare_cached(sql).ctx(self.path, err)?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .ctx(self.path, err)?;
        while let Some(r) = rows.next().ctx(self.path, err)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                use rusqlite::types::ValueRef as V;
                values.push(match r.get_ref(i).ctx(self.path, err)? {
                    V::Null => Value::Null,
                    V::Integer(i) => Value::Integer(i),
                    V::Real(f) => Value::Real(f),
                    V::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    V::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            f(Row(values))?;
        }
        Ok(())
    }

    fn take_turn(&self, _key: i64) -> Result<()> {
        Ok(())
    }
}

/// PostgreSQL, inside one transaction of the caller's.
pub(crate) struct PostgresDb<'c> {
    tx: RefCell<postgres::Transaction<'c>>,
    url: String,
}

impl<'c> PostgresDb<'c> {
    pub(crate) fn new(tx: postgres::Transaction<'c>, url: &str) -> Self {
        PostgresDb {
            tx: RefCell::new(tx),
            url: crate::postgres::redacted(url),
        }
    }

    pub(crate) fn commit(self) -> Result<()> {
        let url = self.url.clone();
        self.tx
            .into_inner()
            .commit()
            .map_err(|e| crate::postgres::backend(&url, "committing", e))
    }
}

/// `?N` placeholders as PostgreSQL writes them (`$N`); string literals are left alone.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_literal = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_literal = !in_literal;
                out.push(c);
            }
            '?' if !in_literal => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (self, ty) {
            (Param::Null, _) => Ok(IsNull::Yes),
            (Param::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Param::Int(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Param::Int(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Param::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Param::Int(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Param::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Param::Text(t), _) if <&str as ToSql>::accepts(ty) => t.to_sql(ty, out),
            (param, ty) => {
                Err(format!("a parameter {param:?} cannot stand where {ty} is expected").into())
            }
        }
    }

    fn accepts(_ty: &Type) -> bool {
        // Checked value by value in `to_sql`, which refuses what does not fit.
        true
    }

    to_sql_checked!();
}

impl Db for PostgresDb<'_> {
    fn execute(&self, sql: &'static str, params: &[Param<'_>], what: &str) -> Result<usize> {
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let changed = self
            .tx
            .borrow_mut()
            .execute(placeholders(sql).as_str(), &refs)
            .map_err(|e| crate::postgres::backend(&self.url, what, e))?;
        Ok(changed as usize)
    }

    fn query(
        &self,
        sql: &'static str,
        params: &[Param<'_>],
        what: &str,
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self
            .tx
            .borrow_mut()
            .query(placeholders(sql).as_str(), &refs)
            .map_err(|e| crate::postgres::backend(&self.url, what, e))?;
        for row in rows {
            let values = (0..row.len())
                .map(|i| cell(&row, i))
                .collect::<std::result::Result<Vec<_>, postgres::Error>>()
                .map_err(|e| crate::postgres::backend(&self.url, what, e))?;
            f(Row(values))?;
        }
        Ok(())
    }

    fn take_turn(&self, key: i64) -> Result<()> {
        self.execute(
            "SELECT pg_advisory_xact_lock(?1)",
            args![key],
            "waiting for another writer",
        )
        .map(|_| ())
    }
}

/// One cell of a PostgreSQL row, as SQLite would give it.
fn cell(row: &postgres::Row, i: usize) -> std::result::Result<Value, postgres::Error> {
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Integer(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Integer(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|v| Value::Integer(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map(|v| Value::Real(v.into())),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        // Text of every kind; anything else (NUMERIC among them) fails here, naming its type.
        _ => row.try_get::<_, Option<String>>(i)?.map(Value::Text),
    }
    .unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_literals() {
        assert_eq!(
            placeholders("SELECT '?' , x FROM t WHERE a = ?1 AND b = ?2"),
            "SELECT '?' , x FROM t WHERE a = $1 AND b = $2"
        );
    }

    #[test]
    fn rows_read_as_sqlite_types_them() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let db: &dyn Db = &SqliteDb::new(&conn, Path::new(":memory:"));
        db.execute(
            "CREATE TABLE t (a INTEGER, b TEXT, c REAL)",
            args![],
            "making t",
        )
        .unwrap();
        let none: Option<&str> = None;
        db.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3)",
            args![7i64, none, 0.5f64],
            "filling t",
        )
        .unwrap();
        let row = db
            .row("SELECT a, b, c, a = 7 FROM t", args![], "reading t")
            .unwrap()
            .unwrap();
        assert_eq!(row.get::<i64>(0).unwrap(), 7);
        assert_eq!(row.get::<Option<String>>(1).unwrap(), None);
        assert_eq!(row.get::<f64>(2).unwrap(), 0.5);
        assert!(row.get::<bool>(3).unwrap());
        assert!(row.get::<String>(0).is_err());
        assert!(db
            .row("SELECT a FROM t WHERE a = 8", args![], "reading t")
            .unwrap()
            .is_none());
    }
}
