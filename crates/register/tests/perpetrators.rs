//! The perpetrators events name, on articles about invented people: counted as their reports are
//! stored and re-read, listed with filters, and one perpetrator's file with its evidence.

mod common;

use casebook_model::FuzzyDate;
use casebook_register::export::{export_csv, export_ftm};
use casebook_register::{KeyResolver, PerpetratorFilter, SqliteStore, Store};
use common::*;

/// The team's FollowTheMoney export, one entity per line.
fn ftm_entities(s: &SqliteStore) -> Vec<serde_json::Value> {
    let mut ftm = Vec::new();
    export_ftm(s, false, &mut ftm).unwrap();
    String::from_utf8(ftm)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

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
        "judge Viktor Zaitsev,Viktor Zaitsev,person,judge,1,2023-05-02,2023-05-02,FSB; Southern District Military Court,"
    );
    let entities = ftm_entities(&s);
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

/// A register of five sentences: one judge written three ways in two scripts, another judge, and
/// a judge named only in Ukrainian.
fn judges_in_several_spellings() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let reports = [
        (
            "z1.txt",
            "Judge Viktor Zaitsev sentenced Lenur Seitov to 13 years on 2 May 2023.",
            "Lenur Seitov",
            (2023, 5, 2),
            vec!["judge Viktor Zaitsev", "FSB"],
        ),
        (
            "z2.txt",
            "Судья Виктор Зайцев приговорил Эдема Халилова к 12 годам 3 июня 2023 года.",
            "Эдем Халилов",
            (2023, 6, 3),
            vec!["судья Виктор Зайцев", "ФСБ"],
        ),
        (
            "z3.txt",
            "Judge Zaitsev sentenced Server Umerov to 11 years on 4 July 2023.",
            "Server Umerov",
            (2023, 7, 4),
            vec!["judge Zaitsev"],
        ),
        (
            "z4.txt",
            "Judge Olga Maltseva sentenced Rustem Aliev to 10 years on 5 August 2023.",
            "Rustem Aliev",
            (2023, 8, 5),
            vec!["judge Olga Maltseva"],
        ),
        (
            "z5.txt",
            "Суддя Петро Вигаданий засудив Рустема Алієва до 10 років 6 вересня 2023 року.",
            "Рустем Алієв",
            (2023, 9, 6),
            vec!["суддя Петро Вигаданий"],
        ),
    ];
    for (source, sentence, victim, (y, m, d), perpetrators) in reports {
        let mut item = article(
            source,
            &[sentence],
            &[victim],
            vec![TestEvent {
                event_type: "sentence",
                victims: vec![0],
                date: Some(FuzzyDate::day(y, m, d)),
                sentence: 0,
            }],
            &[],
        );
        item.1.events.events[0].perpetrators = perpetrators.into_iter().map(String::from).collect();
        store(&mut s, &item);
    }
    (dir, s)
}

#[test]
fn one_perpetrator_in_several_spellings_and_scripts_is_listed_and_filed_once() {
    let (_dir, s) = judges_in_several_spellings();

    let (rows, total) = s
        .perpetrators(&PerpetratorFilter::default(), 0, 50)
        .unwrap();
    assert_eq!(
        total, 4,
        "the judge, the FSB and two other judges: {rows:?}"
    );
    let zaitsev = rows
        .iter()
        .find(|r| r.perpetrator.name() == "Viktor Zaitsev")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(zaitsev.reports, 3);
    assert_eq!(
        zaitsev.other_spellings,
        ["judge Zaitsev", "судья Виктор Зайцев"]
    );
    // A filter by the Russian role word or a Cyrillic spelling finds the judge too.
    let by_role = PerpetratorFilter {
        role: Some("судья".into()),
        ..Default::default()
    };
    let (found, _) = s.perpetrators(&by_role, 0, 50).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "judge Viktor Zaitsev");
    // And the English role finds a judge named only in Ukrainian.
    let judges = PerpetratorFilter {
        role: Some("judge".into()),
        ..Default::default()
    };
    let (found, _) = s.perpetrators(&judges, 0, 50).unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().any(|r| r.text == "суддя Петро Вигаданий"));

    // Any spelling opens the one file, with the events of every spelling, newest first.
    let file = s
        .perpetrator_file("судья Виктор Зайцев", 0, 10)
        .unwrap()
        .expect("the judge has a file");
    assert_eq!(file.row.text, "judge Viktor Zaitsev");
    let dates: Vec<_> = file
        .events
        .iter()
        .map(|e| e.date.clone().unwrap_or_default())
        .collect();
    assert_eq!(dates, ["2023-07-04", "2023-06-03", "2023-05-02"]);
    assert_eq!(file.institutions, vec![("FSB".to_string(), 2)]);
    let page = s.perpetrator_file("judge Zaitsev", 1, 1).unwrap().unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].date.as_deref(), Some("2023-06-03"));
    assert!(page.more);
}

#[test]
fn the_exports_name_one_perpetrator_once_with_the_other_spellings_as_aliases() {
    let (_dir, s) = judges_in_several_spellings();
    let out = tempfile::tempdir().unwrap();
    export_csv(&s, false, out.path()).unwrap();
    let table = std::fs::read_to_string(out.path().join("perpetrators.csv")).unwrap();
    let judges: Vec<&str> = table.lines().filter(|l| l.contains("Zaitsev")).collect();
    assert_eq!(judges.len(), 1, "{table}");
    assert!(
        judges[0].contains(",person,judge,3,2023-05-02,2023-07-04,FSB,"),
        "{table}"
    );
    assert!(
        judges[0].ends_with("judge Zaitsev; судья Виктор Зайцев"),
        "{table}"
    );
    let entities = ftm_entities(&s);
    let judges: Vec<&serde_json::Value> = entities
        .iter()
        .filter(|e| {
            e["schema"] == "Person"
                && e["properties"]["position"].to_string().contains("judge")
                && e["properties"]["name"][0] != "Olga Maltseva"
        })
        .collect();
    assert_eq!(judges.len(), 1, "{judges:?}");
    let judge = judges[0];
    assert_eq!(
        judge["properties"]["alias"],
        serde_json::json!(["Zaitsev", "Виктор Зайцев"])
    );
    assert_eq!(
        judge["properties"]["position"],
        serde_json::json!(["judge", "судья"])
    );
    let links = entities
        .iter()
        .filter(|e| e["schema"] == "UnknownLink" && e["properties"]["subject"][0] == judge["id"])
        .count();
    assert_eq!(links, 3);
    let organizations = entities
        .iter()
        .filter(|e| e["schema"] == "Organization")
        .count();
    assert_eq!(organizations, 1, "the FSB, once");
}
