//! Checks that the reviewers' state the register acts on (decisions, visibility rows, field edits,
//! claim decisions and claim states) is what the audit log says was decided. The chain proves the
//! log unchanged; this proves the tables were not changed beside it, as by a direct SQL `UPDATE`
//! of a visibility row that would publish a hidden person.

use crate::error::Result;
use crate::sqlite::{Ctx, SqliteStore};
use crate::Decision;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One decision as the audit log recorded it.
struct Audited {
    actor: String,
    action: String,
    target: String,
    request: Value,
}

/// Differences reported at most per check; the count says how many more.
const SHOWN: usize = 20;

impl SqliteStore {
    /// Every row of reviewers' state that does not replay from the audit log, one line each.
    pub fn replay_problems(&self) -> Result<Vec<String>> {
        let (conn, path) = (self.conn(), self.path());
        let (audited, undone, undo_rows) = read_audited(conn, path)?;
        let mut problems = Vec::new();
        check_decisions(conn, path, &audited, &undone, &undo_rows, &mut problems)?;
        check_visibility(conn, path, &audited, &undone, &mut problems)?;
        check_field_edits(conn, path, &audited, &undone, &mut problems)?;
        check_claims(conn, path, &audited, &undone, &mut problems)?;
        let total = problems.len();
        if total > SHOWN {
            problems.truncate(SHOWN);
            problems.push(format!(
                "… and {} more rows that do not replay",
                total - SHOWN
            ));
        }
        Ok(problems)
    }
}

/// Undo decisions as (actor, target, payload as recorded).
type UndoRows = BTreeSet<(String, String, String)>;

/// The audited decisions by id, the ids undone, and the undo decisions as (actor, target, payload).
fn read_audited(
    conn: &Connection,
    path: &Path,
) -> Result<(BTreeMap<i64, Audited>, BTreeSet<i64>, UndoRows)> {
    let err = || "replaying the audit log".to_string();
    let mut stmt = conn
        .prepare(
            "SELECT actor, action, target, payload FROM audit
              WHERE action IN ('confirm', 'reject', 'edit', 'merge', 'split', 'visibility', 'undo')
              ORDER BY seq",
        )
        .ctx(path, err)?;
    let mut rows = stmt.query([]).ctx(path, err)?;
    let (mut audited, mut undone, mut undo_rows) =
        (BTreeMap::new(), BTreeSet::new(), BTreeSet::new());
    while let Some(r) = rows.next().ctx(path, err)? {
        let (actor, action, target, payload): (String, String, String, String) = (
            r.get(0).ctx(path, err)?,
            r.get(1).ctx(path, err)?,
            r.get(2).ctx(path, err)?,
            r.get(3).ctx(path, err)?,
        );
        if action == "undo" {
            let parsed: Value = serde_json::from_str(&payload).unwrap_or(Value::Null);
            if let Some(id) = parsed["undoes"].as_i64() {
                undone.insert(id);
            }
            undo_rows.insert((actor, target, payload));
            continue;
        }
        let payload: Value = serde_json::from_str(&payload).unwrap_or(Value::Null);
        if let Some(id) = payload["decision"].as_i64() {
            let request = payload["request"].clone();
            audited.insert(
                id,
                Audited {
                    actor,
                    action,
                    target,
                    request,
                },
            );
        }
    }
    Ok((audited, undone, undo_rows))
}

fn check_decisions(
    conn: &Connection,
    path: &Path,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    undo_rows: &UndoRows,
    problems: &mut Vec<String>,
) -> Result<()> {
    let err = || "replaying decisions".to_string();
    let mut stmt = conn
        .prepare("SELECT id, actor, action, target, payload, undone_by FROM decisions ORDER BY id")
        .ctx(path, err)?;
    let rows: Vec<(i64, String, String, String, String, Option<i64>)> = stmt
        .query_map([], |r| r.try_into())
        .and_then(|rows| rows.collect())
        .ctx(path, err)?;
    let mut seen = BTreeSet::new();
    for (id, actor, action, target, payload, undone_by) in rows {
        if action == "undo" {
            if !undo_rows.contains(&(actor, target, payload)) {
                problems.push(format!(
                    "decision {id} (undo) is not in the audit log as recorded"
                ));
            }
            continue;
        }
        let payload: Value = serde_json::from_str(&payload).unwrap_or(Value::Null);
        seen.insert(id);
        match audited.get(&id) {
            None => problems.push(format!("decision {id} ({action}) is not in the audit log")),
            Some(a)
                if a.actor != actor
                    || a.action != action
                    || a.target != target
                    || a.request != payload =>
            {
                problems.push(format!(
                    "decision {id} differs from what the audit log recorded"
                ))
            }
            Some(_) => {}
        }
        if undone_by.is_some() != undone.contains(&id) {
            problems.push(format!(
                "decision {id} is marked {} but the audit log says it was {}",
                if undone_by.is_some() {
                    "undone"
                } else {
                    "in force"
                },
                if undone.contains(&id) {
                    "undone"
                } else {
                    "never undone"
                }
            ));
        }
    }
    for id in audited.keys().filter(|id| !seen.contains(id)) {
        problems.push(format!(
            "decision {id} of the audit log is missing from the decisions"
        ));
    }
    Ok(())
}

