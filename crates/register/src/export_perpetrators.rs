//! The perpetrators of the events an export holds, gathered as the events are written:
//! `perpetrators.csv` (who, their role, how many events, when, the institutions named beside
//! them) and the FollowTheMoney entities sanctions tooling reads (`Person` with its `position`,
//! `Organization`, `Employment` between a person and the body named beside them).
//!
//! Invariant: only events the export writes are counted, so a public export lists the
//! perpetrators of confirmed events only.

use crate::error::{RegisterError, Result};
use crate::types::EventRecord;
use casebook_events::perpetrator::Perpetrator;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Default)]
struct Entry {
    events: u64,
    first: Option<String>,
    last: Option<String>,
    /// Institutions named in the same events, with how often.
    beside: BTreeMap<String, u64>,
}

/// Perpetrators by the text the events stage wrote.
#[derive(Default)]
pub(crate) struct PerpetratorList {
    by_text: BTreeMap<String, Entry>,
}

/// The FollowTheMoney id of a perpetrator.
pub(crate) fn ftm_id(text: &str) -> String {
    crate::stable_id("perp", &[text])
}

impl PerpetratorList {
    /// Counts an event the export writes.
    pub(crate) fn add(&mut self, e: &EventRecord) {
        let institutions: Vec<&String> = e
            .perpetrators
            .iter()
            .filter(|p| Perpetrator::read(p).role().is_none())
            .collect();
        for p in &e.perpetrators {
            let entry = self.by_text.entry(p.clone()).or_default();
            entry.events += 1;
            if let Some(d) = &e.date {
                if entry.first.as_ref().is_none_or(|f| d < f) {
                    entry.first = Some(d.clone());
                }
                if entry.last.as_ref().is_none_or(|l| d > l) {
                    entry.last = Some(d.clone());
                }
            }
            for i in institutions.iter().filter(|i| **i != p) {
                *entry.beside.entry((*i).clone()).or_default() += 1;
            }
        }
    }

    /// `perpetrators.csv` in `dir`.
    pub(crate) fn write_csv(&self, dir: &Path) -> Result<()> {
        let mut w = crate::export::csv_writer(
            dir,
            "perpetrators.csv",
            &[
                "perpetrator",
                "name",
                "kind",
                "role",
                "events",
                "first_date",
                "last_date",
                "institutions",
            ],
        )?;
        for (text, e) in &self.by_text {
            let p = Perpetrator::read(text);
            let row = [
                text.clone(),
                p.name().to_string(),
                if p.role().is_some() {
                    "person"
                } else {
                    "institution"
                }
                .to_string(),
                p.role().unwrap_or_default().to_string(),
                e.events.to_string(),
                e.first.clone().unwrap_or_default(),
                e.last.clone().unwrap_or_default(),
                e.beside
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(crate::export::CSV_LIST_SEPARATOR),
            ];
            crate::export::csv_row(&mut w, &row)?;
        }
        w.flush().map_err(|source| RegisterError::Io {
            context: "writing perpetrators.csv".into(),
            source,
        })
    }

    /// The FollowTheMoney entities of the perpetrators and of who served which body.
    pub(crate) fn ftm_entities(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for (text, e) in &self.by_text {
            let p = Perpetrator::read(text);
            let id = ftm_id(text);
            match p.role() {
                Some(role) => {
                    out.push(json!({"id": id, "schema": "Person", "properties": {"name": [p.name()], "position": [role]}}));
                    for body in e.beside.keys() {
                        out.push(json!({
                            "id": crate::stable_id("employment", &[text, body]),
                            "schema": "Employment",
                            "properties": {"employee": [id], "employer": [ftm_id(body)], "role": [role]},
                        }));
                    }
                }
                None => out.push(
                    json!({"id": id, "schema": "Organization", "properties": {"name": [p.name()]}}),
                ),
            }
        }
        out
    }
}
