//! Through the built `casebook` binary: syndicated copies ingested by separate runs are linked to
//! each other, and two outlets' differing reports of one sentence are one event with its
//! disagreements in the export and the case file.

mod common;

use common::Scratch;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn casebook(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.arg("--data").arg(data);
    cmd
}

const BODY: &str = "The Kyivskyi District Court of Simferopol on Thursday extended the pre-trial \
detention of Ruslan Memetov, a 38-year-old builder from the village of Strohonivka, by another \
three months, the human rights group Crimean Solidarity reported.

Memetov was detained in March after armed officers of the Federal Security Service searched his \
home at dawn and seized religious books and two mobile phones. His lawyer said the defence had \
asked for house arrest, pointing to his three young children and his sick mother, but the judge \
refused without hearing the witnesses.

About forty people gathered outside the court building to support the prisoner and his family. \
Several of them were later stopped by police and asked for their documents.";

const OTHER: &str = "Activist fined for a post about the deportation anniversary

June 3, 2025, 10:15 a.m.

A magistrate in Bakhchysarai fined the activist Elvina Seitova 30,000 roubles for a post on \
social media that announced a memorial gathering for the anniversary of the deportation.

Seitova said she would appeal. Her lawyer noted that the post had been published two years \
before the law under which she was punished came into force, and that no gathering ever took \
place because the police had closed the square.

Share this:
";

fn ingest(data: &Path, input: &Path) {
    let out = casebook(data)
        .args(["ingest", "--no-index"])
        .arg(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn export(data: &Path) -> Value {
    let out = casebook(data).args(["export"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn article_by_source<'a>(export: &'a Value, file: &str) -> &'a Value {
    export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["source"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no article from {file}"))
}

#[test]
fn syndicated_copies_ingested_by_separate_runs_are_linked_and_another_story_is_not() {
    let scratch = Scratch::new("dupes");
    let data = scratch.0.join("data");
    let a = scratch.0.join("site-a.txt");
    let b = scratch.0.join("site-b.txt");
    let c = scratch.0.join("site-c.txt");
    std::fs::write(
        &a,
        format!(
            "Court extends arrest of Crimean Tatar builder Ruslan Memetov\n\nJune 5, 2025, 4:10 p.m.\n\n{BODY}\n\nYou might also like:\n\nJune 4, 2025\n\nSearches in Bilohirsk\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &b,
        format!(
            "Crimea: Ruslan Memetov to stay in custody for three more months\n\nJune 6, 2025, 9:02 a.m.\n\n{BODY}\n\nSource: Crimean Solidarity\n\nShare this:\n"
        ),
    )
    .unwrap();
    std::fs::write(&c, OTHER).unwrap();
    ingest(&data, &a);
    ingest(&data, &c);
    ingest(&data, &b);

    let export = export(&data);
    let (ea, eb, ec) = (
        article_by_source(&export, "site-a.txt"),
        article_by_source(&export, "site-b.txt"),
        article_by_source(&export, "site-c.txt"),
    );
    assert_eq!(ea["near_duplicates"], serde_json::json!([eb["id"]]));
    assert_eq!(eb["near_duplicates"], serde_json::json!([ea["id"]]));
    assert_eq!(ec["near_duplicates"], serde_json::json!([]));
}

#[test]
fn two_outlets_disagreeing_on_a_sentence_give_one_event_with_its_conflicts() {
    let scratch = Scratch::new("conflicts");
    let data = scratch.0.join("data");
    let inputs = scratch.0.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("outlet-1.txt"),
        "Crimean Tatar Emine Bekirova sentenced to 13 years\n\nMay 14, 2024, 6:20 p.m.\n\n\
         On May 14, 2024, the Southern District Military Court in Rostov-on-Don sentenced the \
         Crimean Tatar nurse Emine Bekirova to 13 years in a general-regime colony.\n\n\
         Her lawyer said the verdict would be appealed.\n",
    )
    .unwrap();
    std::fs::write(
        inputs.join("outlet-2.txt"),
        "Court in Rostov gives Emine Bekirova 12 years\n\nMay 15, 2024, 11:05 a.m.\n\n\
         On May 15, 2024, a military court in Rostov-on-Don sentenced Emine Bekirova, a nurse \
         from Dzhankoi, to 12 years in a general-regime colony.\n\n\
         Relatives were not allowed into the courtroom.\n",
    )
    .unwrap();
    ingest(&data, &inputs);

    let export = export(&data);
    let sentences: Vec<&Value> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "sentence")
        .collect();
    assert_eq!(sentences.len(), 1, "{sentences:#?}");
    let e = sentences[0];
    assert_eq!(e["sources"].as_array().unwrap().len(), 2);
    let fields: Vec<&str> = e["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"date"), "{e:#}");
    assert!(fields.contains(&"term"), "{e:#}");

    // The case file says so too.
    let out = casebook(&data)
        .args(["person", "Emine Bekirova"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sources disagree on term"), "{text}");
    assert!(text.contains("sources disagree on date"), "{text}");
}
