//! Event assembly: walks the article sentence by sentence, keeping the story's date and its last
//! counted group, and turns each sentence's triggers into events with victims, date, place, details,
//! perpetrators and evidence; then merges the reports of one event within the article.

use crate::attributes::{capitalised_after_to, places};
use crate::data::TAXONOMY;
use crate::dates::{self, Anchor, DateMention};
use crate::doc::Doc;
use crate::language::Language;
use crate::per_victim::{merge_details, split_shared};
use crate::push_unique;
use crate::text::Sentence;
use crate::triggers::TriggerHit;
use crate::victims::{remember_group, RecentGroup, SentenceVictims};
use casebook_model::{Event, Evidence, FuzzyDate};
use std::collections::{BTreeMap, BTreeSet};

/// How many characters may stand between an event named to time another and a date of its own ("after
/// his detention in October 2022": the date expression may begin at "in").
const BACK_REFERENCE_GAP: usize = 4;

/// How many paragraphs open a report with its news, before any other date is told.
const LEDE_PARAGRAPHS: usize = 3;

/// One sentence with triggers, as the steps that make its events read it.
struct SentenceFacts<'a> {
    pub(crate) s: &'a Sentence,
    pub(crate) text: &'a str,
    pub(crate) hits: &'a [TriggerHit],
    pub(crate) date_mentions: &'a [DateMention],
    /// The story's date, for events that take it.
    pub(crate) inherited: Option<FuzzyDate>,
    /// The report's date, for an undated event of its first paragraph when the language's reports
    /// date their news by the dateline alone.
    pub(crate) lede: Option<FuzzyDate>,
}

