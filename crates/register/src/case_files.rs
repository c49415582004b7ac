//! A person's case file and the person search, on either backend (`crate::sql`): the person's
//! record, role words, timeline (every event they are a victim of, dated first), cases and open
//! merge candidates, built from the reads of `crate::records`.
//!
//! Invariants: a read never writes; a merged-away id leads to the person it was merged into; the
//! timeline's order does not depend on a backend's plan (date, then id).

use crate::error::{RegisterError, Result};
use crate::identity::name_key;
use crate::records::{self, Edits};
use crate::sql::{args, Db, Dialect, Row};
use crate::types::*;

/// The columns [`claim_from`] reads, in its order.
pub(crate) const CLAIM_COLUMNS: &str =
    "id, kind, subject, article_id, start, \"end\", summary, extractor_version, state, decided_by, decided_at";

/// A claim from a row of [`CLAIM_COLUMNS`].
pub(crate) fn claim_from(r: &dyn Row) -> Result<Claim> {
    let kind: String = r.get(1)?;
    let state: String = r.get(8)?;
    Ok(Claim {
        id: r.get(0)?,
        kind: ClaimKind::parse(&kind).unwrap_or(ClaimKind::Person),
        subject: r.get(2)?,
        article: r.get(3)?,
        start: r.get(4)?,
        end: r.get(5)?,
        summary: r.get(6)?,
        extractor_version: r.get(7)?,
        state: ReviewState::parse(&state).unwrap_or(ReviewState::Suggested),
        decided_by: r.get(9)?,
        decided_at: r.get(10)?,
    })
}

/// `Store::case_file`.
pub(crate) fn case_file(db: &dyn Db, person: &str) -> Result<CaseFile> {
    let root = records::known_root_person(db, person)?;
    let edits = records::load_edits(db)?;
    let vis = records::load_visibility(db)?;
    let record = records::person_record(db, &root, &edits, &vis)?;
    let event_ids = records::strings(
        db,
        "SELECT DISTINCT v.event_id FROM article_persons ap
           JOIN event_victims v ON v.article_id = ap.article_id AND v.person_idx = ap.idx
          WHERE ap.person = ?1",
        &root,
    )?;
    let mut timeline = records::event_records(db, &event_ids, &edits)?;
    timeline.sort_by(|a, b| match (&a.date, &b.date) {
        (Some(x), Some(y)) => x.cmp(y).then(a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    Ok(CaseFile {
        person: record,
        descriptors: descriptors(db, &root)?,
        timeline,
        cases: person_cases(db, &root, &edits)?,
        possible_duplicates: possible_duplicates(db, &root)?,
    })
}

/// `Store::find_persons`: persons whose name keys contain the text's, at most `limit`.
pub(crate) fn find_persons(db: &dyn Db, text: &str, limit: usize) -> Result<Vec<PersonRecord>> {
    let key = name_key(text);
    if key.is_empty() {
        return Err(RegisterError::Invalid(
            "a person search needs at least one letter or digit".into(),
        ));
    }
    let pattern = format!("%{}%", key.replace(['%', '_'], ""));
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let ids: Vec<String> = db.map(
        "SELECT DISTINCT person FROM article_persons WHERE name_key LIKE ?1 ORDER BY person LIMIT ?2",
        args![&pattern, limit],
        "searching persons",
        |r| r.get(0),
    )?;
    let edits = records::load_edits(db)?;
    let vis = records::load_visibility(db)?;
    ids.iter()
        .map(|id| records::person_record(db, id, &edits, &vis))
        .collect()
}

/// Role words the person's articles give, first seen first.
pub(crate) fn descriptors(db: &dyn Db, root: &str) -> Result<Vec<String>> {
    let mut descriptors: Vec<String> = Vec::new();
    for d in records::strings(
        db,
        "SELECT descriptors_json FROM article_persons WHERE person = ?1",
        root,
    )? {
        for word in serde_json::from_str::<Vec<String>>(&d).unwrap_or_default() {
            if !descriptors.contains(&word) {
                descriptors.push(word);
            }
        }
    }
    Ok(descriptors)
}

/// The cases the person is a defendant in, by id.
pub(crate) fn person_cases(db: &dyn Db, root: &str, edits: &Edits) -> Result<Vec<CaseRecord>> {
    let case_rows = records::pairs(
        db,
        "SELECT DISTINCT c.id, c.name FROM article_persons ap
           JOIN case_defendants d ON d.article_id = ap.article_id AND d.person_idx = ap.idx
           JOIN cases c ON c.id = d.case_id WHERE ap.person = ?1 ORDER BY c.id",
        args![root],
    )?;
    case_rows
        .into_iter()
        .map(|(id, name)| records::case_record(db, &id, name, edits))
        .collect()
}

/// Open same-person claims about any machine person the person was made of.
pub(crate) fn possible_duplicates(db: &dyn Db, root: &str) -> Result<Vec<Claim>> {
    let machine_ids = records::strings(
        db,
        "SELECT DISTINCT machine_person FROM article_persons WHERE person = ?1",
        root,
    )?;
    // One branch per side of the subject, each through its index (migration 191): each backend's
    // index is on its own expression. On SQLite `+state` keeps the planner off the index by state
    // and kind.
    let sql = match db.dialect() {
        Dialect::Sqlite => format!(
            "SELECT {CLAIM_COLUMNS} FROM claims WHERE kind = 'same_person'
                AND substr(subject, 1, instr(subject, '|') - 1) = ?1 AND +state = 'suggested'
             UNION
             SELECT {CLAIM_COLUMNS} FROM claims WHERE kind = 'same_person'
                AND substr(subject, instr(subject, '|') + 1) = ?1 AND +state = 'suggested'"
        ),
        Dialect::Postgres => format!(
            "SELECT {CLAIM_COLUMNS} FROM claims WHERE kind = 'same_person'
                AND split_part(subject, '|', 1) = ?1 AND state = 'suggested'
             UNION
             SELECT {CLAIM_COLUMNS} FROM claims WHERE kind = 'same_person'
                AND substr(subject, strpos(subject, '|') + 1) = ?1 AND state = 'suggested'
             ORDER BY id"
        ),
    };
    let mut out = Vec::new();
    for m in machine_ids {
        out.extend(db.map(&sql, args![&m], "reading claims", claim_from)?);
    }
    Ok(out)
}
