//! Reads over many records: a person's case file, person search, the claims list, the register's
//! counts, and visiting every person, event and case (exports and the search index read these).
//!
//! Invariants: a read never writes; visits go in a stable order (by id) so exports and rebuilt
//! indexes come out the same from the same register; merged-away person ids lead to their root.

use super::records::{claim_row, CLAIM_COLUMNS};
use super::{Ctx, SqliteStore};
use crate::error::Result;
use crate::types::*;
use rusqlite::params;

impl SqliteStore {
    /// [`Store::case_file`].
    pub(super) fn read_case_file(&self, person: &str) -> Result<CaseFile> {
        crate::case_files::case_file(&self.db(), person)
    }

    /// [`Store::person`].
    pub(super) fn read_person(&self, id: &str) -> Result<PersonRecord> {
        let root = self.known_root_person(id)?;
        self.person_record(&root, &self.load_edits()?, &self.load_visibility()?)
    }

    /// [`Store::find_persons`].
    pub(super) fn search_persons(&self, text: &str, limit: usize) -> Result<Vec<PersonRecord>> {
        crate::case_files::find_persons(&self.db(), text, limit)
    }

    /// [`Store::claims`].
    pub(super) fn list_claims(&self, filter: &ClaimFilter) -> Result<Vec<Claim>> {
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

    /// [`Store::stats`].
    pub(super) fn read_stats(&self) -> Result<Stats> {
        crate::records::stats(&self.db(), self.read_user_version()?)
    }

    /// [`Store::visit_persons`].
    pub(super) fn each_person(&self, f: &mut dyn FnMut(PersonRecord) -> Result<()>) -> Result<()> {
        crate::records::each_person(&self.db(), f)
    }

    /// [`Store::visit_events`].
    pub(super) fn each_event(&self, f: &mut dyn FnMut(EventRecord) -> Result<()>) -> Result<()> {
        crate::records::each_event(&self.db(), f)
    }

    /// [`Store::visit_cases`].
    pub(super) fn each_case(&self, f: &mut dyn FnMut(CaseRecord) -> Result<()>) -> Result<()> {
        crate::records::each_case(&self.db(), f)
    }
}
