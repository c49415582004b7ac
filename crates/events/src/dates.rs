//! Dates written in a sentence, absolute ("on 4 September 2021", "in December 2021", "in 2019") or
//! relative ("on Wednesday", "yesterday", "last December", "two days later"), resolved against the
//! article's own date.

use crate::data::{LanguageFile, Lexicon, LEXICON};
use casebook_model::FuzzyDate;
use chrono::{Datelike, Days, NaiveDate};
use regex::{Captures, Regex};
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// A date expression found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Character offsets into the article text.
    pub start: usize,
    pub end: usize,
    pub date: FuzzyDate,
    /// True when the expression bounds a period ("until March 24") rather than dating an event.
    pub bound: bool,
}

/// What a resolved expression needs: the article's date, and the last date the text gave before.
#[derive(Debug, Clone, Copy, Default)]
pub struct Anchor {
    pub published: Option<FuzzyDate>,
    pub last_mentioned: Option<FuzzyDate>,
    /// For a report without a date of its own: the latest date it tells with its year, which the
    /// report is written after ("16 марта" in a report that also tells "1 декабря 2022").
    pub horizon: Option<FuzzyDate>,
    /// The report's date guessed from its text when it has no publication date (the latest full date
    /// it states): read only by words relative to the time of writing ("today", "on Monday", "this
    /// year"), never to place a yearless date in a year.
    pub written: Option<FuzzyDate>,
}

impl Anchor {
    /// The date words relative to the time of writing count from.
    fn now(&self) -> Option<FuzzyDate> {
        self.published.or(self.written)
    }
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn alternation(words: impl Iterator<Item = String>) -> String {
    // The grammar is written in verbose mode, where a bare space is ignored: spaces must be escaped.
    let mut v: Vec<String> = words
        .map(|w| regex::escape(&w).replace(' ', "\\ "))
        .collect();
    // Longest first so "September" is not read as "Sep".
    v.sort_by_key(|w| std::cmp::Reverse(w.len()));
    v.join("|")
}

/// A language's date grammar and the tables its expressions are resolved with.
#[derive(Clone)]
pub struct Grammar {
    expression: Regex,
    months: BTreeMap<String, u32>,
    weekdays: BTreeMap<String, u32>,
    relative_days: BTreeMap<String, i64>,
    later_units: BTreeMap<String, i64>,
    number_words: BTreeMap<String, u32>,
    /// What lead words mean (`last`, `this`, `that`); a lead word not listed means itself.
    leads: BTreeMap<String, String>,
    /// Words that every date expression of the language contains one of (with the numbers, month,
    /// weekday, relative-day, unit and number words): when given, the expression runs only on the
    /// stretches of text around them. A regular expression with Unicode word boundaries cannot use the
    /// DFA on Cyrillic text and costs its backtracker at every character; this keeps it to a few.
    anchors: Option<HashSet<String>>,
    /// The expression without its word boundaries: it matches wherever the expression does, and runs
    /// on the DFA whatever the script, so a stretch where it finds nothing is not searched again.
    prefilter: Option<Regex>,
}

/// Words before and after an anchor word that a date expression may reach.
const ANCHOR_REACH: (usize, usize) = (5, 6);

/// The English grammar, over the lexicon's month, weekday, number and unit words.
static ENGLISH: LazyLock<Grammar> = LazyLock::new(|| {
    let months = alternation(LEXICON.months.keys().map(|m| title(m)));
    let weekdays = alternation(LEXICON.weekdays.keys().map(|m| title(m)));
    let numbers = alternation(LEXICON.number_words.keys().cloned());
    let units = alternation(LEXICON.later_units.keys().cloned());
    let rel = alternation(LEXICON.relative_days.keys().cloned());
    // One alternation, tried left to right, so a full date wins over its parts.
    let expression = format!(
        r"(?x)
        (?P<bound>\b(?:until|till|through|to)\s+)?
        (?:
          \b(?P<d1>\d{{1,2}})(?P<range1>[-–]\d{{1,2}})?(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{months})\.?(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?\b
        | \b(?:(?i:on|in|of|since|from|by|early|late)\s+)?(?P<m2>{months})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?P<range2>[-–]\d{{1,2}}\b)?\b(?:,?\s+(?P<y2>(?:19|20)\d{{2}})\b)?
        | \b(?:(?i:on|in|of|since|from|by|early|late|last|until|during)\s+)?(?P<m3>{months})\.?,?\s+(?:of\s+)?(?P<y3>(?:19|20)\d{{2}})\b
        | \b(?P<d4>\d{{4}})-(?P<m4>\d{{2}})-(?P<dd4>\d{{2}})\b
        | \b(?P<ylead>(?i:in|of|since|during|from|by|early|late|mid-?|spring|summer|autumn|fall|winter|end\ of|beginning\ of|start\ of))\s+(?P<y5>(?:19|20)\d{{2}})\b
        | \b(?:(?i:in|on|by)\s+)?(?P<m11>{months})\s+(?i:of\s+the\s+same\s+year|that\s+year|of\s+that\s+year)\b
        | \b(?P<mlead>(?i:in|on|last|this|since|early|late|mid-?|until|during|end\ of|beginning\ of|start\ of|of))\s+(?P<m6>{months})\b
        | \b(?P<wlead>(?i:on|last|this|early\ on|late\ on|past))\s+(?P<w7>{weekdays})\b
        | \b(?i:(?P<rel>{rel}))\b
        | \b(?i:(?P<n9>\d{{1,2}}|{numbers})\s+(?P<u9>{units})\s+later)\b
        | \b(?i:the\ (?P<next>next|following)\ day)\b
        | \b(?i:(?P<same>the\ same\ day|that\ same\ day|that\ day))\b
        | \b(?i:(?P<pm>last|this|earlier\ this|later\ that|that)\s+month)\b
        | \b(?i:(?P<py>last|this|earlier\ this|that)\s+year)\b
        )"
    );
    Grammar::new("en", &expression, &LEXICON, BTreeMap::new())
});

impl Grammar {
    fn new(
        language: &str,
        expression: &str,
        lexicon: &Lexicon,
        leads: BTreeMap<String, String>,
    ) -> Grammar {
        let expression = match Regex::new(expression) {
            Ok(expression) => expression,
            Err(e) => panic!("casebook-events date grammar of {language} is invalid: {e}"),
        };
        Grammar {
            expression,
            months: lexicon.months.clone(),
            weekdays: lexicon.weekdays.clone(),
            relative_days: lexicon.relative_days.clone(),
            later_units: lexicon.later_units.clone(),
            number_words: lexicon.number_words.clone(),
            leads,
            anchors: None,
            prefilter: None,
        }
    }

