//! Reads the web application needs beside the [`Store`](crate::Store) trait: what a reviewer's
//! decision touched (persons by the register person they now belong to, an event's victims, the
//! outlets of articles), so the search index is updated record by record instead of rebuilt, and
//! the subjects a benchmark of the pages asks for (the most and least reported persons).

use crate::error::Result;
use crate::sqlite::{Ctx, SqliteStore};
use crate::types::Decision;
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Every person row and the register person it now belongs to (itself unless merged): ids only,
/// so a snapshot before and after a decision shows whose identity it changed.
pub type PersonRoots = BTreeMap<String, String>;

/// The persons a benchmark of the pages reads: the most and the least reported (by the articles
/// naming them), the name the most reported is named by most often, and one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchSubjects {
    pub busiest: String,
    pub busiest_name: String,
    pub busiest_reports: u64,
    pub quietest: String,
    pub quietest_reports: u64,
    pub article: String,
}

impl SqliteStore {
    /// Every person and the register person it belongs to.
    pub fn person_roots(&self) -> Result<PersonRoots> {
        self.conn()
            .prepare("SELECT id, COALESCE(merged_into, id) FROM persons")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(self.path(), || "listing persons and their roots".into())
    }

    /// The register persons named as victims of an event, as the register resolves them now.
    pub fn event_victim_persons(&self, event: &str) -> Result<BTreeSet<String>> {
        self.conn()
            .prepare_cached(
                "SELECT DISTINCT ap.person FROM event_sources s
                 CROSS JOIN json_each(s.victims_json) j
                 JOIN article_persons ap ON ap.article_id = s.article_id AND ap.idx = j.value
                 WHERE s.event_id = ?1",
            )
            .and_then(|mut s| s.query_map([event], |r| r.get(0))?.collect())
            .ctx(self.path(), || "reading an event's victims".into())
    }

    /// The persons a split decision moved names to (read before an undo removes the record).
    pub fn split_persons(&self, decision: i64) -> Result<BTreeSet<String>> {
        self.conn()
            .prepare_cached("SELECT DISTINCT to_person FROM person_splits WHERE decision_id = ?1")
            .and_then(|mut s| s.query_map([decision], |r| r.get(0))?.collect())
            .ctx(self.path(), || "reading a split".into())
    }

    /// The decision as it was asked, by id (what an undo reverses); `None` for an unknown id or an
    /// undo.
    pub fn decision_request(&self, id: i64) -> Result<Option<Decision>> {
        let payload: Option<String> = self
            .conn()
            .prepare_cached("SELECT payload FROM decisions WHERE id = ?1 AND action <> 'undo'")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .ctx(self.path(), || "reading a decision".into())?;
        Ok(payload.and_then(|p| serde_json::from_str(&p).ok()))
    }

    /// The outlet (site) of each article that has one, by article id.
    pub fn article_sites(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT site FROM articles WHERE id = ?1")
            .ctx(self.path(), || "reading article sites".into())?;
        for id in ids {
            if out.contains_key(id) {
                continue;
            }
            let site: Option<Option<String>> = stmt
                .query_row(params![id], |r| r.get(0))
                .optional()
                .ctx(self.path(), || "reading article sites".into())?;
            if let Some(Some(site)) = site {
                out.insert(id.clone(), site);
            }
        }
        Ok(out)
    }

    /// The most and least reported persons and one article; `None` for an empty register.
    pub fn bench_subjects(&self) -> Result<Option<BenchSubjects>> {
        let err = || "choosing the benchmark's persons".to_string();
        let conn = self.conn();
        let ranked = |order: &str| -> Result<Option<(String, i64)>> {
            conn.prepare(&format!(
                "SELECT person, COUNT(DISTINCT article_id) AS n FROM article_persons
                 GROUP BY person ORDER BY n {order}, person LIMIT 1"
            ))
            .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .ctx(self.path(), err)
        };
        let (Some(busiest), Some(quietest)) = (ranked("DESC")?, ranked("ASC")?) else {
            return Ok(None);
        };
        let name: String = conn
            .prepare(
                "SELECT name FROM article_persons WHERE person = ?1
                 GROUP BY name ORDER BY COUNT(*) DESC, name LIMIT 1",
            )
            .and_then(|mut s| s.query_row([&busiest.0], |r| r.get(0)))
            .ctx(self.path(), err)?;
        let article: String = conn
            .prepare("SELECT article_id FROM article_persons WHERE person = ?1 LIMIT 1")
            .and_then(|mut s| s.query_row([&quietest.0], |r| r.get(0)))
            .ctx(self.path(), err)?;
        Ok(Some(BenchSubjects {
            busiest: busiest.0,
            busiest_name: name,
            busiest_reports: busiest.1.max(0) as u64,
            quietest: quietest.0,
            quietest_reports: quietest.1.max(0) as u64,
            article,
        }))
    }
}
