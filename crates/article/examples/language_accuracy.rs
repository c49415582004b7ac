//! Language identification accuracy: casebook's detector (whatlang corrected by
//! `data/language_cues.txt`) against whatlang alone, per language, on whole texts, headlines and
//! short sentences, with the speed of each.
//!
//! ```text
//! cargo run -p casebook-article --example language_accuracy -- DIR GOLD_JSON   # a shared news set
//! cargo run -p casebook-article --example language_accuracy -- --corpus corpus  # the project's corpus
//! ```
//!
//! A news set is `DIR/<id>.txt` with the language of each id in `GOLD_JSON` (`docs.<id>.lang`). In
//! the corpus a file's language is the slug's first word when it is a language code
//! (`044-ru-...`, `047-crh-...`), and English otherwise. From every text come three kinds of
//! sample: the whole text; its headline (first line of at least 4 words); its first 5 sentences of
//! 5 to 25 words. A sample counts as right only when the detector names the gold language.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Languages a corpus file's slug may open with; any other slug is English.
const CORPUS_LANGUAGES: [&str; 3] = ["ru", "uk", "crh"];
/// Fewest words a line needs to be taken as the headline.
const HEADLINE_MIN_WORDS: usize = 4;
/// Word range of a sentence sample, and how many are taken from each text.
const SENTENCE_WORDS: std::ops::RangeInclusive<usize> = 5..=25;
const SENTENCES_PER_TEXT: usize = 5;
const KINDS: [&str; 3] = ["article", "headline", "sentence"];
/// How long the speed measurement runs.
const SPEED_RUN: Duration = Duration::from_secs(1);

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let texts = match args.as_slice() {
        [flag, dir] if flag == "--corpus" => corpus_texts(Path::new(dir))?,
        [dir, gold] => news_texts(Path::new(dir), Path::new(gold))?,
        _ => bail!("usage: language_accuracy DIR GOLD_JSON | --corpus DIR"),
    };
    let mut samples: Vec<(&str, String, String)> = Vec::new();
    for (language, text) in &texts {
        samples.push(("article", language.clone(), text.clone()));
        if let Some(headline) = text.lines().find(|l| words(l) >= HEADLINE_MIN_WORDS) {
            samples.push(("headline", language.clone(), headline.trim().to_string()));
        }
        for sentence in sentences(text)
            .filter(|s| SENTENCE_WORDS.contains(&words(s)))
            .take(SENTENCES_PER_TEXT)
        {
            samples.push(("sentence", language.clone(), sentence));
        }
    }
    println!("{} texts, {} samples", texts.len(), samples.len());
    report("casebook (whatlang + cues)", &samples, |t| {
        casebook_article::detect_language(t)
    });
    report("whatlang alone", &samples, whatlang_alone);
    Ok(())
}

/// whatlang's best guess, reliable or not, as an ISO 639-1 code for the languages measured here.
fn whatlang_alone(text: &str) -> Option<String> {
    let code = whatlang::detect(text)?.lang().code();
    Some(
        match code {
            "eng" => "en",
            "rus" => "ru",
            "ukr" => "uk",
            "tur" => "tr",
            other => other,
        }
        .to_string(),
    )
}

/// Prints, per kind of sample and language, how many the detector got right and what it said
/// instead (`none`: no answer), then its speed on whole texts.
fn report(name: &str, samples: &[(&str, String, String)], detect: impl Fn(&str) -> Option<String>) {
    println!("\n{name}");
    for kind in KINDS {
        let mut per_language: BTreeMap<&str, (usize, usize, BTreeMap<String, usize>)> =
            BTreeMap::new();
        for (_, language, text) in samples.iter().filter(|s| s.0 == kind) {
            let guess = detect(text);
            let entry = per_language.entry(language).or_default();
            entry.1 += 1;
            if guess.as_deref() == Some(language.as_str()) {
                entry.0 += 1;
            } else {
                *entry
                    .2
                    .entry(guess.unwrap_or_else(|| "none".into()))
                    .or_default() += 1;
            }
        }
        let cells: Vec<String> = per_language
            .iter()
            .map(|(language, (right, all, wrong))| {
                let wrong: Vec<String> = wrong.iter().map(|(g, n)| format!("{n}×{g}")).collect();
                let wrong = if wrong.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", wrong.join(" "))
                };
                format!("{language} {right}/{all}{wrong}")
            })
            .collect();
        println!("  {kind:9} {}", cells.join("  "));
    }
    // Speed on whole texts, the article stage's input, repeated for a second so the figure is steady.
    let texts: Vec<&str> = samples
        .iter()
        .filter(|s| s.0 == "article")
        .map(|s| s.2.as_str())
        .collect();
    let (mut count, mut word_count) = (0usize, 0usize);
    let start = Instant::now();
    while start.elapsed() < SPEED_RUN && !texts.is_empty() {
        for text in &texts {
            std::hint::black_box(detect(text));
            count += 1;
            word_count += words(text);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "  speed on whole texts: {:.0} texts/s, {:.0} words/s",
        count as f64 / seconds,
        word_count as f64 / seconds
    );
}

/// Counts the words (tokens with a letter) of a text.
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

/// The sentences of a text: each line cut after `.`, `!`, `?` or `…` followed by a space.
fn sentences(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().flat_map(|line| {
        let mut out = Vec::new();
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            if matches!(c, '.' | '!' | '?' | '…') && chars.peek().is_some_and(|n| n.is_whitespace())
            {
                out.push(std::mem::take(&mut current).trim().to_string());
            }
        }
        out.push(current.trim().to_string());
        out
    })
}

/// `(language, text)` of each document of a news set whose text is in `dir`.
fn news_texts(dir: &Path, gold: &Path) -> Result<Vec<(String, String)>> {
    let gold: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(gold).with_context(|| format!("reading {}", gold.display()))?,
    )?;
    let docs = gold["docs"].as_object().context("gold has no docs")?;
    let mut texts = Vec::new();
    for (id, doc) in docs {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{id}.txt"))) else {
            continue;
        };
        let language = doc["lang"].as_str().unwrap_or("en").to_string();
        texts.push((language, text));
    }
    Ok(texts)
}

/// `(language, raw text)` of each corpus article: the markup taken off, the gold cut away.
fn corpus_texts(dir: &Path) -> Result<Vec<(String, String)>> {
    let mark = regex::Regex::new(r"\[\[([^|\]]*)\|[^\]]*\]\]")?;
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut texts = Vec::new();
    for path in paths {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let language = name
            .split('-')
            .nth(1)
            .filter(|w| CORPUS_LANGUAGES.contains(w))
            .unwrap_or("en");
        let content = std::fs::read_to_string(&path)?;
        let raw = content.split("\n==== gold").next().unwrap_or("");
        texts.push((
            language.to_string(),
            mark.replace_all(raw, "$1").into_owned(),
        ));
    }
    Ok(texts)
}
