//! The per-article working state: the text as characters, its tokens and sentences, and the people
//! stage's mentions placed in them, each with whether it names an official or the one who reports.

use crate::language::Language;
use crate::text::{self, Sentence, Token};
use crate::{contains_seq, text_words};
use casebook_model::{Article, ArticlePeople};
use std::collections::BTreeSet;

/// Per-article working state shared by the steps of [`crate::Extractor::extract`].
pub(crate) struct Doc<'a> {
    pub(crate) article: &'a Article,
    pub(crate) people: &'a ArticlePeople,
    pub(crate) chars: Vec<char>,
    pub(crate) tokens: Vec<Token>,
    pub(crate) sentences: Vec<Sentence>,
    /// Mentions sorted by start, with their sentence and first token.
    pub(crate) mentions: Vec<MentionInfo>,
    /// Persons whose descriptors make them officials or reporters rather than victims.
    pub(crate) official: Vec<bool>,
    /// Persons named at least once neither as an official nor as the one who reports.
    pub(crate) victim_like: BTreeSet<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct MentionInfo {
    pub(crate) person: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) sentence: usize,
    pub(crate) first_token: usize,
    pub(crate) last_token: usize,
    /// Stands next to a non-victim role word ("lawyer Emil Kurbedinov").
    pub(crate) role: Option<String>,
    /// The one who reports ("Chubarov said", "according to Polozov").
    pub(crate) speaker: bool,
}

impl Doc<'_> {
    pub(crate) fn sentence_text(&self, s: &Sentence) -> String {
        self.chars[s.start..s.end].iter().collect()
    }

    pub(crate) fn token_at_or_after(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.end <= offset)
    }

    pub(crate) fn sentence_of_token(&self, token: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end_token <= token)
            .min(self.sentences.len().saturating_sub(1))
    }

    pub(crate) fn acceptable_victim(&self, m: &MentionInfo) -> bool {
        !self.official.get(m.person).copied().unwrap_or(false) && m.role.is_none()
    }
}

impl Language {
    pub(crate) fn prepare<'a>(&self, article: &'a Article, people: &'a ArticlePeople) -> Doc<'a> {
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
                    let head: Vec<&String> = words
                        .iter()
                        .take_while(|w| !self.descriptor_stops.contains(*w))
                        .collect();
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
    pub(crate) fn local_role(&self, doc: &Doc, m: &MentionInfo) -> Option<String> {
        let s = doc.sentences.get(m.sentence)?;
        let before = &doc.tokens[s.first_token.min(m.first_token)..m.first_token];
        if let Some(prev) = before.last() {
            // "the lawyer of X" makes X the client, not the lawyer.
            if !self.client_markers.contains(&prev.lower) {
                for t in skip_quoted_names(before).take(3) {
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
                if self.descriptor_stops.contains(&t.lower) {
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
    pub(crate) fn speaking_relative(&self, doc: &Doc, m: &MentionInfo) -> Option<String> {
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
    pub(crate) fn role_exception_ends_at(&self, doc: &Doc, t: &Token) -> bool {
        let end = doc.token_at_or_after(t.start) + 1;
        self.role_exceptions.iter().any(|p| {
            end >= p.len()
                && doc.tokens[end - p.len()..end]
                    .iter()
                    .zip(p)
                    .all(|(a, b)| a.lower == *b)
        })
    }

    pub(crate) fn is_speaker(&self, doc: &Doc, m: &MentionInfo) -> bool {
        let Some(s) = doc.sentences.get(m.sentence) else {
            return false;
        };
        let next = doc.tokens.get(m.last_token + 1);
        if next.is_some_and(|t| self.possessive_markers.contains(&t.lower)) {
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
            let from = m.first_token.saturating_sub(10).max(s.first_token);
            for t in skip_quoted_names(&doc.tokens[from..m.first_token]).take(7) {
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
        // "»", – написала первый заместитель министра Эмине Джеппар в твиттере": a reporting clause
        // opened by a speech verb right after a quotation names its speaker, whatever follows the name.
        let from = m.first_token.saturating_sub(10).max(s.first_token);
        for (i, t) in doc.tokens[from..m.first_token].iter().enumerate().rev() {
            if !t.is_word {
                break;
            }
            if self.speech_verbs.contains(&t.lower) {
                let before = (from + i)
                    .checked_sub(1)
                    .filter(|&b| b >= s.first_token)
                    .and_then(|b| doc.tokens.get(b));
                if before.is_some_and(|b| matches!(b.lower.as_str(), "–" | "—" | "-" | "»" | "\""))
                {
                    return true;
                }
                break;
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
}

/// The tokens of `before`, last first, with a quoted name right before a word passed over: "корреспондент
/// «Радио Свобода» Антон Наумлюк", "адвокат «Крымской солидарности» X" read as "корреспондент X". Quotation
/// marks around a name of up to four words are an outlet's or group's name, not a break of the phrase.
fn skip_quoted_names(before: &[Token]) -> impl Iterator<Item = &Token> {
    const QUOTED_NAME_WORDS: usize = 4;
    let mut i = before.len();
    std::iter::from_fn(move || {
        let close = i.checked_sub(1)?;
        if matches!(before[close].lower.as_str(), "»" | "\u{201d}") {
            let open = before[..close]
                .iter()
                .rposition(|t| matches!(t.lower.as_str(), "«" | "\u{201c}"))
                .filter(|&o| close - o > 1 && close - o <= QUOTED_NAME_WORDS + 1)
                .filter(|&o| before[o + 1..close].iter().all(|t| t.is_word));
            if let Some(o) = open.filter(|&o| o > 0) {
                i = o - 1;
                return before.get(o - 1);
            }
        }
        i = close;
        before.get(close)
    })
}
