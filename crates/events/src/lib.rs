//! casebook-events: finds persecution events in one article — what was done to whom, when, where and by
//! whom, with the sentence that says so — names the cases people are prosecuted in, reconciles events
//! reported by several articles ([`merge`]) and derives a person's status and timeline ([`status`]).
//!
//! In: an [`Article`] and the [`ArticlePeople`] the people stage found in it. Out: [`ArticleEvents`],
//! whose victims are indices into `ArticlePeople::persons` and whose offsets are character offsets into
//! [`Article::text`]. No I/O: the taxonomy, trigger words, cues and patterns are data files under `data/`
//! compiled into the crate.
//!
//! # Dates
//! An event's date comes from its own sentence: absolute dates, or relative ones resolved against the
//! article's publication date ("on Wednesday", "yesterday", "last December") or against the last date
//! the text gave ("two days later"). Events told together share a date ("searched and detained on
//! Monday", "detained during the searches on 14 February"), and a definite mention of an event told
//! before ("the transfer took place last Friday") dates that event. A sentence with no date of its own
//! continues the story: its events take the last date given in the same or the previous paragraph,
//! except charges, ill-treatment and coercion, which are told as background. A date inside a charge's
//! object ("accused of sabotage in August") dates the alleged act, not the charge, and no event is dated
//! after the report itself.
//!
//! # Modules
//! `doc` prepares the article (tokens, sentences, mentions with their roles); `triggers` finds
//! asserted triggers; `victims` attaches named victims and counted groups; `dating` picks each
//! trigger's date; `attributes` reads places, perpetrators and details; `assembly` builds and merges
//! the events; `cases` names the cases.

mod assembly;
mod attributes;
mod cases;
pub mod data;
pub mod dates;
mod dating;
pub mod details;
mod doc;
pub mod merge;
pub mod status;
mod text;
mod triggers;
mod victims;

use aho_corasick::{AhoCorasick, MatchKind};
use assembly::merge_within_article;
use casebook_model::{Article, ArticleEvents, ArticlePeople};
use data::{CUES, LEXICON, TAXONOMY};
use regex::Regex;
use std::collections::HashSet;
use triggers::PatternKind;
use victims::{resolve_counted_groups, victim_like};

/// How many tokens may stand between a trigger and a trigger it governs ("upheld the verdict").
const OBJECT_WINDOW: usize = 3;

/// Lower-case phrases split into words, for matching against tokens.
type Phrases = Vec<Vec<String>>;

fn phrases(list: &[String]) -> Phrases {
    list.iter().map(|p| text_words(p)).collect()
}

fn text_words(p: &str) -> Vec<String> {
    let chars: Vec<char> = p.chars().collect();
    text::tokenize(&chars)
        .into_iter()
        .map(|t| t.lower)
        .collect()
}

