//! Trigger finding: the phrases of the taxonomy found in the text, kept when asserted (not denied,
//! only possible or intended) and when they report an event of their own; and the clause relations
//! between triggers of one sentence (coordination, "during", a date inside a charge's object).

use crate::data::TAXONOMY;
use crate::dates::DateMention;
use crate::doc::Doc;
use crate::language::Language;
use crate::stems::Stemmer;
use crate::text::{self, Sentence, Token};
use crate::{contains_seq, OBJECT_WINDOW};
use aho_corasick::AhoCorasick;
use casebook_model::CharIndex;
use std::collections::{BTreeSet, HashMap};

/// What a trigger pattern stands for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PatternKind {
    Trigger(usize),
    Blocker,
}

/// A trigger found in the text.
#[derive(Debug, Clone)]
pub(crate) struct TriggerHit {
    pub(crate) type_index: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) first_token: usize,
    pub(crate) sentence: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// How a language's trigger and blocker phrases are found.
pub(crate) enum TriggerMatcher {
    /// English: the lower-case phrases on word boundaries of the lower-cased text.
    Phrases {
        automaton: AhoCorasick,
        /// What each pattern of the automaton stands for.
        kinds: Vec<PatternKind>,
    },
    /// Inflected languages: phrases as sequences of word stems, indexed by their first stem.
    Stems {
        stemmer: Stemmer,
        by_first: HashMap<String, Vec<(Vec<String>, PatternKind)>>,
    },
}

impl TriggerMatcher {
    /// A stem matcher for `phrases` (lower-case), each split into words and stemmed.
    pub(crate) fn stems(stemmer: Stemmer, phrases: &[(String, PatternKind)]) -> TriggerMatcher {
        let mut by_first: HashMap<String, Vec<(Vec<String>, PatternKind)>> = HashMap::new();
        for (phrase, kind) in phrases {
            let chars: Vec<char> = phrase.chars().collect();
            let stems: Vec<String> = text::tokenize(&chars)
                .iter()
                .map(|t| stemmer.stem(&t.lower))
                .collect();
            if let Some(first) = stems.first() {
                by_first
                    .entry(first.clone())
                    .or_default()
                    .push((stems, *kind));
            }
        }
        TriggerMatcher::Stems { stemmer, by_first }
    }

    /// Every match as (start, end, kind), in character offsets, overlapping ones included.
    fn find_all(&self, doc: &Doc) -> Vec<(usize, usize, PatternKind)> {
        let mut found = Vec::new();
        match self {
            TriggerMatcher::Phrases { automaton, kinds } => {
                // Lower-case character by character so character offsets stay aligned with the original.
                let lower: String = doc
                    .chars
                    .iter()
                    .map(|c| c.to_lowercase().next().unwrap_or(*c))
                    .collect();
                let index = CharIndex::new(&lower);
                for m in automaton.find_overlapping_iter(&lower) {
                    let (start, end) = (index.char(m.start()), index.char(m.end()));
                    let before_ok =
                        start == 0 || !doc.chars.get(start - 1).is_some_and(|&c| is_word_char(c));
                    let after_ok = !doc.chars.get(end).is_some_and(|&c| is_word_char(c));
                    if before_ok && after_ok {
                        if let Some(kind) = kinds.get(m.pattern().as_usize()) {
                            found.push((start, end, *kind));
                        }
                    }
                }
            }
            TriggerMatcher::Stems { stemmer, by_first } => {
                let stems: Vec<String> =
                    doc.tokens.iter().map(|t| stemmer.stem(&t.lower)).collect();
                for (i, stem) in stems.iter().enumerate() {
                    for (phrase, kind) in by_first.get(stem).into_iter().flatten() {
                        let end = i + phrase.len();
                        if end <= stems.len() && stems[i..end] == phrase[..] {
                            found.push((doc.tokens[i].start, doc.tokens[end - 1].end, *kind));
                        }
                    }
                }
            }
        }
        found
    }
}

