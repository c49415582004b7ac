//! The perpetrators events name — the judges, prosecutors, investigators and officers, and the
//! courts and services, that monitors list for sanctions work — read from the tables the triggers
//! of migration 164 keep: the list with its filters, and one perpetrator's file (their events with
//! evidence, the institutions named beside them, the cases).
//!
//! Invariants: a read never writes; a perpetrator is the text the events stage wrote
//! ([`casebook_events::perpetrator::Perpetrator::read`] tells a person with a role from an
//! institution); the list costs the distinct perpetrators, a file the perpetrator's own reports.

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

/// One perpetrator with a page of their events, newest first.
#[derive(Debug, Clone)]
pub struct PerpetratorFile {
    pub row: PerpetratorRow,
    /// Institutions named in the same reports, most often first, with how often.
    pub institutions: Vec<(String, u64)>,
    /// The cases their events belong to: id and name.
    pub cases: Vec<(String, String)>,
    pub total_events: usize,
    pub events: Vec<EventRecord>,
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
        let edits = self.load_edits()?;
        let mut order: Vec<(String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.date FROM events e WHERE e.id IN
                   (SELECT event_id FROM perpetrator_reports WHERE name = ?1)",
            )
            .and_then(|mut s| {
                s.query_map([text], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .ctx(&self.path, err)?;
        for (id, date) in &mut order {
            if let Some(d) = edits.get(id.as_str()).and_then(|e| e.get("date")) {
                *date = Some(d.clone()).filter(|d| !d.is_empty());
            }
        }
        paged::newest_first(&mut order);
        let ids: Vec<String> = order.iter().map(|(id, _)| id.clone()).collect();
        let page: Vec<String> = ids.iter().skip(offset).take(limit).cloned().collect();
        let events = self.event_records(&page, &edits)?;
        let beside: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT o.name, COUNT(*) FROM perpetrator_reports r
                   JOIN perpetrator_reports o ON o.article_id = r.article_id AND o.seq = r.seq
                  WHERE r.name = ?1 AND o.name != ?1
                  GROUP BY o.name ORDER BY 2 DESC, 1",
            )
            .and_then(|mut s| {
                s.query_map([text], |r| Ok((r.get(0)?, r.get(1)?)))?
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
                s.query_map([paged::id_list(&ids)], |r| Ok((r.get(0)?, r.get(1)?)))?
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
            total_events: ids.len(),
            events,
        }))
    }
}
