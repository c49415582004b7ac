//! The one-pass analysis `casebook ingest` and `casebook bench` share: an original's bytes →
//! documents → articles → people → events, ready for the register, plus the search-index hook.

use casebook_model::{AnalysedArticle, Original};
use casebook_register::{PersonRecord, Store, Written};
use casebook_search::{ArticleDoc, EventDoc, PersonDoc, SearchIndex};
use std::collections::BTreeSet;
use std::path::Path;

/// The pipeline release recorded as the provenance of every claim.
pub const EXTRACTOR_VERSION: &str = concat!("casebook ", env!("CARGO_PKG_VERSION"));

/// What one original became: analysed articles, and the reasons the other documents gave none.
pub struct Analysis {
    pub articles: Vec<AnalysedArticle>,
    pub failures: Vec<String>,
}

/// The text stages, built once (their lexicons and tables are parsed once per process).
pub struct Pipeline {
    people: casebook_people::Recognizer,
    events: casebook_events::Extractor,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Pipeline {
    /// The stages with their built-in data.
    pub fn new() -> Self {
        Pipeline {
            people: casebook_people::Recognizer::new(),
            events: casebook_events::Extractor::new(),
        }
    }

    /// Reads an original through every stage.
    pub fn analyse(&self, original: &Original) -> Analysis {
        let mut analysis = Analysis {
            articles: Vec::new(),
            failures: Vec::new(),
        };
        for doc in casebook_ingest::read_original(original) {
            let doc = match doc {
                Ok(doc) => doc,
                Err(err) => {
                    analysis.failures.push(err.to_string());
                    continue;
                }
            };
            match casebook_article::extract(&doc) {
                Ok(article) => {
                    let people = self.people.recognize(&article.text());
                    let events = self.events.extract(&article, &people);
                    analysis.articles.push(AnalysedArticle {
                        article,
                        people,
                        events,
                    });
                }
                Err(err) => analysis.failures.push(format!("{}: {err}", doc.source)),
            }
        }
        analysis
    }
}

/// Keeps the derived search index (`DATA/index/`) in step with what ingest stores.
pub struct Indexer {
    index: SearchIndex,
    touched: BTreeSet<String>,
}

impl Indexer {
    /// Opens (creating) the index in the data directory.
    pub fn open(data: &Path) -> anyhow::Result<Self> {
        let dir = data.join("index");
        let index = SearchIndex::open_or_create(&dir).map_err(|e| {
            anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display())
        })?;
        Ok(Indexer {
            index,
            touched: BTreeSet::new(),
        })
    }

    /// Indexes a batch of stored articles with their events; remembers their persons for
    /// [`Indexer::finish`], as merges across articles change a person's names and status.
    pub fn add(&mut self, stored: &[(AnalysedArticle, Written)]) -> anyhow::Result<()> {
        if stored.is_empty() {
            return Ok(());
        }
        let mut writer = self
            .index
            .writer()
            .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
        for (a, written) in stored {
            let year = a
                .article
                .published
                .as_ref()
                .and_then(|p| p.value.get(..4))
                .and_then(|y| y.parse().ok());
            writer
                .add_article(&ArticleDoc {
                    id: a.article.id.clone(),
                    title: a.article.title.clone(),
                    text: a.article.text(),
                    site: a.article.site.clone(),
                    year,
                    url: a.article.url.clone(),
                    people: a.people.persons.iter().map(|p| p.name.clone()).collect(),
                })
                .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
            for (event, id) in a.events.events.iter().zip(&written.events) {
                writer
                    .add_event(&EventDoc {
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
                    })
                    .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
            }
            self.touched.extend(written.persons.iter().cloned());
        }
        writer
            .finish()
            .map_err(|e| anyhow::anyhow!("search index: {e}"))
    }

    /// Re-indexes every person the ingest touched, as the register now sees them.
    pub fn finish(mut self, store: &dyn Store) -> anyhow::Result<usize> {
        let touched = std::mem::take(&mut self.touched);
        let mut writer = self
            .index
            .writer()
            .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
        for id in &touched {
            let person = store.person(id)?;
            writer
                .add_person(&person_doc(&person))
                .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
        }
        writer
            .finish()
            .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
        Ok(touched.len())
    }
}

fn person_doc(p: &PersonRecord) -> PersonDoc {
    let mut names = vec![p.name.clone()];
    names.extend(p.names.iter().filter(|n| **n != p.name).cloned());
    PersonDoc {
        id: p.id.clone(),
        names,
        status: Some(p.status.as_str().to_string()),
        places: Vec::new(),
        visibility: p.visibility,
    }
}
