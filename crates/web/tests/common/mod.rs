//! A register about invented people, accounts, and request helpers for the web tests.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use casebook_model::*;
use casebook_register::{KeyResolver, Original, Provenance, SqliteStore, Store};
use casebook_web::{AppState, Config, Role};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

pub const ADMIN: (&str, &str) = ("amina", "admin password 1");
pub const ANALYST: (&str, &str) = ("bekir", "analyst password 2");
pub const VIEWER: (&str, &str) = ("dilyara", "viewer password 3");

/// Builds an analysed article: each sentence is one paragraph; every person name found in the
/// text makes a mention; each event is (type, victims, date, sentence index).
pub fn article(
    source: &str,
    sentences: &[&str],
    persons: &[&str],
    events: &[(&str, Vec<usize>, &str, usize)],
) -> (Original, AnalysedArticle) {
    let bytes = sentences.join("\n\n").into_bytes();
    let sha = hex::encode(Sha256::digest(&bytes));
    let article = Article {
        id: sha.clone(),
        source: source.to_string(),
        original_sha256: sha.clone(),
        url: Some(format!("https://news.example.org/{source}")),
        title: Some(sentences[0].to_string()),
        site: Some("news.example.org".into()),
        published: Some(Published {
            value: "2025-03-12".into(),
            precision: Precision::Day,
            from: "meta".into(),
        }),
        paragraphs: sentences.iter().map(|s| s.to_string()).collect(),
        ..Article::default()
    };
    let text = article.text();
    let mut mentions = Vec::new();
    for (p, name) in persons.iter().enumerate() {
        let mut from = 0;
        while let Some(pos) = text[from..].find(name) {
            let byte = from + pos;
            let start = text[..byte].chars().count();
            mentions.push(PersonMention {
                text: name.to_string(),
                start,
                end: start + name.chars().count(),
                person: p,
            });
            from = byte + name.len();
        }
    }
    mentions.sort_by_key(|m| m.start);
    let span = |i: usize| {
        let before: usize = sentences[..i].iter().map(|s| s.chars().count() + 2).sum();
        (before, before + sentences[i].chars().count())
    };
    let events = events
        .iter()
        .map(|(t, victims, date, i)| {
            let (start, end) = span(*i);
            Event {
                event_type: t.to_string(),
                victims: victims.clone(),
                victim_group: None,
                perpetrators: vec!["FSB".into()],
                date: FuzzyDate::parse(date),
                place: Some("Simferopol".into()),
                details: Default::default(),
                victim_details: Default::default(),
                claimed_by: None,
                evidence: Evidence {
                    article: sha.clone(),
                    text: sentences[*i].to_string(),
                    start,
                    end,
                },
            }
        })
        .collect();
    let analysed = AnalysedArticle {
        article,
        people: ArticlePeople {
            persons: persons
                .iter()
                .map(|n| ArticlePerson {
                    name: n.to_string(),
                    descriptors: vec!["citizen journalist".into()],
                    relations: vec![],
                })
                .collect(),
            mentions,
            entities: vec![],
        },
        events: ArticleEvents {
            events,
            cases: vec![],
        },
    };
    let original = Original {
        sha256: sha,
        source: source.to_string(),
        bytes,
    };
    (original, analysed)
}

/// Stores three invented articles: Emil Ziyadinov detained (with a witness, Server Kemalov),
/// Emil Ziyadinov remanded, and "Emil Ziiadinov" (another spelling, a merge candidate) fined.
pub fn seed(dir: &std::path::Path) {
    let mut store = SqliteStore::open(dir).unwrap();
    let provenance = Provenance {
        extractor_version: "test".into(),
        actor: "test-ingest".into(),
    };
    let articles = [
        article(
            "one.txt",
            &[
                "FSB officers detained Emil Ziyadinov in Simferopol on Monday.",
                "His neighbour Server Kemalov, a witness, saw the officers arrive.",
            ],
            &["Emil Ziyadinov", "Server Kemalov"],
            &[("detention", vec![0], "2025-03-10", 0)],
        ),
        article(
            "two.txt",
            &["A court remanded Emil Ziyadinov in custody until May 10."],
            &["Emil Ziyadinov"],
            &[("arrest_custody", vec![0], "2025-03-12", 0)],
        ),
        article(
            "three.txt",
            &["A court fined E. Ziyadinov 10,000 roubles for a post."],
            &["E. Ziyadinov"],
            &[("administrative_penalty", vec![0], "2024-11-02", 0)],
        ),
    ];
    for (original, analysed) in &articles {
        store
            .store_article(original, analysed, &provenance, &KeyResolver)
            .unwrap();
    }
}

/// A person's id by a part of their name.
pub fn person_id(dir: &std::path::Path, name: &str) -> String {
    let store = SqliteStore::open(dir).unwrap();
    let found = store.find_persons(name, 10).unwrap();
    found
        .into_iter()
        .find(|p| p.names.iter().any(|n| n == name) || p.name == name)
        .map(|p| p.id)
        .unwrap_or_else(|| panic!("no person named {name}"))
}

/// A test server: data directory, accounts, state, router.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub router: axum::Router,
}

