//! Reviewers' decisions: confirm or reject a claim (or every claim of an event, case or person),
//! edit a field, merge two persons, split names off a person, set what the public may see, and
//! undo any of these by a new decision.
//!
//! Invariants: a decision is a row in `decisions` and an audit entry, written in one transaction
//! with its effect; nothing is ever deleted from `decisions` (an undo is a decision that marks the
//! one it undoes); the derived state (a claim's state, `persons.merged_into`,
//! `article_persons.person`) is recomputed from the decisions in force, so it is the same whatever
//! order decisions and re-analyses came in.

use super::{exists, now, root_person, to_json, Ctx, SqliteStore, EFFECTIVE_PERSON_SQL};
use crate::audit_log::append_audit;
use crate::error::{RegisterError, Result};
use crate::identity::name_key;
use crate::sql::SqliteDb;
use crate::stable_id;
use crate::types::*;
use casebook_model::{FuzzyDate, Status};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Recomputes a claim's state from its latest active confirm/reject decision.
fn refresh_claim_state(conn: &Connection, path: &Path, claim: &str) -> Result<()> {
    let latest: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT cd.state, d.actor, d.at FROM claim_decisions cd JOIN decisions d ON d.id = cd.decision_id
              WHERE cd.claim_id = ?1 ORDER BY cd.decision_id DESC LIMIT 1",
        )
        .and_then(|mut s| s.query_row([claim], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional())
        .ctx(path, || "reading claim decisions".into())?;
    let (state, by, at) = match latest {
        Some((s, by, at)) => (s, Some(by), Some(at)),
        None => ("suggested".to_string(), None, None),
    };
    conn.prepare_cached(
        "UPDATE claims SET state = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
    )
    .and_then(|mut s| s.execute(params![claim, state, by, at]))
    .ctx(path, || "updating a claim".into())?;
    Ok(())
}

