//! Reading one record, on either backend (`crate::sql`): a person (names by preference, status
//! derived from their events unless a reviewer set it, visibility), an event (with its victims,
//! perpetrators, sources and conflicts), a case (with every name it was reported under), the
//! reviewers' field edits and visibility settings these reads apply, and the register's counts.
//!
//! Invariants: a read never writes; reviewers' edits are applied on read (the machine rows keep
//! what the pipeline found), the latest active edit of a field winning; a record's review state
//! is the aggregate of its sources' claims; lists within a record (an event's victims and
//! perpetrators) are ordered by text, so a PostgreSQL database orders them as SQLite does when its
//! collation is `C` (as `scripts/postgres` makes it).

use crate::error::{RegisterError, Result};
use crate::sql::{args, Db, Param, Row};
use crate::types::*;
use casebook_events::status::DatedEvent;
use casebook_model::{FuzzyDate, Status};
use std::collections::{BTreeMap, HashMap};

/// Reviewers' field edits by target id then field (the latest active edit wins).
pub(crate) type Edits = HashMap<String, BTreeMap<String, String>>;
/// Visibility settings by person then field (`""` for the whole person).
pub(crate) type VisibilityMap = HashMap<String, BTreeMap<String, Visibility>>;

/// The events whose victims include register person `?1`, as `e`, each once: from the person's
/// rows in `victim_events` (schema 166), which cost the events found, not the person's articles
/// and their every report.
pub(crate) const VICTIM_EVENTS_FROM: &str =
    "FROM events e WHERE e.id IN (SELECT v.event_id FROM victim_events v WHERE v.person = ?1)";

/// Events read per statement when visiting many: large enough that the statements cost little
/// beside the rows, small enough that a visit holds little in memory.
pub(crate) const EVENT_BATCH: usize = 256;

/// A source read from columns `at..` (article, text, start, end, claim, claim state).
fn source_row(r: &dyn Row, at: usize) -> Result<SourceRecord> {
    Ok(SourceRecord {
        article: r.get(at)?,
        text: r.get(at + 1)?,
        start: r.get(at + 2)?,
        end: r.get(at + 3)?,
        claim: r.get(at + 4)?,
        review: ReviewState::parse(&r.get::<String>(at + 5)?).unwrap_or(ReviewState::Suggested),
    })
}

