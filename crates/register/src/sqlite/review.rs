//! Review at scale: the queue by article (migration 161's `review_queue`, kept by triggers), read
//! page by page through its indexes; an article's or a person's claims with their priority and the
//! machine's confidence; articles taken by a reviewer ("my queue"); the queue's progress, and how
//! the confidence compares with the reviewers' decisions; and what a list shows of an article
//! (title, outlet, date, language) in place of its hash.
//!
//! Invariants: a queue page costs its own rows (a keyset walk of one partial index, filters checked
//! on the rows walked); nothing here writes a claim or a decision (taking an article is not a
//! decision and changes no fact).

use super::paged::id_list;
use super::{Ctx, SqliteStore, VICTIM_REPORTS_FROM};
use crate::error::Result;
use crate::types::Claim;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// What a list shows of an article instead of its hash.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ArticleMeta {
    pub id: String,
    /// The article's title, else the source it was read from.
    pub title: String,
    /// The site, else the host of its address; empty when neither is known.
    pub outlet: String,
    /// Publication date as read (`2024-09-12`); empty when unknown.
    pub published: String,
    /// Language code; empty when unknown.
    pub language: String,
}

/// How the queue is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueSort {
    /// What matters first (status changes, new persons, merge candidates, disagreements, the
    /// rest), newest first within each.
    #[default]
    Priority,
    /// The least confident article first (its least confident open claim).
    ConfidenceAsc,
    /// The most confident first.
    ConfidenceDesc,
}

impl QueueSort {
    /// Reads `priority`, `confidence` or `-confidence`.
    pub fn parse(s: &str) -> Option<QueueSort> {
        match s {
            "" | "priority" => Some(QueueSort::Priority),
            "confidence" => Some(QueueSort::ConfidenceAsc),
            "-confidence" => Some(QueueSort::ConfidenceDesc),
            _ => None,
        }
    }

    /// The word [`QueueSort::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueSort::Priority => "priority",
            QueueSort::ConfidenceAsc => "confidence",
            QueueSort::ConfidenceDesc => "-confidence",
        }
    }
}

/// Which articles of the queue to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub event_type: Option<String>,
    pub outlet: Option<String>,
    pub language: Option<String>,
    /// Published on or after this date (`2024`, `2024-09`, `2024-09-12`).
    pub from: Option<String>,
    /// Published on or before this date (a prefix: `2024-09` takes the whole month).
    pub to: Option<String>,
    /// Only articles that name this case (id).
    pub case: Option<String>,
    /// Only articles taken by this reviewer.
    pub taken_by: Option<String>,
    pub sort: QueueSort,
}

/// One article of the queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueRow {
    pub article: ArticleMeta,
    pub open: u64,
    pub total: u64,
    /// The highest priority among its open claims (5 status change … 1 the rest).
    pub priority: u8,
    /// The lowest confidence among its open claims.
    pub confidence: f64,
    pub taken_by: Option<String>,
}

/// One page of the queue.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// The cursor of the next page, when more may follow.
    pub next: Option<String>,
}

/// A claim with its priority and the machine's confidence.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredClaim {
    #[serde(flatten)]
    pub claim: Claim,
    pub priority: u8,
    pub confidence: f64,
}

/// How the queue stands, for everyone to see.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueProgress {
    pub open_articles: u64,
    pub open_claims: u64,
    pub confirmed: u64,
    pub rejected: u64,
    /// Open articles taken, by reviewer.
    pub taken: Vec<(String, u64)>,
    /// Decided claims by band of confidence: (band's lower bound, confirmed, rejected).
    pub calibration: Vec<(f64, u64, u64)>,
}

/// What a priority number means, for pages.
pub fn priority_label(priority: u8) -> &'static str {
    match priority {
        5 => "changes a status",
        4 => "new person",
        3 => "merge candidate",
        2 => "sources disagree",
        1 => "other",
        _ => "done",
    }
}

const META_SELECT: &str = "SELECT m.id, m.title, m.outlet, m.published, m.language";

fn meta_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<ArticleMeta> {
    Ok(ArticleMeta {
        id: r.get(at)?,
        title: r.get(at + 1)?,
        outlet: r.get(at + 2)?,
        published: r.get(at + 3)?,
        language: r.get(at + 4)?,
    })
}

