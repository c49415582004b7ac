//! One language's reading of an article: its trigger matcher (phrases for English, word stems for
//! inflected languages), cue and role words, date grammar and detail patterns, all built once from the
//! crate's data files; and the steps of extraction run with them.

use crate::assembly::merge_within_article;
use crate::data::{Cues, LanguageFile, Lexicon, CUES, LEXICON, TAXONOMY};
use crate::dates::Grammar;
use crate::details::Reader;
use crate::stems::Stemmer;
use crate::triggers::{PatternKind, TriggerMatcher};
use crate::victims::{resolve_counted_groups, victim_like};
use crate::{phrases, Phrases};
use aho_corasick::{AhoCorasick, MatchKind};
use casebook_model::{Article, ArticleEvents, ArticlePeople};
use regex::Regex;
use std::collections::{BTreeMap, HashSet};

/// What the steps of extraction read in one language.
pub(crate) struct Language {
    pub(crate) triggers: TriggerMatcher,
    pub(crate) agencies: AhoCorasick,
    pub(crate) agency_words: Vec<String>,
    pub(crate) not_agencies: Vec<String>,
    pub(crate) attribution: AhoCorasick,
    /// The party of each attribution cue, by the cue's pattern index.
    pub(crate) attribution_parties: Vec<String>,
    pub(crate) negation_window: usize,
    pub(crate) negation: Phrases,
    pub(crate) modality_window: usize,
    pub(crate) modality: Phrases,
    pub(crate) simultaneous: Phrases,
    pub(crate) earlier_tense: HashSet<String>,
    pub(crate) coordination_words: HashSet<String>,
    pub(crate) time_references: Phrases,
    pub(crate) back_references: Phrases,
    pub(crate) definite_determiners: HashSet<String>,
    pub(crate) object_openers: HashSet<String>,
    pub(crate) infinitive: HashSet<String>,
    pub(crate) clause_breaks: HashSet<String>,
    pub(crate) segment_breaks: HashSet<String>,
    pub(crate) gapping_openers: HashSet<String>,
    pub(crate) lede_takes_published: bool,
    pub(crate) request: Phrases,
    pub(crate) request_breaks: HashSet<String>,
    pub(crate) non_victim_roles: HashSet<String>,
    pub(crate) role_exceptions: Phrases,
    pub(crate) relations: HashSet<String>,
    pub(crate) perpetrator_roles: HashSet<String>,
    pub(crate) speech_verbs: HashSet<String>,
    pub(crate) date_prepositions: HashSet<String>,
    pub(crate) speaker_prefixes: Phrases,
    pub(crate) singular_anaphors: Phrases,
    pub(crate) plural_anaphors: Phrases,
    pub(crate) group_nouns: Phrases,
    pub(crate) group_quantifiers: Phrases,
    pub(crate) uncounted_quantifiers: Phrases,
    pub(crate) bare_count_leads: HashSet<String>,
    pub(crate) bare_count_follow: HashSet<String>,
    pub(crate) distinct_group_words: HashSet<String>,
    pub(crate) number_words: BTreeMap<String, u32>,
    pub(crate) months: BTreeMap<String, u32>,
    pub(crate) case_patterns: Vec<Regex>,
    pub(crate) case_stop_words: HashSet<String>,
    pub(crate) case_words: Vec<String>,
    pub(crate) case_name_words: HashSet<String>,
    pub(crate) relative_pronouns: HashSet<String>,
    pub(crate) conjunctions: HashSet<String>,
    pub(crate) respectively: HashSet<String>,
    pub(crate) possessives: HashSet<String>,
    pub(crate) partitive: Phrases,
    pub(crate) not_counts: HashSet<String>,
    pub(crate) destination_prepositions: HashSet<String>,
    pub(crate) possessive_markers: HashSet<String>,
    pub(crate) descriptor_stops: HashSet<String>,
    pub(crate) client_markers: HashSet<String>,
    pub(crate) administrative_words: Vec<String>,
    pub(crate) dates: Grammar,
    pub(crate) details: Reader,
}

fn automaton(patterns: &[String], kind: MatchKind) -> AhoCorasick {
    match AhoCorasick::builder().match_kind(kind).build(patterns) {
        Ok(a) => a,
        Err(e) => {
            panic!("casebook-events: cannot build the phrase automaton from the data files: {e}")
        }
    }
}

fn set(v: &[String]) -> HashSet<String> {
    v.iter().cloned().collect()
}

impl Language {
    /// English, from the taxonomy's triggers and blockers and the English cue, lexicon and detail files.
    pub(crate) fn english() -> Language {
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
        let triggers = TriggerMatcher::Phrases {
            automaton: automaton(&patterns, MatchKind::Standard),
            kinds: pattern_kinds,
        };
        Language::build(
            "en",
            triggers,
            &CUES,
            &LEXICON,
            Grammar::english().clone(),
            Reader::english().clone(),
        )
    }

