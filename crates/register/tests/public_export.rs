//! The public export under the one visibility policy: a hidden person's name in capitals, lower
//! case, Cyrillic and inflected forms never leaves, nor does an address or file name carrying it;
//! CSV cells a spreadsheet would run are neutralised.

mod common;

use casebook_model::FuzzyDate;
use casebook_register::export::{csv_cell, export_csv, export_ftm, export_json};
use casebook_register::*;
use common::*;

/// Spellings of the hidden person the register holds or an article uses, in every case.
const HIDDEN_SPELLINGS: &[&str] = &[
    "Elmaz",
    "Эльмаз",
    "Seitkhalilova",
    "Сейтхалиловой",
    "Сейтхалилова",
];

fn register() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let item = article(
        "elmaz-seitkhalilova-questioned.html",
        &[
            "=HYPERLINK(\"http://evil.example\") SEITKHALILOVA, 36, denied the charge in Simferopol.",
            "Officers detained Ruslan Seitkhalilov in Simferopol on 12 March 2024.",
            "His sister Elmaz Seitkhalilova was questioned as a witness on 13 March 2024.",
            "Позже Эльмаз Сейтхалиловой вручили повестку в Симферополе.",
            "elmaz seitkhalilova's lawyer said the case against Ruslan was fabricated.",
        ],
        &["Ruslan Seitkhalilov", "Elmaz Seitkhalilova"],
        vec![
            TestEvent {
                event_type: "detention",
                victims: vec![0],
                date: Some(FuzzyDate::day(2024, 3, 12)),
                sentence: 1,
            },
            TestEvent {
                event_type: "interrogation",
                victims: vec![1],
                date: Some(FuzzyDate::day(2024, 3, 13)),
                sentence: 2,
            },
        ],
        &[],
    );
    store(&mut s, &item);
    let ruslan = s.find_persons("Ruslan Seitkhalilov", 5).unwrap()[0]
        .id
        .clone();
    let elmaz = s.find_persons("Elmaz Seitkhalilova", 5).unwrap()[0]
        .id
        .clone();
    for target in [&ruslan, &elmaz] {
        s.decide(
            "rev",
            &Decision::Confirm {
                target: target.clone(),
            },
        )
        .unwrap();
    }
    for e in s.case_file(&ruslan).unwrap().timeline {
        s.decide("rev", &Decision::Confirm { target: e.id })
            .unwrap();
    }
    for e in s.case_file(&elmaz).unwrap().timeline {
        s.decide("rev", &Decision::Confirm { target: e.id })
            .unwrap();
    }
    set_visibility(&mut s, &elmaz, None, Visibility::Hidden);
    set_visibility(&mut s, &ruslan, Some("status"), Visibility::Hidden);
    (dir, s)
}

fn assert_no_leak(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for spelling in HIDDEN_SPELLINGS {
        assert!(
            !lower.contains(&spelling.to_lowercase()),
            "{what} shows {spelling}: {text}"
        );
    }
    for leak in ["[withheld]a", "/home", ".html", "questioned.", "pre_trial"] {
        assert!(!text.contains(leak), "{what} shows {leak:?}: {text}");
    }
}

#[test]
fn public_exports_never_show_the_hidden_person_nor_hidden_fields() {
    let (_dir, s) = register();
    let mut json = Vec::new();
    export_json(&s, true, &mut json).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert_no_leak("JSON", &json);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let persons = doc["persons"].as_array().unwrap();
    assert_eq!(persons.len(), 1, "{json}");
    // A hidden field is absent, not null or a stand-in.
    assert!(persons[0].get("status").is_none(), "{json}");
    // The hidden person's own event is not published; the relative's is, redacted.
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{json}");
    assert_eq!(doc["articles"][0]["source"], "example.org");
    assert!(doc["articles"][0]["url"].is_null());

    let dir = tempfile::tempdir().unwrap();
    export_csv(&s, true, dir.path()).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_no_leak(&path.display().to_string(), &text);
    }

    let mut ftm = Vec::new();
    export_ftm(&s, true, &mut ftm).unwrap();
    let ftm = String::from_utf8(ftm).unwrap();
    assert_no_leak("FtM", &ftm);
    assert!(ftm.contains("\"fileName\":[\"example.org\"]"), "{ftm}");
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_neutralised() {
    for (cell, safe) in [
        ("=1+1", "'=1+1"),
        ("+7 978", "'+7 978"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Simferopol", "Simferopol"),
        ("", ""),
    ] {
        assert_eq!(csv_cell(cell), safe, "{cell:?}");
    }
    let (_dir, s) = register();
    for public in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        export_csv(&s, public, dir.path()).unwrap();
        let mut reader = csv::Reader::from_path(dir.path().join("articles.csv")).unwrap();
        let title_column = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "title")
            .unwrap();
        for row in reader.records() {
            let title = row.unwrap()[title_column].to_string();
            assert!(title.starts_with("'=HYPERLINK"), "public={public}: {title}");
        }
    }
}