    /// The English grammar.
    pub fn english() -> &'static Grammar {
        &ENGLISH
    }

    /// A language's grammar from its knowledge file: the template with its word lists filled in
    /// (lower-case; the template says whether it ignores case).
    pub fn from_file(file: &LanguageFile) -> Grammar {
        let lexicon = &file.lexicon;
        let expression = file
            .dates
            .expression
            .replace("{months}", &alternation(lexicon.months.keys().cloned()))
            .replace("{weekdays}", &alternation(lexicon.weekdays.keys().cloned()))
            .replace(
                "{relative}",
                &alternation(lexicon.relative_days.keys().cloned()),
            )
            .replace(
                "{numbers}",
                &alternation(lexicon.number_words.keys().cloned()),
            )
            .replace("{units}", &alternation(lexicon.later_units.keys().cloned()));
        // Read around anchors, the text is lower-cased before matching: the expression's own
        // case-insensitive flag only makes its automaton larger.
        let anchored = !file.dates.anchors.is_empty();
        let expression = if anchored {
            expression.replacen("(?xi)", "(?x)", 1)
        } else {
            expression
        };
        let mut grammar = Grammar::new(
            &file.language,
            &expression,
            lexicon,
            file.dates.leads.clone(),
        );
        if anchored {
            let words = lexicon
                .months
                .keys()
                .chain(lexicon.weekdays.keys())
                .chain(lexicon.relative_days.keys())
                .chain(lexicon.later_units.keys())
                .chain(lexicon.number_words.keys())
                .chain(&file.dates.anchors)
                .flat_map(|w| w.split_whitespace())
                .map(str::to_lowercase)
                .collect();
            grammar.anchors = Some(words);
            grammar.prefilter = Regex::new(&expression.replace("\\b", "")).ok();
        }
        grammar
    }