/// The root a person id resolves to now (itself when unknown or unmerged).
fn root(conn: &Connection, path: &Path, id: &str) -> Result<String> {
    use rusqlite::OptionalExtension;
    let found: Option<String> = conn
        .prepare_cached("SELECT COALESCE(merged_into, id) FROM persons WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .ctx(path, || "resolving a person".into())?;
    Ok(found.unwrap_or_else(|| id.to_string()))
}

/// Whether a row's subject is the one the request named: the same id, or one person now.
fn same_subject(conn: &Connection, path: &Path, row: &str, requested: &str) -> Result<bool> {
    Ok(row == requested || root(conn, path, row)? == root(conn, path, requested)?)
}

fn in_force<'a>(
    audited: &'a BTreeMap<i64, Audited>,
    undone: &'a BTreeSet<i64>,
    action: &'a str,
) -> impl Iterator<Item = (i64, Decision)> + 'a {
    audited
        .iter()
        .filter(move |(id, a)| a.action == action && !undone.contains(id))
        .filter_map(|(id, a)| Some((*id, serde_json::from_value(a.request.clone()).ok()?)))
}

fn check_visibility(
    conn: &Connection,
    path: &Path,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut rows = table(
        conn,
        path,
        "SELECT decision_id, person, field, level FROM visibility",
    )?;
    for (id, decision) in in_force(audited, undone, "visibility") {
        let Decision::SetVisibility {
            person,
            field,
            level,
        } = decision
        else {
            continue;
        };
        let field = field.unwrap_or_default();
        match rows.remove(&id) {
            None => problems.push(format!(
                "visibility of decision {id} ({person}, field {field:?}: {}) is missing",
                level.as_str()
            )),
            Some([row_person, row_field, row_level]) => {
                if row_field != field
                    || row_level != level.as_str()
                    || !same_subject(conn, path, &row_person, &person)?
                {
                    problems.push(format!(
                        "visibility row of decision {id} says {row_person}, field {row_field:?}: {row_level}; the audit log says {person}, field {field:?}: {}",
                        level.as_str()
                    ));
                }
            }
        }
    }
    for (id, [person, field, level]) in rows {
        problems.push(format!(
            "visibility row {id} ({person}, field {field:?}: {level}) has no decision in force in the audit log"
        ));
    }
    Ok(())
}

fn check_field_edits(
    conn: &Connection,
    path: &Path,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut rows = table(
        conn,
        path,
        "SELECT decision_id, target, field, value FROM field_edits",
    )?;
    for (id, decision) in in_force(audited, undone, "edit") {
        let Decision::Edit {
            target,
            field,
            value,
        } = decision
        else {
            continue;
        };
        match rows.remove(&id) {
            None => problems.push(format!(
                "the edit of decision {id} ({target} {field}) is missing"
            )),
            Some([row_target, row_field, row_value]) => {
                if row_field != field
                    || row_value != value
                    || !same_subject(conn, path, &row_target, &target)?
                {
                    problems.push(format!(
                        "the edit of decision {id} ({row_target} {row_field}) differs from the audit log"
                    ));
                }
            }
        }
    }
    for (id, [target, field, _]) in rows {
        problems.push(format!(
            "edit row {id} ({target} {field}) has no decision in force in the audit log"
        ));
    }
    Ok(())
}

/// Claim decisions must come from confirm/reject decisions in force, with their state; a claim's
/// state is its latest claim decision's, or `suggested`.
fn check_claims(
    conn: &Connection,
    path: &Path,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let err = || "replaying claim decisions".to_string();
    let rows: Vec<(i64, String, String)> = conn
        .prepare("SELECT decision_id, claim_id, state FROM claim_decisions ORDER BY decision_id")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .ctx(path, err)?;
    let mut latest: BTreeMap<String, String> = BTreeMap::new();
    for (id, claim, state) in rows {
        let expected = audited
            .get(&id)
            .filter(|_| !undone.contains(&id))
            .and_then(|a| match a.action.as_str() {
                "confirm" => Some("confirmed"),
                "reject" => Some("rejected"),
                _ => None,
            });
        if expected != Some(state.as_str()) {
            problems.push(format!(
                "claim {claim} is {state} by decision {id}, which the audit log does not hold in force as such"
            ));
        }
        latest.insert(claim, state);
    }
    let states: Vec<(String, String)> = conn
        .prepare("SELECT id, state FROM claims WHERE state != 'suggested'")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .ctx(path, err)?;
    for (claim, state) in states {
        if latest.get(&claim) != Some(&state) {
            problems.push(format!(
                "claim {claim} is {state}, which no decision in force made it"
            ));
        }
    }
    for (claim, state) in &latest {
        let current: Option<String> = conn
            .prepare_cached("SELECT state FROM claims WHERE id = ?1")
            .and_then(|mut s| {
                use rusqlite::OptionalExtension;
                s.query_row([claim], |r| r.get(0)).optional()
            })
            .ctx(path, err)?;
        if current.as_deref().is_some_and(|c| c != state) {
            problems.push(format!(
                "claim {claim} is {}, but its latest decision made it {state}",
                current.unwrap_or_default()
            ));
        }
    }
    Ok(())
}

/// A table of (decision id → three text columns).
fn table(conn: &Connection, path: &Path, sql: &str) -> Result<BTreeMap<i64, [String; 3]>> {
    conn.prepare(sql)
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?])))?
                .collect()
        })
        .ctx(path, || "replaying the audit log".into())
}
