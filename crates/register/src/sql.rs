//! The one way the register's logic speaks SQL, whichever backend holds the register: a statement
//! is written once with `?N` placeholders, its parameters and rows are plain values, and a failure
//! says what was being done. [`SqliteDb`] runs it through rusqlite (statements stay prepared);
//! [`PostgresDb`] through the `postgres` client, inside one transaction, with `?N` read as `$N`.
//!
//! Invariants: a statement means the same on both backends; integers of any width and booleans read as
//! SQLite's typing gives them (PostgreSQL's `COUNT` is BIGINT, `EXISTS` is BOOLEAN, a literal is
//! INTEGER), and a NUMERIC result is refused (cast it in the statement); a parameter binds to the
//! type PostgreSQL infers for its place (an integer to any integer width that holds it, to a
//! boolean or to a real, as SQLite's affinity would; text to any text type), or is refused.

use crate::error::{RegisterError, Result};
use crate::sqlite::Ctx;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use std::cell::RefCell;
use std::path::Path;

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

/// One cell of a row, read in place from the backend's row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A row of either backend, read where it lies (no copy of its cells).
pub(crate) trait Row {
    fn cell(&self, i: usize) -> Result<Cell<'_>>;
}

impl dyn Row + '_ {
    /// Column `i` as `T`; a value of another type is an error naming the column.
    pub(crate) fn get<T: FromCell>(&self, i: usize) -> Result<T> {
        let cell = self.cell(i)?;
        T::from_cell(cell).ok_or_else(|| {
            RegisterError::Invalid(format!(
                "column {i} of a row holds {cell:?}, not {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// What a cell can be read as.
pub(crate) trait FromCell: Sized {
    fn from_cell(cell: Cell<'_>) -> Option<Self>;
}

impl FromCell for i64 {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Integer(i) => Some(i),
            _ => None,
        }
    }
}
impl FromCell for u64 {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        i64::from_cell(cell).and_then(|i| u64::try_from(i).ok())
    }
}
impl FromCell for usize {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        i64::from_cell(cell).and_then(|i| usize::try_from(i).ok())
    }
}
impl FromCell for f64 {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Real(f) => Some(f),
            Cell::Integer(i) => Some(i as f64),
            _ => None,
        }
    }
}
impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        i64::from_cell(cell).map(|i| i != 0)
    }
}
impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(t) => Some(t.to_string()),
            _ => None,
        }
    }
}
impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

/// Which dialect a connection speaks, for the rare statement that needs a text for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection inside a transaction, on either backend.
pub(crate) trait Db {
    fn dialect(&self) -> Dialect;

