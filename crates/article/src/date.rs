//! Human datelines: "June 23, 2025, 8:42 a.m.", "Jan. 26, 2026", "23 June 2025", "23.06.2025",
//! "23 червня 2025", "23 июня 2025 г.", read into a [`HumanDate`] as precise as the text is.
//!
//! Words are data: month and weekday names of every language from the shared calendar
//! (`casebook_vocabulary`), the glued Crimean Tatar month endings, labels and halves of the day from
//! `data/date_words.tsv`; the grammar of the few date shapes news sites print is the code below.

use casebook_model::{Precision, Published};
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// A date read from text: a month or a day, with a time of day when the text gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanDate {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Day of the month, when given.
    pub day: Option<u32>,
    /// Hour (0–23) and minute, when given (only with a day).
    pub time: Option<(u32, u32)>,
}

impl HumanDate {
    /// How much of the date the text gave.
    pub fn precision(&self) -> Precision {
        match (self.day, self.time) {
            (Some(_), Some(_)) => Precision::Minute,
            (Some(_), None) => Precision::Day,
            _ => Precision::Month,
        }
    }

    /// ISO 8601 at that precision: `2025-06-23T08:42:00`, `2025-06-23` or `2025-06`. No zone:
    /// a dateline does not say which one it is in.
    pub fn value(&self) -> String {
        let mut value = format!("{:04}-{:02}", self.year, self.month);
        if let Some(day) = self.day {
            value.push_str(&format!("-{day:02}"));
            if let Some((hour, minute)) = self.time {
                value.push_str(&format!("T{hour:02}:{minute:02}:00"));
            }
        }
        value
    }

    /// The date as an article's publication date, found in the place named by `from`.
    pub fn published(&self, from: &str) -> Published {
        Published {
            value: self.value(),
            precision: self.precision(),
            from: from.to_string(),
        }
    }
}

/// What a date word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Month(u32),
    MonthSuffix,
    Weekday,
    Label,
    Am,
    Pm,
}

struct Grammar {
    words: HashMap<String, Word>,
    /// Day-month-year, month-day-year, numeric and ISO shapes, each with named groups.
    shapes: Vec<Regex>,
    /// A time of day right after a date, and right before one.
    time_after: Regex,
    time_before: Regex,
}

static GRAMMAR: LazyLock<Grammar> = LazyLock::new(|| {
    let mut words = HashMap::new();
    // The text's language is not known yet: a dateline may be in any language the calendar lists.
    for &(month, number) in casebook_vocabulary::all_months() {
        words.insert(word_key(month), Word::Month(number));
    }
    for &(weekday, _) in casebook_vocabulary::all_weekdays() {
        words.insert(word_key(weekday), Word::Weekday);
    }
    for line in include_str!("../data/date_words.tsv").lines() {
        let Some((word, meaning)) = line.split_once('\t') else {
            continue;
        };
        if word.starts_with('#') {
            continue;
        }
        let Some(meaning) = listed_meaning(meaning) else {
            continue;
        };
        words.insert(word_key(word.trim()), meaning);
    }
    let alternation = |keep: &dyn Fn(Word) -> bool| {
        let mut list: Vec<&String> = words
            .iter()
            .filter(|(_, w)| keep(**w))
            .map(|(k, _)| k)
            .collect();
        // Longest first, so "june" is tried before "jun".
        list.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        // Turkic capital İ has no simple case folding to i, so the pattern names it.
        list.iter()
            .map(|w| regex::escape(w).replace('i', "[iİ]"))
            .collect::<Vec<_>>()
            .join("|")
    };
    let months = alternation(&|w| matches!(w, Word::Month(_)));
    let meridiem = alternation(&|w| matches!(w, Word::Am | Word::Pm));
    let labels = alternation(&|w| w == Word::Label);
    let month_suffixes = alternation(&|w| w == Word::MonthSuffix);
    // Separators and label words ("р.", "at", "о") that may stand between a date and its time.
    let between = format!(r"(?:[\s,|–—-]|(?:{labels})\b\.?)*");
    let month = format!(r"(?P<mon>{months})(?:{month_suffixes})?\b\.?");
    let day = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?";
    let year = r"(?P<y>\d{4})\b";
    let shapes = [
        format!(r"\b{month}\s+{day},?\s+{year}"),
        format!(r"\b{day}(?:\s+of)?\s+{month},?\s+{year}"),
        r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b".to_string(),
        // "20 / 04 / 2023": some sites space the slashes.
        r"\b(?P<d>\d{1,2}) ?/ ?(?P<m>\d{1,2}) ?/ ?(?P<y>\d{4})\b".to_string(),
        r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2}))?".to_string(),
        format!(r"\b{month},?\s+{year}"),
    ];
    let time =
        format!(r"(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})\b(?:\s*(?P<mer>(?:{meridiem})\b\.?))?");
    let compile =
        |pattern: &str| Regex::new(&format!("(?iu){pattern}")).expect("date grammar compiles");
    Grammar {
        shapes: shapes.iter().map(|s| compile(s)).collect(),
        time_after: compile(&format!(r"^{between}{time}")),
        time_before: compile(&format!(r"{time}{between}$")),
        words,
    }
});

