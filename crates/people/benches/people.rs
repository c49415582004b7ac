//! Measures the people stage on the annotated corpus: person-mention precision, recall and F1, and
//! speed in words per second on one thread.
//!
//! Run: `cargo bench -p casebook-people --bench people` (add `-- --errors` to list missed and spurious
//! mentions, `-- --dir PATH` for another corpus folder).

use casebook_corpus::{load_for_bench, score_mentions, Counts};
use casebook_people::Recognizer;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let show_errors = args.iter().any(|a| a == "--errors");
    let corpus = load_for_bench(&args);
    let recognizer = Recognizer::new();
    let mut total = Counts::default();
    let mut texts = Vec::new();
    for gold in &corpus {
        let article = match casebook_article::extract_text_dump(&gold.name, &gold.raw) {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "{}: no article ({e}); its {} gold mentions count as missed",
                    gold.name,
                    gold.mentions.len()
                );
                total.fn_ += gold.mentions.len();
                continue;
            }
        };
        let text = article.text();
        let people = recognizer.recognize(&text);
        let counts = score_mentions(gold, &article, &people);
        if show_errors && (counts.fp > 0 || counts.fn_ > 0) {
            print_errors(gold, &article, &people);
        }
        total += counts;
        texts.push((article.word_count(), text));
    }
    println!(
        "person mentions on {} articles: P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
        corpus.len(),
        total.precision(),
        total.recall(),
        total.f1(),
        total.tp,
        total.fp,
        total.fn_
    );

    // Speed: repeat the corpus until at least two seconds have passed, on this thread only.
    let words_per_pass: usize = texts.iter().map(|(w, _)| w).sum();
    if words_per_pass == 0 {
        println!("speed: no words to measure");
        return;
    }
    let started = Instant::now();
    let mut words = 0usize;
    let mut mentions = 0usize;
    while started.elapsed() < Duration::from_secs(2) {
        for (w, text) in &texts {
            mentions += std::hint::black_box(recognizer.recognize(text))
                .mentions
                .len();
            words += w;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "speed: {:.0} words/s on one thread ({} words in {:.2} s, {} mentions)",
        words as f64 / secs,
        words,
        secs,
        mentions
    );
}

fn print_errors(
    gold: &casebook_corpus::AnnotatedArticle,
    article: &casebook_model::Article,
    people: &casebook_model::ArticlePeople,
) {
    let alignment = casebook_corpus::Alignment::new(article, &gold.raw);
    let raw_chars: Vec<char> = gold.raw.chars().collect();
    let context = |s: usize, e: usize| -> String {
        let a = s.saturating_sub(30);
        let b = (e + 30).min(raw_chars.len());
        raw_chars[a..b]
            .iter()
            .collect::<String>()
            .replace('\n', " ")
    };
    let predicted: Vec<(usize, usize)> = people
        .mentions
        .iter()
        .filter_map(|m| alignment.to_raw(m.start, m.end, &m.text))
        .collect();
    for g in &gold.mentions {
        if !predicted.contains(&(g.start, g.end)) {
            println!(
                "{}: MISSED   {:?}  …{}…",
                gold.name,
                g.text,
                context(g.start, g.end)
            );
        }
    }
    for &(s, e) in &predicted {
        if !gold.mentions.iter().any(|g| (g.start, g.end) == (s, e)) {
            let surface: String = raw_chars[s..e].iter().collect();
            println!("{}: SPURIOUS {:?}  …{}…", gold.name, surface, context(s, e));
        }
    }
}