    /// True when a word of the text may be part of a date expression: it has a digit, is an anchor,
    /// or starts with a month name (Crimean Tatar glues endings to it: "oktâbrde").
    fn is_anchor(&self, anchors: &HashSet<String>, word: &str) -> bool {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.chars().any(|c| c.is_ascii_digit()) {
            return true;
        }
        let lower = word.to_lowercase();
        anchors.contains(&lower)
            || self
                .months
                .keys()
                .any(|m| m.chars().count() >= 3 && lower.starts_with(m.as_str()))
    }

    /// The byte ranges of `text` to search: whole words around anchor words, merged when they touch.
    fn stretches(&self, text: &str) -> Vec<(usize, usize)> {
        let Some(anchors) = &self.anchors else {
            return vec![(0, text.len())];
        };
        let words: Vec<(usize, usize)> = text
            .split_whitespace()
            .map(|w| {
                let start = w.as_ptr() as usize - text.as_ptr() as usize;
                (start, start + w.len())
            })
            .collect();
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, &(s, e)) in words.iter().enumerate() {
            if !self.is_anchor(anchors, &text[s..e]) {
                continue;
            }
            let from = words[i.saturating_sub(ANCHOR_REACH.0)].0;
            let to = words[(i + ANCHOR_REACH.1).min(words.len() - 1)].1;
            if self
                .prefilter
                .as_ref()
                .is_some_and(|p| !p.is_match(&text[from..to]))
            {
                continue;
            }
            match out.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => out.push((from, to)),
            }
        }
        out
    }

    fn month_number(&self, s: &str) -> Option<u32> {
        self.months.get(&s.to_lowercase()).copied()
    }

    fn number(&self, s: &str) -> Option<i64> {
        s.parse()
            .ok()
            .or_else(|| self.number_words.get(&s.to_lowercase()).map(|&n| n as i64))
    }

    /// What a lead word means: its entry in `leads`, else the word itself, lower-case.
    fn lead(&self, word: &str) -> String {
        let lower = word.to_lowercase();
        let spaced = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        self.leads.get(&spaced).cloned().unwrap_or(lower)
    }
}

fn to_naive(d: &FuzzyDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year, d.month?, d.day?)
}

fn from_naive(d: NaiveDate) -> FuzzyDate {
    FuzzyDate::day(d.year(), d.month(), d.day())
}

/// The year a yearless month (and day) most recently had, as seen from the anchor's date.
fn infer_year(month: u32, day: Option<u32>, anchor: &Anchor) -> Option<i32> {
    // "detained in April 2023 and sentenced in December": a story told in order stays in its year.
    if let Some(last) = anchor.last_mentioned {
        if last.month.is_some_and(|m| m <= month)
            && anchor.published.is_none_or(|p| p.year > last.year)
        {
            return Some(last.year);
        }
    }
    if let (None, Some(h)) = (anchor.published, anchor.horizon) {
        // The first such month and day on or after the horizon.
        let before = (month, day.unwrap_or(31)) < (h.month.unwrap_or(1), h.day.unwrap_or(1));
        return Some(if before { h.year + 1 } else { h.year });
    }
    let reference = anchor.published.or(anchor.last_mentioned)?;
    let ref_month = reference.month.unwrap_or(12);
    let ref_day = reference.day.unwrap_or(31);
    let later = month > ref_month || (month == ref_month && day.is_some_and(|d| d > ref_day));
    if later && anchor.published.is_some() {
        // News reports the past: a date later in the year than the report belongs to the year before.
        Some(reference.year - 1)
    } else {
        Some(reference.year)
    }
}

fn shift_months(d: FuzzyDate, by: i32) -> FuzzyDate {
    let m = d.month.unwrap_or(1) as i32 - 1 + by;
    FuzzyDate::month(d.year + m.div_euclid(12), (m.rem_euclid(12) + 1) as u32)
}

