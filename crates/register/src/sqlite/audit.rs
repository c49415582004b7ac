//! The audit log in a SQLite register: reading entries, verifying the chain (by the rules of
//! `crate::audit_log`), recording actions made outside the register, and the store's integrity
//! check (physical, foreign keys, logical, the chain, and the replay of reviewers' state against
//! the log).

use super::{Ctx, SqliteStore};
use crate::error::Result;
use crate::sql::SqliteDb;
use crate::types::{AuditEntry, AuditReport};
use crate::Store;

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
        crate::audit_log::entries(&self.db(), from_seq, limit)
    }

    /// [`Store::verify_audit`].
    pub(super) fn check_audit_chain(&self) -> Result<AuditReport> {
        crate::audit_log::verify(&self.db())
    }

    /// [`Store::record_action`].
    pub(super) fn append_action(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        self.write("recording an action in the audit log", |conn, path| {
            crate::audit_log::record_action(
                &SqliteDb::new(conn, path),
                actor,
                action,
                target,
                payload,
            )
        })
    }
}
