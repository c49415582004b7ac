//! casebook-lists: other groups' lists of persons, read and set against the register.
//!
//! In: the bytes of a list (CSV in UTF-8, UTF-8 or UTF-16 with a byte-order mark, or Windows-1251;
//! or an XLSX workbook), the column mapping kept from the list's previous version and `COLUMN=FIELD`
//! overrides; the register's persons (ids, names, what it knows of them). Out: the list's rows
//! ([`ListRow`]) with the [`Mapping`] that read them, a [`Reconciliation`] (matched rows with the
//! score and why, rows only in the list, persons only in the register, conflicting fields), and the
//! [`Changes`] between two versions of a list. Plain data in and out, no I/O: the register stores
//! lists and the CLI reads files. Header words, status phrases and term units are data files under
//! `data/`; names are matched by `casebook-names` (scripts, transliteration, inflected forms).

mod columns;
mod diff;
mod error;
mod read;
mod reconcile;
mod values;

pub use columns::{map_columns, recognise, Field, Mapping, Override};
pub use diff::{diff, Changed, Changes, FieldChange, RowRef};
pub use error::{ListError, Result};
pub use read::{decode, read_table, Limits, Table, TableRow};
pub use reconcile::{
    conflicts, match_rows, reconcile, report_csv, Conflict, Matched, OnlyInList, OnlyInRegister,
    PersonFacts, Reconciliation, RegisterPerson, Report,
};
pub use values::{parse_date, parse_status, parse_term, places_differ, PartialDate};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One person as a list gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    /// Row number, from 1 for the first row after the header.
    pub row: usize,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_detained: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl ListRow {
    /// The value of a field other than the names, as written.
    pub fn value(&self, field: Field) -> Option<&str> {
        match field {
            Field::Name => Some(&self.name),
            Field::OtherNames => None,
            Field::BirthDate => self.birth_date.as_deref(),
            Field::Status => self.status.as_deref(),
            Field::DateDetained => self.date_detained.as_deref(),
            Field::Article => self.article.as_deref(),
            Field::Term => self.term.as_deref(),
            Field::Place => self.place.as_deref(),
            Field::Case => self.case.as_deref(),
            Field::Source => self.source.as_deref(),
        }
    }
}

/// A list as read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedList {
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    pub mapping: Mapping,
    pub rows: Vec<ListRow>,
    /// Rows with cells but no name: nothing to reconcile, reported so that none is lost unseen.
    pub without_name: Vec<usize>,
}

/// Reads a list: the table, its mapping (recognised headers, then `previous`, the mapping kept from
/// the list's earlier version, then `overrides`), and its rows.
pub fn read_list(
    file: &str,
    bytes: &[u8],
    previous: Option<&BTreeMap<String, String>>,
    overrides: &[Override],
    limits: &Limits,
) -> Result<ParsedList> {
    use sha2::{Digest, Sha256};
    let table = read_table(file, bytes, limits)?;
    let mapping = map_columns(file, &table.headers, previous, overrides)?;
    let cell = |cells: &[String], field: Field| -> Option<String> {
        mapping
            .column(field)
            .and_then(|c| cells.get(c))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut without_name = Vec::new();
    for r in &table.rows {
        let Some(name) = cell(&r.cells, Field::Name) else {
            without_name.push(r.number);
            continue;
        };
        let other_names = cell(&r.cells, Field::OtherNames)
            .map(|v| {
                v.split([';', '|', '/', ',', '\n'])
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        rows.push(ListRow {
            row: r.number,
            name,
            other_names,
            birth_date: cell(&r.cells, Field::BirthDate),
            status: cell(&r.cells, Field::Status),
            date_detained: cell(&r.cells, Field::DateDetained),
            article: cell(&r.cells, Field::Article),
            term: cell(&r.cells, Field::Term),
            place: cell(&r.cells, Field::Place),
            case: cell(&r.cells, Field::Case),
            source: cell(&r.cells, Field::Source),
        });
    }
    Ok(ParsedList {
        sha256: hex::encode(Sha256::digest(bytes)),
        mapping,
        rows,
        without_name,
    })
}
