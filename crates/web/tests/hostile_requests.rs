//! Search queries built to break the query parser, and articles read from WARC records (whose ids
//! end in `#N`), through the web application: a bad query is the client's error (400 with a
//! message), never the server's, and every link to an article reaches it.

mod common;

use axum::http::StatusCode;
use casebook_register::{KeyResolver, Provenance, SqliteStore, Store};
use common::*;
use serde_json::Value;

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn query_bombs_and_unsupported_queries_are_bad_requests() {
    let app = TestApp::new(false);
    let s = app.login(VIEWER).await;
    let deep = format!("{}Ziyadinov{}", "(".repeat(5_000), ")".repeat(5_000));
    let nested = format!("{}Ziyadinov{}", "(".repeat(50), ")".repeat(50));
    for (text, expect) in [
        (deep.as_str(), "over the limit"),
        (nested.as_str(), "levels of brackets"),
        ("title:*", "cannot search"),
    ] {
        let q = encode(text);
        let (status, body) = app.get(&format!("/api/search?q={q}"), Some(&s)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let message = serde_json::from_str::<Value>(&body).unwrap()["error"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains(expect), "{message}");
        let (status, page) = app.get(&format!("/search?q={q}"), Some(&s)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(page.contains(expect), "{page}");
    }
}

#[tokio::test]
async fn links_to_an_article_from_a_warc_record_reach_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let (original, mut analysed) = article(
            "crawl.warc#3",
            &["Officers detained Rustem Osmanov in Dzhankoi on Thursday."],
            &["Rustem Osmanov"],
            &[("detention", vec![0], "2025-04-03", 0)],
        );
        analysed.article.id = format!("{}#3", original.sha256);
        let provenance = Provenance {
            extractor_version: "test".into(),
            actor: "test-ingest".into(),
        };
        store
            .store_article(&original, &analysed, &provenance, &KeyResolver)
            .unwrap();
    }
    let app = TestApp::over(dir, false);
    let s = app.login(VIEWER).await;
    let (status, body) = app.get("/api/search?q=Dzhankoi", Some(&s)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results: Value = serde_json::from_str(&body).unwrap();
    let links: Vec<String> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "article" || h["kind"] == "event")
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect();
    assert!(!links.is_empty(), "{body}");
    for link in links {
        assert!(link.ends_with("%233"), "{link}");
        let (status, page) = app.get(&link, Some(&s)).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert!(page.contains("Rustem Osmanov"));
    }
}
