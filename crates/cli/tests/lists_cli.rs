//! `casebook list` through the built binary: lists of invented people in Latin and Cyrillic, with
//! inflected forms and missing birth dates, as UTF-8 CSV, Windows-1251 CSV and an XLSX workbook made
//! here, reconciled with a register ingested from reports written for this test.

mod common;

use casebook_register::{SqliteStore, Store};
use common::Scratch;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

const REPORT_1: &str = "Crimean Tatar activist detained in Simferopol\n\n12.03.2019\n\n\
Officers of the FSB detained the Crimean Tatar activist Enver Kurtseitov at his home in Simferopol on \
12 March 2019 after a search that lasted five hours. His lawyer said the activist was taken to the FSB \
building and later remanded in custody for two months.\n\n\
The civic journalist Lilia Abdurakhmanova, who filmed the search from the street, was fined by a court \
in Simferopol for \"an unauthorised picket\".\n";

const REPORT_2: &str = "Court sentences Crimean Tatar to 13 years\n\n20.09.2021\n\n\
The Southern District Military Court in Rostov-on-Don sentenced Enver Kurtseitov to 13 years in a \
strict-regime colony on 20 September 2021 under article 205.5 of the Russian Criminal Code. Kurtseitov \
denies the charges.\n\n\
Rustem Bekirov, a resident of Bakhchysarai, was detained on 3 June 2021 and remains in pre-trial \
detention.\n";

