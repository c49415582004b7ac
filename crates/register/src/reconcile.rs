//! One event reported by several articles: each article's own values are kept (in its row of
//! `event_sources`), and the event's date, place and details are reconciled from all of them by the events stage's
//! rules ([`casebook_events::merge::reconcile_reports`]: the most precise, best-supported value).
//! Where the reports disagree, every value stays visible with the articles that give it.

use crate::error::Result;
use crate::sqlite::Ctx;
use crate::types::{ConflictRecord, ConflictValue};
use casebook_events::merge::{reconcile_reports, SourcedEvent};
use casebook_model::{Evidence, FuzzyDate};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::path::Path;

/// One stored report: article, date, place, details (JSON), claiming party, victims (article person
/// indices, JSON) and each victim's own details (JSON, by article person index).
type ReportRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
);

/// Recomputes an event's date, place, details, each victim's details, claim and conflicts from all
/// its reports; details are reconciled victim by victim, so co-defendants' different terms are no
/// disagreement.
pub(crate) fn reconcile(conn: &Connection, path: &Path, event_id: &str) -> Result<()> {
    let err = || format!("reconciling the reports of event {event_id}");
    let rows: Vec<ReportRow> = conn
        .prepare_cached(
            "SELECT article_id, date, place, details_json, claimed_by, victims_json, victim_details_json
               FROM event_sources WHERE event_id = ?1 ORDER BY article_id, seq",
        )
        .and_then(|mut s| {
            s.query_map([event_id], |r| r.try_into())?
            .collect::<std::result::Result<Vec<_>, _>>()
        })
        .ctx(path, err)?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut person_of = conn
        .prepare_cached("SELECT person FROM article_persons WHERE article_id = ?1 AND idx = ?2")
        .ctx(path, err)?;
    let mut reports: Vec<SourcedEvent> = Vec::with_capacity(rows.len());
    for (article, date, place, details, claimed_by, victims, victim_details) in &rows {
        let indices: Vec<usize> = serde_json::from_str(victims).unwrap_or_default();
        let own: BTreeMap<usize, BTreeMap<String, String>> = victim_details
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        let mut ids = Vec::with_capacity(indices.len());
        let mut by_id = BTreeMap::new();
        for i in indices {
            let id: Option<String> = person_of
                .query_row(params![article, i as i64], |r| r.get(0))
                .optional()
                .ctx(path, err)?;
            if let Some(id) = id {
                if let Some(d) = own.get(&i) {
                    by_id.insert(id.clone(), d.clone());
                }
                ids.push(id);
            }
        }
        reports.push(SourcedEvent {
            event_type: String::new(),
            victims: ids,
            victim_group: None,
            perpetrators: Vec::new(),
            date: date.as_deref().and_then(FuzzyDate::parse),
            place: place.clone(),
            details: serde_json::from_str(details).unwrap_or_default(),
            victim_details: by_id,
            claimed_by: claimed_by.clone(),
            evidence: Evidence {
                article: article.clone(),
                text: String::new(),
                start: 0,
                end: 0,
            },
        });
    }
    let merged = reconcile_reports(&reports);
    let conflicts = conflict_records(&reports, &merged.conflicts);
    conn.prepare_cached(
        "UPDATE events SET date = ?2, place = ?3, details_json = ?4, claimed_by = ?5, conflicts_json = ?6,
                victim_details_json = ?7
          WHERE id = ?1",
    )
    .and_then(|mut s| {
        s.execute(params![
            event_id,
            merged.date.map(|d| d.to_string()),
            merged.place,
            serde_json::to_string(&merged.details).unwrap_or_else(|_| "{}".into()),
            merged.claimed_by,
            serde_json::to_string(&conflicts).unwrap_or_else(|_| "[]".into()),
            (!merged.victim_details.is_empty())
                .then(|| serde_json::to_string(&merged.victim_details).unwrap_or_default()),
        ])
    })
    .ctx(path, err)?;
    Ok(())
}

/// The value a report gives for a conflicting field, about `person` when the field is a victim's.
fn value_of(report: &SourcedEvent, field: &str, person: Option<&str>) -> Option<String> {
    match (field, person) {
        ("date", None) => report.date.map(|d| d.to_string()),
        ("place", None) => report.place.clone(),
        (key, Some(p)) => {
            if !report.victims.iter().any(|v| v == p) {
                return None;
            }
            report
                .victim_details
                .get(p)
                .and_then(|d| d.get(key))
                .or_else(|| report.details.get(key))
                .cloned()
        }
        (key, None) => report.details.get(key).cloned(),
    }
}

/// Each conflicting field with each value and the articles that report it.
fn conflict_records(
    reports: &[SourcedEvent],
    conflicts: &[casebook_events::merge::Conflict],
) -> Vec<ConflictRecord> {
    conflicts
        .iter()
        .map(|c| {
            let mut by_value: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for r in reports {
                if let Some(v) = value_of(r, &c.field, c.person.as_deref()) {
                    let articles = by_value.entry(v).or_default();
                    if !articles.contains(&r.evidence.article) {
                        articles.push(r.evidence.article.clone());
                    }
                }
            }
            ConflictRecord {
                field: c.field.clone(),
                person: c.person.clone(),
                values: by_value
                    .into_iter()
                    .map(|(value, articles)| ConflictValue { value, articles })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(article: &str, date: &str, term: &str) -> SourcedEvent {
        SourcedEvent {
            event_type: "sentence".into(),
            victims: vec![],
            victim_group: None,
            perpetrators: vec![],
            date: FuzzyDate::parse(date),
            place: None,
            details: BTreeMap::from([("term".to_string(), term.to_string())]),
            victim_details: Default::default(),
            claimed_by: None,
            evidence: Evidence {
                article: article.into(),
                text: String::new(),
                start: 0,
                end: 0,
            },
        }
    }

    #[test]
    fn every_conflicting_value_names_its_articles() {
        let reports = [
            report("a1", "2024-05-14", "13 years"),
            report("a2", "2024-05-15", "13 years"),
            report("a3", "2024-05-14", "12 years"),
        ];
        let merged = reconcile_reports(&reports);
        let records = conflict_records(&reports, &merged.conflicts);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].field, "date");
        assert_eq!(records[0].values[0].value, "2024-05-14");
        assert_eq!(records[0].values[0].articles, vec!["a1", "a3"]);
        assert_eq!(records[1].field, "term");
        assert_eq!(records[1].values[1].value, "13 years");
        assert_eq!(records[1].values[1].articles, vec!["a1", "a2"]);
    }
}
