//! Watchlists and what an ingest reports, and the pure matching of one against the other: people
//! (in any script and spelling, by the register's own name score), event types and places → alert
//! drafts, each with a deduplication key so one story raises one alert.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A person as the register resolved them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedPerson {
    /// Register person id.
    pub id: String,
    /// The name as this article writes it.
    pub name: String,
    /// Every other spelling the register knows for the person.
    #[serde(default)]
    pub other_names: Vec<String>,
}

/// An event the register holds after storing an article that reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedEvent {
    /// Register event id: an earlier report of the same event (a syndicated copy) gives the same id.
    pub id: String,
    pub event_type: String,
    pub date: Option<String>,
    pub place: Option<String>,
    pub victims: Vec<ReportedPerson>,
    /// The sentence of the article that reports the event.
    pub evidence: String,
    /// True when this article brought the event into the register.
    pub is_new: bool,
}

/// One article the sink stored. Only articles new to the register are reported, so every
/// person–article link in one is new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedArticle {
    /// Register article id.
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub persons: Vec<ReportedPerson>,
    pub events: Vec<ReportedEvent>,
    /// Register ids of the articles this one is a syndicated copy of (near-duplicates).
    #[serde(default)]
    pub near_duplicates: Vec<String>,
}

/// What the sink did with one fetched page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Lower-case hex SHA-256 of the page bytes as archived.
    pub original_sha256: String,
    /// Articles newly stored from the page (none when it was stored before).
    pub articles: Vec<ReportedArticle>,
    /// Why parts of the page gave no article.
    pub failures: Vec<String>,
}

/// What a watch looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchKind {
    /// A person, matched in any script and spelling.
    Person,
    /// Every new event of a type of the taxonomy (`detention`, `disappearance`, …).
    EventType,
    /// Every new event at a place.
    Place,
}

impl WatchKind {
    /// The word stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchKind::Person => "person",
            WatchKind::EventType => "event_type",
            WatchKind::Place => "place",
        }
    }

    /// Reads the stored word back.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Person, Self::EventType, Self::Place]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl fmt::Display for WatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One entry of a watchlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    pub id: i64,
    pub kind: WatchKind,
    /// The name, event type or place watched for, as typed.
    pub value: String,
}

/// An alert before it is stored: the store keeps the first draft of each `dedup_key` only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDraft {
    pub watch_id: i64,
    /// `w<watch>:event:<event id>`, or `w<watch>:person:<person id>:<article id>` for a watched
    /// person named without an event: a syndicated copy of a story reports the same register event,
    /// so it gives the same key and no second alert.
    pub dedup_key: String,
    pub title: String,
    pub summary: String,
    pub person_id: Option<String>,
    pub event_id: Option<String>,
    pub event_type: Option<String>,
    /// The article that holds the evidence.
    pub article_id: String,
    /// The page the article was read from.
    pub url: Option<String>,
    /// The sentence that reports the fact, when there is one.
    pub evidence: Option<String>,
    /// The keys the same alert has for the article's syndicated copies: an alert stored under any
    /// of them already says it, so a story copied by several outlets raises one alert.
    #[serde(default)]
    pub same_story_keys: Vec<String>,
}

/// Whether a watched name and a reported person are one person, by the register's name score.
fn person_matches(watched: &str, person: &ReportedPerson) -> bool {
    std::iter::once(&person.name)
        .chain(&person.other_names)
        .any(|name| casebook_names::score(watched, name).is_match())
}

/// Event types are compared without case and with `-`, `_` and spaces as one.
fn same_event_type(watched: &str, event_type: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase().replace(['-', ' '], "_");
    norm(watched) == norm(event_type)
}

/// A place matches when its key (script- and spelling-free, as for names) equals the watched
/// place's or holds it as whole words (`Bakhchysarai district` for `Бахчисарай`).
fn place_matches(watched: &str, place: &str) -> bool {
    let watched = casebook_names::key(watched);
    let place = casebook_names::key(place);
    if watched.is_empty() {
        return false;
    }
    place == watched || format!(" {place} ").contains(&format!(" {watched} "))
}