pub(crate) fn load_edits(db: &dyn Db) -> Result<Edits> {
    let mut edits: Edits = HashMap::new();
    db.query(
        "SELECT target, field, value FROM field_edits ORDER BY decision_id",
        args![],
        "reading edits",
        &mut |r| {
            let (target, field, value): (String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            edits.entry(target).or_default().insert(field, value);
            Ok(())
        },
    )?;
    Ok(edits)
}

pub(crate) fn load_visibility(db: &dyn Db) -> Result<VisibilityMap> {
    let mut map: VisibilityMap = HashMap::new();
    db.query(
        "SELECT person, field, level FROM visibility ORDER BY decision_id",
        args![],
        "reading visibility",
        &mut |r| {
            let (person, field, level): (String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            if let Some(level) = Visibility::parse(&level) {
                map.entry(person).or_default().insert(field, level);
            }
            Ok(())
        },
    )?;
    Ok(map)
}

/// The root person an id leads to, or `None` when the id names no person.
pub(crate) fn root_person(db: &dyn Db, id: &str) -> Result<Option<String>> {
    db.first(
        "SELECT COALESCE(merged_into, id) FROM persons WHERE id = ?1",
        args![id],
        "looking up a person",
        |r| r.get(0),
    )
}

/// The root person an id leads to; [`RegisterError::UnknownId`] when the id names no person.
pub(crate) fn known_root_person(db: &dyn Db, id: &str) -> Result<String> {
    root_person(db, id)?.ok_or_else(|| RegisterError::UnknownId {
        kind: "person",
        id: id.to_string(),
    })
}

pub(crate) fn person_record(
    db: &dyn Db,
    id: &str,
    edits: &Edits,
    vis: &VisibilityMap,
) -> Result<PersonRecord> {
    let what = "reading a person";
    let stored_name: String = db.one("SELECT name FROM persons WHERE id = ?1", args![id], what)?;
    let mut names: Vec<(String, i64)> = db.map(
        "SELECT name, COUNT(*) FROM article_persons WHERE person = ?1 GROUP BY name",
        args![id],
        what,
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    crate::sqlite::sort_by_preference(&mut names);
    let articles: u64 = db.one(
        "SELECT COUNT(DISTINCT article_id) FROM article_persons WHERE person = ?1",
        args![id],
        what,
    )?;
    let own_edits = edits.get(id);
    let name = own_edits
        .and_then(|e| e.get("name").cloned())
        .or_else(|| names.first().map(|n| n.0.clone()))
        .unwrap_or(stored_name);
    let status = person_status(db, id, edits)?;
    let person_vis = vis.get(id);
    let visibility = person_vis
        .and_then(|v| v.get("").copied())
        .unwrap_or(Visibility::Public);
    let field_visibility = person_vis
        .map(|v| {
            v.iter()
                .filter(|(f, _)| !f.is_empty())
                .map(|(f, l)| (f.clone(), *l))
                .collect()
        })
        .unwrap_or_default();
    let confirmed: bool = db.one(
        "SELECT EXISTS (SELECT 1 FROM article_persons ap JOIN claims c ON c.id = ap.claim_id
          WHERE ap.person = ?1 AND c.state = 'confirmed')",
        args![id],
        what,
    )?;
    Ok(PersonRecord {
        id: id.to_string(),
        name,
        names: names.into_iter().map(|n| n.0).collect(),
        status,
        visibility,
        field_visibility,
        articles,
        confirmed,
    })
}

/// A person's status: a reviewer's edit, else derived from their events.
pub(crate) fn person_status(db: &dyn Db, id: &str, edits: &Edits) -> Result<Status> {
    match edits
        .get(id)
        .and_then(|e| e.get("status"))
        .and_then(|s| Status::parse(s))
    {
        Some(status) => Ok(status),
        None => Ok(casebook_events::status::status(&person_events(
            db, id, edits,
        )?)),
    }
}

/// The person's non-rejected events, with reviewers' edits applied, for status derivation.
fn person_events(db: &dyn Db, person: &str, edits: &Edits) -> Result<Vec<DatedEvent>> {
    let what = "reading a person's events";
    // An event counts unless every report of it is rejected. Checking that costs half the
    // query, and most registers (every one in a bulk ingest) have no rejected report at all.
    let any_rejected: bool = db.one(
        "SELECT EXISTS (SELECT 1 FROM claims WHERE state = 'rejected' AND kind = 'event')",
        args![],
        what,
    )?;
    let not_all_rejected = if any_rejected {
        "AND EXISTS (SELECT 1 FROM event_sources r JOIN claims c ON c.id = r.claim_id
                      WHERE r.event_id = e.id AND c.state != 'rejected')"
    } else {
        ""
    };
    type Read = (String, String, Option<String>, String, Option<String>);
    // In id order: the status takes events of one date in the order given, so the order must not
    // be left to a backend's plan.
    let rows: Vec<Read> = db.map(
        &format!(
            "SELECT e.id, e.type, e.date, e.details_json, e.victim_details_json
             {VICTIM_EVENTS_FROM} {not_all_rejected} ORDER BY e.id"
        ),
        args![person],
        what,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, mut event_type, mut date, details, own)| {
            if let Some(e) = edits.get(id.as_str()) {
                if let Some(t) = e.get("type") {
                    event_type = t.clone();
                }
                if let Some(d) = e.get("date") {
                    date = Some(d.clone());
                }
            }
            // The person's own details (a suspended term of one co-defendant) count for them.
            let mut details: BTreeMap<String, String> =
                serde_json::from_str(&details).unwrap_or_default();
            let mut own: BTreeMap<String, BTreeMap<String, String>> = own
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            details.extend(own.remove(person).unwrap_or_default());
            DatedEvent {
                event_type,
                date: date.as_deref().and_then(FuzzyDate::parse),
                details,
            }
        })
        .collect())
}

fn sources(db: &dyn Db, sql: &str, id: &str) -> Result<Vec<SourceRecord>> {
    db.map(sql, args![id], "reading sources", |r| source_row(r, 0))
}

pub(crate) fn strings(db: &dyn Db, sql: &str, id: &str) -> Result<Vec<String>> {
    db.map(sql, args![id], "reading the register", |r| r.get(0))
}

