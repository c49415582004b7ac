//! The perpetrators events name — the judges, prosecutors, investigators and officers, and the
//! courts and services, that monitors list for sanctions work — read from the tables the triggers
//! of migration 164 keep: the list with its filters, and one perpetrator's file (their events with
//! evidence, newest report first, the institutions named beside them, the cases).
//!
//! Invariants: a read never writes; a perpetrator is the text the events stage wrote
//! ([`casebook_events::perpetrator::Perpetrator::read`] tells a person with a role from an
//! institution); the list costs the distinct perpetrators, a file's page the reports up to its
//! last event (and the latest [`BESIDE_REPORTS`] for the institutions).

use super::{paged, Ctx, SqliteStore};
use crate::error::Result;
use crate::types::EventRecord;
use casebook_events::perpetrator::Perpetrator;

/// One perpetrator of the list.
#[derive(Debug, Clone)]
pub struct PerpetratorRow {
    /// As the events stage wrote it ("judge Viktor Zaitsev"); the key of their file.
    pub text: String,
    pub perpetrator: Perpetrator,
    /// Reports (an event told by one article) that name them.
    pub reports: u64,
}

/// Which perpetrators the list shows.
#[derive(Debug, Clone, Default)]
pub struct PerpetratorFilter {
    /// Only persons with this role word ("judge").
    pub role: Option<String>,
    /// Only persons (`Some(true)`) or only institutions (`Some(false)`).
    pub persons: Option<bool>,
    /// Only names containing this text (case-insensitive).
    pub text: Option<String>,
}

/// Reports a file reads to find the institutions named beside a perpetrator: their latest ones.
const BESIDE_REPORTS: usize = 1_000;

/// One perpetrator with a page of their events, newest report first.
#[derive(Debug, Clone)]
pub struct PerpetratorFile {
    pub row: PerpetratorRow,
    /// Institutions named in the same reports among their latest 1,000, most often
    /// first, with how often.
    pub institutions: Vec<(String, u64)>,
    /// The cases of the events on this page: id and name.
    pub cases: Vec<(String, String)>,
    pub events: Vec<EventRecord>,
    /// True when older events follow this page.
    pub more: bool,
}

impl SqliteStore {
    /// The perpetrators that match `filter`, most reported first, `limit` from `offset` on, and
    /// how many match.
    pub fn perpetrators(
        &self,
        filter: &PerpetratorFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<PerpetratorRow>, usize)> {
        let rows: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT name, reports FROM perpetrator_counts ORDER BY reports DESC, name",
            )
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, || "reading perpetrators".into())?;
        let text = filter.text.as_deref().map(str::to_lowercase);
        let matching: Vec<PerpetratorRow> = rows
            .into_iter()
            .map(|(text, reports)| PerpetratorRow {
                perpetrator: Perpetrator::read(&text),
                text,
                reports: reports.max(0) as u64,
            })
            .filter(|r| {
                let role = r.perpetrator.role();
                filter.persons.is_none_or(|p| p == role.is_some())
                    && filter.role.as_deref().is_none_or(|want| role == Some(want))
                    && text
                        .as_deref()
                        .is_none_or(|t| r.text.to_lowercase().contains(t))
            })
            .collect();
        let total = matching.len();
        Ok((
            matching.into_iter().skip(offset).take(limit).collect(),
            total,
        ))
    }

    /// The file of the perpetrator written `text`, with `limit` of their events from `offset` on;
    /// `None` when no report names them.
    pub fn perpetrator_file(
        &self,
        text: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Option<PerpetratorFile>> {
        let err = || "reading a perpetrator".to_string();
        let reports: Option<i64> = self
            .conn
            .prepare_cached("SELECT reports FROM perpetrator_counts WHERE name = ?1")
            .and_then(|mut s| {
                let mut rows = s.query([text])?;
                rows.next()?.map(|r| r.get(0)).transpose()
            })
            .ctx(&self.path, err)?;
        let Some(reports) = reports else {
            return Ok(None);
        };
        // Their reports newest first, through the index on (name, date): the page costs the
        // reports up to its last event, not all of them (a court may be named in 100,000).
        let mut ids: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT event_id FROM perpetrator_reports WHERE name = ?1
                      ORDER BY date DESC, event_id DESC",
                )
                .ctx(&self.path, err)?;
            let mut rows = stmt.query([text]).ctx(&self.path, err)?;
            while let Some(r) = rows.next().ctx(&self.path, err)? {
                let id: String = r.get(0).ctx(&self.path, err)?;
                if seen.insert(id.clone()) {
                    ids.push(id);
                    if ids.len() > offset.saturating_add(limit) {
                        break;
                    }
                }
            }
        }
        let more = ids.len() > offset.saturating_add(limit);
        let page: Vec<String> = ids.into_iter().skip(offset).take(limit).collect();
        let edits = self.load_edits()?;
        let events = self.event_records(&page, &edits)?;
        let beside: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT o.name, COUNT(*) FROM
                   (SELECT article_id, seq FROM perpetrator_reports WHERE name = ?1
                     ORDER BY date DESC LIMIT ?2) r
                   JOIN perpetrator_reports o ON o.article_id = r.article_id AND o.seq = r.seq
                  WHERE o.name != ?1
                  GROUP BY o.name ORDER BY 2 DESC, 1",
            )
            .and_then(|mut s| {
                s.query_map(rusqlite::params![text, BESIDE_REPORTS as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect()
            })
            .ctx(&self.path, err)?;
        let institutions = beside
            .into_iter()
            .filter(|(name, _)| Perpetrator::read(name).role().is_none())
            .map(|(name, n)| (name, n.max(0) as u64))
            .collect();
        let cases: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT c.id, c.name FROM json_each(?1) j
                   CROSS JOIN case_events ce ON ce.event_id = j.value
                   JOIN cases c ON c.id = ce.case_id ORDER BY c.name",
            )
            .and_then(|mut s| {
                s.query_map([paged::id_list(&page)], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .ctx(&self.path, err)?;
        let cases = cases
            .into_iter()
            .map(|(id, name)| {
                let name = edits
                    .get(&id)
                    .and_then(|e| e.get("name").cloned())
                    .unwrap_or(name);
                (id, name)
            })
            .collect();
        Ok(Some(PerpetratorFile {
            row: PerpetratorRow {
                perpetrator: Perpetrator::read(text),
                text: text.to_string(),
                reports: reports.max(0) as u64,
            },
            institutions,
            cases,
            events,
            more,
        }))
    }
}