impl Grammar {
    /// Finds the date expressions in `text` (a sentence that starts at character offset `base`) and
    /// resolves them against `anchor`. Expressions that cannot be resolved are left out.
    pub fn find(&self, text: &str, base: usize, anchor: &Anchor) -> Vec<DateMention> {
        let mut out = Vec::new();
        // Each date becomes the anchor of the next ("in April 2023 … in December of the same year").
        let mut local = *anchor;
        let anchor = &mut local;
        // A grammar read around anchors matches lower-case text, one character for one, so that its
        // expression needs no case folding (see `from_file`); the offsets stay the same in characters.
        let lowered: String;
        let text = if self.anchors.is_some() {
            lowered = text
                .chars()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
                .collect();
            lowered.as_str()
        } else {
            text
        };
        let stretches = self.stretches(text);
        let all = stretches.iter().flat_map(|&(from, to)| {
            self.expression
                .captures_iter(&text[from..to])
                .map(move |c| (from, c))
        });
        for (from, caps) in all {
            let Some(whole) = caps.get(0) else { continue };
            let Some(date) = self.resolve(&caps, anchor) else {
                continue;
            };
            // Character offsets: the regex works on bytes of the sentence.
            let start = base + text[..from + whole.start()].chars().count();
            let end = start + whole.as_str().chars().count();
            let bound = caps.name("bound").is_some();
            if !bound {
                anchor.last_mentioned = Some(date);
            }
            out.push(DateMention {
                start,
                end,
                date,
                bound,
            });
        }
        out
    }

