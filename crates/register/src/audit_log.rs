//! The hash-chained audit log on either backend: the hash of an entry, appending one inside the
//! transaction that made the change, and walking a chain to its first break.
//!
//! Invariants: every entry's hash covers its fields and the previous entry's hash (the first
//! chains to [`AUDIT_GENESIS`]); sequence numbers run from 1 without gaps; an entry is appended in
//! the same transaction as the write it records, so the log never claims a write that was rolled
//! back nor misses one that was committed; writers take turns from reading the head to their
//! commit, so concurrent writers on PostgreSQL still extend one unbroken chain.

use crate::error::{RegisterError, Result};
use crate::sql::{args, Db};
use crate::types::{AuditEntry, AuditReport};

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

/// The key writers take turns on while appending (PostgreSQL's advisory lock; SQLite's write
/// transactions take turns already).
const CHAIN_TURN: i64 = 0x6175_6469_745f_6c6f; // "audit_lo"

/// Appends an entry to the log inside the caller's transaction, on either backend. Writers take
/// turns from reading the chain's head to their commit, so concurrent writers extend one chain.
pub(crate) fn append_audit(
    db: &dyn Db,
    actor: &str,
    action: &str,
    target: &str,
    payload: &str,
) -> Result<()> {
    db.take_turn(CHAIN_TURN)?;
    let (prev_seq, prev_hash) = head(db)?.unwrap_or((0, AUDIT_GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = now();
    let hash = audit_hash(seq, &at, actor, action, target, payload, &prev_hash);
    db.execute(
        "INSERT INTO audit (seq, at, actor, action, target, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![seq, &at, actor, action, target, payload, &prev_hash, &hash],
        "appending to the audit log",
    )?;
    Ok(())
}

/// Records a write made outside the register (see `Store::record_action`): an entry with an actor
/// and an action, whose payload never holds a secret.
pub(crate) fn record_action(
    db: &dyn Db,
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
    append_audit(db, actor, action, target, &payload.to_string())
}

/// The time an entry is made, as every entry records it.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Entries from `from_seq` on, at most `limit`.
pub(crate) fn entries(db: &dyn Db, from_seq: i64, limit: usize) -> Result<Vec<AuditEntry>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    db.map(
        "SELECT seq, at, actor, action, target, payload, prev_hash, hash FROM audit
          WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
        args![from_seq, limit],
        "reading the audit log",
        |r| {
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
        },
    )
}

/// Entries read per page while a chain is walked: memory stays flat on any log.
const WALK_PAGE: i64 = 10_000;

/// Walks the whole chain and reports its first break.
pub(crate) fn verify(db: &dyn Db) -> Result<AuditReport> {
    let mut chain = AuditChain::default();
    let mut after = 0i64;
    loop {
        let page = db.map(
            "SELECT seq, at, actor, action, target, payload, prev_hash, hash FROM audit
              WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            args![after, WALK_PAGE],
            "verifying the audit log",
            |r| {
                let fields: [String; 7] = [
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ];
                Ok((r.get::<i64>(0)?, fields))
            },
        )?;
        let Some((last, _)) = page.last() else {
            return Ok(chain.report());
        };
        after = *last;
        for (seq, fields) in &page {
            if let Some(broken) = chain.next(*seq, fields) {
                return Ok(broken);
            }
        }
    }
}

/// The last entry's sequence number and hash; `None` for an empty log.
pub(crate) fn head(db: &dyn Db) -> Result<Option<(i64, String)>> {
    db.first(
        "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
        args![],
        "reading the head of the audit log",
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The hash of entry `seq`, if the log holds it.
pub(crate) fn hash_at(db: &dyn Db, seq: i64) -> Result<Option<String>> {
    db.first(
        "SELECT hash FROM audit WHERE seq = ?1",
        args![seq],
        "reading the audit log",
        |r| r.get(0),
    )
}