/// Rows of two strings for a statement over `params`.
pub(crate) fn pairs(db: &dyn Db, sql: &str, params: &[Param<'_>]) -> Result<Vec<(String, String)>> {
    db.map(sql, params, "reading the register", |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// The records of the events `ids` names, in that order (ids the register lacks are left out).
/// Four statements for the whole list, whatever its length: a case file's page of 50 events read
/// one at a time cost 200 statements.
pub(crate) fn event_records(
    db: &dyn Db,
    ids: &[String],
    edits: &Edits,
) -> Result<Vec<EventRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::sqlite::id_list(ids);
    let ids_table = db.json_values("?1", "j");
    let join = db.ordered_join();
    let mut rows: HashMap<String, EventRecord> = db
        .map(
            &format!(
                "SELECT e.id, e.type, e.date, e.place, e.details_json, e.claimed_by,
                        e.conflicts_json, e.victim_details_json
                   FROM {ids_table} {join} events e ON e.id = j.value"
            ),
            args![&list],
            "reading events",
            |r| {
                let details: String = r.get(4)?;
                let conflicts: String = r.get(6)?;
                let own: Option<String> = r.get(7)?;
                Ok(EventRecord {
                    id: r.get(0)?,
                    review: ReviewState::Suggested,
                    event_type: r.get(1)?,
                    date: r.get(2)?,
                    place: r.get(3)?,
                    victims: Vec::new(),
                    perpetrators: Vec::new(),
                    details: serde_json::from_str(&details).unwrap_or_default(),
                    victim_details: own
                        .as_deref()
                        .and_then(|j| serde_json::from_str(j).ok())
                        .unwrap_or_default(),
                    claimed_by: r.get(5)?,
                    sources: Vec::new(),
                    conflicts: serde_json::from_str(&conflicts).unwrap_or_default(),
                })
            },
        )?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let victims = format!(
        "SELECT DISTINCT v.event_id, ap.person FROM {ids_table}
           {join} event_victims v ON v.event_id = j.value
           JOIN article_persons ap ON ap.article_id = v.article_id AND ap.idx = v.person_idx
          ORDER BY 1, 2"
    );
    for (event, person) in pairs(db, &victims, args![&list])? {
        if let Some(e) = rows.get_mut(&event) {
            e.victims.push(person);
        }
    }
    let perpetrators = format!(
        "SELECT DISTINCT s.event_id, p.value FROM {ids_table}
           {join} event_sources s ON s.event_id = j.value
           CROSS JOIN {}
          ORDER BY 1, 2",
        db.json_values("s.perpetrators_json", "p")
    );
    for (event, perpetrator) in pairs(db, &perpetrators, args![&list])? {
        if let Some(e) = rows.get_mut(&event) {
            e.perpetrators.push(perpetrator);
        }
    }
    let sources: Vec<(String, SourceRecord)> = db.map(
        &format!(
            "SELECT s.event_id, s.article_id, s.text, s.start, s.\"end\", s.claim_id, c.state
               FROM {ids_table} {join} event_sources s ON s.event_id = j.value
               JOIN claims c ON c.id = s.claim_id
              ORDER BY s.event_id, s.article_id, s.seq"
        ),
        args![&list],
        "reading sources",
        |r| Ok((r.get(0)?, source_row(r, 1)?)),
    )?;
    for (event, source) in sources {
        if let Some(e) = rows.get_mut(&event) {
            e.sources.push(source);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for id in ids {
        let Some(mut e) = rows.remove(id) else {
            continue;
        };
        e.review = aggregate_review(&e.sources);
        if let Some(edit) = edits.get(id) {
            if let Some(v) = edit.get("type") {
                e.event_type = v.clone();
            }
            if let Some(v) = edit.get("date") {
                e.date = Some(v.clone()).filter(|v| !v.is_empty());
            }
            if let Some(v) = edit.get("place") {
                e.place = Some(v.clone()).filter(|v| !v.is_empty());
            }
        }
        out.push(e);
    }
    Ok(out)
}

pub(crate) fn case_record(
    db: &dyn Db,
    id: &str,
    name: String,
    edits: &Edits,
) -> Result<CaseRecord> {
    let name = edits
        .get(id)
        .and_then(|e| e.get("name").cloned())
        .unwrap_or(name);
    let defendants = strings(
        db,
        "SELECT DISTINCT ap.person FROM case_defendants d
           JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
          WHERE d.case_id = ?1 ORDER BY 1",
        id,
    )?;
    let events = strings(
        db,
        "SELECT event_id FROM case_events WHERE case_id = ?1 ORDER BY event_id",
        id,
    )?;
    let sources = sources(
        db,
        "SELECT s.article_id, s.text, s.start, s.\"end\", s.claim_id, c.state
           FROM case_sources s JOIN claims c ON c.id = s.claim_id
          WHERE s.case_id = ?1 ORDER BY s.article_id, s.seq",
        id,
    )?;
    let (names, reports) = case_reports(db, id)?;
    Ok(CaseRecord {
        id: id.to_string(),
        name,
        names,
        defendants,
        events,
        review: aggregate_review(&sources),
        sources,
        reports,
    })
}

/// Every name a case was reported under (most frequent first) and what each article put in.
fn case_reports(db: &dyn Db, id: &str) -> Result<(Vec<String>, Vec<CaseReportRecord>)> {
    let rows = pairs(
        db,
        "SELECT article_id, name FROM case_reports WHERE case_id = ?1 ORDER BY article_id, seq",
        args![id],
    )?;
    let defendants = pairs(
        db,
        "SELECT DISTINCT d.article_id, ap.person FROM case_defendants d
           JOIN article_persons ap ON ap.article_id = d.article_id AND ap.idx = d.person_idx
          WHERE d.case_id = ?1 ORDER BY 1, 2",
        args![id],
    )?;
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut reports: Vec<CaseReportRecord> = Vec::new();
    for (article, name) in rows {
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name.clone(), 1)),
        }
        if reports
            .iter()
            .any(|r| r.article == article && r.name == name)
        {
            continue;
        }
        let named: Vec<String> = defendants
            .iter()
            .filter(|(a, _)| *a == article)
            .map(|(_, p)| p.clone())
            .collect();
        reports.push(CaseReportRecord {
            article,
            name,
            defendants: named,
        });
    }
    // Most frequent first; a stable sort keeps first-reported order among equals.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    Ok((counts.into_iter().map(|(n, _)| n).collect(), reports))
}

pub(crate) fn count(db: &dyn Db, sql: &str) -> Result<u64> {
    db.one(sql, args![], "counting")
}

pub(crate) fn grouped(db: &dyn Db, sql: &str) -> Result<BTreeMap<String, u64>> {
    Ok(db
        .map(sql, args![], "counting", |r| Ok((r.get(0)?, r.get(1)?)))?
        .into_iter()
        .collect())
}

/// A source list's review: confirmed if any source is, rejected if all are, else suggested.
fn aggregate_review(sources: &[SourceRecord]) -> ReviewState {
    if sources.iter().any(|s| s.review == ReviewState::Confirmed) {
        ReviewState::Confirmed
    } else if !sources.is_empty() && sources.iter().all(|s| s.review == ReviewState::Rejected) {
        ReviewState::Rejected
    } else {
        ReviewState::Suggested
    }
}

/// Counts over the register; `schema_version` as the backend records it.
pub(crate) fn stats(db: &dyn Db, schema_version: u32) -> Result<Stats> {
    let mut persons_by_status: BTreeMap<String, u64> = BTreeMap::new();
    let mut persons = 0;
    each_person(db, &mut |p| {
        persons += 1;
        *persons_by_status
            .entry(p.status.as_str().to_string())
            .or_default() += 1;
        Ok(())
    })?;
    Ok(Stats {
        schema_version,
        originals: count(db, "SELECT COUNT(*) FROM originals")?,
        originals_bytes: count(
            db,
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM originals",
        )?,
        articles: count(db, "SELECT COUNT(*) FROM articles")?,
        persons,
        mentions: count(db, "SELECT COUNT(*) FROM mentions")?,
        events: count(db, "SELECT COUNT(*) FROM events")?,
        cases: count(db, "SELECT COUNT(*) FROM cases")?,
        events_by_type: grouped(db, "SELECT type, COUNT(*) FROM events GROUP BY type")?,
        persons_by_status,
        claims_by_state: grouped(db, "SELECT state, COUNT(*) FROM claims GROUP BY state")?,
        decisions: count(db, "SELECT COUNT(*) FROM decisions")?,
        audit_entries: count(db, "SELECT COUNT(*) FROM audit")?,
    })
}

/// Visits every (unmerged) person with at least one article, in id order.
pub(crate) fn each_person(
    db: &dyn Db,
    f: &mut dyn FnMut(PersonRecord) -> Result<()>,
) -> Result<()> {
    let edits = load_edits(db)?;
    let vis = load_visibility(db)?;
    db.query(
        "SELECT DISTINCT person FROM article_persons ORDER BY person",
        args![],
        "listing persons",
        &mut |r| f(person_record(db, &r.get::<String>(0)?, &edits, &vis)?),
    )
}

/// Visits every event, in id order, read `EVENT_BATCH` at a time.
pub(crate) fn each_event(db: &dyn Db, f: &mut dyn FnMut(EventRecord) -> Result<()>) -> Result<()> {
    let edits = load_edits(db)?;
    let mut batch = Vec::with_capacity(EVENT_BATCH);
    db.query(
        "SELECT id FROM events ORDER BY id",
        args![],
        "listing events",
        &mut |r| {
            batch.push(r.get::<String>(0)?);
            if batch.len() == EVENT_BATCH {
                for event in event_records(db, &batch, &edits)? {
                    f(event)?;
                }
                batch.clear();
            }
            Ok(())
        },
    )?;
    for event in event_records(db, &batch, &edits)? {
        f(event)?;
    }
    Ok(())
}

/// Visits every case, in id order.
pub(crate) fn each_case(db: &dyn Db, f: &mut dyn FnMut(CaseRecord) -> Result<()>) -> Result<()> {
    let edits = load_edits(db)?;
    db.query(
        "SELECT id, name FROM cases ORDER BY id",
        args![],
        "listing cases",
        &mut |r| f(case_record(db, &r.get::<String>(0)?, r.get(1)?, &edits)?),
    )
}