    /// The date one matched expression stands for, by the groups it matched.
    fn resolve(&self, caps: &Captures, anchor: &Anchor) -> Option<FuzzyDate> {
        let g = |name: &str| caps.name(name).map(|m| m.as_str());
        if let (Some(d), Some(m)) = (g("d1").or(g("d2")), g("m1").or(g("m2"))) {
            let (Ok(day), Some(month)) = (d.parse::<u32>(), self.month_number(m)) else {
                return None;
            };
            let year = match g("y1").or(g("y2")) {
                Some(y) => y.parse().ok(),
                None => infer_year(month, Some(day), anchor),
            };
            let date = year
                .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
                .map(from_naive);
            // "on September 3-4": the text does not say which day, only the month.
            if g("range1").or(g("range2")).is_some() {
                date.and_then(|d| d.month.map(|m| FuzzyDate::month(d.year, m)))
            } else {
                date
            }
        } else if let (Some(m), Some(y)) = (g("m3"), g("y3")) {
            self.month_number(m)
                .zip(y.parse().ok())
                .map(|(m, y)| FuzzyDate::month(y, m))
        } else if let (Some(d), Some(m), Some(y)) = (g("dot_d"), g("dot_m"), g("dot_y")) {
            // "12.11.2019", as Russian and Ukrainian reports write dates.
            let (Ok(d), Ok(m), Ok(y)) = (d.parse(), m.parse(), y.parse()) else {
                return None;
            };
            NaiveDate::from_ymd_opt(y, m, d).map(from_naive)
        } else if let (Some(y), Some(m), Some(d)) = (g("d4"), g("m4"), g("dd4")) {
            FuzzyDate::parse(&format!("{y}-{m}-{d}"))
        } else if let Some(y) = g("y5") {
            y.parse().ok().map(FuzzyDate::year)
        } else if let Some(m) = g("m11") {
            self.month_number(m)
                .zip(anchor.last_mentioned)
                .map(|(month, last)| FuzzyDate::month(last.year, month))
        } else if let (Some(lead), Some(m)) = (g("mlead"), g("m6")) {
            self.month_number(m).and_then(|month| {
                let reference = anchor.now()?;
                let year = infer_year(month, None, anchor).unwrap_or(reference.year);
                // "last December" seen from December is a year back; "this March" is this year's.
                let year = match self.lead(lead).as_str() {
                    "last" if reference.month == Some(month) => year - 1,
                    "this" => reference.year,
                    _ => year,
                };
                Some(FuzzyDate::month(year, month))
            })
        } else if let (Some(lead), Some(w)) = (g("wlead"), g("w7")) {
            let reference = anchor.now().as_ref().and_then(to_naive);
            let target = self.weekdays.get(&w.to_lowercase()).copied();
            reference.zip(target).and_then(|(r, target)| {
                let today = r.weekday().num_days_from_monday();
                let mut back = (today + 7 - target) % 7;
                // "last Wednesday" said on a Wednesday is a week ago; "on Wednesday" is today.
                if back == 0 && self.lead(lead) == "last" {
                    back = 7;
                }
                r.checked_sub_days(Days::new(back as u64)).map(from_naive)
            })
        } else if let Some(rel) = g("rel") {
            let offset = self.relative_days.get(&rel.to_lowercase()).copied();
            anchor
                .now()
                .as_ref()
                .and_then(to_naive)
                .zip(offset)
                .and_then(|(r, off)| {
                    if off < 0 {
                        r.checked_sub_days(Days::new(off.unsigned_abs()))
                    } else {
                        r.checked_add_days(Days::new(off as u64))
                    }
                    .map(from_naive)
                })
        } else if let (Some(n), Some(u)) = (g("n9"), g("u9")) {
            let days = self
                .number(n)
                .zip(self.later_units.get(&u.to_lowercase()))
                .map(|(n, u)| n * u);
            anchor
                .last_mentioned
                .as_ref()
                .and_then(to_naive)
                .zip(days)
                .and_then(|(r, d)| {
                    r.checked_add_days(Days::new(d.max(0) as u64))
                        .map(from_naive)
                })
        } else if g("same").is_some() {
            anchor.last_mentioned.filter(|d| d.day.is_some())
        } else if g("next").is_some() {
            anchor
                .last_mentioned
                .as_ref()
                .and_then(to_naive)
                .and_then(|r| r.succ_opt())
                .map(from_naive)
        } else if let Some(p) = g("pm") {
            let p = self.lead(p);
            if p == "that" || p == "later that" {
                anchor
                    .last_mentioned
                    .map(|d| shift_months(d, 0))
                    .filter(|d| d.month.is_some())
            } else {
                let reference = anchor.now().filter(|d| d.month.is_some());
                reference.map(|r| shift_months(r, if p == "last" { -1 } else { 0 }))
            }
        } else if let Some(p) = g("py") {
            let p = self.lead(p);
            if p == "that" {
                anchor.last_mentioned.map(|d| FuzzyDate::year(d.year))
            } else {
                anchor
                    .now()
                    .map(|r| FuzzyDate::year(if p == "last" { r.year - 1 } else { r.year }))
            }
        } else {
            None
        }
    }
}

/// Finds the English date expressions in `text` (a sentence that starts at character offset `base`) and
/// resolves them against `anchor`.
pub fn find(text: &str, base: usize, anchor: &Anchor) -> Vec<DateMention> {
    ENGLISH.find(text, base, anchor)
}

