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

pub mod data;
pub mod dates;
pub mod details;
pub mod merge;
pub mod status;
mod text;

use aho_corasick::{AhoCorasick, MatchKind};
use casebook_model::{
    Article, ArticleEvents, ArticlePeople, CaseMention, CharIndex, EntityKind, Event, Evidence,
    FuzzyDate, VictimGroup,
};
use data::{CUES, LEXICON, TAXONOMY};
use dates::{Anchor, DateMention};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use text::{Sentence, Token};

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

/// What a trigger pattern stands for.
#[derive(Debug, Clone, Copy)]
enum PatternKind {
    Trigger(usize),
    Blocker,
}

/// The last counted group of unnamed victims of the story, and the events it was given to.
struct RecentGroup {
    paragraph: usize,
    events: Vec<usize>,
    group: VictimGroup,
    /// People named as members of the group ("six men, among them A").
    named: Vec<usize>,
}

/// A trigger found in the text.
#[derive(Debug, Clone)]
struct TriggerHit {
    type_index: usize,
    start: usize,
    end: usize,
    first_token: usize,
    sentence: usize,
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Per-article working state shared by the steps of [`Extractor::extract`].
struct Doc<'a> {
    article: &'a Article,
    people: &'a ArticlePeople,
    chars: Vec<char>,
    tokens: Vec<Token>,
    sentences: Vec<Sentence>,
    /// Mentions sorted by start, with their sentence and first token.
    mentions: Vec<MentionInfo>,
    /// Persons whose descriptors make them officials or reporters rather than victims.
    official: Vec<bool>,
    /// Persons named at least once neither as an official nor as the one who reports.
    victim_like: BTreeSet<usize>,
}

#[derive(Debug, Clone)]
struct MentionInfo {
    person: usize,
    start: usize,
    end: usize,
    sentence: usize,
    first_token: usize,
    last_token: usize,
    /// Stands next to a non-victim role word ("lawyer Emil Kurbedinov").
    role: Option<String>,
    /// The one who reports ("Chubarov said", "according to Polozov").
    speaker: bool,
}

