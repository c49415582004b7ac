//! The register projected into search-index documents: the index is derived data, rebuilt from
//! these (`casebook reindex`, and the web server after writes) whenever it is lost or stale.

use crate::error::Result;
use casebook_register::{PersonRecord, Store};
use casebook_search::{ArticleDoc, EventDoc, IndexDoc, PersonDoc};
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

/// Every document the index should hold, from the register as it is now: articles, events (with
/// their victims' names and the outlet of their first source) and persons (with the places of
/// their events).
pub fn documents(store: &dyn Store) -> Result<Vec<IndexDoc>> {
    let mut docs = Vec::new();
    let mut sites: HashMap<String, String> = HashMap::new();
    store.visit_article_search_fields(&mut |a| {
        if let Some(site) = &a.site {
            sites.insert(a.id.clone(), site.clone());
        }
        docs.push(IndexDoc::Article(ArticleDoc {
            year: a.published.as_deref().and_then(year_of),
            id: a.id,
            title: a.title,
            text: a.text,
            site: a.site,
            url: a.url,
            people: a.people,
        }));
        Ok(())
    })?;
    let mut persons = Vec::new();
    store.visit_persons(&mut |p| {
        persons.push(p);
        Ok(())
    })?;
    let names: HashMap<&str, &str> = persons
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    store.visit_events(&mut |e| {
        if let Some(place) = &e.place {
            for v in &e.victims {
                let list = places.entry(v.clone()).or_default();
                if !list.contains(place) {
                    list.push(place.clone());
                }
            }
        }
        let first = e.sources.first();
        docs.push(IndexDoc::Event(EventDoc {
            year: e.date.as_deref().and_then(year_of),
            victims: e
                .victims
                .iter()
                .filter_map(|v| names.get(v.as_str()).map(|n| n.to_string()))
                .collect(),
            evidence: first.map(|s| s.text.clone()).unwrap_or_default(),
            article: first.map(|s| s.article.clone()).unwrap_or_default(),
            outlet: first.and_then(|s| sites.get(&s.article).cloned()),
            id: e.id,
            event_type: e.event_type,
            date: e.date,
            place: e.place,
        }));
        Ok(())
    })?;
    for p in &persons {
        let places = places.remove(&p.id).unwrap_or_default();
        docs.push(IndexDoc::Person(person_doc(p, places)));
    }
    Ok(docs)
}
