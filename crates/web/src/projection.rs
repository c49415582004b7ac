//! The search index's documents, projected from the register. The index is derived data: the server
//! rebuilds it from the store after writes that change what search should find (ingests, merges,
//! splits, edits, visibility), in the background, so requests never wait for it.

use crate::error::{WebError, WebResult};
use crate::read;
use crate::state::AppState;
use casebook_register::Store;
use casebook_search::{ArticleDoc, EventDoc, IndexDoc, PersonDoc};
use std::collections::HashMap;

/// The year of an ISO-8601 date or partial date (`2024-09-04`, `2024-09`, `2024`).
pub fn year_of(date: &str) -> Option<i32> {
    date.get(..4).and_then(|y| y.parse().ok())
}

/// Every document the index should hold, from the register as it is now.
pub fn documents(state: &AppState) -> WebResult<Vec<IndexDoc>> {
    let data_dir = state.config().data_dir.clone();
    let sites = read::article_sites(&data_dir)?;
    let (persons, events) = state.store_blocking(|store| {
        let mut persons = Vec::new();
        store.visit_persons(&mut |p| {
            persons.push(p);
            Ok(())
        })?;
        let mut events = Vec::new();
        store.visit_events(&mut |e| {
            events.push(e);
            Ok(())
        })?;
        Ok((persons, events))
    })?;
    let names: HashMap<&str, &str> = persons
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut places: HashMap<&str, Vec<String>> = HashMap::new();
    let mut docs = Vec::with_capacity(persons.len() + events.len());
    for e in &events {
        if let Some(place) = &e.place {
            for v in &e.victims {
                let list = places.entry(v.as_str()).or_default();
                if !list.contains(place) {
                    list.push(place.clone());
                }
            }
        }
        let first = e.sources.first();
        docs.push(IndexDoc::Event(EventDoc {
            id: e.id.clone(),
            event_type: e.event_type.clone(),
            date: e.date.clone(),
            year: e.date.as_deref().and_then(year_of),
            place: e.place.clone(),
            victims: e
                .victims
                .iter()
                .filter_map(|v| names.get(v.as_str()).map(|n| n.to_string()))
                .collect(),
            evidence: first.map(|s| s.text.clone()).unwrap_or_default(),
            article: first.map(|s| s.article.clone()).unwrap_or_default(),
            outlet: first.and_then(|s| sites.get(&s.article).cloned()),
        }));
    }
    for p in &persons {
        let mut all = vec![p.name.clone()];
        all.extend(p.names.iter().filter(|n| **n != p.name).cloned());
        docs.push(IndexDoc::Person(PersonDoc {
            id: p.id.clone(),
            names: all,
            status: Some(p.status.as_str().to_string()),
            places: places.remove(p.id.as_str()).unwrap_or_default(),
            visibility: p.visibility,
        }));
    }
    read::visit_article_fields(&data_dir, &mut |a| {
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
    Ok(docs)
}

/// Rebuilds the whole index from the register; returns the number of records indexed.
pub fn reindex(state: &AppState) -> WebResult<usize> {
    let Some(index) = state.index() else {
        return Err(WebError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "search is off: the search index could not be opened",
        ));
    };
    let docs = documents(state)?;
    let n = index.rebuild(docs.into_iter().map(Ok::<_, std::convert::Infallible>))?;
    index.refresh()?;
    Ok(n)
}
