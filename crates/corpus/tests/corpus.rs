//! Checks the whole annotated corpus against FORMAT.md and prints a summary of what it holds.
//! Run with `cargo test -p casebook-corpus --test corpus -- --nocapture` to see the summary.

use casebook_corpus::{
    default_dir, event_types, load_dir, naive_article, oracle_events, oracle_people, score_events,
    score_mentions, AnnotatedArticle, Counts, EventScores,
};
use std::collections::{BTreeMap, BTreeSet};

/// One row of `corpus/people.tsv`.
struct Listed {
    /// Lower-cased words of every listed spelling.
    words: BTreeSet<String>,
}

fn read_people() -> BTreeMap<String, Listed> {
    let path = default_dir().join("people.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut people = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            3,
            "people.tsv:{}: expected id, role, spellings",
            i + 1
        );
        let words = cols[2]
            .split(';')
            .flat_map(|s| s.split_whitespace())
            .map(str::to_lowercase)
            .collect();
        let previous = people.insert(cols[0].to_string(), Listed { words });
        assert!(previous.is_none(), "people.tsv:{}: id listed twice", i + 1);
    }
    people
}

/// True when `word` of a marked surface is a listed word of the person, or an initial (`N.`) of one.
fn word_fits(word: &str, listed: &Listed) -> bool {
    let lower = word.to_lowercase();
    if listed.words.contains(&lower) {
        return true;
    }
    let mut chars = lower.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(initial), Some('.'), None) => listed.words.iter().any(|w| w.starts_with(initial)),
        _ => false,
    }
}

fn corpus() -> Vec<AnnotatedArticle> {
    load_dir(&default_dir()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_mark_names_a_listed_person_by_one_of_their_spellings() {
    let people = read_people();
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    for a in corpus() {
        for m in &a.mentions {
            used.insert(m.person_id.clone());
            match people.get(&m.person_id) {
                None => problems.push(format!(
                    "{}: id `{}` is not in people.tsv",
                    a.name, m.person_id
                )),
                Some(listed) => {
                    for word in m.text.split_whitespace() {
                        if !word_fits(word, listed) {
                            problems.push(format!(
                                "{}: `{}` (in `{}`) is no listed spelling of `{}`",
                                a.name, word, m.text, m.person_id
                            ));
                        }
                    }
                }
            }
        }
    }
    for id in people.keys().filter(|id| !used.contains(*id)) {
        problems.push(format!("people.tsv: `{id}` is never marked"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_corpus_is_big_and_varied_enough() {
    let articles = corpus();
    assert!(articles.len() >= 36, "only {} articles", articles.len());
    let mut problems = Vec::new();
    for a in &articles {
        let words = a.word_count();
        if !(200..=700).contains(&words) {
            problems.push(format!("{}: {words} words", a.name));
        }
        if a.mentions.is_empty() {
            problems.push(format!("{}: no person marked", a.name));
        }
    }
    let mut by_type: BTreeMap<&str, usize> = event_types().map(|t| (t, 0)).collect();
    for e in articles
        .iter()
        .flat_map(|a| &a.events)
        .filter(|e| e.claimed_by.is_none())
    {
        *by_type.entry(e.event_type.as_str()).or_default() += 1;
    }
    for (t, n) in &by_type {
        if *n < 2 {
            problems.push(format!("event type {t} occurs {n} times"));
        }
    }
    // The same real-world event reported by three or more articles, at least three times over.
    let mut articles_by_key: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in &articles {
        for key in a.events.iter().filter_map(|e| e.key.as_deref()) {
            articles_by_key
                .entry(key)
                .or_default()
                .insert(a.name.as_str());
        }
    }
    let shared = articles_by_key
        .values()
        .filter(|names| names.len() >= 3)
        .count();
    if shared < 3 {
        problems.push(format!(
            "only {shared} event keys are reported by three articles"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let persons: BTreeSet<&str> = articles.iter().flat_map(|a| a.person_ids()).collect();
    let events: usize = articles.iter().map(|a| a.events.len()).sum();
    println!("articles: {}", articles.len());
    println!(
        "words: {}",
        articles.iter().map(|a| a.word_count()).sum::<usize>()
    );
    println!(
        "mentions: {}",
        articles.iter().map(|a| a.mentions.len()).sum::<usize>()
    );
    println!("persons: {}", persons.len());
    println!("events: {events}");
    println!(
        "cases: {}",
        articles.iter().map(|a| a.cases.len()).sum::<usize>()
    );
    println!("keys shared by 3+ articles: {shared}");
    for (t, n) in by_type {
        println!("  {t:<24} {n}");
    }
}

/// Orders dates so that a less precise date sorts before the days within it.
fn sort_key(d: &casebook_model::FuzzyDate) -> (i32, u32, u32) {
    (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0))
}

#[test]
fn every_article_is_dated_and_no_event_is_after_it() {
    let mut problems = Vec::new();
    for a in corpus() {
        let Some(dateline) = a.dateline() else {
            problems.push(format!("{}: no dateline on the first line", a.name));
            continue;
        };
        for e in &a.events {
            if let Some(date) = &e.date {
                if sort_key(date) > sort_key(&dateline) {
                    problems.push(format!(
                        "{}:{}: event dated {date}, after the dateline {dateline}",
                        a.name, e.line
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn gold_annotations_score_perfectly_against_themselves() {
    let mut mentions = Counts::default();
    let mut events = EventScores::default();
    for a in corpus() {
        let article = naive_article(&a);
        let oracle = oracle_people(&a, &article);
        // Every body paragraph stands verbatim in the raw text, so every gold mention must come back.
        assert_eq!(oracle.people.mentions.len(), a.mentions.len(), "{}", a.name);
        mentions += score_mentions(&a, &article, &oracle.people);
        events += score_events(
            &a,
            &article,
            &oracle.people,
            &oracle_events(&a, &article, &oracle),
        );
    }
    assert_eq!((mentions.fp, mentions.fn_), (0, 0), "mentions {mentions}");
    assert_eq!(
        (events.with_date.fp, events.with_date.fn_),
        (0, 0),
        "events {}",
        events.with_date
    );
    assert!(mentions.tp > 300 && events.type_victim.tp > 150);
}
