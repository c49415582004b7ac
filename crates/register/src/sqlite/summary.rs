//! The register's dashboard figures at a cost that does not grow with the register: counts read
//! from the summary tables that triggers keep (migration 19), the newest dated events from the top
//! of the date index, and the confirmed events (what the public dashboard shows) through the
//! claims' state index.

use super::{Ctx, Edits, SqliteStore};
use crate::error::Result;
use crate::types::EventRecord;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the dashboard counts, over the whole register, with reviewers' edits of event types and
/// dates applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegisterSummary {
    pub articles: u64,
    pub events: u64,
    pub cases: u64,
    /// Persons with at least one article (as [`crate::Store::visit_persons`] lists them).
    pub persons: u64,
    pub claims_by_state: BTreeMap<String, u64>,
    pub events_by_type: BTreeMap<String, u64>,
    /// Events per month (`2024-09`) by type; events whose date has no month are left out.
    pub events_per_month: BTreeMap<String, BTreeMap<String, u64>>,
}

/// The month (`2024-09`) of a stored date, or `""` when it has none; the same rule as the
/// summary triggers' SQL.
pub fn month_of(date: Option<&str>) -> &str {
    match date {
        Some(d) if d.len() >= 7 && d.as_bytes().get(4) == Some(&b'-') => d.get(..7).unwrap_or(""),
        _ => "",
    }
}

impl SqliteStore {
    /// The dashboard's counts, from the summary tables, and the persons with articles.
    pub fn summary(&self) -> Result<RegisterSummary> {
        let mut out = self.summary_counts()?;
        out.persons = self.persons_count()?;
        Ok(out)
    }