const SCORED_COLUMNS: &str =
    "c.id, c.kind, c.subject, c.article_id, c.start, c.\"end\", c.summary, \
     c.extractor_version, c.state, c.decided_by, c.decided_at, s.priority, s.confidence";

fn scored_row(r: &rusqlite::Row) -> rusqlite::Result<ScoredClaim> {
    Ok(ScoredClaim {
        claim: super::records::claim_row(r)?,
        priority: r.get::<_, i64>(11)?.clamp(0, 9) as u8,
        confidence: r.get(12)?,
    })
}

/// A non-empty, trimmed filter value.
fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A row of the queue read from `q.open, q.total, q.priority, q.confidence, q.taken_by` and then
/// the article's meta columns.
fn queue_row(r: &rusqlite::Row) -> rusqlite::Result<QueueRow> {
    Ok(QueueRow {
        open: r.get::<_, i64>(0)?.max(0) as u64,
        total: r.get::<_, i64>(1)?.max(0) as u64,
        priority: r.get::<_, i64>(2)?.clamp(0, 9) as u8,
        confidence: r.get(3)?,
        taken_by: r.get(4)?,
        article: meta_row(r, 5)?,
    })
}

impl SqliteStore {
    /// What lists show of each of these articles, in one query; unknown ids are left out.
    pub fn article_meta_of(&self, ids: &[String]) -> Result<HashMap<String, ArticleMeta>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.conn
            .prepare_cached(&format!(
                "{META_SELECT} FROM json_each(?1) j CROSS JOIN article_meta m ON m.id = j.value"
            ))
            .and_then(|mut s| {
                s.query_map([id_list(ids)], |r| meta_row(r, 0))?
                    .map(|m| m.map(|m| (m.id.clone(), m)))
                    .collect()
            })
            .ctx(&self.path, || "reading articles' titles".into())
    }

    /// One page of the queue of articles with open claims, `limit` rows after the cursor `after`
    /// (the `next` of the page before; from the first when `None`).
    pub fn review_queue_page(
        &self,
        filter: &QueueFilter,
        after: Option<&str>,
        limit: usize,
    ) -> Result<QueuePage> {
        let limit = limit.clamp(1, 500);
        let mut conds = vec!["q.open > 0".to_string()];
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |conds: &mut Vec<String>, sql: &str, v: String| {
            args.push(Value::Text(v));
            conds.push(sql.replace('?', &format!("?{}", args.len())));
        };
        if let Some(v) = given(&filter.language) {
            arg(&mut conds, "q.language = ?", v);
        }
        if let Some(v) = given(&filter.outlet) {
            arg(&mut conds, "q.outlet = ?", v);
        }
        if let Some(v) = given(&filter.from) {
            arg(&mut conds, "q.published >= ?", v);
        }
        if let Some(v) = given(&filter.to) {
            // A prefix takes every later day of it: `2024-09` holds `2024-09-30`.
            arg(&mut conds, "q.published < ? || char(0x10FFFF)", v);
        }
        if let Some(v) = given(&filter.taken_by) {
            arg(&mut conds, "q.taken_by = ?", v);
        }
        if let Some(v) = given(&filter.event_type) {
            arg(
                &mut conds,
                "EXISTS (SELECT 1 FROM event_sources s JOIN events e ON e.id = s.event_id
                          WHERE s.article_id = q.article_id AND e.type = ?)",
                v,
            );
        }
        if let Some(v) = given(&filter.case) {
            arg(
                &mut conds,
                "EXISTS (SELECT 1 FROM case_sources cs
                          WHERE cs.article_id = q.article_id AND cs.case_id = ?)",
                v,
            );
        }
        let (order, lhs, op, cursor_len) = match filter.sort {
            QueueSort::Priority => (
                "q.priority DESC, q.published DESC, q.article_id DESC",
                "(q.priority, q.published, q.article_id)",
                "<",
                3,
            ),
            QueueSort::ConfidenceAsc => (
                "q.confidence, q.article_id",
                "(q.confidence, q.article_id)",
                ">",
                2,
            ),
            QueueSort::ConfidenceDesc => (
                "q.confidence DESC, q.article_id DESC",
                "(q.confidence, q.article_id)",
                "<",
                2,
            ),
        };
        // The cursor: the sort keys of the last row of the page before, `|`-separated (the
        // article id last, so that it may hold anything).
        if let Some(c) = after.filter(|c| !c.is_empty()) {
            let parts: Vec<&str> = c.splitn(cursor_len, '|').collect();
            let first_key = parts.first().and_then(|p| p.parse::<f64>().ok());
            if let (true, Some(k)) = (parts.len() == cursor_len, first_key) {
                args.push(match filter.sort {
                    QueueSort::Priority => Value::Integer(k as i64),
                    _ => Value::Real(k),
                });
                for p in &parts[1..] {
                    args.push(Value::Text(p.to_string()));
                }
                let first = args.len() - cursor_len + 1;
                let numbered = (0..cursor_len)
                    .map(|i| format!("?{}", first + i))
                    .collect::<Vec<_>>()
                    .join(", ");
                conds.push(format!("{lhs} {op} ({numbered})"));
            }
        }
        let sql = format!(
            "SELECT q.open, q.total, q.priority, q.confidence, q.taken_by,
                    m.id, m.title, m.outlet, m.published, m.language
               FROM review_queue q JOIN article_meta m ON m.id = q.article_id
              WHERE {} ORDER BY {order} LIMIT {}",
            conds.join(" AND "),
            limit
        );
        let rows: Vec<QueueRow> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(params_from_iter(args.iter()), queue_row)?
                    .collect()
            })
            .ctx(&self.path, || "reading the review queue".into())?;
        let next = (rows.len() == limit)
            .then(|| rows.last())
            .flatten()
            .map(|r| match filter.sort {
                QueueSort::Priority => {
                    format!("{}|{}|{}", r.priority, r.article.published, r.article.id)
                }
                _ => format!("{}|{}", r.confidence, r.article.id),
            });
        Ok(QueuePage { rows, next })
    }

    /// The queue row of one article (`None` when it has no claims).
    pub fn review_queue_row(&self, article: &str) -> Result<Option<QueueRow>> {
        self.conn
            .prepare_cached(
                "SELECT q.open, q.total, q.priority, q.confidence, q.taken_by,
                        m.id, m.title, m.outlet, m.published, m.language
                   FROM review_queue q JOIN article_meta m ON m.id = q.article_id
                  WHERE q.article_id = ?1",
            )
            .and_then(|mut s| s.query_row([article], queue_row).optional())
            .ctx(&self.path, || format!("reading the queue row of {article}"))
    }

    /// Every claim of an article, in the order of the text, with priority and confidence.
    pub fn article_claims(&self, article: &str) -> Result<Vec<ScoredClaim>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {SCORED_COLUMNS} FROM claims c JOIN claim_scores s ON s.claim_id = c.id
                  WHERE c.article_id = ?1 ORDER BY c.start IS NULL, c.start, c.id"
            ))
            .and_then(|mut s| s.query_map([article], scored_row)?.collect())
            .ctx(&self.path, || {
                format!("reading the claims of article {article}")
            })
    }

    /// The claims about a person (root id): that articles name them, and the reports of their
    /// events, with priority and confidence; open ones first, then by article.
    pub fn person_claims(&self, root: &str) -> Result<Vec<ScoredClaim>> {
        let sql = format!(
            "WITH ids(id) AS (
                 SELECT ap.claim_id FROM article_persons ap WHERE ap.person = ?1
                 UNION SELECT s.claim_id {VICTIM_REPORTS_FROM})
             SELECT {SCORED_COLUMNS} FROM ids
               CROSS JOIN claims c ON c.id = ids.id
               CROSS JOIN claim_scores s ON s.claim_id = c.id
              ORDER BY c.state != 'suggested', s.priority DESC, c.article_id, c.start"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_map([root], scored_row)?.collect())
            .ctx(&self.path, || format!("reading the claims about {root}"))
    }

    /// Sets who has taken these articles (`None` gives them back); returns how many changed.
    pub fn take_articles(&mut self, ids: &[String], reviewer: Option<&str>) -> Result<usize> {
        let list = id_list(ids);
        let reviewer = reviewer.map(str::to_string);
        self.write("taking articles for review", |conn, path| {
            conn.prepare_cached(
                "UPDATE review_queue SET taken_by = ?2
                  WHERE article_id IN (SELECT value FROM json_each(?1))",
            )
            .and_then(|mut s| s.execute(rusqlite::params![list, reviewer]))
            .ctx(path, || "taking articles for review".into())
        })
    }

    /// How the queue stands: open articles and claims, decided claims, who took what, and the
    /// share confirmed by band of the machine's confidence.
    pub fn queue_progress(&self) -> Result<QueueProgress> {
        let err = || "reading the queue's progress".to_string();
        let open_articles: i64 = self
            .conn
            .prepare_cached("SELECT n FROM review_counts WHERE name = 'open_articles'")
            .and_then(|mut s| s.query_row([], |r| r.get(0)).optional())
            .map(|n: Option<i64>| n.unwrap_or(0))
            .ctx(&self.path, err)?;
        let by_state: HashMap<String, i64> = self
            .conn
            .prepare_cached("SELECT state, n FROM summary_claims")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .ctx(&self.path, err)?;
        let taken: Vec<(String, u64)> = self
            .conn
            .prepare_cached(
                "SELECT taken_by, COUNT(*) FROM review_queue
                  WHERE taken_by IS NOT NULL AND open > 0 GROUP BY taken_by ORDER BY taken_by",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
                    .collect()
            })
            .ctx(&self.path, err)?;
        let calibration: Vec<(f64, u64, u64)> = self
            .conn
            .prepare_cached(
                "SELECT CASE WHEN s.confidence < 0.5 THEN 0.0 WHEN s.confidence < 0.7 THEN 0.5
                             WHEN s.confidence < 0.9 THEN 0.7 ELSE 0.9 END AS band,
                        SUM(c.state = 'confirmed'), SUM(c.state = 'rejected')
                   FROM claims c JOIN claim_scores s ON s.claim_id = c.id
                  WHERE c.state IN ('confirmed', 'rejected') GROUP BY band ORDER BY band",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, i64>(1)?.max(0) as u64,
                        r.get::<_, i64>(2)?.max(0) as u64,
                    ))
                })?
                .collect()
            })
            .ctx(&self.path, err)?;
        let n = |k: &str| by_state.get(k).copied().unwrap_or(0).max(0) as u64;
        Ok(QueueProgress {
            open_articles: open_articles.max(0) as u64,
            open_claims: n("suggested"),
            confirmed: n("confirmed"),
            rejected: n("rejected"),
            taken,
            calibration,
        })
    }

    /// The event types the queue ranks as changing a person's status (migration 161's table).
    pub fn review_status_types(&self) -> Result<Vec<String>> {
        self.conn
            .prepare_cached("SELECT type FROM review_status_types ORDER BY type")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .ctx(&self.path, || "reading the status-changing types".into())
    }

    /// These claims by id (unknown ids left out), in one query: what a list of decisions shows of
    /// its targets.
    pub fn claims_by_id(&self, ids: &[String]) -> Result<HashMap<String, Claim>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.conn
            .prepare_cached(&format!(
                "SELECT {} FROM json_each(?1) j CROSS JOIN claims c ON c.id = j.value",
                super::records::CLAIM_COLUMNS
                    .split(", ")
                    .map(|c| format!("c.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .and_then(|mut s| {
                s.query_map([id_list(ids)], super::records::claim_row)?
                    .map(|c| c.map(|c| (c.id.clone(), c)))
                    .collect()
            })
            .ctx(&self.path, || "reading claims".into())
    }
}

/// Puts the article's title where a claim's summary names the article by its hash ("… is named
/// in 3fa4…"): a reviewer reads titles, never hashes.
pub fn titled_summary(claim: &mut Claim, articles: &HashMap<String, ArticleMeta>) {
    if let Some(meta) = claim.article.as_ref().and_then(|a| articles.get(a)) {
        if claim.summary.contains(&meta.id) {
            claim.summary = claim
                .summary
                .replace(&meta.id, &format!("“{}”", meta.title));
        }
    }
}