impl Language {
    pub(crate) fn find_triggers(&self, doc: &Doc) -> Vec<TriggerHit> {
        let mut found = self.triggers.find_all(doc);
        // Leftmost-longest, non-overlapping: a blocker or a longer phrase swallows what it contains.
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut hits = Vec::new();
        let mut covered_to = 0;
        for (start, end, kind) in found {
            if start < covered_to {
                continue;
            }
            covered_to = end;
            if let PatternKind::Trigger(type_index) = kind {
                let first_token = doc.token_at_or_after(start);
                let sentence = doc.sentence_of_token(first_token);
                hits.push(TriggerHit {
                    type_index,
                    start,
                    end,
                    first_token,
                    sentence,
                });
            }
        }
        // "who has filmed dozens of searches and court hearings": a trigger coordinated with one
        // that is not asserted is not asserted either.
        let mut kept = Vec::with_capacity(hits.len());
        let mut last_rejected: Option<&TriggerHit> = None;
        for h in &hits {
            let coordinated = last_rejected
                .is_some_and(|r| r.sentence == h.sentence && self.coordinated(doc, r, h, &[]));
            if !coordinated && self.asserted(doc, h) {
                kept.push(h.clone());
            } else {
                last_rejected = Some(h);
            }
        }
        let mut hits = kept;
        // "sentenced to 17 years and a fine of 700,000 roubles": the fine is part of the sentence.
        let type_id = |h: &TriggerHit| {
            TAXONOMY
                .types
                .get(h.type_index)
                .map_or("", |t| t.id.as_str())
        };
        // "upheld the verdict", "an appeal against the sentence": a trigger that is the object of the
        // trigger just before it reports no event of its own.
        let objects: BTreeSet<usize> = hits
            .windows(2)
            .filter(|w| {
                w[0].sentence == w[1].sentence
                    && w[1]
                        .first_token
                        .saturating_sub(doc.token_at_or_after(w[0].end))
                        <= OBJECT_WINDOW
                    && TAXONOMY
                        .types
                        .get(w[0].type_index)
                        .is_some_and(|t| t.governs.iter().any(|g| g == type_id(&w[1])))
            })
            .map(|w| w[1].start)
            .collect();
        hits.retain(|h| !objects.contains(&h.start));
        let sentencing: BTreeSet<usize> = hits
            .iter()
            .filter(|h| type_id(h) == "sentence")
            .map(|h| h.sentence)
            .collect();
        // "sentenced to five days of administrative arrest": the sentence is the administrative penalty.
        let administrative: BTreeSet<usize> = sentencing
            .iter()
            .copied()
            .filter(|&si| {
                hits.iter()
                    .any(|h| h.sentence == si && type_id(h) == "administrative_penalty")
                    && doc.sentences.get(si).is_some_and(|s| {
                        let text = doc.sentence_text(s);
                        self.details.term(&text).is_none()
                            && (self.details.days(&text).is_some() || {
                                let lower = text.to_lowercase();
                                self.administrative_words
                                    .iter()
                                    .any(|w| lower.contains(w.as_str()))
                            })
                    })
            })
            .collect();
        // "суд арестовал его на 10 суток": an arrest counted in days of administrative arrest is the
        // administrative penalty, not a measure of restraint.
        let arrest_in_days: BTreeSet<usize> = hits
            .iter()
            .filter(|h| type_id(h) == "administrative_penalty")
            .map(|h| h.sentence)
            .filter(|&si| {
                doc.sentences
                    .get(si)
                    .is_some_and(|s| self.details.days(&doc.sentence_text(s)).is_some())
            })
            .collect();
        hits.retain(|h| match type_id(h) {
            "administrative_penalty" => {
                !sentencing.contains(&h.sentence) || administrative.contains(&h.sentence)
            }
            "sentence" => !administrative.contains(&h.sentence),
            "arrest_custody" => !arrest_in_days.contains(&h.sentence),
            _ => true,
        });
        hits
    }

    /// False when the words before the trigger deny it, make it only possible, or intend it.
    pub(crate) fn asserted(&self, doc: &Doc, hit: &TriggerHit) -> bool {
        let Some(s) = doc.sentences.get(hit.sentence) else {
            return false;
        };
        let Some(def) = TAXONOMY.types.get(hit.type_index) else {
            return false;
        };
        let mut window: Vec<&str> = Vec::new();
        let mut i = hit.first_token;
        let reach = self.negation_window.max(self.modality_window);
        while i > s.first_token && window.len() < reach {
            i -= 1;
            let t = &doc.tokens[i];
            if !t.is_word || self.clause_breaks.contains(&t.lower) {
                break;
            }
            // "in May 2023 sentenced": the month, not the modal verb.
            let month = self.months.contains_key(&t.lower)
                && ((t.capitalised && i > s.first_token)
                    || doc
                        .tokens
                        .get(i + 1)
                        .is_some_and(|n| n.lower.chars().all(|c| c.is_ascii_digit())));
            window.push(if month { "" } else { t.lower.as_str() });
        }
        window.reverse();
        if !def.attempt_counts && window.last().is_some_and(|w| self.infinitive.contains(*w)) {
            return false;
        }
        // "before the trial", "ahead of the exchange": the event only dates something else.
        // Read on the tokens themselves: "before" also ends the look-back window above.
        let preceding: Vec<&str> = doc.tokens
            [hit.first_token.saturating_sub(3).max(s.first_token)..hit.first_token]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        if self.time_references.iter().any(|p| {
            preceding.len() >= p.len()
                && preceding[preceding.len() - p.len()..]
                    .iter()
                    .zip(p)
                    .all(|(a, b)| *a == b.as_str())
        }) {
            return false;
        }
        if self.requested(doc, s, hit) {
            return false;
        }
        let tail = |n: usize| &window[window.len().saturating_sub(n)..];
        let negated = self
            .negation
            .iter()
            .any(|p| contains_seq(tail(self.negation_window), p));
        let modal = self
            .modality
            .iter()
            .any(|p| contains_seq(tail(self.modality_window), p));
        !(negated || modal)
    }