    /// Persons with at least one article. Reads every person (tens of milliseconds at 100,000
    /// articles), so a server keeps it per register head.
    pub fn persons_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM persons p
                  WHERE EXISTS (SELECT 1 FROM article_persons ap WHERE ap.person = p.id)",
            )
            .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
            .ctx(&self.path, || "counting persons".into())?
            .max(0) as u64)
    }

    /// The summary tables' counts (a few hundred rows at most), all but `persons` (left 0).
    pub fn summary_counts(&self) -> Result<RegisterSummary> {
        let err = || "reading the register's summary".to_string();
        let mut out = RegisterSummary::default();
        let counts: Vec<(String, i64)> = self
            .conn
            .prepare_cached("SELECT name, n FROM summary_counts")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        for (name, n) in counts {
            let n = n.max(0) as u64;
            match name.as_str() {
                "articles" => out.articles = n,
                "cases" => out.cases = n,
                _ => {}
            }
        }
        let claims: Vec<(String, i64)> = self
            .conn
            .prepare_cached("SELECT state, n FROM summary_claims WHERE n > 0")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        out.claims_by_state = claims.into_iter().map(|(s, n)| (s, n as u64)).collect();
        let mut cells: BTreeMap<(String, String), i64> = self
            .conn
            .prepare_cached("SELECT type, month, n FROM summary_events WHERE n > 0")
            .and_then(|mut s| {
                s.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
                    .collect()
            })
            .ctx(&self.path, err)?;
        self.apply_event_edits(&mut cells)?;
        for ((event_type, month), n) in cells {
            if n <= 0 {
                continue;
            }
            let n = n as u64;
            out.events += n;
            *out.events_by_type.entry(event_type.clone()).or_default() += n;
            if !month.is_empty() {
                *out.events_per_month
                    .entry(month)
                    .or_default()
                    .entry(event_type)
                    .or_default() += n;
            }
        }
        Ok(out)
    }

    /// Moves each event a reviewer retyped or redated from its stored cell to its edited one.
    /// Edits are few, so this reads a row per edited event.
    fn apply_event_edits(&self, cells: &mut BTreeMap<(String, String), i64>) -> Result<()> {
        let edits = self.load_edits()?;
        for (id, fields) in &edits {
            if !fields.contains_key("type") && !fields.contains_key("date") {
                continue;
            }
            let Some((stored_type, stored_date)) = self.stored_event(id)? else {
                continue;
            };
            let new_type = fields
                .get("type")
                .cloned()
                .unwrap_or_else(|| stored_type.clone());
            let new_date = match fields.get("date") {
                Some(d) => Some(d.clone()).filter(|d| !d.is_empty()),
                None => stored_date.clone(),
            };
            let old_cell = (stored_type, month_of(stored_date.as_deref()).to_string());
            let new_cell = (new_type, month_of(new_date.as_deref()).to_string());
            if old_cell != new_cell {
                *cells.entry(old_cell).or_default() -= 1;
                *cells.entry(new_cell).or_default() += 1;
            }
        }
        Ok(())
    }

    /// The stored type and date of an event, or `None` when the id names no event.
    fn stored_event(&self, id: &str) -> Result<Option<(String, Option<String>)>> {
        self.conn
            .prepare_cached("SELECT type, date FROM events WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .ctx(&self.path, || "reading an event".into())
    }

    /// The `limit` newest dated events (latest date first, then by id), reviewers' date edits
    /// applied; read from the top of the date index.
    pub fn newest_events(&self, limit: usize) -> Result<Vec<EventRecord>> {
        let edits = self.load_edits()?;
        let redated: Vec<&String> = edits
            .iter()
            .filter(|(_, f)| f.contains_key("date"))
            .map(|(id, _)| id)
            .collect();
        // An edited date may move an event out of the top or into it: read as many more as there
        // are edited dates, and the edited events themselves.
        let wanted = limit.saturating_add(redated.len()) as i64;
        let mut ids: BTreeSet<String> = self
            .conn
            .prepare_cached(
                "SELECT id FROM events WHERE date IS NOT NULL ORDER BY date DESC, id LIMIT ?1",
            )
            .and_then(|mut s| s.query_map([wanted], |r| r.get(0))?.collect())
            .ctx(&self.path, || "reading the newest events".into())?;
        for id in redated {
            if self.stored_event(id)?.is_some() {
                ids.insert(id.clone());
            }
        }
        let ids: Vec<String> = ids.into_iter().collect();
        let mut events = self.event_records(&ids, &edits)?;
        events.retain(|e| e.date.is_some());
        events.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
        events.truncate(limit);
        Ok(events)
    }

    /// Visits every event at least one report of which a reviewer confirmed, by id: what a public
    /// view may count. Costs what has been confirmed, not what the register holds.
    pub fn visit_confirmed_events(
        &self,
        f: &mut dyn FnMut(EventRecord) -> Result<()>,
    ) -> Result<()> {
        let ids: BTreeSet<String> = self
            .conn
            .prepare_cached(
                "SELECT s.event_id FROM claims c
                   JOIN event_sources s ON s.article_id = c.article_id AND s.claim_id = c.id
                  WHERE c.state = 'confirmed' AND c.kind = 'event'",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .ctx(&self.path, || "listing confirmed events".into())?;
        let edits = self.load_edits()?;
        let ids: Vec<String> = ids.into_iter().collect();
        for batch in ids.chunks(super::records::EVENT_BATCH) {
            for event in self.event_records(batch, &edits)? {
                f(event)?;
            }
        }
        Ok(())
    }

    /// The sequence number of the newest audit entry: every write to the register appends one, so
    /// a figure computed at one head is current while the head stays the same.
    pub fn register_head(&self) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM audit")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .ctx(&self.path, || "reading the audit log".into())
    }

    /// How many persons have each status (`visit_persons`' persons): one pass over every person's
    /// events, so callers run it in the background and keep the answer.
    pub fn persons_by_status(&self) -> Result<BTreeMap<String, u64>> {
        let edits: Edits = self.load_edits()?;
        let err = || "counting persons by status".to_string();
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT person FROM article_persons ORDER BY person")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .ctx(&self.path, err)?;
        let mut out: BTreeMap<String, u64> = BTreeMap::new();
        for id in ids {
            let status = self.person_status(&id, &edits)?;
            *out.entry(status.as_str().to_string()).or_default() += 1;
        }
        Ok(out)
    }

    /// Sets this handle's page cache, in MiB (a server keeps several handles open at once).
    pub fn set_cache_mib(&self, mib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size=-{}", u64::from(mib) * 1024))
            .ctx(&self.path, || "setting the page cache".into())
    }
}
