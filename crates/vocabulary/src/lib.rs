//! The calendar words of the languages casebook reads (en, ru, uk, crh): month and weekday names with
//! their numbers, kept once in `data/calendar.tsv` for every stage that reads or writes a date.
//!
//! The file is compiled in: a line this module cannot read is a defect of the crate, which the tests
//! below find by reading the whole file. At run time such a line is left out rather than panicking.

use std::sync::LazyLock;

/// The languages the calendar lists, by the codes the article stage gives them.
pub const LANGUAGES: [&str; 4] = ["en", "ru", "uk", "crh"];

/// What a calendar word names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A month; its number runs from 1 (January) to 12.
    Month,
    /// A day of the week; its number runs from 1 (Monday) to 7 (Sunday), as in ISO 8601.
    Weekday,
}

impl Kind {
    fn parse(field: &str) -> Option<Kind> {
        match field {
            "month" => Some(Kind::Month),
            "weekday" => Some(Kind::Weekday),
            _ => None,
        }
    }

    fn numbers(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Kind::Month => 1..=12,
            Kind::Weekday => 1..=7,
        }
    }
}

/// One line of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    word: &'static str,
    language: &'static str,
    kind: Kind,
    number: u32,
}

/// What is wrong with a line of the calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LineError {
    /// Not four fields.
    Fields,
    Word,
    Language,
    Kind,
    Number,
}

/// Reads one line: `None` for a blank or comment line.
fn parse_line(line: &'static str) -> Option<Result<Entry, LineError>> {
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    let fields: Vec<&'static str> = line.split('\t').map(str::trim).collect();
    let [word, language, kind, number] = fields[..] else {
        return Some(Err(LineError::Fields));
    };
    Some(read_fields(word, language, kind, number))
}

fn read_fields(
    word: &'static str,
    language: &'static str,
    kind: &str,
    number: &str,
) -> Result<Entry, LineError> {
    // Readers compare lower-cased text with the words as listed.
    if word.is_empty() || word.chars().any(char::is_whitespace) || word != word.to_lowercase() {
        return Err(LineError::Word);
    }
    if !LANGUAGES.contains(&language) {
        return Err(LineError::Language);
    }
    let kind = Kind::parse(kind).ok_or(LineError::Kind)?;
    let number = number
        .parse::<u32>()
        .ok()
        .filter(|n| kind.numbers().contains(n))
        .ok_or(LineError::Number)?;
    Ok(Entry {
        word,
        language,
        kind,
        number,
    })
}

const CALENDAR_FILE: &str = include_str!("../data/calendar.tsv");

/// The calendar as the readers ask for it, built once.
struct Calendar {
    /// Per language of [`LANGUAGES`], in that order: its months and its weekdays, as listed.
    months: Vec<Vec<(&'static str, u32)>>,
    weekdays: Vec<Vec<(&'static str, u32)>>,
    /// Every language's words, each word once.
    all_months: Vec<(&'static str, u32)>,
    all_weekdays: Vec<(&'static str, u32)>,
    /// The English full name of each month, capitalised, January first.
    month_names: Vec<String>,
}

static CALENDAR: LazyLock<Calendar> = LazyLock::new(|| {
    let entries: Vec<Entry> = CALENDAR_FILE
        .lines()
        .filter_map(parse_line)
        .filter_map(Result::ok)
        .collect();
    let words = |language: &str, kind: Kind| -> Vec<(&'static str, u32)> {
        entries
            .iter()
            .filter(|e| e.language == language && e.kind == kind)
            .map(|e| (e.word, e.number))
            .collect()
    };
    let union = |kind: Kind| -> Vec<(&'static str, u32)> {
        let mut all: Vec<(&'static str, u32)> = Vec::new();
        for e in entries.iter().filter(|e| e.kind == kind) {
            if !all.iter().any(|(w, _)| *w == e.word) {
                all.push((e.word, e.number));
            }
        }
        all
    };
    let month_names = Kind::Month
        .numbers()
        .map(|n| {
            entries
                .iter()
                .find(|e| e.language == "en" && e.kind == Kind::Month && e.number == n)
                .map(|e| capitalised(e.word))
                .unwrap_or_default()
        })
        .collect();
    Calendar {
        months: LANGUAGES.iter().map(|&l| words(l, Kind::Month)).collect(),
        weekdays: LANGUAGES.iter().map(|&l| words(l, Kind::Weekday)).collect(),
        all_months: union(Kind::Month),
        all_weekdays: union(Kind::Weekday),
        month_names,
    }
});

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn of_language(
    lists: &'static [Vec<(&'static str, u32)>],
    language: &str,
) -> &'static [(&'static str, u32)] {
    LANGUAGES
        .iter()
        .position(|l| *l == language)
        .and_then(|i| lists.get(i))
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The month words of `language` (lower case, every form listed: "июня", "в июне", "sept") with
/// their numbers, 1 (January) to 12. Empty for a language the calendar does not list.
pub fn months(language: &str) -> &'static [(&'static str, u32)] {
    of_language(&CALENDAR.months, language)
}

