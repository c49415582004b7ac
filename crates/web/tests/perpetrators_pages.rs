//! The perpetrators pages of the team application, on articles about invented people: the list
//! with its filters, and one perpetrator's file with the events and their evidence.

mod common;

use axum::http::StatusCode;
use casebook_register::{KeyResolver, Provenance, SqliteStore, Store};
use common::{article, seed, TestApp, VIEWER};

#[tokio::test]
async fn perpetrators_are_listed_filtered_and_each_has_a_file() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let (original, mut analysed) = article(
            "sentenced.txt",
            &["Judge Viktor Zaitsev of the Southern District Military Court sentenced Emil Ziyadinov to 13 years."],
            &["Emil Ziyadinov"],
            &[("sentence", vec![0], "2025-06-02", 0)],
        );
        analysed.events.events[0].perpetrators = vec![
            "judge Viktor Zaitsev".into(),
            "Southern District Military Court".into(),
        ];
        let provenance = Provenance {
            extractor_version: "test".into(),
            actor: "test".into(),
        };
        store
            .store_article(&original, &analysed, &provenance, &KeyResolver)
            .unwrap();
        // The same judge, written in Cyrillic by another outlet.
        let (original, mut analysed) = article(
            "sentenced_ru.txt",
            &["Судья Виктор Зайцев продлил арест Эмиля Зиядинова 3 июля 2025 года."],
            &["Эмиль Зиядинов"],
            &[("arrest_custody", vec![0], "2025-07-03", 0)],
        );
        analysed.events.events[0].perpetrators = vec!["судья Виктор Зайцев".into()];
        store
            .store_article(&original, &analysed, &provenance, &KeyResolver)
            .unwrap();
    }
    let app = TestApp::over(dir, false);
    // Team pages only.
    let (status, _) = app.get("/perpetrators", None).await;
    assert_ne!(status, StatusCode::OK);

    let viewer = app.login(VIEWER).await;
    let (status, page) = app.get("/perpetrators", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let judge = "/perpetrators/judge%20Viktor%20Zaitsev";
    assert!(page.contains(judge), "{page}");
    assert!(page.contains(">FSB</a>"), "{page}");
    assert!(page.contains("3 perpetrators"), "{page}");

    let (_, judges) = app.get("/perpetrators?role=judge", Some(&viewer)).await;
    assert!(judges.contains(">Viktor Zaitsev</a>"), "{judges}");
    assert!(!judges.contains(">FSB</a>"), "{judges}");
    let (_, bodies) = app
        .get("/perpetrators?kind=institution&q=court", Some(&viewer))
        .await;
    assert!(
        bodies.contains(">Southern District Military Court</a>"),
        "{bodies}"
    );
    assert!(
        !bodies.contains(">Viktor Zaitsev</a>") && !bodies.contains(">FSB</a>"),
        "{bodies}"
    );

    // One judge in two scripts is one row, with the other spelling beside the name.
    assert!(page.contains("also судья Виктор Зайцев"), "{page}");
    assert!(!page.contains("/perpetrators/%D1%81"), "{page}");

    let (status, file) = app.get(judge, Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    assert!(file.contains("<h1>Viktor Zaitsev</h1>"), "{file}");
    assert!(file.contains("Also written: судья Виктор Зайцев"), "{file}");
    assert!(file.contains("продлил арест"), "{file}");
    let (status, same) = app
        .get(
            "/perpetrators/%D1%81%D1%83%D0%B4%D1%8C%D1%8F%20%D0%92%D0%B8%D0%BA%D1%82%D0%BE%D1%80%20%D0%97%D0%B0%D0%B9%D1%86%D0%B5%D0%B2",
            Some(&viewer),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{same}");
    assert!(same.contains("<h1>Viktor Zaitsev</h1>"), "{same}");
    assert!(
        file.contains("sentenced Emil Ziyadinov to 13 years"),
        "{file}"
    );
    assert!(
        file.contains("/perpetrators/Southern%20District%20Military%20Court"),
        "{file}"
    );
    // The victim is linked to their case file; the judge is nobody's victim.
    assert!(file.contains(">Emil Ziyadinov</a>"), "{file}");
    let (_, person) = app
        .get(
            &format!(
                "/persons/{}",
                common::person_id(app.dir.path(), "Emil Ziyadinov")
            ),
            Some(&viewer),
        )
        .await;
    assert!(
        person.contains(judge),
        "a case file links its events' perpetrators: {person}"
    );

    let (status, _) = app.get("/perpetrators/judge%20Nobody", Some(&viewer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
