//! The perpetrators events name, on articles about invented people: counted as their reports are
//! stored and re-read, listed with filters, and one perpetrator's file with its evidence.

mod common;

use casebook_model::FuzzyDate;
use casebook_register::export::{export_csv, export_ftm};
use casebook_register::{KeyResolver, PerpetratorFilter, SqliteStore, Store};
use common::*;

#[test]
fn perpetrators_follow_their_reports_and_have_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    for item in &corpus() {
        store(&mut s, item);
    }
    let mut sentenced = article(
        "a4.txt",
        &["Judge Viktor Zaitsev of the Southern District Military Court sentenced Lenur Seitov to 13 years on 2 May 2023."],
        &["Lenur Seitov"],
        vec![TestEvent {
            event_type: "sentence",
            victims: vec![0],
            date: Some(FuzzyDate::day(2023, 5, 2)),
            sentence: 0,
        }],
        &[],
    );
    sentenced.1.events.events[0].perpetrators = vec![
        "judge Viktor Zaitsev".into(),
        "Southern District Military Court".into(),
    ];
    store(&mut s, &sentenced);

    let all = PerpetratorFilter::default();
    let (rows, total) = s.perpetrators(&all, 0, 50).unwrap();
    assert_eq!(total, 3, "{rows:?}");
    // Every test report names the FSB: it leads the list.
    assert_eq!(rows[0].text, "FSB");
    assert!(rows[0].reports > 1);
    let judges = PerpetratorFilter {
        role: Some("judge".into()),
        ..Default::default()
    };
    let (found, _) = s.perpetrators(&judges, 0, 50).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].perpetrator.name(), "Viktor Zaitsev");
    assert_eq!(found[0].reports, 1);
    let institutions = PerpetratorFilter {
        persons: Some(false),
        text: Some("court".into()),
        ..Default::default()
    };
    let (found, _) = s.perpetrators(&institutions, 0, 50).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "Southern District Military Court");

    let file = s
        .perpetrator_file("judge Viktor Zaitsev", 0, 10)
        .unwrap()
        .expect("the judge has a file");
    assert_eq!(file.events.len(), 1);
    assert!(!file.more);
    assert_eq!(file.events[0].event_type, "sentence");
    assert!(file.events[0].sources[0].text.contains("Zaitsev"));
    assert_eq!(
        file.institutions,
        vec![("Southern District Military Court".to_string(), 1)]
    );
    assert!(s.perpetrator_file("judge Nobody", 0, 10).unwrap().is_none());

    // The exports list them: a CSV table (the sentence is one event with the earlier report of
    // it, which named the FSB), and FollowTheMoney entities with the judge's position and the
    // court they sat in.
    let out = tempfile::tempdir().unwrap();
    export_csv(&s, false, out.path()).unwrap();
    let table = std::fs::read_to_string(out.path().join("perpetrators.csv")).unwrap();
    let judge_row = table
        .lines()
        .find(|l| l.starts_with("judge Viktor Zaitsev,"))
        .unwrap_or_else(|| panic!("{table}"));
    assert_eq!(
        judge_row,
        "judge Viktor Zaitsev,Viktor Zaitsev,person,judge,1,2023-05-02,2023-05-02,FSB; Southern District Military Court"
    );
    let mut ftm = Vec::new();
    export_ftm(&s, false, &mut ftm).unwrap();
    let entities: Vec<serde_json::Value> = String::from_utf8(ftm)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let judge = entities
        .iter()
        .find(|e| e["schema"] == "Person" && e["properties"]["name"][0] == "Viktor Zaitsev")
        .expect("the judge is a Person");
    assert_eq!(judge["properties"]["position"][0], "judge");
    let court = entities
        .iter()
        .find(|e| {
            e["schema"] == "Organization"
                && e["properties"]["name"][0] == "Southern District Military Court"
        })
        .expect("the court is an Organization");
    assert!(entities.iter().any(|e| e["schema"] == "Employment"
        && e["properties"]["employee"][0] == judge["id"]
        && e["properties"]["employer"][0] == court["id"]));
    assert!(entities.iter().any(|e| e["schema"] == "UnknownLink"
        && e["properties"]["subject"][0] == judge["id"]
        && e["properties"]["role"][0] == "perpetrator"));

    // A newer pipeline that no longer reads the judge in the report takes them off the list.
    sentenced.1.events.events[0].perpetrators = vec!["FSB".into()];
    s.store_article(&sentenced.0, &sentenced.1, &provenance("v2"), &KeyResolver)
        .unwrap();
    let (rows, total) = s.perpetrators(&all, 0, 50).unwrap();
    assert_eq!(total, 1, "{rows:?}");
    assert!(s
        .perpetrator_file("judge Viktor Zaitsev", 0, 10)
        .unwrap()
        .is_none());
}
