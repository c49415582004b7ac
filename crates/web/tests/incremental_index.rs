//! Writes from the web reach the search index record by record, with no rebuild: an upload and a
//! fetched page are found by search as soon as their job ends, and the server never asked for a
//! rebuild of its index (`AppState::rebuilds_asked`; the test server runs no background rebuild
//! either, so whatever search finds was written by the job itself).

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use serde_json::Value;
use std::time::Duration;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

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

async fn wait_for_job(app: &TestApp, s: &Session, job: u64) -> Value {
    let mut done = Value::Null;
    for _ in 0..600 {
        let (_, body) = app.get(&format!("/api/ingest/jobs/{job}"), Some(s)).await;
        done = json(&body);
        if done["finished"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(done["finished"], true, "{done}");
    done
}

#[tokio::test]
async fn an_upload_is_found_by_search_when_its_job_ends_without_a_rebuild() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    assert!(hit_kinds(&app, &s, "q=Kurtveliyev").await.is_empty());
    let asked = app.state.rebuilds_asked();
    let (ctype, body) = multipart(&[("beekeeper.txt", REPORT.as_bytes().to_vec())]);
    let req = Request::post("/api/ingest")
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, ctype)
        .body(Body::from(body))
        .unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let done = wait_for_job(&app, &s, json(&body)["job"].as_u64().unwrap()).await;
    assert_eq!(done["files"][0]["outcome"], "stored", "{done}");

    let kinds = hit_kinds(&app, &s, "q=Kurtveliyev").await;
    for kind in ["article", "event"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} hit: {kinds:?}");
    }
    let names = hit_kinds(&app, &s, "mode=names&q=Ilmi%20Kurtveliyev").await;
    assert!(names.iter().any(|k| k == "person"), "{names:?}");
    assert_eq!(
        app.state.rebuilds_asked(),
        asked,
        "the upload asked for a rebuild"
    );
}

/// A news host on loopback serving a feed with one article page.
async fn news_host() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let feed = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Peninsula News</title><link>http://{addr}/</link>
<item><title>Crimean Tatar beekeeper detained</title><link>http://{addr}/news/beekeeper.html</link><pubDate>Mon, 14 Apr 2025 10:00:00 GMT</pubDate></item>
</channel></rss>"#
    );
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
    serve_news_site(listener, feed, "/news/beekeeper.html", page.into_bytes());
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fetched_page_is_found_by_search_when_its_job_ends_without_a_rebuild() {
    let host = news_host().await;
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let asked = app.state.rebuilds_asked();
    let req = Request::post("/sources/add")
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "csrf={}&kind=feed&urls=http%3A%2F%2F{host}%2Ffeed.xml",
            s.csrf
        )))
        .unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, jobs) = app.get("/api/ingest/jobs", Some(&s)).await;
    let done = wait_for_job(&app, &s, json(&jobs)[0]["id"].as_u64().unwrap()).await;
    let stored = done["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["outcome"] == "stored");
    assert!(stored, "{done}");

    let kinds = hit_kinds(&app, &s, "q=Kurtveliyev").await;
    for kind in ["article", "event"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} hit: {kinds:?}");
    }
    let names = hit_kinds(&app, &s, "mode=names&q=Ilmi%20Kurtveliyev").await;
    assert!(names.iter().any(|k| k == "person"), "{names:?}");
    assert_eq!(
        app.state.rebuilds_asked(),
        asked,
        "the fetch asked for a rebuild"
    );
}
