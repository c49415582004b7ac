//! The team's search index kept in step with reviewers' decisions record by record: the persons a
//! decision or its undo touched are projected again with all their events, as the full projection
//! (`casebook_pipeline::projection`) would show them, instead of rebuilding the whole index (at
//! 100,000 articles, 860,000 records and minutes of work after every merge).
//!
//! Who is touched: the persons the decision names (an edited event's victims), and every person
//! whose register person changed (merges, splits, confirmed or rejected same-person claims, and
//! their undoing), found by comparing person ids and roots before and after.

use casebook_pipeline::projection::{event_doc, person_doc};
use casebook_register::web_reads::PersonRoots;
use casebook_register::{Decision, Result, SqliteStore, Store};
use casebook_search::{IndexDoc, Kind, SearchError, SearchIndex};
use std::collections::{BTreeMap, BTreeSet};

/// A write whose effect on the index is to be followed.
pub enum Change<'a> {
    Decision(&'a Decision),
    /// The undo of the decision with this id.
    Undo(i64),
}

/// What was read before the write.
pub struct Before {
    roots: PersonRoots,
    /// Persons the write names, and the register persons they belonged to.
    persons: BTreeSet<String>,
}

/// One change to the index.
#[derive(Debug, Clone)]
pub enum Update {
    Put(IndexDoc),
    Delete(Kind, String),
}

/// Reads what the write may change, before it is made.
pub fn before(store: &SqliteStore, change: &Change) -> Result<Before> {
    let roots = store.person_roots()?;
    let mut persons = BTreeSet::new();
    let decision = match change {
        Change::Decision(d) => Some((*d).clone()),
        Change::Undo(id) => {
            // The persons an undone split created lose their names again.
            persons.extend(store.split_persons(*id)?);
            store.decision_request(*id)?
        }
    };
    match decision {
        Some(Decision::Edit { target, .. }) => {
            persons.extend(store.event_victim_persons(&target)?);
            persons.insert(target);
        }
        Some(Decision::Merge { into, from }) => {
            persons.insert(into);
            persons.insert(from);
        }
        Some(Decision::Split { person, .. }) | Some(Decision::SetVisibility { person, .. }) => {
            persons.insert(person);
        }
        // Confirming or rejecting changes index records only through merges, which the roots show.
        Some(Decision::Confirm { .. }) | Some(Decision::Reject { .. }) | None => {}
    }
    let owners: Vec<String> = persons
        .iter()
        .filter_map(|p| roots.get(p).cloned())
        .collect();
    persons.extend(owners);
    Ok(Before { roots, persons })
}

/// The index changes that bring the touched records to what the register now says.
pub fn after(store: &SqliteStore, before: Before) -> Result<Vec<Update>> {
    let roots = store.person_roots()?;
    let mut candidates = before.persons;
    for (id, root) in &roots {
        if before.roots.get(id) != Some(root) {
            candidates.insert(id.clone());
            candidates.insert(root.clone());
            if let Some(old) = before.roots.get(id) {
                candidates.insert(old.clone());
            }
        }
    }
    for id in before.roots.keys() {
        if !roots.contains_key(id) {
            candidates.insert(id.clone());
        }
    }
    // Only ids the register holds: an edited event's or case's id is no person.
    candidates.retain(|id| roots.contains_key(id) || before.roots.contains_key(id));
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = candidates.iter().cloned().collect();
    // A person is in the index when articles name them (as in the full projection).
    let named = store.person_names_of(&list)?;
    let mut updates = Vec::new();
    let mut events = BTreeMap::new();
    for id in &candidates {
        if !named.contains_key(id) || roots.get(id) != Some(id) {
            updates.push(Update::Delete(Kind::Person, id.clone()));
            continue;
        }
        let page = store.case_file_page(id, 0, usize::MAX)?;
        let places = store.person_places(id)?;
        updates.push(Update::Put(IndexDoc::Person(person_doc(
            &page.file.person,
            places,
        ))));
        for e in page.file.timeline {
            events.insert(e.id.clone(), e);
        }
    }
    updates.extend(event_docs(store, events.into_values().collect())?);
    Ok(updates)
}

/// Index documents of events, with their victims' display names and the outlet of their first
/// report (as the full projection makes them).
fn event_docs(
    store: &SqliteStore,
    events: Vec<casebook_register::EventRecord>,
) -> Result<Vec<Update>> {
    let victims: Vec<String> = events
        .iter()
        .flat_map(|e| e.victims.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names = store.person_names_of(&victims)?;
    let articles: Vec<String> = events
        .iter()
        .filter_map(|e| e.sources.first().map(|s| s.article.clone()))
        .collect();
    let sites = store.article_sites(&articles)?;
    Ok(events
        .into_iter()
        .map(|e| {
            let victims = e
                .victims
                .iter()
                .filter_map(|v| names.get(v).cloned())
                .collect();
            Update::Put(IndexDoc::Event(event_doc(e, victims, |article| {
                sites.get(article).cloned()
            })))
        })
        .collect())
}

/// Writes the changes to the index in one commit; returns how many records changed.
pub fn apply(index: &SearchIndex, updates: &[Update]) -> std::result::Result<usize, SearchError> {
    if updates.is_empty() {
        return Ok(0);
    }
    let mut writer = index.writer()?;
    for update in updates {
        match update {
            Update::Put(doc) => writer.add(doc)?,
            Update::Delete(kind, id) => writer.delete(*kind, id),
        }
    }
    writer.finish()?;
    Ok(updates.len())
}
