//! The machine's confidence in its claims, fitted to the reviewers' decisions (migration 165):
//! a calibration counts the decided claims of each profile and re-ranks the open queue; what a
//! claim's confidence is now; and how well it foretells the decisions (Brier score).
//!
//! Invariants: a calibration is one transaction (the fit and the queue's ranking change together);
//! it reads decisions and never changes one; without decisions every confidence is the prior.

use super::paged::id_list;
use super::{Ctx, SqliteStore};
use crate::error::Result;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// What a calibration found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Calibration {
    /// Decided (confirmed or rejected) claims the fit counts.
    pub decided: u64,
    /// Profiles with at least one decision.
    pub profiles: u64,
    /// Brier score (mean squared gap between confidence and decision; 0 is perfect, 0.25 a coin)
    /// of the decided claims' confidence before this calibration and after it. The second is
    /// measured on the decisions the fit learnt from, so it flatters: `scripts/bench-confidence`
    /// measures on decisions held out.
    pub brier_before: Option<f64>,
    pub brier_after: Option<f64>,
    /// Open articles of the queue re-ranked.
    pub reranked: u64,
}

/// The Brier score of the decided claims' confidence and how many there are.
fn brier(conn: &Connection, path: &Path) -> Result<(Option<f64>, u64)> {
    conn.prepare_cached(
        "SELECT AVG((confidence - (state = 'confirmed')) * (confidence - (state = 'confirmed'))),
                COUNT(*)
           FROM claim_scores WHERE state IN ('confirmed', 'rejected')",
    )
    .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64))))
    .ctx(path, || {
        "measuring the confidence against the decisions".into()
    })
}

impl SqliteStore {
    /// Fits the confidence to the decisions so far and re-ranks the open articles of the queue.
    pub fn calibrate_confidence(&mut self) -> Result<Calibration> {
        self.write("calibrating the confidence", |conn, path| {
            let err = || "calibrating the confidence".to_string();
            let (brier_before, _) = brier(conn, path)?;
            conn.execute_batch(
                "DELETE FROM confidence_fit;
                 INSERT INTO confidence_fit (profile, confirmed, rejected)
                 SELECT COALESCE(profile, kind), SUM(state = 'confirmed'), SUM(state = 'rejected')
                   FROM claims WHERE state IN ('confirmed', 'rejected')
                  GROUP BY 1;",
            )
            .ctx(path, err)?;
            let (brier_after, decided) = brier(conn, path)?;
            let profiles: i64 = conn
                .query_row("SELECT COUNT(*) FROM confidence_fit", [], |r| r.get(0))
                .ctx(path, err)?;
            let reranked = conn
                .execute(
                    "UPDATE review_queue SET confidence = COALESCE(
                         (SELECT MIN(s.confidence) FROM claim_scores s
                           WHERE s.article_id = review_queue.article_id AND s.state = 'suggested'),
                         1.0)
                      WHERE open > 0",
                    [],
                )
                .ctx(path, err)?;
            Ok(Calibration {
                decided,
                profiles: profiles.max(0) as u64,
                brier_before,
                brier_after,
                reranked: reranked as u64,
            })
        })
    }

    /// The confidence in each of these claims (unknown ids left out), and the profile it was
    /// fitted on.
    pub fn claim_confidences(&self, ids: &[String]) -> Result<HashMap<String, (f64, String)>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.conn
            .prepare_cached(
                "SELECT s.claim_id, s.confidence, s.profile
                   FROM json_each(?1) j CROSS JOIN claim_scores s ON s.claim_id = j.value",
            )
            .and_then(|mut s| {
                s.query_map([id_list(ids)], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
                    .collect()
            })
            .ctx(&self.path, || "reading the claims' confidence".into())
    }
}
