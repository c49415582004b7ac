//! Reading one record: a person (names by preference, status derived from their events unless a
//! reviewer set it, visibility), an event (with its victims, perpetrators, sources and
//! conflicts), a case (with every name it was reported under), and the reviewers' field edits
//! and visibility settings these reads apply.
//!
//! Invariants: a read never writes; reviewers' edits are applied on read (the machine rows keep
//! what the pipeline found), the latest active edit of a field winning; a record's review state
//! is the aggregate of its sources' claims.

use super::{paged, root_person, Ctx, Edits, SqliteStore, VisibilityMap, VICTIM_EVENTS_FROM};
use crate::error::{RegisterError, Result};
use crate::types::*;
use casebook_events::status::DatedEvent;
use casebook_model::{FuzzyDate, Status};
use std::collections::{BTreeMap, HashMap};

/// Events read per statement when visiting many: large enough that the statements cost little
/// beside the rows, small enough that a visit holds little in memory.
pub(super) const EVENT_BATCH: usize = 256;

/// A source read from columns `at..` (article, text, start, end, claim, claim state).
fn source_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<SourceRecord> {
    Ok(SourceRecord {
        article: r.get(at)?,
        text: r.get(at + 1)?,
        start: r.get::<_, i64>(at + 2)? as usize,
        end: r.get::<_, i64>(at + 3)? as usize,
        claim: r.get(at + 4)?,
        review: ReviewState::parse(&r.get::<_, String>(at + 5)?).unwrap_or(ReviewState::Suggested),
    })
}

impl SqliteStore {
    pub(super) fn load_edits(&self) -> Result<Edits> {
        let mut edits: Edits = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT target, field, value FROM field_edits ORDER BY decision_id")
            .ctx(&self.path, || "reading edits".into())?;
        let mut rows = stmt.query([]).ctx(&self.path, || "reading edits".into())?;
        while let Some(r) = rows.next().ctx(&self.path, || "reading edits".into())? {
            let (target, field, value): (String, String, String) = (
                r.get(0).ctx(&self.path, || "reading edits".into())?,
                r.get(1).ctx(&self.path, || "reading edits".into())?,
                r.get(2).ctx(&self.path, || "reading edits".into())?,
            );
            edits.entry(target).or_default().insert(field, value);
        }
        Ok(edits)
    }

    pub(super) fn load_visibility(&self) -> Result<VisibilityMap> {
        let mut map: VisibilityMap = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person, field, level FROM visibility ORDER BY decision_id")
            .ctx(&self.path, || "reading visibility".into())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(&self.path, || "reading visibility".into())?;
        for (person, field, level) in rows {
            if let Some(level) = Visibility::parse(&level) {
                map.entry(person).or_default().insert(field, level);
            }
        }
        Ok(map)
    }

    /// The root person an id leads to, or `None` when the id names no person.
    pub(super) fn root_person(&self, id: &str) -> Result<Option<String>> {
        root_person(&self.conn, &self.path, id)
    }

    /// The root person an id leads to; [`RegisterError::UnknownId`] when the id names no person.
    pub(super) fn known_root_person(&self, id: &str) -> Result<String> {
        self.root_person(id)?
            .ok_or_else(|| RegisterError::UnknownId {
                kind: "person",
                id: id.to_string(),
            })
    }

