//! Event-stage benchmark on the annotated corpus (`corpus/*.txt`):
//! (type, victim) and (type, victim, date) precision/recall/F1 with the oracle people (this stage alone)
//! and with the real people stage, the naive baseline's figures, and words/s of people + events.
//!
//! `cargo bench -p casebook-events --bench events` — add `-- --errors` to list misses and spurious
//! events (oracle people).

use casebook_corpus::{
    load_for_bench, match_persons, oracle_people, score_events, AnnotatedArticle, EventScores,
};
use casebook_events::data::TAXONOMY;
use casebook_events::{dates, Extractor};
use casebook_model::{
    Article, ArticleEvents, ArticlePeople, CharIndex, Event, Evidence, FuzzyDate,
};
use casebook_people::Recognizer;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

fn article_of(gold: &AnnotatedArticle) -> Article {
    let mut article = match casebook_article::extract_text_dump(&gold.name, &gold.raw) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "{}: article extraction failed ({e}); using the raw blocks",
                gold.name
            );
            casebook_corpus::naive_article(gold)
        }
    };
    article.id = gold.name.clone();
    // As `casebook_article::extract` does: the language chooses the words the event stage reads.
    if article.language.is_none() {
        article.language = casebook_article::detect_language(&article.text());
    }
    article
}

/// The naive method: every person named in a sentence that contains a trigger word is a victim of that
/// type, dated by the sentence's first date.
fn naive(article: &Article, people: &ArticlePeople) -> ArticleEvents {
    let text = article.text();
    let index = CharIndex::new(&text);
    let anchor = dates::Anchor {
        published: article
            .published
            .as_ref()
            .and_then(|p| dates::parse_published(&p.value)),
        last_mentioned: None,
        horizon: None,
        written: None,
    };
    let mut events = Vec::new();
    let mut start = 0;
    let chars: Vec<char> = text.chars().collect();
    let mut bounds = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?' | '\n') {
            bounds.push((start, i + 1));
            start = i + 1;
        }
    }
    bounds.push((start, chars.len()));
    for (s, e) in bounds {
        let sentence = index.slice(&text, s, e);
        let lower = sentence.to_lowercase();
        let persons: BTreeSet<usize> = people
            .mentions
            .iter()
            .filter(|m| m.start >= s && m.end <= e)
            .map(|m| m.person)
            .collect();
        if persons.is_empty() {
            continue;
        }
        let date = dates::find(sentence, s, &anchor).first().map(|d| d.date);
        for t in &TAXONOMY.types {
            if t.triggers.iter().any(|w| lower.contains(w.as_str())) {
                events.push(Event {
                    event_type: t.id.clone(),
                    victims: persons.iter().copied().collect(),
                    victim_group: None,
                    perpetrators: vec![],
                    date,
                    place: None,
                    details: BTreeMap::new(),
                    victim_details: Default::default(),
                    claimed_by: None,
                    evidence: Evidence {
                        article: article.id.clone(),
                        text: sentence.into(),
                        start: s,
                        end: e,
                    },
                });
            }
        }
    }
    ArticleEvents {
        events,
        cases: vec![],
    }
}

fn line(label: &str, s: &EventScores) {
    println!("{label:<28} type+victim  {}", s.type_victim);
    println!("{:<28} +date        {}", "", s.with_date);
}

type Item = (String, String, Option<FuzzyDate>);

fn items(
    gold: &AnnotatedArticle,
    article: &Article,
    people: &ArticlePeople,
    events: &ArticleEvents,
) -> (BTreeSet<Item>, BTreeSet<Item>) {
    let ids = match_persons(gold, article, people);
    let mut g = BTreeSet::new();
    for e in gold.events.iter().filter(|e| e.claimed_by.is_none()) {
        if e.victims.is_empty() {
            g.insert((e.event_type.clone(), "group".to_string(), e.date));
        }
        for v in &e.victims {
            g.insert((e.event_type.clone(), v.clone(), e.date));
        }
    }
    let mut p = BTreeSet::new();
    for e in events.events.iter().filter(|e| e.claimed_by.is_none()) {
        if e.victims.is_empty() {
            p.insert((e.event_type.clone(), "group".to_string(), e.date));
        }
        for &v in &e.victims {
            let id = ids.get(v).cloned().flatten().unwrap_or_else(|| {
                format!("?{}", people.persons.get(v).map_or("", |p| p.name.as_str()))
            });
            p.insert((e.event_type.clone(), id, e.date));
        }
    }
    (g, p)
}