/// Rebuilds `persons.merged_into` from the active merge decisions and confirmed same-person claims.
fn recompute_merges(conn: &Connection, path: &Path) -> Result<()> {
    let err = || "applying merges".to_string();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let payloads: Vec<String> = conn
        .prepare_cached(
            "SELECT payload FROM decisions WHERE action = 'merge' AND undone_by IS NULL ORDER BY id",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .ctx(path, err)?;
    for p in payloads {
        if let Ok(Decision::Merge { into, from }) = serde_json::from_str::<Decision>(&p) {
            pairs.push((into, from));
        }
    }
    let subjects: Vec<String> = conn
        .prepare_cached(
            "SELECT subject FROM claims WHERE kind = 'same_person' AND state = 'confirmed' ORDER BY decided_at",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .ctx(path, err)?;
    for s in subjects {
        if let Some((into, from)) = s.split_once('|') {
            pairs.push((into.to_string(), from.to_string()));
        }
    }
    // Union-find over the few persons that take part in merges.
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
        let mut cur = x.to_string();
        while let Some(p) = parent.get(&cur) {
            if *p == cur {
                break;
            }
            cur = p.clone();
        }
        cur
    }
    for (into, from) in &pairs {
        let ri = find(&mut parent, into);
        let rf = find(&mut parent, from);
        if ri != rf {
            parent.insert(rf, ri);
        }
    }
    conn.execute(
        "UPDATE persons SET merged_into = NULL WHERE merged_into IS NOT NULL",
        [],
    )
    .ctx(path, err)?;
    let members: Vec<String> = parent.keys().cloned().collect();
    for m in members {
        let root = find(&mut parent, &m);
        if root != m {
            conn.prepare_cached("UPDATE persons SET merged_into = ?2 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![m, root]))
                .ctx(path, err)?;
        }
    }
    Ok(())
}

/// Recomputes every article person's effective register person after merges and splits changed.
fn recompute_effective(conn: &Connection, path: &Path) -> Result<()> {
    let expr = EFFECTIVE_PERSON_SQL
        .replace("?1", "article_persons.machine_person")
        .replace("?2", "article_persons.name_key");
    conn.execute(
        &format!("UPDATE article_persons SET person = {expr} WHERE person IS NOT {expr}"),
        [],
    )
    .ctx(path, || "applying merges and splits".into())?;
    Ok(())
}

/// Resolves what a confirm/reject targets to the claim ids it covers.
fn target_claims(conn: &Connection, path: &Path, target: &str) -> Result<Vec<String>> {
    let list = |sql: &str| -> Result<Vec<String>> {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.query_map([target], |r| r.get(0))?.collect())
            .ctx(path, || "resolving a review target".into())
    };
    if exists(conn, path, "SELECT 1 FROM claims WHERE id = ?1", target)? {
        return Ok(vec![target.to_string()]);
    }
    if exists(conn, path, "SELECT 1 FROM events WHERE id = ?1", target)? {
        return list(
            "SELECT claim_id FROM event_sources WHERE event_id = ?1 ORDER BY article_id, seq",
        );
    }
    if exists(conn, path, "SELECT 1 FROM cases WHERE id = ?1", target)? {
        return list(
            "SELECT claim_id FROM case_sources WHERE case_id = ?1 ORDER BY article_id, seq",
        );
    }
    if let Some(root) = root_person(conn, path, target)? {
        let claims: Vec<String> = conn
            .prepare_cached(
                "SELECT claim_id FROM article_persons WHERE person = ?1 ORDER BY article_id, idx",
            )
            .and_then(|mut s| s.query_map([&root], |r| r.get(0))?.collect())
            .ctx(path, || "resolving a review target".into())?;
        return Ok(claims);
    }
    Err(RegisterError::UnknownId {
        kind: "claim, event, case or person",
        id: target.to_string(),
    })
}

fn require_person(conn: &Connection, path: &Path, id: &str) -> Result<String> {
    root_person(conn, path, id)?.ok_or_else(|| RegisterError::UnknownId {
        kind: "person",
        id: id.to_string(),
    })
}

const PERSON_FIELDS: &[&str] = &["name", "status"];
const EVENT_FIELDS: &[&str] = &["type", "date", "place"];
const VISIBILITY_FIELDS: &[&str] = &["name", "names", "status"];

/// Checks a decision against the register and applies it.
fn apply_decision(conn: &Connection, path: &Path, id: i64, decision: &Decision) -> Result<()> {
    match decision {
        Decision::Confirm { target } => {
            apply_review(conn, path, id, target, ReviewState::Confirmed)
        }
        Decision::Reject { target } => apply_review(conn, path, id, target, ReviewState::Rejected),
        Decision::Edit {
            target,
            field,
            value,
        } => apply_edit(conn, path, id, target, field, value),
        Decision::Merge { into, from } => {
            let a = require_person(conn, path, into)?;
            let b = require_person(conn, path, from)?;
            if a == b {
                return Err(RegisterError::Invalid(format!(
                    "{into} and {from} are already the same person ({a})"
                )));
            }
            recompute_merges(conn, path)?;
            recompute_effective(conn, path)
        }
        Decision::Split { person, names } => apply_split(conn, path, id, person, names),
        Decision::SetVisibility {
            person,
            field,
            level,
        } => {
            let root = require_person(conn, path, person)?;
            let field = field.clone().unwrap_or_default();
            if !field.is_empty() && !VISIBILITY_FIELDS.contains(&field.as_str()) {
                return Err(RegisterError::Invalid(format!(
                    "no field {field:?} to hide: fields are {}",
                    VISIBILITY_FIELDS.join(", ")
                )));
            }
            conn.prepare_cached(
                "INSERT INTO visibility (decision_id, person, field, level) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![id, root, field, level.as_str()]))
            .ctx(path, || "applying a decision".into())?;
            Ok(())
        }
    }
}

/// A confirm or reject: every claim the target covers takes the state; a same-person claim among
/// them changes who is merged with whom.
fn apply_review(
    conn: &Connection,
    path: &Path,
    id: i64,
    target: &str,
    state: ReviewState,
) -> Result<()> {
    let claims = target_claims(conn, path, target)?;
    let mut touches_identity = false;
    for claim in &claims {
        conn.prepare_cached(
            "INSERT INTO claim_decisions (decision_id, claim_id, state) VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut s| s.execute(params![id, claim, state.as_str()]))
        .ctx(path, || "applying a decision".into())?;
        refresh_claim_state(conn, path, claim)?;
        touches_identity |= exists(
            conn,
            path,
            "SELECT 1 FROM claims WHERE id = ?1 AND kind = 'same_person'",
            claim,
        )?;
    }
    if touches_identity {
        recompute_merges(conn, path)?;
        recompute_effective(conn, path)?;
    }
    Ok(())
}

/// An edit of one field of an event, a case or a person (its root), checked against the fields
/// each may have edited and the values each field takes.
fn apply_edit(
    conn: &Connection,
    path: &Path,
    id: i64,
    target: &str,
    field: &str,
    value: &str,
) -> Result<()> {
    let is_event = exists(conn, path, "SELECT 1 FROM events WHERE id = ?1", target)?;
    let is_case = exists(conn, path, "SELECT 1 FROM cases WHERE id = ?1", target)?;
    let (target, allowed): (String, &[&str]) = if is_event {
        (target.to_string(), EVENT_FIELDS)
    } else if is_case {
        (target.to_string(), &["name"])
    } else if let Some(root) = root_person(conn, path, target)? {
        (root, PERSON_FIELDS)
    } else {
        return Err(RegisterError::UnknownId {
            kind: "person, event or case",
            id: target.to_string(),
        });
    };
    if !allowed.contains(&field) {
        return Err(RegisterError::Invalid(format!(
            "cannot edit field {field:?} of {target}: editable fields are {}",
            allowed.join(", ")
        )));
    }
    let valid = match (is_event, field) {
        (false, "status") => Status::parse(value).is_some(),
        (true, "date") => value.is_empty() || FuzzyDate::parse(value).is_some(),
        _ => is_event || is_case || !value.trim().is_empty(),
    };
    if !valid {
        return Err(RegisterError::Invalid(format!(
            "{value:?} is not a valid {field} (statuses: {}; dates: YYYY, YYYY-MM or YYYY-MM-DD)",
            Status::ALL.map(|s| s.as_str()).join(", ")
        )));
    }
    conn.prepare_cached(
        "INSERT INTO field_edits (decision_id, target, field, value) VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![id, target, field, value]))
    .ctx(path, || "applying a decision".into())?;
    Ok(())
}

/// A split: the names given (each one the person was named by) move to a new person, and the
/// person keeps at least one name.
fn apply_split(
    conn: &Connection,
    path: &Path,
    id: i64,
    person: &str,
    names: &[String],
) -> Result<()> {
    let err = || "applying a decision".to_string();
    let root = require_person(conn, path, person)?;
    if names.is_empty() {
        return Err(RegisterError::Invalid(
            "a split needs at least one name to move".into(),
        ));
    }
    let own: BTreeSet<String> = conn
        .prepare_cached("SELECT DISTINCT name_key FROM article_persons WHERE person = ?1")
        .and_then(|mut s| s.query_map([&root], |r| r.get(0))?.collect())
        .ctx(path, err)?;
    let keys: BTreeSet<String> = names.iter().map(|n| name_key(n)).collect();
    for (i, key) in keys.iter().enumerate() {
        if !own.contains(key) {
            return Err(RegisterError::Invalid(format!(
                "person {root} was never named as name {} of the split list; \
                 see `casebook person {root}` for the names",
                i + 1
            )));
        }
    }
    if keys.len() == own.len() {
        return Err(RegisterError::Invalid(format!(
            "a split must leave {root} at least one name"
        )));
    }
    let new_person = stable_id("p", &["split", &id.to_string(), &root]);
    conn.prepare_cached("INSERT INTO persons (id, name, created_at) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![new_person, names[0], now()]))
        .ctx(path, err)?;
    for key in &keys {
        conn.prepare_cached(
            "INSERT INTO person_splits (decision_id, from_person, name_key, to_person)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| s.execute(params![id, root, key, new_person]))
        .ctx(path, err)?;
    }
    recompute_effective(conn, path)
}

fn decision_target(decision: &Decision) -> String {
    match decision {
        Decision::Confirm { target }
        | Decision::Reject { target }
        | Decision::Edit { target, .. } => target.clone(),
        Decision::Merge { into, .. } => into.clone(),
        Decision::Split { person, .. } | Decision::SetVisibility { person, .. } => person.clone(),
    }
}

fn read_decision(conn: &Connection, path: &Path, id: i64) -> Result<Option<DecisionRecord>> {
    conn.prepare_cached(
        "SELECT id, at, actor, action, target, payload, undone_by FROM decisions WHERE id = ?1",
    )
    .and_then(|mut s| s.query_row([id], decision_row).optional())
    .ctx(path, || "reading a decision".into())
}

fn decision_row(r: &rusqlite::Row) -> rusqlite::Result<DecisionRecord> {
    let payload: String = r.get(5)?;
    Ok(DecisionRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        undone_by: r.get(6)?,
    })
}

impl SqliteStore {
    /// [`Store::decide`](crate::Store::decide).
    pub(super) fn write_decision(
        &mut self,
        actor: &str,
        decision: &Decision,
    ) -> Result<DecisionRecord> {
        self.write("recording a decision", |conn, path| {
            let at = now();
            let target = decision_target(decision);
            let payload = to_json(decision);
            conn.prepare_cached(
                "INSERT INTO decisions (at, actor, action, target, payload) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute(params![at, actor, decision.action(), target, payload]))
            .ctx(path, || "recording a decision".into())?;
            let id = conn.last_insert_rowid();
            apply_decision(conn, path, id, decision)?;
            let audit_payload = serde_json::json!({"decision": id, "request": decision});
            append_audit(&SqliteDb::new(conn, path), actor, decision.action(), &target, &audit_payload.to_string())?;
            read_decision(conn, path, id)?.ok_or_else(|| RegisterError::UnknownId {
                kind: "decision",
                id: id.to_string(),
            })
        })
    }

    /// [`Store::undo`](crate::Store::undo).
    pub(super) fn write_undo(&mut self, actor: &str, decision_id: i64) -> Result<DecisionRecord> {
        self.write("undoing a decision", |conn, path| {
            let err = || "undoing a decision".to_string();
            let original = read_decision(conn, path, decision_id)?.ok_or_else(|| RegisterError::UnknownId {
                kind: "decision",
                id: decision_id.to_string(),
            })?;
            if original.action == "undo" {
                return Err(RegisterError::Invalid(format!(
                    "decision {decision_id} is itself an undo; make the decision again instead"
                )));
            }
            if let Some(by) = original.undone_by {
                return Err(RegisterError::Invalid(format!(
                    "decision {decision_id} was already undone by decision {by}"
                )));
            }
            let at = now();
            let payload = serde_json::json!({"undoes": decision_id, "action": original.action}).to_string();
            conn.prepare_cached(
                "INSERT INTO decisions (at, actor, action, target, payload) VALUES (?1, ?2, 'undo', ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![at, actor, decision_id.to_string(), payload]))
            .ctx(path, err)?;
            let id = conn.last_insert_rowid();
            conn.execute("UPDATE decisions SET undone_by = ?2 WHERE id = ?1", params![decision_id, id])
                .ctx(path, err)?;
            let claims: Vec<String> = conn
                .prepare_cached("SELECT claim_id FROM claim_decisions WHERE decision_id = ?1")
                .and_then(|mut s| s.query_map([decision_id], |r| r.get(0))?.collect())
                .ctx(path, err)?;
            for table in ["claim_decisions", "person_splits", "field_edits", "visibility"] {
                conn.execute(&format!("DELETE FROM {table} WHERE decision_id = ?1"), [decision_id])
                    .ctx(path, err)?;
            }
            for claim in &claims {
                refresh_claim_state(conn, path, claim)?;
            }
            recompute_merges(conn, path)?;
            recompute_effective(conn, path)?;
            append_audit(&SqliteDb::new(conn, path), actor, "undo", &decision_id.to_string(), &payload)?;
            read_decision(conn, path, id)?.ok_or_else(|| RegisterError::UnknownId {
                kind: "decision",
                id: id.to_string(),
            })
        })
    }

    /// [`Store::decisions`](crate::Store::decisions).
    pub(super) fn list_decisions(&self, limit: usize) -> Result<Vec<DecisionRecord>> {
        self.conn
            .prepare_cached(
                "SELECT id, at, actor, action, target, payload, undone_by FROM decisions ORDER BY id DESC LIMIT ?1",
            )
            .and_then(|mut s| s.query_map([limit as i64], decision_row)?.collect())
            .ctx(&self.path, || "listing decisions".into())
    }
}
