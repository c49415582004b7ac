//! Details that hold for one victim of an event: co-defendants sentenced in one sentence to different
//! terms ("A was sentenced to 17 years, B to 15 years and C to 13"), fined different amounts or
//! charged under different articles. The sentence is cut at each victim's name; a name followed only
//! by a conjunction ("A and B received 15 years each") shares the next name's part, and names
//! standing together before a list said "respectively" ("17, 15 and 13 years respectively") take
//! its items in order.

use crate::dates::DateMention;
use crate::doc::Doc;
use crate::language::Language;
use crate::text::Sentence;
use casebook_model::Event;
use std::collections::{BTreeMap, BTreeSet};

/// Details by key, and each victim's own (by index into the article's persons).
pub(crate) type VictimDetails = BTreeMap<usize, BTreeMap<String, String>>;

impl Language {
    /// Each of `victims`' details read from their own part of the sentence, when the parts give the
    /// victims different values; empty when the sentence says one thing of them all.
    pub(crate) fn victim_details(
        &self,
        doc: &Doc,
        s: &Sentence,
        event_type: &str,
        victims: &[usize],
        date_mentions: &[DateMention],
    ) -> VictimDetails {
        if victims.len() < 2 {
            return VictimDetails::new();
        }
        let mut named: Vec<(usize, usize, usize)> = doc
            .mentions
            .iter()
            .filter(|m| m.start >= s.start && m.end <= s.end && victims.contains(&m.person))
            .map(|m| (m.start, m.end, m.person))
            .collect();
        named.sort_unstable();
        named.dedup_by_key(|m| m.2);
        if named.len() < 2 {
            return VictimDetails::new();
        }
        let mut own = VictimDetails::new();
        let respective = self.respective_parts(doc, s, &named);
        // Read from the last name back, so a name followed only by a conjunction takes the part
        // of the name after it.
        let mut next_part: Option<BTreeMap<String, String>> = None;
        for (i, &(_, end, person)) in named.iter().enumerate().rev() {
            if let Some(texts) = &respective {
                let mut d = BTreeMap::new();
                self.fill_details(event_type, &texts[i], &texts[i], &[], &mut d);
                own.insert(person, d);
                continue;
            }
            let until = named.get(i + 1).map_or(s.end, |m| m.0);
            let joined = named.get(i + 1).is_some() && self.only_conjunctions(doc, end, until);
            let part = if joined {
                next_part.clone().unwrap_or_default()
            } else {
                let text: String = doc.chars[end..until.max(end)].iter().collect();
                let dates: Vec<DateMention> = date_mentions
                    .iter()
                    .filter(|d| d.start >= end && d.start < until)
                    .cloned()
                    .collect();
                let mut d = BTreeMap::new();
                self.fill_details(event_type, &text, &text, &dates, &mut d);
                d
            };
            next_part = Some(part.clone());
            own.insert(person, part);
        }
        // A key is a victim's own only where the parts give it different values; one given once
        // ("A and B, held since 2019, and C were sentenced to 12 years") is the sentence's.
        let mut values: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
        for d in own.values() {
            for (k, v) in d {
                values.entry(k).or_default().insert(v);
            }
        }
        let personal: BTreeSet<String> = values
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, _)| k.clone())
            .collect();
        for d in own.values_mut() {
            d.retain(|k, _| personal.contains(k));
        }
        own.retain(|_, d| !d.is_empty());
        own
    }

    /// "A, B and C were sentenced to 17, 15 and 13 years respectively": when the names stand
    /// together, the sentence says "respectively" and the text after them holds one list of as
    /// many numbers as names, each name's own text is that text with the list cut to its number.
    fn respective_parts(
        &self,
        doc: &Doc,
        s: &Sentence,
        named: &[(usize, usize, usize)],
    ) -> Option<Vec<String>> {
        let last = named.last()?;
        let in_sentence = |t: &&crate::text::Token| t.start >= s.start && t.end <= s.end;
        if !doc
            .tokens
            .iter()
            .filter(in_sentence)
            .any(|t| self.respectively.contains(&t.lower))
            || named
                .windows(2)
                .any(|w| !self.only_conjunctions(doc, w[0].1, w[1].0))
        {
            return None;
        }
        let tokens: Vec<&crate::text::Token> = doc
            .tokens
            .iter()
            .filter(|t| t.start >= last.1 && t.end <= s.end)
            .collect();
        let lists = self.number_lists(&tokens);
        let [list] = lists
            .iter()
            .filter(|l| l.len() == named.len())
            .collect::<Vec<_>>()[..]
        else {
            return None;
        };
        let (from, to) = (list[0].0, list[list.len() - 1].1);
        let text = |range: &[char]| range.iter().collect::<String>();
        Some(
            list.iter()
                .map(|&(a, b)| {
                    format!(
                        "{}{}{}",
                        text(&doc.chars[last.1..from]),
                        text(&doc.chars[a..b]),
                        text(&doc.chars[to..s.end])
                    )
                })
                .collect(),
        )
    }

    /// Coordinated lists of numbers in `tokens` ("17, 15 and 13", "20,000, 30,000 and 40,000"):
    /// each item's character range, for lists of two items or more joined by a conjunction.
    fn number_lists(&self, tokens: &[&crate::text::Token]) -> Vec<Vec<(usize, usize)>> {
        let is_number = |t: &crate::text::Token| {
            t.is_word
                && (t.lower.chars().all(|c| c.is_ascii_digit())
                    || self.number_words.contains_key(&t.lower))
        };
        // Numbers, with digit groups glued by a comma, dot or space ("20,000") made one.
        let mut items: Vec<(usize, usize, usize)> = Vec::new(); // first token, last token, end
        let mut i = 0;
        while i < tokens.len() {
            if !is_number(tokens[i]) {
                i += 1;
                continue;
            }
            let first = i;
            while i + 2 < tokens.len()
                && !tokens[i + 1].is_word
                && tokens[i + 1].start == tokens[i].end
                && tokens[i + 2].start == tokens[i + 1].end
                && tokens[i + 2].lower.len() == 3
                && tokens[i + 2].lower.chars().all(|c| c.is_ascii_digit())
            {
                i += 2;
            }
            items.push((first, i, tokens[i].end));
            i += 1;
        }
        let mut lists: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut joined = false;
        let mut flush = |run: &mut Vec<(usize, usize)>, joined: bool| {
            if run.len() >= 2 && joined {
                lists.push(std::mem::take(run));
            }
            run.clear();
        };
        for (k, &(first, _, end)) in items.iter().enumerate() {
            let start = tokens[first].start;
            let continues = k > 0 && {
                let prev_last = items[k - 1].1;
                let between = &tokens[prev_last + 1..first];
                !between.is_empty()
                    && between.iter().all(|t| {
                        (!t.is_word && t.lower == ",") || self.conjunctions.contains(&t.lower)
                    })
            };
            if continues {
                let prev_last = items[k - 1].1;
                joined |= tokens[prev_last + 1..first]
                    .iter()
                    .any(|t| self.conjunctions.contains(&t.lower));
            } else {
                flush(&mut run, joined);
                joined = false;
            }
            run.push((start, end));
        }
        flush(&mut run, joined);
        lists
    }

    /// True when the text between two names holds nothing but punctuation and conjunctions.
    fn only_conjunctions(&self, doc: &Doc, from: usize, to: usize) -> bool {
        doc.tokens
            .iter()
            .filter(|t| t.start >= from && t.end <= to)
            .all(|t| !t.is_word || self.conjunctions.contains(&t.lower))
    }
}

