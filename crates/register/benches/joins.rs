//! How well the register joins what several articles report, on the annotated corpus (`corpus/`):
//! every article is stored into a fresh register (its real identity resolver), then pairs of
//! reports from different articles are checked against the gold.
//!
//! - Events: two reports are the same real event when their gold lines carry the same `key` and
//!   share a victim (the register keeps one event per victim set, so the 17-year and the 13-year
//!   sentences of one hearing stay two events). Reports with no key are distinct from all others.
//! - Cases: two case reports are one case when they share a gold defendant (in this corpus every
//!   person is a defendant in at most one case).
//!
//! Printed for two inputs: the gold people and events (the register's joining alone) and the real
//! people and event stages (end to end, predicted reports mapped to the gold by their persons).
//!
//! `cargo bench -p casebook-register --bench joins` — add `-- --errors` to list the pairs joined
//! wrongly and the pairs not joined.

use casebook_corpus::{
    default_dir, load_dir, match_persons, oracle_events, oracle_people, AnnotatedArticle,
};
use casebook_events::merge::{case_name_key, names_similar};
use casebook_model::{AnalysedArticle, Article, ArticleEvents, ArticlePeople};
use casebook_register::{IndexResolver, Provenance, SqliteStore, Store, StoreOutcome};
use std::collections::{BTreeSet, HashMap};

/// One stored report, with what the gold says of it.
struct Report {
    article: usize,
    /// What to print for it with `--errors`.
    label: String,
    /// The register event or case it went to.
    joined: String,
    /// Gold event key (events) — `None` when the gold gives none or the report matches no gold line.
    key: Option<String>,
    /// Gold person ids of its victims or defendants.
    persons: BTreeSet<String>,
}

#[derive(Default)]
struct Pairs {
    gold: u64,
    joined: u64,
    both: u64,
}

impl Pairs {
    fn add(&mut self, gold: bool, joined: bool) {
        self.gold += u64::from(gold);
        self.joined += u64::from(joined);
        self.both += u64::from(gold && joined);
    }

