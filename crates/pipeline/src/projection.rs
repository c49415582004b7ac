//! The register projected into search-index documents: the index is derived data, rebuilt from
//! these (`casebook reindex`, and the web server at start) whenever it is lost or stale. Writes
//! keep it in step record by record instead (the [`Engine`](crate::Engine) and its
//! [`Indexer`](crate::Indexer), and the web's review decisions).

use crate::error::{PipelineError, Result};
use casebook_register::{EventRecord, PersonRecord, RegisterError, Store};
use casebook_search::{
    ArticleDoc, EventDoc, IndexDoc, IndexSource, PersonDoc, SearchError, SearchIndex,
};
use std::collections::HashMap;

/// The year of an ISO-8601 date or partial date (`2024-09-04`, `2024-09`, `2024`).
pub fn year_of(date: &str) -> Option<i32> {
    date.get(..4).and_then(|y| y.parse().ok())
}

/// A person's index document: the display name first, then every other spelling.
pub fn person_doc(p: &PersonRecord, places: Vec<String>) -> PersonDoc {
    let mut names = vec![p.name.clone()];
    names.extend(p.names.iter().filter(|n| **n != p.name).cloned());
    PersonDoc {
        id: p.id.clone(),
        names,
        status: Some(p.status.as_str().to_string()),
        places,
        visibility: p.visibility,
    }
}

/// An event's index document: the evidence and article of its first source, found by the names
/// `victims`; `outlet` gives the outlet of an article (by its id).
pub fn event_doc(
    e: EventRecord,
    victims: Vec<String>,
    outlet: impl FnOnce(&str) -> Option<String>,
) -> EventDoc {
    let first = e.sources.first();
    EventDoc {
        year: e.date.as_deref().and_then(year_of),
        victims,
        evidence: first.map(|s| s.text.clone()).unwrap_or_default(),
        article: first.map(|s| s.article.clone()).unwrap_or_default(),
        outlet: first.and_then(|s| outlet(&s.article)),
        id: e.id,
        event_type: e.event_type,
        date: e.date,
        place: e.place,
    }
}

/// Adds an event's place to the places of each of its victims (once each), for their documents.
pub fn add_places(places: &mut HashMap<String, Vec<String>>, e: &EventRecord) {
    if let Some(place) = &e.place {
        for v in &e.victims {
            let list = places.entry(v.clone()).or_default();
            if !list.contains(place) {
                list.push(place.clone());
            }
        }
    }
}

/// Every document the index should hold, from the register as it is now, in one list (for tests
/// and small registers; rebuilds stream with [`for_each_document`] or [`rebuild`]).
pub fn documents(store: &dyn Store) -> Result<Vec<IndexDoc>> {
    let mut docs = Vec::new();
    for_each_document(store, &mut |doc| {
        docs.push(doc);
        Ok(())
    })?;
    Ok(docs)
}

/// Hands every document the index should hold to `f`, from the register as it is now: articles,
/// events (with their victims' names and the outlet of their first source) and persons (with the
/// places of their events). Streams: articles and events go to `f` as they are read, so what is
/// held is the persons (names for the events' victims) and each article's outlet, never the
/// register's texts. An error of `f` ends the walk and is returned.
pub fn for_each_document(
    store: &dyn Store,
    f: &mut dyn FnMut(IndexDoc) -> Result<()>,
) -> Result<()> {
    // The store's visits take callbacks answering the store's errors: an error of `f` is kept
    // here and the visit ended with a stand-in.
    let mut failed: Option<PipelineError> = None;
    let mut send = |doc: IndexDoc| -> casebook_register::Result<()> {
        f(doc).map_err(|e| {
            failed = Some(e);
            RegisterError::Invalid("the index refused a document".into())
        })
    };
    let walked = walk(store, &mut send);
    match (walked, failed) {
        (_, Some(err)) => Err(err),
        (Err(err), None) => Err(err.into()),
        (Ok(()), None) => Ok(()),
    }
}

fn walk(
    store: &dyn Store,
    send: &mut dyn FnMut(IndexDoc) -> casebook_register::Result<()>,
) -> casebook_register::Result<()> {
    let mut persons = Vec::new();
    store.visit_persons(&mut |p| {
        persons.push(p);
        Ok(())
    })?;
    // Outlets are few: each article holds a number into this list, not a string of its own.
    let mut outlets: Vec<String> = Vec::new();
    let mut sites: HashMap<String, u32> = HashMap::new();
    store.visit_article_search_fields(&mut |a| {
        if let Some(site) = &a.site {
            let at = match outlets.iter().rposition(|o| o == site) {
                Some(at) => at,
                None => {
                    outlets.push(site.clone());
                    outlets.len() - 1
                }
            };
            sites.insert(a.id.clone(), at as u32);
        }
        send(IndexDoc::Article(ArticleDoc {
            year: a.published.as_deref().and_then(year_of),
            id: a.id,
            title: a.title,
            text: a.text,
            site: a.site,
            url: a.url,
            people: a.people,
        }))
    })?;
    let names: HashMap<&str, &str> = persons
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    store.visit_events(&mut |e| {
        add_places(&mut places, &e);
        let victims = e
            .victims
            .iter()
            .filter_map(|v| names.get(v.as_str()).map(|n| n.to_string()))
            .collect();
        send(IndexDoc::Event(event_doc(e, victims, |article| {
            sites
                .get(article)
                .and_then(|&at| outlets.get(at as usize).cloned())
        })))
    })?;
    drop(names);
    for p in &persons {
        let places = places.remove(&p.id).unwrap_or_default();
        send(IndexDoc::Person(person_doc(p, places)))?;
    }
    Ok(())
}

/// Replaces the whole index with the register's documents, streamed from the store into one
/// commit (readers see the old index until it is complete); `keep_going` is asked before each
/// document, and a no leaves the old index as it was. Returns the number of records indexed.
pub fn rebuild(
    index: &SearchIndex,
    store: &dyn Store,
    keep_going: &dyn Fn() -> bool,
) -> Result<usize> {
    rebuild_with(index, keep_going, &mut |f| for_each_document(store, f))
}

/// Documents handed to a callback one by one: what [`rebuild_with`] rebuilds from.
pub type Visit<'a> = dyn FnMut(&mut dyn FnMut(IndexDoc) -> Result<()>) -> Result<()> + 'a;

/// [`rebuild`] from any stream of documents (the public view of the register, in the web server).
pub fn rebuild_with(
    index: &SearchIndex,
    keep_going: &dyn Fn() -> bool,
    visit: &mut Visit<'_>,
) -> Result<usize> {
    struct Source<'v, 'k> {
        visit: std::cell::RefCell<&'v mut Visit<'k>>,
        keep_going: &'v dyn Fn() -> bool,
    }
    impl IndexSource for Source<'_, '_> {
        fn for_each_doc(
            &self,
            sink: &mut dyn FnMut(IndexDoc) -> std::result::Result<(), SearchError>,
        ) -> std::result::Result<(), SearchError> {
            let mut visit = self.visit.borrow_mut();
            visit(&mut |doc| {
                if !(self.keep_going)() {
                    return Err(PipelineError::Index(SearchError::Source(
                        "the rebuild was stopped".into(),
                    )));
                }
                sink(doc).map_err(PipelineError::Index)
            })
            .map_err(|e| match e {
                PipelineError::Index(e) => e,
                other => SearchError::Source(Box::new(other)),
            })
        }
    }
    let source = Source {
        visit: std::cell::RefCell::new(visit),
        keep_going,
    };
    Ok(index.rebuild_from(&source)?)
}
