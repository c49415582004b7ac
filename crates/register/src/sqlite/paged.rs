//! Reads that cost what a page shows: a case file with one page of its timeline, the review queue
//! page by page (keyset on the claims' row order), and batched look-ups of what a page of hits or
//! events shows (display names, an event's first report, which events are confirmed) in one query
//! per page instead of one pass over the register.

use super::records::{claim_row, CLAIM_COLUMNS};
use super::{Ctx, Edits, SqliteStore, VICTIM_EVENTS_FROM};
use crate::error::{RegisterError, Result};
use crate::types::{CaseFile, CaseRecord, Claim};
use rusqlite::params;
use std::collections::{BTreeSet, HashMap};

/// A case file whose timeline holds one page of the person's events, newest first.
#[derive(Debug, Clone)]
pub struct CaseFilePage {
    /// The case file; `timeline` is this page only, latest date first (undated events last).
    pub file: CaseFile,
    /// Events of the person in all.
    pub total_events: usize,
    /// Events skipped before this page.
    pub offset: usize,
}

/// One page of the open claims, in the order they were made.
#[derive(Debug, Clone, Default)]
pub struct ReviewPage {
    /// Open claims about persons, events and cases.
    pub claims: Vec<Claim>,
    /// Open same-person claims (`subject` is `A|B`).
    pub merge_candidates: Vec<Claim>,
    /// The id of the last claim of this page when more may follow: the `after` of the next page.
    pub next: Option<String>,
}

/// Orders a person's names as their display prefers them: fullest (up to three words), then
/// most frequent, then alphabetical. The first is the name a person is shown under.
pub(crate) fn sort_by_preference(names: &mut [(String, i64)]) {
    names.sort_by(|a, b| {
        let wa = a.0.split_whitespace().count().min(3);
        let wb = b.0.split_whitespace().count().min(3);
        wb.cmp(&wa).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0))
    });
}

/// Sorts (id, date) pairs latest date first, undated last, each group by id.
pub(super) fn newest_first(rows: &mut [(String, Option<String>)]) {
    rows.sort_by(|a, b| match (&a.1, &b.1) {
        (Some(x), Some(y)) => y.cmp(x).then(a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });
}

/// A list of ids as a JSON array, read in SQL with `json_each`: one statement for any number of ids.
pub(crate) fn id_list(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_string())
}

