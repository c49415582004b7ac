// Scratch: runs the extractor on one corpus file with oracle people. Removed before the report.
use casebook_corpus::{default_dir, load_dir, oracle_people};
use casebook_events::Extractor;
fn main() {
    let want = std::env::args().nth(1).unwrap_or_default();
    let corpus = load_dir(&default_dir()).unwrap();
    let ex = Extractor::new();
    for gold in corpus.iter().filter(|g| g.name.starts_with(&want)) {
        let mut article = casebook_article::extract_text_dump(&gold.name, &gold.raw).unwrap();
        article.id = gold.name.clone();
        let oracle = oracle_people(gold, &article);
        for (i, p) in article.paragraphs.iter().enumerate() { println!("P{i}: {p}"); }
        let ev = ex.extract(&article, &oracle.people);
        for e in &ev.events {
            let v: Vec<&str> = e.victims.iter().filter_map(|&v| oracle.ids.get(v).map(String::as_str)).collect();
            println!("  {} {:?} {:?} {:?} {:?} | {}", e.event_type, v, e.victim_group.as_ref().map(|g| (g.count, &g.description)), e.date.map(|d| d.to_string()), e.details, e.evidence.text);
        }
    }
}
