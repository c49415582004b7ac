//! Speed of keys, pair scores and person resolution, and how well resolution knows a person again.
//! Prints figures; asserts nothing about time.
//!
//! `cargo bench -p casebook-names --bench names`
//!
//! Names come from the shared variant file (`../shared/bench/names/name_variants.json`, read at run time
//! when present) and from synthetic persons. A synthetic person is a given name from the crate's
//! given-name table and a surname of two to four Cyrillic syllables with a Slavic ending, written in the
//! index in one transliteration (BGN) and looked up in another (Ukrainian national, ICAO, Crimean Tatar
//! Latin, English press, Cyrillic), with the given name in another form of its table line (Mykola /
//! Nikolai). Persons are really distinct: among persons with the same given name, no two surnames are
//! alike (Jaro-Winkler of their press spellings below 0.85, strsim's, not the crate's), so a known
//! person's variant should resolve to that person, and an unknown person must never resolve as Same.

use casebook_names::{key, score, score_prepared, PersonIndex, PreparedName, Resolution};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");

/// Consonants of the synthetic syllables. г and ж are left out: the key merges г with х and ж with дж
/// on purpose, so persons differing only there would not be distinct to any reader of the press.
const CONSONANTS: &[&str] = &[
    "б", "в", "д", "дж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ц", "ч", "ш",
];
/// Vowels of the syllables; я and ю give the ya/ia/a and yu/iu/u variants.
const VOWELS: &[&str] = &["а", "е", "и", "о", "у", "я", "ю"];
/// Closing syllables with a consonant, as in Bekir, Seitmemet, Kurtseit.
const CLOSED: &[&str] = &[
    "бек", "мур", "сан", "тем", "рат", "кир", "сеит", "зай", "лей", "дин",
];
/// Masculine surname endings (after a consonant / after a vowel, where BGN writes -yev).
const ENDINGS: &[&str] = &["ов", "ев", "ин", "енко", ""];

/// A small deterministic generator (xorshift64*), so every run builds the same persons.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

/// Transliteration systems of the press (see shared/reference/names.md).
#[derive(Clone, Copy, Debug, PartialEq)]
enum System {
    Bgn,
    Ukrainian,
    Icao,
    CrimeanTatar,
    Press,
    Cyrillic,
}

const QUERY_SYSTEMS: &[System] = &[
    System::Ukrainian,
    System::Icao,
    System::CrimeanTatar,
    System::Press,
    System::Cyrillic,
];

fn is_vowel(c: char) -> bool {
    "аеиоуяюєіїыэё".contains(c)
}

