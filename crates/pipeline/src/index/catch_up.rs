//! The search index compared with the store it is derived from, and caught up with it: an ingest
//! killed between storing a batch and indexing it leaves articles the index never received, and
//! the next run (or `casebook stats --check`) finds them by id.

use super::Indexer;
use crate::error::Result;
use casebook_register::Store;
use casebook_search::{IndexDoc, Kind, SearchIndex};
use std::collections::BTreeSet;

/// Where the index and the store disagree about one kind of record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexGap {
    pub kind: Kind,
    /// Records of this kind in the store, and in the index.
    pub in_store: usize,
    pub in_index: usize,
    /// Ids the store has and the index lacks.
    pub missing: Vec<String>,
    /// Ids the index has and the store lacks.
    pub extra: Vec<String>,
}

/// The result of comparing the index with the store: one gap per kind that differs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexComparison {
    pub gaps: Vec<IndexGap>,
}

/// Ids listed per gap in a report line; the counts say how many more there are.
const IDS_SHOWN: usize = 10;

impl IndexComparison {
    /// True when the index holds exactly the store's articles and events.
    pub fn is_whole(&self) -> bool {
        self.gaps.is_empty()
    }

    /// One line per difference, for `stats --check` and log lines.
    pub fn problems(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for gap in &self.gaps {
            let list = |ids: &[String]| {
                let shown: Vec<&str> = ids.iter().take(IDS_SHOWN).map(String::as_str).collect();
                let more = ids.len().saturating_sub(IDS_SHOWN);
                if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    shown.join(", ")
                }
            };
            lines.push(format!(
                "search index: {} {}s in the store, {} in the index",
                gap.in_store, gap.kind, gap.in_index
            ));
            if !gap.missing.is_empty() {
                lines.push(format!(
                    "search index lacks {} {}s: {}",
                    gap.missing.len(),
                    gap.kind,
                    list(&gap.missing)
                ));
            }
            if !gap.extra.is_empty() {
                lines.push(format!(
                    "search index holds {} {}s the store does not: {}",
                    gap.extra.len(),
                    gap.kind,
                    list(&gap.extra)
                ));
            }
        }
        lines
    }
}

/// Compares the index with the store by article and event ids (keys only: no text is read).
pub fn compare_index(store: &dyn Store, index: &SearchIndex) -> Result<IndexComparison> {
    let stored = store.record_ids()?;
    let mut gaps = Vec::new();
    for (kind, in_store) in [
        (Kind::Article, &stored.articles),
        (Kind::Event, &stored.events),
    ] {
        let in_index = index.ids(kind)?;
        if &in_index == in_store {
            continue;
        }
        gaps.push(IndexGap {
            kind,
            in_store: in_store.len(),
            in_index: in_index.len(),
            missing: in_store.difference(&in_index).cloned().collect(),
            extra: in_index.difference(in_store).cloned().collect(),
        });
    }
    Ok(IndexComparison { gaps })
}

/// What [`Indexer::catch_up`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// Articles and events added, and records removed that the store no longer has.
    pub added: usize,
    pub removed: usize,
    /// Persons re-indexed (all of them, when anything was missing: their names and places may
    /// come from the records that were).
    pub persons: usize,
}

impl Indexer {
    /// Indexes what the store has and the index lacks, and removes what the store no longer has.
    /// Cheap when the two agree (ids only); otherwise the register is projected once.
    pub fn catch_up(&mut self, store: &dyn Store) -> Result<CaughtUp> {
        let comparison = compare_index(store, &self.index)?;
        if comparison.is_whole() {
            return Ok(CaughtUp::default());
        }
        let wanted = |kind: Kind| -> BTreeSet<&str> {
            comparison
                .gaps
                .iter()
                .filter(|g| g.kind == kind)
                .flat_map(|g| g.missing.iter().map(String::as_str))
                .collect()
        };
        let (articles, events) = (wanted(Kind::Article), wanted(Kind::Event));
        let mut done = CaughtUp::default();
        let mut writer = self.index.writer()?;
        // Streamed: only the records missing are kept, and only until written.
        crate::projection::for_each_document(store, &mut |doc| {
            let add = match &doc {
                IndexDoc::Article(a) => articles.contains(a.id.as_str()),
                IndexDoc::Event(e) => events.contains(e.id.as_str()),
                IndexDoc::Person(_) => {
                    done.persons += 1;
                    true
                }
            };
            if add {
                writer.add(&doc)?;
                done.added += usize::from(doc.kind() != Kind::Person);
            }
            Ok(())
        })?;
        for gap in &comparison.gaps {
            for id in &gap.extra {
                writer.delete(gap.kind, id);
                done.removed += 1;
            }
        }
        writer.finish()?;
        Ok(done)
    }
}
