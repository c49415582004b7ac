//! Monitoring over the API and the pages: the inbox and its read state, the Atom feed, the
//! watchlist and sources with their access rules, a feed added on the ingest page and fetched from
//! a server on loopback, exports, and account changes in the audit log.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use casebook_monitor::{AlertDraft, MonitorState, WatchKind};
use common::*;
use serde_json::Value;
use std::time::Duration;

async fn delete(app: &TestApp, path: &str, session: Option<&Session>) -> (StatusCode, String) {
    let mut req = Request::delete(path);
    if let Some(s) = session {
        req = req
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf);
    }
    let (status, _, body) = app.send(req.body(Body::empty()).unwrap()).await;
    (status, body)
}

/// An alert about the detention of Emil Ziyadinov, as the monitor would raise it, with its event.
fn raise_alert(app: &TestApp) -> i64 {
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let store = casebook_register::SqliteStore::open(app.dir.path()).unwrap();
    let file = casebook_register::Store::case_file(&store, &emil).unwrap();
    let event = file
        .timeline
        .iter()
        .find(|e| e.event_type == "detention")
        .unwrap();
    let source = &event.sources[0];
    let monitor = MonitorState::open(app.dir.path()).unwrap();
    let watch = monitor
        .add_watch(WatchKind::Person, "Эмиль Зиядинов", "2025-03-10T09:00:00Z")
        .unwrap();
    let draft = AlertDraft {
        watch_id: watch,
        dedup_key: format!("w{watch}:event:{}", event.id),
        title: "detention of Emil Ziyadinov in Simferopol (2025-03-10)".into(),
        summary: "A watched person, Эмиль Зиядинов, is reported detained.".into(),
        person_id: Some(emil.clone()),
        event_id: Some(event.id.clone()),
        event_type: Some("detention".into()),
        article_id: source.article.clone(),
        url: Some("https://news.example.org/one.txt".into()),
        evidence: Some(source.text.clone()),
        same_story_keys: Vec::new(),
    };
    monitor
        .insert_alert(&draft, "2025-03-10T09:05:00Z")
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn the_inbox_links_each_alert_to_its_evidence_and_counts_unread() {
    let app = TestApp::new(false);
    let id = raise_alert(&app);
    let viewer = app.login(VIEWER).await;

    let (status, _) = app.get("/api/alerts", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app.get("/api/alerts", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let inbox = json(&body);
    assert_eq!(inbox["unread"], 1);
    let alert = &inbox["alerts"][0];
    assert_eq!(alert["id"], id);
    assert_eq!(alert["read"], false);
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    assert_eq!(alert["links"]["person"], format!("/persons/{emil}"));
    // The article link lands on the sentence: the anchor the article page puts on the evidence.
    let article_link = alert["links"]["article"].as_str().unwrap();
    let (path, anchor) = article_link
        .split_once('#')
        .expect("an anchor at the sentence");
    let (status, page) = app.get(path, Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("id=\"{anchor}\"")),
        "{anchor} not in {page}"
    );

    // The page shows the alert and the count in the navigation.
    let (status, page) = app.get("/alerts", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("detention of Emil Ziyadinov"));
    assert!(page.contains("detained Emil Ziyadinov in Simferopol"));
    assert!(page.contains(r#"<span class="unread-badge" title="unread alerts">1</span>"#));
    let (_, dashboard) = app.get("/", Some(&viewer)).await;
    assert!(dashboard.contains(r#"title="unread alerts">1<"#));

    // The Atom feed carries it with absolute links.
    let req = Request::get("/alerts.atom")
        .header(header::COOKIE, &viewer.cookie)
        .header(header::HOST, "casebook.example:8080")
        .body(Body::empty())
        .unwrap();
    let (status, headers, feed) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    assert!(feed.contains("<feed") && feed.contains("detention of Emil Ziyadinov"));
    assert!(feed.contains(&format!("http://casebook.example:8080/persons/{emil}")));

    // Read state: bad ids, unauthenticated writes, read, unread, all read.
    let (status, body) = app
        .post_json("/api/alerts/999/read", Some(&viewer), "")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("999"));
    let (status, _) = app
        .post_json("/api/alerts/abc/read", Some(&viewer), "")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .post_json(&format!("/api/alerts/{id}/read"), None, "")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .post_json(&format!("/api/alerts/{id}/read"), Some(&viewer), "")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["unread"], 0);
    let (_, dashboard) = app.get("/", Some(&viewer)).await;
    assert!(!dashboard.contains("unread-badge"));
    let (status, body) = delete(&app, &format!("/api/alerts/{id}/read"), Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["unread"], 1);
    let (_, body) = app.get("/api/alerts?unread=true", Some(&viewer)).await;
    assert_eq!(json(&body)["alerts"].as_array().unwrap().len(), 1);
    let (status, body) = app
        .post_json("/api/alerts/read-all", Some(&viewer), "")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["marked"], 1);
    let (_, body) = app.get("/api/alerts?unread=true", Some(&viewer)).await;
    assert!(json(&body)["alerts"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn viewers_read_the_watchlist_analysts_change_it_and_the_audit_log_names_them() {
    let app = TestApp::new(false);
    let viewer = app.login(VIEWER).await;
    let analyst = app.login(ANALYST).await;
    let watch = r#"{"kind":"person","value":"Эмиль Зиядинов"}"#;
    let (status, _) = app.post_json("/api/watches", None, watch).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app.post_json("/api/watches", Some(&viewer), watch).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .post_json(
            "/api/watches",
            Some(&analyst),
            r#"{"kind":"planet","value":"Mars"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("event_type"));
    let (status, body) = app
        .post_json(
            "/api/watches",
            Some(&analyst),
            r#"{"kind":"place","value":"   "}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.post_json("/api/watches", Some(&analyst), watch).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = json(&body)["id"].as_i64().unwrap();
    let (_, body) = app.get("/api/watches", Some(&viewer)).await;
    assert_eq!(json(&body)[0]["value"], "Эмиль Зиядинов");
    let (_, page) = app.get("/watch", Some(&viewer)).await;
    assert!(page.contains("Эмиль Зиядинов"));
    assert!(
        !page.contains("action=\"/watch/add\""),
        "a viewer gets no form"
    );
    let (status, _) = delete(&app, "/api/watches/12345", Some(&analyst)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = delete(&app, &format!("/api/watches/{id}"), Some(&viewer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = delete(&app, &format!("/api/watches/{id}"), Some(&analyst)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Sources: checked URLs, added without fetching, listed with their state, removed.
    let (status, body) = app
        .post_json(
            "/api/sources",
            Some(&analyst),
            r#"{"urls":"not a url","kind":"feed"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .post_json(
            "/api/sources",
            Some(&analyst),
            r#"{"urls":"https://a.example/feed.xml","kind":"podcast"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app
        .post_json(
            "/api/sources",
            Some(&analyst),
            r#"{"urls":"https://a.example/feed.xml\nhttps://b.example/sitemap.xml","kind":"feed","fetch":false}"#,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let added = json(&body);
    assert_eq!(added["sources"].as_array().unwrap().len(), 2);
    assert!(added["job"].is_null());
    let source = added["sources"][0]["id"].as_i64().unwrap();
    let (_, body) = app.get("/api/sources", Some(&viewer)).await;
    assert_eq!(json(&body)[0]["url"], "https://a.example/feed.xml");
    let (_, page) = app.get("/watch", Some(&viewer)).await;
    assert!(page.contains("https://b.example/sitemap.xml") && page.contains("not fetched yet"));
    let (status, _) = app
        .post_json("/api/sources/777/fetch", Some(&analyst), "")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = delete(&app, &format!("/api/sources/{source}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = delete(&app, &format!("/api/sources/{source}"), Some(&analyst)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = delete(&app, &format!("/api/sources/{source}"), Some(&analyst)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every change is in the hash-chained audit log under the analyst's name.
    let (_, body) = app.get("/api/audit?limit=1000", Some(&viewer)).await;
    let entries = json(&body);
    let actions: Vec<(String, String)> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == ANALYST.0)
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for action in ["watch_add", "watch_remove", "source_add", "source_remove"] {
        assert!(
            actions.iter().any(|(a, _)| a == action),
            "{action} not audited: {actions:?}"
        );
    }
    let (_, page) = app.get("/audit", Some(&viewer)).await;
    assert!(page.contains("watch_add"));
}

#[tokio::test]
async fn the_public_view_has_no_alerts_watchlist_or_sources() {
    let app = TestApp::new(false);
    raise_alert(&app);
    let public = TestApp::over(app.dir, true);
    for path in [
        "/alerts",
        "/alerts.atom",
        "/watch",
        "/api/alerts",
        "/api/watches",
        "/api/sources",
    ] {
        let (status, body) = public.get(path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert!(!body.contains("Ziyadinov"), "{path}: {body}");
    }
    let (_, page) = public.get("/", None).await;
    assert!(!page.contains("/alerts"));
}

/// A news host on loopback: a feed listing an article page and a page that is gone.
async fn news_host() -> std::net::SocketAddr {
    let page = std::fs::read("../../examples/pages/utf8-en.html").unwrap();
    news_site(
        "Crimea Watch",
        &[
            (
                "/news/kurtumerov.html",
                "Court in Simferopol extends arrest of Crimean Tatar activist",
                Some("Mon, 07 Jul 2025 10:00:00 GMT"),
            ),
            (
                "/news/gone.html",
                "A story taken down",
                Some("Sun, 06 Jul 2025 10:00:00 GMT"),
            ),
        ],
        "/news/kurtumerov.html",
        page,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_added_on_the_ingest_page_is_fetched_with_progress_and_raises_alerts() {
    let host = news_host().await;
    let app = TestApp::new(false);
    let analyst = app.login(ANALYST).await;
    // Watched in Cyrillic; the page writes the name in Latin letters.
    let (status, body) = app
        .post_json(
            "/api/watches",
            Some(&analyst),
            r#"{"kind":"person","value":"Руслан Куртумеров"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The ingest page's form: add the feed and fetch it now.
    let (status, headers, body) = app
        .post_form(
            "/sources/add",
            &analyst,
            &format!("kind=feed&urls=http%3A%2F%2F{host}%2Ffeed.xml"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/ingest?done="), "{location}");
    let (_, jobs) = app.get("/api/ingest/jobs", Some(&analyst)).await;
    let job = json(&jobs)[0]["id"].as_u64().unwrap();
    let mut done = Value::Null;
    for _ in 0..600 {
        let (_, body) = app
            .get(&format!("/api/ingest/jobs/{job}"), Some(&analyst))
            .await;
        done = json(&body);
        if done["finished"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(done["finished"], true, "{done}");
    let rows = done["files"].as_array().unwrap();
    assert_eq!(rows[0]["outcome"], "listed", "{done}");
    assert!(
        rows[0]["name"].as_str().unwrap().contains("2 listed"),
        "{done}"
    );
    let stored = rows
        .iter()
        .find(|r| {
            r["name"]
                .as_str()
                .unwrap()
                .ends_with("/news/kurtumerov.html")
        })
        .unwrap_or_else(|| panic!("no row for the article: {done}"));
    assert_eq!(stored["outcome"], "stored", "{done}");
    assert!(stored["new_persons"].as_u64().unwrap() >= 1, "{done}");
    let gone = rows
        .iter()
        .find(|r| r["name"].as_str().unwrap().ends_with("/news/gone.html"))
        .unwrap_or_else(|| panic!("no row for the missing page: {done}"));
    assert_eq!(gone["outcome"], "failed");
    assert!(
        gone["errors"][0].as_str().unwrap().contains("404"),
        "{done}"
    );
    assert_eq!(done["done"], done["total"]);
    let (_, page) = app.get("/ingest", Some(&analyst)).await;
    assert!(page.contains("kurtumerov.html") && page.contains("outcome-failed"));

    // The watched person raised an alert that leads to the article and the case file.
    let (_, body) = app.get("/api/alerts", Some(&analyst)).await;
    let inbox = json(&body);
    // One alert per event the page reports of him (custody extended, charged, detained, searched).
    let alerts = inbox["alerts"].as_array().unwrap();
    assert!(!alerts.is_empty(), "{inbox}");
    assert_eq!(inbox["unread"], alerts.len(), "{inbox}");
    for alert in alerts {
        assert!(
            alert["title"].as_str().unwrap().contains("Kurtumerov"),
            "{alert}"
        );
        assert_eq!(alert["links"]["person"], alerts[0]["links"]["person"]);
    }
    assert!(
        alerts.iter().any(|a| a["event_type"] == "detention"),
        "{inbox}"
    );
    let alert = &alerts[0];
    let person = alert["links"]["person"].as_str().unwrap();
    let (status, file) = app.get(person, Some(&analyst)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(file.contains("Ruslan Kurtumerov"));
    // The source is listed as checked, without error.
    let (_, body) = app.get("/api/sources", Some(&analyst)).await;
    let sources = json(&body);
    assert!(sources[0]["last_ok_at"].is_string(), "{sources}");
    assert!(sources[0]["last_error"].is_null(), "{sources}");
    // The fetch is recorded under the analyst: the source and the stored page.
    let (_, body) = app.get("/api/audit?limit=1000", Some(&analyst)).await;
    let audit = json(&body);
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor"] == ANALYST.0 && e["action"] == "source_add"));
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor"] == ANALYST.0 && e["action"] == "ingest"));
}

#[tokio::test]
async fn exports_honour_the_public_policy_in_every_format() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let (_emil, _witness) = confirm_emil_and_hide_witness(&app, &s).await;
    let viewer = app.login(VIEWER).await;
    let (status, page) = app.get("/export", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("format=csv&amp;table=event_sources"));
    let (status, team) = app
        .get("/export?format=csv&table=persons", Some(&viewer))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        team.starts_with("id,name,status,visibility,articles"),
        "{team}"
    );
    assert!(team.contains("Kemalov"));
    let (_, public_csv) = app
        .get(
            "/export?format=csv&table=persons&scope=public",
            Some(&viewer),
        )
        .await;
    assert!(public_csv.contains("Emil Ziyadinov"), "{public_csv}");
    assert!(!public_csv.contains("Kemalov"), "{public_csv}");
    let (_, ftm) = app
        .get("/api/export?format=ftm&scope=public", Some(&viewer))
        .await;
    assert!(ftm.contains("Emil Ziyadinov") && !ftm.contains("Kemalov"));
    let (status, body) = app
        .get("/api/export?format=csv&table=secrets", Some(&viewer))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["error"].as_str().unwrap().contains("persons"));
    let (status, _) = app.get("/api/export?format=xlsx", Some(&viewer)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // No export directory is left behind.
    assert!(!std::fs::read_dir(app.dir.path()).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with("export-")));
    // The public server exports under the policy whatever is asked.
    let public = TestApp::over(app.dir, true);
    let (status, csv) = public
        .get("/export?format=csv&table=person_names", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Emil Ziyadinov") && !csv.contains("Kemalov"));
    let (status, page) = public.get("/export", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("confirmed facts only"));
}

#[tokio::test]
async fn account_changes_are_audited_without_passwords() {
    let app = TestApp::new(false);
    let admin = app.login(ADMIN).await;
    let (status, _) = app
        .post_json(
            "/api/users",
            Some(&admin),
            r#"{"name":"emine","password":"emine's first password","role":"viewer"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = app
        .post_json(
            "/api/users/emine/role",
            Some(&admin),
            r#"{"role":"analyst"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["role"], "analyst");
    let (status, _) = app
        .post_json(
            "/api/users/nobody/role",
            Some(&admin),
            r#"{"role":"analyst"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .post_json(
            "/api/users/amina/role",
            Some(&admin),
            r#"{"role":"viewer"}"#,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the last admin stays"
    );
    let emine = app.login(("emine", "emine's first password")).await;
    let (status, _) = app
        .post_json("/api/users/emine/role", Some(&emine), r#"{"role":"admin"}"#)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post_json(
            "/api/session/password",
            Some(&emine),
            r#"{"current":"a wrong guess!","new":"emine's second password"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post_json(
            "/api/session/password",
            Some(&emine),
            r#"{"current":"emine's first password","new":"emine's second password"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    app.login(("emine", "emine's second password")).await;
    // Failed logins past the limit are recorded once, with the address, not the guesses.
    for _ in 0..7 {
        app.post_json(
            "/api/session",
            None,
            r#"{"name":"dilyara","password":"guess 1234567"}"#,
        )
        .await;
    }
    let (_, body) = app.get("/api/audit?limit=1000", Some(&admin)).await;
    let entries = json(&body);
    let entries = entries.as_array().unwrap();
    let find = |actor: &str, action: &str| {
        entries
            .iter()
            .filter(|e| e["actor"] == actor && e["action"] == action)
            .count()
    };
    assert_eq!(find(ADMIN.0, "account_create"), 1);
    assert_eq!(find(ADMIN.0, "role_change"), 1);
    assert_eq!(find("emine", "password_change"), 1);
    assert_eq!(find("anonymous", "login_rate_limited"), 1);
    assert!(!body.contains("password\":") && !body.contains("first password"));
    assert!(!body.contains("guess 1234567"));
}
