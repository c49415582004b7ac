//! The search index's documents, projected from the register. The index is derived data: uploads,
//! fetch jobs, the poller and reviewers' decisions update it record by record (`ingest`, `alerts`,
//! `index_update`); the server rebuilds it whole from the store, streamed and in the background so
//! requests never wait for it, only when it is missing or behind at start, and for the public
//! index.
//!
//! A public server keeps an index of its own (`DATA/public-index`, apart from the team's `index`),
//! built only from what the public policy lets through, already redacted: a hidden person, their
//! names, their events and their hidden fields never reach it, so no query can find them there.
//! It is rebuilt whenever the register changes (`public_follow`), so a person hidden while the
//! server runs leaves it within seconds.

use crate::error::{WebError, WebResult};
use crate::state::AppState;
use casebook_register::visibility::PublicPolicy;
use casebook_register::Store;
use casebook_search::{ArticleDoc, IndexDoc, PersonDoc, Visibility};
use std::collections::HashMap;

pub use casebook_pipeline::projection::year_of;
use casebook_pipeline::projection::{add_places, event_doc};

/// Every document the index should hold, from the register as it is now, in one list (tests; the
/// rebuild streams them): the whole register (the projection of casebook-pipeline, shared with
/// `casebook reindex`), or its public view.
pub fn documents(state: &AppState) -> WebResult<Vec<IndexDoc>> {
    let public = state.public();
    state.store_blocking(|store| {
        let mut docs = Vec::new();
        if public {
            let policy = PublicPolicy::build(store)?;
            for_each_public_document(store, &policy, &mut |doc| {
                docs.push(doc);
                Ok(())
            })?;
            return Ok(docs);
        }
        casebook_pipeline::projection::for_each_document(store, &mut |doc| {
            docs.push(doc);
            Ok(())
        })
        .map_err(|e| WebError::internal("projecting the register into the search index", e))?;
        Ok(docs)
    })
}

/// The public view of the register as index documents: articles with protected names withheld and
/// no address, the persons the public may see with their public names and fields, and the public
/// events with their public victims and redacted evidence.
pub fn public_documents(store: &dyn Store, policy: &PublicPolicy) -> WebResult<Vec<IndexDoc>> {
    let mut docs = Vec::new();
    for_each_public_document(store, policy, &mut |doc| {
        docs.push(doc);
        Ok(())
    })?;
    Ok(docs)
}

/// [`public_documents`] handed to `send` one by one as they are read (the public rebuild streams
/// them into the index).
pub fn for_each_public_document(
    store: &dyn Store,
    policy: &PublicPolicy,
    send: &mut dyn FnMut(IndexDoc) -> casebook_pipeline::Result<()>,
) -> WebResult<()> {
    let mut failed = None;
    let mut send = |doc: IndexDoc| -> casebook_register::Result<()> {
        send(doc).map_err(|e| {
            failed = Some(e);
            casebook_register::RegisterError::Invalid("the index refused a document".into())
        })
    };
    let walked = walk_public(store, policy, &mut send);
    if let Some(e) = failed {
        return Err(WebError::internal("rebuilding the public search index", e));
    }
    walked
}

fn walk_public(
    store: &dyn Store,
    policy: &PublicPolicy,
    send: &mut dyn FnMut(IndexDoc) -> casebook_register::Result<()>,
) -> WebResult<()> {
    let mut sites: HashMap<String, String> = HashMap::new();
    store.visit_article_search_fields(&mut |a| {
        let site = a.site.map(|s| policy.redact(&s));
        if let Some(site) = &site {
            sites.insert(a.id.clone(), site.clone());
        }
        send(IndexDoc::Article(ArticleDoc {
            year: a.published.as_deref().and_then(year_of),
            title: a.title.map(|t| policy.redact(&t)),
            text: policy.redact(&a.text),
            site,
            url: None,
            people: a
                .people
                .into_iter()
                .filter(|n| !policy.mentions_protected(n))
                .collect(),
            id: a.id,
        }))
    })?;
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    store.visit_events(&mut |e| {
        let Some(e) = policy.event(e) else {
            return Ok(());
        };
        add_places(&mut places, &e);
        let victims = e
            .victims
            .iter()
            .filter_map(|v| policy.person(v).map(|p| p.name.clone()))
            .collect();
        send(IndexDoc::Event(event_doc(e, victims, |article| {
            sites.get(article).cloned()
        })))
    })?;
    let mut persons: Vec<_> = policy.shown().collect();
    persons.sort_by(|a, b| a.id.cmp(&b.id));
    for p in persons {
        send(IndexDoc::Person(PersonDoc {
            id: p.id.clone(),
            names: p.names.clone(),
            status: p.status.map(|s| s.as_str().to_string()),
            places: places.remove(&p.id).unwrap_or_default(),
            visibility: Visibility::Public,
        }))?;
    }
    Ok(())
}

/// Rebuilds the whole index from the register, streamed from the store into one commit (a
/// rebuild cut short by a stopping server leaves the old index as it was); returns the number of
/// records indexed.
pub fn reindex(state: &AppState) -> WebResult<usize> {
    let Some(index) = state.index() else {
        return Err(WebError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "search is off: the search index could not be opened",
        ));
    };
    let keep_going = || !state.stopping();
    let public = state.public();
    let n = state.store_blocking(|store| {
        let rebuilt = if public {
            let policy = PublicPolicy::build(store)?;
            let mut error = None;
            let rebuilt =
                casebook_pipeline::projection::rebuild_with(index, &keep_going, &mut |f| {
                    for_each_public_document(store, &policy, f).map_err(|e| {
                        let message = e.message.clone();
                        error = Some(e);
                        casebook_pipeline::PipelineError::Register(
                            casebook_register::RegisterError::Invalid(message),
                        )
                    })
                });
            if let Some(e) = error {
                return Err(e);
            }
            rebuilt
        } else {
            casebook_pipeline::projection::rebuild(index, &*store, &keep_going)
        };
        rebuilt.map_err(|e| WebError::internal("rebuilding the search index", e))
    })?;
    index.refresh()?;
    Ok(n)
}
