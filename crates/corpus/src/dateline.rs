//! The date in an article's first line (`September 6, 2021, 10:15 a.m.`, `07.09.2021 18:40`,
//! `15 September 2021`), which the corpus's relative dates are resolved against.

use casebook_model::FuzzyDate;

/// Month number (1-based) of an English month name or abbreviation ("Sept." as "sept"), by the
/// shared calendar (`casebook_vocabulary`).
fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    casebook_vocabulary::months("en")
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, n)| n)
}

/// Reads a day-precision date from the start of `line`: `DD.MM.YYYY`, `D Month YYYY` or
/// `Month D, YYYY`, each optionally followed by a time. `None` when the line holds no such date.
pub fn parse_dateline(line: &str) -> Option<FuzzyDate> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let first = *words.first()?;
    let numeric: Vec<&str> = first.split('.').collect();
    let (year, month, day): (i32, u32, u32) = if let [d, m, y] = numeric.as_slice() {
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else if let Some(month) = month_number(first) {
        (
            words.get(2)?.parse().ok()?,
            month,
            words.get(1)?.parse().ok()?,
        )
    } else {
        (
            words.get(2)?.parse().ok()?,
            month_number(words.get(1)?)?,
            first.parse().ok()?,
        )
    };
    let date = FuzzyDate::parse(&format!("{year:04}-{month:02}-{day:02}"))?;
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_dateline_styles() {
        let day = Some(FuzzyDate::day(2021, 9, 6));
        assert_eq!(parse_dateline("September 6, 2021, 10:15 a.m."), day);
        assert_eq!(parse_dateline("06.09.2021 18:40"), day);
        assert_eq!(parse_dateline("6 September 2021"), day);
        assert_eq!(parse_dateline("Sept. 6, 2021"), day);
        assert_eq!(parse_dateline("Occupiers detain Crimean Tatars"), None);
        assert_eq!(parse_dateline("31.02"), None);
        assert_eq!(parse_dateline("May 40, 2021"), None);
        assert_eq!(parse_dateline(""), None);
    }
}
