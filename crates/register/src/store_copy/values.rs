//! The values a copy carries between backends, by column kind, and the order-free digest of a
//! table that proves two copies hold the same rows.
//!
//! Invariant: a value is converted only where no information is lost (an integer into a REAL
//! column, as SQLite's own affinity does); anything else is refused with the table and column.

use crate::error::{RegisterError, Result};
use sha2::{Digest, Sha256};

/// The four kinds of column the register's schema uses (SQLite's declared types; PostgreSQL's
/// BIGINT, DOUBLE PRECISION, TEXT and BYTEA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Real,
    Text,
    Blob,
}

impl Kind {
    /// The kind of a SQLite declared type, by SQLite's own affinity rules.
    pub(crate) fn of_sqlite(declared: &str) -> Kind {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            Kind::Integer
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Kind::Text
        } else if t.contains("BLOB") || t.is_empty() {
            Kind::Blob
        } else {
            Kind::Real
        }
    }

    /// The kind of a PostgreSQL column type as `information_schema` names it.
    pub(crate) fn of_postgres(data_type: &str) -> Option<Kind> {
        match data_type {
            "bigint" | "integer" | "smallint" => Some(Kind::Integer),
            "double precision" | "real" => Some(Kind::Real),
            "text" | "character varying" => Some(Kind::Text),
            "bytea" => Some(Kind::Blob),
            _ => None,
        }
    }
}

/// One column of a copied table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    pub kind: Kind,
}

/// One value of a row, as SQLite types values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    /// The value a SQLite cell holds, as the column's kind.
    pub(crate) fn from_sqlite(
        cell: rusqlite::types::ValueRef<'_>,
        kind: Kind,
        table: &str,
        column: &str,
    ) -> Result<Value> {
        use rusqlite::types::ValueRef as V;
        let value = match (cell, kind) {
            (V::Null, _) => Value::Null,
            (V::Integer(i), Kind::Integer) => Value::Integer(i),
            (V::Integer(i), Kind::Real) => Value::Real(i as f64),
            (V::Real(f), Kind::Real) => Value::Real(f),
            (V::Text(t), Kind::Text) => Value::Text(
                String::from_utf8(t.to_vec())
                    .map_err(|_| refused(table, column, "text that is not UTF-8"))?,
            ),
            (V::Blob(b), Kind::Blob) => Value::Blob(b.to_vec()),
            (other, _) => {
                let held = match other {
                    V::Integer(_) => "an integer",
                    V::Real(_) => "a real number",
                    V::Text(_) => "text",
                    _ => "bytes",
                };
                return Err(refused(table, column, held));
            }
        };
        Ok(value)
    }
}

/// A value as SQLite binds it, borrowed (a copied original's bytes are not copied again).
impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as V};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => V::Null,
            Value::Integer(i) => V::Integer(*i),
            Value::Real(f) => V::Real(*f),
            Value::Text(t) => V::Text(t.as_bytes()),
            Value::Blob(b) => V::Blob(b),
        }))
    }
}

fn refused(table: &str, column: &str, held: &str) -> RegisterError {
    RegisterError::Invalid(format!(
        "{table}.{column} holds {held} where its column's type does not allow it; nothing of \
         {table} was copied"
    ))
}

/// What a table holds, as a copy compares it: its row count and a digest that does not depend on
/// the order rows are read in (each backend orders text by its own collation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TableDigest {
    pub rows: u64,
    sum: u128,
}

impl TableDigest {
    /// Adds a row. The row's SHA-256 (over tagged, length-prefixed values) is summed, so the sum
    /// is the same in any order and a changed, missing or extra row changes it.
    pub(crate) fn add(&mut self, row: &[Value]) {
        let mut h = Sha256::new();
        for value in row {
            match value {
                Value::Null => h.update([0]),
                Value::Integer(i) => {
                    h.update([1]);
                    h.update(i.to_le_bytes());
                }
                Value::Real(f) => {
                    h.update([2]);
                    h.update(f.to_bits().to_le_bytes());
                }
                Value::Text(t) => {
                    h.update([3]);
                    h.update((t.len() as u64).to_le_bytes());
                    h.update(t.as_bytes());
                }
                Value::Blob(b) => {
                    h.update([4]);
                    h.update((b.len() as u64).to_le_bytes());
                    h.update(b);
                }
            }
        }
        let digest = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
        self.rows += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_ignores_order_and_sees_any_change() {
        let rows = [
            vec![Value::Text("a".into()), Value::Integer(1), Value::Null],
            vec![
                Value::Text("b".into()),
                Value::Real(0.5),
                Value::Blob(vec![0, 1]),
            ],
        ];
        let (mut forward, mut backward) = (TableDigest::default(), TableDigest::default());
        rows.iter().for_each(|r| forward.add(r));
        rows.iter().rev().for_each(|r| backward.add(r));
        assert_eq!(forward, backward);
        assert_eq!(forward.rows, 2);

        let mut changed = TableDigest::default();
        changed.add(&rows[0]);
        changed.add(&[
            Value::Text("b".into()),
            Value::Real(0.5),
            Value::Blob(vec![0, 2]),
        ]);
        assert_ne!(forward, changed);
        // A null and an empty text are different values.
        let (mut null, mut empty) = (TableDigest::default(), TableDigest::default());
        null.add(&[Value::Null]);
        empty.add(&[Value::Text(String::new())]);
        assert_ne!(null, empty);
    }

    #[test]
    fn kinds_follow_each_backends_declared_types() {
        assert_eq!(Kind::of_sqlite("INTEGER"), Kind::Integer);
        assert_eq!(Kind::of_sqlite("REAL"), Kind::Real);
        assert_eq!(Kind::of_sqlite("TEXT"), Kind::Text);
        assert_eq!(Kind::of_sqlite("BLOB"), Kind::Blob);
        assert_eq!(Kind::of_postgres("double precision"), Some(Kind::Real));
        assert_eq!(Kind::of_postgres("jsonb"), None);
        use rusqlite::types::ValueRef;
        assert_eq!(
            Value::from_sqlite(ValueRef::Integer(3), Kind::Real, "t", "c").unwrap(),
            Value::Real(3.0)
        );
        let refused = Value::from_sqlite(ValueRef::Text(b"x"), Kind::Integer, "events", "start");
        assert!(refused
            .unwrap_err()
            .to_string()
            .contains("events.start holds text"));
    }
}