    /// Runs a statement; returns the rows it changed. `what` says what it does, for its error.
    fn execute(&self, sql: &str, params: &[Param<'_>], what: &str) -> Result<usize>;

    /// Runs a query, handing each row to `f` in order. `f` may run statements of its own.
    fn query(
        &self,
        sql: &str,
        params: &[Param<'_>],
        what: &str,
        f: &mut dyn FnMut(&dyn Row) -> Result<()>,
    ) -> Result<()>;

    /// Makes the writers of one kind take turns until this transaction ends (SQLite's write
    /// transactions already do; PostgreSQL's take a transaction-level advisory lock on `key`).
    fn take_turn(&self, key: i64) -> Result<()>;

    /// The table of a JSON array's values (`json`: a parameter or a column holding the array) as
    /// `alias`, its one column `value`: the one place the dialects differ in a statement.
    fn json_values(&self, json: &str, alias: &str) -> String;

    /// A join that keeps the order written (`… {join} t ON …`): SQLite's `CROSS JOIN`, which its
    /// planner never reorders; PostgreSQL's planner takes a plain `JOIN` and orders it itself (it
    /// allows no `ON` after `CROSS JOIN`).
    fn ordered_join(&self) -> &'static str;
}

impl dyn Db + '_ {
    /// Each row of a query made into a `T`, in order.
    pub(crate) fn map<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        what: &str,
        mut f: impl FnMut(&dyn Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query(sql, params, what, &mut |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query made into a `T`, if there is a row.
    pub(crate) fn first<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        what: &str,
        f: impl FnOnce(&dyn Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.query(sql, params, what, &mut |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first column of the only row a query gives (a count, an `EXISTS`).
    pub(crate) fn one<T: FromCell>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        what: &str,
    ) -> Result<T> {
        self.first(sql, params, what, |r| r.get(0))?
            .ok_or_else(|| RegisterError::Invalid(format!("{what}: the query gave no row")))
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
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Param<'_>], what: &str) -> Result<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(params)))
            .ctx(self.path, || what.to_string())
    }

    fn query(
        &self,
        sql: &str,
        params: &[Param<'_>],
        what: &str,
        f: &mut dyn FnMut(&dyn Row) -> Result<()>,
    ) -> Result<()> {
        let err = || what.to_string();
        let mut stmt = self.conn.prepare_cached(sql).ctx(self.path, err)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .ctx(self.path, err)?;
        while let Some(r) = rows.next().ctx(self.path, err)? {
            f(&SqliteRow {
                row: r,
                path: self.path,
                what,
            })?;
        }
        Ok(())
    }

    fn take_turn(&self, _key: i64) -> Result<()> {
        Ok(())
    }

    fn json_values(&self, json: &str, alias: &str) -> String {
        format!("json_each({json}) {alias}")
    }

    fn ordered_join(&self) -> &'static str {
        "CROSS JOIN"
    }
}

/// A rusqlite row as the seam reads it.
pub(crate) struct SqliteRow<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    path: &'r Path,
    what: &'r str,
}

impl<'r, 's> SqliteRow<'r, 's> {
    /// A row met inside a rusqlite closure, for the readers written once for both backends.
    pub(crate) fn of(row: &'r rusqlite::Row<'s>, what: &'r str) -> Self {
        SqliteRow {
            row,
            path: Path::new(""),
            what,
        }
    }
}

impl Row for SqliteRow<'_, '_> {
    fn cell(&self, i: usize) -> Result<Cell<'_>> {
        use rusqlite::types::ValueRef as V;
        let cell = self
            .row
            .get_ref(i)
            .ctx(self.path, || self.what.to_string())?;
        Ok(match cell {
            V::Null => Cell::Null,
            V::Integer(i) => Cell::Integer(i),
            V::Real(f) => Cell::Real(f),
            V::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|_| {
                RegisterError::Invalid(format!("{}: column {i} is not UTF-8 text", self.what))
            })?),
            V::Blob(b) => Cell::Blob(b),
        })
    }
}

/// PostgreSQL, inside one transaction of the caller's.
pub(crate) struct PostgresDb<'c> {
    tx: RefCell<postgres::Transaction<'c>>,
    url: String,
    statements: Option<&'c Statements>,
}

/// Statements prepared on one connection, by their text: a prepared statement runs in one round
/// trip where an unprepared one takes two, and a record's read runs several.
pub(crate) type Statements = RefCell<std::collections::HashMap<String, postgres::Statement>>;

impl<'c> PostgresDb<'c> {
    /// A transaction; `statements` keeps what it prepares for the connection's later ones.
    pub(crate) fn new(
        tx: postgres::Transaction<'c>,
        url: &str,
        statements: Option<&'c Statements>,
    ) -> Self {
        PostgresDb {
            tx: RefCell::new(tx),
            url: crate::postgres::redacted(url),
            statements,
        }
    }