/// Finds the first date in `text`; returns it with the byte range it covers (time included).
pub fn find(text: &str) -> Option<(HumanDate, Range<usize>)> {
    let grammar = &*GRAMMAR;
    let mut best: Option<(HumanDate, Range<usize>)> = None;
    for shape in &grammar.shapes {
        for caps in shape.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let Some(date) = date_from(grammar, &caps) else {
                continue;
            };
            let better = best.as_ref().is_none_or(|(_, range)| {
                whole.start() < range.start
                    || (whole.start() == range.start && whole.end() > range.end)
            });
            if better {
                best = Some((date, whole.range()));
            }
            break;
        }
    }
    let (mut date, mut range) = best?;
    if date.day.is_some() && date.time.is_none() {
        if let Some(caps) = grammar.time_after.captures(&text[range.end..]) {
            if let (Some(time), Some(whole)) = (time_from(grammar, &caps), caps.get(0)) {
                date.time = Some(time);
                range.end += whole.end();
            }
        } else if let Some(caps) = grammar.time_before.captures(&text[..range.start]) {
            if let (Some(time), Some(whole)) = (time_from(grammar, &caps), caps.get(0)) {
                date.time = Some(time);
                range.start = whole.start();
            }
        }
    }
    Some((date, range))
}

/// Reads `text` as a dateline: a date and nothing else but weekday names, labels such as
/// "Published" or "року", and punctuation. `None` when the text says more than a date.
pub fn parse(text: &str) -> Option<HumanDate> {
    let (date, range) = find(text)?;
    let rest = [&text[..range.start], &text[range.end..]];
    let only_fillers = rest
        .iter()
        .flat_map(|part| part.split(is_separator))
        .all(|token| {
            let token = token.trim_matches('.');
            token.is_empty()
                || matches!(
                    GRAMMAR.words.get(&token.to_lowercase()),
                    Some(Word::Weekday | Word::Label)
                )
        });
    only_fillers.then_some(date)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ':' | ';' | '|' | '/' | '-' | '–' | '—' | '(' | ')' | '·' | '•'
        )
}

/// What `data/date_words.tsv` says a word means; `None` for a meaning it has no business listing
/// (months and weekdays are the calendar's).
fn listed_meaning(meaning: &str) -> Option<Word> {
    match meaning.trim() {
        "month-suffix" => Some(Word::MonthSuffix),
        "label" => Some(Word::Label),
        "am" => Some(Word::Am),
        "pm" => Some(Word::Pm),
        _ => None,
    }
}

/// A word as the date words list it: lower case, the Turkic dotted capital İ as i.
fn word_key(word: &str) -> String {
    word.replace('İ', "i").to_lowercase()
}