impl Language {
    /// The events of the article, each with whether its date stands in its own sentence.
    pub(crate) fn build_events(&self, doc: &Doc, hits: &[TriggerHit]) -> Vec<(Event, bool)> {
        let published = doc
            .article
            .published
            .as_ref()
            .and_then(|p| dates::parse_published(&p.value));
        let (horizon, written) = if published.is_none() {
            self.undated_anchors(doc)
        } else {
            (None, None)
        };
        // The paragraphs the report's news is told in while no other date has been: the first few,
        // and each paragraph right after one whose events the news dated ("… пришли с обысками. ¶
        // Силовики пришли домой к … ¶ Сейтмеметова … повезли в управление ФСБ").
        let mut lede_until = doc
            .sentences
            .first()
            .map_or(0, |s| s.paragraph + LEDE_PARAGRAPHS);
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
                horizon,
                written,
            };
            let date_mentions = self.sentence_dates(doc, s, &sentence_text, &anchor);
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
            let mut victims =
                self.sentence_victims(doc, si, s, sentence_hits, &mut recent_group, &mut events);
            let referenced = if victims.group.is_none() {
                self.referenced_events(doc, s, sentence_hits, &mut victims.per_trigger, &events)
            } else {
                vec![None; sentence_hits.len()]
            };
            if victims.named == 0
                && victims.group.is_none()
                && victims.per_trigger.iter().all(Vec::is_empty)
            {
                continue;
            }
            let first_event = events.len();
            let facts = SentenceFacts {
                s,
                text: &sentence_text,
                hits: sentence_hits,
                date_mentions: &date_mentions,
                inherited,
                lede: published.filter(|_| {
                    self.lede_takes_published
                        && last_mentioned.is_none()
                        && s.paragraph < lede_until
                }),
            };
            let told_the_news = facts.lede.is_some();
            self.sentence_events(doc, &facts, &victims, &referenced, &mut events);
            if told_the_news && events.len() > first_event {
                lede_until = lede_until.max(s.paragraph + 2);
            }
            remember_group(
                &mut recent_group,
                &victims,
                &events,
                first_event,
                s.paragraph,
            );
        }
        events
    }

    /// For a report without a date of its own, from the dates its text states: the latest with its
    /// year (the horizon that yearless dates are placed after) and the latest with its year and month
    /// (the time of writing that "today" and "this year" count from).
    fn undated_anchors(&self, doc: &Doc) -> (Option<FuzzyDate>, Option<FuzzyDate>) {
        let stated: Vec<FuzzyDate> = doc
            .sentences
            .iter()
            .flat_map(|s| {
                self.dates
                    .find(&doc.sentence_text(s), s.start, &Anchor::default())
            })
            .filter(|d| !d.bound)
            .map(|d| d.date)
            .collect();
        let horizon = stated
            .iter()
            .copied()
            .max_by_key(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)));
        let written = stated
            .into_iter()
            .filter(|d| d.month.is_some())
            .max_by_key(|d| (d.year, d.month, d.day));
        (horizon, written)
    }

    /// "The transfer took place last Friday": a definite trigger with no one named refers to the event
    /// of that type the article already told, and dates it. "During the search, officers seized his
    /// camera": the same holds when the victims are those of the event told before. Per trigger: the
    /// date of the event referred to, if any; `per_trigger` gains its victims when it had none.
    fn referenced_events(
        &self,
        doc: &Doc,
        s: &Sentence,
        sentence_hits: &[TriggerHit],
        per_trigger: &mut [Vec<usize>],
        events: &[(Event, bool)],
    ) -> Vec<Option<Option<FuzzyDate>>> {
        let mut referenced: Vec<Option<Option<FuzzyDate>>> = vec![None; sentence_hits.len()];
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
                    same_type(e) && (v.is_empty() || v.iter().any(|p| e.victims.contains(p)))
                })
                .or_else(|| {
                    // "At least 29 prisoners were transferred in 2024 … The list of those
                    // transferred includes A": a counted group's event dates it too.
                    events.iter().rev().find(|(e, _)| {
                        !v.is_empty()
                            && (same_type(e)
                                || (e.victim_group.is_some()
                                    && TAXONOMY
                                        .types
                                        .get(hit.type_index)
                                        .is_some_and(|t| t.id == e.event_type)))
                    })
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
        referenced
    }

    /// True when the words right before the trigger make it name an event told elsewhere, to time
    /// this sentence's ("after his arrest").
    fn back_reference(&self, doc: &Doc, s: &Sentence, hit: &TriggerHit) -> bool {
        // The words before the trigger's last word: a trigger may open with the cue itself
        // ("after his arrest").
        let last = doc
            .token_at_or_after(hit.end)
            .saturating_sub(1)
            .max(hit.first_token);
        let preceding: Vec<&str> = doc.tokens
            [hit.first_token.saturating_sub(3).max(s.first_token)..last]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        self.back_references
            .iter()
            .any(|p| preceding.ends_with(&p.iter().map(String::as_str).collect::<Vec<_>>()))
    }

    /// The events of one sentence: for each trigger, its named victims and, when the text counts
    /// more, the unnamed rest as a group of its own.
    fn sentence_events(
        &self,
        doc: &Doc,
        facts: &SentenceFacts,
        victims: &SentenceVictims,
        referenced: &[Option<Option<FuzzyDate>>],
        events: &mut Vec<(Event, bool)>,
    ) {
        let SentenceFacts {
            s,
            text: sentence_text,
            hits: sentence_hits,
            date_mentions,
            inherited,
            lede,
        } = *facts;
        let SentenceVictims {
            per_trigger,
            group,
            group_token,
            group_trigger,
            continued_group,
            ..
        } = victims;
        let lower_sentence = sentence_text.to_lowercase();
        let claimed_by = self
            .attribution
            .find_iter(&lower_sentence)
            .next()
            .and_then(|m| self.attribution_parties.get(m.pattern().as_usize()))
            .cloned();
        let perpetrators = self.perpetrators(doc, s, sentence_text);
        let event_dates: Vec<&DateMention> = date_mentions.iter().filter(|d| !d.bound).collect();
        let jobs = sentence_hits.iter().enumerate().flat_map(|(k, hit)| {
            let named = per_trigger.get(k).cloned().unwrap_or_default();
            let mut v = Vec::new();
            if !named.is_empty() {
                v.push((k, hit, named, None));
            }
            let with_group = *continued_group
                || group_trigger.is_none_or(|g| {
                    g == k || group_token.is_some_and(|t| self.same_phrase(doc, s, t, hit))
                });
            if group.is_some() && with_group {
                v.push((k, hit, Vec::new(), group.clone()));
            }
            v
        });
        let own_dates = self.own_dates(doc, s, sentence_hits, &event_dates, date_mentions);
        for (k, hit, victims, group) in jobs.collect::<Vec<_>>() {
            let victims = &victims;
            let Some(def) = TAXONOMY.types.get(hit.type_index) else {
                continue;
            };
            // "Sentenced ten months after his arrest": the arrest is told to time the sentence.
            let back_reference = self.back_reference(doc, s, hit);
            let own_date = own_dates.get(k).copied().flatten();
            // A sentence that gives dates of its own is set at its own time: an event in it
            // without one of them does not take the story's earlier date.
            let date = own_date
                .or(referenced.get(k).copied().flatten().flatten())
                .or(inherited.filter(|_| {
                    def.inherits_date
                        && event_dates.is_empty()
                        && referenced.get(k).is_none_or(|r| r.is_none())
                }))
                .or(lede.filter(|_| date_mentions.is_empty()));
            // It keeps only a date that stands right after it ("since his detention in March").
            let date = if back_reference {
                event_dates
                    .iter()
                    .find(|d| d.start >= hit.end && d.start <= hit.end + BACK_REFERENCE_GAP)
                    .map(|d| d.date)
            } else {
                date
            };
            let mut details = BTreeMap::new();
            let tail: String = doc.chars[hit.start..s.end].iter().collect();
            self.fill_details(
                def.id.as_str(),
                sentence_text,
                &tail,
                date_mentions,
                &mut details,
            );
            let mut victim_details = self.victim_details(doc, s, &def.id, victims, date_mentions);
            if !victim_details.is_empty() {
                let personal: BTreeSet<String> = victim_details
                    .values()
                    .flat_map(|d| d.keys().cloned())
                    .collect();
                details.retain(|k, _| !personal.contains(k));
                let all = victims
                    .iter()
                    .map(|p| {
                        let mut d = details.clone();
                        d.extend(victim_details.remove(p).unwrap_or_default());
                        (*p, d)
                    })
                    .collect();
                split_shared(all, &mut details, &mut victim_details);
            }
            let (place, destination) = places(doc, s, hit);
            let place = place.filter(|_| !back_reference);
            if def.id == "transfer" {
                if let Some(d) = destination.or_else(|| capitalised_after_to(self, doc, hit, s)) {
                    details.insert("destination".into(), d);
                }
            }
            let own = own_date.is_some() && (!back_reference || date.is_some());
            events.push((
                Event {
                    event_type: def.id.clone(),
                    victims: victims.clone(),
                    victim_group: group.clone(),
                    perpetrators: perpetrators.clone(),
                    date,
                    place,
                    details,
                    victim_details,
                    claimed_by: claimed_by.clone(),
                    evidence: Evidence {
                        article: doc.article.id.clone(),
                        text: sentence_text.to_string(),
                        start: s.start,
                        end: s.end,
                    },
                },
                own,
            ));
        }
    }
}