/// Finds events and cases in articles. Build once with [`Extractor::new`] and reuse: the automata and
/// patterns are built from the data files at construction.
pub struct Extractor {
    triggers: AhoCorasick,
    pattern_kinds: Vec<PatternKind>,
    agencies: AhoCorasick,
    attribution: AhoCorasick,
    negation: Phrases,
    modality: Phrases,
    simultaneous: Phrases,
    earlier_tense: HashSet<String>,
    coordination_words: HashSet<String>,
    time_references: Phrases,
    definite_determiners: HashSet<String>,
    object_openers: HashSet<String>,
    infinitive: HashSet<String>,
    clause_breaks: HashSet<String>,
    segment_breaks: HashSet<String>,
    non_victim_roles: HashSet<String>,
    role_exceptions: Phrases,
    relations: HashSet<String>,
    perpetrator_roles: HashSet<String>,
    speech_verbs: HashSet<String>,
    speaker_prefixes: Phrases,
    singular_anaphors: Phrases,
    plural_anaphors: Phrases,
    group_nouns: Phrases,
    group_quantifiers: Phrases,
    uncounted_quantifiers: Phrases,
    bare_count_leads: HashSet<String>,
    bare_count_follow: HashSet<String>,
    distinct_group_words: HashSet<String>,
    case_patterns: Vec<Regex>,
    case_stop_words: HashSet<String>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

fn automaton(patterns: &[String], kind: MatchKind) -> AhoCorasick {
    match AhoCorasick::builder().match_kind(kind).build(patterns) {
        Ok(a) => a,
        Err(e) => {
            panic!("casebook-events: cannot build the phrase automaton from the data files: {e}")
        }
    }
}

impl Extractor {
    /// Builds the extractor from the crate's data files.
    pub fn new() -> Self {
        let mut patterns = Vec::new();
        let mut pattern_kinds = Vec::new();
        for (i, t) in TAXONOMY.types.iter().enumerate() {
            for trig in &t.triggers {
                patterns.push(trig.clone());
                pattern_kinds.push(PatternKind::Trigger(i));
            }
        }
        for b in &TAXONOMY.blockers.phrases {
            patterns.push(b.clone());
            pattern_kinds.push(PatternKind::Blocker);
        }
        let set = |v: &[String]| v.iter().cloned().collect::<HashSet<String>>();
        let case_patterns = LEXICON
            .case_patterns
            .iter()
            .map(|p| match Regex::new(p) {
                Ok(r) => r,
                Err(e) => panic!("casebook-events case pattern {p:?} is invalid: {e}"),
            })
            .collect();
        Extractor {
            triggers: automaton(&patterns, MatchKind::Standard),
            pattern_kinds,
            agencies: automaton(&LEXICON.agencies, MatchKind::LeftmostLongest),
            attribution: automaton(
                &CUES
                    .attribution
                    .iter()
                    .map(|a| a.cue.clone())
                    .collect::<Vec<_>>(),
                MatchKind::LeftmostLongest,
            ),
            negation: phrases(&CUES.negation),
            modality: phrases(&CUES.modality),
            simultaneous: phrases(&CUES.simultaneous),
            earlier_tense: set(&CUES.earlier_tense),
            coordination_words: set(&CUES.coordination_words),
            time_references: phrases(&CUES.time_references),
            definite_determiners: set(&CUES.definite_determiners),
            object_openers: set(&CUES.object_openers),
            infinitive: set(&CUES.infinitive),
            clause_breaks: set(&CUES.clause_breaks),
            segment_breaks: set(&CUES.segment_breaks),
            non_victim_roles: set(&LEXICON.non_victim_roles),
            role_exceptions: phrases(&LEXICON.role_exceptions),
            relations: set(&LEXICON.relations),
            perpetrator_roles: set(&LEXICON.perpetrator_roles),
            speech_verbs: set(&LEXICON.speech_verbs),
            speaker_prefixes: phrases(&LEXICON.speaker_prefixes),
            singular_anaphors: phrases(&LEXICON.singular_anaphors),
            plural_anaphors: phrases(&LEXICON.plural_anaphors),
            group_nouns: phrases(&LEXICON.group_nouns),
            group_quantifiers: phrases(&LEXICON.group_quantifiers),
            uncounted_quantifiers: phrases(&LEXICON.uncounted_quantifiers),
            bare_count_leads: set(&LEXICON.bare_count_leads),
            bare_count_follow: set(&LEXICON.bare_count_follow),
            distinct_group_words: set(&LEXICON.distinct_group_words),
            case_patterns,
            case_stop_words: set(&LEXICON.case_stop_words),
        }
    }

    /// Finds the events and cases `article` reports, given the people the people stage found in it.
    pub fn extract(&self, article: &Article, people: &ArticlePeople) -> ArticleEvents {
        let mut doc = self.prepare(article, people);
        let hits = self.find_triggers(&doc);
        doc.victim_like = victim_like(&doc, &hits);
        let mut events = self.build_events(&doc, &hits);
        resolve_counted_groups(&mut events);
        let events = merge_within_article(events);
        let cases = self.find_cases(&doc, &events);
        ArticleEvents { events, cases }
    }
}

fn push_unique(out: &mut Vec<String>, value: String) {
    if !out.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        out.push(value);
    }
}

fn contains_seq(window: &[&str], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && window.len() >= phrase.len()
        && window
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| *a == b.as_str()))
}

fn starts_with_seq(words: &[&str], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && words.len() >= phrase.len()
        && words.iter().zip(phrase).all(|(a, b)| *a == b.as_str())
}

#[cfg(test)]
mod tests;