    /// True when a request cue stands before the trigger in its sentence with no break word between.
    fn requested(&self, doc: &Doc, s: &Sentence, hit: &TriggerHit) -> bool {
        if self.request.is_empty() {
            return false;
        }
        let before: Vec<&str> = doc.tokens[s.first_token..hit.first_token.max(s.first_token)]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        let from = before
            .iter()
            .rposition(|w| self.request_breaks.contains(*w))
            .map_or(0, |i| i + 1);
        self.request
            .iter()
            .any(|p| contains_seq(&before[from..], p))
    }

    /// True when token `t` and the trigger stand in one clause with no comma between them ("the six
    /// were detained in 2016 and convicted in 2019").
    pub(crate) fn same_phrase(&self, doc: &Doc, s: &Sentence, t: usize, hit: &TriggerHit) -> bool {
        let (from, to) = if t <= hit.first_token {
            (t, hit.first_token)
        } else {
            (hit.first_token, t)
        };
        let seg = self.segments(doc, s);
        let seg_of = |i: usize| seg.get(i.saturating_sub(s.first_token)).copied();
        seg_of(from) == seg_of(to)
            && doc
                .tokens
                .get(from..to)
                .is_some_and(|between| between.iter().all(|x| x.lower != "," && x.lower != ";"))
    }

    /// True when date `d` stands after the trigger behind a word that opens its object ("charged with
    /// organising riots on 26 February").
    pub(crate) fn inside_object(&self, doc: &Doc, hit: &TriggerHit, d: &DateMention) -> bool {
        if d.start < hit.end {
            return false;
        }
        let from = doc.token_at_or_after(hit.end);
        let to = doc.token_at_or_after(d.start);
        doc.tokens
            .get(from..to)
            .unwrap_or(&[])
            .iter()
            .any(|t| self.object_openers.contains(&t.lower))
    }

    /// True when two triggers are coordinated: only "and", commas and auxiliaries stand between them,
    /// besides the words of the date mentions given ("searched and detained on Monday and charged").
    pub(crate) fn coordinated(
        &self,
        doc: &Doc,
        first: &TriggerHit,
        next: &TriggerHit,
        dates: &[DateMention],
    ) -> bool {
        let from = doc.token_at_or_after(first.end);
        let between = doc.tokens.get(from..next.first_token).unwrap_or(&[]);
        let words: Vec<&Token> = between
            .iter()
            .filter(|t| !dates.iter().any(|d| d.start <= t.start && t.end <= d.end))
            .collect();
        words.iter().any(|t| self.conjunctions.contains(&t.lower))
            && words.len() <= 3
            && words
                .iter()
                .all(|t| self.coordination_words.contains(&t.lower))
    }

    /// True when the words between two triggers say the first happened during the second ("detained
    /// during the searches", "beaten in the course of the interrogation").
    pub(crate) fn during_next(&self, doc: &Doc, first: &TriggerHit, next: &TriggerHit) -> bool {
        let from = doc.token_at_or_after(first.end);
        let between: Vec<&str> = doc
            .tokens
            .get(from..next.first_token)
            .unwrap_or(&[])
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        between.len() <= 4 && self.simultaneous.iter().any(|p| contains_seq(&between, p))
    }

    /// Clause segments of sentence `si`: the segment number of each of its tokens. A segment starts at
    /// a clause word ("since", "after", "who", "that", …), so "the detention of A … since B was
    /// released" gives A to the detention and B to the release.
    ///
    /// A relative clause inside a list of names ends at the comma before the next name of the list
    /// ("includes A, who is blind, B, C and D"): the names after it are back in the clause of A.
    pub(crate) fn segments(&self, doc: &Doc, s: &Sentence) -> Vec<usize> {
        let mut seg = Vec::with_capacity(s.end_token - s.first_token);
        let mut current = 0;
        let mut last = 0;
        let mut outside_relative: Option<usize> = None;
        for i in s.first_token..s.end_token {
            let lower = &doc.tokens[i].lower;
            if i > s.first_token && self.segment_breaks.contains(lower) {
                outside_relative = self.relative_pronouns.contains(lower).then_some(current);
                last += 1;
                current = last;
            }
            seg.push(current);
            if lower == "," && self.list_goes_on(doc, s, i + 1) {
                if let Some(outer) = outside_relative.take() {
                    current = outer;
                }
            }
        }
        seg
    }

    /// True when a person's name starts at token `at` and is followed by a comma or "and": the next
    /// item of a list of names.
    fn list_goes_on(&self, doc: &Doc, s: &Sentence, at: usize) -> bool {
        doc.mentions
            .iter()
            .find(|m| m.first_token == at)
            .is_some_and(|m| {
                m.last_token + 1 < s.end_token
                    && doc
                        .tokens
                        .get(m.last_token + 1)
                        .is_some_and(|t| t.lower == "," || self.conjunctions.contains(&t.lower))
            })
    }
}
