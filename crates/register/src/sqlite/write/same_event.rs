//! The same-event rule at store time: a new report joins an event another article reported when
//! they share a victim and a type and their dates are compatible (the events stage's rule,
//! [`casebook_events::merge::dates_compatible`]); two undated reports join only when one article
//! is a syndicated copy of the other.
//!
//! Invariants: each victim's events of a type are read once per article (not once per report),
//! from `victim_events` (schema 166), so the read costs the events found, not the victim's
//! articles; an event is joined to the oldest matching event of the first victim that has one, so
//! the same reports give the same events whatever else the register holds.

use crate::error::Result;
use crate::sqlite::Ctx;
use casebook_events::merge::dates_compatible;
use casebook_model::FuzzyDate;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::path::Path;

/// An event as the same-event rule sees it.
#[derive(Debug, Clone)]
pub(super) struct KnownEvent {
    pub(super) id: String,
    pub(super) date: Option<String>,
    pub(super) created_at: String,
}

/// The events each victim of an article already has, read once per victim, type and article (not
/// once per event report): an article reports several events of the same few persons. Only the
/// ids come with the victim; an event's date and age are read when a new report may join it.
#[derive(Default)]
pub(super) struct VictimEvents {
    /// Per (victim, type): the ids of the events of that type they are a victim of, in no set order.
    by_victim: HashMap<(String, String), Vec<String>>,
    /// Events read so far, by id.
    events: HashMap<String, KnownEvent>,
}

/// True when one of these articles reports the event.
fn reported_by_any(
    conn: &Connection,
    path: &Path,
    event: &str,
    articles: &[String],
) -> Result<bool> {
    for article in articles {
        let found = conn
            .prepare_cached(
                "SELECT 1 FROM event_sources WHERE article_id = ?1 AND event_id = ?2 LIMIT 1",
            )
            .and_then(|mut s| s.exists(params![article, event]))
            .ctx(path, || "looking up an event's reports".into())?;
        if found {
            return Ok(true);
        }
    }
    Ok(false)
}

impl VictimEvents {
    /// The victim's events of one type, oldest first (by creation, then id).
    fn of_type(
        &mut self,
        conn: &Connection,
        path: &Path,
        victim: &str,
        event_type: &str,
    ) -> Result<Vec<KnownEvent>> {
        let key = (victim.to_string(), event_type.to_string());
        if !self.by_victim.contains_key(&key) {
            let known: Vec<String> = conn
                .prepare_cached(
                    "SELECT event_id FROM victim_events WHERE person = ?1 AND type = ?2",
                )
                .and_then(|mut s| {
                    s.query_map(params![victim, event_type], |r| r.get(0))?
                        .collect::<std::result::Result<Vec<_>, _>>()
                })
                .ctx(path, || "reading a person's events".into())?;
            self.by_victim.insert(key.clone(), known);
        }
        let ids: Vec<String> = self.by_victim.get(&key).cloned().unwrap_or_default();
        let mut events = Vec::with_capacity(ids.len());
        for id in ids {
            events.push(self.event(conn, path, &id)?);
        }
        events.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Ok(events)
    }

    /// An event's date and creation time, read once.
    fn event(&mut self, conn: &Connection, path: &Path, id: &str) -> Result<KnownEvent> {
        if let Some(known) = self.events.get(id) {
            return Ok(known.clone());
        }
        let known = conn
            .prepare_cached("SELECT date, created_at FROM events WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok(KnownEvent {
                        id: id.to_string(),
                        date: r.get(0)?,
                        created_at: r.get(1)?,
                    })
                })
            })
            .ctx(path, || "reading an event".into())?;
        self.events.insert(id.to_string(), known.clone());
        Ok(known)
    }

    /// Another report of the same event: same type, a shared victim, compatible dates (the events
    /// stage's rule), the oldest such event of the first victim that has one. Two undated reports
    /// say too little to be one event, unless the other one comes from a syndicated copy of this
    /// article (`near`: its near-duplicates), which reports the same events. Events without named
    /// victims cannot be told apart; they stay alone.
    pub(super) fn find(
        &mut self,
        conn: &Connection,
        path: &Path,
        victims: &[&str],
        event: &casebook_model::Event,
        day_window: i64,
        near: &[String],
    ) -> Result<Option<KnownEvent>> {
        for victim in victims {
            let mut undated = Vec::new();
            for k in self.of_type(conn, path, victim, &event.event_type)? {
                let known_date = k.date.as_deref().and_then(FuzzyDate::parse);
                if known_date.is_none() && event.date.is_none() {
                    if !near.is_empty() {
                        undated.push(k);
                    }
                } else if dates_compatible(known_date, event.date, day_window) {
                    return Ok(Some(k));
                }
            }
            for k in undated {
                if reported_by_any(conn, path, &k.id, near)? {
                    return Ok(Some(k));
                }
            }
        }
        Ok(None)
    }

    /// Notes that the victims now have event `id` of this type (found, created, or already
    /// stored under its id); `created` gives a new event's date and creation time.
    pub(super) fn record(
        &mut self,
        victims: &[&str],
        id: &str,
        event_type: &str,
        created: Option<KnownEvent>,
    ) {
        if let Some(known) = created {
            self.events.insert(id.to_string(), known);
        }
        for victim in victims {
            // A victim not read yet for this type reads the event from the store when it is.
            let key = (victim.to_string(), event_type.to_string());
            if let Some(known) = self.by_victim.get_mut(&key) {
                if !known.iter().any(|k| k == id) {
                    known.push(id.to_string());
                }
            }
        }
    }

    /// A report joined event `id` and its date may have changed: read it again when needed.
    pub(super) fn reconciled(&mut self, id: &str) {
        self.events.remove(id);
    }
}
