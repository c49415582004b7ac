//! The one-pass analysis: an original's bytes → documents → articles → people → events. Pure: it
//! reads no file and writes no store, so it can run on any thread while another stores.

use casebook_model::{AnalysedArticle, Original};

/// What one original became: analysed articles, and why the other documents in it gave none.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Articles in the order the original holds them.
    pub articles: Vec<AnalysedArticle>,
    /// One line per document that gave no article (`WARC record 3: …` for a record of a WARC file).
    pub failures: Vec<String>,
}

/// The text stages, built once: their lexicons and tables are parsed once per process, and one
/// `Pipeline` can be shared by reference between threads.
pub struct Pipeline {
    people: casebook_people::Recognizer,
    events: casebook_events::Extractor,
}

// Analysis on one thread and storing on another (or several analysing threads) need this.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Pipeline>();
};

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

    /// One pipeline for the whole process, built on first use.
    pub fn shared() -> &'static Pipeline {
        static SHARED: std::sync::LazyLock<Pipeline> = std::sync::LazyLock::new(Pipeline::new);
        &SHARED
    }

    /// Reads an original through every stage.
    pub fn analyse(&self, original: &Original) -> Analysis {
        let mut analysis = Analysis::default();
        // One document at a time: a WARC file is decompressed and read record by record, so no
        // more than one of its pages is in memory while the others are analysed.
        for doc in casebook_ingest::documents(original) {
            // A WARC record's error names its record already.
            let doc = match doc {
                Ok(doc) => doc,
                Err(err) => {
                    analysis.failures.push(err.to_string());
                    continue;
                }
            };
            match casebook_article::extract(&doc) {
                Ok(article) => analysis.articles.push(self.analyse_article(article)),
                Err(err) => analysis.failures.push(match doc.record {
                    Some(record) => format!("WARC record {record}: {err}"),
                    None => err.to_string(),
                }),
            }
        }
        analysis
    }

    /// Finds the people and events of an article already extracted.
    pub fn analyse_article(&self, article: casebook_model::Article) -> AnalysedArticle {
        let people = self.people.recognize(&article.text());
        let events = self.events.extract(&article, &people);
        AnalysedArticle {
            article,
            people,
            events,
        }
    }
}
