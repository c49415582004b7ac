//! Review at scale over HTTP: the queue by article (titles, never hashes; what matters first;
//! filters), an article's review page with every claim and its evidence, decisions through the
//! API with the CSRF token and the server's time, the soft lock shown to a second reviewer, taking
//! articles, the person's review, and none of it on a public server.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use casebook_register::{QueueFilter, SqliteStore};
use common::*;

fn queue_ids(dir: &std::path::Path) -> Vec<String> {
    let store = SqliteStore::open(dir).unwrap();
    store
        .review_queue_page(&QueueFilter::default(), None, 50)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.article.id)
        .collect()
}

#[tokio::test]
async fn a_reviewer_clears_an_article_and_a_second_one_is_told_it_is_open() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let ids = queue_ids(app.dir.path());
    assert_eq!(ids.len(), 3, "three articles with claims");

    let (status, page) = app.get("/review/queue", Some(&s)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("FSB officers detained Emil Ziyadinov"),
        "titles shown"
    );
    for id in &ids {
        assert!(
            !page.contains(&format!(">{id}<")),
            "no bare hash as a label"
        );
    }
    // The detention (a status change) comes before the fine.
    let det = page.find("FSB officers detained").unwrap();
    let fine = page.find("A court fined").unwrap();
    assert!(det < fine);
    let (_, filtered) = app
        .get("/review/queue?type=administrative_penalty", Some(&s))
        .await;
    assert!(filtered.contains("A court fined") && !filtered.contains("FSB officers detained"));

    // The first article's page: its text, every claim with its evidence sentence, the keys.
    let first = &ids[0];
    let path = format!("/review/articles/{first}");
    let (status, page) = app.get(&path, Some(&s)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("/static/review.js"));
    assert!(
        page.contains(r#"class="mention""#),
        "people marked in the text"
    );
    let claims: Vec<String> = page
        .split("data-claim=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .collect();
    assert!(claims.len() >= 2, "{page}");
    assert!(page.contains("<mark>"), "the evidence sentence marked");
    assert!(page.contains(&format!(r#"data-csrf="{}""#, s.csrf)));

    // A second reviewer opening it is told who has it open.
    let admin = app.login(ADMIN).await;
    let (_, other) = app.get(&path, Some(&admin)).await;
    assert!(other.contains("id=\"held-by\""), "{other}");
    assert!(other.contains(ANALYST.0));
    let (_, queue) = app.get("/review/queue", Some(&admin)).await;
    assert!(queue.contains(&format!("open by {}", ANALYST.0)));

    // Deciding through the API needs the CSRF token, and reports the server's time.
    let body = format!(r#"{{"action":"confirm","target":"{}"}}"#, claims[0]);
    let req = Request::post("/api/decisions")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(body.clone()))
        .unwrap();
    let (status, _, _) = app.send(req).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no token, no decision");
    for (i, c) in claims.iter().enumerate() {
        let action = if i == 0 { "confirm" } else { "reject" };
        let req = Request::post("/api/decisions")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .body(Body::from(format!(
                r#"{{"action":"{action}","target":"{c}"}}"#
            )))
            .unwrap();
        let (status, headers, body) = app.send(req).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let timing = headers.get("server-timing").unwrap().to_str().unwrap();
        assert!(timing.starts_with("decide;dur="), "{timing}");
    }
    assert!(!queue_ids(app.dir.path()).contains(first), "cleared");
    let (_, page) = app.get(&path, Some(&s)).await;
    assert!(page.contains(r#"data-state="confirmed""#));
    assert!(page.contains(r#"data-state="rejected""#));
    assert!(page.contains(r#"<span id="open-count">0</span>"#));

    // The latest decisions name the claim by its words and article, not its id.
    let (_, review) = app.get("/review", Some(&s)).await;
    assert!(
        !review.contains(&format!("<code>{}</code>", claims[0])),
        "{review}"
    );
    // The audit log says what an ingested article is, beside its hash.
    let (_, audit) = app.get("/audit", Some(&s)).await;
    assert!(
        audit.contains(
            "FSB officers detained Emil Ziyadinov in Simferopol on Monday. · news.example.org · 2025-03-12"
        ),
        "{audit}"
    );
}

#[tokio::test]
async fn taking_and_assigning_make_my_queue_and_forms_work_without_script() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let ids = queue_ids(app.dir.path());
    let form = format!(
        "csrf={}&action=take&article={}&article={}&back=/review/queue",
        s.csrf, ids[0], ids[1]
    );
    let req = Request::post("/review/take")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(form))
        .unwrap();
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/review/queue?done="));
    let (_, mine) = app.get("/review/queue?mine=1", Some(&s)).await;
    assert_eq!(mine.matches("class=\"review-link\"").count(), 2, "{mine}");
    assert!(
        mine.contains(&format!("Taken: {} 2", ANALYST.0)),
        "progress shows it"
    );
    // Assigning names an account that exists.
    let form = format!("csrf={}&action=assign&to=nobody&article={}", s.csrf, ids[2]);
    let req = Request::post("/review/take")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(form))
        .unwrap();
    let (status, _, _) = app.send(req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A viewer may look but not take.
    let v = app.login(VIEWER).await;
    let form = format!("csrf={}&action=take&article={}", v.csrf, ids[2]);
    let req = Request::post("/review/take")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &v.cookie)
        .body(Body::from(form))
        .unwrap();
    let (status, _, _) = app.send(req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The plain form of a claim decides and comes back to the article.
    let path = format!("/review/articles/{}", ids[0]);
    let (_, page) = app.get(&path, Some(&s)).await;
    let claim = page
        .split("data-claim=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let form = format!(
        "csrf={}&action=confirm&target={claim}&back={}",
        s.csrf,
        path.replace('#', "%23")
    );
    let req = Request::post("/review/decide")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .body(Body::from(form))
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/review/articles/"));

    // With a decision made, the queue offers to fit the confidence to the decisions; doing so is
    // an analyst's act, recorded in the audit log.
    let (_, queue) = app.get("/review/queue", Some(&s)).await;
    assert!(queue.contains("action=\"/review/calibrate\""), "{queue}");
    let calibrate = |who: &common::Session| {
        Request::post("/review/calibrate")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &who.cookie)
            .body(Body::from(format!("csrf={}&back=/review/queue", who.csrf)))
            .unwrap()
    };
    let (status, _, _) = app.send(calibrate(&v)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, body) = app.send(calibrate(&s)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let to = headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(to.contains("follows%201%20decisions"), "{to}");
    let store = casebook_register::SqliteStore::open(app.dir.path()).unwrap();
    let log = casebook_register::Store::audit_entries(&store, 0, 100_000).unwrap();
    assert_eq!(log.last().map(|e| e.action.as_str()), Some("calibrate"));
}

#[tokio::test]
async fn a_persons_review_holds_their_claims_and_no_review_page_is_public() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let (status, page) = app.get(&format!("/review/persons/{emil}"), Some(&s)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Claims about Emil Ziyadinov"));
    assert!(page.matches("data-claim=").count() >= 3, "{page}");
    assert!(page.contains("FSB officers detained"), "articles by title");
    let (status, _) = app.get("/review/persons/nobody-at-all", Some(&s)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let public = TestApp::over(app.dir, true);
    for path in [
        "/review/queue".to_string(),
        format!("/review/persons/{emil}"),
        "/static/review.js".to_string(),
    ] {
        let (status, _) = public.get(&path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}
