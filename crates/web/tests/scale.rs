//! Pages that cost what they show: a case file pages its timeline, the review queue pages its
//! claims, the dashboard reads the register's summary, event hits link to their first report.

mod common;

use casebook_register::{KeyResolver, Provenance, SqliteStore, Store};
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// The seed, and `hearings` more articles each reporting a court hearing of Emil Ziyadinov on a
/// year of its own.
fn busy_app(hearings: usize) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let provenance = Provenance {
        extractor_version: "test".into(),
        actor: "test-ingest".into(),
    };
    for n in 0..hearings {
        let sentence =
            format!("Hearing number {n} in the case of Emil Ziyadinov was held in Rostov-on-Don.");
        // A year apart, so the register never takes two hearings for one event.
        let date = format!("{}-{:02}-15", 1940 + n, 1 + n % 12);
        let (original, analysed) = article(
            &format!("hearing-{n}.txt"),
            &[sentence.as_str()],
            &["Emil Ziyadinov"],
            &[("court_hearing", vec![0], date.as_str(), 0)],
        );
        store
            .store_article(&original, &analysed, &provenance, &KeyResolver)
            .unwrap();
    }
    TestApp::over(dir, false)
}

#[tokio::test]
async fn a_case_file_pages_its_events_newest_first() {
    let app = busy_app(70);
    let s = app.login(VIEWER).await;
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let (_, body) = app.get(&format!("/api/persons/{emil}"), Some(&s)).await;
    let first = json(&body);
    let total = first["total_events"].as_u64().unwrap();
    assert!(total >= 72, "{total}");
    assert_eq!(first["page"], 1);
    assert_eq!(first["pages"], 2);
    let events = first["timeline"].as_array().unwrap();
    assert_eq!(events.len(), 50);
    let dates: Vec<&str> = events.iter().filter_map(|e| e["date"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(
        dates[0].starts_with("2025-03"),
        "the remand of 2025 is newest: {dates:?}"
    );

    let (_, body) = app
        .get(&format!("/api/persons/{emil}?page=2"), Some(&s))
        .await;
    let second = json(&body);
    let rest = second["timeline"].as_array().unwrap();
    assert_eq!(rest.len() as u64, total - 50);
    let ids = |v: &[Value]| -> BTreeSet<String> {
        v.iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(events).is_disjoint(&ids(rest)));

    let (status, page) = app.get(&format!("/persons/{emil}"), Some(&s)).await;
    assert_eq!(status.as_u16(), 200);
    assert!(
        page.contains(&format!("/persons/{emil}?page=2")),
        "no link to older events"
    );
    let (_, page) = app.get(&format!("/persons/{emil}?page=2"), Some(&s)).await;
    assert!(
        page.contains(&format!("/persons/{emil}?page=1")),
        "no link to newer events"
    );
}

#[tokio::test]
async fn the_review_queue_pages_after_the_last_claim_shown() {
    let app = busy_app(110);
    let s = app.login(VIEWER).await;
    let (_, body) = app.get("/api/review", Some(&s)).await;
    let first = json(&body);
    let next = first["next"].as_str().unwrap().to_string();
    assert!(!next.is_empty(), "more than one page of claims");
    let claims = |q: &Value| -> BTreeSet<String> {
        q["claims"]
            .as_array()
            .unwrap()
            .iter()
            .chain(
                q["merge_candidates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| &m["claim"]),
            )
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, body) = app
        .get(&format!("/api/review?after={next}"), Some(&s))
        .await;
    let second = json(&body);
    assert!(!claims(&second).is_empty());
    assert!(claims(&first).is_disjoint(&claims(&second)));
    let (_, page) = app.get("/review", Some(&s)).await;
    assert!(
        page.contains(&format!("/review?after={next}")),
        "no link to more claims"
    );
}

#[tokio::test]
async fn the_dashboard_counts_from_the_summary_and_counts_statuses_in_the_background() {
    let app = busy_app(5);
    let s = app.login(VIEWER).await;
    let mut dashboard = Value::Null;
    for _ in 0..100 {
        let (_, body) = app.get("/api/dashboard", Some(&s)).await;
        dashboard = json(&body);
        if dashboard["persons_by_status_pending"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(dashboard["persons_by_status_pending"], false, "{dashboard}");
    assert_eq!(dashboard["articles"], 8);
    assert_eq!(dashboard["events"], 8);
    let store = SqliteStore::open(app.dir.path()).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(dashboard["persons"], stats.persons);
    let by_status: u64 = dashboard["persons_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_u64().unwrap())
        .sum();
    assert_eq!(by_status, stats.persons);
    let newest = dashboard["newest"].as_array().unwrap();
    assert_eq!(newest[0]["date"], "2025-03-12");
    assert_eq!(newest[0]["victims"][0]["name"], "Emil Ziyadinov");
}

#[tokio::test]
async fn event_hits_link_to_the_article_of_their_first_report() {
    let app = busy_app(3);
    let s = app.login(VIEWER).await;
    let (_, body) = app
        .get("/api/search?q=Ziyadinov&kind=event", Some(&s))
        .await;
    let found = json(&body);
    let hits = found["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{found}");
    for h in hits {
        assert_eq!(h["kind"], "event");
        assert!(h["url"].as_str().unwrap().starts_with("/articles/"), "{h}");
    }
}

#[tokio::test]
async fn the_public_view_keeps_its_policy_only_while_the_register_is_unchanged() {
    let team = TestApp::new(false);
    let emil = person_id(team.dir.path(), "Emil Ziyadinov");
    let mut store = SqliteStore::open(team.dir.path()).unwrap();
    store
        .decide(
            "amina",
            &casebook_register::Decision::Confirm {
                target: emil.clone(),
            },
        )
        .unwrap();
    let public = TestApp::over(team.dir, true);
    let path = format!("/api/persons/{emil}");
    let (status, body) = public.get(&path, None).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (status, _) = public.get(&path, None).await;
    assert_eq!(status.as_u16(), 200);
    // A reviewer hides him (another process, as `casebook review` would): the next public
    // request must not be answered from the policy built before.
    store
        .decide(
            "amina",
            &casebook_register::Decision::SetVisibility {
                person: emil.clone(),
                field: None,
                level: casebook_register::Visibility::Hidden,
            },
        )
        .unwrap();
    let (status, body) = public.get(&path, None).await;
    assert_eq!(status.as_u16(), 404, "{body}");
    let (_, dashboard) = public.get("/api/dashboard", None).await;
    assert!(!dashboard.contains("Ziyadinov"), "{dashboard}");
}
