//! The shared flow against a real register and search index in a scratch directory, with the
//! project's own example articles (`examples/`) and pages written here about invented people.

use casebook_monitor::{CapturedPage, Sink};
use casebook_pipeline::{projection, Engine, Indexer, Pipeline, Settled, StoreSink};
use casebook_register::{SqliteStore, Store};
use casebook_search::{IndexDoc, Kind, Query, SearchIndex};
use std::path::PathBuf;

fn example(name: &str) -> casebook_model::Original {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    casebook_ingest::original(name, bytes)
}

const DETAINED: &str = "01-seitkhalilov-detained-bilohirsk.txt";
const REMANDED: &str = "02-seytkhalilov-remanded.txt";

#[test]
fn analysis_finds_the_article_its_people_and_events() {
    let analysis = Pipeline::shared().analyse(&example(DETAINED));
    assert!(analysis.failures.is_empty(), "{:?}", analysis.failures);
    assert_eq!(analysis.articles.len(), 1);
    let a = &analysis.articles[0];
    assert!(
        a.people
            .persons
            .iter()
            .any(|p| p.name == "Nuri Seitkhalilov"),
        "{:?}",
        a.people.persons
    );
    assert!(!a.events.events.is_empty());
}

#[test]
fn analysis_is_the_same_on_several_threads() {
    let originals = [example(DETAINED), example(REMANDED)];
    let alone: Vec<_> = originals
        .iter()
        .map(|o| Pipeline::shared().analyse(o).articles)
        .collect();
    let pipeline = Pipeline::new();
    let threaded: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = originals
            .iter()
            .map(|o| s.spawn(|| pipeline.analyse(o).articles))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(alone, threaded);
}

/// Runs the engine over `originals`, with `indexer` when given; returns what each input became.
fn run_engine(
    store: &mut SqliteStore,
    engine: &Engine,
    originals: Vec<casebook_model::Original>,
    indexer: Option<&mut Indexer>,
) -> (casebook_pipeline::Tally, Vec<String>) {
    let mut settled = Vec::new();
    let tally = engine
        .run(store, originals.into_iter(), indexer, &mut |s| {
            settled.push(match s {
                Settled::Current { seq, .. } => format!("{seq} current"),
                Settled::Recorded { seq, recorded } => format!(
                    "{seq} written {} original-only {}",
                    recorded.written().count(),
                    recorded.original_only
                ),
            })
        })
        .unwrap();
    settled.sort();
    (tally, settled)
}

#[test]
fn the_engine_stores_once_and_keeps_an_unreadable_original() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let engine = Engine::new("tester");
    let original = example(DETAINED);
    assert!(!engine.is_current(&store, &original).unwrap());

    let blank = casebook_ingest::original("blank.txt", b"   \n".to_vec());
    let (tally, settled) = run_engine(
        &mut store,
        &engine,
        vec![original.clone(), blank.clone()],
        None,
    );
    assert_eq!(
        settled,
        [
            "0 written 1 original-only false",
            "1 written 0 original-only true"
        ]
    );
    assert_eq!(
        (tally.inputs, tally.stored, tally.without_article),
        (2, 1, 1)
    );
    assert!(tally.new_persons >= 1);
    assert!(engine.is_current(&store, &original).unwrap());
    // Bytes with no article in them are still archived.
    assert!(store.has_original(&blank.sha256).unwrap());

    // A second engine (another run) finds it stored and skips it before any analysis.
    let (tally, settled) = run_engine(&mut store, &Engine::new("tester"), vec![original], None);
    assert_eq!(settled, ["0 current"]);
    assert_eq!((tally.stored, tally.already), (0, 1));
    assert_eq!(store.stats().unwrap().articles, 1);
}