    /// A language of `data/lexicon.LANG.toml`: triggers matched on word stems.
    pub(crate) fn from_file(file: &LanguageFile) -> Language {
        let stemmer = Stemmer::from_file(file);
        let mut phrases: Vec<(String, PatternKind)> = Vec::new();
        for (id, list) in &file.triggers {
            let Some(index) = TAXONOMY.types.iter().position(|t| &t.id == id) else {
                panic!(
                    "casebook-events lexicon.{}.toml names an unknown event type {id:?}",
                    file.language
                );
            };
            phrases.extend(
                list.iter()
                    .map(|p| (p.clone(), PatternKind::Trigger(index))),
            );
        }
        phrases.extend(
            file.blockers
                .iter()
                .map(|p| (p.clone(), PatternKind::Blocker)),
        );
        let triggers = TriggerMatcher::stems(stemmer, &phrases);
        let grammar = Grammar::from_file(file);
        let reader = Reader::new(&file.language, &file.details, &file.lexicon);
        Language::build(
            &file.language,
            triggers,
            &file.cues,
            &file.lexicon,
            grammar,
            reader,
        )
    }

    fn build(
        language: &str,
        triggers: TriggerMatcher,
        cues: &Cues,
        lexicon: &Lexicon,
        dates: Grammar,
        details: Reader,
    ) -> Language {
        let case_patterns = lexicon
            .case_patterns
            .iter()
            .map(|p| match Regex::new(p) {
                Ok(r) => r,
                Err(e) => {
                    panic!("casebook-events case pattern {p:?} of {language} is invalid: {e}")
                }
            })
            .collect();
        let attribution: Vec<String> = cues.attribution.iter().map(|a| a.cue.clone()).collect();
        Language {
            triggers,
            agencies: automaton(&lexicon.agencies, MatchKind::LeftmostLongest),
            agency_words: lexicon.agencies.clone(),
            not_agencies: lexicon.not_agencies.clone(),
            attribution: automaton(&attribution, MatchKind::LeftmostLongest),
            attribution_parties: cues.attribution.iter().map(|a| a.party.clone()).collect(),
            negation_window: cues.negation_window,
            negation: phrases(&cues.negation),
            modality_window: cues.modality_window,
            modality: phrases(&cues.modality),
            simultaneous: phrases(&cues.simultaneous),
            earlier_tense: set(&cues.earlier_tense),
            coordination_words: set(&cues.coordination_words),
            time_references: phrases(&cues.time_references),
            back_references: phrases(&cues.back_references),
            definite_determiners: set(&cues.definite_determiners),
            object_openers: set(&cues.object_openers),
            infinitive: set(&cues.infinitive),
            clause_breaks: set(&cues.clause_breaks),
            segment_breaks: set(&cues.segment_breaks),
            gapping_openers: set(&cues.gapping_openers),
            lede_takes_published: cues.lede_takes_published,
            request: phrases(&cues.request),
            request_breaks: set(&cues.request_breaks),
            non_victim_roles: set(&lexicon.non_victim_roles),
            role_exceptions: phrases(&lexicon.role_exceptions),
            relations: set(&lexicon.relations),
            perpetrator_roles: set(&lexicon.perpetrator_roles),
            speech_verbs: set(&lexicon.speech_verbs),
            date_prepositions: set(&lexicon.date_prepositions),
            speaker_prefixes: phrases(&lexicon.speaker_prefixes),
            singular_anaphors: phrases(&lexicon.singular_anaphors),
            plural_anaphors: phrases(&lexicon.plural_anaphors),
            group_nouns: phrases(&lexicon.group_nouns),
            group_quantifiers: phrases(&lexicon.group_quantifiers),
            uncounted_quantifiers: phrases(&lexicon.uncounted_quantifiers),
            bare_count_leads: set(&lexicon.bare_count_leads),
            bare_count_follow: set(&lexicon.bare_count_follow),
            distinct_group_words: set(&lexicon.distinct_group_words),
            number_words: lexicon.number_words.clone(),
            months: lexicon.months.clone(),
            case_patterns,
            case_stop_words: set(&lexicon.case_stop_words),
            case_words: lexicon.case_words.clone(),
            case_name_words: set(&lexicon.case_name_words),
            relative_pronouns: set(&lexicon.relative_pronouns),
            conjunctions: set(&lexicon.conjunctions),
            respectively: set(&lexicon.respectively),
            possessives: set(&lexicon.possessives),
            partitive: phrases(&lexicon.partitive),
            not_counts: set(&lexicon.not_counts),
            destination_prepositions: set(&lexicon.destination_prepositions),
            possessive_markers: set(&lexicon.possessive_markers),
            descriptor_stops: set(&lexicon.descriptor_stops),
            client_markers: set(&lexicon.client_markers),
            administrative_words: lexicon.administrative_words.clone(),
            dates,
            details,
        }
    }

    /// Finds the events and cases `article` reports, given the people the people stage found in it.
    pub(crate) fn extract(&self, article: &Article, people: &ArticlePeople) -> ArticleEvents {
        let mut doc = self.prepare(article, people);
        let hits = self.find_triggers(&doc);
        doc.victim_like = victim_like(&doc, &hits);
        let mut events = self.build_events(&doc, &hits);
        resolve_counted_groups(&mut events);
        let events = merge_within_article(events);
        let cases = self.find_cases(&doc, &events);
        ArticleEvents { events, cases }
    }

    /// A count written in digits or words ("4", "four"); years are no counts.
    pub(crate) fn number_value(&self, word: &str) -> Option<u32> {
        word.parse::<u32>()
            .ok()
            .filter(|n| *n < 1900)
            .or_else(|| self.number_words.get(word).copied())
    }
}
