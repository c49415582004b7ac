//! Storing an article's cases: each joins a stored case under any outlet's name (the rule of
//! [`crate::case_join`]) or starts one, with its defendants, the article's events that happened to
//! them, its source and its claim.
//!
//! Invariants: a case's defendants are persons of this article (checked); the case's events are
//! only this article's events of one of its defendants.

use super::persons::StoredPersons;
use super::{insert_claim, ArticleTx, ClaimRow};
use crate::error::{RegisterError, Result};
use crate::identity::name_key;
use crate::sqlite::Ctx;
use crate::stable_id;
use crate::types::ClaimKind;
use casebook_model::CaseMention;
use rusqlite::params;
use std::collections::BTreeSet;

/// Stores each case the article reports, in order; `events` are the article's events with their
/// victims (article persons).
pub(super) fn write_cases(
    tx: &ArticleTx,
    cases: &[CaseMention],
    persons: &StoredPersons,
    events: &[(String, BTreeSet<usize>)],
) -> Result<()> {
    for (seq, case) in cases.iter().enumerate() {
        write_case(tx, seq, case, persons, events)?;
    }
    Ok(())
}

fn write_case(
    tx: &ArticleTx,
    seq: usize,
    case: &CaseMention,
    persons: &StoredPersons,
    events: &[(String, BTreeSet<usize>)],
) -> Result<()> {
    let (conn, path, err) = (tx.conn, tx.path, tx.err());
    let key = name_key(&case.name);
    let mut defendant_ids = Vec::with_capacity(case.defendants.len());
    for &d in &case.defendants {
        if d >= persons.machine.len() {
            return Err(RegisterError::Invalid(format!(
                "article {}: a fact points to person {d} of {}",
                tx.article,
                persons.machine.len()
            )));
        }
        defendant_ids.extend(persons.effective.get(d).cloned());
    }
    // One case under every outlet's name: joins a stored case or starts one.
    let id = crate::case_join::attach(
        conn,
        path,
        tx.article,
        seq,
        &case.name,
        &defendant_ids,
        tx.at,
    )?;
    for &d in &case.defendants {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO case_defendants (case_id, article_id, person_idx) VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut s| s.execute(params![id, tx.article, d as i64]))
        .ctx(path, &err)?;
    }
    // The case's events are this article's events that happened to one of its defendants.
    for (event_id, victims) in events {
        if case.defendants.iter().any(|d| victims.contains(d)) {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO case_events (case_id, event_id) VALUES (?1, ?2)",
            )
            .and_then(|mut s| s.execute(params![id, event_id]))
            .ctx(path, &err)?;
        }
    }
    let ev = &case.evidence;
    let claim = stable_id("c", &["case", tx.article, &seq.to_string(), &key]);
    conn.prepare_cached(
        "INSERT INTO case_sources (article_id, seq, case_id, text, start, \"end\", claim_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            tx.article,
            seq as i64,
            id,
            ev.text,
            ev.start as i64,
            ev.end as i64,
            claim
        ])
    })
    .ctx(path, &err)?;
    insert_claim(
        conn,
        path,
        &ClaimRow {
            id: &claim,
            kind: ClaimKind::Case,
            subject: &id,
            article: tx.article,
            start: Some(ev.start),
            end: Some(ev.end),
            summary: &format!(
                "case {} with {} defendants",
                case.name,
                case.defendants.len()
            ),
            version: tx.version,
            at: tx.at,
        },
    )
}
