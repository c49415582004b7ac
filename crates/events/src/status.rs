//! A person's status and timeline from their dated events (pure; no I/O).
//!
//! The status is the one the latest evidenced event implies; the mapping from event type to status,
//! the types that leave a known status unchanged (a trial of a detained person) and the order of the
//! steps of a prosecution (for events of the same date) are in `data/taxonomy.toml`.

use crate::data::TAXONOMY;
use crate::merge::MergedEvent;
use casebook_model::{Event, FuzzyDate, Status};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// What status and timeline need from an event.
pub trait Dated {
    /// The taxonomy type id.
    fn event_type(&self) -> &str;
    /// The event's date, if known.
    fn date(&self) -> Option<FuzzyDate>;
    /// A detail value (`regime`, `measure`, …).
    fn detail(&self, key: &str) -> Option<&str>;
}

/// [`Dated`] for the event types that keep it in the same three fields (`event_type`, `date`,
/// `details`): one body for all of them.
macro_rules! dated_by_fields {
    ($($t:ty),*) => {$(
        impl Dated for $t {
            fn event_type(&self) -> &str {
                &self.event_type
            }
            fn date(&self) -> Option<FuzzyDate> {
                self.date
            }
            fn detail(&self, key: &str) -> Option<&str> {
                self.details.get(key).map(String::as_str)
            }
        }
    )*};
}

dated_by_fields!(Event, DatedEvent, MergedEvent);

/// An event reduced to what status and timeline need, for callers that hold their events in
/// another form (the register's stored events).
#[derive(Debug, Clone, PartialEq)]
pub struct DatedEvent {
    pub event_type: String,
    pub date: Option<FuzzyDate>,
    pub details: BTreeMap<String, String>,
}

fn stage(event_type: &str) -> u32 {
    TAXONOMY.get(event_type).map_or(0, |t| t.stage)
}

/// Orders two events in time: by the start of their dates (a month before its days), then by the step of
/// the prosecution they are; undated events after all dated ones.
fn chronological<E: Dated>(a: &E, b: &E) -> Ordering {
    let key = |d: Option<FuzzyDate>| d.map(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)));
    match (a.date(), b.date()) {
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => key(a.date()).cmp(&key(b.date())),
    }
    .then_with(|| stage(a.event_type()).cmp(&stage(b.event_type())))
}

/// The events sorted by date (undated last), earliest first.
pub fn timeline<E: Dated>(events: &[E]) -> Vec<&E> {
    let mut out: Vec<&E> = events.iter().collect();
    out.sort_by(|a, b| chronological(*a, *b));
    out
}

/// The status one event implies, after the taxonomy's detail overrides.
fn implied<E: Dated>(event: &E) -> Option<(Status, bool, bool)> {
    let def = TAXONOMY.get(event.event_type())?;
    let status = def
        .status_when
        .iter()
        .find(|w| event.detail(&w.key) == Some(w.value.as_str()))
        .map_or(def.status.as_str(), |w| w.status.as_str());
    Some((Status::parse(status)?, def.keeps_status, def.terminal))
}

/// The person's status from their events: undated events first (they happened some time), then dated
/// ones in order, each setting the status it implies unless its type keeps an already known one; a
/// terminal event (death) wins whenever it is dated. `Unknown` when no event is evidenced.
pub fn status<E: Dated>(events: &[E]) -> Status {
    let mut ordered = timeline(events);
    let undated = ordered
        .iter()
        .position(|e| e.date().is_none())
        .unwrap_or(ordered.len());
    ordered.rotate_left(undated);
    let mut current: Option<Status> = None;
    for e in ordered {
        let Some((implied, keeps, terminal)) = implied(e) else {
            continue;
        };
        if terminal {
            return implied;
        }
        if !(keeps && current.is_some()) {
            current = Some(implied);
        }
    }
    current.unwrap_or(Status::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E(
        &'static str,
        Option<&'static str>,
        &'static [(&'static str, &'static str)],
    );

    impl Dated for E {
        fn event_type(&self) -> &str {
            self.0
        }
        fn date(&self) -> Option<FuzzyDate> {
            self.1.and_then(FuzzyDate::parse)
        }
        fn detail(&self, key: &str) -> Option<&str> {
            self.2.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
        }
    }

    #[test]
    fn latest_event_decides() {
        let events = [
            E("sentence", Some("2022-09-21"), &[("regime", "strict")]),
            E("detention", Some("2021-09-04"), &[]),
            E("exchange", Some("2023-06-25"), &[]),
        ];
        assert_eq!(status(&events), Status::Exchanged);
        assert_eq!(status(&events[..2]), Status::ServingSentence);
        assert_eq!(status(&events[1..2]), Status::PreTrialDetention);
        assert_eq!(status::<E>(&[]), Status::Unknown);
    }

    #[test]
    fn events_that_keep_status_and_overrides() {
        let detained_then_tried = [
            E("detention", Some("2021-09"), &[]),
            E("trial", Some("2022-01"), &[]),
        ];
        assert_eq!(status(&detained_then_tried), Status::PreTrialDetention);
        assert_eq!(
            status(&[E("search", Some("2023-02-01"), &[])]),
            Status::UnderPersecution
        );
        assert_eq!(
            status(&[E("sentence", Some("2023"), &[("regime", "suspended")])]),
            Status::Restricted
        );
        assert_eq!(
            status(&[E(
                "arrest_custody",
                Some("2023"),
                &[("measure", "house_arrest")]
            )]),
            Status::Restricted
        );
        assert_eq!(
            status(&[E("abduction_disappearance", Some("2022-03-16"), &[])]),
            Status::Disappeared
        );
        assert_eq!(
            status(&[
                E("abduction_disappearance", Some("2022-03-16"), &[]),
                E("detention", Some("2022-03-20"), &[])
            ]),
            Status::PreTrialDetention
        );
    }

    #[test]
    fn death_is_final_and_undated_events_come_first() {
        assert_eq!(
            status(&[
                E("death", None, &[]),
                E("transfer", Some("2020-05"), &[]),
                E("sentence", Some("2019"), &[])
            ]),
            Status::Deceased
        );
        assert_eq!(
            status(&[
                E("release", None, &[]),
                E("detention", Some("2020-05"), &[])
            ]),
            Status::PreTrialDetention
        );
    }

    #[test]
    fn timeline_sorts_dated_then_undated_and_same_day_by_stage() {
        let events = [
            E("torture", None, &[]),
            E("arrest_custody", Some("2021-09-06"), &[]),
            E("detention", Some("2021-09-04"), &[]),
            E("search", Some("2021-09-04"), &[]),
            E("charge", Some("2021-09"), &[]),
        ];
        let order: Vec<&str> = timeline(&events).iter().map(|e| e.0).collect();
        assert_eq!(
            order,
            vec!["charge", "search", "detention", "arrest_custody", "torture"]
        );
    }
}
