//! The perpetrators events name — the judges, prosecutors, investigators and officers, and the
//! courts and services, that monitors list for sanctions work — read from the tables the triggers
//! of migration 164 keep: the list with its filters, and one perpetrator's file (their events with
//! evidence, newest report first, the institutions named beside them, the cases).
//!
//! Invariants: a read never writes; a perpetrator is the text the events stage wrote
//! ([`casebook_events::perpetrator::Perpetrator::read`] tells a person with a role from an
//! institution), and the spellings of one perpetrator are listed and filed as one
//! ([`crate::PerpetratorSpellings`]); the list costs the distinct perpetrators, a file's page the
//! reports up to its last event for each spelling (and the latest [`BESIDE_REPORTS`] for the
//! institutions).

use super::{paged, Ctx, SqliteStore};
use crate::error::Result;
use crate::perpetrator_spellings::PerpetratorSpellings;
use crate::types::EventRecord;
use casebook_events::perpetrator::Perpetrator;
use std::collections::{HashMap, HashSet};

/// One perpetrator of the list.
#[derive(Debug, Clone)]
pub struct PerpetratorRow {
    /// As the events stage wrote it ("judge Viktor Zaitsev"), the spelling most reports use;
    /// the key of their file.
    pub text: String,
    pub perpetrator: Perpetrator,
    /// The other spellings of the same perpetrator ("судья Виктор Зайцев", "judge Zaitsev").
    pub other_spellings: Vec<String>,
    /// Reports (an event told by one article) that name them, in any spelling.
    pub reports: u64,
}

/// Which perpetrators the list shows.
#[derive(Debug, Clone, Default)]
pub struct PerpetratorFilter {
    /// Only persons with this role word, or of this role in any language ("judge" finds
    /// "судья" too).
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
    /// Every perpetrator's spelling with how many reports name it, most reported first.
    fn perpetrator_counts(&self) -> Result<Vec<(String, u64)>> {
        self.conn
            .prepare_cached(
                "SELECT name, reports FROM perpetrator_counts ORDER BY reports DESC, name",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
                    .collect()
            })
            .ctx(&self.path, || "reading perpetrators".into())
    }

    /// Which spellings the register's reports use for one perpetrator.
    pub(crate) fn grouped_perpetrator_spellings(&self) -> Result<PerpetratorSpellings> {
        let counts = self.perpetrator_counts()?;
        Ok(PerpetratorSpellings::group(
            counts.iter().map(|(t, _)| t.as_str()),
        ))
    }

    /// The perpetrators, their spellings grouped, most reported first, and the grouping.
    fn perpetrator_rows(&self) -> Result<(Vec<PerpetratorRow>, PerpetratorSpellings)> {
        let counts = self.perpetrator_counts()?;
        let reports: HashMap<&str, u64> = counts.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        let spellings = PerpetratorSpellings::group(counts.iter().map(|(t, _)| t.as_str()));
        let mut rows: Vec<PerpetratorRow> = spellings
            .groups()
            .filter_map(|group| {
                let (text, others) = group.split_first()?;
                Some(PerpetratorRow {
                    perpetrator: Perpetrator::read(text),
                    text: text.clone(),
                    other_spellings: others.to_vec(),
                    reports: group.iter().filter_map(|t| reports.get(t.as_str())).sum(),
                })
            })
            .collect();
        rows.sort_by(|a, b| b.reports.cmp(&a.reports).then_with(|| a.text.cmp(&b.text)));
        Ok((rows, spellings))
    }

    /// The perpetrators that match `filter`, most reported first, `limit` from `offset` on, and
    /// how many match. A perpetrator matches when any of their spellings does.
    pub fn perpetrators(
        &self,
        filter: &PerpetratorFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<PerpetratorRow>, usize)> {
        let text = filter.text.as_deref().map(str::to_lowercase);
        let matching: Vec<PerpetratorRow> = self
            .perpetrator_rows()?
            .0
            .into_iter()
            .filter(|r| {
                let mut spellings = std::iter::once(&r.text).chain(&r.other_spellings);
                spellings.any(|t| {
                    let perpetrator = Perpetrator::read(t);
                    let role = perpetrator.role();
                    filter.persons.is_none_or(|p| p == role.is_some())
                        && filter.role.as_deref().is_none_or(|want| {
                            role == Some(want) || perpetrator.role_class() == Some(want)
                        })
                        && text
                            .as_deref()
                            .is_none_or(|want| t.to_lowercase().contains(want))
                })
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
        let (rows, grouping) = self.perpetrator_rows()?;
        let Some(row) = rows
            .into_iter()
            .find(|r| r.text == text || r.other_spellings.iter().any(|t| t == text))
        else {
            return Ok(None);
        };
        let spellings: Vec<&str> = std::iter::once(row.text.as_str())
            .chain(row.other_spellings.iter().map(String::as_str))
            .collect();
        // Each spelling's reports newest first, through the index on (name, date): the page costs
        // the reports up to its last event, not all of them (a court may be named in 100,000).
        // An event's place is its newest report in any spelling.
        let wanted = offset.saturating_add(limit).saturating_add(1);
        let mut dated: Vec<(Option<String>, String)> = Vec::new();
        for spelling in &spellings {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT date, event_id FROM perpetrator_reports WHERE name = ?1
                      ORDER BY date DESC, event_id DESC",
                )
                .ctx(&self.path, err)?;
            let mut rows = stmt.query([spelling]).ctx(&self.path, err)?;
            let mut seen = HashSet::new();
            while let Some(r) = rows.next().ctx(&self.path, err)? {
                let (date, id): (Option<String>, String) = (
                    r.get(0).ctx(&self.path, err)?,
                    r.get(1).ctx(&self.path, err)?,
                );
                if seen.insert(id.clone()) {
                    dated.push((date, id));
                    if seen.len() >= wanted {
                        break;
                    }
                }
            }
        }
        dated.sort_by(|a, b| b.cmp(a));
        let mut seen = HashSet::new();
        let ids: Vec<String> = dated
            .into_iter()
            .filter_map(|(_, id)| seen.insert(id.clone()).then_some(id))
            .take(wanted)
            .collect();
        let more = ids.len() > offset.saturating_add(limit);
        let page: Vec<String> = ids.into_iter().skip(offset).take(limit).collect();
        let edits = self.load_edits()?;
        let events = self.event_records(&page, &edits)?;
        let mut beside: HashMap<String, u64> = HashMap::new();
        for spelling in &spellings {
            let named: Vec<(String, i64)> = self
                .conn
                .prepare_cached(
                    "SELECT o.name, COUNT(*) FROM
                       (SELECT article_id, seq FROM perpetrator_reports WHERE name = ?1
                         ORDER BY date DESC LIMIT ?2) r
                       JOIN perpetrator_reports o ON o.article_id = r.article_id AND o.seq = r.seq
                      GROUP BY o.name",
                )
                .and_then(|mut s| {
                    s.query_map(rusqlite::params![spelling, BESIDE_REPORTS as i64], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect()
                })
                .ctx(&self.path, err)?;
            for (name, n) in named {
                let name = grouping.canonical(&name);
                if !spellings.contains(&name) && Perpetrator::read(name).role().is_none() {
                    *beside.entry(name.to_string()).or_default() += n.max(0) as u64;
                }
            }
        }
        let mut institutions: Vec<(String, u64)> = beside.into_iter().collect();
        institutions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
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
            row,
            institutions,
            cases,
            events,
            more,
        }))
    }
}
