//! The monitor's sink over the real register: each fetched page is archived as an untouched
//! original and read through the whole pipeline; what it brought is reported back for alerts.

use crate::analyse::Analysis;
use crate::engine::{Engine, Recorded};
use crate::error::Result;
use crate::index::Indexer;
use casebook_monitor::{
    CapturedPage, IngestReport, ReportedArticle, ReportedEvent, ReportedPerson, Sink,
};
use casebook_register::{ClaimFilter, ClaimKind, Store};
use std::path::Path;

/// Pages become originals in the register and go through the whole pipeline (the [`Engine`]).
/// The search index is kept in step by the sink's [`Indexer`] when it has one: the index of the
/// data directory for `casebook watch`, the server's own index for the poller of `casebook serve`.
pub struct StoreSink {
    store: Box<dyn Store + Send>,
    engine: Engine,
    indexer: Option<Indexer>,
    stored_pages: usize,
}

// `casebook serve` moves the sink into the poller's thread: it must stay Send.
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<StoreSink>();
};

impl StoreSink {
    /// A sink over any store, storing with `engine`; no index is fed until one is given.
    pub fn new(store: Box<dyn Store + Send>, engine: Engine) -> Self {
        StoreSink {
            store,
            engine,
            indexer: None,
            stored_pages: 0,
        }
    }

    /// Opens the register in the data directory, recording as `actor`.
    pub fn open(data: &Path, actor: &str) -> Result<Self> {
        let store = casebook_register::open(data)?;
        Ok(Self::new(Box::new(store), Engine::new(actor)))
    }

    /// Feeds this index with every article stored (and the persons they touched).
    pub fn with_indexer(mut self, indexer: Indexer) -> Self {
        self.indexer = Some(indexer);
        self
    }

    /// The register the sink writes.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Pages that brought articles into the register so far.
    pub fn stored_pages(&self) -> usize {
        self.stored_pages
    }

    fn ingest_page(&mut self, page: CapturedPage) -> Result<IngestReport, String> {
        let (_, report) = record_page(
            self.store.as_mut(),
            &self.engine,
            page,
            self.indexer.as_mut(),
        )?;
        if !report.articles.is_empty() {
            self.stored_pages += 1;
        }
        Ok(report)
    }
}

/// Reads one fetched page through the whole pipeline into `store`: the page is archived as an
/// untouched original, its articles (with the page's address where they name none) are analysed
/// and stored by the [`Engine`] in one transaction, `indexer` (when given) takes them with their
/// events and persons, and what they brought is read back as the report the monitor matches its
/// watchlists against. Every sink over the register (the CLI's and the poller's [`StoreSink`], the
/// web application's fetch jobs) goes through here. An `Err` means the page was not stored whole;
/// the monitor keeps it unconsumed and fetches it again.
pub fn record_page(
    store: &mut dyn Store,
    engine: &Engine,
    page: CapturedPage,
    indexer: Option<&mut Indexer>,
) -> Result<(Recorded, IngestReport), String> {
    let url = page.url.clone();
    let original = casebook_ingest::original(page.url, page.bytes);
    let pipeline = engine.pipeline();
    let mut analysis = analyse_guarded(&original.source, || pipeline.analyse(&original));
    for analysed in &mut analysis.articles {
        analysed.article.url.get_or_insert_with(|| url.clone());
    }
    let recorded = engine
        .record(store, original, analysis, indexer)
        .map_err(|e| format!("archiving the page: {e}"))?;
    if let Some(err) = recorded.first_error() {
        return Err(format!("storing an article of the page: {err}"));
    }
    let mut report = IngestReport {
        original_sha256: recorded.sha256.clone(),
        articles: Vec::new(),
        failures: recorded.failures.clone(),
    };
    for (analysed, written) in recorded.written() {
        report.articles.push(
            report_article(store, analysed, written).map_err(|e| {
                format!("reading back what the page brought into the register: {e}")
            })?,
        );
    }
    Ok((recorded, report))
}

/// Analyses a fetched page so that a panic in any stage costs that page only, never the thread
/// (the poller of `casebook serve`, a fetch job) it runs on: the page is then archived as an
/// original with no article and a failure line, and the next page goes on. The panic's own
/// message is not repeated: it may quote the page's text.
fn analyse_guarded(source: &str, analyse: impl FnOnce() -> Analysis) -> Analysis {
    // The pipeline holds read-only tables, and a page's analysis shares no state with the next.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(analyse)) {
        Ok(analysis) => analysis,
        Err(_) => {
            let why = "the analysis of this page failed unexpectedly; it is kept as an original";
            eprintln!("casebook: {source}: {why}");
            Analysis {
                articles: Vec::new(),
                failures: vec![why.to_string()],
            }
        }
    }
}

/// What a newly stored article reports, as the register now holds it: its persons with every
/// spelling known, and its events, each marked new when this article brought it in.
fn report_article(
    store: &dyn Store,
    analysed: &casebook_model::AnalysedArticle,
    written: &casebook_register::Written,
) -> Result<ReportedArticle> {
    let person = |i: usize| -> Result<Option<ReportedPerson>> {
        let (Some(id), Some(p)) = (written.persons.get(i), analysed.people.persons.get(i)) else {
            return Ok(None);
        };
        let known = store.person(id)?;
        Ok(Some(ReportedPerson {
            id: id.clone(),
            name: p.name.clone(),
            other_names: known.names.into_iter().filter(|n| *n != p.name).collect(),
        }))
    };
    let mut persons = Vec::new();
    for i in 0..analysed.people.persons.len() {
        persons.extend(person(i)?);
    }
    let mut events = Vec::new();
    for (event, id) in analysed.events.events.iter().zip(&written.events) {
        let mut victims = Vec::new();
        for &v in &event.victims {
            victims.extend(person(v)?);
        }
        // New to the register when every report of it comes from this article.
        let claims = store.claims(&ClaimFilter {
            kind: Some(ClaimKind::Event),
            subject: Some(id.clone()),
            ..ClaimFilter::default()
        })?;
        let is_new = claims
            .iter()
            .all(|c| c.article.as_deref() == Some(analysed.article.id.as_str()));
        events.push(ReportedEvent {
            id: id.clone(),
            event_type: event.event_type.clone(),
            date: event.date.map(|d| d.to_string()),
            place: event.place.clone(),
            victims,
            evidence: event.evidence.text.clone(),
            is_new,
        });
    }
    Ok(ReportedArticle {
        id: analysed.article.id.clone(),
        title: analysed.article.title.clone(),
        url: analysed.article.url.clone(),
        persons,
        events,
        near_duplicates: written.near_duplicates.clone(),
    })
}

impl Sink for StoreSink {
    fn ingest(&mut self, page: CapturedPage) -> std::result::Result<IngestReport, String> {
        self.ingest_page(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_analysis_costs_the_page_only() {
        let analysis = analyse_guarded("https://news.example.org/broken", || {
            panic!("a stage failed on this page")
        });
        assert!(analysis.articles.is_empty());
        assert_eq!(analysis.failures.len(), 1);
        assert!(analysis.failures[0].contains("failed unexpectedly"));
        // The thread goes on: the next page is analysed as usual.
        let next = analyse_guarded("https://news.example.org/next", || Analysis {
            articles: Vec::new(),
            failures: vec!["no article text found".into()],
        });
        assert_eq!(next.failures, ["no article text found"]);
    }
}
