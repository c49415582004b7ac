//! Scores of the people and event stages on the project's corpus, one line per article language, with the
//! targets each language must keep; shared by the language-targets test and the languages benchmark.
// The test uses the scores only, the benchmark the speed too.
#![allow(dead_code)]

use casebook_corpus::{score_events, score_mentions, AnnotatedArticle, Counts, EventScores};
use casebook_events::Extractor;
use casebook_model::Article;
use casebook_people::Recognizer;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The targets of every language (issue 13): person mentions F1, (type, victim) F1 and with the date.
pub const TARGET_PERSONS: f64 = 0.97;
pub const TARGET_EVENTS: f64 = 0.75;
pub const TARGET_EVENTS_DATE: f64 = 0.65;

/// One language's figures on the corpus.
#[derive(Default)]
pub struct LanguageScore {
    pub articles: usize,
    pub words: usize,
    pub persons: Counts,
    pub events: EventScores,
}

/// The article the pipeline reads from an annotated file, with the language the article stage tells.
pub fn article_of(gold: &AnnotatedArticle) -> Article {
    let mut article = match casebook_article::extract_text_dump(&gold.name, &gold.raw) {
        Ok(a) => a,
        Err(_) => casebook_corpus::naive_article(gold),
    };
    article.id = gold.name.clone();
    if article.language.is_none() {
        article.language = casebook_article::detect_language(&article.text());
    }
    article
}

/// The article's language code; `en` when the article stage could not tell.
pub fn language_of(article: &Article) -> String {
    article.language.clone().unwrap_or_else(|| "en".into())
}

/// Runs people and events over the corpus and scores them per language.
pub fn score(corpus: &[AnnotatedArticle]) -> BTreeMap<String, LanguageScore> {
    let recognizer = Recognizer::new();
    let extractor = Extractor::new();
    let mut out: BTreeMap<String, LanguageScore> = BTreeMap::new();
    for gold in corpus {
        let article = article_of(gold);
        let people = recognizer.recognize(&article.text());
        let events = extractor.extract(&article, &people);
        let entry = out.entry(language_of(&article)).or_default();
        entry.articles += 1;
        entry.words += article.word_count();
        entry.persons += score_mentions(gold, &article, &people);
        entry.events += score_events(gold, &article, &people, &events);
    }
    out
}

/// CPU time this thread has used, in seconds; wall time where the platform has no thread clock.
#[allow(unsafe_code)] // one libc call, its safety argued where it stands
fn thread_seconds(wall: Instant) -> f64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec through the valid pointer it is given.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9;
        }
    }
    wall.elapsed().as_secs_f64()
}

/// Words per second of people and events together on this thread, per language, each measured for at
/// least `min` over its articles repeated: (in this thread's CPU time, in wall time).
pub fn speed(corpus: &[AnnotatedArticle], min: Duration) -> BTreeMap<String, (f64, f64)> {
    let recognizer = Recognizer::new();
    let extractor = Extractor::new();
    let mut by_language: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for gold in corpus {
        let article = article_of(gold);
        by_language
            .entry(language_of(&article))
            .or_default()
            .push(article);
    }
    by_language
        .into_iter()
        .map(|(language, articles)| {
            let texts: Vec<(usize, String)> = articles
                .iter()
                .map(|a| (a.word_count(), a.text()))
                .collect();
            let started = Instant::now();
            let cpu_started = thread_seconds(started);
            let mut words = 0usize;
            while started.elapsed() < min || words == 0 {
                for ((w, text), article) in texts.iter().zip(&articles) {
                    let people = recognizer.recognize(text);
                    std::hint::black_box(extractor.extract(article, &people));
                    words += w;
                }
            }
            let wall = started.elapsed().as_secs_f64();
            let cpu = thread_seconds(started) - cpu_started;
            (language, (words as f64 / cpu, words as f64 / wall))
        })
        .collect()
}
