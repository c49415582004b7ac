//! Cell values read for comparison: dates at the precision given, prison terms in months, statuses in
//! the register's words (`data/statuses.tsv`), places by their name keys. A value that cannot be read
//! is kept as written and never called a conflict: a conflict is two readings that disagree.

use crate::columns::normalise;
use std::sync::LazyLock;

/// A date with the precision a list or the register gives it: year, month, day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Whether the two dates disagree where both say something (2019 and 2019-03-12 agree).
    pub fn contradicts(&self, other: &PartialDate) -> bool {
        self.year != other.year
            || matches!((self.month, other.month), (Some(a), Some(b)) if a != b)
            || matches!((self.day, other.day), (Some(a), Some(b)) if a != b)
    }
}

/// Reads `2019-03-12`, `12.03.2019`, `12/03/2019`, `03.2019`, `2019-03` and `2019` (day first, as
/// lists in these languages write it); anything else is `None`.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    let text = text.split(['T', ' ']).next().unwrap_or(text);
    let parts: Vec<&str> = text
        .split(['-', '.', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let num = |s: &str| -> Option<u32> {
        (s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let nums: Vec<u32> = parts.iter().map(|p| num(p)).collect::<Option<_>>()?;
    let (year, month, day) = match (parts.first().map(|p| p.len()), nums.as_slice()) {
        (Some(4), [y]) => (*y, None, None),
        (Some(4), [y, m]) => (*y, Some(*m), None),
        (Some(4), [y, m, d]) => (*y, Some(*m), Some(*d)),
        (_, [m, y]) if parts[1].len() == 4 => (*y, Some(*m), None),
        (_, [d, m, y]) if parts[2].len() == 4 => (*y, Some(*m), Some(*d)),
        _ => return None,
    };
    let valid = (1800..=2200).contains(&year)
        && month.is_none_or(|m| (1..=12).contains(&m))
        && day.is_none_or(|d| (1..=31).contains(&d));
    valid.then_some(PartialDate {
        year: year as u16,
        month: month.map(|m| m as u8),
        day: day.map(|d| d as u8),
    })
}

/// Unit words of terms (`data/terms.tsv`): word → months each.
static TERM_UNITS: LazyLock<Vec<(String, u32)>> = LazyLock::new(|| {
    let mut out: Vec<(String, u32)> = include_str!("../data/terms.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (months, word) = l.split_once('\t')?;
            Some((word.trim().to_lowercase(), months.trim().parse().ok()?))
        })
        .collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    out
});

/// Months each of a unit word, if it is one.
fn unit(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    TERM_UNITS
        .iter()
        .find(|(u, _)| u == word || (u.chars().count() >= 3 && word.starts_with(u.as_str())))
        .map(|(_, m)| *m)
}

/// A prison term in months: "13 years", "5 years 6 months", "12.5 years", "13 лет", "6 р. 6 міс.",
/// "8,5 лет". A bare number is years. `None` when no number is found.
pub fn parse_term(text: &str) -> Option<u32> {
    let lower = text.to_lowercase().replace(',', ".");
    let mut words = lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .peekable();
    let mut months = 0.0f64;
    let mut found = false;
    while let Some(w) = words.next() {
        // "13лет": a number glued to its unit.
        let digits: String = w
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if digits.is_empty() {
            continue;
        }
        let Ok(n) = digits.trim_end_matches('.').parse::<f64>() else {
            continue;
        };
        let rest = &w[digits.len()..];
        let per = if !rest.is_empty() {
            unit(rest)
        } else {
            words.peek().and_then(|next| unit(next))
        };
        months += n * f64::from(per.unwrap_or(12));
        found = true;
    }
    found.then_some(months.round() as u32)
}

/// Status phrases (`data/statuses.tsv`): normalised phrase → register status word.
static STATUSES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut out: Vec<(String, String)> = include_str!("../data/statuses.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (status, phrase) = l.split_once('\t')?;
            Some((normalise(phrase), status.trim().to_string()))
        })
        .collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    out
});

/// The register's status word for a list's status cell ("осуждён, отбывает наказание в ИК-1" →
/// `serving_sentence`), or `None` when no phrase explains it.
pub fn parse_status(text: &str) -> Option<&'static str> {
    let cell = normalise(text);
    if cell.is_empty() {
        return None;
    }
    STATUSES
        .iter()
        .find(|(p, _)| cell == *p || cell.starts_with(&format!("{p} ")))
        .map(|(_, s)| s.as_str())
}

/// Whether two places name different places: they share no name key of three letters or more
/// ("СИЗО-2 Симферополь" and "Simferopol" agree; "ИК-1 Ярославль" and "Simferopol" do not).
pub fn places_differ(a: &str, b: &str) -> bool {
    let keys = |s: &str| -> Vec<String> {
        casebook_names::key(s)
            .split_whitespace()
            .filter(|k| k.chars().count() >= 3)
            .map(str::to_string)
            .collect()
    };
    let (ka, kb) = (keys(a), keys(b));
    !ka.is_empty() && !kb.is_empty() && !ka.iter().any(|k| kb.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_at_their_precision() {
        let d = parse_date("12.03.2019").unwrap();
        assert_eq!((d.year, d.month, d.day), (2019, Some(3), Some(12)));
        assert_eq!(parse_date("2019-03-12"), Some(d));
        assert!(!parse_date("2019").unwrap().contradicts(&d));
        assert!(!parse_date("03.2019").unwrap().contradicts(&d));
        assert!(parse_date("13.03.2019").unwrap().contradicts(&d));
        assert!(parse_date("2018").unwrap().contradicts(&d));
        assert_eq!(parse_date("весной"), None);
        assert_eq!(parse_date("32.01.2019"), None);
    }

    #[test]
    fn terms_in_months() {
        assert_eq!(parse_term("13 years"), Some(156));
        assert_eq!(parse_term("13 лет строгого режима"), Some(156));
        assert_eq!(parse_term("5 years 6 months"), Some(66));
        assert_eq!(parse_term("6 р. 6 міс."), Some(78));
        assert_eq!(parse_term("12,5 лет"), Some(150));
        assert_eq!(parse_term("12.5 years"), Some(150));
        assert_eq!(parse_term("7"), Some(84));
        assert_eq!(parse_term("пожизненно"), None);
    }

    #[test]
    fn statuses_in_the_registers_words() {
        assert_eq!(parse_status("Осуждён"), Some("serving_sentence"));
        assert_eq!(parse_status("в СИЗО"), Some("pre_trial_detention"));
        assert_eq!(parse_status("СИЗО"), Some("pre_trial_detention"));
        assert_eq!(parse_status("звільнений"), Some("released"));
        assert_eq!(parse_status("Released in 2022"), Some("released"));
        assert_eq!(parse_status("unclear"), None);
        for (_, status) in STATUSES.iter() {
            assert!(casebook_model_status(status), "{status}");
        }
    }

    /// The register's status words (`casebook_model::Status`), which the data file must use.
    fn casebook_model_status(s: &str) -> bool {
        [
            "under_persecution",
            "pre_trial_detention",
            "serving_sentence",
            "restricted",
            "released",
            "exchanged",
            "disappeared",
            "deceased",
        ]
        .contains(&s)
    }

    #[test]
    fn places_across_scripts() {
        assert!(!places_differ("СИЗО-2 Симферополь", "Simferopol"));
        assert!(places_differ("ИК-1 Ярославль", "Simferopol"));
        assert!(!places_differ("", "Simferopol"));
    }
}
