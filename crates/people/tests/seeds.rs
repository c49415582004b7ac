//! The two real text dumps in `../shared/seeds/`, run through the article stage and the recogniser.

use casebook_people::Recognizer;
use std::path::PathBuf;

/// The shared seeds folder beside the repository (`../shared/seeds`), if it is there.
fn seed(name: &str) -> Option<String> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .ok()?;
    let path = crate_dir.join("../../../shared/seeds").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("skipping: cannot read {}: {e}", path.display());
            None
        }
    }
}

fn people_of(name: &str) -> Option<(Vec<String>, casebook_model::ArticlePeople)> {
    let raw = seed(name)?;
    let article = casebook_article::extract_text_dump(name, &raw).ok()?;
    let people = Recognizer::new().recognize(&article.text());
    let names = people.persons.iter().map(|p| p.name.clone()).collect();
    Some((names, people))
}

const NOT_PEOPLE: [&str; 8] = [
    "Crimean Tatar",
    "OIC",
    "Mejlis",
    "Ukrinform",
    "Istanbul",
    "Russia",
    "Crimea",
    "FSB",
];

/// Every `expected` name is among the persons found, and no mention is one of [`NOT_PEOPLE`].
fn assert_people(names: &[String], people: &casebook_model::ArticlePeople, expected: &[&str]) {
    for expected in expected {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    for m in &people.mentions {
        assert!(
            !NOT_PEOPLE.iter().any(|w| m.text.contains(w)),
            "{:?} taken for a person",
            m.text
        );
    }
}

#[test]
fn seed_000_names_dzhemilev_dzhelal_erdogan_putin() {
    let Some((names, people)) = people_of("000_a09a92dfceb9919f.txt") else {
        return;
    };
    assert_people(
        &names,
        &people,
        &["Mustafa Dzhemilev", "Nariman Dzhelal", "Erdogan", "Putin"],
    );
    assert!(people.entities.iter().any(|e| e.text == "Istanbul"));
    assert!(people.entities.iter().any(|e| e.text.starts_with("OIC")));
}

#[test]
fn seed_004_names_chubarov_chalgozov_ametov_dzhelyal_polozov() {
    let Some((names, people)) = people_of("004_338a0795674ae72f.txt") else {
        return;
    };
    assert_people(
        &names,
        &people,
        &[
            "Refat Chubarov",
            "Kurtumer Chalgozov",
            "Nariman Ametov",
            "Nariman Dzhelyal",
            "Nikolai Polozov",
        ],
    );
    let chalgozov = names.iter().position(|n| n == "Kurtumer Chalgozov");
    assert!(people
        .mentions
        .iter()
        .any(|m| m.text == "Chalgozov" && Some(m.person) == chalgozov));
}
