//! Reviewers' decisions made on the web reach the search index at once, record by record, with no
//! rebuild: the test server runs no background rebuild, so whatever search finds after a decision
//! was written by the decision itself. After each decision the index holds exactly the records a
//! full projection of the register would.

mod common;

use casebook_search::Kind;
use common::*;

/// The ids per kind the index holds, and those a full projection of the register gives.
fn index_and_projection(app: &TestApp) -> Vec<(Kind, Vec<String>, Vec<String>)> {
    let docs = casebook_web::projection::documents(&app.state).unwrap();
    let index = app.state.index().unwrap();
    [Kind::Person, Kind::Event, Kind::Article]
        .into_iter()
        .map(|kind| {
            let mut projected: Vec<String> = docs
                .iter()
                .filter(|d| d.kind() == kind)
                .map(|d| d.id().to_string())
                .collect();
            projected.sort();
            let indexed: Vec<String> = index.ids(kind).unwrap().into_iter().collect();
            (kind, indexed, projected)
        })
        .collect()
}

fn assert_index_matches_register(app: &TestApp, after: &str) {
    for (kind, indexed, projected) in index_and_projection(app) {
        assert_eq!(
            indexed, projected,
            "{kind} records in the index after {after}"
        );
    }
}

/// The ids of the hits of a search, of one kind.
async fn hits(app: &TestApp, s: &Session, query: &str, kind: &str) -> Vec<String> {
    let (status, body) = app.get(&format!("/api/search?{query}"), Some(s)).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    json(&body)["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == kind)
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// Edits a field of a person or an event as `s`.
async fn edit(app: &TestApp, s: &Session, target: &str, field: &str, value: &str) {
    let decision = serde_json::json!({
        "action": "edit", "target": target, "field": field, "value": value,
    });
    app.decide(s, &decision.to_string()).await;
}

#[tokio::test]
async fn a_merge_and_its_undo_are_searchable_without_a_rebuild() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let other = person_id(app.dir.path(), "E. Ziyadinov");
    let found = hits(&app, &s, "mode=names&q=E.%20Ziyadinov", "person").await;
    assert!(found.contains(&other), "before the merge: {found:?}");
    assert!(hits(&app, &s, "q=fined%20AND%20names:Emil", "event")
        .await
        .is_empty());
    let merge = app
        .decide(
            &s,
            &format!(r#"{{"action":"merge","into":"{emil}","from":"{other}"}}"#),
        )
        .await;
    assert_index_matches_register(&app, "the merge");
    let found = hits(&app, &s, "mode=names&q=E.%20Ziyadinov", "person").await;
    assert!(
        found.contains(&emil),
        "the kept person has the other spelling: {found:?}"
    );
    assert!(
        !found.contains(&other),
        "the merged-away id is gone: {found:?}"
    );
    // The fine, reported under the other spelling, now names the kept person as its victim.
    let fine = hits(&app, &s, "q=fined", "event").await;
    assert_eq!(fine.len(), 1);
    assert_eq!(
        hits(&app, &s, "q=fined%20AND%20names:Emil", "event").await,
        fine
    );

    let (status, body) = app
        .post_json(&format!("/api/decisions/{merge}/undo"), Some(&s), "")
        .await;
    assert_eq!(status.as_u16(), 201, "{body}");
    assert_index_matches_register(&app, "the undo");
    let found = hits(&app, &s, "mode=names&q=E.%20Ziyadinov", "person").await;
    assert!(
        found.contains(&other),
        "the other spelling is a person again: {found:?}"
    );
}

#[tokio::test]
async fn edits_of_names_and_places_and_a_split_are_searchable_without_a_rebuild() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    let server = person_id(app.dir.path(), "Server Kemalov");
    assert!(hits(&app, &s, "mode=names&q=Kemaloglu", "person")
        .await
        .is_empty());
    edit(&app, &s, &server, "name", "Server Kemaloglu").await;
    assert_index_matches_register(&app, "a name edit");
    assert_eq!(
        hits(&app, &s, "mode=names&q=Kemaloglu", "person").await,
        vec![server.clone()]
    );

    // An event's place, edited: the place filter finds the event at the new place.
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    let detention = app
        .timeline(&s, &emil)
        .await
        .iter()
        .find(|e| e["event_type"] == "detention")
        .map(|e| e["id"].as_str().unwrap().to_string())
        .unwrap();
    assert!(hits(&app, &s, "q=detained&place=Bakhchysarai", "event")
        .await
        .is_empty());
    edit(&app, &s, &detention, "place", "Bakhchysarai").await;
    assert_index_matches_register(&app, "a place edit");
    assert_eq!(
        hits(&app, &s, "q=detained&place=Bakhchysarai", "event").await,
        vec![detention]
    );

    // Merged first, then the other spelling split off again: a new person, found by that name.
    let other = person_id(app.dir.path(), "E. Ziyadinov");
    app.decide(
        &s,
        &format!(r#"{{"action":"merge","into":"{emil}","from":"{other}"}}"#),
    )
    .await;
    app.decide(
        &s,
        &format!(r#"{{"action":"split","person":"{emil}","names":["E. Ziyadinov"]}}"#),
    )
    .await;
    assert_index_matches_register(&app, "a split");
    let found = hits(&app, &s, "mode=names&q=E.%20Ziyadinov", "person").await;
    assert!(
        found.iter().any(|id| id != &emil && id != &other),
        "the split-off person is found: {found:?}"
    );
}

#[tokio::test]
async fn an_upload_is_searchable_when_its_job_finishes_without_a_rebuild() {
    let app = TestApp::new(false);
    let s = app.login(ANALYST).await;
    assert!(hits(&app, &s, "mode=names&q=Seitkhalilov", "person")
        .await
        .is_empty());
    let example = std::fs::read("../../examples/01-seitkhalilov-detained-bilohirsk.txt").unwrap();
    let (status, body) = app.upload(&s, &[("01.txt", example)]).await;
    assert_eq!(status.as_u16(), 202, "{body}");
    let done = app
        .wait_for_job(&s, json(&body)["job"].as_u64().unwrap())
        .await;
    assert_eq!(done["files"][0]["outcome"], "stored", "{done}");
    assert_index_matches_register(&app, "an upload");
    assert!(!hits(&app, &s, "mode=names&q=Seitkhalilov", "person")
        .await
        .is_empty());
    assert!(!hits(&app, &s, "q=Bilohirsk", "article").await.is_empty());
}