/// Sets `details` and `own` so that `details` holds what every victim shares and `own` the rest, given
/// each victim's full details.
pub(crate) fn split_shared(
    all: BTreeMap<usize, BTreeMap<String, String>>,
    details: &mut BTreeMap<String, String>,
    own: &mut VictimDetails,
) {
    let mut shared = all.values().next().cloned().unwrap_or_default();
    shared.retain(|k, v| all.values().all(|d| d.get(k) == Some(v)));
    *own = all
        .into_iter()
        .map(|(p, mut d)| {
            d.retain(|k, _| !shared.contains_key(k));
            (p, d)
        })
        .filter(|(_, d)| !d.is_empty())
        .collect();
    *details = shared;
}

/// Merges the details of `e`, another report of `o` in the same article, into `o`: each victim keeps
/// what `o` said of them and gains what only `e` says. Events without named victims merge as wholes.
pub(crate) fn merge_details(o: &mut Event, e: &Event, victims: &[usize]) {
    if victims.is_empty() {
        for (k, v) in &e.details {
            o.details.entry(k.clone()).or_insert_with(|| v.clone());
        }
        return;
    }
    let all: BTreeMap<usize, BTreeMap<String, String>> = victims
        .iter()
        .map(|&p| {
            let mut d = if o.victims.contains(&p) {
                o.details_of(p)
            } else {
                BTreeMap::new()
            };
            if e.victims.contains(&p) {
                for (k, v) in e.details_of(p) {
                    d.entry(k).or_insert(v);
                }
            }
            (p, d)
        })
        .collect();
    split_shared(all, &mut o.details, &mut o.victim_details);
}
