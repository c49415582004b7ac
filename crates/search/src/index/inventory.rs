//! What the index holds, by record id: the cheap listing the store is compared against to find
//! records a killed ingest stored but never indexed.

use super::{uid, SearchIndex};
use crate::{Kind, SearchError};
use std::collections::BTreeSet;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

impl SearchIndex {
    /// The ids of every live record of `kind`, as last committed. Reads only the term dictionary
    /// of the `uid` field (no stored text), so it stays cheap on a large index.
    pub fn ids(&self, kind: Kind) -> Result<BTreeSet<String>, SearchError> {
        let prefix = uid(kind, "");
        let searcher = self.reader.searcher();
        let mut ids = BTreeSet::new();
        let io = |e: std::io::Error| SearchError::Index {
            action: "listing the index's records",
            source: e.into(),
        };
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.uid)
                .map_err(SearchError::index("listing the index's records"))?;
            let mut terms = inverted.terms().stream().map_err(io)?;
            while terms.advance() {
                let Ok(key) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                let Some(id) = key.strip_prefix(&prefix) else {
                    continue;
                };
                if ids.contains(id) {
                    continue;
                }
                // A replaced or deleted record keeps its term until segments merge: only a
                // document still alive counts.
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(io)?;
                let mut doc = postings.doc();
                while doc != TERMINATED && segment.is_deleted(doc) {
                    doc = postings.advance();
                }
                if doc != TERMINATED {
                    ids.insert(id.to_string());
                }
            }
        }
        Ok(ids)
    }
}
