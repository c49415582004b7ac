//! Scoring the people and event stages against the gold annotations (rules in `corpus/FORMAT.md`).

use crate::align::Alignment;
use crate::parse::AnnotatedArticle;
use casebook_model::{Article, ArticleEvents, ArticlePeople, FuzzyDate};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::{Add, AddAssign};

/// True positives, false positives and false negatives of one comparison; add them up to micro-average.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted items that are gold items.
    pub tp: usize,
    /// Predicted items that are not gold items.
    pub fp: usize,
    /// Gold items that were not predicted (`fn` is a keyword).
    pub fn_: usize,
}

impl Counts {
    /// Compares two sets of items.
    pub fn of_sets<T: Ord>(gold: &BTreeSet<T>, predicted: &BTreeSet<T>) -> Counts {
        let tp = gold.intersection(predicted).count();
        Counts {
            tp,
            fp: predicted.len() - tp,
            fn_: gold.len() - tp,
        }
    }

    /// Share of predictions that are right; 1.0 when nothing was predicted (nothing was wrong).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Share of gold items found; 1.0 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall; 0.0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

impl Add for Counts {
    type Output = Counts;
    fn add(mut self, other: Counts) -> Counts {
        self += other;
        self
    }
}

impl fmt::Display for Counts {
    /// `P 0.912 R 0.874 F1 0.893 (tp 120, fp 11, fn 17)`: three digits unless the format asks
    /// for others (`{:.2}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = f.precision().unwrap_or(3);
        write!(
            f,
            "P {:.digits$} R {:.digits$} F1 {:.digits$} (tp {}, fp {}, fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

/// Scores of the event stage on one article or, added up, on many.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventScores {
    /// Items (type, victim); unnamed victims count as one (type, "group") item.
    pub type_victim: Counts,
    /// Items (type, victim, date): the date must be right in value and precision too.
    pub with_date: Counts,
    /// `type_victim` broken down by event type.
    pub by_type: BTreeMap<String, Counts>,
}

impl AddAssign for EventScores {
    fn add_assign(&mut self, other: EventScores) {
        self.type_victim += other.type_victim;
        self.with_date += other.with_date;
        for (t, c) in other.by_type {
            *self.by_type.entry(t).or_default() += c;
        }
    }
}

/// The victim slot of a scored event item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Victim {
    /// A gold person id.
    Person(String),
    /// Unnamed victims.
    Group,
    /// A predicted person that matches no gold person (index into `ArticlePeople::persons`).
    Unmatched(usize),
}

/// Scores predicted person mentions: a mention is right when its span, mapped back to the raw text,
/// equals a gold mention's span exactly. Each span counts once.
pub fn score_mentions(
    gold: &AnnotatedArticle,
    article: &Article,
    people: &ArticlePeople,
) -> Counts {
    let alignment = Alignment::new(article, &gold.raw);
    let gold_spans: BTreeSet<(usize, usize)> =
        gold.mentions.iter().map(|m| (m.start, m.end)).collect();
    // A mention that cannot be placed in the raw text at all is a wrong prediction; it gets a span
    // no gold mention has so that it counts as one false positive.
    let predicted: BTreeSet<(usize, usize)> = people
        .mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            alignment
                .to_raw(m.start, m.end, &m.text)
                .unwrap_or((usize::MAX - i, usize::MAX - i))
        })
        .collect();
    Counts::of_sets(&gold_spans, &predicted)
}

/// Gold person id for each predicted person of the article: the id whose gold mentions its mentions
/// overlap most often (ties go to the id first in alphabetical order); `None` when none overlaps.
pub fn match_persons(
    gold: &AnnotatedArticle,
    article: &Article,
    people: &ArticlePeople,
) -> Vec<Option<String>> {
    let alignment = Alignment::new(article, &gold.raw);
    let mut votes: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); people.persons.len()];
    for m in &people.mentions {
        let Some(slot) = votes.get_mut(m.person) else {
            continue;
        };
        let Some((rs, re)) = alignment.to_raw(m.start, m.end, &m.text) else {
            continue;
        };
        for g in gold.mentions.iter().filter(|g| g.start < re && rs < g.end) {
            *slot.entry(g.person_id.as_str()).or_default() += 1;
        }
    }
    votes
        .into_iter()
        .map(|v| {
            // max_by_key keeps the last maximum; iterate in reverse so the alphabetically first wins.
            v.into_iter()
                .rev()
                .max_by_key(|&(_, n)| n)
                .map(|(id, _)| id.to_string())
        })
        .collect()
}

