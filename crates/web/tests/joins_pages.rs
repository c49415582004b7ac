//! The pages show what the register joined across articles: an event's disagreeing sources on the
//! person page, and a syndicated copy under "Also published as" on the article page.

mod common;

use axum::http::StatusCode;
use casebook_register::{KeyResolver, Provenance, SqliteStore, Store};
use common::*;

const REPORT: &[&str] = &[
    "FSB officers detained the citizen journalist Lilia Bekirova at her home in Simferopol.",
    "The officers searched the house for four hours and took away her laptop, two phones and \
     several religious books, her lawyer said after the search had ended.",
    "Relatives and neighbours gathered outside the building of the security service to support \
     her, and several of them were later asked for their documents by the police.",
];

#[tokio::test]
async fn person_page_shows_disagreements_and_article_page_shows_copies() {
    let dir = tempfile::tempdir().unwrap();
    let first = article(
        "outlet-a.txt",
        REPORT,
        &["Lilia Bekirova"],
        &[("detention", vec![0], "2025-03-10", 0)],
    );
    // A reprint: another outlet's headline sentence first, the same body, another date.
    let mut reprint: Vec<&str> = vec!["Crimea: journalist Lilia Bekirova detained by the FSB."];
    reprint.extend_from_slice(REPORT);
    let second = article(
        "outlet-b.txt",
        &reprint,
        &["Lilia Bekirova"],
        &[("detention", vec![0], "2025-03-11", 1)],
    );
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let provenance = Provenance {
            extractor_version: "test".into(),
            actor: "test-ingest".into(),
        };
        for (original, analysed) in [&first, &second] {
            store
                .store_article(original, analysed, &provenance, &KeyResolver)
                .unwrap();
        }
    }
    let person = person_id(dir.path(), "Lilia Bekirova");
    let app = TestApp::over(dir, false);
    let s = app.login(ANALYST).await;

    let (status, page) = app.get(&format!("/persons/{person}"), Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Sources disagree on date"), "{page}");
    assert!(page.contains("2025-03-10") && page.contains("2025-03-11"));

    let (status, page) = app
        .get(&format!("/articles/{}", first.1.article.id), Some(&s))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Also published as"), "{page}");
    assert!(page.contains(&format!("/articles/{}", second.1.article.id)));
}
