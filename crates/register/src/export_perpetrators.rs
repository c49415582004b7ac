//! The perpetrators of the events an export holds, gathered as the events are written:
//! `perpetrators.csv` (who, their role, how many events, when, the institutions named beside
//! them) and the FollowTheMoney entities sanctions tooling reads (`Person` with its `position`,
//! `Organization`, `Employment` between a person and the body named beside them).
//!
//! Invariant: only events the export writes are counted, so a public export lists the
//! perpetrators of confirmed events only.

use crate::error::{RegisterError, Result};
use crate::perpetrator_spellings::PerpetratorSpellings;
use crate::types::EventRecord;
use casebook_events::perpetrator::Perpetrator;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Default)]
struct Entry {
    events: u64,
    first: Option<String>,
    last: Option<String>,
    /// The spellings the exported events use, with how often.
    spellings: BTreeMap<String, u64>,
    /// Institutions (by their group's spelling) named in the same events, with how often.
    beside: BTreeMap<String, u64>,
}

impl Entry {
    /// The spelling the exported events use most: the one shown.
    fn shown(&self) -> &str {
        self.spellings
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("", |(t, _)| t.as_str())
    }
}

/// Perpetrators by their group of spellings (keyed by the register's spelling of the group).
pub(crate) struct PerpetratorList {
    spellings: PerpetratorSpellings,
    by_group: BTreeMap<String, Entry>,
}

impl PerpetratorList {
    /// An empty list that groups spellings as the register does.
    pub(crate) fn new(spellings: PerpetratorSpellings) -> Self {
        PerpetratorList {
            spellings,
            by_group: BTreeMap::new(),
        }
    }

    /// The FollowTheMoney id of the perpetrator written `text`: one per group of spellings.
    pub(crate) fn ftm_id(&self, text: &str) -> String {
        crate::stable_id("perp", &[self.spellings.canonical(text)])
    }

    /// Counts an event the export writes.
    pub(crate) fn add(&mut self, e: &EventRecord) {
        let groups: BTreeSet<&str> = e
            .perpetrators
            .iter()
            .map(|p| self.spellings.canonical(p))
            .collect();
        let institutions: Vec<&str> = groups
            .iter()
            .copied()
            .filter(|p| Perpetrator::read(p).role().is_none())
            .collect();
        for group in &groups {
            let entry = self.by_group.entry(group.to_string()).or_default();
            entry.events += 1;
            if let Some(d) = &e.date {
                if entry.first.as_ref().is_none_or(|f| d < f) {
                    entry.first = Some(d.clone());
                }
                if entry.last.as_ref().is_none_or(|l| d > l) {
                    entry.last = Some(d.clone());
                }
            }
            for i in institutions.iter().filter(|i| *i != group) {
                *entry.beside.entry(i.to_string()).or_default() += 1;
            }
        }
        for p in &e.perpetrators {
            let group = self.spellings.canonical(p);
            if let Some(entry) = self.by_group.get_mut(group) {
                *entry.spellings.entry(p.clone()).or_default() += 1;
            }
        }
    }

    /// The shown spelling of the group keyed `group`.
    fn shown<'a>(&'a self, group: &'a str) -> &'a str {
        self.by_group.get(group).map_or(group, Entry::shown)
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
                "other_spellings",
            ],
        )?;
        let list = |items: Vec<&str>| items.join(crate::export::CSV_LIST_SEPARATOR);
        for e in self.by_group.values() {
            let text = e.shown();
            let p = Perpetrator::read(text);
            let row = [
                text.to_string(),
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
                list(e.beside.keys().map(|g| self.shown(g)).collect()),
                list(
                    e.spellings
                        .keys()
                        .map(String::as_str)
                        .filter(|t| *t != text)
                        .collect(),
                ),
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
        for (group, e) in &self.by_group {
            let shown = Perpetrator::read(e.shown());
            let id = self.ftm_id(group);
            let readings: Vec<Perpetrator> =
                e.spellings.keys().map(|t| Perpetrator::read(t)).collect();
            let aliases: BTreeSet<&str> = readings
                .iter()
                .map(Perpetrator::name)
                .filter(|n| *n != shown.name())
                .collect();
            let mut properties = json!({"name": [shown.name()]});
            if !aliases.is_empty() {
                properties["alias"] = json!(aliases);
            }
            match shown.role() {
                Some(_) => {
                    let roles: BTreeSet<&str> =
                        readings.iter().filter_map(Perpetrator::role).collect();
                    properties["position"] = json!(roles);
                    out.push(json!({"id": id, "schema": "Person", "properties": properties}));
                    for body in e.beside.keys() {
                        out.push(json!({
                            "id": crate::stable_id("employment", &[group, body]),
                            "schema": "Employment",
                            "properties": {"employee": [id], "employer": [self.ftm_id(body)], "role": roles},
                        }));
                    }
                }
                None => {
                    out.push(json!({"id": id, "schema": "Organization", "properties": properties}))
                }
            }
        }
        out
    }
}
