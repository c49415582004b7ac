//! Crawls the whole public site and API over a register with a hidden person, an initials-only
//! person and a hidden field, and fails on any trace of what is protected: the hidden person's name
//! in every spelling, script, case and inflection the register or its articles know, their record
//! id, a file name or address carrying the name, and the hidden status. Initials must be the same
//! on every surface.

mod common;

use axum::http::StatusCode;
use casebook_register::{Decision, SqliteStore, Store, Visibility};
use common::*;
use std::collections::{BTreeSet, VecDeque};

/// What must never appear in public, compared in lower case.
const FORBIDDEN: &[&str] = &[
    // The hidden person: given name and surname, Latin and Cyrillic, as recorded and as the
    // articles inflect them (Сейтхалиловой), capitals and lower case in the text.
    "elmaz",
    "эльмаз",
    "seitkhalilova",
    "сейтхалилова",
    "сейтхалиловой",
    // The initials-only person's name parts, in both scripts and inflected (Тарасу Остапенку).
    "taras",
    "тарас",
    "ostapenk",
    "остапенк",
    // A file name and a path that carry the name.
    "seitkhalilova-elmaz",
    "questioned-at-night",
    // The hidden status of the public relative.
    "disappeared",
    // Partial redaction.
    "[withheld]a",
];

fn seed_protected(dir: &std::path::Path) -> (String, String, String) {
    let mut store = SqliteStore::open(dir).unwrap();
    let provenance = casebook_register::Provenance {
        extractor_version: "test".into(),
        actor: "test-ingest".into(),
    };
    let articles = [
        article(
            "seitkhalilova-elmaz-questioned-at-night.html",
            &[
                "SEITKHALILOVA, 36, denied the charge, her lawyer said in Simferopol.",
                "FSB officers detained Ruslan Seitkhalilov in Simferopol on Monday.",
                "His sister Elmaz Seitkhalilova was questioned as a witness the same night.",
                "Позже Эльмаз Сейтхалиловой вручили повестку в Симферополе.",
                "Their neighbour Taras Ostapenko saw the officers search the flat.",
                "Соседу Тарасу Остапенку угрожали после обыска.",
            ],
            &[
                "Ruslan Seitkhalilov",
                "Elmaz Seitkhalilova",
                "Taras Ostapenko",
            ],
            &[
                ("detention", vec![0], "2025-03-10", 1),
                ("search", vec![1], "2025-03-10", 2),
                ("search", vec![2], "2025-03-11", 4),
            ],
        ),
        article(
            "/home/anna/inbox/elmaz.txt",
            &[
                "A court remanded Ruslan Seitkhalilov in custody until May 10.",
                "elmaz seitkhalilova's appeal for a visit was refused.",
            ],
            &["Ruslan Seitkhalilov"],
            &[("arrest_custody", vec![0], "2025-03-12", 0)],
        ),
    ];
    for (original, analysed) in &articles {
        store
            .store_article(
                original,
                analysed,
                &provenance,
                &casebook_register::KeyResolver,
            )
            .unwrap();
    }
    let id = |name: &str| person_id(dir, name);
    let (ruslan, elmaz, taras) = (
        id("Ruslan Seitkhalilov"),
        id("Elmaz Seitkhalilova"),
        id("Taras Ostapenko"),
    );
    let mut decide = |d: Decision| {
        store.decide("reviewer", &d).unwrap();
    };
    for person in [&ruslan, &elmaz, &taras] {
        decide(Decision::Confirm {
            target: person.clone(),
        });
    }
    decide(Decision::Edit {
        target: ruslan.clone(),
        field: "status".into(),
        value: "disappeared".into(),
    });
    decide(Decision::SetVisibility {
        person: ruslan.clone(),
        field: Some("status".into()),
        level: Visibility::Hidden,
    });
    decide(Decision::SetVisibility {
        person: elmaz.clone(),
        field: None,
        level: Visibility::Hidden,
    });
    decide(Decision::SetVisibility {
        person: taras.clone(),
        field: None,
        level: Visibility::Initials,
    });
    let mut events = Vec::new();
    store
        .visit_events(&mut |e| {
            events.push(e.id);
            Ok(())
        })
        .unwrap();
    for target in events {
        store
            .decide("reviewer", &Decision::Confirm { target })
            .unwrap();
    }
    (ruslan, elmaz, taras)
}

/// The links of a page that stay on this site, `&amp;` undone.
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = body;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let link = rest[..end].replace("&amp;", "&");
            if link.starts_with('/') && !link.starts_with("//") {
                out.push(link.split('#').next().unwrap_or_default().to_string());
            }
            rest = &rest[end..];
        }
    }
    out
}

fn check(path: &str, body: &str, hidden_id: &str) {
    let lower = body.to_lowercase();
    for word in FORBIDDEN {
        assert!(!lower.contains(word), "{path} shows {word:?}:\n{body}");
    }
    assert!(
        !body.contains(hidden_id),
        "{path} shows the hidden person's id"
    );
}

/// Every page reachable from the public pages, and every link on them, checked for what is hidden.
async fn crawl_public_pages(public: &TestApp, elmaz: &str) {
    let mut queue: VecDeque<String> = ["/", "/search", "/search?q=", "/export"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let (status, body) = public.get(&path, None).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
        check(&path, &body, elmaz);
        pages += 1;
        queue.extend(links(&body));
    }
    assert!(
        pages >= 10,
        "the crawl reached only {pages} pages: {seen:?}"
    );
    assert!(seen.iter().any(|p| p.starts_with("/articles/")), "{seen:?}");
    assert!(seen.iter().any(|p| p.starts_with("/persons/")), "{seen:?}");
}

