//! Victim attachment: the named people each trigger is about (by clause, relative clause and anaphor),
//! counted groups of unnamed victims ("six Crimean Tatars"), and the people such a group stands for.

use crate::doc::{Doc, MentionInfo};
use crate::language::Language;
use crate::text::Sentence;
use crate::triggers::TriggerHit;
use crate::{starts_with_seq, text_words};
use casebook_model::{Event, VictimGroup};
use std::collections::BTreeSet;

/// How many sentences that name people, and how many paragraphs before or after, may together name the
/// members of a counted group.
const GROUP_SENTENCES: usize = 3;
const GROUP_PARAGRAPHS_BEFORE: usize = 2;
const GROUP_PARAGRAPHS_AFTER: usize = 3;

/// The last counted group of unnamed victims of the story, and the events it was given to.
pub(crate) struct RecentGroup {
    pub(crate) paragraph: usize,
    pub(crate) events: Vec<usize>,
    pub(crate) group: VictimGroup,
    /// People named as members of the group ("six men, among them A").
    pub(crate) named: Vec<usize>,
}

impl Language {
    /// True when a clause of the sentence with a trigger refers to several people with a plural
    /// pronoun ("they", "all of them").
    pub(crate) fn has_plural_reference(
        &self,
        doc: &Doc,
        s: &Sentence,
        hits: &[TriggerHit],
    ) -> bool {
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
    pub(crate) fn partitive_count(&self, doc: &Doc, s: &Sentence) -> Option<u32> {
        let words: Vec<&str> = doc.tokens[s.first_token..s.end_token]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        // A count of one stands only as a word ("one of them"), never as an article.
        (0..words.len()).find_map(|i| {
            let n = words[i];
            let partitive = self
                .partitive
                .iter()
                .any(|p| starts_with_seq(&words[i + 1..], p));
            let word_of_one =
                !n.chars().all(|c| c.is_ascii_digit()) && !self.not_counts.contains(n);
            partitive
                .then(|| self.number_value(n).filter(|&c| c > 1 || word_of_one))
                .flatten()
        })
    }

    /// The named victims of each trigger of sentence `si`: the people of the trigger's clause who are
    /// neither officials nor the ones reporting (a "who" clause includes the people it follows); else
    /// the people of clauses without a trigger of their own; else whom a pronoun of the clause refers
    /// back to; else everyone fitting in the sentence.
    pub(crate) fn victims_per_trigger(
        &self,
        doc: &Doc,
        si: usize,
        hits: &[TriggerHit],
    ) -> Vec<Vec<usize>> {
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
                // The segment a relative clause follows, when the trigger's clause is one.
                let outer = (s.first_token..s.end_token)
                    .find(|&i| seg_of(i) == g)
                    .filter(|&i| {
                        i > s.first_token && self.relative_pronouns.contains(&doc.tokens[i].lower)
                    })
                    .map(|i| seg_of(i - 1));
                // A "who" clause is about the person it follows ("… the prisoner A, who was
                // sentenced"), not about everyone named before it.
                let before: Vec<&MentionInfo> = doc
                    .mentions
                    .iter()
                    .filter(|m| {
                        outer == Some(seg_of(m.first_token))
                            && m.sentence == si
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
                                    .all(|t| t.lower == "," || self.conjunctions.contains(&t.lower))
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
                let gapped = self.gapped_segments(doc, s, &seg, g, &trigger_segs);
                let own: BTreeSet<usize> = direct
                    .iter()
                    .filter(|(_, pg)| *pg == g || gapped.contains(pg))
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
                // "… after his children were tortured": the clause's victims are relatives it does not
                // name, not the people of the sentence's other clauses.
                if self.names_a_relative(doc, s, &seg, g) {
                    return Vec::new();
                }
                if !all.is_empty() {
                    return all.iter().copied().collect();
                }
                self.anaphor_victims(doc, si, h, None)
            })
            .collect()
    }

    /// The segments right after segment `g` that share its verb: "отправил Аббозова под домашний арест, а
    /// Темерьянова, Кроша и Алиева — в СИЗО". A run of segments opened by a gapping word, none with a
    /// trigger of its own, counts when a dash stands in it for the verb left out.
    fn gapped_segments(
        &self,
        doc: &Doc,
        s: &Sentence,
        seg: &[usize],
        g: usize,
        trigger_segs: &BTreeSet<usize>,
    ) -> BTreeSet<usize> {
        let mut run = BTreeSet::new();
        let mut dash = false;
        for (offset, &k) in seg.iter().enumerate() {
            if k <= g {
                continue;
            }
            let token = &doc.tokens[s.first_token + offset];
            let opens = offset > 0 && seg[offset - 1] != k;
            if opens && (!self.gapping_openers.contains(&token.lower) || trigger_segs.contains(&k))
            {
                break;
            }
            if !opens && matches!(token.lower.as_str(), "—" | "–") {
                dash = true;
            }
            run.insert(k);
        }
        if dash {
            run
        } else {
            BTreeSet::new()
        }
    }

    /// True when segment `g` of sentence `s` speaks of someone's relative ("его детей", "her husband").
    fn names_a_relative(&self, doc: &Doc, s: &Sentence, seg: &[usize], g: usize) -> bool {
        let tokens = &doc.tokens[s.first_token..s.end_token];
        tokens.windows(2).enumerate().any(|(i, w)| {
            seg.get(i) == Some(&g) && self.possessive_relation(&w[0].lower, &w[1].lower)
        })
    }

    /// "его детей", "her husband": a possessive and a relation word, someone else than the one the
    /// possessive names.
    fn possessive_relation(&self, first: &str, second: &str) -> bool {
        self.possessives.contains(first) && self.relations.contains(second)
    }

    /// Whom the pronoun or referring phrase nearest the trigger (within its clause when `clause` is
    /// given) refers back to.
    pub(crate) fn anaphor_victims(
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
            if let [first, second, ..] = rest[..] {
                if self.possessive_relation(first, second) {
                    continue;
                }
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
    pub(crate) fn victim_group(&self, doc: &Doc, s: &Sentence) -> Option<(VictimGroup, usize)> {
        let tokens = &doc.tokens[s.first_token..s.end_token];
        let lowers: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
        for i in 0..tokens.len() {
            // "until April 13 four men": a day of a date is no count.
            let in_date = |j: Option<usize>| {
                j.and_then(|j| lowers.get(j))
                    .is_some_and(|w| self.months.contains_key(*w))
            };
            let count = match lowers[i] {
                w if self.not_counts.contains(w) => None,
                _ if in_date(i.checked_sub(1)) || in_date(Some(i + 1)) => None,
                w => self.number_value(w),
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
                    .is_none_or(|w| !tokens[at].is_word || self.number_value(w).is_some())
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
    pub(crate) fn named_group(
        &self,
        doc: &Doc,
        si: usize,
        group: &VictimGroup,
    ) -> Option<Vec<usize>> {
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
        // "A, B and C were arrested. D was placed under house arrest. … The four men are accused":
        // the people of the nearest sentences before, together; else "four Crimean Tatars were
        // detained. A, B and C … D …": the people named right after.
        let paragraph = doc.sentences.get(si).map_or(0, |s| s.paragraph);
        let before = (0..si)
            .rev()
            .take_while(|&sj| doc.sentences[sj].paragraph + GROUP_PARAGRAPHS_BEFORE >= paragraph);
        let after = (si + 1..doc.sentences.len())
            .take_while(|&sj| doc.sentences[sj].paragraph <= paragraph + GROUP_PARAGRAPHS_AFTER);
        if let Some(people) = self
            .gathered(doc, before, n)
            .or_else(|| self.gathered(doc, after, n))
        {
            return Some(people);
        }
        (doc.victim_like.len() == n).then(|| doc.victim_like.iter().copied().collect())
    }

    /// The possible victims of the first few sentences of `order` that name any, together, when
    /// they are exactly `n` people.
    fn gathered(
        &self,
        doc: &Doc,
        order: impl Iterator<Item = usize>,
        n: usize,
    ) -> Option<Vec<usize>> {
        let mut people: BTreeSet<usize> = BTreeSet::new();
        let mut naming = 0;
        for sj in order {
            let here: BTreeSet<usize> = doc
                .mentions
                .iter()
                .filter(|m| m.sentence == sj && doc.acceptable_victim(m) && !m.speaker)
                .map(|m| m.person)
                .collect();
            if here.is_empty() {
                continue;
            }
            people.extend(here);
            naming += 1;
            if people.len() == n {
                return Some(people.into_iter().collect());
            }
            if people.len() > n || naming == GROUP_SENTENCES {
                return None;
            }
        }
        None
    }
}

/// "The four men were detained": when the article's named victims are exactly as many as a counted
/// group with no names, the group is those people.
pub(crate) fn resolve_counted_groups(events: &mut [(Event, bool)]) {
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
pub(crate) fn victim_like(doc: &Doc, hits: &[TriggerHit]) -> BTreeSet<usize> {
    let reporting: BTreeSet<usize> = hits.iter().map(|h| h.sentence).collect();
    doc.mentions
        .iter()
        .filter(|m| doc.acceptable_victim(m) && (!m.speaker || reporting.contains(&m.sentence)))
        .map(|m| m.person)
        .collect()
}

/// The victims of a sentence's triggers once its counted group is resolved.
pub(crate) struct SentenceVictims {
    /// The named victims of each trigger.
    pub(crate) per_trigger: Vec<Vec<usize>>,
    /// The most people any trigger had named before groups were resolved.
    pub(crate) named: usize,
    /// The unnamed, counted group of the sentence, if it stays one.
    pub(crate) group: Option<VictimGroup>,
    /// The token the group's count stands at.
    pub(crate) group_token: Option<usize>,
    /// The trigger nearest the group.
    pub(crate) group_trigger: Option<usize>,
    /// True when the group is the last counted group of the story, continued ("all of them").
    pub(crate) continued_group: bool,
}

impl Language {
    /// The victims of the triggers of sentence `si`: its named people, and its counted group resolved
    /// against the people named before and the story's last counted group. A partitive ("two of
    /// them, A and B") splits the named ones off the earlier events of that group.
    pub(crate) fn sentence_victims(
        &self,
        doc: &Doc,
        si: usize,
        s: &Sentence,
        sentence_hits: &[TriggerHit],
        recent_group: &mut Option<RecentGroup>,
        events: &mut Vec<(Event, bool)>,
    ) -> SentenceVictims {
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
                if let Some(people) = group.as_ref().and_then(|g| self.named_group(doc, si, g)) {
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
        SentenceVictims {
            per_trigger,
            named,
            group,
            group_token,
            group_trigger,
            continued_group,
        }
    }
}

/// Keeps the sentence's counted group as the story's last one, with the events (from `first_event`
/// on) it was given to; a continued group gains the new events.
pub(crate) fn remember_group(
    recent_group: &mut Option<RecentGroup>,
    victims: &SentenceVictims,
    events: &[(Event, bool)],
    first_event: usize,
    paragraph: usize,
) {
    if let Some(g) = victims.group.as_ref().filter(|g| g.count.is_some()) {
        let added = first_event..events.len();
        match recent_group.as_mut() {
            Some(r) if victims.continued_group => r.events.extend(added),
            _ => {
                let named: BTreeSet<usize> = events[added.clone()]
                    .iter()
                    .flat_map(|(e, _)| e.victims.iter().copied())
                    .collect();
                *recent_group = Some(RecentGroup {
                    paragraph,
                    events: added.collect(),
                    group: g.clone(),
                    named: named.into_iter().collect(),
                })
            }
        }
    }
}