    pub(super) fn person_record(
        &self,
        id: &str,
        edits: &Edits,
        vis: &VisibilityMap,
    ) -> Result<PersonRecord> {
        let path = &self.path;
        let err = || "reading a person".to_string();
        let stored_name: String = self
            .conn
            .prepare_cached("SELECT name FROM persons WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .ctx(path, err)?;
        let mut names: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT name, COUNT(*) FROM article_persons WHERE person = ?1 GROUP BY name",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(path, err)?;
        paged::sort_by_preference(&mut names);
        let articles: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(DISTINCT article_id) FROM article_persons WHERE person = ?1",
            )
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .ctx(path, err)?;
        let own_edits = edits.get(id);
        let name = own_edits
            .and_then(|e| e.get("name").cloned())
            .or_else(|| names.first().map(|n| n.0.clone()))
            .unwrap_or(stored_name);
        let status = self.person_status(id, edits)?;
        let person_vis = vis.get(id);
        let visibility = person_vis
            .and_then(|v| v.get("").copied())
            .unwrap_or(Visibility::Public);
        let field_visibility = person_vis
            .map(|v| {
                v.iter()
                    .filter(|(f, _)| !f.is_empty())
                    .map(|(f, l)| (f.clone(), *l))
                    .collect()
            })
            .unwrap_or_default();
        let confirmed: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM article_persons ap JOIN claims c ON c.id = ap.claim_id
                  WHERE ap.person = ?1 AND c.state = 'confirmed')",
            )
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .ctx(path, err)?;
        Ok(PersonRecord {
            id: id.to_string(),
            name,
            names: names.into_iter().map(|n| n.0).collect(),
            status,
            visibility,
            field_visibility,
            articles: articles as u64,
            confirmed,
        })
    }

    /// A person's status: a reviewer's edit, else derived from their events.
    pub(super) fn person_status(&self, id: &str, edits: &Edits) -> Result<Status> {
        match edits
            .get(id)
            .and_then(|e| e.get("status"))
            .and_then(|s| Status::parse(s))
        {
            Some(status) => Ok(status),
            None => Ok(casebook_events::status::status(
                &self.person_events(id, edits)?,
            )),
        }
    }

    /// The person's non-rejected events, with reviewers' edits applied, for status derivation.
    fn person_events(&self, person: &str, edits: &Edits) -> Result<Vec<DatedEvent>> {
        // An event counts unless every report of it is rejected. Checking that costs half the
        // query, and most registers (every one in a bulk ingest) have no rejected report at all.
        let any_rejected: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM claims WHERE state = 'rejected' AND kind = 'event')",
            )
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .ctx(&self.path, || "reading a person's events".into())?;
        let not_all_rejected = if any_rejected {
            "AND EXISTS (SELECT 1 FROM event_sources r JOIN claims c ON c.id = r.claim_id
                          WHERE r.event_id = e.id AND c.state != 'rejected')"
        } else {
            ""
        };
        type Row = (String, String, Option<String>, String, Option<String>);
        let rows: Vec<Row> = self
            .conn
            .prepare_cached(&format!(
                "SELECT e.id, e.type, e.date, e.details_json, e.victim_details_json
                 {VICTIM_EVENTS_FROM} {not_all_rejected}"
            ))
            .and_then(|mut s| {
                s.query_map([person], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading a person's events".into())?;
        Ok(rows
            .into_iter()
            .map(|(id, mut event_type, mut date, details, own)| {
                if let Some(e) = edits.get(id.as_str()) {
                    if let Some(t) = e.get("type") {
                        event_type = t.clone();
                    }
                    if let Some(d) = e.get("date") {
                        date = Some(d.clone());
                    }
                }
                // The person's own details (a suspended term of one co-defendant) count for them.
                let mut details: BTreeMap<String, String> =
                    serde_json::from_str(&details).unwrap_or_default();
                let mut own: BTreeMap<String, BTreeMap<String, String>> = own
                    .as_deref()
                    .and_then(|j| serde_json::from_str(j).ok())
                    .unwrap_or_default();
                details.extend(own.remove(person).unwrap_or_default());
                DatedEvent {
                    event_type,
                    date: date.as_deref().and_then(FuzzyDate::parse),
                    details,
                }
            })
            .collect())
    }

    fn sources(&self, sql: &'static str, id: &str) -> Result<Vec<SourceRecord>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map([id], |r| source_row(r, 0))?
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading sources".into())
    }

    pub(super) fn strings(&self, sql: &'static str, id: &str) -> Result<Vec<String>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map([id], |r| r.get(0))?
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading the register".into())
    }

    /// The records of the events `ids` names, in that order (ids the register lacks are left
    /// out). Four statements for the whole list, whatever its length: a case file's page of 50
    /// events read one at a time cost 200 statements.
    pub(super) fn event_records(&self, ids: &[String], edits: &Edits) -> Result<Vec<EventRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = paged::id_list(ids);
        let mut rows: HashMap<String, EventRecord> = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.type, e.date, e.place, e.details_json, e.claimed_by,
                        e.conflicts_json, e.victim_details_json
                   FROM json_each(?1) j CROSS JOIN events e ON e.id = j.value",
            )
            .and_then(|mut s| {
                s.query_map([&list], |r| {
                    let details: String = r.get(4)?;
                    let conflicts: String = r.get(6)?;
                    let own: Option<String> = r.get(7)?;
                    Ok(EventRecord {
                        id: r.get(0)?,
                        review: ReviewState::Suggested,
                        event_type: r.get(1)?,
                        date: r.get(2)?,
                        place: r.get(3)?,
                        victims: Vec::new(),
                        perpetrators: Vec::new(),
                        details: serde_json::from_str(&details).unwrap_or_default(),
                        victim_details: own
                            .as_deref()
                            .and_then(|j| serde_json::from_str(j).ok())
                            .unwrap_or_default(),
                        claimed_by: r.get(5)?,
                        sources: Vec::new(),
                        conflicts: serde_json::from_str(&conflicts).unwrap_or_default(),
                    })
                })?
                .map(|e| e.map(|e| (e.id.clone(), e)))
                .collect()
            })
            .ctx(&self.path, || "reading events".into())?;
        for (event, person) in self.pairs(
            "SELECT DISTINCT v.event_id, ap.person FROM json_each(?1) j
               CROSS JOIN event_victims v ON v.event_id = j.value
               JOIN article_persons ap ON ap.article_id = v.article_id AND ap.idx = v.person_idx
              ORDER BY 1, 2",
            [&list],
        )? {
            if let Some(e) = rows.get_mut(&event) {
                e.victims.push(person);
            }
        }
        for (event, perpetrator) in self.pairs(
            "SELECT DISTINCT s.event_id, p.value FROM json_each(?1) j
               CROSS JOIN event_sources s ON s.event_id = j.value, json_each(s.perpetrators_json) p
              ORDER BY 1, 2",
            [&list],
        )? {
            if let Some(e) = rows.get_mut(&event) {
                e.perpetrators.push(perpetrator);
            }
        }
        let sources: Vec<(String, SourceRecord)> = self
            .conn
            .prepare_cached(
                "SELECT s.event_id, s.article_id, s.text, s.start, s.\"end\", s.claim_id, c.state
                   FROM json_each(?1) j CROSS JOIN event_sources s ON s.event_id = j.value
                   JOIN claims c ON c.id = s.claim_id
                  ORDER BY s.event_id, s.article_id, s.seq",
            )
            .and_then(|mut s| {
                s.query_map([&list], |r| Ok((r.get(0)?, source_row(r, 1)?)))?
                    .collect()
            })
            .ctx(&self.path, || "reading sources".into())?;
        for (event, source) in sources {
            if let Some(e) = rows.get_mut(&event) {
                e.sources.push(source);
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for id in ids {
            let Some(mut e) = rows.remove(id) else {
                continue;
            };
            e.review = aggregate_review(&e.sources);
            if let Some(edit) = edits.get(id) {
                if let Some(v) = edit.get("type") {
                    e.event_type = v.clone();
                }
                if let Some(v) = edit.get("date") {
                    e.date = Some(v.clone()).filter(|v| !v.is_empty());
                }
                if let Some(v) = edit.get("place") {
                    e.place = Some(v.clone()).filter(|v| !v.is_empty());
                }
            }
            out.push(e);
        }
        Ok(out)
    }

    /// Rows of two strings for a statement over `params`.
    pub(crate) fn pairs(
        &self,
        sql: &'static str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<(String, String)>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<std::result::Result<Vec<_>, _>>()
            })
            .ctx(&self.path, || "reading the register".into())
    }

    pub(super) fn case_record(&self, id: &str, name: String, edits: &Edits) -> Result<CaseRecord> {
        let name = edits
            .get(id)
            .and_then(|e| e.get("name").cloned())
            .unwrap_or(name);
        let defendants = self.strings(
            "SELECT DISTINCT ap.person FROM case_defendants d
               JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
              WHERE d.case_id = ?1 ORDER BY 1",
            id,
        )?;
        let events = self.strings(
            "SELECT event_id FROM case_events WHERE case_id = ?1 ORDER BY event_id",
            id,
        )?;
        let sources = self.sources(
            "SELECT s.article_id, s.text, s.start, s.\"end\", s.claim_id, c.state
               FROM case_sources s JOIN claims c ON c.id = s.claim_id
              WHERE s.case_id = ?1 ORDER BY s.article_id, s.seq",
            id,
        )?;
        let (names, reports) = self.case_reports(id)?;
        Ok(CaseRecord {
            id: id.to_string(),
            name,
            names,
            defendants,
            events,
            review: aggregate_review(&sources),
            sources,
            reports,
        })
    }

    /// Every name a case was reported under (most frequent first) and what each article put in.
    fn case_reports(&self, id: &str) -> Result<(Vec<String>, Vec<CaseReportRecord>)> {
        let err = || "reading a case's reports".to_string();
        let rows: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT article_id, name FROM case_reports WHERE case_id = ?1 ORDER BY article_id, seq",
            )
            .and_then(|mut s| s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        let defendants: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT d.article_id, ap.person FROM case_defendants d
                   JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
                  WHERE d.case_id = ?1 ORDER BY 1, 2",
            )
            .and_then(|mut s| s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut reports: Vec<CaseReportRecord> = Vec::new();
        for (article, name) in rows {
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name.clone(), 1)),
            }
            if reports
                .iter()
                .any(|r| r.article == article && r.name == name)
            {
                continue;
            }
            let named: Vec<String> = defendants
                .iter()
                .filter(|(a, _)| *a == article)
                .map(|(_, p)| p.clone())
                .collect();
            reports.push(CaseReportRecord {
                article,
                name,
                defendants: named,
            });
        }
        // Most frequent first; a stable sort keeps first-reported order among equals.
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        Ok((counts.into_iter().map(|(n, _)| n).collect(), reports))
    }

    pub(super) fn count(&self, sql: &str) -> Result<u64> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .ctx(&self.path, || "counting".into())
    }

    pub(super) fn grouped(&self, sql: &str) -> Result<BTreeMap<String, u64>> {
        let mut stmt = self
            .conn
            .prepare(sql)
            .ctx(&self.path, || "counting".into())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .and_then(|rows| rows.collect::<std::result::Result<BTreeMap<_, _>, _>>())
            .ctx(&self.path, || "counting".into())?;
        Ok(rows)
    }
}