#[tokio::test]
async fn the_public_site_api_and_exports_never_show_what_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    let (ruslan, elmaz, taras) = seed_protected(dir.path());
    let public = TestApp::over(dir, true);

    crawl_public_pages(&public, &elmaz).await;

    // Every public API endpoint, with every id the public API gives out.
    let mut api: Vec<String> = vec![
        "/api/dashboard".into(),
        "/api/search?q=".into(),
        "/api/persons?q=s".into(),
        "/api/openapi.json".into(),
    ];
    for format in ["json", "ftm"] {
        api.push(format!("/api/export?format={format}"));
        api.push(format!("/export?format={format}"));
    }
    for table in casebook_web::api::CSV_TABLES {
        api.push(format!("/api/export?format=csv&table={table}"));
    }
    let (_, export) = public.get("/api/export?format=json", None).await;
    let export: serde_json::Value = serde_json::from_str(&export).unwrap();
    for a in export["articles"].as_array().unwrap() {
        api.push(format!("/api/articles/{}", a["id"].as_str().unwrap()));
    }
    for p in export["persons"].as_array().unwrap() {
        api.push(format!("/api/persons/{}", p["id"].as_str().unwrap()));
    }
    // Searches by every spelling of the protected names, and through every facet.
    for q in [
        "Elmaz",
        "ELMAZ SEITKHALILOVA",
        "seitkhalilova",
        "Эльмаз",
        "Сейтхалиловой",
        "Seytkhalilova",
        "Taras",
        "Тарасу",
        "Ostapenko",
    ] {
        for mode in ["auto", "names", "exact"] {
            let path = format!("/api/search?q={}&mode={mode}", urlencode(q));
            let (status, body) = public.get(&path, None).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            let found: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(found["total"], 0, "{q} ({mode}) finds something: {body}");
        }
        let path = format!("/api/persons?q={}", urlencode(q));
        let (_, body) = public.get(&path, None).await;
        assert_eq!(body, "[]", "{path}");
    }
    for facet in [
        "status=disappeared",
        "status=pre_trial_detention",
        "kind=event",
        "kind=person",
    ] {
        api.push(format!("/api/search?q=&{facet}"));
    }
    for path in &api {
        let (status, body) = public.get(path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        check(path, &body, &elmaz);
    }
    // The hidden person has no page; the status facet does not count a hidden status.
    for path in [format!("/api/persons/{elmaz}"), format!("/persons/{elmaz}")] {
        let (status, _) = public.get(&path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, body) = public.get("/api/search?q=&status=disappeared", None).await;
    assert!(body.contains("\"total\":0"), "{body}");

    // The hidden field is absent wherever the relative appears.
    let (_, body) = public.get(&format!("/api/persons/{ruslan}"), None).await;
    let file: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(file["person"].get("status").is_none(), "{body}");
    let person = export["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == ruslan.as_str())
        .unwrap();
    assert!(person.get("status").is_none(), "{person}");

    // The same initials on every surface: case file, export, FtM, CSV, article text, search.
    let (_, body) = public.get(&format!("/api/persons/{taras}"), None).await;
    let file: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(file["person"]["name"], "T. O.");
    let person = export["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == taras.as_str())
        .unwrap();
    assert_eq!(person["name"], "T. O.");
    let (_, ftm) = public.get("/api/export?format=ftm", None).await;
    assert!(ftm.contains("\"name\":[\"T. O.\"]"), "{ftm}");
    let (_, csv) = public
        .get("/api/export?format=csv&table=persons", None)
        .await;
    assert!(csv.contains(",T. O.,"), "{csv}");
    let article = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap_or_default().contains("denied"))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, page) = public.get(&format!("/articles/{article}"), None).await;
    assert!(page.contains("Their neighbour T. O. saw"), "{page}");
    assert!(page.contains("Соседу T. O. угрожали"), "{page}");
    assert!(page.contains("[withheld], 36, denied"), "{page}");
    // The source shows as the outlet's host only, never a link to the address.
    assert!(page.contains("source: news.example.org"), "{page}");
    let (_, hits) = public.get("/api/search?q=neighbour", None).await;
    assert!(hits.contains("T. O."), "{hits}");
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[tokio::test]
async fn only_web_addresses_become_links_on_the_article_page() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let provenance = casebook_register::Provenance {
            extractor_version: "test".into(),
            actor: "test-ingest".into(),
        };
        for (source, sentence, url) in [
            (
                "evil.html",
                "Officers searched the home of Lenur Abduraimov in Bakhchysarai.",
                "javascript:alert(document.cookie)",
            ),
            (
                "good.html",
                "A court fined Lenur Abduraimov for a post.",
                "https://news.example.org/fine",
            ),
        ] {
            let (original, mut analysed) = article(source, &[sentence], &["Lenur Abduraimov"], &[]);
            analysed.article.url = Some(url.into());
            store
                .store_article(
                    &original,
                    &analysed,
                    &provenance,
                    &casebook_register::KeyResolver,
                )
                .unwrap();
        }
    }
    let app = TestApp::over(dir, false);
    let session = app.login(VIEWER).await;
    let store = SqliteStore::open(app.dir.path()).unwrap();
    let mut ids = Vec::new();
    store
        .visit_articles(&mut |a| {
            ids.push((a.id, a.url));
            Ok(())
        })
        .unwrap();
    assert_eq!(ids.len(), 2);
    for (id, url) in ids {
        let (status, page) = app.get(&format!("/articles/{id}"), Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.to_lowercase().contains("javascript:"), "{page}");
        if url.as_deref() == Some("https://news.example.org/fine") {
            assert!(
                page.contains("href=\"https://news.example.org/fine\""),
                "{page}"
            );
        }
    }
}
