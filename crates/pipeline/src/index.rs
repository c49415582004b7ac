//! Keeping the derived search index (`DATA/index/`) in step with what is stored, article by article,
//! without a rebuild.

mod catch_up;

pub use catch_up::{compare_index, CaughtUp, IndexComparison, IndexGap};

use crate::error::Result;
use casebook_model::AnalysedArticle;
use casebook_register::{Store, Written};
use casebook_search::{ArticleDoc, EventDoc, SearchIndex};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// Adds stored articles and their events to the index, and re-indexes the persons they touched.
pub struct Indexer {
    index: Arc<SearchIndex>,
    touched: BTreeSet<String>,
}

impl Indexer {
    /// Opens (creating) the index in the data directory.
    pub fn open(data: &Path) -> Result<Self> {
        Ok(Self::new(SearchIndex::open_or_create(data.join("index"))?))
    }

    /// Feeds an index already open.
    pub fn new(index: SearchIndex) -> Self {
        Self::shared(Arc::new(index))
    }

    /// Feeds an index others use too (a server's, which its requests search and its reviewers'
    /// decisions update): writers take the index's lock in turn.
    pub fn shared(index: Arc<SearchIndex>) -> Self {
        Indexer {
            index,
            touched: BTreeSet::new(),
        }
    }

    /// The index fed.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Indexes stored articles with their events, in one commit; remembers their persons for
    /// [`Indexer::refresh_persons`], as merges across articles change a person's names and status.
    pub fn add<'a>(
        &mut self,
        stored: impl IntoIterator<Item = (&'a AnalysedArticle, &'a Written)>,
    ) -> Result<usize> {
        let (count, persons) = index_stored(&self.index, stored)?;
        self.touched.extend(persons);
        Ok(count)
    }

    /// Re-indexes every person touched since the last call, as the register now sees them;
    /// returns how many.
    pub fn refresh_persons(&mut self, store: &dyn Store) -> Result<usize> {
        let touched = std::mem::take(&mut self.touched);
        index_persons(&self.index, store, &touched)
    }

    /// [`Indexer::refresh_persons`], once the ingest is over.
    pub fn finish(mut self, store: &dyn Store) -> Result<usize> {
        self.refresh_persons(store)
    }
}

/// Indexes stored articles with their events into `index`, in one commit (what [`Indexer::add`]
/// does, for an index owned elsewhere, e.g. by the web server); returns the number of articles
/// and the persons they name, for [`index_persons`].
pub fn index_stored<'a>(
    index: &SearchIndex,
    stored: impl IntoIterator<Item = (&'a AnalysedArticle, &'a Written)>,
) -> Result<(usize, BTreeSet<String>)> {
    let mut stored = stored.into_iter().peekable();
    let mut persons = BTreeSet::new();
    if stored.peek().is_none() {
        return Ok((0, persons));
    }
    let mut writer = index.writer()?;
    let mut count = 0;
    for (a, written) in stored {
        writer.add_article(&ArticleDoc {
            id: a.article.id.clone(),
            title: a.article.title.clone(),
            text: a.article.text(),
            site: a.article.site.clone(),
            year: a
                .article
                .published
                .as_ref()
                .and_then(|p| crate::projection::year_of(&p.value)),
            url: a.article.url.clone(),
            people: a.people.persons.iter().map(|p| p.name.clone()).collect(),
        })?;
        for (event, id) in a.events.events.iter().zip(&written.events) {
            writer.add_event(&EventDoc {
                id: id.clone(),
                event_type: event.event_type.clone(),
                date: event.date.map(|d| d.to_string()),
                year: event.date.map(|d| d.year),
                place: event.place.clone(),
                victims: event
                    .victims
                    .iter()
                    .filter_map(|&v| a.people.persons.get(v).map(|p| p.name.clone()))
                    .collect(),
                evidence: event.evidence.text.clone(),
                article: a.article.id.clone(),
                outlet: a.article.site.clone(),
            })?;
        }
        persons.extend(written.persons.iter().cloned());
        count += 1;
    }
    writer.finish()?;
    Ok((count, persons))
}

/// Re-indexes the persons `ids` as the register now sees them, in one commit; returns how many.
pub fn index_persons(
    index: &SearchIndex,
    store: &dyn Store,
    ids: &BTreeSet<String>,
) -> Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut writer = index.writer()?;
    for id in ids {
        let person = store.person(id)?;
        let places = store.person_places(id)?;
        writer.add_person(&crate::projection::person_doc(&person, places))?;
    }
    writer.finish()?;
    Ok(ids.len())
}
