//! Per-language figures of the people and event stages on the annotated corpus (`corpus/*.txt`), or on
//! another folder of annotated articles: person mentions, (type, victim) and +date F1, and words/s of
//! people and events together on one thread.
//!
//! `cargo bench -p casebook-events --bench languages` (`-- --dir PATH` for another folder).

#[path = "../tests/support/languages.rs"]
mod languages;

use casebook_corpus::load_for_bench;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = load_for_bench(&args);
    let scores = languages::score(&corpus);
    let speed = languages::speed(&corpus, Duration::from_secs(2));
    println!(
        "{:<5} {:>8} {:>6} {:>10} {:>10} {:>12} {:>12} {:>12}",
        "lang",
        "articles",
        "words",
        "persons",
        "events",
        "events+date",
        "words/s cpu",
        "words/s wall"
    );
    for (language, s) in &scores {
        let (cpu, wall) = speed.get(language).copied().unwrap_or((0.0, 0.0));
        println!(
            "{:<5} {:>8} {:>6} {:>10.3} {:>10.3} {:>12.3} {:>12.0} {:>12.0}",
            language,
            s.articles,
            s.words,
            s.persons.f1(),
            s.events.type_victim.f1(),
            s.events.with_date.f1(),
            cpu,
            wall
        );
    }
    println!(
        "targets: persons F1 >= {}, events F1 >= {}, events+date F1 >= {}, >= 100000 words/s on one core (release build; cpu = this thread's CPU time)",
        languages::TARGET_PERSONS,
        languages::TARGET_EVENTS,
        languages::TARGET_EVENTS_DATE
    );
}
