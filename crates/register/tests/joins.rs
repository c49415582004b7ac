//! What the register joins across articles: syndicated copies linked to each other, one case
//! under every outlet's name, one event whose reports disagree with the disagreement kept.

mod common;

use casebook_model::FuzzyDate;
use casebook_register::export::{export_csv, export_json};
use casebook_register::*;
use common::*;
use serde_json::Value;

const STORY: &[&str] = &[
    "Court in Simferopol extends arrest of Crimean Tatar builder Ruslan Memetov",
    "The Kyivskyi District Court of Simferopol on Thursday extended the pre-trial detention of \
     Ruslan Memetov, a 38-year-old builder from the village of Strohonivka, by another three \
     months, the human rights group Crimean Solidarity reported.",
    "Memetov was detained in March after armed officers of the Federal Security Service searched \
     his home at dawn and seized religious books and two mobile phones. His lawyer said the \
     defence had asked for house arrest, pointing to his three young children and his sick \
     mother, but the judge refused without hearing the witnesses.",
    "About forty people gathered outside the court building to support the prisoner and his \
     family. Several of them were later stopped by police and asked for their documents.",
];

const OTHER_STORY: &[&str] = &[
    "Activist fined for a post about the deportation anniversary",
    "A magistrate in Bakhchysarai fined the activist Elvina Seitova 30,000 roubles for a post on \
     social media that announced a memorial gathering for the anniversary of the deportation.",
    "Seitova said she would appeal. Her lawyer noted that the post had been published two years \
     before the law under which she was punished came into force, and that no gathering ever \
     took place because the police had closed the square.",
];

fn open_tmp() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    (dir, store)
}