/// Writes a lower-case Cyrillic surname in `system`, capitalised.
fn transliterate(cyr: &str, system: System) -> String {
    let chars: Vec<char> = cyr.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let initial = i == 0;
        let after_vowel = i > 0 && chars.get(i - 1).is_some_and(|&p| is_vowel(p));
        let next = chars.get(i + 1).copied();
        if c == 'д' && next == Some('ж') {
            out.push_str(match system {
                System::CrimeanTatar => "c",
                System::Press => "j",
                System::Cyrillic => "дж",
                _ => "dzh",
            });
            i += 2;
            continue;
        }
        let soft = |ya: &'static str, ia: &'static str, bare: &'static str| match system {
            System::Bgn => ya,
            System::Ukrainian if initial => ya,
            System::Ukrainian | System::Icao => ia,
            System::CrimeanTatar if initial || after_vowel => ya,
            System::CrimeanTatar => bare,
            _ if initial || after_vowel => ya,
            _ => bare,
        };
        let s: String = match (c, system) {
            (_, System::Cyrillic) => c.to_string(),
            ('я', System::CrimeanTatar) if !(initial || after_vowel) => "â".into(),
            ('я', _) => soft("ya", "ia", "a").into(),
            ('ю', _) => soft("yu", "iu", "u").into(),
            ('е', System::Bgn) if initial || after_vowel => "ye".into(),
            ('е', _) => "e".into(),
            ('и', System::Ukrainian) => "y".into(),
            ('х', System::CrimeanTatar | System::Press) => "h".into(),
            ('х', _) => "kh".into(),
            ('ч', System::CrimeanTatar) => "ç".into(),
            ('ш', System::CrimeanTatar) => "ş".into(),
            ('ц', _) => "ts".into(),
            ('ч', _) => "ch".into(),
            ('ш', _) => "sh".into(),
            ('й', System::Bgn | System::CrimeanTatar) => "y".into(),
            ('й', _) => "i".into(),
            _ => {
                let latin = "абвдзиклмнопрстуф";
                let ascii = "abvdziklmnoprstuf";
                latin
                    .chars()
                    .position(|l| l == c)
                    .and_then(|p| ascii.chars().nth(p))
                    .map_or(String::new(), String::from)
            }
        };
        out.push_str(&s);
        i += 1;
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// A rough Cyrillic spelling of a Latin given name (Nariman → Нариман), for all-Cyrillic queries.
fn cyrillic_given(latin: &str) -> String {
    const PAIRS: &[(&str, &str)] = &[
        ("shch", "щ"),
        ("dzh", "дж"),
        ("kh", "х"),
        ("zh", "ж"),
        ("ts", "ц"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("ya", "я"),
        ("yu", "ю"),
        ("ye", "е"),
        ("a", "а"),
        ("b", "б"),
        ("v", "в"),
        ("g", "г"),
        ("h", "г"),
        ("d", "д"),
        ("e", "е"),
        ("z", "з"),
        ("i", "и"),
        ("y", "й"),
        ("k", "к"),
        ("l", "л"),
        ("m", "м"),
        ("n", "н"),
        ("o", "о"),
        ("p", "п"),
        ("r", "р"),
        ("s", "с"),
        ("t", "т"),
        ("u", "у"),
        ("f", "ф"),
        ("c", "дж"),
        ("j", "дж"),
        ("x", "кс"),
        ("w", "в"),
    ];
    let lower = latin.to_lowercase();
    let mut rest = lower.as_str();
    let mut out = String::new();
    'outer: while !rest.is_empty() {
        for (l, c) in PAIRS {
            if let Some(r) = rest.strip_prefix(l) {
                out.push_str(c);
                rest = r;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        chars.next();
        rest = chars.as_str();
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// One synthetic person: a given-name line, the forms on it, and a Cyrillic surname.
struct Person {
    given_line: usize,
    surname: String,
}

struct Population {
    given: Vec<Vec<&'static str>>,
    persons: Vec<Person>,
}

impl Population {
    /// `count` distinct persons (see the file's doc comment).
    fn generate(count: usize, seed: u64) -> Population {
        let given: Vec<Vec<&'static str>> = GIVEN_NAMES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .collect()
            })
            .filter(|forms: &Vec<&str>| !forms.is_empty())
            .collect();
        let mut syllables: Vec<String> = Vec::new();
        for c in CONSONANTS {
            for v in VOWELS {
                syllables.push(format!("{c}{v}"));
            }
        }
        let mut rng = Rng(seed);
        // Accepted press spellings by (given line, first two letters): a new surname is compared with
        // those only, as two spellings alike enough to matter share their start.
        let mut seen: HashMap<(usize, String), Vec<String>> = HashMap::new();
        let mut persons = Vec::with_capacity(count);
        while persons.len() < count {
            let given_line = rng.below(given.len());
            let mut stem = String::new();
            for _ in 0..1 + rng.below(3) {
                stem.push_str(syllables.get(rng.below(syllables.len())).map_or("", |s| s));
            }
            stem.push_str(rng.pick(CLOSED));
            let surname = format!("{stem}{}", rng.pick(ENDINGS));
            let press = transliteration_for_likeness(&surname);
            let bucket = (given_line, press.chars().take(2).collect::<String>());
            let alike = seen.get(&bucket).is_some_and(|others| {
                others
                    .iter()
                    .any(|o| strsim::jaro_winkler(o, &press) >= 0.85)
            });
            if alike {
                continue;
            }
            seen.entry(bucket).or_default().push(press);
            persons.push(Person {
                given_line,
                surname,
            });
        }
        Population { given, persons }
    }

    /// The name under which person `i` is known: the first form of its given name, BGN surname.
    fn known_name(&self, i: usize) -> String {
        let Some(p) = self.persons.get(i) else {
            return String::new();
        };
        let given = self
            .given
            .get(p.given_line)
            .and_then(|f| f.first())
            .copied()
            .unwrap_or("");
        format!("{given} {}", transliterate(&p.surname, System::Bgn))
    }

    /// Person `i` as another outlet writes it: another form of the given name, another system.
    fn variant(&self, i: usize, rng: &mut Rng) -> String {
        let Some(p) = self.persons.get(i) else {
            return String::new();
        };
        let forms = self.given.get(p.given_line).map_or(&[][..], Vec::as_slice);
        let given = forms.get(rng.below(forms.len())).copied().unwrap_or("");
        let system = QUERY_SYSTEMS
            .get(rng.below(QUERY_SYSTEMS.len()))
            .copied()
            .unwrap_or(System::Press);
        let surname = transliterate(&p.surname, system);
        if system == System::Cyrillic {
            format!("{} {surname}", cyrillic_given(given))
        } else {
            format!("{given} {surname}")
        }
    }
}

/// The spelling on which distinctness is judged: the English press one, where я = a and ю = u.
fn transliteration_for_likeness(cyr: &str) -> String {
    transliterate(cyr, System::Press).to_lowercase()
}

/// CPU time this thread has used, in seconds (Linux `/proc/thread-self/stat`, 10 ms ticks; 0 where
/// unavailable): on a shared machine wall-clock figures include other processes' turns.
fn thread_cpu_s() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum::<f64>()
        / 100.0
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
    let persons = 100_000;
    let queries = 2000;
    let start = Instant::now();
    // Known persons first, then the unknown ones: all distinct from each other.
    let population = Population::generate(persons + queries, 0x5eed_cafe);
    println!(
        "population: {} distinct synthetic persons generated in {:.2} s",
        population.persons.len(),
        start.elapsed().as_secs_f64()
    );
    let mut rng = Rng(42);

    let mut names = shared_names();
    let shared = names.len();
    names.extend((0..2000).map(|i| population.variant(i * 31, &mut rng)));

    let rounds = 50;
    let start = Instant::now();
    for _ in 0..rounds {
        for n in &names {
            black_box(key(black_box(n)));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "keys: {:.0} keys/s ({} names: {shared} shared variants and synthetic ones, x {rounds})",
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
                black_box(score_prepared(a, b));
            }
        }
    }
    let per_pair = start.elapsed().as_secs_f64() / ((prepared.len() - 1) * 10) as f64;
    println!("score_prepared: {:.2} us/pair", per_pair * 1e6);

    let start = Instant::now();
    let mut index = PersonIndex::new();
    for i in 0..persons {
        index.add_name(i as u64, &population.known_name(i));
    }
    println!(
        "index: {persons} persons built in {:.2} s",
        start.elapsed().as_secs_f64()
    );

    // Known persons in other spellings.
    let known: Vec<(usize, String)> = (0..queries)
        .map(|q| {
            let i = q * 7919 % persons;
            (i, population.variant(i, &mut rng))
        })
        .collect();
    let (mut same, mut wrong_same, mut candidate_with, mut candidate_without, mut new) =
        (0, 0, 0, 0, 0);
    let start = Instant::now();
    let cpu = thread_cpu_s();
    for (i, q) in &known {
        match index.resolve(q) {
            Resolution::Same(id, _) if id == *i as u64 => same += 1,
            Resolution::Same(id, s) => {
                if wrong_same == 0 {
                    println!(
                        "  first wrong Same: {q} -> {} instead of {} ({:.3}: {})",
                        population.known_name(id as usize),
                        population.known_name(*i),
                        s.value,
                        s.explanation
                    );
                }
                wrong_same += 1
            }
            Resolution::Candidate(c) if c.iter().any(|(id, _)| *id == *i as u64) => {
                candidate_with += 1
            }
            Resolution::Candidate(_) => candidate_without += 1,
            Resolution::New => new += 1,
        }
    }
    let per_known = start.elapsed().as_secs_f64() / known.len() as f64;
    let cpu_known = (thread_cpu_s() - cpu) / known.len() as f64;
    println!(
        "resolve a known person's variant against {persons} persons: {:.1} us/lookup ({:.1} us of CPU)",
        per_known * 1e6,
        cpu_known * 1e6
    );
    println!(
        "  {queries} variants: Same (right person) {same}, Same (WRONG person) {wrong_same}, \
         Candidate with the person {candidate_with}, Candidate without {candidate_without}, New {new}"
    );

    // Persons nobody knows: never Same.
    let unknown: Vec<String> = (persons..persons + queries)
        .map(|i| population.variant(i, &mut rng))
        .collect();
    let (mut u_same, mut u_candidate, mut u_new) = (0, 0, 0);
    let start = Instant::now();
    let cpu = thread_cpu_s();
    for q in &unknown {
        match index.resolve(q) {
            Resolution::Same(..) => u_same += 1,
            Resolution::Candidate(_) => u_candidate += 1,
            Resolution::New => u_new += 1,
        }
    }
    let per_unknown = start.elapsed().as_secs_f64() / unknown.len() as f64;
    let cpu_unknown = (thread_cpu_s() - cpu) / unknown.len() as f64;
    println!(
        "resolve an unknown person: {:.1} us/lookup ({:.1} us of CPU); {queries} unknown persons: Same (WRONG) {u_same}, \
         Candidate {u_candidate}, New {u_new}",
        per_unknown * 1e6,
        cpu_unknown * 1e6
    );

    let start = Instant::now();
    let bare = population
        .persons
        .first()
        .map_or(String::new(), |p| transliterate(&p.surname, System::Press));
    for q in [bare.as_str(), "Server Karametor", "Нариман Джелял"] {
        black_box(index.resolve(q));
    }
    println!(
        "resolve of a bare surname / a typo / an unknown: {:.1} us for the three",
        start.elapsed().as_secs_f64() * 1e6
    );
}
