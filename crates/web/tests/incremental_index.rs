//! Writes from the web reach the search index record by record, with no rebuild: an upload and a
//! fetched page are found by search as soon as their job ends, and the server never asked for a
//! rebuild of its index (`AppState::rebuilds_asked`; the test server runs no background rebuild
//! either, so whatever search finds was written by the job itself).

mod common;

use axum::http::StatusCode;
use common::*;

/// A report written for these tests about an invented detention.
const REPORT: &str = "Crimean Tatar beekeeper detained in Stary Krym

Simferopol, 14 April 2025

Russian security officers detained the Crimean Tatar beekeeper Ilmi Kurtveliyev in Stary Krym on
13 April 2025 after a search of his house, his brother said. Officers seized two phones and
religious books.

The Kyivskyi District Court of Simferopol remanded Ilmi Kurtveliyev in custody for two months on
14 April 2025, his lawyer said.
";

/// The kinds of the hits of a search.
async fn hit_kinds(app: &TestApp, s: &Session, query: &str) -> Vec<String> {
    let (status, body) = app.get(&format!("/api/search?{query}"), Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    json(&body)["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The report is found as an article, an event and a person, and `what` asked for no rebuild
/// (the rebuilds asked for are still `asked`).
async fn assert_found_without_rebuild(app: &TestApp, s: &Session, asked: u64, what: &str) {
    let kinds = hit_kinds(app, s, "q=Kurtveliyev").await;
    for kind in ["article", "event"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} hit: {kinds:?}");
    }
    let names = hit_kinds(app, s, "mode=names&q=Ilmi%20Kurtveliyev").await;
    assert!(names.iter().any(|k| k == "person"), "{names:?}");
    assert_eq!(
        app.state.rebuilds_asked(),
        asked,
        "{what} asked for a rebuild"
    );
}

#[tokio::test]
async fn an_upload_is_found_by_search_when_its_job_ends_without_a_rebuild() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    assert!(hit_kinds(&app, &s, "q=Kurtveliyev").await.is_empty());
    let asked = app.state.rebuilds_asked();
    let (status, body) = app
        .upload(&s, &[("beekeeper.txt", REPORT.as_bytes().to_vec())])
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let done = app
        .wait_for_job(&s, json(&body)["job"].as_u64().unwrap())
        .await;
    assert_eq!(done["files"][0]["outcome"], "stored", "{done}");

    assert_found_without_rebuild(&app, &s, asked, "the upload").await;
}

/// A news host on loopback serving a feed with one article page.
async fn news_host() -> std::net::SocketAddr {
    let paragraphs: String = REPORT
        .split("\n\n")
        .skip(2)
        .map(|p| format!("<p>{}</p>", p.replace('\n', " ")))
        .collect();
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Crimean Tatar beekeeper detained in Stary Krym | Peninsula News</title>\
         <meta property=\"article:published_time\" content=\"2025-04-14T09:00:00+00:00\"></head>\
         <body><article><h1>Crimean Tatar beekeeper detained in Stary Krym</h1>{paragraphs}\
         </article></body></html>"
    );
    news_site(
        "Peninsula News",
        &[(
            "/news/beekeeper.html",
            "Crimean Tatar beekeeper detained",
            Some("Mon, 14 Apr 2025 10:00:00 GMT"),
        )],
        "/news/beekeeper.html",
        page.into_bytes(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fetched_page_is_found_by_search_when_its_job_ends_without_a_rebuild() {
    let host = news_host().await;
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let asked = app.state.rebuilds_asked();
    let (status, _, body) = app
        .post_form(
            "/sources/add",
            &s,
            &format!("kind=feed&urls=http%3A%2F%2F{host}%2Ffeed.xml"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, jobs) = app.get("/api/ingest/jobs", Some(&s)).await;
    let done = app
        .wait_for_job(&s, json(&jobs)[0]["id"].as_u64().unwrap())
        .await;
    let stored = done["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["outcome"] == "stored");
    assert!(stored, "{done}");

    assert_found_without_rebuild(&app, &s, asked, "the fetch").await;
}