fn casebook(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_casebook"));
    c.arg("--data").arg(data);
    c
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "casebook failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A register with Enver Kurtseitov (sentenced to 13 years), Lilia Abdurakhmanova and Rustem
/// Bekirov; their person ids by surname.
fn register(
    dir: &Path,
) -> (
    std::path::PathBuf,
    std::collections::BTreeMap<&'static str, String>,
) {
    let data = dir.join("data");
    for (i, text) in [REPORT_1, REPORT_2].iter().enumerate() {
        let file = dir.join(format!("report{i}.txt"));
        std::fs::write(&file, text).unwrap();
        ok(casebook(&data)
            .arg("ingest")
            .arg("--no-index")
            .arg(&file)
            .output()
            .unwrap());
    }
    let store = SqliteStore::open(&data).unwrap();
    let mut ids = std::collections::BTreeMap::new();
    for surname in ["Kurtseitov", "Abdurakhmanova", "Bekirov"] {
        let found = store.find_persons(surname, 5).unwrap();
        assert_eq!(found.len(), 1, "{surname}: {found:?}");
        ids.insert(surname, found[0].id.clone());
    }
    (data, ids)
}

fn report(data: &Path, list: &str) -> Value {
    let out = ok(casebook(data)
        .args(["list", "report", list, "--format", "json"])
        .output()
        .unwrap());
    serde_json::from_str(&out).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn matched(report: &Value) -> Vec<(u64, String)> {
    report["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["row"].as_u64().unwrap(),
                m["person"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_cyrillic_list_with_inflected_names_reconciles_in_the_issues_json_shape() {
    let scratch = Scratch::new("list-utf8");
    let (data, ids) = register(&scratch.0);
    // Inflected (genitive) and nominative Cyrillic forms, a missing birth date, someone unknown.
    let csv = "ФИО,Дата рождения,Статус,Срок,Дата задержания\n\
Энвера Куртсеитова,,осуждён,13 лет,12.03.2019\n\
Абдурахманова Лилия,1990-04-17,на свободе,,\n\
Петро Вигаданий,,в СИЗО,,\n";
    let file = scratch.0.join("list.csv");
    std::fs::write(&file, csv).unwrap();
    let out = ok(casebook(&data)
        .args(["list", "import"])
        .arg(&file)
        .args(["--name", "ua-group"])
        .output()
        .unwrap());
    assert!(out.contains("matched 2 · only in the list 1"), "{out}");

    let r = report(&data, "ua-group");
    let expected: BTreeSet<String> = [
        "list",
        "version",
        "matched",
        "only_in_list",
        "only_in_register",
        "conflicts",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(keys(&r), expected);
    assert_eq!(r["list"], "ua-group");
    assert_eq!(r["version"], 1);
    assert_eq!(
        matched(&r),
        [
            (1, ids["Kurtseitov"].clone()),
            (2, ids["Abdurakhmanova"].clone())
        ]
    );
    let first = &r["matched"][0];
    assert_eq!(
        keys(first),
        ["person", "row", "score", "why"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert!(first["score"].as_f64().unwrap() >= 0.5);
    assert!(
        first["why"].as_str().unwrap().contains("read as"),
        "{first}"
    );
    assert_eq!(
        r["only_in_list"],
        serde_json::json!([{"row": 3, "name": "Петро Вигаданий"}])
    );
    assert_eq!(
        r["only_in_register"],
        serde_json::json!([{"person": ids["Bekirov"]}])
    );
    // The register has Kurtseitov sentenced, as the list says; Abdurakhmanova "at liberty" against
    // the register's "under persecution" is the one conflict.
    let conflicts = r["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["row"], 2);
    assert_eq!(conflicts[0]["field"], "status");
    assert_eq!(conflicts[0]["list"], "на свободе");

    let csv_out = ok(casebook(&data)
        .args(["list", "report", "ua-group", "--format", "csv"])
        .output()
        .unwrap());
    assert!(
        csv_out.starts_with("list,version,section,row,person"),
        "{csv_out}"
    );
    assert_eq!(
        csv_out.lines().filter(|l| l.contains(",matched,")).count(),
        2
    );

    // The rows are claims reviewable like any other.
    let claims = ok(casebook(&data)
        .args(["review", "list", "--kind", "list_row"])
        .output()
        .unwrap());
    assert_eq!(
        claims.matches("list \"ua-group\" version 1").count(),
        3,
        "{claims}"
    );
}

#[test]
fn windows_1251_xlsx_overrides_and_a_second_version() {
    let scratch = Scratch::new("list-cp1251");
    let (data, ids) = register(&scratch.0);
    // Windows-1251 with semicolons, as a spreadsheet in a Russian locale saves it.
    let text = "ПІБ;Примітка;Місце утримання\nКуртсеітов Енвер;засуджений;ИК-2 Ярославль\nБекірова Рустема;під вартою;\n";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!bad);
    let file = scratch.0.join("cp1251.csv");
    std::fs::write(&file, &bytes).unwrap();
    ok(casebook(&data)
        .args(["list", "import"])
        .arg(&file)
        .args(["--name", "cp", "--map", "Примітка=status"])
        .output()
        .unwrap());
    let r = report(&data, "cp");
    assert_eq!(
        matched(&r),
        [(1, ids["Kurtseitov"].clone()), (2, ids["Bekirov"].clone())]
    );
    assert!(
        r["conflicts"].as_array().unwrap().is_empty(),
        "{}",
        r["conflicts"]
    );

    // Version 2, an XLSX workbook in Latin script: the kept mapping reads "Примітка" as the status
    // without --map, one row changed status, one row was added and one removed.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["ПІБ", "Примітка", "Місце утримання"],
        ["Enver Kurtseitov", "звільнений", "ИК-2 Ярославль"],
        ["Liliya Abdurakhmanova", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    let file = scratch.0.join("v2.xlsx");
    book.save(&file).unwrap();
    ok(casebook(&data)
        .args(["list", "import"])
        .arg(&file)
        .args(["--name", "cp"])
        .output()
        .unwrap());
    let r = report(&data, "cp");
    assert_eq!(r["version"], 2);
    assert_eq!(
        matched(&r),
        [
            (1, ids["Kurtseitov"].clone()),
            (2, ids["Abdurakhmanova"].clone())
        ]
    );
    assert_eq!(r["conflicts"][0]["field"], "status");
    assert_eq!(r["conflicts"][0]["register"], "serving_sentence");

    let changes: Value = serde_json::from_str(&ok(casebook(&data)
        .args(["list", "changes", "cp"])
        .output()
        .unwrap()))
    .unwrap();
    let c = &changes["changes"];
    assert_eq!(
        c["added"],
        serde_json::json!([{"row": 2, "name": "Liliya Abdurakhmanova"}])
    );
    assert_eq!(
        c["removed"],
        serde_json::json!([{"row": 2, "name": "Бекірова Рустема"}])
    );
    assert_eq!(c["changed"][0]["row"], 1);
    let fields: Vec<&str> = c["changed"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "status"]);
    // The same file again is no new version.
    let again = ok(casebook(&data)
        .args(["list", "import"])
        .arg(&file)
        .args(["--name", "cp"])
        .output()
        .unwrap());
    assert!(again.contains("is version 2 already"), "{again}");
    let check = ok(casebook(&data).args(["stats", "--check"]).output().unwrap());
    assert!(check.contains("integrity        ok"), "{check}");
}

#[test]
fn bad_lists_are_refused_naming_the_file_and_the_reason() {
    let scratch = Scratch::new("list-bad");
    let data = scratch.0.join("data");
    let long = scratch.0.join("long.csv");
    std::fs::write(&long, format!("Name\n{}\n", "a".repeat(5000))).unwrap();
    let out = casebook(&data)
        .args(["list", "import"])
        .arg(&long)
        .args(["--name", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("long.csv") && err.contains("row 1, column 1"),
        "{err}"
    );

    let nameless = scratch.0.join("nameless.csv");
    std::fs::write(&nameless, "Colour,Size\nred,3\n").unwrap();
    let out = casebook(&data)
        .args(["list", "import"])
        .arg(&nameless)
        .args(["--name", "x", "--map", "Shade=name"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("nameless.csv") && err.contains("no column \"Shade\""),
        "{err}"
    );
    let out = casebook(&data)
        .args(["list", "report", "never-imported"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
