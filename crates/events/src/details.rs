//! Details of an event read from its sentence: criminal-code article and part, prison term and regime,
//! fine and currency, days of administrative arrest, custody measure.

use crate::data::{DetailPatterns, Lexicon, DETAILS, LEXICON};
use regex::{Regex, RegexBuilder};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A language's detail patterns, compiled, with the number words they read.
#[derive(Clone)]
pub struct Reader {
    article: Vec<Regex>,
    term: Vec<Regex>,
    money: Regex,
    days: Regex,
    regime: BTreeMap<String, Vec<String>>,
    measure: BTreeMap<String, Vec<String>>,
    currencies: BTreeMap<String, String>,
    number_words: BTreeMap<String, u32>,
}

fn compile(language: &str, pattern: &str, numbers: &str) -> Regex {
    // `{numbers}` stands for the language's number words ("к восьми годам").
    let pattern = pattern.replace("{numbers}", numbers);
    match RegexBuilder::new(&pattern).case_insensitive(true).build() {
        Ok(r) => r,
        Err(e) => {
            panic!("casebook-events detail pattern {pattern:?} of {language} is invalid: {e}")
        }
    }
}

static ENGLISH: LazyLock<Reader> = LazyLock::new(|| Reader::new("en", &DETAILS, &LEXICON));

impl Reader {
    /// Compiles `patterns`, reading numbers with `lexicon`'s number words.
    pub fn new(language: &str, patterns: &DetailPatterns, lexicon: &Lexicon) -> Reader {
        let mut words: Vec<&String> = lexicon.number_words.keys().collect();
        // Longest first, so "семнадцати" is not read as "семь".
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let numbers = words
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        let compile = |p: &str| compile(language, p, &numbers);
        Reader {
            article: patterns.article.iter().map(|p| compile(p)).collect(),
            term: patterns.term.iter().map(|p| compile(p)).collect(),
            money: compile(&patterns.money.pattern),
            days: compile(&patterns.days),
            regime: patterns.regime.clone(),
            measure: patterns.measure.clone(),
            currencies: patterns.money.currencies.clone(),
            number_words: lexicon.number_words.clone(),
        }
    }

    /// The English reader.
    pub fn english() -> &'static Reader {
        &ENGLISH
    }

    fn number_text(&self, s: &str) -> String {
        match self.number_words.get(&s.to_lowercase()) {
            Some(n) => n.to_string(),
            None => s.to_string(),
        }
    }

    /// The first criminal-code article (and part) in `text`: `("205.5", Some("2"))`.
    pub fn article(&self, text: &str) -> Option<(String, Option<String>)> {
        self.article
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
    pub fn term(&self, text: &str) -> Option<String> {
        let m = self.term.iter().filter_map(|re| re.captures(text)).next()?;
        // Patterns of inflected languages name the number of years and months apart ("к 12 годам и 6
        // месяцам"): the unit words have too many forms to be read back.
        if m.name("years").is_some() || m.name("months").is_some() {
            let mut parts = Vec::new();
            if let Some(years) = m.name("years") {
                let half = m.name("half").is_some() || m.name("halfdigit").is_some();
                let half = if half { ".5" } else { "" };
                parts.push(format!("{}{half} years", self.number_text(years.as_str())));
            }
            if let Some(months) = m.name("months") {
                parts.push(format!("{} months", self.number_text(months.as_str())));
            }
            return Some(parts.join(" "));
        }
        let raw = m.name("term")?.as_str().to_lowercase();
        let half = raw.contains("and a half") || raw.contains("and-a-half");
        let words: Vec<String> = raw
            .replace("and a half", "")
            .replace("and-a-half", "")
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty() && *w != "and")
            .map(|w| self.number_text(w))
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

    /// The detention regime named in `text` (`strict`, `general`, `special`, `settlement`, `suspended`).
    pub fn regime(&self, text: &str) -> Option<&str> {
        first_keyword(text, &self.regime)
    }

    /// The custody measure named in `text` (`house_arrest`, `custody`).
    pub fn measure(&self, text: &str) -> Option<&str> {
        first_keyword(text, &self.measure)
    }

    /// An amount of money: digits only, and the ISO currency code.
    pub fn money(&self, text: &str) -> Option<(String, String)> {
        let c = self.money.captures(text)?;
        let mut amount: String = c
            .name("amount")?
            .as_str()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if c.get(0)?.as_str().to_lowercase().contains("thousand") || c.name("thousand").is_some() {
            amount.push_str("000");
        }
        let currency = c.name("currency")?.as_str().to_lowercase();
        let code = self.currencies.get(currency.trim())?.clone();
        Some((amount, code))
    }

    /// Days of administrative arrest.
    pub fn days(&self, text: &str) -> Option<String> {
        self.days
            .captures(text)
            .and_then(|c| c.name("days"))
            .map(|m| self.number_text(m.as_str()))
    }
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

/// The first criminal-code article (and part) in English `text`.
pub fn article(text: &str) -> Option<(String, Option<String>)> {
    ENGLISH.article(text)
}

/// The prison term in English `text`.
pub fn term(text: &str) -> Option<String> {
    ENGLISH.term(text)
}

/// The detention regime named in English `text`.
pub fn regime(text: &str) -> Option<&'static str> {
    ENGLISH.regime(text)
}

/// The custody measure named in English `text`.
pub fn measure(text: &str) -> Option<&'static str> {
    ENGLISH.measure(text)
}

/// An amount of money in English `text`.
pub fn money(text: &str) -> Option<(String, String)> {
    ENGLISH.money(text)
}

/// Days of administrative arrest in English `text`.
pub fn days(text: &str) -> Option<String> {
    ENGLISH.days(text)
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
