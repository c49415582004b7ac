//! Each language the stages read keeps its targets on the project's own corpus: person mentions F1,
//! (event type, victim) F1 and the same with the date right. Fails when a change drops one below.

#[path = "support/languages.rs"]
mod languages;

use casebook_corpus::{default_dir, load_dir};
use languages::{TARGET_EVENTS, TARGET_EVENTS_DATE, TARGET_PERSONS};

#[test]
fn every_language_keeps_its_targets_on_the_corpus() {
    let corpus = load_dir(&default_dir()).expect("the corpus loads");
    let scores = languages::score(&corpus);
    let mut problems = Vec::new();
    for language in ["en", "ru", "uk", "crh"] {
        let Some(s) = scores.get(language) else {
            problems.push(format!(
                "{language}: no article of the corpus is read as {language}"
            ));
            continue;
        };
        let figures = [
            ("persons F1", s.persons.f1(), TARGET_PERSONS),
            ("events F1", s.events.type_victim.f1(), TARGET_EVENTS),
            (
                "events+date F1",
                s.events.with_date.f1(),
                TARGET_EVENTS_DATE,
            ),
        ];
        for (what, got, target) in figures {
            println!("{language}: {what} {got:.3} (target {target})");
            if got < target {
                problems.push(format!("{language}: {what} {got:.3} < {target}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