fn json_export(store: &SqliteStore) -> Value {
    let mut out = Vec::new();
    export_json(store, false, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn near_duplicates_of(export: &Value, id: &str) -> Vec<String> {
    export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()["near_duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn syndicated_copies_are_linked_both_ways_across_restarts_and_another_story_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let original = article("site-a.txt", STORY, &["Ruslan Memetov"], vec![], &[]);
    let other = article("site-c.txt", OTHER_STORY, &["Elvina Seitova"], vec![], &[]);
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        store(&mut s, &original);
        store(&mut s, &other);
    }
    // A reprint on another site, stored by another process later: its own headline and a credit line.
    let mut reprint: Vec<&str> = STORY.to_vec();
    reprint[0] = "Crimea: arrest of Ruslan Memetov extended by three months";
    reprint.push("Source: Crimean Solidarity. Republished with permission.");
    let copy = article("site-b.txt", &reprint, &["Ruslan Memetov"], vec![], &[]);
    let mut s = SqliteStore::open(dir.path()).unwrap();
    store(&mut s, &copy);

    let (a, b, c) = (
        &original.1.article.id,
        &copy.1.article.id,
        &other.1.article.id,
    );
    let export = json_export(&s);
    assert_eq!(near_duplicates_of(&export, a), vec![b.clone()]);
    assert_eq!(near_duplicates_of(&export, b), vec![a.clone()]);
    assert!(near_duplicates_of(&export, c).is_empty());

    // Storing the copy again changes nothing; a newer pipeline's re-reading keeps the link.
    store(&mut s, &copy);
    s.store_article(&copy.0, &copy.1, &provenance("v2"), &KeyResolver)
        .unwrap();
    let export = json_export(&s);
    assert_eq!(near_duplicates_of(&export, a), vec![b.clone()]);
    assert_eq!(near_duplicates_of(&export, b), vec![a.clone()]);
    assert!(s.integrity_check().unwrap().is_empty());
}

#[test]
fn one_case_reported_under_two_names_is_one_case_with_both_names() {
    let (_dir, mut s) = open_tmp();
    let first = article(
        "case-1.txt",
        &[
            "Enver Asanov, Server Kurtiev and Refat Dzhemilov are defendants in the second Bakhchysarai group.",
            "All three deny the charges.",
        ],
        &["Enver Asanov", "Server Kurtiev", "Refat Dzhemilov"],
        vec![],
        &[("the second Bakhchysarai group", vec![0, 1, 2], 0)],
    );
    let second = article(
        "case-2.txt",
        &[
            "In the Bakhchysarai case of 2019, Server Kurtiev and Refat Dzhemilov were moved to Rostov.",
            "Their relatives learned of the transfer from the lawyers.",
        ],
        &["Server Kurtiev", "Refat Dzhemilov"],
        vec![],
        &[("the Bakhchysarai case of 2019", vec![0, 1], 0)],
    );
    // A different group with the same town in its name and none of the same people.
    let third = article(
        "case-3.txt",
        &["Lenur Khalilov is the only defendant in the first Bakhchysarai group still held."],
        &["Lenur Khalilov"],
        vec![],
        &[("the first Bakhchysarai group", vec![0], 0)],
    );
    for item in [&first, &second, &third] {
        store(&mut s, item);
    }
    let export = json_export(&s);
    let cases = export["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2, "{cases:#?}");
    let joined = cases
        .iter()
        .find(|c| c["defendants"].as_array().unwrap().len() == 3)
        .unwrap();
    let names: Vec<&str> = joined["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"the second Bakhchysarai group"));
    assert!(names.contains(&"the Bakhchysarai case of 2019"));
    assert_eq!(joined["sources"].as_array().unwrap().len(), 2);
    // Which article put which name and defendants into the case stays visible.
    let reports = joined["reports"].as_array().unwrap();
    let by_second = reports
        .iter()
        .find(|r| r["article"] == second.1.article.id.as_str())
        .unwrap();
    assert_eq!(by_second["name"], "the Bakhchysarai case of 2019");
    assert_eq!(by_second["defendants"].as_array().unwrap().len(), 2);

    // The case file shows the case once, with both names.
    let kurtiev = s.find_persons("Server Kurtiev", 5).unwrap()[0].id.clone();
    let file = s.case_file(&kurtiev).unwrap();
    assert_eq!(file.cases.len(), 1);
    assert_eq!(file.cases[0].names.len(), 2);
}

#[test]
fn reports_that_disagree_make_one_event_with_its_conflicts_visible() {
    let (_dir, mut s) = open_tmp();
    // Three reports of one sentence: (file, sentence, date, term).
    let reports = [
        (
            "sentence-1.txt",
            "The Southern District Military Court sentenced Emine Bekirova to 13 years on 14 May 2024.",
            FuzzyDate::day(2024, 5, 14),
            "13 years",
        ),
        (
            "sentence-2.txt",
            "On 15 May 2024 a court in Rostov gave Emine Bekirova 12 years in a general-regime colony.",
            FuzzyDate::day(2024, 5, 15),
            "12 years",
        ),
        (
            "sentence-3.txt",
            "Emine Bekirova, sentenced in May 2024 to 13 years, was moved to a colony in Russia.",
            FuzzyDate::month(2024, 5),
            "13 years",
        ),
    ]
    .map(|(source, sentence, date, term)| {
        let mut report = article(
            source,
            &[sentence],
            &["Emine Bekirova"],
            vec![TestEvent {
                event_type: "sentence",
                victims: vec![0],
                date: Some(date),
                sentence: 0,
            }],
            &[],
        );
        report.1.events.events[0]
            .details
            .insert("term".into(), term.into());
        report
    });
    for item in &reports {
        store(&mut s, item);
    }
    let second = &reports[1];
    let export = json_export(&s);
    let events = export["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    let e = &events[0];
    assert_eq!(e["sources"].as_array().unwrap().len(), 3);
    // The most precise, best-supported value wins: 14 May (its own report and the May one) and 13 years.
    assert_eq!(e["date"], "2024-05-14");
    assert_eq!(e["details"]["term"], "13 years");
    let conflicts = e["conflicts"].as_array().unwrap();
    let field = |name: &str| conflicts.iter().find(|c| c["field"] == name).unwrap();
    let date_values = field("date")["values"].as_array().unwrap();
    assert_eq!(date_values.len(), 3);
    let day15 = date_values
        .iter()
        .find(|v| v["value"] == "2024-05-15")
        .unwrap();
    assert_eq!(day15["articles"][0], second.1.article.id.as_str());
    let term_values = field("term")["values"].as_array().unwrap();
    assert_eq!(term_values.len(), 2);
    let thirteen = term_values
        .iter()
        .find(|v| v["value"] == "13 years")
        .unwrap();
    assert_eq!(thirteen["articles"].as_array().unwrap().len(), 2);

    // The person's timeline carries the same conflicts; the CSV export lists each value.
    let person = s.find_persons("Emine Bekirova", 5).unwrap()[0].id.clone();
    let file = s.case_file(&person).unwrap();
    assert_eq!(file.timeline.len(), 1);
    assert_eq!(file.timeline[0].conflicts.len(), 2);
    let dir = tempfile::tempdir().unwrap();
    export_csv(&s, false, dir.path()).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("event_conflicts.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3 + 2, "{csv}");
    assert!(csv.contains(",12 years,"), "{csv}");

    // A reviewer's edit still wins over the reconciled value.
    let event = file.timeline[0].id.clone();
    s.decide(
        "reviewer",
        &Decision::Edit {
            target: event,
            field: "date".into(),
            value: "2024-05-15".into(),
        },
    )
    .unwrap();
    assert_eq!(
        s.case_file(&person).unwrap().timeline[0].date.as_deref(),
        Some("2024-05-15")
    );
}

#[test]
fn a_store_of_schema_version_one_is_migrated_with_its_articles_linked() {
    let dir = tempfile::tempdir().unwrap();
    {
        // A version-1 store holding two copies of one story, as an older casebook left it.
        let mut s = SqliteStore::open(dir.path()).unwrap();
        store(
            &mut s,
            &article("v1-a.txt", STORY, &["Ruslan Memetov"], vec![], &[]),
        );
        let mut reprint: Vec<&str> = STORY.to_vec();
        reprint[0] = "Arrest of Ruslan Memetov extended";
        store(
            &mut s,
            &article("v1-b.txt", &reprint, &["Ruslan Memetov"], vec![], &[]),
        );
    }
    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE)).unwrap();
    conn.execute_batch(
        // Migration 161's views and 164's and 166's triggers read columns the older schema lacks.
        "DROP TRIGGER review_queue_ingest; DROP TRIGGER review_queue_decided;
         DROP TRIGGER perpetrators_report_stored; DROP TRIGGER perpetrators_report_removed;
         DROP TRIGGER victim_events_report_stored; DROP TRIGGER victim_events_report_removed;
         DROP TRIGGER victim_events_person_moved; DROP TABLE victim_events;
         DROP VIEW report_victim_events;
         DROP VIEW claim_scores; DROP VIEW claim_profiles; DROP VIEW article_meta;
         DELETE FROM near_duplicates; DELETE FROM article_bands; DELETE FROM article_signatures;
         UPDATE articles SET near_dupes_json = '[]';
         DROP TABLE near_duplicates; DROP TABLE article_bands; DROP TABLE article_signatures;
         DROP TABLE case_reports;
         DROP VIEW event_victims;
         CREATE TABLE event_victims (event_id TEXT NOT NULL, article_id TEXT NOT NULL,
           person_idx INTEGER NOT NULL, PRIMARY KEY (event_id, article_id, person_idx));
         CREATE TABLE event_perpetrators (event_id TEXT NOT NULL, name TEXT NOT NULL,
           PRIMARY KEY (event_id, name));
         ALTER TABLE event_sources DROP COLUMN date; ALTER TABLE event_sources DROP COLUMN place;
         ALTER TABLE event_sources DROP COLUMN details_json;
         ALTER TABLE event_sources DROP COLUMN claimed_by;
         ALTER TABLE event_sources DROP COLUMN victims_json;
         ALTER TABLE event_sources DROP COLUMN perpetrators_json;
         ALTER TABLE event_sources DROP COLUMN type;
         DROP INDEX case_defendants_article_person;
         ALTER TABLE events DROP COLUMN conflicts_json;
         DROP TABLE schema_migrations;
         ALTER TABLE event_sources DROP COLUMN victim_details_json;
         ALTER TABLE claims DROP COLUMN profile;
         ALTER TABLE events DROP COLUMN victim_details_json;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let export = json_export(&s);
    let linked: usize = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["near_duplicates"].as_array().unwrap().len())
        .sum();
    assert_eq!(linked, 2);
}

#[test]
fn undated_reports_join_only_across_syndicated_copies() {
    let (_dir, mut s) = open_tmp();
    let undated_detention = || TestEvent {
        event_type: "detention",
        victims: vec![0],
        date: None,
        sentence: 2,
    };
    let original = article(
        "wire-a.txt",
        STORY,
        &["Ruslan Memetov"],
        vec![undated_detention()],
        &[],
    );
    let mut reprint: Vec<&str> = STORY.to_vec();
    reprint[0] = "Crimea: arrest of Ruslan Memetov extended by three months";
    let copy = article(
        "wire-b.txt",
        &reprint,
        &["Ruslan Memetov"],
        vec![undated_detention()],
        &[],
    );
    // Another story about the same man with an undated detention of its own: nothing says it is
    // the same detention.
    let mut other_story: Vec<&str> = OTHER_STORY.to_vec();
    other_story[1] = "Ruslan Memetov was detained again by officers who did not give their names, \
                      his wife told reporters, and taken to an unknown place.";
    let other = article(
        "other.txt",
        &other_story,
        &["Ruslan Memetov"],
        vec![TestEvent {
            event_type: "detention",
            victims: vec![0],
            date: None,
            sentence: 1,
        }],
        &[],
    );
    store(&mut s, &original);
    store(&mut s, &copy);
    store(&mut s, &other);
    let export = json_export(&s);
    let detentions: Vec<&Value> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "detention")
        .collect();
    assert_eq!(detentions.len(), 2, "{detentions:#?}");
    let mut sources: Vec<usize> = detentions
        .iter()
        .map(|e| e["sources"].as_array().unwrap().len())
        .collect();
    sources.sort_unstable();
    assert_eq!(sources, vec![1, 2]);
}

#[test]
fn a_store_of_schema_version_three_keeps_every_report_victim_and_perpetrator() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        for (i, date) in [FuzzyDate::day(2024, 5, 14), FuzzyDate::day(2024, 5, 15)]
            .into_iter()
            .enumerate()
        {
            let mut item = article(
                &format!("v3-{i}.txt"),
                &[&format!(
                    "Officers detained Emine Bekirova and Lenur Seitov in Simferopol, report {i}."
                )],
                &["Emine Bekirova", "Lenur Seitov"],
                vec![TestEvent {
                    event_type: "detention",
                    victims: vec![0, 1],
                    date: Some(date),
                    sentence: 0,
                }],
                &[],
            );
            item.1.events.events[0].perpetrators = vec![format!("FSB unit {i}")];
            store(&mut s, &item);
        }
        json_export(&s)
    };
    let events = before["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "both reports are one event");
    assert_eq!(events[0]["victims"].as_array().unwrap().len(), 2);
    assert_eq!(events[0]["perpetrators"].as_array().unwrap().len(), 2);
    assert!(!events[0]["conflicts"].as_array().unwrap().is_empty());

    // Back to the shape of version 3: reports, victims and perpetrators in tables of their own.
    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE)).unwrap();
    conn.execute_batch(
        "DROP TRIGGER review_queue_ingest; DROP TRIGGER review_queue_decided;
         DROP TRIGGER perpetrators_report_stored; DROP TRIGGER perpetrators_report_removed;
         DROP TRIGGER victim_events_report_stored; DROP TRIGGER victim_events_report_removed;
         DROP TRIGGER victim_events_person_moved; DROP TABLE victim_events;
         DROP VIEW report_victim_events;
         DROP VIEW claim_scores; DROP VIEW claim_profiles; DROP VIEW article_meta;
         CREATE TABLE event_reports (article_id TEXT NOT NULL, seq INTEGER NOT NULL,
           event_id TEXT NOT NULL, date TEXT, place TEXT, details_json TEXT NOT NULL,
           claimed_by TEXT, PRIMARY KEY (article_id, seq));
         INSERT INTO event_reports SELECT article_id, seq, event_id, date, place, details_json,
           claimed_by FROM event_sources;
         DROP VIEW event_victims;
         CREATE TABLE event_victims (event_id TEXT NOT NULL, article_id TEXT NOT NULL,
           person_idx INTEGER NOT NULL, PRIMARY KEY (event_id, article_id, person_idx));
         INSERT INTO event_victims SELECT s.event_id, s.article_id, j.value
           FROM event_sources s, json_each(s.victims_json) j;
         CREATE TABLE event_perpetrators (event_id TEXT NOT NULL, name TEXT NOT NULL,
           PRIMARY KEY (event_id, name));
         INSERT OR IGNORE INTO event_perpetrators SELECT s.event_id, j.value
           FROM event_sources s, json_each(s.perpetrators_json) j;
         ALTER TABLE event_sources DROP COLUMN date; ALTER TABLE event_sources DROP COLUMN place;
         ALTER TABLE event_sources DROP COLUMN details_json;
         ALTER TABLE event_sources DROP COLUMN claimed_by;
         ALTER TABLE event_sources DROP COLUMN victims_json;
         ALTER TABLE event_sources DROP COLUMN perpetrators_json;
         ALTER TABLE event_sources DROP COLUMN type;
         CREATE INDEX article_bands_article ON article_bands(article_id);
         CREATE INDEX claims_subject ON claims(subject);
         ALTER TABLE event_sources DROP COLUMN victim_details_json;
         ALTER TABLE claims DROP COLUMN profile;
         ALTER TABLE events DROP COLUMN victim_details_json;
         DELETE FROM schema_migrations WHERE version >= 4;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(conn);

    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(s.integrity_check().unwrap().is_empty());
    assert_eq!(json_export(&s), before);
}

#[test]
fn a_store_of_schema_version_four_matches_new_reports_to_its_events() {
    let dir = tempfile::tempdir().unwrap();
    let report = |n: usize| {
        article(
            &format!("v4-{n}.txt"),
            &[&format!(
                "Officers detained Emine Bekirova in Simferopol on 14 May, report {n} says."
            )],
            &["Emine Bekirova"],
            vec![TestEvent {
                event_type: "detention",
                victims: vec![0],
                date: Some(FuzzyDate::day(2024, 5, 14)),
                sentence: 0,
            }],
            &[],
        )
    };
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        store(&mut s, &report(0));
    }
    // Back to the shape of version 4: reports without their event's type.
    let conn = rusqlite::Connection::open(dir.path().join(STORE_FILE)).unwrap();
    conn.execute_batch(
        "DROP TRIGGER victim_events_report_stored; DROP TRIGGER victim_events_report_removed;
         DROP TRIGGER victim_events_person_moved; DROP TABLE victim_events;
         DROP VIEW report_victim_events;
         ALTER TABLE event_sources DROP COLUMN type;
         ALTER TABLE event_sources DROP COLUMN victim_details_json;
         DROP TRIGGER review_queue_ingest; DROP TRIGGER review_queue_decided;
         DROP VIEW claim_scores;
         ALTER TABLE claims DROP COLUMN profile;
         ALTER TABLE events DROP COLUMN victim_details_json;
         DELETE FROM schema_migrations WHERE version >= 5;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(conn);

    let mut s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(s.integrity_check().unwrap().is_empty());
    // The stored report got its type back, so a new report of the same detention joins it.
    store(&mut s, &report(1));
    let export = json_export(&s);
    let events = export["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0]["sources"].as_array().unwrap().len(), 2);
}

#[test]
fn a_later_report_in_the_same_article_sees_the_date_an_earlier_one_gave_the_event() {
    let (_dir, mut s) = open_tmp();
    let detention = |day: Option<u32>, sentence: usize| TestEvent {
        event_type: "detention",
        victims: vec![0],
        date: Some(day.map_or(FuzzyDate::month(2024, 5), |d| FuzzyDate::day(2024, 5, d))),
        sentence,
    };
    store(
        &mut s,
        &article(
            "may.txt",
            &["Lenur Seitov was detained in May, his family said."],
            &["Lenur Seitov"],
            vec![detention(None, 0)],
            &[],
        ),
    );
    // The first report dates the May detention to the 14th; the second, a fortnight later, is
    // another detention, although both fall in May.
    store(
        &mut s,
        &article(
            "two-detentions.txt",
            &[
                "Lenur Seitov was detained on 14 May in Simferopol.",
                "He was detained again on 28 May, after his release.",
            ],
            &["Lenur Seitov"],
            vec![detention(Some(14), 0), detention(Some(28), 1)],
            &[],
        ),
    );
    let export = json_export(&s);
    let mut detentions: Vec<(String, usize)> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap_or_default().to_string(),
                e["sources"].as_array().unwrap().len(),
            )
        })
        .collect();
    detentions.sort();
    assert_eq!(
        detentions,
        vec![("2024-05-14".to_string(), 2), ("2024-05-28".to_string(), 1)]
    );
}
