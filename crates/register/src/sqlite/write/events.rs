//! Storing an article's events: each report either joins an event another article reported (the
//! same-event rule of [`super::same_event`]) or starts one; its source row keeps what this article
//! says, and a joined event's values are reconciled from all its reports.
//!
//! Invariants: an event's victims are effective register persons of this article; each report has
//! an event claim whose evidence is the reporting sentence; a report that joins an event never
//! overwrites it, the reconciliation decides (conflicts are kept).

use super::same_event::{KnownEvent, VictimEvents};
use super::{insert_claim, ArticleTx, ClaimRow};
use crate::error::{RegisterError, Result};
use crate::sqlite::{to_json, Ctx};
use crate::stable_id;
use crate::types::ClaimKind;
use crate::AnalysedArticle;
use casebook_model::{ArticlePeople, Event};
use rusqlite::params;
use std::collections::{BTreeMap, BTreeSet};

/// The register events of an article's event reports.
pub(super) struct StoredEvents {
    /// The register event of each report, by index, with the report's victims (article persons).
    pub(super) ids: Vec<(String, BTreeSet<usize>)>,
    /// How many register events this article added.
    pub(super) new_events: usize,
}

/// Stores each event report of the article, in order.
pub(super) fn write_events(
    tx: &ArticleTx,
    analysed: &AnalysedArticle,
    effective: &[String],
    near: &[String],
) -> Result<StoredEvents> {
    let mut stored = StoredEvents {
        ids: Vec::new(),
        new_events: 0,
    };
    let day_window = casebook_events::merge::MergeOptions::default().day_window;
    let mut victim_events = VictimEvents::default();
    for (seq, event) in analysed.events.events.iter().enumerate() {
        let mut victims: Vec<&str> = Vec::new();
        for &v in &event.victims {
            victims.push(effective.get(v).map(String::as_str).ok_or_else(|| {
                RegisterError::Invalid(format!(
                    "article {}: event {seq} points to person {v} of {}",
                    tx.article,
                    effective.len()
                ))
            })?);
        }
        victims.sort_unstable();
        victims.dedup();
        let date = event.date.map(|d| d.to_string());
        // Another article's report of the same event: same type, a shared victim, compatible dates
        // (the events stage's rule). Events without named victims cannot be told apart; they stay alone.
        let found = victim_events.find(tx.conn, tx.path, &victims, event, day_window, near)?;
        let id = found.as_ref().map(|k| k.id.clone());
        let id = id
            .unwrap_or_else(|| stable_id("e", &[tx.article, &seq.to_string(), &event.event_type]));
        let created = insert_event(tx, &id, event, date.as_deref(), effective)?;
        stored.new_events += created;
        let created_event = (created > 0).then(|| KnownEvent {
            id: id.clone(),
            date: date.clone(),
            created_at: tx.at.to_string(),
        });
        victim_events.record(&victims, &id, &event.event_type, created_event);
        let claim = insert_report(tx, seq, &id, event, date.as_deref())?;
        if created == 0 {
            // A later report joins the event: date, place and details reconcile, disagreements stay.
            crate::reconcile::reconcile(tx.conn, tx.path, &id)?;
            victim_events.reconciled(&id);
        }
        let ev = &event.evidence;
        insert_claim(
            tx.conn,
            tx.path,
            &ClaimRow {
                id: &claim,
                kind: ClaimKind::Event,
                subject: &id,
                article: tx.article,
                start: Some(ev.start),
                end: Some(ev.end),
                summary: &summary(event, &analysed.people, date.as_deref()),
                version: tx.version,
                at: tx.at,
            },
        )?;
        stored
            .ids
            .push((id, event.victims.iter().copied().collect()));
    }
    Ok(stored)
}

/// The event row, unless an event with this id is stored; returns 1 when it was created, else 0.
fn insert_event(
    tx: &ArticleTx,
    id: &str,
    event: &Event,
    date: Option<&str>,
    effective: &[String],
) -> Result<usize> {
    // Each victim's own details, by register person id.
    let victim_details: BTreeMap<&str, &BTreeMap<String, String>> = event
        .victim_details
        .iter()
        .filter_map(|(&p, d)| Some((effective.get(p)?.as_str(), d)))
        .collect();
    let victim_details = (!victim_details.is_empty()).then(|| to_json(&victim_details));
    tx.conn
        .prepare_cached(
            "INSERT OR IGNORE INTO events (id, type, date, place, details_json, claimed_by, created_at,
                 victim_details_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                event.event_type,
                date,
                event.place,
                to_json(&event.details),
                event.claimed_by,
                tx.at,
                victim_details,
            ])
        })
        .ctx(tx.path, tx.err())
}

/// The report: its evidence and what this article says of the event (date, place, details,
/// claim, victims, perpetrators), which the event's own values come from. Returns its claim id.
fn insert_report(
    tx: &ArticleTx,
    seq: usize,
    id: &str,
    event: &Event,
    date: Option<&str>,
) -> Result<String> {
    let ev = &event.evidence;
    let claim = stable_id(
        "c",
        &[
            "event",
            tx.article,
            &seq.to_string(),
            &event.event_type,
            &ev.start.to_string(),
        ],
    );
    tx.conn
        .prepare_cached(
            "INSERT INTO event_sources (article_id, seq, event_id, text, start, \"end\", claim_id,
               date, place, details_json, claimed_by, victims_json, perpetrators_json, type,
               victim_details_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .and_then(|mut s| {
            s.execute(params![
                tx.article,
                seq as i64,
                id,
                ev.text,
                ev.start as i64,
                ev.end as i64,
                claim,
                date,
                event.place,
                to_json(&event.details),
                event.claimed_by,
                to_json(&event.victims),
                to_json(&event.perpetrators),
                event.event_type,
                (!event.victim_details.is_empty()).then(|| to_json(&event.victim_details)),
            ])
        })
        .ctx(tx.path, tx.err())?;
    Ok(claim)
}

/// The event claim's summary: type, victims' names, date and place.
fn summary(event: &Event, people: &ArticlePeople, date: Option<&str>) -> String {
    let victim_names: Vec<&str> = event
        .victims
        .iter()
        .filter_map(|&v| people.persons.get(v).map(|p| p.name.as_str()))
        .collect();
    let mut summary = event.event_type.clone();
    if !victim_names.is_empty() {
        summary.push_str(&format!(" of {}", victim_names.join(", ")));
    }
    if let Some(d) = date {
        summary.push_str(&format!(" on {d}"));
    }
    if let Some(p) = &event.place {
        summary.push_str(&format!(" in {p}"));
    }
    summary
}