impl SqliteStore {
    /// The display name of each person id that has articles (a reviewer's edited name, else the
    /// preferred name the articles give), in one query.
    pub fn person_names_of(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT ap.person, ap.name, COUNT(*) FROM json_each(?1) j
                   CROSS JOIN article_persons ap ON ap.person = j.value
                  GROUP BY ap.person, ap.name",
            )
            .and_then(|mut s| {
                s.query_map([id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .ctx(&self.path, || "reading person names".into())?;
        let mut by_person: HashMap<String, Vec<(String, i64)>> = HashMap::new();
        for (person, name, n) in rows {
            by_person.entry(person).or_default().push((name, n));
        }
        let edits = self.load_edits()?;
        Ok(by_person
            .into_iter()
            .map(|(person, mut names)| {
                sort_by_preference(&mut names);
                let name = edits
                    .get(&person)
                    .and_then(|e| e.get("name").cloned())
                    .unwrap_or_else(|| names.swap_remove(0).0);
                (person, name)
            })
            .collect())
    }

    /// The article of each event's first report (by article id, then place in the article), in
    /// one query: where a link to an event leads.
    pub fn event_first_articles(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.conn
            .prepare_cached(
                "SELECT s.event_id, MIN(s.article_id) FROM json_each(?1) j
                   CROSS JOIN event_sources s ON s.event_id = j.value
                  GROUP BY s.event_id",
            )
            .and_then(|mut s| {
                s.query_map([id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .ctx(&self.path, || "reading events' reports".into())
    }

    /// Which of these events have a report a reviewer confirmed (what the public may see), in one
    /// query.
    pub fn confirmed_among(&self, ids: &[String]) -> Result<BTreeSet<String>> {
        if ids.is_empty() {
            return Ok(BTreeSet::new());
        }
        self.conn
            .prepare_cached(
                "SELECT DISTINCT s.event_id FROM json_each(?1) j
                   CROSS JOIN event_sources s ON s.event_id = j.value
                   JOIN claims c ON c.id = s.claim_id
                  WHERE c.state = 'confirmed'",
            )
            .and_then(|mut s| s.query_map([id_list(ids)], |r| r.get(0))?.collect())
            .ctx(&self.path, || "reading events' review".into())
    }

    /// The person's events, latest date first (undated last, each group by id), with reviewers'
    /// date edits applied: ids and dates only, so a person with thousands of events costs a few
    /// milliseconds here and the page reads only its own events.
    fn timeline_order(&self, root: &str, edits: &Edits) -> Result<Vec<(String, Option<String>)>> {
        let mut rows: Vec<(String, Option<String>)> = self
            .conn
            .prepare_cached(&format!("SELECT e.id, e.date {VICTIM_EVENTS_FROM}"))
            .and_then(|mut s| {
                s.query_map([root], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .ctx(&self.path, || "reading a person's events".into())?;
        for (id, date) in &mut rows {
            if let Some(d) = edits.get(id.as_str()).and_then(|e| e.get("date")) {
                *date = Some(d.clone()).filter(|d| !d.is_empty());
            }
        }
        newest_first(&mut rows);
        Ok(rows)
    }

    /// [`Store::person_places`]: one statement, with reviewers' place edits applied in it.
    pub(super) fn read_person_places(&self, person: &str) -> Result<Vec<String>> {
        let Some(root) = self.root_person(person)? else {
            return Ok(Vec::new());
        };
        let rows: Vec<Option<String>> = self
            .conn
            .prepare_cached(&format!(
                "SELECT COALESCE((SELECT f.value FROM field_edits f
                                   WHERE f.target = e.id AND f.field = 'place'
                                   ORDER BY f.decision_id DESC LIMIT 1), e.place)
                   {VICTIM_EVENTS_FROM} ORDER BY e.id"
            ))
            .and_then(|mut s| s.query_map([&root], |r| r.get(0))?.collect())
            .ctx(&self.path, || "reading a person's places".into())?;
        let mut places: Vec<String> = Vec::new();
        for place in rows.into_iter().flatten() {
            if !place.is_empty() && !places.contains(&place) {
                places.push(place);
            }
        }
        Ok(places)
    }

    /// A person's case file with `limit` of their events from `offset` on, newest first.
    pub fn case_file_page(
        &self,
        person: &str,
        offset: usize,
        limit: usize,
    ) -> Result<CaseFilePage> {
        let root = self.known_root_person(person)?;
        let edits = self.load_edits()?;
        let vis = self.load_visibility()?;
        let record = self.person_record(&root, &edits, &vis)?;
        let order = self.timeline_order(&root, &edits)?;
        let total_events = order.len();
        let page: Vec<String> = order
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(id, _)| id)
            .collect();
        let timeline = self.event_records(&page, &edits)?;
        Ok(CaseFilePage {
            file: CaseFile {
                person: record,
                descriptors: self.descriptors(&root)?,
                timeline,
                cases: self.person_cases(&root, &edits)?,
                possible_duplicates: self.possible_duplicates(&root)?,
            },
            total_events,
            offset,
        })
    }

    /// Role words the person's articles give, first seen first.
    pub(super) fn descriptors(&self, root: &str) -> Result<Vec<String>> {
        crate::case_files::descriptors(&self.db(), root)
    }

    /// The cases the person is a defendant in, by id.
    pub(super) fn person_cases(&self, root: &str, edits: &Edits) -> Result<Vec<CaseRecord>> {
        crate::case_files::person_cases(&self.db(), root, edits)
    }

    /// Open same-person claims about any machine person the person was made of.
    pub(super) fn possible_duplicates(&self, root: &str) -> Result<Vec<Claim>> {
        crate::case_files::possible_duplicates(&self.db(), root)
    }

    /// Up to `limit` open claims made after the claim `after` (from the first when `None`; an
    /// unknown claim is an error), in the order they were made. Walks the claims from that row on, so a page costs its own rows
    /// (and the reviewed claims between them), never the whole queue.
    pub fn review_page(&self, after: Option<&str>, limit: usize) -> Result<ReviewPage> {
        let limit = limit.max(1);
        if let Some(id) = after {
            // Claims are never deleted, so a cursor that names none is a wrong link, not the end.
            if !super::exists(
                &self.conn,
                &self.path,
                "SELECT 1 FROM claims WHERE id = ?1",
                id,
            )? {
                return Err(RegisterError::UnknownId {
                    kind: "claim",
                    id: id.to_string(),
                });
            }
        }
        let rows: Vec<Claim> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CLAIM_COLUMNS} FROM claims
                  WHERE rowid > COALESCE((SELECT rowid FROM claims WHERE id = ?1), 0)
                    AND +state = 'suggested'
                  ORDER BY rowid LIMIT ?2"
            ))
            .and_then(|mut s| {
                s.query_map(params![after, limit as i64], claim_row)?
                    .collect()
            })
            .ctx(&self.path, || "listing open claims".into())?;
        let next = if rows.len() == limit {
            rows.last().map(|c| c.id.clone())
        } else {
            None
        };
        let (merge_candidates, claims) = rows
            .into_iter()
            .partition(|c| c.kind == crate::types::ClaimKind::SamePerson);
        Ok(ReviewPage {
            claims,
            merge_candidates,
            next,
        })
    }
}
