//! Event attributes read from the sentence around a trigger: perpetrators and agencies, the place and a
//! transfer's destination, and the details of its type (article, term, regime, amount, measure).

use crate::data::TAXONOMY;
use crate::dates::DateMention;
use crate::doc::Doc;
use crate::language::Language;
use crate::text::Sentence;
use crate::triggers::TriggerHit;
use crate::{push_unique, text_words};
use casebook_model::{CharIndex, EntityKind};
use std::collections::BTreeMap;

impl Language {
    pub(crate) fn perpetrators(&self, doc: &Doc, s: &Sentence, sentence_text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let is_agency = |lower: &str| {
            !self.not_agencies.iter().any(|n| lower.contains(n.as_str()))
                && self.agency_words.iter().any(|a| lower.contains(a.as_str()))
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
                && !self
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

    pub(crate) fn fill_details(
        &self,
        event_type: &str,
        sentence: &str,
        tail: &str,
        date_mentions: &[DateMention],
        details: &mut BTreeMap<String, String>,
    ) {
        match event_type {
            "charge" | "trial" | "sentence" | "appeal" | "arrest_custody" => {
                if let Some((article, part)) = self.details.article(sentence) {
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
                if let Some(term) = self
                    .details
                    .term(tail)
                    .or_else(|| self.details.term(sentence))
                {
                    details.insert("term".into(), term);
                }
                if let Some(regime) = self.details.regime(sentence) {
                    details.insert("regime".into(), regime.into());
                } else if let Some((amount, currency)) = self.details.money(sentence) {
                    details.insert("regime".into(), "fine".into());
                    details.insert("amount".into(), amount);
                    details.insert("currency".into(), currency);
                }
            }
            "administrative_penalty" => {
                if let Some((amount, currency)) = self.details.money(sentence) {
                    details.insert("amount".into(), amount);
                    details.insert("currency".into(), currency);
                }
                if let Some(days) = self.details.days(sentence) {
                    details.insert("days".into(), days);
                }
            }
            "arrest_custody" => {
                if let Some(m) = self.details.measure(sentence) {
                    details.insert("measure".into(), m.into());
                }
                if let Some(until) = date_mentions.iter().find(|d| d.bound) {
                    details.insert("until".into(), until.date.to_string());
                }
            }
            _ => {}
        }
    }
}

/// The place of the event (the place mention nearest the trigger that is not where a transfer goes) and,
/// for a transfer, the first place after the trigger.
pub(crate) fn places(
    doc: &Doc,
    s: &Sentence,
    hit: &TriggerHit,
) -> (Option<String>, Option<String>) {
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
pub(crate) fn capitalised_after_to(
    language: &Language,
    doc: &Doc,
    hit: &TriggerHit,
    s: &Sentence,
) -> Option<String> {
    let start = doc.token_at_or_after(hit.end);
    let mut i = start;
    // Skip "to", "to a pre-trial detention centre in", … up to the first capitalised word.
    while i < s.end_token && !doc.tokens[i].capitalised {
        if !doc.tokens[i].is_word || i >= start + 6 {
            return None;
        }
        i += 1;
    }
    if !doc.tokens[start..i]
        .iter()
        .any(|t| language.destination_prepositions.contains(&t.lower))
    {
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