/// Reads an article's publication value (`2025-06-23T08:42:00+03:00`, `2025-06`, `2025`).
pub fn parse_published(value: &str) -> Option<FuzzyDate> {
    let head: String = value.chars().take(10).collect();
    FuzzyDate::parse(&head)
        .or_else(|| FuzzyDate::parse(head.get(..7)?))
        .or_else(|| FuzzyDate::parse(head.get(..4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor() -> Anchor {
        // Monday, 23 June 2025.
        Anchor {
            published: Some(FuzzyDate::day(2025, 6, 23)),
            last_mentioned: None,
            horizon: None,
            written: None,
        }
    }

    fn one(text: &str, a: &Anchor) -> Option<String> {
        find(text, 0, a).first().map(|d| d.date.to_string())
    }

    #[test]
    fn absolute_dates_at_each_precision() {
        let a = anchor();
        assert_eq!(
            one("detained on 4 September 2021 in", &a).as_deref(),
            Some("2021-09-04")
        );
        assert_eq!(
            one("on September 4, 2021, officers", &a).as_deref(),
            Some("2021-09-04")
        );
        assert_eq!(one("Jan. 26, 2026", &a).as_deref(), Some("2026-01-26"));
        assert_eq!(
            one("arrested in December 2021, he", &a).as_deref(),
            Some("2021-12")
        );
        assert_eq!(one("sentenced in 2019 to", &a).as_deref(), Some("2019"));
        assert_eq!(
            one("on the 4th of March 2020", &a).as_deref(),
            Some("2020-03-04")
        );
    }

    #[test]
    fn yearless_dates_take_the_most_recent_year() {
        let a = anchor();
        assert_eq!(
            one("on 4 September officers", &a).as_deref(),
            Some("2024-09-04")
        );
        assert_eq!(one("on 4 June officers", &a).as_deref(), Some("2025-06-04"));
        assert_eq!(one("in December the court", &a).as_deref(), Some("2024-12"));
        assert_eq!(one("last June the court", &a).as_deref(), Some("2024-06"));
        assert_eq!(one("in May the court", &a).as_deref(), Some("2025-05"));
    }

    #[test]
    fn relative_dates_resolve_against_the_article_date() {
        let a = anchor();
        assert_eq!(
            one("on Wednesday the FSB", &a).as_deref(),
            Some("2025-06-18")
        );
        assert_eq!(one("on Monday the FSB", &a).as_deref(), Some("2025-06-23"));
        assert_eq!(
            one("last Monday the FSB", &a).as_deref(),
            Some("2025-06-16")
        );
        assert_eq!(one("Yesterday the FSB", &a).as_deref(), Some("2025-06-22"));
        // Phrases of several words in the relative-day list ("this morning", "last night").
        assert_eq!(
            one("Since early this morning officers", &a).as_deref(),
            Some("2025-06-23")
        );
        assert_eq!(one("late last night", &a).as_deref(), Some("2025-06-22"));
        assert_eq!(one("the verdict of 2019", &a).as_deref(), Some("2019"));
        assert_eq!(one("earlier this month", &a).as_deref(), Some("2025-06"));
        assert_eq!(one("last year", &a).as_deref(), Some("2024"));
        assert_eq!(
            one("taken away on September 3-4", &a).as_deref(),
            Some("2024-09")
        );
        assert_eq!(one("on 3–4 June 2021", &a).as_deref(), Some("2021-06"));
        let later = Anchor {
            published: a.published,
            last_mentioned: Some(FuzzyDate::day(2021, 9, 4)),
            horizon: None,
            written: None,
        };
        let story = find(
            "detained in April 2023 and sentenced in December of the same year",
            0,
            &a,
        );
        assert_eq!(story[1].date, FuzzyDate::month(2023, 12));
        let story = find("detained in April 2023 and sentenced on 4 December", 0, &a);
        assert_eq!(story[1].date, FuzzyDate::day(2023, 12, 4));
        assert_eq!(
            one("Two days later he was", &later).as_deref(),
            Some("2021-09-06")
        );
        assert_eq!(
            one("The next day he was", &later).as_deref(),
            Some("2021-09-05")
        );
        assert_eq!(
            one("detained on the same day", &later).as_deref(),
            Some("2021-09-04")
        );
        assert_eq!(
            one("Ten minutes later he was", &later).as_deref(),
            Some("2021-09-04")
        );
        assert_eq!(
            one("released an hour later", &later).as_deref(),
            Some("2021-09-04")
        );
        let none = Anchor::default();
        assert_eq!(one("on Wednesday the FSB", &none), None);
    }

    #[test]
    fn modal_may_is_not_a_month_and_until_is_a_bound() {
        let a = anchor();
        assert!(find("he may be arrested", 0, &a).is_empty());
        let d = find("remanded in custody until March 24", 0, &a);
        assert_eq!(d.len(), 1);
        assert!(d[0].bound);
        assert_eq!(
            parse_published("2025-06-23T08:42:00+03:00"),
            Some(FuzzyDate::day(2025, 6, 23))
        );
        assert_eq!(parse_published("2025-06"), Some(FuzzyDate::month(2025, 6)));
    }
}