pub(crate) fn dates_compatible(a: Option<FuzzyDate>, b: Option<FuzzyDate>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.contains(&y) || y.contains(&x),
        _ => true,
    }
}

pub(crate) fn more_precise(a: Option<FuzzyDate>, b: Option<FuzzyDate>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x.precision() > y.precision(),
        (Some(_), None) => true,
        _ => false,
    }
}

/// One article often reports one event several times (lead, body, background): same type, shared
/// victims and compatible dates make one event. A date its own sentence gives beats one taken from the
/// story around it; among those of one kind, the most precise wins, with its sentence as evidence.
pub(crate) fn merge_within_article(events: Vec<(Event, bool)>) -> Vec<Event> {
    let mut out: Vec<(Event, bool)> = Vec::with_capacity(events.len());
    for (e, own) in events {
        let mut same = out.iter_mut().find(|(o, o_own)| {
            o.event_type == e.event_type
                && (dates_compatible(o.date, e.date) || !own || !*o_own)
                && (o.victims.iter().any(|v| e.victims.contains(v))
                    || (o.victims.is_empty()
                        && e.victims.is_empty()
                        && o.victim_group.is_some()
                        && e.victim_group.is_some()))
        });
        // "The list includes A, B, C and D … In October, A was sent to a colony": the more precise
        // date is only A's; the others keep theirs.
        if let Some((o, _)) = same.as_mut().filter(|(o, _)| {
            o.date != e.date && o.date.is_some() && e.date.is_some() && o.victims != e.victims
        }) {
            let subset = |a: &[usize], b: &[usize]| a.iter().all(|v| b.contains(v));
            if subset(&e.victims, &o.victims) && more_precise(e.date, o.date) {
                o.victims.retain(|v| !e.victims.contains(v));
                let kept = o.victims.clone();
                o.victim_details.retain(|p, _| kept.contains(p));
                out.push((e, own));
                continue;
            }
            if subset(&o.victims, &e.victims) && more_precise(o.date, e.date) {
                let mut rest = e;
                rest.victims.retain(|v| !o.victims.contains(v));
                let kept = rest.victims.clone();
                rest.victim_details.retain(|p, _| kept.contains(p));
                out.push((rest, own));
                continue;
            }
        }
        match same {
            Some((o, o_own)) => {
                let victims: BTreeSet<usize> =
                    o.victims.iter().chain(&e.victims).copied().collect();
                let victims: Vec<usize> = victims.into_iter().collect();
                merge_details(o, &e, &victims);
                o.victims = victims;
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