fn victims_phrase(victims: &[ReportedPerson]) -> String {
    match victims {
        [] => "unnamed people".to_string(),
        [one] => one.name.clone(),
        many => many
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn event_title(event: &ReportedEvent) -> String {
    let mut title = format!(
        "{} of {}",
        event.event_type.replace('_', " "),
        victims_phrase(&event.victims)
    );
    if let Some(place) = &event.place {
        title.push_str(&format!(" in {place}"));
    }
    if let Some(date) = &event.date {
        title.push_str(&format!(" ({date})"));
    }
    title
}

/// The alerts one newly stored article raises for the watchlist.
pub fn match_article(watches: &[Watch], article: &ReportedArticle) -> Vec<AlertDraft> {
    let mut drafts = Vec::new();
    let event_draft = |watch: &Watch, event: &ReportedEvent, person: Option<&ReportedPerson>| {
        let why = match (watch.kind, person) {
            (WatchKind::Person, Some(p)) if p.name != watch.value => {
                format!("watched person {} (reported as {})", watch.value, p.name)
            }
            (WatchKind::Person, _) => format!("watched person {}", watch.value),
            (WatchKind::EventType, _) => format!("watched event type {}", watch.value),
            (WatchKind::Place, _) => format!("watched place {}", watch.value),
        };
        AlertDraft {
            watch_id: watch.id,
            dedup_key: format!("w{}:event:{}", watch.id, event.id),
            title: event_title(event),
            summary: format!("{why}: {}", event.evidence),
            person_id: person.map(|p| p.id.clone()),
            event_id: Some(event.id.clone()),
            event_type: Some(event.event_type.clone()),
            article_id: article.id.clone(),
            url: article.url.clone(),
            evidence: Some(event.evidence.clone()),
            // One register event is one key whichever copy reports it.
            same_story_keys: Vec::new(),
        }
    };
    for watch in watches {
        match watch.kind {
            WatchKind::Person => {
                let matched: Vec<&ReportedPerson> = article
                    .persons
                    .iter()
                    .filter(|p| person_matches(&watch.value, p))
                    .collect();
                for person in matched {
                    let events: Vec<&ReportedEvent> = article
                        .events
                        .iter()
                        .filter(|e| e.victims.iter().any(|v| v.id == person.id))
                        .collect();
                    if events.is_empty() {
                        let reported = if person.name == watch.value {
                            String::new()
                        } else {
                            format!(" (as {})", person.name)
                        };
                        drafts.push(AlertDraft {
                            watch_id: watch.id,
                            dedup_key: format!("w{}:person:{}:{}", watch.id, person.id, article.id),
                            same_story_keys: article
                                .near_duplicates
                                .iter()
                                .map(|copy| format!("w{}:person:{}:{copy}", watch.id, person.id))
                                .collect(),
                            title: format!(
                                "{} named in {}",
                                watch.value,
                                article.title.as_deref().unwrap_or("a new article")
                            ),
                            summary: format!("watched person {} named{reported}", watch.value),
                            person_id: Some(person.id.clone()),
                            event_id: None,
                            event_type: None,
                            article_id: article.id.clone(),
                            url: article.url.clone(),
                            evidence: None,
                        });
                    }
                    for event in events {
                        drafts.push(event_draft(watch, event, Some(person)));
                    }
                }
            }
            WatchKind::EventType => {
                for event in article.events.iter().filter(|e| e.is_new) {
                    if same_event_type(&watch.value, &event.event_type) {
                        drafts.push(event_draft(watch, event, None));
                    }
                }
            }
            WatchKind::Place => {
                for event in article.events.iter().filter(|e| e.is_new) {
                    if event
                        .place
                        .as_deref()
                        .is_some_and(|p| place_matches(&watch.value, p))
                    {
                        drafts.push(event_draft(watch, event, None));
                    }
                }
            }
        }
    }
    // One draft per key within the article too (a person named twice as victim of one event).
    let mut seen = std::collections::HashSet::new();
    drafts.retain(|d| seen.insert(d.dedup_key.clone()));
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, name: &str) -> ReportedPerson {
        ReportedPerson {
            id: id.into(),
            name: name.into(),
            other_names: Vec::new(),
        }
    }

    fn article(
        id: &str,
        persons: Vec<ReportedPerson>,
        events: Vec<ReportedEvent>,
    ) -> ReportedArticle {
        ReportedArticle {
            id: id.into(),
            title: Some("Searches in Bakhchysarai".into()),
            url: Some(format!("https://n.example/{id}")),
            persons,
            events,
            near_duplicates: Vec::new(),
        }
    }

    fn detention(id: &str, victims: Vec<ReportedPerson>, is_new: bool) -> ReportedEvent {
        ReportedEvent {
            id: id.into(),
            event_type: "detention".into(),
            date: Some("2025-06-03".into()),
            place: Some("Bakhchysarai".into()),
            victims,
            evidence: "FSB officers detained Server Mustafaiev on Tuesday.".into(),
            is_new,
        }
    }

    fn watch(id: i64, kind: WatchKind, value: &str) -> Watch {
        Watch {
            id,
            kind,
            value: value.into(),
        }
    }

    #[test]
    fn a_watched_person_matches_across_scripts_and_spellings() {
        let w = [watch(1, WatchKind::Person, "Server Mustafayev")];
        for spelling in ["Server Mustafaiev", "Сервер Мустафаев"] {
            let p = person("p-1", spelling);
            let a = article(
                "a-1",
                vec![p.clone()],
                vec![detention("e-1", vec![p], true)],
            );
            let drafts = match_article(&w, &a);
            assert_eq!(drafts.len(), 1, "{spelling}");
            assert_eq!(drafts[0].dedup_key, "w1:event:e-1");
            assert!(
                drafts[0].summary.contains(spelling),
                "{}",
                drafts[0].summary
            );
            assert_eq!(
                drafts[0].evidence.as_deref(),
                Some("FSB officers detained Server Mustafaiev on Tuesday.")
            );
        }
    }

    #[test]
    fn a_shared_surname_alone_is_no_match() {
        let w = [watch(1, WatchKind::Person, "Server Mustafayev")];
        let p = person("p-2", "Ruslan Mustafayev");
        let a = article(
            "a-1",
            vec![p.clone()],
            vec![detention("e-1", vec![p], true)],
        );
        assert!(match_article(&w, &a).is_empty());
    }

    #[test]
    fn a_person_named_without_an_event_gets_a_per_article_alert() {
        let w = [watch(3, WatchKind::Person, "Nariman Dzhelyal")];
        let a = article("a-9", vec![person("p-7", "Нариман Джелял")], vec![]);
        let drafts = match_article(&w, &a);
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].dedup_key, "w3:person:p-7:a-9");
        assert_eq!(drafts[0].event_id, None);
        assert!(drafts[0].same_story_keys.is_empty());

        // A syndicated copy of that article carries the first copy's key beside its own.
        let mut copy = article("a-10", vec![person("p-7", "Nariman Dzheljal")], vec![]);
        copy.near_duplicates = vec!["a-9".into()];
        let drafts = match_article(&w, &copy);
        assert_eq!(drafts[0].dedup_key, "w3:person:p-7:a-10");
        assert_eq!(drafts[0].same_story_keys, vec!["w3:person:p-7:a-9"]);
    }

    #[test]
    fn event_type_and_place_watches_fire_on_new_events_only() {
        let w = [
            watch(1, WatchKind::EventType, "Detention"),
            watch(2, WatchKind::Place, "Бахчисарай"),
            watch(3, WatchKind::EventType, "disappearance"),
        ];
        let p = person("p-1", "Server Mustafaiev");
        let fresh = article(
            "a-1",
            vec![p.clone()],
            vec![detention("e-1", vec![p.clone()], true)],
        );
        let keys: Vec<String> = match_article(&w, &fresh)
            .into_iter()
            .map(|d| d.dedup_key)
            .collect();
        assert_eq!(keys, ["w1:event:e-1", "w2:event:e-1"]);
        let old = article(
            "a-2",
            vec![p.clone()],
            vec![detention("e-1", vec![p], false)],
        );
        assert!(match_article(&w, &old).is_empty());
    }

    #[test]
    fn places_match_as_whole_words() {
        assert!(place_matches("Bakhchysarai", "Bakhchysarai district"));
        assert!(!place_matches("Sarai", "Bakhchysarai"));
        assert!(!place_matches("", "Simferopol"));
    }
}
