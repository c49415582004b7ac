//! Details that hold for one victim: co-defendants sentenced together to different terms are one
//! event whose terms each belong to their person, on the case file and in every export; sources
//! disagree only when they give one person different values.

mod common;

use casebook_model::FuzzyDate;
use casebook_register::export::{export_csv, export_json};
use casebook_register::*;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn term(t: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("term".to_string(), t.to_string())])
}

fn json_export(store: &SqliteStore) -> Value {
    let mut out = Vec::new();
    export_json(store, false, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn co_defendants_keep_their_terms_and_only_one_persons_disagreement_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let names = ["Lenur Umerov", "Dilyaver Seitov", "Rustem Akimov"];
    let mut together = article(
        "verdict.txt",
        &["On 12 March 2024 a military court sentenced Lenur Umerov to 17 years, Dilyaver Seitov \
           to 15 years and Rustem Akimov to 13 years in a strict-regime colony."],
        &names,
        vec![TestEvent {
            event_type: "sentence",
            victims: vec![0, 1, 2],
            date: Some(FuzzyDate::day(2024, 3, 12)),
            sentence: 0,
        }],
        &[],
    );
    let e = &mut together.1.events.events[0];
    e.details.insert("regime".into(), "strict".into());
    e.victim_details = BTreeMap::from([
        (0, term("17 years")),
        (1, term("15 years")),
        (2, term("13 years")),
    ]);
    store(&mut s, &together);
    // Two later reports, each about one of them: one agrees, one gives Akimov another term.
    for (source, text, name, t) in [
        (
            "seitov.txt",
            "Dilyaver Seitov, sentenced in March 2024 to 15 years, was moved.",
            1,
            "15 years",
        ),
        (
            "akimov.txt",
            "Rustem Akimov was sentenced in March 2024 to 14 years.",
            2,
            "14 years",
        ),
    ] {
        let mut one = article(
            source,
            &[text],
            &[names[name]],
            vec![TestEvent {
                event_type: "sentence",
                victims: vec![0],
                date: Some(FuzzyDate::month(2024, 3)),
                sentence: 0,
            }],
            &[],
        );
        one.1.events.events[0].details = term(t);
        store(&mut s, &one);
    }
    let export = json_export(&s);
    let events = export["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    let e = &events[0];
    assert_eq!(e["details"]["regime"], "strict");
    assert!(e["details"].get("term").is_none(), "{e:#}");
    let id_of = |name: &str| s.find_persons(name, 5).unwrap()[0].id.clone();
    let (umerov, seitov, akimov) = (id_of(names[0]), id_of(names[1]), id_of(names[2]));
    assert_eq!(e["victim_details"][&umerov]["term"], "17 years");
    assert_eq!(e["victim_details"][&seitov]["term"], "15 years");
    let conflicts = e["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert_eq!(conflicts[0]["field"], "term");
    assert_eq!(conflicts[0]["person"], akimov.as_str());
    assert_eq!(conflicts[0]["values"].as_array().unwrap().len(), 2);

    // Each case file shows the event with the person's own term.
    let file = s.case_file(&seitov).unwrap();
    assert_eq!(file.timeline.len(), 1);
    assert_eq!(file.timeline[0].victim_details[&seitov]["term"], "15 years");

    let out = tempfile::tempdir().unwrap();
    export_csv(&s, false, out.path()).unwrap();
    let victims = std::fs::read_to_string(out.path().join("event_victims.csv")).unwrap();
    assert!(
        victims
            .lines()
            .any(|l| l.contains(&umerov) && l.contains("17 years")),
        "{victims}"
    );
    let conflicts = std::fs::read_to_string(out.path().join("event_conflicts.csv")).unwrap();
    assert_eq!(conflicts.lines().count(), 1 + 2, "{conflicts}");
    assert!(
        conflicts.lines().skip(1).all(|l| l.contains(&akimov)),
        "{conflicts}"
    );
}
