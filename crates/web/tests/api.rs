//! The application driven over HTTP in process: access rules, errors, review, public mode, export.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;

#[tokio::test]
async fn strangers_are_sent_to_login_and_refused_writes() {
    let app = TestApp::new(false);
    let (status, headers, _) = app
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/login?next=/");
    let (status, body) = app.get("/api/dashboard", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("not logged in"));
    let (status, body) = app.decide_without_session().await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    // The login page and the API description are open.
    let (status, body) = app.get("/login", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<form method=\"post\" action=\"/login\""));
    let (status, body) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let doc = json(&body);
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/decisions"]["post"].is_object());
}

#[tokio::test]
async fn unknown_routes_bad_ids_and_bad_json_get_clear_errors() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let (status, body) = app.get("/api/nothing-here", Some(&s)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("/api/nothing-here"));
    let (status, body) = app.get("/no/such/page", Some(&s)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("<h1>404 Not Found</h1>"), "{body}");
    let (status, body) = app.get("/api/persons/p-0000000000000000", Some(&s)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json(&body)["error"].as_str().unwrap().contains("no person"));
    // An id that is not even text is a bad request, answered as a page.
    let (status, body) = app.get("/persons/%00%ff", Some(&s)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<h1>400 Bad Request</h1>"), "{body}");
    let (status, _) = app.get("/originals/not-a-sha", Some(&s)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let decide = |decision: &'static str| app.post_json("/api/decisions", Some(&s), decision);
    let (status, body) = decide("{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("json"));
    let (status, body) = decide(r#"{"action":"explode","target":"x"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = decide(r#"{"action":"confirm","target":"nothing"}"#).await;
    assert!(
        status == StatusCode::NOT_FOUND || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status} {body}"
    );
    let (status, body) = app.get("/api/search?q=x&year=soon", Some(&s)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["error"].as_str().unwrap().contains("year"));
}

#[tokio::test]
async fn writes_need_the_csrf_token_and_the_role() {
    let app = TestApp::new(false);
    let event = {
        let (_, body) = app
            .get("/api/dashboard", Some(&app.login(VIEWER).await))
            .await;
        json(&body)["newest"][0]["id"].as_str().unwrap().to_string()
    };
    let viewer = app.login(VIEWER).await;
    let decision = format!(r#"{{"action":"confirm","target":"{event}"}}"#);
    let (status, body) = app
        .post_json("/api/decisions", Some(&viewer), &decision)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("analyst"));
    let analyst = app.login(ANALYST).await;
    let forged = Session {
        cookie: analyst.cookie.clone(),
        csrf: "0".repeat(64),
    };
    let (status, body) = app
        .post_json("/api/decisions", Some(&forged), &decision)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("security token"));
    // A form without its token is refused too.
    let req = Request::post("/review/decide")
        .header(header::COOKIE, &analyst.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("action=confirm&target={event}")))
        .unwrap();
    let (status, _, _) = app.send(req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A cross-site form post is refused even with a token.
    let req = Request::post("/review/decide")
        .header(header::COOKIE, &analyst.cookie)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "csrf={}&action=confirm&target={event}",
            analyst.csrf
        )))
        .unwrap();
    let (status, _, _) = app.send(req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // With the token, the form works and the decision names its user.
    let (status, headers, _) = app
        .post_form(
            "/review/decide",
            &analyst,
            &format!("action=confirm&target={event}"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("/review?done="));
    let (_, body) = app.get("/api/decisions", Some(&viewer)).await;
    let decisions = json(&body);
    assert_eq!(decisions[0]["actor"], ANALYST.0);
    assert_eq!(decisions[0]["action"], "confirm");
    let (_, body) = app.get("/api/audit?limit=1000", Some(&viewer)).await;
    assert!(json(&body)
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor"] == ANALYST.0 && e["action"] == "confirm"));
}

#[tokio::test]
async fn failed_logins_are_rate_limited() {
    let app = TestApp::new(false);
    for _ in 0..5 {
        let (status, _) = app
            .post_json(
                "/api/session",
                None,
                r#"{"name":"amina","password":"wrong guess!"}"#,
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = app
        .post_json(
            "/api/session",
            None,
            &format!(r#"{{"name":"amina","password":"{}"}}"#, ADMIN.1),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("too many failed logins"));
    // Another account is not locked out by them.
    app.login(ANALYST).await;
}

#[tokio::test]
async fn case_file_review_merge_and_undo() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let (status, body) = app.get(&format!("/api/persons/{emil}"), Some(&s)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let file = json(&body);
    assert_eq!(file["person"]["name"], "Emil Ziyadinov");
    let timeline = file["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 2);
    // Newest first: the remand of 12 March, then the detention of 10 March.
    assert_eq!(timeline[0]["date"], "2025-03-12");
    assert_eq!(timeline[1]["date"], "2025-03-10");
    let source = &timeline[1]["sources"][0];
    assert!(source["text"]
        .as_str()
        .unwrap()
        .contains("detained Emil Ziyadinov"));
    assert_eq!(source["original"].as_str().unwrap().len(), 64);
    // The page shows the same, with links to the article and the original.
    let (status, page) = app.get(&format!("/persons/{emil}"), Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("detained Emil Ziyadinov in Simferopol"));
    assert!(page.contains("/originals/"));
    assert!(page.contains("citizen journalist"));
    // The review queue offers the other spelling as a merge candidate.
    let (_, body) = app.get("/api/review", Some(&s)).await;
    let queue = json(&body);
    let other = person_id(app.dir.path(), "E. Ziyadinov");
    let merge = format!(r#"{{"action":"merge","into":"{emil}","from":"{other}"}}"#);
    let (status, body) = app.post_json("/api/decisions", Some(&s), &merge).await;
    assert_eq!(status, StatusCode::CREATED, "{body} {queue}");
    let merge_id = json(&body)["id"].as_i64().unwrap();
    let (_, body) = app.get(&format!("/api/persons/{emil}"), Some(&s)).await;
    let merged = json(&body);
    assert_eq!(merged["timeline"].as_array().unwrap().len(), 3);
    assert!(merged["person"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n == "E. Ziyadinov"));
    // The merged-away id leads to the kept person's page.
    let req = Request::get(format!("/persons/{other}"))
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers.get(header::LOCATION).unwrap().to_str().unwrap(),
        format!("/persons/{emil}")
    );
    let (status, body) = app
        .post_json(&format!("/api/decisions/{merge_id}/undo"), Some(&s), "")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, body) = app.get(&format!("/api/persons/{emil}"), Some(&s)).await;
    assert_eq!(json(&body)["timeline"].as_array().unwrap().len(), 2);
    // The review page lists who decided what.
    let (_, page) = app.get("/review", Some(&s)).await;
    assert!(
        page.contains(&format!("<td>{}</td><td>merge</td>", ANALYST.0)),
        "{page}"
    );
}

#[tokio::test]
async fn the_public_view_shows_only_confirmed_facts_and_never_a_protected_person() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let (emil, witness) = confirm_emil_and_hide_witness(&app, &s).await;
    let events: Vec<String> = app
        .timeline(&s, &emil)
        .await
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let (status, _) = app
        .post_json(
            "/api/decisions",
            Some(&s),
            // The detention (the older event, last in the newest-first timeline).
            &format!(r#"{{"action":"confirm","target":"{}"}}"#, events[1]),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // The team sees the witness.
    let (status, _) = app.get(&format!("/api/persons/{witness}"), Some(&s)).await;
    assert_eq!(status, StatusCode::OK);

    let public = TestApp::over(app.dir, true);
    let (status, body) = public.get(&format!("/api/persons/{witness}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = public.get(&format!("/api/persons/{emil}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let file = json(&body);
    // Only the confirmed event, and the witness's name blacked out of every sentence.
    assert_eq!(file["timeline"].as_array().unwrap().len(), 1);
    assert!(!body.contains("Kemalov"));
    let (status, page) = public.get("/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("public view"));
    assert!(!page.contains("Kemalov"));
    let article = file["timeline"][0]["sources"][0]["article"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, page) = public.get(&format!("/articles/{article}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Kemalov"), "{page}");
    assert!(page.contains("[withheld]"));
    let (_, body) = public.get("/api/search?q=Kemalov", None).await;
    assert!(!body.contains("Kemalov"), "{body}");
    let (status, export) = public.get("/export?format=json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(export.contains("Emil Ziyadinov"));
    assert!(!export.contains("Kemalov"));
    // Nothing can be written, and there is no login or original.
    let (status, _) = public.decide_without_session().await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = public.get("/login", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ingest_uploads_report_per_file_outcomes_and_oversized_uploads_are_refused() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let example = std::fs::read("../../examples/01-seitkhalilov-detained-bilohirsk.txt").unwrap();
    let files = [
        ("01.txt", example),
        ("empty.txt", Vec::new()),
        ("blob.bin", vec![0u8, 159, 146, 150, 0, 1, 2, 3]),
    ];
    let (status, body) = app.upload(&s, &files).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let done = app
        .wait_for_job(&s, json(&body)["job"].as_u64().unwrap())
        .await;
    assert_eq!(done["files"][0]["outcome"], "stored", "{done}");
    assert!(done["files"][0]["articles"].as_u64().unwrap() >= 1);
    assert_eq!(done["files"][1]["outcome"], "failed", "{done}");
    assert!(!done["files"][1]["errors"].as_array().unwrap().is_empty());
    assert_eq!(done["files"][2]["outcome"], "failed", "{done}");
    let (_, page) = app.get("/ingest", Some(&s)).await;
    assert!(
        page.contains("01.txt") && page.contains("empty input"),
        "{page}"
    );
    // The analyst is recorded as the actor of the ingest.
    let (_, body) = app.get("/api/audit?limit=1000", Some(&s)).await;
    assert!(json(&body)
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor"] == ANALYST.0));

    let (status, body) = app.upload(&s, &[("big.txt", vec![b'a'; 300 * 1024])]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(json(&body)["error"].is_string());
}

#[tokio::test]
async fn search_finds_people_across_scripts_with_facets() {
    let app = TestApp::new(false);
    let s = app.login(VIEWER).await;
    let (status, body) = app
        .get(
            "/api/search?q=%D0%97%D0%B8%D1%8F%D0%B4%D0%B8%D0%BD%D0%BE%D0%B2",
            Some(&s),
        )
        .await; // Зиядинов
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = json(&body);
    let hits = results["hits"].as_array().unwrap();
    assert!(
        hits.iter()
            .any(|h| h["kind"] == "person" && h["title"] == "Emil Ziyadinov"),
        "{body}"
    );
    assert!(!results["facets"]["kind"].as_array().unwrap().is_empty());
    let (status, page) = app.get("/search?q=Ziyadinov&kind=event", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<b>"), "{page}");
    assert!(page.contains("kind: event"));
}

#[tokio::test]
async fn dashboard_counts_and_draws_charts() {
    let app = TestApp::new(false);
    let s = app.login(VIEWER).await;
    let (_, body) = app.get("/api/dashboard", Some(&s)).await;
    let d = json(&body);
    assert_eq!(d["events"], 3);
    assert_eq!(d["articles"], 3);
    assert!(d["events_per_month"]["2025-03"]["detention"] == 1);
    let (_, page) = app.get("/", Some(&s)).await;
    assert!(page.contains("<svg class=\"chart\""));
    assert!(page.contains("2024-11"));
    // A viewer sees no review buttons and no users page.
    assert!(!page.contains("Confirm event"));
    let (status, _) = app.get("/users", Some(&s)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.login(ADMIN).await;
    let (status, page) = app.get("/users", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(VIEWER.0));
    let (status, _) = app
        .post_json(
            "/api/users",
            Some(&admin),
            r#"{"name":"emine","password":"another password","role":"analyst"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}