#[test]
fn the_projection_and_the_indexer_agree_with_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let mut indexer = Indexer::open(dir.path()).unwrap();
    let engine = Engine::new("tester").with_batch(1);
    let (tally, _) = run_engine(
        &mut store,
        &engine,
        vec![example(DETAINED), example(REMANDED)],
        Some(&mut indexer),
    );
    assert_eq!(tally.stored, 2);

    let stats = store.stats().unwrap();
    let docs = projection::documents(&store).unwrap();
    let count = |k: Kind| docs.iter().filter(|d| d.kind() == k).count() as u64;
    assert_eq!(count(Kind::Article), stats.articles);
    assert_eq!(count(Kind::Event), stats.events);
    assert_eq!(count(Kind::Person), stats.persons);
    let article = docs
        .iter()
        .find_map(|d| match d {
            IndexDoc::Article(a) if a.title.as_deref().is_some_and(|t| t.contains("remands")) => {
                Some(a)
            }
            _ => None,
        })
        .expect("the remand article is projected");
    assert_eq!(article.year, Some(2025));
    assert!(article.people.iter().any(|p| p.contains("Seytkhalilov")));
    // The two spellings are one person in the register, so in the index too.
    let person = docs
        .iter()
        .find_map(|d| match d {
            IndexDoc::Person(p) if p.names.iter().any(|n| n.contains("Seitkhalilov")) => Some(p),
            _ => None,
        })
        .expect("Nuri Seitkhalilov is projected");
    assert!(
        person.names.iter().any(|n| n.contains("Seytkhalilov")),
        "{:?}",
        person.names
    );

    // What the indexer wrote article by article finds the man by either spelling.
    let index = SearchIndex::open_or_create(dir.path().join("index")).unwrap();
    index.refresh().unwrap();
    for spelling in ["Seitkhalilov", "Seytkhalilov"] {
        let hits = index
            .search(&Query::new(spelling).kinds(&[Kind::Person]))
            .unwrap();
        assert_eq!(hits.total, 1, "{spelling}: {hits:?}");
    }
    // ... and by the places of his events, as the projection lists them.
    assert!(!person.places.is_empty(), "{person:?}");
    for place in &person.places {
        let hits = index
            .search(&Query::new(place).kinds(&[Kind::Person]))
            .unwrap();
        assert_eq!(hits.total, 1, "{place}: {hits:?}");
    }
}

fn captured(url: &str, outlet: &str) -> CapturedPage {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Court in Simferopol remands Server Aliev | {outlet}</title>\
         <meta property=\"og:site_name\" content=\"{outlet}\">\
         <meta property=\"article:published_time\" content=\"2025-02-12T09:00:00+00:00\"></head>\
         <body><article><h1>Court in Simferopol remands Server Aliev</h1>\
         <p>On 11 February 2025 the Kyivskyi District Court of Simferopol remanded the Crimean Tatar activist Server Aliev in custody for two months.</p>\
         <p>Aliev was detained after a search of his house in Bakhchysarai on 10 February, his lawyer Emil Osmanov said.</p>\
         </article></body></html>"
    );
    let bytes = html.into_bytes();
    CapturedPage {
        url: url.to_string(),
        final_url: url.to_string(),
        captured_at: "2025-02-12T10:00:00Z".into(),
        sha256: casebook_ingest::original(url, bytes.clone()).sha256,
        content_type: Some("text/html".into()),
        bytes,
    }
}

#[test]
fn the_sink_reports_what_a_page_brought_and_a_syndicated_copy_brings_no_new_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = StoreSink::open(dir.path(), "casebook-watch")
        .unwrap()
        .with_indexer(Indexer::open(dir.path()).unwrap());

    let first = sink
        .ingest(captured("https://first.example/remand", "First Outlet"))
        .unwrap();
    assert_eq!(first.articles.len(), 1);
    let article = &first.articles[0];
    assert_eq!(article.url.as_deref(), Some("https://first.example/remand"));
    assert!(article.persons.iter().any(|p| p.name == "Server Aliev"));
    assert!(!article.events.is_empty());
    assert!(article.events.iter().all(|e| e.is_new));

    let copy = sink
        .ingest(captured("https://second.example/news/1", "Second Outlet"))
        .unwrap();
    assert_eq!(copy.articles.len(), 1);
    // The copy names the first as its near-duplicate, for the watchlist's one alert per story.
    assert!(article.near_duplicates.is_empty());
    assert_eq!(copy.articles[0].near_duplicates, vec![article.id.clone()]);
    // A syndicated copy reports the first copy's events, dated or not: none of them is new.
    let copy_events: Vec<_> = copy.articles[0].events.iter().collect();
    assert!(copy_events.len() >= 2, "{copy_events:?}");
    for event in copy_events {
        assert!(!event.is_new, "{event:?}");
        assert!(
            article.events.iter().any(|e| e.id == event.id),
            "{event:?} not in {:?}",
            article.events
        );
    }

    // The same bytes again store nothing and report no article.
    let again = sink
        .ingest(captured("https://first.example/remand", "First Outlet"))
        .unwrap();
    assert!(again.articles.is_empty());
    assert_eq!(sink.stored_pages(), 2);
    assert_eq!(sink.store().stats().unwrap().articles, 2);
    // Each page was searchable as soon as it was stored, its persons included: no rebuild.
    let index = SearchIndex::open_or_create(dir.path().join("index")).unwrap();
    index.refresh().unwrap();
    let hits = index
        .search(&Query::new("Server Aliev").kinds(&[Kind::Person]))
        .unwrap();
    assert_eq!(hits.total, 1, "{hits:?}");
}