impl Doc<'_> {
    fn sentence_text(&self, s: &Sentence) -> String {
        self.chars[s.start..s.end].iter().collect()
    }

    fn token_at_or_after(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.end <= offset)
    }

    fn sentence_of_token(&self, token: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end_token <= token)
            .min(self.sentences.len().saturating_sub(1))
    }

    fn acceptable_victim(&self, m: &MentionInfo) -> bool {
        !self.official.get(m.person).copied().unwrap_or(false) && m.role.is_none()
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

    fn prepare<'a>(&self, article: &'a Article, people: &'a ArticlePeople) -> Doc<'a> {
        let text = article.text();
        let chars: Vec<char> = text.chars().collect();
        let tokens = text::tokenize(&chars);
        let mut paragraph_starts = Vec::with_capacity(article.paragraphs.len());
        let mut at = 0;
        for p in &article.paragraphs {
            paragraph_starts.push(at);
            at += p.chars().count() + casebook_model::PARAGRAPH_SEPARATOR.chars().count();
        }
        if paragraph_starts.is_empty() {
            paragraph_starts.push(0);
        }
        let sentences = text::sentences(&tokens, &paragraph_starts);
        let official = people
            .persons
            .iter()
            .map(|p| {
                p.descriptors.iter().any(|d| {
                    let words = text_words(d);
                    // The role is the head of the descriptor ("defence lawyer"), not a word of a
                    // complement ("son of a lawyer").
                    let head: Vec<&String> = words.iter().take_while(|w| *w != "of").collect();
                    let lower = d.to_lowercase();
                    head.iter()
                        .any(|w| self.non_victim_roles.contains(w.as_str()))
                        && !self
                            .role_exceptions
                            .iter()
                            .any(|p| lower.contains(&p.join(" ")))
                })
            })
            .collect();
        let mut doc = Doc {
            article,
            people,
            chars,
            tokens,
            sentences,
            mentions: Vec::new(),
            official,
            victim_like: BTreeSet::new(),
        };
        let mut mentions: Vec<MentionInfo> = people
            .mentions
            .iter()
            .filter(|m| {
                m.person < people.persons.len() && m.start < m.end && m.end <= doc.chars.len()
            })
            .map(|m| {
                let first_token = doc.token_at_or_after(m.start);
                let last_token = doc.token_at_or_after(m.end.saturating_sub(1));
                MentionInfo {
                    person: m.person,
                    start: m.start,
                    end: m.end,
                    sentence: doc.sentence_of_token(first_token),
                    first_token,
                    last_token,
                    role: None,
                    speaker: false,
                }
            })
            .collect();
        mentions.sort_by_key(|m| m.start);
        for m in &mut mentions {
            m.speaker = self.is_speaker(&doc, m);
            m.role = self
                .local_role(&doc, m)
                .or_else(|| self.speaking_relative(&doc, m));
        }
        doc.mentions = mentions;
        doc
    }

    /// A non-victim role word right before the mention ("lawyer Emil Kurbedinov", "his lawyer,
    /// Kurbedinov") or in an apposition right after it ("Kurbedinov, a lawyer,").
    fn local_role(&self, doc: &Doc, m: &MentionInfo) -> Option<String> {
        let s = doc.sentences.get(m.sentence)?;
        let before = &doc.tokens[s.first_token.min(m.first_token)..m.first_token];
        if let Some(prev) = before.last() {
            // "the lawyer of X" makes X the client, not the lawyer.
            if !matches!(prev.lower.as_str(), "of" | "for" | "to") {
                for t in before.iter().rev().take(3) {
                    let other_name = doc
                        .people
                        .mentions
                        .iter()
                        .any(|o| o.start <= t.start && t.start < o.end);
                    if (!t.is_word && t.lower != ",") || other_name {
                        break;
                    }
                    if self.non_victim_roles.contains(&t.lower)
                        && !self.role_exception_ends_at(doc, t)
                    {
                        return Some(t.lower.clone());
                    }
                }
            }
        }
        let after = doc
            .tokens
            .get(m.last_token + 1..s.end_token.max(m.last_token + 1))
            .unwrap_or(&[]);
        if after.first().is_some_and(|t| t.lower == ",") {
            for t in after.iter().skip(1).take(4) {
                if !t.is_word {
                    break;
                }
                if t.lower == "of" {
                    break;
                }
                if self.non_victim_roles.contains(&t.lower) && !self.role_exception_ends_at(doc, t)
                {
                    return Some(t.lower.clone());
                }
            }
        }
        None
    }

    /// "His wife Dilara Murtazaeva told reporters …": a relative who speaks reports the event.
    fn speaking_relative(&self, doc: &Doc, m: &MentionInfo) -> Option<String> {
        if !m.speaker {
            return None;
        }
        let s = doc.sentences.get(m.sentence)?;
        let from = m.first_token.saturating_sub(3).max(s.first_token);
        doc.tokens[from..m.first_token]
            .iter()
            .find(|t| self.relations.contains(&t.lower))
            .map(|t| t.lower.clone())
    }

    /// True when the role word `t` ends a phrase that names no official ("human rights defender").
    fn role_exception_ends_at(&self, doc: &Doc, t: &Token) -> bool {
        let end = doc.token_at_or_after(t.start) + 1;
        self.role_exceptions.iter().any(|p| {
            end >= p.len()
                && doc.tokens[end - p.len()..end]
                    .iter()
                    .zip(p)
                    .all(|(a, b)| a.lower == *b)
        })
    }

    fn is_speaker(&self, doc: &Doc, m: &MentionInfo) -> bool {
        let Some(s) = doc.sentences.get(m.sentence) else {
            return false;
        };
        let next = doc.tokens.get(m.last_token + 1);
        if next.is_some_and(|t| t.lower == "’s" || t.lower == "'s") {
            return false;
        }
        // "… said Dzhemilev", "commented Refat Chubarov".
        if m.first_token > s.first_token
            && doc
                .tokens
                .get(m.first_token - 1)
                .is_some_and(|t| self.speech_verbs.contains(&t.lower))
        {
            return true;
        }
        // "… said the head of the Mejlis Refat Chubarov, who …": the name closes the reporting clause.
        let closes = doc.tokens.get(m.last_token + 1).is_none_or(|t| !t.is_word);
        if closes {
            let from = m.first_token.saturating_sub(7).max(s.first_token);
            for t in doc.tokens[from..m.first_token].iter().rev() {
                if !t.is_word
                    || doc
                        .people
                        .mentions
                        .iter()
                        .any(|o| o.start <= t.start && t.start < o.end)
                {
                    break;
                }
                if self.speech_verbs.contains(&t.lower) {
                    return true;
                }
            }
        }
        // "according to (lawyer) X".
        let from = m.first_token.saturating_sub(4).max(s.first_token);
        let window: Vec<&str> = doc.tokens[from..m.first_token]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        if self
            .speaker_prefixes
            .iter()
            .any(|p| contains_seq(&window, p))
        {
            return true;
        }
        // "X said", "X also said", "X, head of the Mejlis, said": a speech verb right after the name or
        // right after an apposition between commas.
        let after: Vec<&Token> = doc
            .tokens
            .iter()
            .take(s.end_token)
            .skip(m.last_token + 1)
            .collect();
        if after
            .iter()
            .take(2)
            .any(|t| self.speech_verbs.contains(&t.lower))
        {
            return true;
        }
        if after.first().is_some_and(|t| t.lower == ",") {
            if let Some(close) = after.iter().skip(1).take(9).position(|t| t.lower == ",") {
                return after
                    .get(close + 2)
                    .is_some_and(|t| self.speech_verbs.contains(&t.lower));
            }
        }
        false
    }

    fn find_triggers(&self, doc: &Doc) -> Vec<TriggerHit> {
        // Lower-case character by character so character offsets stay aligned with the original.
        let lower: String = doc
            .chars
            .iter()
            .map(|c| c.to_lowercase().next().unwrap_or(*c))
            .collect();
        let index = CharIndex::new(&lower);
        let mut found: Vec<(usize, usize, PatternKind)> = Vec::new();
        for m in self.triggers.find_overlapping_iter(&lower) {
            let (start, end) = (index.char(m.start()), index.char(m.end()));
            let before_ok =
                start == 0 || !doc.chars.get(start - 1).is_some_and(|&c| is_word_char(c));
            let after_ok = !doc.chars.get(end).is_some_and(|&c| is_word_char(c));
            if before_ok && after_ok {
                if let Some(kind) = self.pattern_kinds.get(m.pattern().as_usize()) {
                    found.push((start, end, *kind));
                }
            }
        }
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
                        details::term(&text).is_none()
                            && (details::days(&text).is_some()
                                || text.to_lowercase().contains("administrative"))
                    })
            })
            .collect();
        hits.retain(|h| match type_id(h) {
            "administrative_penalty" => {
                !sentencing.contains(&h.sentence) || administrative.contains(&h.sentence)
            }
            "sentence" => !administrative.contains(&h.sentence),
            _ => true,
        });
        hits
    }

    /// False when the words before the trigger deny it, make it only possible, or intend it.
    fn asserted(&self, doc: &Doc, hit: &TriggerHit) -> bool {
        let Some(s) = doc.sentences.get(hit.sentence) else {
            return false;
        };
        let Some(def) = TAXONOMY.types.get(hit.type_index) else {
            return false;
        };
        let mut window: Vec<&str> = Vec::new();
        let mut i = hit.first_token;
        let reach = CUES.negation_window.max(CUES.modality_window);
        while i > s.first_token && window.len() < reach {
            i -= 1;
            let t = &doc.tokens[i];
            if !t.is_word || self.clause_breaks.contains(&t.lower) {
                break;
            }
            // "in May 2023 sentenced": the month, not the modal verb.
            let month = LEXICON.months.contains_key(&t.lower)
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
        let tail = |n: usize| &window[window.len().saturating_sub(n)..];
        let negated = self
            .negation
            .iter()
            .any(|p| contains_seq(tail(CUES.negation_window), p));
        let modal = self
            .modality
            .iter()
            .any(|p| contains_seq(tail(CUES.modality_window), p));
        !(negated || modal)
    }

    /// The events of the article, each with whether its date stands in its own sentence.
    fn build_events(&self, doc: &Doc, hits: &[TriggerHit]) -> Vec<(Event, bool)> {
        let published = doc
            .article
            .published
            .as_ref()
            .and_then(|p| dates::parse_published(&p.value));
        let mut last_mentioned: Option<FuzzyDate> = None;
        // The date the narrative is at, and the paragraph that gave it: a sentence without a date of
        // its own ("Before that, officers searched his house") continues the story of the sentences
        // before it, within the same or the next paragraph.
        let mut narrative: Option<(FuzzyDate, usize)> = None;
        let mut events: Vec<(Event, bool)> = Vec::new();
        let mut recent_group: Option<RecentGroup> = None;
        let mut h = 0;
        for (si, s) in doc.sentences.iter().enumerate() {
            let sentence_text = doc.sentence_text(s);
            let anchor = Anchor {
                published,
                last_mentioned,
            };
            let mut date_mentions: Vec<DateMention> = dates::find(&sentence_text, s.start, &anchor);
            // A report cannot date an event after its own publication ("until 2027" is a bound).
            date_mentions.retain(|d| {
                d.bound
                    || published.is_none_or(|p| {
                        d.date.year < p.year
                            || (d.date.year == p.year
                                && (d.date.month, d.date.day)
                                    <= (p.month.or(d.date.month), p.day.or(d.date.day)))
                    })
            });
            // "the 26 February case" names a case, not a date of this sentence's events.
            date_mentions.retain(|d| {
                let rest: String = doc.chars[d.end.min(doc.chars.len())..]
                    .iter()
                    .take(7)
                    .collect();
                !(rest.starts_with(" case") || rest.starts_with(" group"))
            });
            let inherited = narrative
                .filter(|&(_, p)| p + 1 >= s.paragraph)
                .map(|(d, _)| d);
            if let Some(d) = date_mentions
                .iter()
                .filter(|d| !d.bound)
                .max_by_key(|d| d.start)
            {
                last_mentioned = Some(d.date);
                narrative = Some((d.date, s.paragraph));
            }
            let start_h = h;
            while h < hits.len() && hits[h].sentence == si {
                h += 1;
            }
            let sentence_hits = &hits[start_h..h];
            if sentence_hits.is_empty() {
                continue;
            }
            let mut per_trigger = self.victims_per_trigger(doc, si, sentence_hits);
            let (mut group, group_token) = match self.victim_group(doc, s) {
                Some((g, t)) => (Some(g), Some(t)),
                None => (None, None),
            };
            // The group is the victims of the trigger nearest to it ("as part of the exchange of 95
            // prisoners, Russia released A": the 95 were exchanged, not all released).
            let group_trigger = group_token.and_then(|t| {
                (0..sentence_hits.len()).min_by_key(|&k| sentence_hits[k].first_token.abs_diff(t))
            });
            let named = per_trigger.iter().map(Vec::len).max().unwrap_or(0);
            match group.as_ref().and_then(|g| g.count) {
                // "Four men were detained: A, B, C and D": the group is the people named.
                Some(n) if named >= n as usize => group = None,
                // "four Crimean Tatars" after a sentence naming four people, or in an article about
                // exactly four people: those four.
                Some(n) if named == 0 => {
                    if let Some(people) = group.as_ref().and_then(|g| self.named_group(doc, si, g))
                    {
                        for v in &mut per_trigger {
                            *v = people.clone();
                        }
                        group = None;
                    } else if let Some(r) = recent_group
                        .as_ref()
                        .filter(|r| r.group.count == Some(n) && !r.named.is_empty())
                    {
                        // "six Crimean Tatars, among them A … The six were detained": A was too.
                        for v in &mut per_trigger {
                            *v = r.named.clone();
                        }
                    }
                }
                _ => {}
            }
            // "… detained 11 people. All of them were released": a plural reference with no one named
            // before it continues the last counted group of the story.
            let continued_group = named == 0
                && group.is_none()
                && per_trigger.iter().all(Vec::is_empty)
                && self.has_plural_reference(doc, s, sentence_hits);
            if continued_group {
                group = recent_group
                    .as_ref()
                    .filter(|r| r.paragraph + 1 >= s.paragraph)
                    .map(|r| r.group.clone());
            }
            // "sentenced two of them, A and B": A and B were among the group of the events before.
            if let (Some(n), Some(r)) = (self.partitive_count(doc, s), recent_group.as_mut()) {
                let named_here: BTreeSet<usize> = per_trigger.iter().flatten().copied().collect();
                if r.paragraph + 1 >= s.paragraph && named_here.len() == n as usize {
                    // The named ones become an event of their own; the group keeps the others.
                    let mut named_events = Vec::new();
                    for &i in &r.events {
                        if let Some((e, own)) = events.get_mut(i) {
                            let mut named_event = e.clone();
                            named_event.victims = named_here.iter().copied().collect();
                            named_event.victim_group = None;
                            named_events.push((named_event, *own));
                            e.victim_group = e.victim_group.take().and_then(|mut g| {
                                let left = g.count?.checked_sub(n).filter(|c| *c > 0)?;
                                g.count = Some(left);
                                Some(g)
                            });
                        }
                    }
                    events.extend(named_events);
                    r.events.clear();
                }
            }
            // "The transfer took place last Friday": a definite trigger with no one named refers to
            // the event of that type the article already told, and dates it.
            // "During the search, officers seized his camera": the same holds when the victims are
            // those of the event told before.
            let mut referenced: Vec<Option<Option<FuzzyDate>>> = vec![None; sentence_hits.len()];
            if group.is_none() {
                for (k, hit) in sentence_hits.iter().enumerate() {
                    // The determiner stands before the trigger or opens it ("the search").
                    let definite = [hit.first_token.checked_sub(1), Some(hit.first_token)]
                        .into_iter()
                        .flatten()
                        .filter(|&i| i >= s.first_token)
                        .filter_map(|i| doc.tokens.get(i))
                        .any(|t| self.definite_determiners.contains(&t.lower));
                    let Some(v) = per_trigger.get_mut(k) else {
                        continue;
                    };
                    let same_type = |e: &Event| {
                        !e.victims.is_empty()
                            && TAXONOMY
                                .types
                                .get(hit.type_index)
                                .is_some_and(|t| t.id == e.event_type)
                    };
                    // The event of that type told before about the same people; else, for its date
                    // only, the last one told ("the date of the verdict").
                    let earlier = events
                        .iter()
                        .rev()
                        .find(|(e, _)| {
                            same_type(e)
                                && (v.is_empty() || v.iter().any(|p| e.victims.contains(p)))
                        })
                        .or_else(|| {
                            events
                                .iter()
                                .rev()
                                .find(|(e, _)| same_type(e) && !v.is_empty())
                        });
                    if let (true, Some((e, _))) = (definite, earlier) {
                        if v.is_empty() {
                            *v = e.victims.clone();
                        }
                        if let Some(r) = referenced.get_mut(k) {
                            *r = Some(e.date);
                        }
                    }
                }
            }
            if named == 0 && group.is_none() && per_trigger.iter().all(Vec::is_empty) {
                continue;
            }
            let first_event = events.len();
            let lower_sentence = sentence_text.to_lowercase();
            let claimed_by = self
                .attribution
                .find_iter(&lower_sentence)
                .next()
                .and_then(|m| CUES.attribution.get(m.pattern().as_usize()))
                .map(|a| a.party.clone());
            let perpetrators = self.perpetrators(doc, s, &sentence_text);
            let event_dates: Vec<&DateMention> =
                date_mentions.iter().filter(|d| !d.bound).collect();
            let seg = self.segments(doc, s);
            let seg_at = |offset: usize| {
                let t = doc.token_at_or_after(offset);
                seg.get(t.saturating_sub(s.first_token))
                    .copied()
                    .unwrap_or(0)
            };
            // Named victims and, when the text counts more, the unnamed rest as a group of its own.
            let jobs = sentence_hits.iter().enumerate().flat_map(|(k, hit)| {
                let named = per_trigger.get(k).cloned().unwrap_or_default();
                let mut v = Vec::new();
                if !named.is_empty() {
                    v.push((k, hit, named, None));
                }
                let with_group = continued_group
                    || group_trigger.is_none_or(|g| {
                        g == k || group_token.is_some_and(|t| self.same_phrase(doc, s, t, hit))
                    });
                if group.is_some() && with_group {
                    v.push((k, hit, Vec::new(), group.clone()));
                }
                v
            });
            let mut own_dates: Vec<Option<FuzzyDate>> = sentence_hits
                .iter()
                .enumerate()
                .map(|(k, hit)| {
                    // "accused of sabotage in August": a date inside the charge's object dates the
                    // alleged act, not the charge, and the charge does not compete for it.
                    let eligible = |h: &TriggerHit, d: &DateMention| {
                        TAXONOMY
                            .types
                            .get(h.type_index)
                            .is_none_or(|t| t.dates_in_object)
                            || !self.inside_object(doc, h, d)
                    };
                    let dates: Vec<&DateMention> = event_dates
                        .iter()
                        .copied()
                        .filter(|d| eligible(hit, d))
                        .collect();
                    let date = date_for(hit, k, sentence_hits, &dates, &seg_at, &eligible);
                    // A charge or ill-treatment told beside the sentence's main event ("began hearing
                    // the case of four men accused of …") takes only a date of its own.
                    // "whom a court had sentenced to eight years": the pluperfect tells an earlier
                    // event than the one the sentence is dated by.
                    let earlier_tense = doc.tokens
                        [hit.first_token.saturating_sub(3).max(s.first_token)..hit.first_token]
                        .iter()
                        .any(|t| self.earlier_tense.contains(&t.lower));
                    let shares = !earlier_tense
                        && TAXONOMY
                            .types
                            .get(hit.type_index)
                            .is_none_or(|t| t.inherits_date);
                    date.filter(|(_, own)| *own || shares).map(|(d, _)| d)
                })
                .collect();
            // "detained during the searches on February 14": an event told as happening during the
            // next one shares its date.
            // "The Court of Appeal on Thursday rejected the appeals": one event, one date.
            for k in 0..own_dates.len() {
                if own_dates[k].is_none() {
                    own_dates[k] = (0..own_dates.len())
                        .filter(|&j| sentence_hits[j].type_index == sentence_hits[k].type_index)
                        .find_map(|j| own_dates[j]);
                }
            }
            // "was searched and detained on Monday": coordinated events share the date.
            for k in 0..own_dates.len().saturating_sub(1) {
                if self.coordinated(
                    doc,
                    &sentence_hits[k],
                    &sentence_hits[k + 1],
                    &date_mentions,
                ) {
                    match (own_dates[k], own_dates[k + 1]) {
                        (None, next) => own_dates[k] = next,
                        (first, None) => own_dates[k + 1] = first,
                        _ => {}
                    }
                }
            }
            for k in (0..own_dates.len().saturating_sub(1)).rev() {
                if self.during_next(doc, &sentence_hits[k], &sentence_hits[k + 1]) {
                    match (own_dates[k], own_dates[k + 1]) {
                        (None, next) => own_dates[k] = next,
                        // "detained in March 2019 during mass searches": the searches too.
                        (first, None) => own_dates[k + 1] = first,
                        _ => {}
                    }
                }
            }
            for (k, hit, victims, group) in jobs.collect::<Vec<_>>() {
                let victims = &victims;
                let Some(def) = TAXONOMY.types.get(hit.type_index) else {
                    continue;
                };
                let own_date = own_dates.get(k).copied().flatten();
                // A sentence that gives dates of its own is set at its own time: an event in it
                // without one of them does not take the story's earlier date.
                let date = own_date
                    .or(referenced.get(k).copied().flatten().flatten())
                    .or(inherited.filter(|_| {
                        def.inherits_date
                            && event_dates.is_empty()
                            && referenced.get(k).is_none_or(|r| r.is_none())
                    }));
                let mut details = BTreeMap::new();
                let tail: String = doc.chars[hit.start..s.end].iter().collect();
                self.fill_details(
                    def.id.as_str(),
                    &sentence_text,
                    &tail,
                    &date_mentions,
                    &mut details,
                );
                let (place, destination) = places(doc, s, hit);
                if def.id == "transfer" {
                    if let Some(d) = destination.or_else(|| capitalised_after_to(doc, hit, s)) {
                        details.insert("destination".into(), d);
                    }
                }
                let own = own_date.is_some();
                events.push((
                    Event {
                        event_type: def.id.clone(),
                        victims: victims.clone(),
                        victim_group: group.clone(),
                        perpetrators: perpetrators.clone(),
                        date,
                        place,
                        details,
                        claimed_by: claimed_by.clone(),
                        evidence: Evidence {
                            article: doc.article.id.clone(),
                            text: sentence_text.clone(),
                            start: s.start,
                            end: s.end,
                        },
                    },
                    own,
                ));
            }
            if let Some(g) = group.as_ref().filter(|g| g.count.is_some()) {
                let added = first_event..events.len();
                match recent_group.as_mut() {
                    Some(r) if continued_group => r.events.extend(added),
                    _ => {
                        let named: BTreeSet<usize> = events[added.clone()]
                            .iter()
                            .flat_map(|(e, _)| e.victims.iter().copied())
                            .collect();
                        recent_group = Some(RecentGroup {
                            paragraph: s.paragraph,
                            events: added.collect(),
                            group: g.clone(),
                            named: named.into_iter().collect(),
                        })
                    }
                }
            }
        }
        events
    }

    /// True when token `t` and the trigger stand in one clause with no comma between them ("the six
    /// were detained in 2016 and convicted in 2019").
    fn same_phrase(&self, doc: &Doc, s: &Sentence, t: usize, hit: &TriggerHit) -> bool {
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

    /// True when a clause of the sentence with a trigger refers to several people with a plural
    /// pronoun ("they", "all of them").
    fn has_plural_reference(&self, doc: &Doc, s: &Sentence, hits: &[TriggerHit]) -> bool {
        let words: Vec<&str> = doc.tokens[s.first_token..s.end_token]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        let seg = self.segments(doc, s);
        let trigger_segs: BTreeSet<usize> = hits
            .iter()
            .filter_map(|h| {
                seg.get(h.first_token.saturating_sub(s.first_token))
                    .copied()
            })
            .collect();
        (0..words.len()).any(|i| {
            seg.get(i).is_some_and(|g| trigger_segs.contains(g))
                && self
                    .plural_anaphors
                    .iter()
                    .any(|p| starts_with_seq(&words[i..], p))
        })
    }

    /// The count of a partitive "two of them" in the sentence.
    fn partitive_count(&self, doc: &Doc, s: &Sentence) -> Option<u32> {
        let words: Vec<&str> = doc.tokens[s.first_token..s.end_token]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        words.windows(3).find_map(|w| match w {
            [n, "of", "them" | "those" | "these"] => {
                number_value(n).filter(|&c| c > 1 || *n == "one")
            }
            _ => None,
        })
    }

    /// True when date `d` stands after the trigger behind a word that opens its object ("charged with
    /// organising riots on 26 February").
    fn inside_object(&self, doc: &Doc, hit: &TriggerHit, d: &DateMention) -> bool {
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
    fn coordinated(
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
        words.iter().any(|t| t.lower == "and")
            && words.len() <= 3
            && words
                .iter()
                .all(|t| self.coordination_words.contains(&t.lower))
    }

    /// True when the words between two triggers say the first happened during the second ("detained
    /// during the searches", "beaten in the course of the interrogation").
    fn during_next(&self, doc: &Doc, first: &TriggerHit, next: &TriggerHit) -> bool {
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
    fn segments(&self, doc: &Doc, s: &Sentence) -> Vec<usize> {
        let mut seg = Vec::with_capacity(s.end_token - s.first_token);
        let mut current = 0;
        for i in s.first_token..s.end_token {
            if i > s.first_token && self.segment_breaks.contains(&doc.tokens[i].lower) {
                current += 1;
            }
            seg.push(current);
        }
        seg
    }

    /// The named victims of each trigger of sentence `si`: the people of the trigger's clause who are
    /// neither officials nor the ones reporting (a "who" clause includes the people it follows); else
    /// the people of clauses without a trigger of their own; else whom a pronoun of the clause refers
    /// back to; else everyone fitting in the sentence.
    fn victims_per_trigger(&self, doc: &Doc, si: usize, hits: &[TriggerHit]) -> Vec<Vec<usize>> {
        let Some(s) = doc.sentences.get(si) else {
            return vec![Vec::new(); hits.len()];
        };
        let seg = self.segments(doc, s);
        let seg_of = |token: usize| {
            seg.get(token.saturating_sub(s.first_token))
                .copied()
                .unwrap_or(0)
        };
        let direct: Vec<(usize, usize)> = doc
            .mentions
            .iter()
            .filter(|m| m.sentence == si && doc.acceptable_victim(m) && !m.speaker)
            .map(|m| (m.person, seg_of(m.first_token)))
            .collect();
        let trigger_segs: BTreeSet<usize> = hits.iter().map(|h| seg_of(h.first_token)).collect();
        let free: BTreeSet<usize> = direct
            .iter()
            .filter(|(_, g)| !trigger_segs.contains(g))
            .map(|(p, _)| *p)
            .collect();
        let all: BTreeSet<usize> = direct.iter().map(|(p, _)| *p).collect();
        hits.iter()
            .map(|h| {
                let g = seg_of(h.first_token);
                let relative = (s.first_token..s.end_token)
                    .find(|&i| seg_of(i) == g)
                    .is_some_and(|i| matches!(doc.tokens[i].lower.as_str(), "who" | "whom"));
                // A "who" clause is about the person it follows ("… the prisoner A, who was
                // sentenced"), not about everyone named before it.
                let before: Vec<&MentionInfo> = doc
                    .mentions
                    .iter()
                    .filter(|m| {
                        relative
                            && m.sentence == si
                            && seg_of(m.first_token) + 1 == g
                            && m.first_token < h.first_token
                    })
                    .collect();
                // The last name before "who", with the names coordinated with it ("A and B, who").
                let mut antecedent: Vec<usize> = Vec::new();
                let mut next: Option<&MentionInfo> = None;
                for m in before.iter().rev() {
                    let joined = next.is_none_or(|n| {
                        doc.tokens
                            .get(m.last_token + 1..n.first_token)
                            .is_some_and(|between| {
                                between
                                    .iter()
                                    .all(|t| matches!(t.lower.as_str(), "," | "and"))
                            })
                    });
                    if !joined {
                        break;
                    }
                    if doc.acceptable_victim(m) && !m.speaker {
                        antecedent.push(m.person);
                    }
                    next = Some(m);
                }
                let own: BTreeSet<usize> = direct
                    .iter()
                    .filter(|(_, pg)| *pg == g)
                    .map(|(p, _)| *p)
                    .chain(antecedent)
                    .collect();
                if !own.is_empty() {
                    return own.into_iter().collect();
                }
                if !free.is_empty() {
                    return free.iter().copied().collect();
                }
                let referred = self.anaphor_victims(doc, si, h, Some((&seg, g)));
                if !referred.is_empty() {
                    return referred;
                }
                if !all.is_empty() {
                    return all.iter().copied().collect();
                }
                self.anaphor_victims(doc, si, h, None)
            })
            .collect()
    }

    /// Whom the pronoun or referring phrase nearest the trigger (within its clause when `clause` is
    /// given) refers back to.
    fn anaphor_victims(
        &self,
        doc: &Doc,
        si: usize,
        hit: &TriggerHit,
        clause: Option<(&[usize], usize)>,
    ) -> Vec<usize> {
        let Some(s) = doc.sentences.get(si) else {
            return Vec::new();
        };
        let anchor_token = hit.first_token;
        // The anaphor nearest the trigger; on a tie the one after it (the object of an active verb).
        let mut best: Option<(usize, usize, bool)> = None; // (distance, token, plural)
        for i in s.first_token..s.end_token {
            if let Some((seg, g)) = clause {
                if seg.get(i - s.first_token) != Some(&g) {
                    continue;
                }
            }
            let rest: Vec<&str> = doc.tokens[i..s.end_token]
                .iter()
                .take(4)
                .map(|t| t.lower.as_str())
                .collect();
            // "her husband", "his son": someone else than the one the possessive names.
            if matches!(rest.first(), Some(&("his" | "her" | "their")))
                && rest.get(1).is_some_and(|w| self.relations.contains(*w))
            {
                continue;
            }
            let plural = if self
                .plural_anaphors
                .iter()
                .any(|p| starts_with_seq(&rest, p))
            {
                Some(true)
            } else if self
                .singular_anaphors
                .iter()
                .any(|p| starts_with_seq(&rest, p))
            {
                Some(false)
            } else {
                None
            };
            if let Some(plural) = plural {
                let distance = i.abs_diff(anchor_token) * 2 + usize::from(i < anchor_token);
                if best.is_none_or(|b| distance < b.0) {
                    best = Some((distance, i, plural));
                }
            }
        }
        let Some((_, token, plural)) = best else {
            return Vec::new();
        };
        let offset = doc.tokens[token].start;
        let earliest_sentence = si.saturating_sub(4);
        let before: Vec<&MentionInfo> = doc
            .mentions
            .iter()
            .filter(|m| {
                m.start < offset
                    && m.sentence >= earliest_sentence
                    && doc.acceptable_victim(m)
                    && (m.sentence == si || !m.speaker)
            })
            .collect();
        if plural {
            // The latest sentence that names two or more fitting people.
            for sj in (earliest_sentence..=si).rev() {
                let persons: BTreeSet<usize> = before
                    .iter()
                    .filter(|m| m.sentence == sj)
                    .map(|m| m.person)
                    .collect();
                if persons.len() >= 2 {
                    return persons.into_iter().collect();
                }
            }
            Vec::new()
        } else {
            before.last().map(|m| vec![m.person]).unwrap_or_default()
        }
    }

    /// An unnamed, counted group in the sentence ("six Crimean Tatars", "at least 20 people").
    fn victim_group(&self, doc: &Doc, s: &Sentence) -> Option<(VictimGroup, usize)> {
        let tokens = &doc.tokens[s.first_token..s.end_token];
        let lowers: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
        for i in 0..tokens.len() {
            // "until April 13 four men": a day of a date is no count.
            let in_date = |j: Option<usize>| {
                j.and_then(|j| lowers.get(j))
                    .is_some_and(|w| LEXICON.months.contains_key(*w))
            };
            let count = match lowers[i] {
                "a" | "an" => None,
                _ if in_date(i.checked_sub(1)) || in_date(Some(i + 1)) => None,
                w => number_value(w),
            };
            let uncounted = self
                .uncounted_quantifiers
                .iter()
                .find(|p| starts_with_seq(&lowers[i..], p));
            let (count, after) = match (count, uncounted) {
                (Some(n), _) => (Some(n), i + 1),
                (None, Some(p)) => (None, i + p.len()),
                (None, None) => continue,
            };
            for skip in 0..=2 {
                let at = after + skip;
                if at > lowers.len() {
                    break;
                }
                if let Some(noun) = self
                    .group_nouns
                    .iter()
                    .filter(|p| starts_with_seq(&lowers[at..], p))
                    .max_by_key(|p| p.len())
                {
                    let mut from = i;
                    if let Some(q) = self.group_quantifiers.iter().find(|q| {
                        i >= q.len()
                            && lowers[i - q.len()..i]
                                == q.iter().map(String::as_str).collect::<Vec<_>>()[..]
                    }) {
                        from = i - q.len();
                    }
                    let last = (at + noun.len()).min(tokens.len()) - 1;
                    let description: String = doc.chars[tokens[from].start..tokens[last].end]
                        .iter()
                        .collect();
                    return Some((VictimGroup { count, description }, s.first_token + i));
                }
                // Only adjectives may stand between the number and the noun.
                if lowers
                    .get(at)
                    .is_none_or(|w| !tokens[at].is_word || number_value(w).is_some())
                {
                    break;
                }
            }
            // "All four are charged", "the two were released": a count standing for people named before.
            if count.is_some() && i > 0 && self.bare_count_leads.contains(lowers[i - 1]) {
                let next_fits = tokens
                    .get(i + 1)
                    .is_none_or(|t| !t.is_word || self.bare_count_follow.contains(&t.lower));
                if next_fits {
                    let description: String = doc.chars[tokens[i - 1].start..tokens[i].end]
                        .iter()
                        .collect();
                    return Some((VictimGroup { count, description }, s.first_token + i));
                }
            }
        }
        None
    }

    /// The people a counted group with no names of its own stands for: the latest earlier sentence that
    /// names exactly that many possible victims, or all the article's possible victims when they are
    /// that many. A group said to be other people ("two more men") stands for no one named.
    fn named_group(&self, doc: &Doc, si: usize, group: &VictimGroup) -> Option<Vec<usize>> {
        let n = group.count? as usize;
        let distinct = text_words(&group.description)
            .iter()
            .any(|w| self.distinct_group_words.contains(w));
        // "two residents were also taken away": others than those named before.
        let also = doc.sentences.get(si).is_some_and(|s| {
            let words: Vec<&str> = doc.tokens[s.first_token..s.end_token]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            let described = text_words(&group.description);
            words
                .windows(described.len().max(1))
                .position(|w| w.iter().zip(&described).all(|(a, b)| *a == b.as_str()))
                .is_some_and(|at| {
                    words
                        .iter()
                        .skip(at + described.len())
                        .take(5)
                        .any(|w| self.distinct_group_words.contains(*w))
                })
        });
        if distinct || also || n < 2 {
            return None;
        }
        for sj in (0..si).rev() {
            let persons: BTreeSet<usize> = doc
                .mentions
                .iter()
                .filter(|m| m.sentence == sj && doc.acceptable_victim(m) && !m.speaker)
                .map(|m| m.person)
                .collect();
            if persons.len() == n {
                return Some(persons.into_iter().collect());
            }
            if persons.len() > n {
                break;
            }
        }
        (doc.victim_like.len() == n).then(|| doc.victim_like.iter().copied().collect())
    }

    fn perpetrators(&self, doc: &Doc, s: &Sentence, sentence_text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let is_agency = |lower: &str| {
            !LEXICON
                .not_agencies
                .iter()
                .any(|n| lower.contains(n.as_str()))
                && LEXICON.agencies.iter().any(|a| lower.contains(a.as_str()))
        };
        for e in &doc.people.entities {
            if e.kind == EntityKind::Organization
                && e.start >= s.start
                && e.end <= s.end
                && is_agency(&e.text.to_lowercase())
            {
                covered.push((e.start, e.end));
                let name = if e.canonical.is_empty() {
                    e.text.clone()
                } else {
                    e.canonical.clone()
                };
                push_unique(&mut out, name);
            }
        }
        let lower = sentence_text.to_lowercase();
        let local = CharIndex::new(&lower);
        let original = CharIndex::new(sentence_text);
        for m in self.agencies.find_iter(&lower) {
            let (a, b) = (
                s.start + local.char(m.start()),
                s.start + local.char(m.end()),
            );
            let bounded = (a == 0 || !doc.chars.get(a - 1).is_some_and(|&c| c.is_alphanumeric()))
                && !doc.chars.get(b).is_some_and(|&c| c.is_alphanumeric());
            if !bounded || covered.iter().any(|&(x, y)| a < y && x < b) {
                continue;
            }
            // Widen "Court" to the capitalised name it ends ("Kyivskyi District Court").
            let mut start = a;
            let mut ti = doc.token_at_or_after(a);
            while ti > s.first_token + 1
                && doc.tokens[ti - 1].capitalised
                && doc.tokens[ti - 1].is_word
            {
                ti -= 1;
                start = doc.tokens[ti].start;
            }
            let surface = original
                .slice(sentence_text, start - s.start, b - s.start)
                .to_string();
            let context: String = lower
                .chars()
                .skip(start - s.start)
                .take(b - start + 20)
                .collect();
            if is_agency(&context.chars().take(b - start).collect::<String>())
                && !LEXICON
                    .not_agencies
                    .iter()
                    .any(|n| context.contains(n.as_str()))
            {
                push_unique(&mut out, surface);
            }
        }
        for m in doc
            .mentions
            .iter()
            .filter(|m| m.start >= s.start && m.end <= s.end)
        {
            let role = m.role.clone().or_else(|| {
                doc.people.persons.get(m.person).and_then(|p| {
                    p.descriptors.iter().find_map(|d| {
                        text_words(d)
                            .into_iter()
                            .find(|w| self.perpetrator_roles.contains(w))
                    })
                })
            });
            if let (Some(role), Some(person)) = (role, doc.people.persons.get(m.person)) {
                if self.perpetrator_roles.contains(&role) {
                    push_unique(&mut out, format!("{role} {}", person.name));
                }
            }
        }
        out
    }

    fn fill_details(
        &self,
        event_type: &str,
        sentence: &str,
        tail: &str,
        date_mentions: &[DateMention],
        details: &mut BTreeMap<String, String>,
    ) {
        match event_type {
            "charge" | "trial" | "sentence" | "appeal" | "arrest_custody" => {
                if let Some((article, part)) = details::article(sentence) {
                    details.insert("article".into(), article);
                    if let Some(part) = part {
                        details.insert("part".into(), part);
                    }
                }
            }
            _ => {}
        }
        match event_type {
            "sentence" => {
                if let Some(term) = details::term(tail).or_else(|| details::term(sentence)) {
                    details.insert("term".into(), term);
                }
                if let Some(regime) = details::regime(sentence) {
                    details.insert("regime".into(), regime.into());
                } else if let Some((amount, currency)) = details::money(sentence) {
                    details.insert("regime".into(), "fine".into());
                    details.insert("amount".into(), amount);
                    details.insert("currency".into(), currency);
                }
            }
            "administrative_penalty" => {
                if let Some((amount, currency)) = details::money(sentence) {
                    details.insert("amount".into(), amount);
                    details.insert("currency".into(), currency);
                }
                if let Some(days) = details::days(sentence) {
                    details.insert("days".into(), days);
                }
            }
            "arrest_custody" => {
                if let Some(m) = details::measure(sentence) {
                    details.insert("measure".into(), m.into());
                }
                if let Some(until) = date_mentions.iter().find(|d| d.bound) {
                    details.insert("until".into(), until.date.to_string());
                }
            }
            _ => {}
        }
    }

    fn find_cases(&self, doc: &Doc, events: &[Event]) -> Vec<CaseMention> {
        let mut cases: Vec<CaseMention> = Vec::new();
        let prosecuted = [
            "charge",
            "trial",
            "sentence",
            "arrest_custody",
            "appeal",
            "detention",
        ];
        for (si, s) in doc.sentences.iter().enumerate() {
            let text = doc.sentence_text(s);
            if !text.contains("case") && !text.contains("group") {
                continue;
            }
            for re in &self.case_patterns {
                for m in re.find_iter(&text) {
                    let name = m
                        .as_str()
                        .trim_start_matches("the ")
                        .trim_start_matches("The ")
                        .to_string();
                    let words = text_words(&name);
                    let content = words.iter().filter(|w| {
                        !self.case_stop_words.contains(*w)
                            && !matches!(w.as_str(), "case" | "group" | "of" | "so-called")
                            && !w.ends_with("th")
                            && !matches!(w.as_str(), "first" | "second" | "third")
                    });
                    if content.count() == 0 {
                        continue;
                    }
                    let mut defendants: BTreeSet<usize> = doc
                        .mentions
                        .iter()
                        .filter(|x| x.sentence == si && doc.acceptable_victim(x) && !x.speaker)
                        .map(|x| x.person)
                        .collect();
                    if defendants.is_empty() {
                        for e in events
                            .iter()
                            .filter(|e| prosecuted.contains(&e.event_type.as_str()))
                        {
                            let same_paragraph = doc
                                .sentences
                                .iter()
                                .find(|x| x.start == e.evidence.start)
                                .is_some_and(|x| x.paragraph == s.paragraph);
                            if same_paragraph {
                                defendants.extend(e.victims.iter().copied());
                            }
                        }
                    }
                    let key = name.to_lowercase();
                    if let Some(c) = cases.iter_mut().find(|c| c.name.to_lowercase() == key) {
                        let mut all: BTreeSet<usize> = c.defendants.iter().copied().collect();
                        all.extend(defendants);
                        c.defendants = all.into_iter().collect();
                        continue;
                    }
                    cases.push(CaseMention {
                        name,
                        defendants: defendants.into_iter().collect(),
                        evidence: Evidence {
                            article: doc.article.id.clone(),
                            text: text.clone(),
                            start: s.start,
                            end: s.end,
                        },
                    });
                }
            }
        }
        cases
    }
}

/// "The four men were detained": when the article's named victims are exactly as many as a counted
/// group with no names, the group is those people.
fn resolve_counted_groups(events: &mut [(Event, bool)]) {
    let named: BTreeSet<usize> = events
        .iter()
        .flat_map(|(e, _)| e.victims.iter().copied())
        .collect();
    for (e, _) in events.iter_mut() {
        let count = e.victim_group.as_ref().and_then(|g| g.count);
        if e.victims.is_empty() && count.is_some_and(|n| n as usize == named.len()) {
            e.victims = named.iter().copied().collect();
            e.victim_group = None;
        }
    }
}

/// The people an article is about as possible victims: named at least once neither as an official nor
/// only as the one who reports, or named in a sentence that reports an event ("Murtazaev said he had
/// been beaten").
fn victim_like(doc: &Doc, hits: &[TriggerHit]) -> BTreeSet<usize> {
    let reporting: BTreeSet<usize> = hits.iter().map(|h| h.sentence).collect();
    doc.mentions
        .iter()
        .filter(|m| doc.acceptable_victim(m) && (!m.speaker || reporting.contains(&m.sentence)))
        .map(|m| m.person)
        .collect()
}

/// A count written in digits or words ("4", "four"); years are no counts.
fn number_value(word: &str) -> Option<u32> {
    word.parse::<u32>()
        .ok()
        .filter(|n| *n < 1900)
        .or_else(|| LEXICON.number_words.get(word).copied())
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

/// The date of trigger `k`: the nearest date of the sentence that is nearer to it than to any other
/// trigger, distance growing much faster across clauses (`true`: its own); or, when no date is its own,
/// the sentence's nearest date ("detained on 4 September after a search of his house"; `false`).
fn date_for(
    hit: &TriggerHit,
    k: usize,
    hits: &[TriggerHit],
    dates: &[&DateMention],
    segment_of: &dyn Fn(usize) -> usize,
    eligible: &dyn Fn(&TriggerHit, &DateMention) -> bool,
) -> Option<(FuzzyDate, bool)> {
    let distance = |h: &TriggerHit, d: &DateMention| {
        let chars = if d.end <= h.start {
            h.start - d.end
        } else {
            d.start.saturating_sub(h.end)
        };
        chars + 1000 * segment_of(h.start).abs_diff(segment_of(d.start))
    };
    let mine = dates
        .iter()
        .filter(|d| {
            let own = distance(hit, d);
            hits.iter().enumerate().all(|(j, other)| {
                j == k
                    || !eligible(other, d)
                    || distance(other, d) > own
                    || (distance(other, d) == own && j > k)
            })
        })
        .min_by_key(|d| distance(hit, d));
    if let Some(d) = mine {
        return Some((d.date, true));
    }
    let same_clause = dates
        .iter()
        .filter(|d| segment_of(d.start) == segment_of(hit.start))
        .count();
    match dates {
        [only] if hits.first().is_some_and(|first| only.end <= first.start) => {
            Some((only.date, false))
        }
        _ if same_clause == 0 => dates
            .iter()
            .filter(|d| d.end <= hit.start)
            .min_by_key(|d| distance(hit, d))
            .map(|d| (d.date, false)),
        _ => None,
    }
}

/// The place of the event (the place mention nearest the trigger that is not where a transfer goes) and,
/// for a transfer, the first place after the trigger.
fn places(doc: &Doc, s: &Sentence, hit: &TriggerHit) -> (Option<String>, Option<String>) {
    let in_sentence: Vec<_> = doc
        .people
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Place && e.start >= s.start && e.end <= s.end)
        .collect();
    let destination = in_sentence
        .iter()
        .filter(|e| e.start >= hit.end)
        .min_by_key(|e| e.start);
    let is_transfer = TAXONOMY
        .types
        .get(hit.type_index)
        .is_some_and(|t| t.id == "transfer");
    let place = in_sentence
        .iter()
        .filter(|e| !(is_transfer && destination.is_some_and(|d| d.start == e.start)))
        .min_by_key(|e| {
            if e.start >= hit.end {
                e.start - hit.end
            } else {
                hit.start.saturating_sub(e.end)
            }
        })
        .map(|e| {
            if e.canonical.is_empty() {
                e.text.clone()
            } else {
                e.canonical.clone()
            }
        });
    let destination = if is_transfer {
        destination.map(|e| {
            if e.canonical.is_empty() {
                e.text.clone()
            } else {
                e.canonical.clone()
            }
        })
    } else {
        None
    };
    (place, destination)
}

/// "transferred to Rostov-on-Don": the capitalised words after "to" when no place was recognised.
fn capitalised_after_to(doc: &Doc, hit: &TriggerHit, s: &Sentence) -> Option<String> {
    let start = doc.token_at_or_after(hit.end);
    let mut i = start;
    // Skip "to", "to a pre-trial detention centre in", … up to the first capitalised word.
    while i < s.end_token && !doc.tokens[i].capitalised {
        if !doc.tokens[i].is_word || i >= start + 6 {
            return None;
        }
        i += 1;
    }
    if !doc.tokens[start..i].iter().any(|t| t.lower == "to") {
        return None;
    }
    let first = i;
    while i < s.end_token && doc.tokens[i].capitalised && doc.tokens[i].is_word {
        i += 1;
    }
    (i > first).then(|| {
        doc.chars[doc.tokens[first].start..doc.tokens[i - 1].end]
            .iter()
            .collect()
    })
}

fn dates_compatible(a: Option<FuzzyDate>, b: Option<FuzzyDate>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.contains(&y) || y.contains(&x),
        _ => true,
    }
}

fn more_precise(a: Option<FuzzyDate>, b: Option<FuzzyDate>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.precision() > y.precision(),
        (Some(_), None) => true,
        _ => false,
    }
}

/// One article often reports one event several times (lead, body, background): same type, shared
/// victims and compatible dates make one event. A date its own sentence gives beats one taken from the
/// story around it; among those of one kind, the most precise wins, with its sentence as evidence.
fn merge_within_article(events: Vec<(Event, bool)>) -> Vec<Event> {
    let mut out: Vec<(Event, bool)> = Vec::with_capacity(events.len());
    for (e, own) in events {
        let same = out.iter_mut().find(|(o, o_own)| {
            o.event_type == e.event_type
                && (dates_compatible(o.date, e.date) || !own || !*o_own)
                && (o.victims.iter().any(|v| e.victims.contains(v))
                    || (o.victims.is_empty()
                        && e.victims.is_empty()
                        && o.victim_group.is_some()
                        && e.victim_group.is_some()))
        });
        match same {
            Some((o, o_own)) => {
                let victims: BTreeSet<usize> =
                    o.victims.iter().chain(&e.victims).copied().collect();
                o.victims = victims.into_iter().collect();
                let better = match (own, *o_own) {
                    (true, false) => e.date.is_some(),
                    (false, true) => false,
                    _ => more_precise(e.date, o.date),
                };
                if better {
                    o.date = e.date;
                    o.evidence = e.evidence.clone();
                    *o_own = own;
                }
                for (k, v) in e.details {
                    o.details.entry(k).or_insert(v);
                }
                for p in e.perpetrators {
                    push_unique(&mut o.perpetrators, p);
                }
                if o.place.is_none() {
                    o.place = e.place;
                }
                if e.claimed_by.is_none() {
                    o.claimed_by = None;
                }
            }
            None => out.push((e, own)),
        }
    }
    let mut out: Vec<Event> = out.into_iter().map(|(e, _)| e).collect();
    // "released … as part of an exchange": the release is the exchange.
    // "released yesterday … as part of an exchange": the exchange took place when the release did.
    let released: Vec<(Vec<usize>, Option<FuzzyDate>)> = out
        .iter()
        .filter(|e| e.event_type == "release" && e.date.is_some())
        .map(|e| (e.victims.clone(), e.date))
        .collect();
    for e in out
        .iter_mut()
        .filter(|e| e.event_type == "exchange" && e.date.is_none())
    {
        if let Some((_, d)) = released
            .iter()
            .find(|(v, _)| !e.victims.is_empty() && e.victims.iter().all(|x| v.contains(x)))
        {
            e.date = *d;
        }
    }
    let exchanged: Vec<(Vec<usize>, Option<FuzzyDate>)> = out
        .iter()
        .filter(|e| e.event_type == "exchange")
        .map(|e| (e.victims.clone(), e.date))
        .collect();
    out.retain(|e| {
        e.event_type != "release"
            || !exchanged.iter().any(|(v, d)| {
                !e.victims.is_empty()
                    && e.victims.iter().all(|x| v.contains(x))
                    && dates_compatible(*d, e.date)
            })
    });
    out
}

#[cfg(test)]
mod tests;
