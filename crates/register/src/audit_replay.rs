//! Checks that the reviewers' state the register acts on (decisions, visibility rows, field edits,
//! claim decisions and claim states) is what the audit log says was decided. The chain proves the
//! log unchanged; this proves the tables were not changed beside it, as by a direct SQL `UPDATE`
//! of a visibility row that would publish a hidden person.

use crate::error::Result;
use crate::sql::{args, Db};
use crate::Decision;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One decision as the audit log recorded it.
struct Audited {
    actor: String,
    action: String,
    target: String,
    request: Value,
}

/// Differences reported at most per check; the count says how many more.
const SHOWN: usize = 20;

/// Every row of reviewers' state that does not replay from the audit log, one line each.
pub(crate) fn replay_problems(db: &dyn Db) -> Result<Vec<String>> {
    let (audited, undone, undo_rows) = read_audited(db)?;
    let mut problems = Vec::new();
    check_decisions(db, &audited, &undone, &undo_rows, &mut problems)?;
    check_visibility(db, &audited, &undone, &mut problems)?;
    check_field_edits(db, &audited, &undone, &mut problems)?;
    check_claims(db, &audited, &undone, &mut problems)?;
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

/// Undo decisions as (actor, target, payload as recorded).
type UndoRows = BTreeSet<(String, String, String)>;

/// The audited decisions by id, the ids undone, and the undo decisions as (actor, target, payload).
fn read_audited(db: &dyn Db) -> Result<(BTreeMap<i64, Audited>, BTreeSet<i64>, UndoRows)> {
    let rows: Vec<(String, String, String, String)> = db.map(
        "SELECT actor, action, target, payload FROM audit
          WHERE action IN ('confirm', 'reject', 'edit', 'merge', 'split', 'visibility', 'undo')
          ORDER BY seq",
        args![],
        "replaying the audit log",
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let (mut audited, mut undone, mut undo_rows) =
        (BTreeMap::new(), BTreeSet::new(), BTreeSet::new());
    for (actor, action, target, payload) in rows {
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
    db: &dyn Db,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    undo_rows: &UndoRows,
    problems: &mut Vec<String>,
) -> Result<()> {
    type Decided = (i64, String, String, String, String, Option<i64>);
    let rows: Vec<Decided> = db.map(
        "SELECT id, actor, action, target, payload, undone_by FROM decisions ORDER BY id",
        args![],
        "replaying decisions",
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
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
fn root(db: &dyn Db, id: &str) -> Result<String> {
    let found = db.first(
        "SELECT COALESCE(merged_into, id) FROM persons WHERE id = ?1",
        args![id],
        "resolving a person",
        |r| r.get(0),
    )?;
    Ok(found.unwrap_or_else(|| id.to_string()))
}

/// Whether a row's subject is the one the request named: the same id, or one person now.
fn same_subject(db: &dyn Db, row: &str, requested: &str) -> Result<bool> {
    Ok(row == requested || root(db, row)? == root(db, requested)?)
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
    db: &dyn Db,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut rows = table(
        db,
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
                    || !same_subject(db, &row_person, &person)?
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
    db: &dyn Db,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut rows = table(
        db,
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
                    || !same_subject(db, &row_target, &target)?
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
    db: &dyn Db,
    audited: &BTreeMap<i64, Audited>,
    undone: &BTreeSet<i64>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let what = "replaying claim decisions";
    let rows: Vec<(i64, String, String)> = db.map(
        "SELECT decision_id, claim_id, state FROM claim_decisions ORDER BY decision_id",
        args![],
        what,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
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
    let states: Vec<(String, String)> = db.map(
        "SELECT id, state FROM claims WHERE state != 'suggested'",
        args![],
        what,
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (claim, state) in states {
        if latest.get(&claim) != Some(&state) {
            problems.push(format!(
                "claim {claim} is {state}, which no decision in force made it"
            ));
        }
    }
    for (claim, state) in &latest {
        let current: Option<String> = db.first(
            "SELECT state FROM claims WHERE id = ?1",
            args![claim],
            what,
            |r| r.get(0),
        )?;
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
fn table(db: &dyn Db, sql: &'static str) -> Result<BTreeMap<i64, [String; 3]>> {
    Ok(db
        .map(sql, args![], "replaying the audit log", |r| {
            Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?]))
        })?
        .into_iter()
        .collect())
}
