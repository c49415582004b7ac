//! Benchmark of other groups' lists: `cargo run --release -p casebook-register --features synthetic --example bench_lists`.
//!
//! Builds a register of `--persons N` (default 20,000) invented persons (names from the synthetic
//! corpus's tables, `casebook_register::synthetic`), each with a dated detention and, for half of
//! them, a sentence, stored as hand-made analysed articles of ten persons each (the text stages are
//! not what is measured). Then writes a list of `--rows M` (default 1,000) rows with known answers:
//! persons of the register written as other lists write them (Latin as stored, surname first,
//! Cyrillic, Cyrillic in the genitive case, other Latin spellings), with a birth date on half of the
//! rows and none on the rest, and `--absent P` percent (default 15) persons who are not in the
//! register. Prints the time of reading, reconciling and storing the list, and the precision and
//! recall of the matches against the known answers. `--data DIR` keeps the register; `--show` prints
//! the rows matched wrongly or missed.

use casebook_lists::{read_list, Limits};
use casebook_model::*;
use casebook_register::synthetic::Generator;
use casebook_register::{KeyResolver, Original, Provenance, SqliteStore, Store};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The Latin → Cyrillic table of `data/bench_cyrillic.tsv`, longest source first.
fn cyrillic_table() -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = include_str!("../data/bench_cyrillic.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    t.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    t
}