    /// The statement for `sql`, prepared once per connection when a cache is given (keyed by the
    /// text as written, so a cached statement costs no translation).
    fn statement(&self, sql: &str, what: &str) -> Result<postgres::Statement> {
        let cached = self.statements.and_then(|c| c.borrow().get(sql).cloned());
        if let Some(statement) = cached {
            return Ok(statement);
        }
        let statement = self
            .tx
            .borrow_mut()
            .prepare(&placeholders(sql))
            .map_err(|e| crate::postgres::backend(&self.url, what, e))?;
        if let Some(cache) = self.statements {
            cache
                .borrow_mut()
                .insert(sql.to_string(), statement.clone());
        }
        Ok(statement)
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

/// Parameters as the `postgres` client binds them.
fn bound<'p>(params: &'p [Param<'_>]) -> Vec<&'p (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Db for PostgresDb<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Param<'_>], what: &str) -> Result<usize> {
        let statement = self.statement(sql, what)?;
        let changed = self
            .tx
            .borrow_mut()
            .execute(&statement, &bound(params))
            .map_err(|e| crate::postgres::backend(&self.url, what, e))?;
        Ok(changed as usize)
    }

    fn query(
        &self,
        sql: &str,
        params: &[Param<'_>],
        what: &str,
        f: &mut dyn FnMut(&dyn Row) -> Result<()>,
    ) -> Result<()> {
        // The rows are taken whole before `f` sees them, so `f` may run statements of its own.
        let statement = self.statement(sql, what)?;
        let rows = self
            .tx
            .borrow_mut()
            .query(&statement, &bound(params))
            .map_err(|e| crate::postgres::backend(&self.url, what, e))?;
        for row in &rows {
            f(&PostgresRow {
                row,
                url: &self.url,
                what,
            })?;
        }
        Ok(())
    }

    fn json_values(&self, json: &str, alias: &str) -> String {
        format!("jsonb_array_elements_text(({json})::text::jsonb) AS {alias}(value)")
    }

    fn ordered_join(&self) -> &'static str {
        "JOIN"
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

struct PostgresRow<'r> {
    row: &'r postgres::Row,
    url: &'r str,
    what: &'r str,
}

impl Row for PostgresRow<'_> {
    /// A cell as SQLite would give it: integers of every width and booleans as integers.
    fn cell(&self, i: usize) -> Result<Cell<'_>> {
        let row = self.row;
        let cell = match row.columns().get(i).map(|c| c.type_().clone()) {
            None => Ok(None),
            Some(Type::INT8) => row
                .try_get::<_, Option<i64>>(i)
                .map(|v| v.map(Cell::Integer)),
            Some(Type::INT4) => row
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|v| Cell::Integer(v.into()))),
            Some(Type::INT2) => row
                .try_get::<_, Option<i16>>(i)
                .map(|v| v.map(|v| Cell::Integer(v.into()))),
            Some(Type::BOOL) => row
                .try_get::<_, Option<bool>>(i)
                .map(|v| v.map(|v| Cell::Integer(v.into()))),
            Some(Type::FLOAT8) => row.try_get::<_, Option<f64>>(i).map(|v| v.map(Cell::Real)),
            Some(Type::FLOAT4) => row
                .try_get::<_, Option<f32>>(i)
                .map(|v| v.map(|v| Cell::Real(v.into()))),
            Some(Type::BYTEA) => row
                .try_get::<_, Option<&[u8]>>(i)
                .map(|v| v.map(Cell::Blob)),
            // Text of every kind; anything else (NUMERIC among them) fails here, naming its type.
            Some(_) => row.try_get::<_, Option<&str>>(i).map(|v| v.map(Cell::Text)),
        }
        .map_err(|e| crate::postgres::backend(self.url, self.what, e))?;
        Ok(cell.unwrap_or(Cell::Null))
    }
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
        let read = db
            .first(
                "SELECT a, b, c, a = 7 FROM t",
                args![],
                "reading t",
                |row| {
                    assert!(row.get::<String>(0).is_err());
                    Ok((
                        row.get::<i64>(0)?,
                        row.get::<Option<String>>(1)?,
                        row.get::<f64>(2)?,
                        row.get::<bool>(3)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(read, Some((7, None, 0.5, true)));
        let none = db.first("SELECT a FROM t WHERE a = 8", args![], "reading t", |r| {
            r.get::<i64>(0)
        });
        assert_eq!(none.unwrap(), None);
        assert_eq!(
            db.one::<i64>("SELECT COUNT(*) FROM t", args![], "counting")
                .unwrap(),
            1
        );
    }
}