fn date_from(grammar: &Grammar, caps: &regex::Captures<'_>) -> Option<HumanDate> {
    let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = i32::try_from(number("y")?)
        .ok()
        .filter(|y| (1900..=2100).contains(y))?;
    let month = match caps.name("mon") {
        Some(word) => match grammar.words.get(&word_key(word.as_str())) {
            Some(Word::Month(m)) => *m,
            _ => return None,
        },
        None => number("m")?,
    };
    let mut day = number("d");
    let mut month = month;
    // Slashed dates are day-first (as in Ukraine and most of Europe) unless that is impossible.
    if caps.get(0).is_some_and(|m| m.as_str().contains('/')) && month > 12 {
        (day, month) = (Some(month), day?);
    }
    if !(1..=12).contains(&month) {
        return None;
    }
    if let Some(d) = day {
        chrono::NaiveDate::from_ymd_opt(year, month, d)?;
    }
    let time = match (number("h"), number("mi")) {
        (Some(h), Some(mi)) if h < 24 && mi < 60 => Some((h, mi)),
        _ => None,
    };
    if time.is_none() && day.is_none() && number("h").is_some() {
        return None;
    }
    Some(HumanDate {
        year,
        month,
        day,
        time,
    })
}

fn time_from(grammar: &Grammar, caps: &regex::Captures<'_>) -> Option<(u32, u32)> {
    let hour: u32 = caps.name("h")?.as_str().parse().ok()?;
    let minute: u32 = caps.name("mi")?.as_str().parse().ok()?;
    if minute > 59 {
        return None;
    }
    let meridiem = caps.name("mer").and_then(|m| {
        grammar
            .words
            .get(&m.as_str().trim_end_matches('.').to_lowercase())
            .copied()
    });
    let hour = match meridiem {
        Some(Word::Am) if (1..=12).contains(&hour) => hour % 12,
        Some(Word::Pm) if (1..=12).contains(&hour) => hour % 12 + 12,
        Some(_) => return None,
        None if hour < 24 => hour,
        None => return None,
    };
    Some((hour, minute))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Option<String> {
        parse(text).map(|d| d.value())
    }

    #[test]
    fn every_date_word_has_a_meaning_of_its_own() {
        for line in include_str!("../data/date_words.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let meaning = line.split_once('\t').and_then(|(_, m)| listed_meaning(m));
            assert!(meaning.is_some(), "date_words.tsv: {line:?}");
        }
    }

    #[test]
    fn english_datelines() {
        assert_eq!(
            value("June 23, 2025, 8:42 a.m.").as_deref(),
            Some("2025-06-23T08:42:00")
        );
        assert_eq!(
            value("June 23, 2025, 8:42 p.m.").as_deref(),
            Some("2025-06-23T20:42:00")
        );
        assert_eq!(
            value("Dec. 1, 2024, 12:05 a.m.").as_deref(),
            Some("2024-12-01T00:05:00")
        );
        assert_eq!(value("Jan. 26, 2026").as_deref(), Some("2026-01-26"));
        assert_eq!(value("Sept. 3rd, 2024").as_deref(), Some("2024-09-03"));
        assert_eq!(value("23 June 2025").as_deref(), Some("2025-06-23"));
        assert_eq!(
            value("Monday, 23rd of June 2025").as_deref(),
            Some("2025-06-23")
        );
        assert_eq!(value("Published: June 2025").as_deref(), Some("2025-06"));
        assert_eq!(
            parse("June 23, 2025, 8:42 a.m.").unwrap().precision(),
            Precision::Minute
        );
    }

    #[test]
    fn numeric_and_iso_datelines() {
        assert_eq!(value("23.06.2025").as_deref(), Some("2025-06-23"));
        assert_eq!(
            value("14:05, 23.06.2025").as_deref(),
            Some("2025-06-23T14:05:00")
        );
        assert_eq!(
            value("23.06.2025 о 14:05").as_deref(),
            Some("2025-06-23T14:05:00")
        );
        assert_eq!(value("06/23/2025").as_deref(), Some("2025-06-23"));
        assert_eq!(value("05/06/2025").as_deref(), Some("2025-06-05"));
        assert_eq!(value("20 / 04 / 2023").as_deref(), Some("2023-04-20"));
        assert_eq!(
            value("Updated 2025-06-23 08:42").as_deref(),
            Some("2025-06-23T08:42:00")
        );
    }

    #[test]
    fn ukrainian_russian_and_crimean_tatar_datelines() {
        assert_eq!(value("23 червня 2025").as_deref(), Some("2025-06-23"));
        assert_eq!(
            value("23 червня 2025 р., 10:15").as_deref(),
            Some("2025-06-23T10:15:00")
        );
        assert_eq!(
            value("Понеділок, 1 грудня 2025 року").as_deref(),
            Some("2025-12-01")
        );
        assert_eq!(value("23 июня 2025 г.").as_deref(), Some("2025-06-23"));
        assert_eq!(
            value("Опубликовано: 5 марта 2024, 09:30").as_deref(),
            Some("2024-03-05T09:30:00")
        );
        assert_eq!(value("Червень 2025").as_deref(), Some("2025-06"));
        // Forms the calendar lists for the events stage's date grammars read here too.
        assert_eq!(value("12 янв. 2025").as_deref(), Some("2025-01-12"));
        let (date, _) = find("Его задержали в июне 2025 года").unwrap();
        assert_eq!(date.value(), "2025-06");
        assert_eq!(value("12 mayıs 2023").as_deref(), Some("2023-05-12"));
    }

    #[test]
    fn crimean_tatar_month_names_and_endings() {
        assert_eq!(value("27 Ekimay 2021").as_deref(), Some("2021-10-27"));
        assert_eq!(value("27 Ekim 2021").as_deref(), Some("2021-10-27"));
        assert_eq!(value("3 Ocaq 2022").as_deref(), Some("2022-01-03"));
        assert_eq!(value("14 Şubat 2020").as_deref(), Some("2020-02-14"));
        assert_eq!(value("9 Nisan 2019").as_deref(), Some("2019-04-09"));
        assert_eq!(value("9 Aprel 2019").as_deref(), Some("2019-04-09"));
        assert_eq!(value("1 Haziran 2023").as_deref(), Some("2023-06-01"));
        assert_eq!(value("1 İyun 2023").as_deref(), Some("2023-06-01"));
        assert_eq!(value("18 Temmuz 2023").as_deref(), Some("2023-07-18"));
        assert_eq!(value("18 İyul 2023").as_deref(), Some("2023-07-18"));
        assert_eq!(value("30 Ağustos 2024").as_deref(), Some("2024-08-30"));
        assert_eq!(value("4 Eylül 2024").as_deref(), Some("2024-09-04"));
        assert_eq!(value("4 Sentâbr 2024").as_deref(), Some("2024-09-04"));
        assert_eq!(value("11 Oktâbrde 2021").as_deref(), Some("2021-10-11"));
        assert_eq!(value("5 Kasım 2018").as_deref(), Some("2018-11-05"));
        assert_eq!(value("5 Noyabr 2018").as_deref(), Some("2018-11-05"));
        assert_eq!(value("24 Aralıq 2025").as_deref(), Some("2025-12-24"));
        assert_eq!(value("24 Dekabr 2025").as_deref(), Some("2025-12-24"));
        assert_eq!(value("2 Mart 2017").as_deref(), Some("2017-03-02"));
        assert_eq!(value("20 Mayıs 2017").as_deref(), Some("2017-05-20"));
        let (date, _) = find("Mahkeme 27 Ekimde 2021 qarar berdi").unwrap();
        assert_eq!(date.value(), "2021-10-27");
        // An ending is read only after a month name.
        assert_eq!(parse("27 Dede 2021"), None);
    }

    #[test]
    fn text_that_is_more_than_a_date_is_not_a_dateline() {
        assert_eq!(parse("On June 23, 2025 the court sentenced him."), None);
        assert_eq!(parse("Prisoners as weapons"), None);
        assert_eq!(parse("31.02.2025"), None);
        assert_eq!(parse("June 31, 2025"), None);
        assert_eq!(parse("13.13.2025"), None);
        assert_eq!(parse("1 June 3025"), None);
    }

    #[test]
    fn finds_a_date_inside_text() {
        let text = "Posted by Editor on 23 June 2025 at 10:15 | News";
        let (date, range) = find(text).unwrap();
        assert_eq!(date.value(), "2025-06-23T10:15:00");
        assert_eq!(&text[range], "23 June 2025 at 10:15");
        let published = date.published("dateline");
        assert_eq!(
            (published.precision, published.from.as_str()),
            (Precision::Minute, "dateline")
        );
        assert!(find("no date here, only 2025").is_none());
    }
}