/// A source list's review: confirmed if any source is, rejected if all are, else suggested.
fn aggregate_review(sources: &[SourceRecord]) -> ReviewState {
    if sources.iter().any(|s| s.review == ReviewState::Confirmed) {
        ReviewState::Confirmed
    } else if !sources.is_empty() && sources.iter().all(|s| s.review == ReviewState::Rejected) {
        ReviewState::Rejected
    } else {
        ReviewState::Suggested
    }
}

/// A claim from a row of [`CLAIM_COLUMNS`].
pub(super) fn claim_row(r: &rusqlite::Row) -> rusqlite::Result<Claim> {
    let kind: String = r.get(1)?;
    let state: String = r.get(8)?;
    Ok(Claim {
        id: r.get(0)?,
        kind: ClaimKind::parse(&kind).unwrap_or(ClaimKind::Person),
        subject: r.get(2)?,
        article: r.get(3)?,
        start: r.get::<_, Option<i64>>(4)?.map(|v| v as usize),
        end: r.get::<_, Option<i64>>(5)?.map(|v| v as usize),
        summary: r.get(6)?,
        extractor_version: r.get(7)?,
        state: ReviewState::parse(&state).unwrap_or(ReviewState::Suggested),
        decided_by: r.get(9)?,
        decided_at: r.get(10)?,
    })
}

/// The columns [`claim_row`] reads, in its order.
pub(super) const CLAIM_COLUMNS: &str =
    "id, kind, subject, article_id, start, \"end\", summary, extractor_version, state, decided_by, decided_at";
