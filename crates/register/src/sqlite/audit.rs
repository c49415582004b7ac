//! The hash-chained audit log: appending an entry inside the write transaction that made the
//! change, reading entries, verifying the chain, and the store's integrity check (physical,
//! foreign keys, logical, the chain, and the replay of reviewers' state against the log).
//!
//! Invariants: every entry's hash covers its fields and the previous entry's hash (the first
//! chains to [`AUDIT_GENESIS`]); sequence numbers run from 1 without gaps; an entry is appended
//! in the same transaction as the write it records, so the log never claims a write that was
//! rolled back nor misses one that was committed.

use super::{now, Ctx, SqliteStore};
use crate::error::{RegisterError, Result};
use crate::types::{AuditEntry, AuditReport};
use crate::Store;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// The hash before the first audit entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The audit hash of an entry: SHA-256 over its fields and the previous entry's hash.
pub fn audit_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    payload: &str,
    prev_hash: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        &seq.to_string(),
        at,
        actor,
        action,
        target,
        payload,
        prev_hash,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Walks an audit log in sequence order, whatever backend holds it, and stops at the first entry
/// that breaks the chain.
#[derive(Debug)]
pub(crate) struct AuditChain {
    prev: String,
    expected_seq: i64,
    entries: u64,
}

impl Default for AuditChain {
    fn default() -> Self {
        AuditChain {
            prev: AUDIT_GENESIS.to_string(),
            expected_seq: 1,
            entries: 0,
        }
    }
}

impl AuditChain {
    /// Checks the next entry: `fields` are at, actor, action, target, payload, prev_hash and hash.
    /// Returns the report to give when this entry breaks the chain.
    pub(crate) fn next(&mut self, seq: i64, fields: &[String; 7]) -> Option<AuditReport> {
        let [at, actor, action, target, payload, prev_hash, hash] = fields;
        self.entries += 1;
        let broken = if seq != self.expected_seq {
            Some(format!(
                "expected entry {}: entries were removed",
                self.expected_seq
            ))
        } else if *prev_hash != self.prev {
            Some("does not chain to the entry before it".to_string())
        } else if audit_hash(seq, at, actor, action, target, payload, prev_hash) != *hash {
            Some("its content does not match its hash: it was changed".to_string())
        } else {
            None
        };
        self.prev.clone_from(hash);
        self.expected_seq += 1;
        broken.map(|why| AuditReport {
            entries: self.entries,
            broken: Some((seq, why)),
        })
    }

    /// The report of a chain walked to its end without a break.
    pub(crate) fn report(&self) -> AuditReport {
        AuditReport {
            entries: self.entries,
            broken: None,
        }
    }
}

/// Appends an entry to the log inside the caller's transaction.
pub(super) fn append_audit(
    conn: &Connection,
    path: &Path,
    actor: &str,
    action: &str,
    target: &str,
    payload: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .ctx(path, || "reading the audit log".into())?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, AUDIT_GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = now();
    let hash = audit_hash(seq, &at, actor, action, target, payload, &prev_hash);
    conn.prepare_cached(
        "INSERT INTO audit (seq, at, actor, action, target, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            seq, at, actor, action, target, payload, prev_hash, hash
        ])
    })
    .ctx(path, || "appending to the audit log".into())?;
    Ok(())
}

impl SqliteStore {
    /// [`Store::integrity_check`].
    pub(super) fn check_integrity(&self) -> Result<Vec<String>> {
        let mut problems: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
            .ctx(&self.path, || "checking integrity".into())?;
        problems.retain(|p| p != "ok");
        let fk: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(format!(
                        "{} row {} has no parent in {}",
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?
                    ))
                })?
                .collect()
            })
            .ctx(&self.path, || "checking foreign keys".into())?;
        problems.extend(fk);
        // Logical checks a crash could break if writes were not atomic.
        let orphans = self.count(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS
               (SELECT 1 FROM audit WHERE action = 'ingest' AND target = a.id)",
        )?;
        if orphans > 0 {
            problems.push(format!("{orphans} articles have no audit entry"));
        }
        let unclaimed = self.count(
            "SELECT COUNT(*) FROM article_persons ap WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = ap.claim_id)",
        )?;
        if unclaimed > 0 {
            problems.push(format!("{unclaimed} article persons have no claim"));
        }
        // `victim_events` (schema 166) holds exactly what the reports' victims say: its triggers
        // must have followed every report stored or removed and every merge and split.
        let drifted = self.count(
            "SELECT (SELECT COUNT(*) FROM (SELECT * FROM report_victim_events EXCEPT
                                           SELECT * FROM victim_events))
                  + (SELECT COUNT(*) FROM (SELECT * FROM victim_events EXCEPT
                                           SELECT * FROM report_victim_events))",
        )?;
        if drifted > 0 {
            problems.push(format!(
                "{drifted} rows of victim_events differ from the reports' victims"
            ));
        }
        let report = self.verify_audit()?;
        if let Some((seq, why)) = report.broken {
            problems.push(format!("audit entry {seq}: {why}"));
        }
        // Reviewers' state changed beside the log (a direct UPDATE) breaks no hash: replay it.
        problems.extend(self.replay_problems()?);
        Ok(problems)
    }

    /// [`Store::audit_entries`].
    pub(super) fn read_audit_entries(
        &self,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<AuditEntry>> {
        self.conn
            .prepare_cached(
                "SELECT seq, at, actor, action, target, payload, prev_hash, hash FROM audit
                  WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![from_seq, limit as i64], |r| {
                    let payload: String = r.get(5)?;
                    Ok(AuditEntry {
                        seq: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                        prev_hash: r.get(6)?,
                        hash: r.get(7)?,
                    })
                })?
                .collect()
            })
            .ctx(&self.path, || "reading the audit log".into())
    }

    /// [`Store::verify_audit`].
    pub(super) fn check_audit_chain(&self) -> Result<AuditReport> {
        let err = || "verifying the audit log".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, actor, action, target, payload, prev_hash, hash FROM audit ORDER BY seq")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        let mut chain = AuditChain::default();
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let get = |i: usize| -> Result<String> { r.get::<_, String>(i).ctx(&self.path, err) };
            let seq: i64 = r.get(0).ctx(&self.path, err)?;
            let fields = [
                get(1)?,
                get(2)?,
                get(3)?,
                get(4)?,
                get(5)?,
                get(6)?,
                get(7)?,
            ];
            if let Some(broken) = chain.next(seq, &fields) {
                return Ok(broken);
            }
        }
        Ok(chain.report())
    }

    /// [`Store::record_action`].
    pub(super) fn append_action(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        if actor.trim().is_empty() || action.trim().is_empty() {
            return Err(RegisterError::Invalid(
                "an audit entry needs an actor and an action".into(),
            ));
        }
        self.write("recording an action in the audit log", |conn, path| {
            append_audit(conn, path, actor, action, target, &payload.to_string())
        })
    }
}