/// The weekday words of `language` (lower case, every form listed) with their numbers, 1 (Monday)
/// to 7 (Sunday). Empty for a language the calendar does not list.
pub fn weekdays(language: &str) -> &'static [(&'static str, u32)] {
    of_language(&CALENDAR.weekdays, language)
}

/// The month words of every language, each word once: for readers that do not know the language of
/// the text (datelines).
pub fn all_months() -> &'static [(&'static str, u32)] {
    &CALENDAR.all_months
}

/// The weekday words of every language, each word once.
pub fn all_weekdays() -> &'static [(&'static str, u32)] {
    &CALENDAR.all_weekdays
}

/// The English full name of month `number` as it is shown ("January" for 1); `None` outside 1–12.
pub fn month_name(number: u32) -> Option<&'static str> {
    let index = usize::try_from(number.checked_sub(1)?).ok()?;
    CALENDAR
        .month_names
        .get(index)
        .map(String::as_str)
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn every_line_of_the_calendar_reads() {
        for (n, line) in CALENDAR_FILE.lines().enumerate() {
            if let Some(Err(e)) = parse_line(line) {
                panic!("data/calendar.tsv line {}: {e:?}: {line:?}", n + 1);
            }
        }
    }

    #[test]
    fn a_malformed_line_is_refused() {
        assert_eq!(parse_line("# comment"), None);
        assert_eq!(parse_line("   "), None);
        assert_eq!(parse_line("june\ten\tmonth"), Some(Err(LineError::Fields)));
        assert_eq!(parse_line("June\ten\tmonth\t6"), Some(Err(LineError::Word)));
        assert_eq!(
            parse_line("junio\tes\tmonth\t6"),
            Some(Err(LineError::Language))
        );
        assert_eq!(
            parse_line("june\ten\tmonths\t6"),
            Some(Err(LineError::Kind))
        );
        assert_eq!(
            parse_line("june\ten\tmonth\t13"),
            Some(Err(LineError::Number))
        );
        assert_eq!(
            parse_line("sunday\ten\tweekday\t0"),
            Some(Err(LineError::Number))
        );
    }

    #[test]
    fn every_language_names_every_month_and_weekday() {
        for language in LANGUAGES {
            for (list, kind) in [
                (months(language), Kind::Month),
                (weekdays(language), Kind::Weekday),
            ] {
                for n in kind.numbers() {
                    assert!(
                        list.iter().any(|&(_, m)| m == n),
                        "{language} has no {kind:?} {n}"
                    );
                }
            }
        }
        assert!(months("de").is_empty() && weekdays("").is_empty());
    }

    #[test]
    fn a_word_means_one_thing_in_every_language() {
        // The unions are read by readers that do not know the language: a word must not name two
        // months, two weekdays, or a month and a weekday.
        let mut meaning: HashMap<&str, (Kind, u32)> = HashMap::new();
        for e in CALENDAR_FILE.lines().filter_map(parse_line).flatten() {
            let before = meaning.insert(e.word, (e.kind, e.number));
            assert!(
                before.is_none_or(|b| b == (e.kind, e.number)),
                "{} means {before:?} and {:?}",
                e.word,
                (e.kind, e.number)
            );
        }
        assert_eq!(
            all_months().len() + all_weekdays().len(),
            meaning.len(),
            "the unions hold each word once"
        );
    }

    #[test]
    fn the_forms_readers_rely_on_are_listed() {
        let number = |list: &[(&str, u32)], word: &str| {
            list.iter().find(|(w, _)| *w == word).map(|&(_, n)| n)
        };
        assert_eq!(number(months("en"), "sept"), Some(9));
        assert_eq!(number(months("ru"), "июне"), Some(6));
        assert_eq!(number(months("uk"), "червня"), Some(6));
        assert_eq!(number(months("crh"), "oktâbr"), Some(10));
        assert_eq!(number(weekdays("ru"), "среду"), Some(3));
        assert_eq!(number(weekdays("en"), "sunday"), Some(7));
        assert_eq!(number(all_months(), "ekim"), Some(10));
        assert_eq!(number(all_weekdays(), "п’ятниця"), Some(5));
        assert_eq!(number(months("en"), "июне"), None);
    }

    #[test]
    fn english_month_names_are_shown_in_full() {
        assert_eq!(month_name(1), Some("January"));
        assert_eq!(month_name(9), Some("September"));
        assert_eq!(month_name(12), Some("December"));
        assert_eq!(month_name(0), None);
        assert_eq!(month_name(13), None);
    }
}