fn to_cyrillic(table: &[(String, String)], name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let lower = word.to_lowercase();
            let mut out = String::new();
            let mut rest = lower.as_str();
            while !rest.is_empty() {
                match table.iter().find(|(l, _)| rest.starts_with(l.as_str())) {
                    Some((l, c)) => {
                        out.push_str(c);
                        rest = &rest[l.len()..];
                    }
                    None => {
                        let ch = rest.chars().next().unwrap_or(' ');
                        out.push(ch);
                        rest = &rest[ch.len_utf8()..];
                    }
                }
            }
            let mut chars = out.chars();
            match chars.next() {
                Some(f) => f.to_uppercase().chain(chars).collect(),
                None => out,
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The genitive of a masculine name whose words end in a consonant ("Рустем Абкуров" → "Рустема
/// Абкурова"); `None` for names that do not decline that way.
fn genitive(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let declines = |w: &&str| {
        w.chars()
            .last()
            .is_some_and(|c| "бвгджзклмнпрстфхцчшщ".contains(c))
    };
    words.iter().all(declines).then(|| {
        words
            .iter()
            .map(|w| format!("{w}а"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Another Latin spelling, as other transliteration systems write the same name.
fn respell(name: &str) -> String {
    name.replace("Dzh", "Dj")
        .replace("Kh", "H")
        .replace("kh", "h")
        .replace("ayev", "aev")
        .replace("iyev", "iev")
        .replace("Sei", "Sey")
        .replace("Ya", "Ja")
        .replace("ski", "sky")
        .replace("enko", "enco")
}

/// One article naming ten persons, each detained on a date, every other one also sentenced.
fn article(n: usize, names: &[String]) -> (Original, AnalysedArticle) {
    let mut paragraphs = Vec::new();
    let mut mentions = Vec::new();
    let mut events = Vec::new();
    let mut offset = 0usize;
    let mut sentence = |text: String, person: usize, kind: &str, date, details| {
        let start = offset;
        let len = text.chars().count();
        mentions.push(PersonMention {
            text: names[person].clone(),
            start,
            end: start + names[person].chars().count(),
            person,
        });
        events.push(Event {
            event_type: kind.to_string(),
            victims: vec![person],
            victim_group: None,
            perpetrators: vec![],
            date,
            place: Some("Simferopol".to_string()),
            details,
            victim_details: Default::default(),
            claimed_by: None,
            evidence: Evidence {
                article: String::new(),
                text: text.clone(),
                start,
                end: start + len,
            },
        });
        offset += len + 2;
        paragraphs.push(text);
    };
    for (i, name) in names.iter().enumerate() {
        let (y, m, d) = (
            2015 + (n + i) % 10,
            1 + (n * 7 + i) % 12,
            1 + (n + i * 3) % 28,
        );
        sentence(
            format!("{name} was detained in Simferopol on {d} March {y}."),
            i,
            "detention",
            Some(FuzzyDate::day(y as i32, m as u32, d as u32)),
            BTreeMap::new(),
        );
        if i % 2 == 0 {
            let term = format!("{} years", 5 + (n + i) % 15);
            sentence(
                format!("{name} was sentenced to {term}."),
                i,
                "sentence",
                None,
                BTreeMap::from([("term".to_string(), term)]),
            );
        }
    }
    let bytes = paragraphs.join("\n\n").into_bytes();
    let sha = hex::encode(Sha256::digest(&bytes));
    for e in &mut events {
        e.evidence.article = sha.clone();
    }
    let article = Article {
        id: sha.clone(),
        source: format!("bench/{n}"),
        original_sha256: sha.clone(),
        paragraphs,
        ..Article::default()
    };
    let people = ArticlePeople {
        persons: names
            .iter()
            .map(|n| ArticlePerson {
                name: n.clone(),
                descriptors: vec![],
                relations: vec![],
            })
            .collect(),
        mentions,
        entities: vec![],
    };
    (
        Original {
            sha256: sha,
            source: format!("bench/{n}"),
            bytes,
        },
        AnalysedArticle {
            article,
            people,
            events: ArticleEvents {
                events,
                cases: vec![],
            },
        },
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let persons = arg("--persons", 20_000) as usize;
    let rows = arg("--rows", 1_000) as usize;
    let absent = arg("--absent", 15) as usize;
    let show = std::env::args().any(|a| a == "--show");
    let kept = std::env::args().skip_while(|a| a != "--data").nth(1);
    let temp = tempfile::tempdir()?;
    let dir = kept
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    let g = Generator::new(16, persons * 4);
    let provenance = Provenance {
        extractor_version: "bench-lists".into(),
        actor: "bench".into(),
    };

    // The register: invented persons with distinct names, ten per article.
    let started = Instant::now();
    let mut store = SqliteStore::open(&dir)?;
    let mut names: Vec<String> = Vec::with_capacity(persons);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut n = 0usize;
    while names.len() < persons {
        let name = g.person(n);
        n += 1;
        if !seen.contains_key(&name) {
            seen.insert(name.clone(), names.len());
            names.push(name);
        }
    }
    store.prepare_bulk_ingest()?;
    for (batch, chunk) in names.chunks(1000).enumerate() {
        let articles: Vec<(Original, AnalysedArticle)> = chunk
            .chunks(10)
            .enumerate()
            .map(|(i, ten)| article(batch * 100 + i, ten))
            .collect();
        let refs: Vec<(&Original, &AnalysedArticle)> =
            articles.iter().map(|(o, a)| (o, a)).collect();
        store.store_batch(&refs, &provenance, &KeyResolver)?;
    }
    let stats = store.stats()?;
    eprintln!(
        "register: {} persons, {} events in {:.1} s",
        stats.persons,
        stats.events,
        started.elapsed().as_secs_f64()
    );
    // Register person of each stored name (the answers).
    let mut person_of: HashMap<String, String> = HashMap::new();
    store.visit_persons(&mut |p| {
        for name in p.names {
            person_of.insert(name, p.id.clone());
        }
        Ok(())
    })?;

    // The list, with the answer of each row.
    let cyr = cyrillic_table();
    let mut csv = String::from("ФИО,Дата рождения,Статус,Дата задержания\n");
    let mut answers: Vec<Option<String>> = Vec::with_capacity(rows);
    let mut kinds: Vec<&str> = Vec::with_capacity(rows);
    let step = (persons / rows.max(1)).max(1);
    let mut outside = n;
    for r in 0..rows {
        let present = r % 100 >= absent;
        let name = if present {
            names[(r * step + r % step) % persons].clone()
        } else {
            // Someone the register never saw (a name it holds counts as present after all).
            loop {
                let candidate = g.person(outside);
                outside += 1;
                if !seen.contains_key(&candidate) {
                    break candidate;
                }
            }
        };
        answers.push(if present {
            person_of.get(&name).cloned()
        } else {
            None
        });
        let (given, surname) = name.split_once(' ').unwrap_or((&name, ""));
        let (kind, written) = match r % 5 {
            0 => ("latin", name.clone()),
            1 => ("surname first", format!("{surname} {given}")),
            2 => ("cyrillic", to_cyrillic(&cyr, &name)),
            3 => match genitive(&to_cyrillic(&cyr, &name)) {
                Some(g) => ("cyrillic genitive", g),
                None => ("cyrillic", to_cyrillic(&cyr, &name)),
            },
            _ => ("respelt", respell(&name)),
        };
        kinds.push(kind);
        let birth = if r % 2 == 0 {
            format!("{:02}.{:02}.{}", 1 + r % 28, 1 + r % 12, 1960 + r % 40)
        } else {
            String::new()
        };
        csv.push_str(&format!("\"{written}\",{birth},в СИЗО,\n"));
    }

    // Measured: read the list, reconcile it with the register, store it with its claims.
    let started = Instant::now();
    let parsed = read_list("bench.csv", csv.as_bytes(), None, &[], &Limits::default())?;
    let read_s = started.elapsed().as_secs_f64();
    let import = store.import_list("bench", "bench.csv", &parsed, &provenance)?;
    let total_s = started.elapsed().as_secs_f64();

    let expected = answers.iter().filter(|a| a.is_some()).count();
    println!(
        "list {rows} rows ({expected} in the register) against {} persons",
        stats.persons
    );
    println!(
        "time        {total_s:.2} s (read {read_s:.3} s; reconcile and store {:.2} s)",
        total_s - read_s
    );
    accuracy(&import, &parsed, &answers, &kinds, show);
    Ok(())
}

/// Prints the precision and recall of the list's matches against the known answers, overall, at
/// stricter score floors, and by the kind of spelling each row used.
fn accuracy(
    import: &casebook_register::lists::ListImport,
    parsed: &casebook_lists::ParsedList,
    answers: &[Option<String>],
    kinds: &[&str],
    show: bool,
) {
    let got: HashMap<usize, &str> = import
        .reconciliation
        .matched
        .iter()
        .map(|m| (m.row, m.person.as_str()))
        .collect();
    let (mut correct, mut wrong, mut missed) = (0usize, 0usize, 0usize);
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, answer) in answers.iter().enumerate() {
        let found = got.get(&(i + 1)).copied();
        let entry = by_kind.entry(kinds[i]).or_default();
        if answer.is_some() {
            entry.1 += 1;
        }
        match (answer.as_deref(), found) {
            (Some(a), Some(f)) if a == f => {
                correct += 1;
                entry.0 += 1;
            }
            (_, Some(f)) => {
                wrong += 1;
                if show {
                    eprintln!(
                        "wrong row {}: {:?} → {f} (answer {answer:?})",
                        i + 1,
                        parsed.rows.get(i).map(|r| &r.name)
                    );
                }
            }
            (Some(a), None) => {
                missed += 1;
                if show {
                    eprintln!(
                        "missed row {}: {:?} (register {a})",
                        i + 1,
                        parsed.rows.get(i).map(|r| &r.name)
                    );
                }
            }
            (None, None) => {}
        }
    }
    let expected = answers.iter().filter(|a| a.is_some()).count();
    println!(
        "matched     {} (correct {correct}, wrong {wrong}); missed {missed}; conflicts {}",
        got.len(),
        import.reconciliation.conflicts.len()
    );
    println!(
        "precision   {:.3}",
        correct as f64 / (correct + wrong).max(1) as f64
    );
    println!("recall      {:.3}", correct as f64 / expected.max(1) as f64);
    // What a stricter threshold would give: matches below it would be left to the reviewer.
    for floor in [0.6, 0.7, 0.8] {
        let (mut c, mut w) = (0usize, 0usize);
        for m in import
            .reconciliation
            .matched
            .iter()
            .filter(|m| m.score >= floor)
        {
            match answers.get(m.row - 1) {
                Some(Some(a)) if *a == m.person => c += 1,
                _ => w += 1,
            }
        }
        println!(
            "  at score >= {floor}: precision {:.3}, recall {:.3}",
            c as f64 / (c + w).max(1) as f64,
            c as f64 / expected.max(1) as f64
        );
    }
    for (kind, (ok, of)) in by_kind {
        println!(
            "  {kind:<18} recall {:.3} ({ok} of {of})",
            ok as f64 / of.max(1) as f64
        );
    }
}
