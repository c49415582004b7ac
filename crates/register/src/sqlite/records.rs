//! A SQLite register's reads of one record, as `crate::records` writes them once for both backends.

use super::{Edits, SqliteStore, VisibilityMap};
use crate::error::Result;
use crate::records;
use crate::types::*;
use casebook_model::Status;

pub(super) use records::EVENT_BATCH;

impl SqliteStore {
    pub(super) fn load_edits(&self) -> Result<Edits> {
        records::load_edits(&self.db())
    }

    pub(super) fn load_visibility(&self) -> Result<VisibilityMap> {
        records::load_visibility(&self.db())
    }

    /// The root person an id leads to, or `None` when the id names no person.
    pub(super) fn root_person(&self, id: &str) -> Result<Option<String>> {
        records::root_person(&self.db(), id)
    }

    /// The root person an id leads to; `UnknownId` when the id names no person.
    pub(super) fn known_root_person(&self, id: &str) -> Result<String> {
        records::known_root_person(&self.db(), id)
    }

    pub(super) fn person_record(
        &self,
        id: &str,
        edits: &Edits,
        vis: &VisibilityMap,
    ) -> Result<PersonRecord> {
        records::person_record(&self.db(), id, edits, vis)
    }

    /// A person's status: a reviewer's edit, else derived from their events.
    pub(super) fn person_status(&self, id: &str, edits: &Edits) -> Result<Status> {
        records::person_status(&self.db(), id, edits)
    }

    /// See `records::event_records`.
    pub(super) fn event_records(&self, ids: &[String], edits: &Edits) -> Result<Vec<EventRecord>> {
        records::event_records(&self.db(), ids, edits)
    }

    /// Rows of two strings for a statement over `params`.
    pub(crate) fn pairs(
        &self,
        sql: &'static str,
        params: &[crate::sql::Param<'_>],
    ) -> Result<Vec<(String, String)>> {
        records::pairs(&self.db(), sql, params)
    }

    pub(super) fn count(&self, sql: &str) -> Result<u64> {
        records::count(&self.db(), sql)
    }
}

/// A claim from a row of [`CLAIM_COLUMNS`], inside a rusqlite closure.
pub(super) fn claim_row(r: &rusqlite::Row) -> rusqlite::Result<Claim> {
    crate::case_files::claim_from(&crate::sql::SqliteRow::of(r, "reading a claim")).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Null, Box::new(e))
    })
}

pub(super) use crate::case_files::CLAIM_COLUMNS;