    fn line(&self, what: &str) -> String {
        let p = ratio(self.both, self.joined);
        let r = ratio(self.both, self.gold);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        format!(
            "{what:<8} same-pairs in gold {:>4}, joined {:>4}, both {:>4}   precision {p:.3}  recall {r:.3}  F1 {f:.3}",
            self.gold, self.joined, self.both
        )
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn pairs(reports: &[Report], same: impl Fn(&Report, &Report) -> bool, errors: bool) -> Pairs {
    let mut p = Pairs::default();
    for (i, a) in reports.iter().enumerate() {
        for b in &reports[i + 1..] {
            if a.article != b.article {
                let (gold, joined) = (same(a, b), a.joined == b.joined);
                if errors && gold != joined {
                    let what = if gold { "NOT JOINED" } else { "WRONG JOIN" };
                    println!("    {what}: {} | {}", a.label, b.label);
                }
                p.add(gold, joined);
            }
        }
    }
    p
}

/// The gold defendants of a case report: the article's gold case named alike, else the report's
/// own defendants mapped to the gold (the end-to-end events stage may name fewer defendants).
fn case_persons(gold: &AnnotatedArticle, name: &str, mapped: BTreeSet<String>) -> BTreeSet<String> {
    gold.cases
        .iter()
        .find(|g| case_name_key(&g.name) == case_name_key(name) || names_similar(&g.name, name))
        .map(|g| g.defendants.iter().cloned().collect())
        .unwrap_or(mapped)
}

fn article_of(gold: &AnnotatedArticle) -> Article {
    match casebook_article::extract_text_dump(&gold.name, &gold.raw) {
        Ok(a) => a,
        Err(_) => casebook_corpus::naive_article(gold),
    }
}

/// An article's people and events, and the gold id of each of its persons.
type Analyse<'a> =
    dyn Fn(&AnnotatedArticle, &Article) -> (ArticlePeople, ArticleEvents, Vec<Option<String>>) + 'a;

/// Stores every article's analysis and returns the event and case reports with their gold.
fn run(
    corpus: &[AnnotatedArticle],
    analyse: &Analyse<'_>,
) -> Result<(Vec<Report>, Vec<Report>), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut store = SqliteStore::open(dir.path())?;
    let resolver = IndexResolver::new();
    let provenance = Provenance {
        extractor_version: "bench".into(),
        actor: "bench".into(),
    };
    let mut events = Vec::new();
    let mut case_gold: HashMap<(String, String), (usize, BTreeSet<String>, String)> =
        HashMap::new();
    for (n, gold) in corpus.iter().enumerate() {
        let original = casebook_ingest::original(gold.name.clone(), gold.raw.clone().into_bytes());
        let mut article = article_of(gold);
        article.id = original.sha256.clone();
        let (people, found, ids) = analyse(gold, &article);
        let gold_ids = |list: &[usize]| -> BTreeSet<String> {
            list.iter()
                .filter_map(|&i| ids.get(i).cloned().flatten())
                .collect()
        };
        let reports: Vec<(Option<String>, BTreeSet<String>, String)> = found
            .events
            .iter()
            .map(|e| {
                let victims = gold_ids(&e.victims);
                // The gold line of this article with the same type and a shared victim.
                let key = gold
                    .events
                    .iter()
                    .find(|g| {
                        g.event_type == e.event_type
                            && g.victims.iter().any(|v| victims.contains(v))
                    })
                    .and_then(|g| g.key.clone());
                let label = format!(
                    "{} {} {:?} {} key {}",
                    gold.name,
                    e.event_type,
                    victims,
                    e.date.map_or("-".to_string(), |d| d.to_string()),
                    key.as_deref().unwrap_or("-")
                );
                (key, victims, label)
            })
            .collect();
        for c in &found.cases {
            let persons = case_persons(gold, &c.name, gold_ids(&c.defendants));
            let label = format!("{} \"{}\" {:?}", gold.name, c.name, persons);
            case_gold.insert((article.id.clone(), c.name.clone()), (n, persons, label));
        }
        let analysed = AnalysedArticle {
            article,
            people,
            events: found,
        };
        let written = match store.store_article(&original, &analysed, &provenance, &resolver)? {
            StoreOutcome::Stored(w) | StoreOutcome::Reanalysed(w) => w,
            StoreOutcome::AlreadyStored => continue,
        };
        for ((key, persons, label), joined) in reports.into_iter().zip(written.events) {
            events.push(Report {
                article: n,
                label,
                joined,
                key,
                persons,
            });
        }
    }
    let mut cases = Vec::new();
    store.visit_cases(&mut |c| {
        for r in &c.reports {
            if let Some((n, persons, label)) = case_gold.get(&(r.article.clone(), r.name.clone())) {
                cases.push(Report {
                    article: *n,
                    label: label.clone(),
                    joined: c.id.clone(),
                    key: None,
                    persons: persons.clone(),
                });
            }
        }
        Ok(())
    })?;
    Ok((events, cases))
}

fn report(label: &str, events: &[Report], cases: &[Report], errors: bool) {
    let same_event = |a: &Report, b: &Report| {
        a.key.is_some() && a.key == b.key && !a.persons.is_disjoint(&b.persons)
    };
    let same_case = |a: &Report, b: &Report| !a.persons.is_disjoint(&b.persons);
    println!("{label}");
    println!("  {}", pairs(events, same_event, errors).line("events"));
    println!("  {}", pairs(cases, same_case, errors).line("cases"));
    let distinct_events: BTreeSet<&str> = events.iter().map(|r| r.joined.as_str()).collect();
    let distinct_cases: BTreeSet<&str> = cases.iter().map(|r| r.joined.as_str()).collect();
    println!(
        "  {} event reports → {} register events; {} case reports → {} register cases",
        events.len(),
        distinct_events.len(),
        cases.len(),
        distinct_cases.len()
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let errors = std::env::args().any(|a| a == "--errors");
    let corpus = load_dir(&default_dir())?;
    println!("{} annotated articles", corpus.len());
    let (events, cases) = run(&corpus, &|gold, article| {
        let oracle = oracle_people(gold, article);
        let found = oracle_events(gold, article, &oracle);
        (
            oracle.people,
            found,
            oracle.ids.into_iter().map(Some).collect(),
        )
    })?;
    report(
        "gold people and events (the register's joining alone):",
        &events,
        &cases,
        errors,
    );
    let recognizer = casebook_people::Recognizer::new();
    let extractor = casebook_events::Extractor::new();
    let (events, cases) = run(&corpus, &|gold, article| {
        let people = recognizer.recognize(&article.text());
        let found = extractor.extract(article, &people);
        let ids = match_persons(gold, article, &people);
        (people, found, ids)
    })?;
    report(
        "real people and event stages (end to end):",
        &events,
        &cases,
        errors,
    );
    Ok(())
}