impl TestApp {
    pub fn new(public: bool) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        seed(dir.path());
        Self::over(dir, public)
    }

    pub fn over(dir: tempfile::TempDir, public: bool) -> TestApp {
        let mut config = Config::new(dir.path());
        config.public = public;
        config.max_body_bytes = 256 * 1024;
        // The tests' news hosts listen on 127.0.0.1.
        config.allow_private_fetch = true;
        let state = AppState::open(config).unwrap();
        for ((name, pw), role) in
            [ADMIN, ANALYST, VIEWER]
                .into_iter()
                .zip([Role::Admin, Role::Analyst, Role::Viewer])
        {
            let _ = state.accounts().add_user(name, pw, role);
        }
        casebook_web::projection::reindex(&state).unwrap();
        let router = casebook_web::router(state.clone());
        TestApp { dir, state, router }
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> (StatusCode, String) {
        let mut req = Request::get(path);
        if let Some(s) = session {
            req = req.header(header::COOKIE, &s.cookie);
        }
        let (status, _, body) = self.send(req.body(Body::empty()).unwrap()).await;
        (status, body)
    }

    pub async fn post_json(
        &self,
        path: &str,
        session: Option<&Session>,
        json: &str,
    ) -> (StatusCode, String) {
        let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(s) = session {
            req = req
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf);
        }
        let (status, _, body) = self
            .send(req.body(Body::from(json.to_string())).unwrap())
            .await;
        (status, body)
    }

    /// Posts the form `fields` (URL-encoded, after the session's CSRF token) to `path` as `s`.
    pub async fn post_form(
        &self,
        path: &str,
        s: &Session,
        fields: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let req = Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={}&{fields}", s.csrf)))
            .unwrap();
        self.send(req).await
    }

    /// Uploads `files` (name, bytes) to `/api/ingest` as `s`.
    pub async fn upload(&self, s: &Session, files: &[(&str, Vec<u8>)]) -> (StatusCode, String) {
        let (ctype, body) = multipart(files);
        let req = Request::post("/api/ingest")
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body))
            .unwrap();
        let (status, _, body) = self.send(req).await;
        (status, body)
    }

    /// Polls the ingest job `job` until it finishes (a minute at the most); returns its report.
    pub async fn wait_for_job(&self, s: &Session, job: u64) -> serde_json::Value {
        let mut done = serde_json::Value::Null;
        for _ in 0..600 {
            let (_, body) = self.get(&format!("/api/ingest/jobs/{job}"), Some(s)).await;
            done = json(&body);
            if done["finished"] == true {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(done["finished"], true, "{done}");
        done
    }

    /// Posts a decision (a confirmation of "x") without a session.
    pub async fn decide_without_session(&self) -> (StatusCode, String) {
        let decision = r#"{"action":"confirm","target":"x"}"#;
        self.post_json("/api/decisions", None, decision).await
    }

    /// Records `decision` (the JSON of `/api/decisions`) as `s`, insisting it is created; returns
    /// the decision's id.
    pub async fn decide(&self, s: &Session, decision: &str) -> i64 {
        let (status, body) = self.post_json("/api/decisions", Some(s), decision).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        json(&body)["id"].as_i64().unwrap()
    }

    /// The events of a person's timeline (newest first), as `/api/persons/{id}` gives them.
    pub async fn timeline(&self, s: &Session, person: &str) -> Vec<serde_json::Value> {
        let (_, body) = self.get(&format!("/api/persons/{person}"), Some(s)).await;
        json(&body)["timeline"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn login(&self, who: (&str, &str)) -> Session {
        let body = format!(r#"{{"name":"{}","password":"{}"}}"#, who.0, who.1);
        let req = Request::post("/api/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let (status, headers, body) = self.send(req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let cookie = headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("Secure")
                && cookie.contains("SameSite=Strict")
        );
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        Session {
            cookie: cookie.split(';').next().unwrap().to_string(),
            csrf: json["csrf"].as_str().unwrap().to_string(),
        }
    }
}

/// Confirms Emil Ziyadinov and the witness Server Kemalov as `s`, and hides the witness from the
/// public; returns their ids (Emil's, the witness's).
pub async fn confirm_emil_and_hide_witness(app: &TestApp, s: &Session) -> (String, String) {
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let witness = person_id(app.dir.path(), "Server Kemalov");
    for d in [
        format!(r#"{{"action":"confirm","target":"{emil}"}}"#),
        format!(r#"{{"action":"confirm","target":"{witness}"}}"#),
        format!(
            r#"{{"action":"set_visibility","person":"{witness}","field":null,"level":"hidden"}}"#
        ),
    ] {
        app.decide(s, &d).await;
    }
    (emil, witness)
}

/// The JSON of an answer's body.
pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// A logged-in client: the cookie to send and the CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// A multipart body with one file per (name, bytes).
pub fn multipart(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "casebook-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Serves a news site on `listener` for fetch tests: an RSS feed at `/feed.xml` and one HTML page at
/// `page_path`. Returns at once; the site runs until the test's runtime ends.
pub fn serve_news_site(
    listener: tokio::net::TcpListener,
    feed: String,
    page_path: &'static str,
    page: Vec<u8>,
) {
    use axum::routing::get;
    let router = axum::Router::new()
        .route(
            "/feed.xml",
            get(move || async move { ([(header::CONTENT_TYPE, "application/rss+xml")], feed) }),
        )
        .route(
            page_path,
            get(
                move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page) },
            ),
        );
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
}

/// A news site on loopback (see [`serve_news_site`]): an RSS feed of `outlet` listing `items`
/// (path on this host, title, RFC 2822 date if any), and `page` served at `page_path`. Returns the
/// site's address.
pub async fn news_site(
    outlet: &str,
    items: &[(&str, &str, Option<&str>)],
    page_path: &'static str,
    page: Vec<u8>,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>{outlet}</title><link>http://{addr}/</link>\n"
    );
    for (path, title, date) in items {
        let date = date
            .map(|d| format!("<pubDate>{d}</pubDate>"))
            .unwrap_or_default();
        feed.push_str(&format!(
            "<item><title>{title}</title><link>http://{addr}{path}</link>{date}</item>\n"
        ));
    }
    feed.push_str("</channel></rss>");
    serve_news_site(listener, feed, page_path, page);
    addr
}
