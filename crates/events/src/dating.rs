//! Dating events: the date mentions of a sentence that may date its events, and which of them each
//! trigger takes (its own nearest date, one shared with a coordinated or simultaneous trigger, or none).

use crate::data::TAXONOMY;
use crate::dates::{Anchor, DateMention};
use crate::doc::Doc;
use crate::language::Language;
use crate::text::Sentence;
use crate::triggers::TriggerHit;
use casebook_model::FuzzyDate;

/// How many words before a date, besides the words that open it, are read for a verb of saying that it
/// dates ("told journalists in Kyiv on 10 July"; "said he was detained on 28 June" is read no further
/// than "he").
const TELLING_REACH: usize = 3;

impl Language {
    /// The date mentions of sentence `s`, without those after the report's own date (a report cannot
    /// date an event after its publication; "until 2027" is a bound) and those naming a case ("the 26
    /// February case").
    pub(crate) fn sentence_dates(
        &self,
        doc: &Doc,
        s: &Sentence,
        sentence_text: &str,
        anchor: &Anchor,
    ) -> Vec<DateMention> {
        let published = anchor.published;
        let mut date_mentions: Vec<DateMention> = self.dates.find(sentence_text, s.start, anchor);
        date_mentions.retain(|d| {
            d.bound
                || published.is_none_or(|p| {
                    d.date.year < p.year
                        || (d.date.year == p.year
                            && (d.date.month, d.date.day)
                                <= (p.month.or(d.date.month), p.day.or(d.date.day)))
                })
        });
        // "his family said on Tuesday", "stated on 10 July 2018 that": the day of the telling, not of
        // what is told.
        date_mentions.retain(|d| !self.dates_the_telling(doc, s, d));
        date_mentions.retain(|d| {
            let rest: String = doc.chars[d.end.min(doc.chars.len())..]
                .iter()
                .take(7)
                .collect();
            !self.case_words.iter().any(|w| {
                rest.strip_prefix(' ')
                    .is_some_and(|r| r.starts_with(w.as_str()))
            })
        });
        date_mentions
    }

    /// True when the date stands right after a verb of saying ("said on Tuesday", "told reporters on
    /// 10 July", "said on January 24 that").
    fn dates_the_telling(&self, doc: &Doc, s: &Sentence, d: &DateMention) -> bool {
        let first = doc.token_at_or_after(d.start).min(s.end_token);
        // "He said that in 2023 officers forced him": behind a clause word the date is of what is told.
        doc.tokens[s.first_token.min(first)..first]
            .iter()
            .rev()
            .take_while(|t| t.is_word && !self.segment_breaks.contains(&t.lower))
            .map(|t| t.lower.as_str())
            .filter(|w| !self.date_prepositions.contains(*w))
            .take(TELLING_REACH)
            .any(|w| self.speech_verbs.contains(w))
    }

    /// The date each trigger of sentence `s` takes from the sentence itself: its own, or one it shares
    /// with a trigger of the same type, a coordinated one, or the one it happened during.
    pub(crate) fn own_dates(
        &self,
        doc: &Doc,
        s: &Sentence,
        sentence_hits: &[TriggerHit],
        event_dates: &[&DateMention],
        date_mentions: &[DateMention],
    ) -> Vec<Option<FuzzyDate>> {
        let seg = self.segments(doc, s);
        let seg_at = |offset: usize| {
            let t = doc.token_at_or_after(offset);
            seg.get(t.saturating_sub(s.first_token))
                .copied()
                .unwrap_or(0)
        };
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
            if self.coordinated(doc, &sentence_hits[k], &sentence_hits[k + 1], date_mentions) {
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
        own_dates
    }
}

/// The date of trigger `k`: the nearest date of the sentence that is nearer to it than to any other
/// trigger, distance growing much faster across clauses (`true`: its own); or, when no date is its own,
/// the sentence's nearest date ("detained on 4 September after a search of his house"; `false`).
pub(crate) fn date_for(
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
