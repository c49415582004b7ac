//! The one ingest engine against the path it replaced: the project's annotated corpus stored by the
//! engine (text stages on a worker thread, small batches so several transactions are made) gives
//! the very register, and so the very index documents, that storing each article alone gives.

use casebook_model::Original;
use casebook_pipeline::{projection, Engine, Pipeline};
use casebook_register::{IndexResolver, Provenance, SqliteStore, Store};
use casebook_search::IndexDoc;

fn corpus() -> Vec<Original> {
    let articles = casebook_corpus::load_dir(&casebook_corpus::default_dir()).unwrap();
    assert!(articles.len() >= 40, "{} corpus articles", articles.len());
    articles
        .into_iter()
        .map(|a| casebook_ingest::original(a.name, a.raw.into_bytes()))
        .collect()
}

/// Every document of the register, in a stable order, as text (the documents carry no time).
fn documents(store: &SqliteStore) -> Vec<String> {
    let mut docs: Vec<String> = projection::documents(store)
        .unwrap()
        .iter()
        .map(|d: &IndexDoc| format!("{d:?}"))
        .collect();
    docs.sort();
    docs
}

#[test]
fn the_engine_gives_the_register_of_one_article_at_a_time() {
    let originals = corpus();

    // The old path: analysed on this thread, stored one article per transaction.
    let old_dir = tempfile::tempdir().unwrap();
    let mut old = SqliteStore::open(old_dir.path()).unwrap();
    let resolver = IndexResolver::new();
    let provenance = Provenance {
        extractor_version: casebook_pipeline::EXTRACTOR_VERSION.into(),
        actor: "tester".into(),
    };
    for original in &originals {
        for analysed in Pipeline::shared().analyse(original).articles {
            old.store_article(original, &analysed, &provenance, &resolver)
                .unwrap();
        }
    }

    let new_dir = tempfile::tempdir().unwrap();
    let mut new = SqliteStore::open(new_dir.path()).unwrap();
    let mut settled = 0;
    let tally = Engine::new("tester")
        .with_batch(7)
        .run(&mut new, originals.clone().into_iter(), None, &mut |_| {
            settled += 1
        })
        .unwrap();
    assert_eq!(settled, originals.len());
    assert_eq!(tally.stored as usize, originals.len());
    assert_eq!(tally.failed, 0);

    let (a, b) = (old.stats().unwrap(), new.stats().unwrap());
    assert_eq!(
        (a.articles, a.persons, a.events, a.cases, a.mentions),
        (b.articles, b.persons, b.events, b.cases, b.mentions)
    );
    assert_eq!(a.claims_by_state, b.claims_by_state);
    assert_eq!(a.persons_by_status, b.persons_by_status);
    assert!(b.events > 40, "{} events", b.events);
    let (old_docs, new_docs) = (documents(&old), documents(&new));
    assert_eq!(old_docs.len(), new_docs.len());
    for (o, n) in old_docs.iter().zip(&new_docs) {
        assert_eq!(o, n);
    }
}
