//! One case across outlets' names: an article's case mention joins a stored case when the events
//! stage's rule ([`casebook_events::merge::same_case`]) says it is the same case as any one
//! article's report of it (similar names and a shared defendant, the same name, or enough shared
//! defendants under any name); otherwise it starts a new case.
//!
//! Candidates come from two indexed lookups, so the cost does not grow with the store: the cases
//! the mention's defendants are already in, and the cases reported under the same name key. Every
//! name, and which article put which name and defendants into a case, stays in `case_reports` and
//! `case_defendants`, so a reviewer can see where a wrong join came from.

use crate::error::Result;
use crate::sqlite::Ctx;
use crate::stable_id;
use casebook_events::merge::{case_name_key, same_case};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How many stored cases under one name key are compared at most (a generic name such as "the
/// Hizb ut-Tahrir case" may name many groups; defendants find those anyway).
const MAX_SAME_NAME: i64 = 32;

/// One article's report of a case: the name it gives and its defendants' register person ids.
struct Report {
    names: Vec<String>,
    defendants: Vec<String>,
}

/// Finds or creates the case an article's mention belongs to and records the name the article
/// gives it; returns the case id. `defendants` are the mention's register person ids.
pub(crate) fn attach(
    conn: &Connection,
    path: &Path,
    article_id: &str,
    seq: usize,
    name: &str,
    defendants: &[String],
    at: &str,
) -> Result<String> {
    let err = || format!("joining a case of article {article_id}");
    let key = case_name_key(name);
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    for person in defendants {
        let rows: Vec<String> = conn
            .prepare_cached(
                "SELECT DISTINCT d.case_id FROM article_persons ap
                   JOIN case_defendants d ON d.article_id = ap.article_id AND d.person_idx = ap.idx
                  WHERE ap.person = ?1",
            )
            .and_then(|mut s| s.query_map([person], |r| r.get(0))?.collect())
            .ctx(path, err)?;
        candidates.extend(rows);
    }
    if !key.is_empty() {
        let rows: Vec<String> = conn
            .prepare_cached(
                "SELECT DISTINCT case_id FROM case_reports WHERE name_key = ?1 LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![key, MAX_SAME_NAME], |r| r.get(0))?
                    .collect()
            })
            .ctx(path, err)?;
        candidates.extend(rows);
    }
    // The matching case sharing the most defendants; ties go to the oldest.
    let mut best: Option<(usize, String, String)> = None;
    for case in candidates {
        let reports = reports_of(conn, path, &case)?;
        let matches = reports.values().any(|r| {
            r.names
                .iter()
                .any(|n| same_case(n, &r.defendants, name, defendants))
        });
        if !matches {
            continue;
        }
        let all: BTreeSet<&String> = reports.values().flat_map(|r| &r.defendants).collect();
        let shared = defendants.iter().filter(|d| all.contains(d)).count();
        let created: String = conn
            .prepare_cached("SELECT created_at FROM cases WHERE id = ?1")
            .and_then(|mut s| s.query_row([&case], |r| r.get(0)))
            .ctx(path, err)?;
        let better = match &best {
            None => true,
            Some((s, c, id)) => shared > *s || (shared == *s && (&created, &case) < (c, id)),
        };
        if better {
            best = Some((shared, created, case));
        }
    }
    let id = match best {
        Some((_, _, id)) => id,
        None => new_case_id(conn, path, &key, name, article_id, seq)?,
    };
    conn.prepare_cached("INSERT OR IGNORE INTO cases (id, name, created_at) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![id, name, at]))
        .ctx(path, err)?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO case_reports (article_id, seq, case_id, name, name_key)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| s.execute(params![article_id, seq as i64, id, name, key]))
    .ctx(path, err)?;
    refresh_name(conn, path, &id)?;
    Ok(id)
}

/// A stable id for a new case: from its name key, or from the report when another case already
/// holds that key (two groups both called "the Hizb ut-Tahrir case").
fn new_case_id(
    conn: &Connection,
    path: &Path,
    key: &str,
    name: &str,
    article_id: &str,
    seq: usize,
) -> Result<String> {
    let basis = if key.is_empty() {
        crate::identity::name_key(name)
    } else {
        key.to_string()
    };
    let id = stable_id("k", &[&basis]);
    let taken = conn
        .prepare_cached("SELECT 1 FROM cases WHERE id = ?1")
        .and_then(|mut s| s.query_row([&id], |_| Ok(())).optional())
        .ctx(path, || "looking up a case id".into())?
        .is_some();
    Ok(if taken {
        stable_id("k", &[&basis, article_id, &seq.to_string()])
    } else {
        id
    })
}

/// Each article's report of a stored case: the names it gives and its defendants.
fn reports_of(conn: &Connection, path: &Path, case: &str) -> Result<BTreeMap<String, Report>> {
    let err = || "reading a case's reports".to_string();
    let mut reports: BTreeMap<String, Report> = BTreeMap::new();
    let names: Vec<(String, String)> = conn
        .prepare_cached("SELECT article_id, name FROM case_reports WHERE case_id = ?1")
        .and_then(|mut s| {
            s.query_map([case], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .ctx(path, err)?;
    for (article, name) in names {
        reports
            .entry(article)
            .or_insert_with(|| Report {
                names: Vec::new(),
                defendants: Vec::new(),
            })
            .names
            .push(name);
    }
    let defendants: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT d.article_id, ap.person FROM case_defendants d
               JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
              WHERE d.case_id = ?1",
        )
        .and_then(|mut s| {
            s.query_map([case], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .ctx(path, err)?;
    for (article, person) in defendants {
        if let Some(r) = reports.get_mut(&article) {
            r.defendants.push(person);
        }
    }
    Ok(reports)
}

/// A case's stored name is the name most articles give it (ties: the first given).
fn refresh_name(conn: &Connection, path: &Path, case: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE cases SET name = (SELECT name FROM case_reports WHERE case_id = ?1
                                   GROUP BY name ORDER BY COUNT(*) DESC, MIN(rowid) LIMIT 1)
          WHERE id = ?1 AND EXISTS (SELECT 1 FROM case_reports WHERE case_id = ?1)",
    )
    .and_then(|mut s| s.execute([case]))
    .ctx(path, || "naming a case".into())?;
    Ok(())
}

/// After an article's reports were removed (re-analysis): renames the cases it reported.
pub(crate) fn refresh_names(conn: &Connection, path: &Path, cases: &[String]) -> Result<()> {
    for case in cases {
        refresh_name(conn, path, case)?;
    }
    Ok(())
}

/// Recomputes the name keys of every case report (after a migration wrote approximate ones).
pub(crate) fn rekey(conn: &Connection, path: &Path) -> Result<()> {
    let err = || "keying case names".to_string();
    let rows: Vec<(String, i64, String)> = conn
        .prepare("SELECT article_id, seq, name FROM case_reports")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .ctx(path, err)?;
    for (article, seq, name) in rows {
        conn.prepare_cached(
            "UPDATE case_reports SET name_key = ?3 WHERE article_id = ?1 AND seq = ?2",
        )
        .and_then(|mut s| s.execute(params![article, seq, case_name_key(&name)]))
        .ctx(path, err)?;
    }
    Ok(())
}