/// Scores predicted events against the gold events of one article (rules in `corpus/FORMAT.md`).
/// Events with `claimed_by` set, gold or predicted, are left out: a relayed claim is not an assertion.
pub fn score_events(
    gold: &AnnotatedArticle,
    article: &Article,
    people: &ArticlePeople,
    events: &ArticleEvents,
) -> EventScores {
    let ids = match_persons(gold, article, people);
    let mut gold_items: BTreeSet<(String, Victim, Option<FuzzyDate>)> = BTreeSet::new();
    // Attributed claims are not asserted events: neither side counts them.
    for e in gold.events.iter().filter(|e| e.claimed_by.is_none()) {
        if e.is_unnamed() {
            gold_items.insert((e.event_type.clone(), Victim::Group, e.date));
        }
        for v in &e.victims {
            gold_items.insert((e.event_type.clone(), Victim::Person(v.clone()), e.date));
        }
    }
    let mut predicted_items = BTreeSet::new();
    for e in events.events.iter().filter(|e| e.claimed_by.is_none()) {
        if e.victims.is_empty() {
            predicted_items.insert((e.event_type.clone(), Victim::Group, e.date));
        }
        for &v in &e.victims {
            let victim = match ids.get(v) {
                Some(Some(id)) => Victim::Person(id.clone()),
                _ => Victim::Unmatched(v),
            };
            predicted_items.insert((e.event_type.clone(), victim, e.date));
        }
    }
    let without_date =
        |items: &BTreeSet<(String, Victim, Option<FuzzyDate>)>| -> BTreeSet<(String, Victim)> {
            items
                .iter()
                .map(|(t, v, _)| (t.clone(), v.clone()))
                .collect()
        };
    let gold_tv = without_date(&gold_items);
    let predicted_tv = without_date(&predicted_items);
    let types: BTreeSet<&String> = gold_tv
        .iter()
        .chain(predicted_tv.iter())
        .map(|(t, _)| t)
        .collect();
    let by_type = types
        .into_iter()
        .map(|t| {
            let of_type = |items: &BTreeSet<(String, Victim)>| -> BTreeSet<Victim> {
                items
                    .iter()
                    .filter(|(u, _)| u == t)
                    .map(|(_, v)| v.clone())
                    .collect()
            };
            (
                t.clone(),
                Counts::of_sets(&of_type(&gold_tv), &of_type(&predicted_tv)),
            )
        })
        .collect();
    EventScores {
        type_victim: Counts::of_sets(&gold_tv, &predicted_tv),
        with_date: Counts::of_sets(&gold_items, &predicted_items),
        by_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use casebook_model::{ArticlePerson, Event, Evidence, PersonMention, VictimGroup};

    fn char_len(text: &str) -> usize {
        text.chars().count()
    }

    const FILE: &str = "Simferopol, 5 March 2024\n\nKuku detained\n\n\
[[Emir-Usein Kuku|emir-usein-kuku]] was detained on Monday. [[Kuku|emir-usein-kuku]]'s lawyer \
[[Nikolai Polozov|nikolai-polozov]] said six Crimean Tatars were searched.\n\nShare this:\n==== gold\n\
{\"event\":\"detention\",\"victims\":[\"emir-usein-kuku\"],\"date\":\"2024-03-04\"}\n\
{\"event\":\"search\",\"group\":6,\"date\":\"2024-03\"}\n";

    fn fixture() -> (AnnotatedArticle, Article) {
        let gold = parse("t.txt", FILE).unwrap();
        let body = gold.raw.split("\n\n").nth(2).unwrap().to_string();
        let article = Article {
            paragraphs: vec!["Kuku detained".into(), body],
            ..Article::default()
        };
        (gold, article)
    }

    fn mention(article: &Article, text: &str, nth: usize, person: usize) -> PersonMention {
        let full = article.text();
        let b = full.match_indices(text).nth(nth).unwrap().0;
        let start = full[..b].chars().count();
        PersonMention {
            text: text.into(),
            start,
            end: start + char_len(text),
            person,
        }
    }

    fn person(name: &str) -> ArticlePerson {
        ArticlePerson {
            name: name.into(),
            descriptors: vec![],
            relations: vec![],
        }
    }

    fn event(t: &str, victims: Vec<usize>, date: Option<FuzzyDate>, group: Option<u32>) -> Event {
        Event {
            event_type: t.into(),
            victims,
            victim_group: group.map(|n| VictimGroup {
                count: Some(n),
                description: "Crimean Tatars".into(),
            }),
            perpetrators: vec![],
            date,
            place: None,
            details: BTreeMap::new(),
            victim_details: Default::default(),
            claimed_by: None,
            evidence: Evidence {
                article: String::new(),
                text: String::new(),
                start: 0,
                end: 0,
            },
        }
    }

    #[test]
    fn counts_compute_micro_scores() {
        let mut c = Counts {
            tp: 3,
            fp: 1,
            fn_: 0,
        };
        c += Counts {
            tp: 1,
            fp: 0,
            fn_: 4,
        };
        assert_eq!(
            c,
            Counts {
                tp: 4,
                fp: 1,
                fn_: 4
            }
        );
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert!((c.f1() - 2.0 * 0.8 * 0.5 / 1.3).abs() < 1e-9);
        assert_eq!(Counts::default().f1(), 1.0);
        assert_eq!(
            Counts {
                tp: 0,
                fp: 2,
                fn_: 3
            }
            .f1(),
            0.0
        );
    }

    #[test]
    fn mentions_need_the_exact_span() {
        let (gold, article) = fixture();
        let people = ArticlePeople {
            persons: vec![person("Emir-Usein Kuku"), person("Nikolai Polozov")],
            mentions: vec![
                // Right: the full name and the bare surname.
                mention(&article, "Emir-Usein Kuku", 0, 0),
                mention(&article, "Kuku", 2, 0),
                // Wrong span: only part of the lawyer's name.
                mention(&article, "Polozov", 0, 1),
                // Wrong: the title "Kuku detained" is not a marked body mention.
                mention(&article, "Kuku", 0, 0),
            ],
            entities: vec![],
        };
        let c = score_mentions(&gold, &article, &people);
        assert_eq!(
            c,
            Counts {
                tp: 2,
                fp: 2,
                fn_: 1
            }
        );
    }

    #[test]
    fn events_match_victims_through_mentions() {
        let (gold, article) = fixture();
        let people = ArticlePeople {
            persons: vec![person("Emir-Usein Kuku"), person("Nikolai Polozov")],
            mentions: vec![
                mention(&article, "Kuku", 1, 0),
                mention(&article, "Nikolai Polozov", 0, 1),
            ],
            entities: vec![],
        };
        assert_eq!(
            match_persons(&gold, &article, &people),
            vec![
                Some("emir-usein-kuku".to_string()),
                Some("nikolai-polozov".to_string())
            ]
        );
        let events = ArticleEvents {
            events: vec![
                // Right type and victim, wrong precision of the date.
                event("detention", vec![0], Some(FuzzyDate::month(2024, 3)), None),
                // The lawyer was not detained.
                event("detention", vec![1], Some(FuzzyDate::day(2024, 3, 4)), None),
                // The unnamed group, date right.
                event("search", vec![], Some(FuzzyDate::month(2024, 3)), Some(6)),
            ],
            cases: vec![],
        };
        let s = score_events(&gold, &article, &people, &events);
        assert_eq!(
            s.type_victim,
            Counts {
                tp: 2,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            s.with_date,
            Counts {
                tp: 1,
                fp: 2,
                fn_: 1
            }
        );
        assert_eq!(
            s.by_type["detention"],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            s.by_type["search"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
    }

    #[test]
    fn unmatched_victims_are_false_positives() {
        let (gold, article) = fixture();
        let people = ArticlePeople {
            persons: vec![person("Crimean Tatars")],
            mentions: vec![mention(&article, "Crimean Tatars", 0, 0)],
            entities: vec![],
        };
        let events = ArticleEvents {
            events: vec![event("detention", vec![0], None, None)],
            cases: vec![],
        };
        let s = score_events(&gold, &article, &people, &events);
        assert_eq!(
            s.type_victim,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 2
            }
        );
    }
}
