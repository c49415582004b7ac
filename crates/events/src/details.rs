//! Details of an event read from its sentence: criminal-code article and part, prison term and regime,
//! fine and currency, days of administrative arrest, custody measure.

use crate::data::{DETAILS, LEXICON};
use regex::{Regex, RegexBuilder};
use std::collections::BTreeMap;
use std::sync::LazyLock;

struct Compiled {
    article: Vec<Regex>,
    term: Vec<Regex>,
    money: Regex,
    days: Regex,
}

fn compile(pattern: &str) -> Regex {
    match RegexBuilder::new(pattern).case_insensitive(true).build() {
        Ok(r) => r,
        Err(e) => panic!("casebook-events detail pattern {pattern:?} is invalid: {e}"),
    }
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled {
    article: DETAILS.article.iter().map(|p| compile(p)).collect(),
    term: DETAILS.term.iter().map(|p| compile(p)).collect(),
    money: compile(&DETAILS.money.pattern),
    days: compile(&DETAILS.days),
});

fn number_text(s: &str) -> String {
    match LEXICON.number_words.get(&s.to_lowercase()) {
        Some(n) => n.to_string(),
        None => s.to_string(),
    }
}

/// The first criminal-code article (and part) in `text`: `("205.5", Some("2"))`.
pub fn article(text: &str) -> Option<(String, Option<String>)> {
    COMPILED
        .article
        .iter()
        .filter_map(|re| re.captures(text))
        .min_by_key(|c| c.get(0).map_or(0, |m| m.start()))
        .and_then(|c| {
            let article = c.name("article")?.as_str().to_string();
            let part = c
                .name("part")
                .or_else(|| c.name("part2"))
                .map(|m| m.as_str().to_string());
            Some((article, part))
        })
}

/// The prison term in `text`, normalised to digits ("17 years", "12.5 years", "5 years 6 months").
pub fn term(text: &str) -> Option<String> {
    let m = COMPILED
        .term
        .iter()
        .filter_map(|re| re.captures(text))
        .next()?;
    let raw = m.name("term")?.as_str().to_lowercase();
    let half = raw.contains("and a half") || raw.contains("and-a-half");
    let words: Vec<String> = raw
        .replace("and a half", "")
        .replace("and-a-half", "")
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && *w != "and")
        .map(number_text)
        .collect();
    let mut out = String::new();
    for pair in words.chunks(2) {
        if let [n, unit] = pair {
            let unit = if unit.starts_with("year") {
                "years"
            } else {
                "months"
            };
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(n);
            if half && unit == "years" && out.matches(' ').count() == 0 {
                out.push_str(".5");
            }
            out.push(' ');
            out.push_str(unit);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn first_keyword<'a>(text: &str, table: &'a BTreeMap<String, Vec<String>>) -> Option<&'a str> {
    let lower = text.to_lowercase();
    table
        .iter()
        .filter_map(|(key, words)| {
            words
                .iter()
                .filter_map(|w| lower.find(w.as_str()))
                .min()
                .map(|at| (at, key))
        })
        .min()
        .map(|(_, key)| key.as_str())
}

/// The detention regime named in `text` (`strict`, `general`, `special`, `settlement`, `suspended`).
pub fn regime(text: &str) -> Option<&'static str> {
    first_keyword(text, &DETAILS.regime)
}

/// The custody measure named in `text` (`house_arrest`, `custody`).
pub fn measure(text: &str) -> Option<&'static str> {
    first_keyword(text, &DETAILS.measure)
}

/// An amount of money: digits only, and the ISO currency code.
pub fn money(text: &str) -> Option<(String, String)> {
    let c = COMPILED.money.captures(text)?;
    let mut amount: String = c
        .name("amount")?
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if c.get(0)?.as_str().to_lowercase().contains("thousand") {
        amount.push_str("000");
    }
    let currency = c.name("currency")?.as_str().to_lowercase();
    let code = DETAILS.money.currencies.get(currency.trim())?.clone();
    Some((amount, code))
}

/// Days of administrative arrest.
pub fn days(text: &str) -> Option<String> {
    COMPILED
        .days
        .captures(text)
        .and_then(|c| c.name("days"))
        .map(|m| number_text(m.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_and_parts() {
        assert_eq!(
            article("charged under article 205.5 part 2 of the Criminal Code"),
            Some(("205.5".into(), Some("2".into())))
        );
        assert_eq!(
            article("under Part 1 of Article 278"),
            Some(("278".into(), Some("1".into())))
        );
        assert_eq!(
            article("Art. 275.1 of the code"),
            Some(("275.1".into(), None))
        );
        assert_eq!(
            article("Article 205.5(2)"),
            Some(("205.5".into(), Some("2".into())))
        );
        assert_eq!(article("the article said"), None);
    }

    #[test]
    fn terms_and_regimes() {
        assert_eq!(
            term("sentenced to 17 years in a strict-regime colony").as_deref(),
            Some("17 years")
        );
        assert_eq!(
            term("to twelve and a half years").as_deref(),
            Some("12.5 years")
        );
        assert_eq!(
            term("to 5 years and 6 months").as_deref(),
            Some("5 years 6 months")
        );
        assert_eq!(term("to 18 months of prison").as_deref(), Some("18 months"));
        assert_eq!(regime("17 years in a strict-regime colony"), Some("strict"));
        assert_eq!(regime("a three-year suspended sentence"), Some("suspended"));
        assert_eq!(regime("general regime colony"), Some("general"));
        assert_eq!(regime("nothing here"), None);
    }

    #[test]
    fn money_days_and_measures() {
        assert_eq!(
            money("fined 10,000 roubles"),
            Some(("10000".into(), "RUB".into()))
        );
        assert_eq!(
            money("a fine of 40 thousand rubles"),
            Some(("40000".into(), "RUB".into()))
        );
        assert_eq!(
            days("12 days of administrative arrest").as_deref(),
            Some("12")
        );
        assert_eq!(days("ten days in jail").as_deref(), Some("10"));
        assert_eq!(measure("placed under house arrest"), Some("house_arrest"));
        assert_eq!(measure("remanded in custody"), Some("custody"));
    }
}
