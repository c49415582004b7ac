//! Search latency on a synthetic register.
//!
//! Builds an index of `CASEBOOK_BENCH_ARTICLES` (default 100,000) synthetic articles of ~500 words,
//! with their people and one event each, in a temporary directory, then runs name queries (a
//! person's name in a different script or spelling than the one the person is indexed under) and
//! full-text queries, and prints median and 99th-percentile latency of each, plus the recall of the
//! cross-script name queries.
//!
//! Run: `cargo bench -p casebook-search --bench search`
//!
//! The invented names are built from syllables that carry their Cyrillic, English-press (BGN),
//! Ukrainian-national and Crimean Tatar Latin spellings side by side, so every person has four
//! spellings that a reader would recognise as one name.

use casebook_search::{ArticleDoc, EventDoc, IndexDoc, Kind, Mode, PersonDoc, Query, SearchIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

/// A syllable as written in: Cyrillic, BGN/PCGN (English press), Ukrainian national 2010,
/// Crimean Tatar Latin.
type Syllable = [&'static str; 4];

const SYLLABLES: &[Syllable] = &[
    ["ба", "ba", "ba", "ba"],
    ["бе", "be", "be", "be"],
    ["ги", "gi", "hy", "gi"],
    ["да", "da", "da", "da"],
    ["дже", "dzhe", "dzhe", "ce"],
    ["джа", "dzha", "dzha", "ca"],
    ["зи", "zi", "zy", "zi"],
    ["ка", "ka", "ka", "qa"],
    ["ке", "ke", "ke", "ke"],
    ["ли", "li", "ly", "li"],
    ["ля", "lya", "lia", "lâ"],
    ["ме", "me", "me", "me"],
    ["му", "mu", "mu", "mu"],
    ["на", "na", "na", "na"],
    ["ри", "ri", "ry", "ri"],
    ["ру", "ru", "ru", "ru"],
    ["се", "se", "se", "se"],
    ["су", "su", "su", "su"],
    ["та", "ta", "ta", "ta"],
    ["те", "te", "te", "te"],
    ["фе", "fe", "fe", "fe"],
    ["ха", "kha", "kha", "ha"],
    ["хе", "khe", "khe", "he"],
    ["чу", "chu", "chu", "çu"],
    ["ша", "sha", "sha", "şa"],
    ["шу", "shu", "shu", "şu"],
    ["ту", "tu", "tu", "tu"],
    ["ни", "ni", "ny", "ni"],
    ["жа", "zha", "zha", "ja"],
    ["ре", "re", "re", "re"],
];

/// Surname endings (Slavicised passport forms and the bare Crimean Tatar form).
const SUFFIXES: &[Syllable] = &[
    ["ов", "ov", "ov", "ov"],
    ["ев", "ev", "iev", "ev"],
    ["ин", "in", "yn", "in"],
    ["лы", "ly", "ly", "lı"],
    ["", "", "", ""],
];

const SPELLINGS: usize = 4;
const BGN: usize = 1;
const EVENT_TYPES: &[&str] = &[
    "detention",
    "search",
    "arrest",
    "sentence",
    "fine",
    "interrogation",
    "disappearance",
    "transfer",
];
const PLACES: &[&str] = &[
    "Simferopol",
    "Bakhchysarai",
    "Dzhankoi",
    "Sudak",
    "Yalta",
    "Kerch",
    "Alushta",
    "Saky",
    "Bilohirsk",
    "Stary Krym",
    "Yevpatoriia",
    "Feodosiia",
    "Armiansk",
    "Krasnohvardiiske",
    "Nyzhnohirskyi",
    "Rostov-on-Don",
    "Moscow",
    "Kyiv",
    "Sevastopol",
    "Chornomorske",
];
const OUTLETS: &[&str] = &[
    "Crimean Solidarity",
    "Krym.Realii",
    "QHA",
    "Ukrinform",
    "Crimean Human Rights Group",
    "ZMINA",
    "Kharkiv Human Rights Protection Group",
    "Graty",
];
const VOCABULARY: usize = 20_000;
const WORDS_PER_ARTICLE: usize = 500;
const ARTICLES_PER_PERSON: usize = 5;
const QUERIES: usize = 1_000;

struct Person {
    given: Vec<usize>,
    surname: Vec<usize>,
    suffix: usize,
}

impl Person {
    fn spell(&self, system: usize) -> String {
        let word = |syllables: &[usize], suffix: Option<usize>| {
            let mut w: String = syllables.iter().map(|&s| SYLLABLES[s][system]).collect();
            if let Some(x) = suffix {
                w.push_str(SUFFIXES[x][system]);
            }
            capitalise(&w)
        };
        format!(
            "{} {}",
            word(&self.given, None),
            word(&self.surname, Some(self.suffix))
        )
    }
}

fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn random_person(rng: &mut ChaCha8Rng) -> Person {
    let syllables = |rng: &mut ChaCha8Rng, n: usize| -> Vec<usize> {
        (0..n)
            .map(|_| rng.random_range(0..SYLLABLES.len()))
            .collect()
    };
    let given_len = rng.random_range(2..=3);
    let surname_len = rng.random_range(2..=3);
    Person {
        given: syllables(rng, given_len),
        surname: syllables(rng, surname_len),
        suffix: rng.random_range(0..SUFFIXES.len()),
    }
}

/// Pseudo-words for the running text, most frequent first.
fn vocabulary(rng: &mut ChaCha8Rng) -> Vec<String> {
    const PARTS: &[&str] = &[
        "ta", "re", "mon", "pla", "ves", "tor", "in", "de", "sal", "cu", "bri", "nor", "ex", "pol",
        "gam", "hu", "lis", "ter", "for", "mar", "cen", "dro", "al", "ob", "quin", "sem", "vi",
    ];
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::with_capacity(VOCABULARY);
    while words.len() < VOCABULARY {
        let n = rng.random_range(1..=4);
        let w: String = (0..n)
            .map(|_| PARTS[rng.random_range(0..PARTS.len())])
            .collect();
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// Zipf (s = 1) sampling over vocabulary ranks, as natural text roughly follows.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (1..=n)
            .map(|r| {
                acc += 1.0 / r as f64;
                acc
            })
            .collect();
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        let u: f64 = rng.random();
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

/// Streams the synthetic register: all people first, then each article followed by its event.
struct Register<'a> {
    rng: ChaCha8Rng,
    people: &'a [Person],
    words: &'a [String],
    zipf: Zipf,
    articles: usize,
    next: usize,
    pending_event: Option<EventDoc>,
}

impl Iterator for Register<'_> {
    type Item = Result<IndexDoc, std::convert::Infallible>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(event) = self.pending_event.take() {
            return Some(Ok(IndexDoc::Event(event)));
        }
        if self.next < self.people.len() {
            let i = self.next;
            self.next += 1;
            let p = &self.people[i];
            return Some(Ok(IndexDoc::Person(PersonDoc {
                id: format!("p{i}"),
                names: vec![p.spell(BGN)],
                status: Some(["serving_sentence", "released", "pre_trial_detention"][i % 3].into()),
                places: vec![PLACES[i % PLACES.len()].into()],
                ..PersonDoc::default()
            })));
        }
        let a = self.next - self.people.len();
        if a >= self.articles {
            return None;
        }
        self.next += 1;
        let rng = &mut self.rng;
        let mentioned: Vec<usize> = (0..rng.random_range(1..=3))
            .map(|_| rng.random_range(0..self.people.len()))
            .collect();
        let system = rng.random_range(0..SPELLINGS);
        let names: Vec<String> = mentioned
            .iter()
            .map(|&p| self.people[p].spell(system))
            .collect();
        let mut words: Vec<String> = (0..WORDS_PER_ARTICLE)
            .map(|_| self.words[self.zipf.sample(rng)].clone())
            .collect();
        let mut name_at = 0;
        for name in &names {
            name_at = rng.random_range(0..WORDS_PER_ARTICLE);
            words[name_at] = name.clone();
        }
        let year = rng.random_range(2014..=2025);
        let outlet = OUTLETS[rng.random_range(0..OUTLETS.len())];
        let start = name_at.saturating_sub(10);
        let end = (name_at + 10).min(WORDS_PER_ARTICLE);
        let evidence = words[start..end].join(" ");
        let text = words
            .chunks(100)
            .map(|c| c.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n");
        let id = format!("a{a}");
        self.pending_event = Some(EventDoc {
            id: format!("e{a}"),
            event_type: EVENT_TYPES[rng.random_range(0..EVENT_TYPES.len())].into(),
            date: Some(year.to_string()),
            year: Some(year),
            place: Some(PLACES[rng.random_range(0..PLACES.len())].into()),
            victims: names.last().cloned().into_iter().collect(),
            evidence,
            article: id.clone(),
            outlet: Some(outlet.into()),
        });
        Some(Ok(IndexDoc::Article(ArticleDoc {
            id,
            title: Some(words[..8].join(" ")),
            text,
            site: Some(outlet.into()),
            year: Some(year),
            url: Some(format!("https://example.org/{a}")),
            people: names,
        })))
    }
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!(
        "{label:<28} n={:<5} median {:>7.2} ms   p99 {:>7.2} ms   mean {:>7.2} ms   max {:>7.2} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let articles: usize = std::env::var("CASEBOOK_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = ChaCha8Rng::seed_from_u64(20_260_422);
    let people: Vec<Person> = (0..(articles / ARTICLES_PER_PERSON).max(1))
        .map(|_| random_person(&mut rng))
        .collect();
    let words = vocabulary(&mut rng);
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open_or_create(dir.path().join("index"))?;

    let started = Instant::now();
    let register = Register {
        rng: ChaCha8Rng::seed_from_u64(7),
        people: &people,
        words: &words,
        zipf: Zipf::new(VOCABULARY),
        articles,
        next: 0,
        pending_event: None,
    };
    let count = index.rebuild(register)?;
    let build = started.elapsed();
    println!(
        "index: {articles} articles, {} people, {articles} events ({count} records) built in {:.1} s; \
         {:.0} MB on disk",
        people.len(),
        build.as_secs_f64(),
        dir_size(&dir.path().join("index")) as f64 / 1e6
    );

    // Name queries: full name or surname only, in a spelling other than the indexed (BGN) one.
    let mut qrng = ChaCha8Rng::seed_from_u64(99);
    let mut name_times = Vec::with_capacity(QUERIES);
    let mut found = 0;
    let mut found_person_kind = 0;
    for _ in 0..QUERIES {
        let p = qrng.random_range(0..people.len());
        let system = [0, 2, 3][qrng.random_range(0..3)];
        let full = people[p].spell(system);
        let text = if qrng.random_bool(0.5) {
            full.clone()
        } else {
            full.split_whitespace().last().unwrap_or(&full).to_string()
        };
        let query = Query::new(text.clone()).mode(Mode::Names);
        let t = Instant::now();
        let results = index.search(&query)?;
        name_times.push(t.elapsed());
        let id = format!("p{p}");
        if results
            .hits
            .iter()
            .any(|h| h.kind == Kind::Person && h.id == id)
        {
            found += 1;
        }
        let persons = index.search(&Query::new(text).mode(Mode::Names).kinds(&[Kind::Person]))?;
        if persons.hits.iter().any(|h| h.id == id) {
            found_person_kind += 1;
        }
    }

    // Full-text queries: one or two words across the frequency range.
    let mut text_times = Vec::with_capacity(QUERIES);
    let mut total_hits = 0usize;
    for _ in 0..QUERIES {
        let n = qrng.random_range(1..=2);
        let text: Vec<&str> = (0..n)
            .map(|_| words[qrng.random_range(0..5_000)].as_str())
            .collect();
        let query = Query::new(text.join(" "));
        let t = Instant::now();
        let results = index.search(&query)?;
        text_times.push(t.elapsed());
        total_hits += results.total;
    }

    println!("queries return 10 hits with snippets and the facet counts of all matches");
    report("name query (cross-script)", name_times);
    report("full-text query", text_times);
    println!(
        "cross-script name recall: person in top 10 of all kinds {:.3}; of people only {:.3} \
         ({QUERIES} queries, half surname only)",
        found as f64 / QUERIES as f64,
        found_person_kind as f64 / QUERIES as f64
    );
    println!(
        "full-text queries matched {:.0} records on average",
        total_hits as f64 / QUERIES as f64
    );
    Ok(())
}
