//! Speed of keys, pair scores and person resolution. Prints figures; asserts nothing about time.
//!
//! `cargo bench -p casebook-names --bench names`
//!
//! Names come from the shared variant file (`../shared/bench/names/name_variants.json`, read at run time
//! when present) and from synthetic persons built from the crate's own given-name table and invented
//! surname stems, so that the 100,000-person index has realistic collisions (many Bekirovs, many Servers).

use casebook_names::{key, score, PersonIndex, PreparedName, Resolution};
use std::hint::black_box;
use std::time::Instant;

const GIVEN: &[&str] = &[
    "Server",
    "Servet",
    "Enver",
    "Edem",
    "Asan",
    "Aziz",
    "Ali",
    "Alim",
    "Remzi",
    "Rustem",
    "Ruslan",
    "Lenur",
    "Nariman",
    "Mustafa",
    "Emine",
    "Lilia",
    "Zair",
    "Eskender",
    "Ayder",
    "Teymur",
    "Seyran",
    "Refat",
    "Ilmi",
    "Mykola",
    "Volodymyr",
    "Oleh",
    "Serhiy",
    "Iryna",
    "Nataliya",
    "Dmytro",
    "Andriy",
    "Petro",
    "Yuriy",
];
const SYLLABLES: &[&str] = &[
    "ab", "du", "ke", "ri", "mo", "se", "it", "ba", "le", "zu", "ra", "me", "ta", "li", "ne", "ka",
];
const ENDINGS: &[&str] = &["ov", "ev", "ova", "eva", "", "in", "enko"];

fn synthetic_name(i: usize) -> String {
    let given = GIVEN[i % GIVEN.len()];
    let mut n = i / GIVEN.len();
    let mut stem = String::new();
    for _ in 0..3 {
        stem.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    let ending = ENDINGS[n % ENDINGS.len()];
    let mut surname = stem;
    surname.push_str(ending);
    if let Some(first) = surname.get(..1) {
        surname = first.to_uppercase() + surname.get(1..).unwrap_or("");
    }
    format!("{given} {surname}")
}

fn shared_names() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/bench/names/name_variants.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for group in json["groups"].as_array().into_iter().flatten() {
        for v in group["variants"].as_array().into_iter().flatten() {
            if let Some(s) = v.as_str() {
                names.push(s.to_string());
            }
        }
    }
    names
}

fn main() {
    let mut names = shared_names();
    names.extend((0..2000).map(synthetic_name));

    let rounds = 50;
    let start = Instant::now();
    for _ in 0..rounds {
        for n in &names {
            black_box(key(black_box(n)));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "keys: {:.0} keys/s ({} names x {rounds})",
        (names.len() * rounds) as f64 / secs,
        names.len()
    );

    let pairs: Vec<(&String, &String)> = names.iter().zip(names.iter().skip(1)).collect();
    let start = Instant::now();
    for _ in 0..10 {
        for (a, b) in &pairs {
            black_box(score(black_box(a), black_box(b)));
        }
    }
    let per_pair = start.elapsed().as_secs_f64() / (pairs.len() * 10) as f64;
    println!("score(a, b) from strings: {:.2} us/pair", per_pair * 1e6);

    let prepared: Vec<PreparedName> = names.iter().map(|n| PreparedName::new(n)).collect();
    let start = Instant::now();
    for _ in 0..10 {
        for w in prepared.windows(2) {
            if let [a, b] = w {
                black_box(casebook_names::score_prepared(a, b));
            }
        }
    }
    let per_pair = start.elapsed().as_secs_f64() / ((prepared.len() - 1) * 10) as f64;
    println!("score_prepared: {:.2} us/pair", per_pair * 1e6);

    let persons = 100_000;
    let start = Instant::now();
    let mut index = PersonIndex::new();
    for i in 0..persons {
        index.add_name(i as u64, &synthetic_name(i));
    }
    println!(
        "index: {persons} persons built in {:.2} s",
        start.elapsed().as_secs_f64()
    );

    let queries: Vec<String> = (0..2000)
        .map(|i| synthetic_name(i * 37 % persons))
        .collect();
    let start = Instant::now();
    let mut same = 0;
    for q in &queries {
        if let Resolution::Same(..) = index.resolve(q) {
            same += 1;
        }
    }
    let per_query = start.elapsed().as_secs_f64() / queries.len() as f64;
    println!(
        "resolve against {persons} persons: {:.1} us/lookup ({same} of {} known names resolved as Same)",
        per_query * 1e6,
        queries.len()
    );
    let start = Instant::now();
    for q in ["Bekirov", "Server Karametor", "Нариман Джелял"] {
        black_box(index.resolve(q));
    }
    println!(
        "resolve of a bare surname / a typo / an unknown: {:.1} us for the three",
        start.elapsed().as_secs_f64() * 1e6
    );
}
