//! Hand-built analysed articles about invented people, so the register's tests stay on the
//! register's side of the pipeline boundary.

#![allow(dead_code)]

pub mod postgres;

use casebook_model::*;
use casebook_register::{
    Decision, KeyResolver, Original, Provenance, SqliteStore, Store, StoreOutcome,
};
use sha2::{Digest, Sha256};

/// An event to put in a test article: type, victims (indices), date, and the sentence index.
pub struct TestEvent {
    pub event_type: &'static str,
    pub victims: Vec<usize>,
    pub date: Option<FuzzyDate>,
    pub sentence: usize,
}

/// Builds an original and its analysed article. `sentences` form one paragraph each; every person
/// name is found in the text to make mentions.
pub fn article(
    source: &str,
    sentences: &[&str],
    persons: &[&str],
    events: Vec<TestEvent>,
    cases: &[(&str, Vec<usize>, usize)],
) -> (Original, AnalysedArticle) {
    let bytes = sentences.join("\n\n").into_bytes();
    let sha = hex::encode(Sha256::digest(&bytes));
    let paragraphs: Vec<String> = sentences.iter().map(|s| s.to_string()).collect();
    let article = Article {
        id: sha.clone(),
        source: source.to_string(),
        original_sha256: sha.clone(),
        url: Some(format!("https://example.org/{source}")),
        title: Some(sentences[0].to_string()),
        paragraphs,
        ..Article::default()
    };
    let text = article.text();
    let index = CharIndex::new(&text);
    let sentence_span = |i: usize| -> (usize, usize) {
        let before: usize = sentences[..i].iter().map(|s| s.chars().count() + 2).sum();
        (before, before + sentences[i].chars().count())
    };
    let mut mentions = Vec::new();
    for (p, name) in persons.iter().enumerate() {
        let mut from = 0;
        while let Some(pos) = text[from..].find(name) {
            let byte = from + pos;
            let start = index.char(byte);
            mentions.push(PersonMention {
                text: name.to_string(),
                start,
                end: start + name.chars().count(),
                person: p,
            });
            from = byte + name.len();
        }
    }
    mentions.sort_by_key(|m| m.start);
    let people = ArticlePeople {
        persons: persons
            .iter()
            .map(|n| ArticlePerson {
                name: n.to_string(),
                descriptors: vec![],
                relations: vec![],
            })
            .collect(),
        mentions,
        entities: vec![],
    };
    let evidence = |i: usize| {
        let (start, end) = sentence_span(i);
        Evidence {
            article: sha.clone(),
            text: sentences[i].to_string(),
            start,
            end,
        }
    };
    let events = ArticleEvents {
        events: events
            .into_iter()
            .map(|e| Event {
                event_type: e.event_type.to_string(),
                victims: e.victims,
                victim_group: None,
                perpetrators: vec!["FSB".to_string()],
                date: e.date,
                place: Some("Simferopol".to_string()),
                details: Default::default(),
                victim_details: Default::default(),
                claimed_by: None,
                evidence: evidence(e.sentence),
            })
            .collect(),
        cases: cases
            .iter()
            .map(|(name, defendants, s)| CaseMention {
                name: name.to_string(),
                defendants: defendants.clone(),
                evidence: evidence(*s),
            })
            .collect(),
    };
    (
        Original {
            sha256: sha,
            source: source.to_string(),
            bytes,
        },
        AnalysedArticle {
            article,
            people,
            events,
        },
    )
}

pub fn provenance(version: &str) -> Provenance {
    Provenance {
        extractor_version: version.to_string(),
        actor: "test".to_string(),
    }
}

/// Sets, as the reviewer "rev", how much of `person` (or of one field of theirs) the public sees.
pub fn set_visibility(s: &mut SqliteStore, person: &str, field: Option<&str>, level: Visibility) {
    s.decide(
        "rev",
        &Decision::SetVisibility {
            person: person.to_string(),
            field: field.map(str::to_string),
            level,
        },
    )
    .unwrap();
}

pub fn store(store: &mut SqliteStore, item: &(Original, AnalysedArticle)) -> StoreOutcome {
    store
        .store_article(&item.0, &item.1, &provenance("v1"), &KeyResolver)
        .unwrap()
}

/// Three articles about invented people: two report one detention of Emir Kaitov, one names
/// Lenur Seitov in a case.
pub fn corpus() -> Vec<(Original, AnalysedArticle)> {
    vec![
        article(
            "a1.txt",
            &[
                "FSB officers detained Emir Kaitov in Simferopol on 4 September 2021.",
                "His lawyer Aider Ablyaev said Emir Kaitov was taken to the FSB building.",
            ],
            &["Emir Kaitov", "Aider Ablyaev"],
            vec![TestEvent {
                event_type: "detention",
                victims: vec![0],
                date: Some(FuzzyDate::day(2021, 9, 4)),
                sentence: 0,
            }],
            &[],
        ),
        article(
            "a2.txt",
            &[
                "Emir Kaitov was detained on 4 September 2021, Crimean Solidarity reports.",
                "A court later remanded Emir Kaitov and Lenur Seitov in custody until March 24.",
                "Both are defendants in the second Simferopol group case.",
            ],
            &["Emir Kaitov", "Lenur Seitov"],
            vec![
                TestEvent {
                    event_type: "detention",
                    victims: vec![0],
                    date: Some(FuzzyDate::day(2021, 9, 4)),
                    sentence: 0,
                },
                TestEvent {
                    event_type: "arrest_custody",
                    victims: vec![0, 1],
                    date: Some(FuzzyDate::day(2021, 9, 6)),
                    sentence: 1,
                },
            ],
            &[("the second Simferopol group", vec![0, 1], 2)],
        ),
        article(
            "a3.txt",
            &[
                "A court sentenced Lenur Seitov to 13 years in a strict-regime colony in 2023.",
                "Witness Zarema Osmanova testified for the defence of Lenur Seitov.",
            ],
            &["Lenur Seitov", "Zarema Osmanova"],
            vec![TestEvent {
                event_type: "sentence",
                victims: vec![0],
                date: Some(FuzzyDate::year(2023)),
                sentence: 0,
            }],
            &[],
        ),
    ]
}

/// A fourth article naming Emir Kaitov only as "E. Kaitov": the register cannot tell whether he is
/// the same person, so it opens a same-person claim (a merge candidate on his case file).
pub fn second_spelling_of_kaitov() -> (Original, AnalysedArticle) {
    article(
        "a4.txt",
        &["E. Kaitov was sentenced to 12 years in 2022."],
        &["E. Kaitov"],
        vec![TestEvent {
            event_type: "sentence",
            victims: vec![0],
            date: Some(FuzzyDate::year(2022)),
            sentence: 0,
        }],
        &[],
    )
}
