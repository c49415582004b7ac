//! Other groups' lists in the register: versions with their hash and mapping, rows as reviewable
//! claims, the report after a rejection, and the changes between versions.

mod common;

use casebook_lists::{read_list, Limits};
use casebook_model::FuzzyDate;
use casebook_register::{ClaimFilter, ClaimKind, Decision, ReviewState, SqliteStore, Store};
use common::{article, provenance, store, TestEvent};

fn register() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let a = article(
        "a1",
        &[
            "Enver Kurtseitov was detained in Simferopol on 12 March 2019.",
            "Lilia Abdurakhmanova and Oleh Vasylenko spoke to reporters.",
        ],
        &["Enver Kurtseitov", "Lilia Abdurakhmanova", "Oleh Vasylenko"],
        vec![TestEvent {
            event_type: "detention",
            victims: vec![0],
            date: Some(FuzzyDate::day(2019, 3, 12)),
            sentence: 0,
        }],
        &[],
    );
    store(&mut s, &a);
    (dir, s)
}

const V1: &str = "ФИО;Дата задержания;Статус\n\
Энвер Куртсеитов;12.03.2018;в СИЗО\n\
Лилии Абдурахмановой;;\n\
Memet Sadykov;01.02.2020;осуждён\n";

const V2: &str = "ФИО;Дата задержания;Статус\n\
Энвер Куртсеитов;12.03.2018;осуждён\n\
Memet Sadykov;01.02.2020;осуждён\n\
Рустем Бекиров;;в СИЗО\n";

#[test]
fn a_list_is_stored_reconciled_reviewed_and_compared() {
    let (_dir, mut s) = register();
    let p = provenance("casebook-test");
    let v1 = read_list("v1.csv", V1.as_bytes(), None, &[], &Limits::default()).unwrap();
    let import = s.import_list("crimea", "v1.csv", &v1, &p).unwrap();
    assert_eq!((import.version, import.unchanged), (1, false));

    let report = s.list_report("crimea", None).unwrap();
    let rows: Vec<usize> = report
        .reconciliation
        .matched
        .iter()
        .map(|m| m.row)
        .collect();
    assert_eq!(rows, [1, 2]);
    assert_eq!(report.reconciliation.only_in_list.len(), 1);
    assert_eq!(report.reconciliation.only_in_list[0].row, 3);
    assert_eq!(report.reconciliation.only_in_register.len(), 1);
    let fields: Vec<&str> = report
        .reconciliation
        .conflicts
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert_eq!(fields, ["date_detained"]);
    assert_eq!(report.reconciliation.conflicts[0].register, "2019-03-12");

    // Every row is a claim, with its provenance in the summary.
    let claims = s
        .claims(&ClaimFilter {
            kind: Some(ClaimKind::ListRow),
            limit: 100,
            ..ClaimFilter::default()
        })
        .unwrap();
    assert_eq!(claims.len(), 3);
    assert!(claims.iter().all(|c| c
        .summary
        .contains("list \"crimea\" version 1 (v1.csv, sha256 ")));
    // Rejecting row 2's claim undoes its match in the report.
    let row2 = claims
        .iter()
        .find(|c| c.summary.starts_with("row 2 "))
        .unwrap();
    s.decide(
        "reviewer",
        &Decision::Reject {
            target: row2.id.clone(),
        },
    )
    .unwrap();
    let after = s.list_report("crimea", Some(1)).unwrap();
    assert_eq!(after.reconciliation.matched.len(), 1);
    assert_eq!(after.reconciliation.only_in_list.len(), 2);
    assert_eq!(
        s.claims(&ClaimFilter {
            state: Some(ReviewState::Rejected),
            limit: 10,
            ..ClaimFilter::default()
        })
        .unwrap()
        .len(),
        1
    );

    // The same file again stores nothing; a new file is version 2, read with the kept mapping.
    assert!(
        s.import_list("crimea", "again.csv", &v1, &p)
            .unwrap()
            .unchanged
    );
    let kept = s.list_mapping("crimea").unwrap().unwrap();
    assert_eq!(kept.get("фио").map(String::as_str), Some("name"));
    let v2 = read_list(
        "v2.csv",
        V2.as_bytes(),
        Some(&kept),
        &[],
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        s.import_list("crimea", "v2.csv", &v2, &p).unwrap().version,
        2
    );
    let (from, to, changes) = s.list_changes("crimea", None, None).unwrap();
    assert_eq!((from, to), (1, 2));
    assert_eq!(changes.added.len(), 1);
    assert_eq!(changes.removed.len(), 1);
    assert_eq!(changes.changed.len(), 1);
    assert_eq!(changes.changed[0].fields[0].field, "status");
    assert_eq!(s.lists().unwrap()[0].versions.len(), 2);

    assert!(s.list_report("nope", None).is_err());
    assert!(s.list_report("crimea", Some(3)).is_err());
    let problems = s.integrity_check().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}
