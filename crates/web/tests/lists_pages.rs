//! The reconciliation of another group's list as team pages and exports (read-only).

mod common;

use axum::http::StatusCode;
use casebook_lists::{read_list, Limits};
use casebook_register::{Provenance, SqliteStore};
use common::{person_id, TestApp, VIEWER};

#[tokio::test]
async fn a_lists_report_is_a_page_and_a_json_and_csv_export() {
    let app = TestApp::new(false);
    let emil = person_id(app.dir.path(), "Emil Ziyadinov");
    {
        let mut store = SqliteStore::open(app.dir.path()).unwrap();
        let csv = "ПІБ,Статус\nЕміль Зіядінов,звільнений\nПетро Вигаданий,\n";
        let parsed = read_list("l.csv", csv.as_bytes(), None, &[], &Limits::default()).unwrap();
        let provenance = Provenance {
            extractor_version: "test".into(),
            actor: "test".into(),
        };
        store
            .import_list("kyiv group", "l.csv", &parsed, &provenance)
            .unwrap();
    }
    // Team pages only: nobody logged in is sent to log in, not shown the list.
    let (status, _) = app.get("/lists", None).await;
    assert_ne!(status, StatusCode::OK);

    let viewer = app.login(VIEWER).await;
    let (status, index) = app.get("/lists", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(index.contains("/lists/kyiv%20group?version=1"), "{index}");

    let (status, page) = app.get("/lists/kyiv%20group", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // Persons are shown by name, linked to their case file, never by a bare id.
    assert!(
        page.contains(&format!("/persons/{emil}\">Emil Ziyadinov</a>")),
        "{page}"
    );
    assert!(page.contains("Петро Вигаданий"), "{page}");
    assert!(
        page.contains("звільнений"),
        "a status conflict is shown: {page}"
    );

    let (status, json) = app
        .get("/lists/kyiv%20group/report.json", Some(&viewer))
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["matched"][0]["person"], emil.as_str());
    assert_eq!(v["only_in_list"][0]["row"], 2);
    let (status, csv) = app
        .get("/lists/kyiv%20group/report.csv", Some(&viewer))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("list,version,section"), "{csv}");

    let (status, _) = app.get("/lists/nobody", Some(&viewer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .get("/lists/kyiv%20group/other.txt", Some(&viewer))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
