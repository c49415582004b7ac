//! Gold annotations turned into stage outputs, so that a later stage can be developed and measured
//! on perfect input from the stage before it.

use crate::align::Alignment;
use crate::parse::AnnotatedArticle;
use casebook_model::{
    Article, ArticleEvents, ArticlePeople, ArticlePerson, CaseMention, Event, Evidence,
    PersonMention, Precision, Published, VictimGroup, PARAGRAPH_SEPARATOR,
};

/// The people stage's output as a perfect people stage would give it, and the gold id of each person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OraclePeople {
    /// Persons in order of first mention; mentions with offsets into `article.text()`.
    pub people: ArticlePeople,
    /// `ids[i]` is the gold person id of `people.persons[i]`.
    pub ids: Vec<String>,
}

/// Builds [`OraclePeople`] for `article` (extracted from `gold.raw`): every gold mention that stands in
/// the article's text, grouped by person id. A person's `name` is the longest surface the article uses
/// for them. Mentions in paragraphs the extraction dropped are left out.
pub fn oracle_people(gold: &AnnotatedArticle, article: &Article) -> OraclePeople {
    let alignment = Alignment::new(article, &gold.raw);
    let mut oracle = OraclePeople::default();
    for m in &gold.mentions {
        let Some((start, end)) = alignment.to_text(m.start, m.end, &m.text) else {
            continue;
        };
        let person = match oracle.ids.iter().position(|id| *id == m.person_id) {
            Some(i) => i,
            None => {
                oracle.ids.push(m.person_id.clone());
                oracle.people.persons.push(ArticlePerson {
                    name: m.text.clone(),
                    descriptors: Vec::new(),
                    relations: Vec::new(),
                });
                oracle.ids.len() - 1
            }
        };
        if let Some(p) = oracle.people.persons.get_mut(person) {
            if m.text.chars().count() > p.name.chars().count() {
                p.name = m.text.clone();
            }
        }
        oracle.people.mentions.push(PersonMention {
            text: m.text.clone(),
            start,
            end,
            person,
        });
    }
    oracle
}

/// The event stage's output as a perfect event stage would give it for `article`, with victims as
/// indices into `oracle.people.persons`. Each event's evidence is the first paragraph that mentions its
/// first victim (the article's first paragraph for unnamed victims); a victim the article's text does
/// not mention is left out. For developing the register on perfect input.
pub fn oracle_events(
    gold: &AnnotatedArticle,
    article: &Article,
    oracle: &OraclePeople,
) -> ArticleEvents {
    let index_of = |id: &str| oracle.ids.iter().position(|i| i == id);
    let evidence_for = |person: Option<usize>| -> Evidence {
        let paragraph = person
            .and_then(|p| oracle.people.mentions.iter().find(|m| m.person == p))
            .map(|m| m.start)
            .unwrap_or(0);
        let mut start = 0;
        for p in &article.paragraphs {
            let len = p.chars().count();
            if paragraph < start + len.max(1) {
                return Evidence {
                    article: article.id.clone(),
                    text: p.clone(),
                    start,
                    end: start + len,
                };
            }
            start += len + PARAGRAPH_SEPARATOR.chars().count();
        }
        Evidence {
            article: article.id.clone(),
            text: String::new(),
            start: 0,
            end: 0,
        }
    };
    let events = gold
        .events
        .iter()
        .map(|e| {
            let victims: Vec<usize> = e.victims.iter().filter_map(|v| index_of(v)).collect();
            Event {
                event_type: e.event_type.clone(),
                evidence: evidence_for(victims.first().copied()),
                victims,
                victim_group: e.group.map(|n| VictimGroup {
                    count: Some(n),
                    description: String::new(),
                }),
                perpetrators: Vec::new(),
                date: e.date,
                place: e.details.get("place").cloned(),
                details: e.details.clone(),
                victim_details: Default::default(),
                claimed_by: e.claimed_by.clone(),
            }
        })
        .collect();
    let cases = gold
        .cases
        .iter()
        .map(|c| {
            let defendants: Vec<usize> = c.defendants.iter().filter_map(|d| index_of(d)).collect();
            CaseMention {
                name: c.name.clone(),
                evidence: evidence_for(defendants.first().copied()),
                defendants,
            }
        })
        .collect();
    ArticleEvents { events, cases }
}

/// An [`Article`] made from `gold.raw` without any cleaning: every block between blank lines is a
/// paragraph (chrome included), `id` and `source` are the file name, `published` is the dateline's day.
/// For tests of a stage that must not depend on the article stage; real runs extract the article with
/// `casebook-article`.
pub fn naive_article(gold: &AnnotatedArticle) -> Article {
    let paragraphs = gold
        .raw
        .split(PARAGRAPH_SEPARATOR)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    Article {
        id: gold.name.clone(),
        source: gold.name.clone(),
        published: gold.dateline().map(|d| Published {
            value: d.to_string(),
            precision: Precision::Day,
            from: "dateline".to_string(),
        }),
        paragraphs,
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::score::{score_events, score_mentions, Counts};
    use casebook_model::{ArticleEvents, CharIndex};

    const FILE: &str =
        "Title\n\n[[Refat Chubarov|refat-chubarov]] said [[Nariman Dzhelyal|nariman-dzhelyal]] \
was detained.\n\n[[Chubarov|refat-chubarov]] added more.\n\nYou might also like:\n\n==== gold\n\
{\"event\":\"detention\",\"victims\":[\"nariman-dzhelyal\"]}\n";

    #[test]
    fn oracle_people_score_perfectly() {
        let gold = parse("t.txt", FILE).unwrap();
        let article = naive_article(&gold);
        assert_eq!(article.paragraphs.len(), 4);
        let oracle = oracle_people(&gold, &article);
        assert_eq!(oracle.ids, vec!["refat-chubarov", "nariman-dzhelyal"]);
        assert_eq!(oracle.people.persons[0].name, "Refat Chubarov");
        let text = article.text();
        let idx = CharIndex::new(&text);
        for m in &oracle.people.mentions {
            assert_eq!(idx.slice(&text, m.start, m.end), m.text);
        }
        assert_eq!(oracle.people.mentions[2].person, 0);
        assert_eq!(
            score_mentions(&gold, &article, &oracle.people),
            Counts {
                tp: 3,
                fp: 0,
                fn_: 0
            }
        );
        // With no events predicted, the gold detention is missed.
        let s = score_events(&gold, &article, &oracle.people, &ArticleEvents::default());
        assert_eq!(
            s.type_victim,
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
    }

    #[test]
    fn mentions_in_dropped_paragraphs_are_left_out() {
        let gold = parse("t.txt", FILE).unwrap();
        let mut article = naive_article(&gold);
        article.paragraphs.remove(2);
        let oracle = oracle_people(&gold, &article);
        assert_eq!(oracle.people.mentions.len(), 2);
    }
}
