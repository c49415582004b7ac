//! Storing an analysis: the original and every article read from it go into the register through
//! the `Store` boundary, with provenance, one transaction per article.

use crate::analyse::{Analysis, Pipeline};
use crate::error::Result;
use crate::EXTRACTOR_VERSION;
use casebook_model::{AnalysedArticle, Original};
use casebook_register::{
    IndexResolver, PersonResolver, Provenance, RegisterError, Store, StoreOutcome, Written,
};

/// One analysed article and what storing it did.
#[derive(Debug)]
pub struct ArticleOutcome {
    pub analysed: AnalysedArticle,
    /// The store's answer; an error leaves the article out and the other articles stored.
    pub outcome: std::result::Result<StoreOutcome, RegisterError>,
}

impl ArticleOutcome {
    /// Where the article's facts went, when this call wrote them (stored, or re-read by a newer
    /// pipeline); `None` when it was stored already or failed.
    pub fn written(&self) -> Option<&Written> {
        match &self.outcome {
            Ok(StoreOutcome::Stored(w)) | Ok(StoreOutcome::Reanalysed(w)) => Some(w),
            Ok(StoreOutcome::AlreadyStored) | Err(_) => None,
        }
    }
}

/// What recording one original did.
#[derive(Debug)]
pub struct Recorded {
    /// The original's SHA-256 (lower-case hex), as archived.
    pub sha256: String,
    /// Every analysed article, in the original's order, with its outcome.
    pub articles: Vec<ArticleOutcome>,
    /// True when the original was kept by itself because no article of it could be stored: what
    /// was handed in is never lost.
    pub original_only: bool,
    /// Why documents of the original gave no article (from the analysis).
    pub failures: Vec<String>,
}

impl Recorded {
    /// The articles this call wrote, with where their facts went (for the search index).
    pub fn written(&self) -> impl Iterator<Item = (&AnalysedArticle, &Written)> {
        self.articles
            .iter()
            .filter_map(|a| a.written().map(|w| (&a.analysed, w)))
    }

    /// The first article the store refused, if any.
    pub fn first_error(&self) -> Option<&RegisterError> {
        self.articles.iter().find_map(|a| a.outcome.as_ref().err())
    }
}

/// Writes analyses to a store as one actor. It keeps the register's person index between calls
/// (so names are resolved across articles and scripts as the register resolves them); it is
/// `Send`, so the storing can run on a thread of its own while other threads analyse.
pub struct Recorder {
    resolver: Box<dyn PersonResolver + Send>,
    provenance: Provenance,
}

impl Recorder {
    /// Records as `actor`, with this build's pipeline version.
    pub fn new(actor: &str) -> Self {
        Self::with_provenance(Provenance {
            extractor_version: EXTRACTOR_VERSION.to_string(),
            actor: actor.to_string(),
        })
    }

    /// Records with the given provenance and the names stage's resolver (`IndexResolver`).
    pub fn with_provenance(provenance: Provenance) -> Self {
        Self::with_resolver(provenance, Box::new(IndexResolver::new()))
    }

    /// Records with the given provenance and person resolver.
    pub fn with_resolver(provenance: Provenance, resolver: Box<dyn PersonResolver + Send>) -> Self {
        Recorder {
            resolver,
            provenance,
        }
    }

    /// The provenance recorded with every claim.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// True when this original's article is stored already by this pipeline version, so the
    /// analysis can be skipped. A plain input's article id is its SHA-256; for originals holding
    /// several articles (dumps, WARC) this says false and the store skips each stored article.
    pub fn is_current(&self, store: &dyn Store, original: &Original) -> Result<bool> {
        Ok(store.article_version(&original.sha256)?.as_deref()
            == Some(self.provenance.extractor_version.as_str()))
    }

    /// Stores the original with every article of its analysis. Each article is one transaction;
    /// a refused article is reported in its outcome and the others are still stored. An original
    /// with no storable article is kept by itself; only a failure to keep it is an error.
    pub fn record(
        &self,
        store: &mut dyn Store,
        original: &Original,
        analysis: Analysis,
    ) -> Result<Recorded> {
        let mut articles = Vec::with_capacity(analysis.articles.len());
        for analysed in analysis.articles {
            let outcome = store.store_article(
                original,
                &analysed,
                &self.provenance,
                self.resolver.as_ref(),
            );
            articles.push(ArticleOutcome { analysed, outcome });
        }
        let original_only = articles.iter().all(|a| a.outcome.is_err());
        if original_only {
            store.add_original(original, &self.provenance.actor)?;
        }
        Ok(Recorded {
            sha256: original.sha256.clone(),
            articles,
            original_only,
            failures: analysis.failures,
        })
    }
}

/// Analysis and storing chained, for callers that need no overlap between the two.
pub struct Ingestor {
    pipeline: &'static Pipeline,
    recorder: Recorder,
}

impl Ingestor {
    /// Ingests as `actor` with this build's pipeline version and the process's shared pipeline.
    pub fn new(actor: &str) -> Self {
        Self::with_recorder(Recorder::new(actor))
    }

    /// Ingests with a given recorder.
    pub fn with_recorder(recorder: Recorder) -> Self {
        Ingestor {
            pipeline: Pipeline::shared(),
            recorder,
        }
    }

    /// The analysis half.
    pub fn pipeline(&self) -> &'static Pipeline {
        self.pipeline
    }

    /// The storing half.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// Analyses the original and stores what it holds.
    pub fn ingest(&self, store: &mut dyn Store, original: &Original) -> Result<Recorded> {
        let analysis = self.pipeline.analyse(original);
        self.recorder.record(store, original, analysis)
    }
}