fn show(item: &Item) -> String {
    format!(
        "{} {} {}",
        item.0,
        item.1,
        item.2.map_or("-".to_string(), |d| d.to_string())
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let errors = args.iter().any(|a| a == "--errors");
    let corpus = load_for_bench(&args);
    let extractor = Extractor::new();
    let recognizer = Recognizer::new();
    let articles: Vec<Article> = corpus.iter().map(article_of).collect();
    let mut oracle_scores = EventScores::default();
    let mut real_scores = EventScores::default();
    let mut naive_scores = EventScores::default();
    let mut naive_real_scores = EventScores::default();
    for (gold, article) in corpus.iter().zip(&articles) {
        let oracle = oracle_people(gold, article);
        let events = extractor.extract(article, &oracle.people);
        oracle_scores += score_events(gold, article, &oracle.people, &events);
        naive_scores += score_events(
            gold,
            article,
            &oracle.people,
            &naive(article, &oracle.people),
        );
        let people = recognizer.recognize(&article.text());
        let real = extractor.extract(article, &people);
        real_scores += score_events(gold, article, &people, &real);
        naive_real_scores += score_events(gold, article, &people, &naive(article, &people));
        if errors {
            let (g, p) = items(gold, article, &oracle.people, &events);
            let gtv: BTreeSet<(String, String)> =
                g.iter().map(|i| (i.0.clone(), i.1.clone())).collect();
            let ptv: BTreeSet<(String, String)> =
                p.iter().map(|i| (i.0.clone(), i.1.clone())).collect();
            let mut lines = Vec::new();
            for i in g.difference(&p) {
                let kind = if ptv.contains(&(i.0.clone(), i.1.clone())) {
                    "DATE"
                } else {
                    "MISS"
                };
                lines.push(format!("  {kind} gold {}", show(i)));
            }
            for i in p.difference(&g) {
                if !gtv.contains(&(i.0.clone(), i.1.clone())) {
                    lines.push(format!("  SPUR pred {}", show(i)));
                } else {
                    lines.push(format!("  DATE pred {}", show(i)));
                }
            }
            if !lines.is_empty() {
                println!(
                    "{} (published {:?})",
                    gold.name,
                    article.published.as_ref().map(|p| p.value.as_str())
                );
                for l in lines {
                    println!("{l}");
                }
                for e in &events.events {
                    let victims: Vec<&str> = e
                        .victims
                        .iter()
                        .filter_map(|&v| oracle.ids.get(v).map(String::as_str))
                        .collect();
                    println!(
                        "    {} {:?} {:?} {} | {}",
                        e.event_type,
                        victims,
                        e.date.map(|d| d.to_string()),
                        e.claimed_by.as_deref().unwrap_or(""),
                        e.evidence.text
                    );
                }
            }
        }
    }
    println!(
        "corpus: {} articles, {} words",
        corpus.len(),
        articles.iter().map(Article::word_count).sum::<usize>()
    );
    line("events, oracle people", &oracle_scores);
    line("events, real people", &real_scores);
    line("naive, oracle people", &naive_scores);
    line("naive, real people", &naive_real_scores);
    println!("by type (oracle people):");
    for (t, c) in &oracle_scores.by_type {
        println!("  {t:<26} {c:.2}");
    }

    // Speed: people + events over the whole corpus, repeated for at least two seconds.
    let words: usize = articles.iter().map(Article::word_count).sum();
    let texts: Vec<String> = articles.iter().map(Article::text).collect();
    let started = Instant::now();
    let mut rounds = 0usize;
    let mut found = 0usize;
    while started.elapsed().as_secs_f64() < 2.0 || rounds == 0 {
        for (article, text) in articles.iter().zip(&texts) {
            let people = recognizer.recognize(text);
            found += extractor.extract(article, &people).events.len();
        }
        rounds += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "speed, people + events: {:.0} words/s ({} rounds of {} words in {:.2} s; {} events per round)",
        (words * rounds) as f64 / secs,
        rounds,
        words,
        secs,
        found / rounds.max(1)
    );
    let started = Instant::now();
    let people: Vec<ArticlePeople> = texts.iter().map(|t| recognizer.recognize(t)).collect();
    let mut rounds = 0usize;
    while started.elapsed().as_secs_f64() < 1.0 || rounds == 0 {
        for (article, p) in articles.iter().zip(&people) {
            std::hint::black_box(extractor.extract(article, p));
        }
        rounds += 1;
    }
    println!(
        "speed, events alone: {:.0} words/s",
        (words * rounds) as f64 / started.elapsed().as_secs_f64()
    );
}
