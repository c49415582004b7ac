//! Dates as precise as the text makes them: a day, a month or only a year.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a date the source actually gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Year,
    Month,
    Day,
    /// A time of day is known as well (publication dates only).
    Minute,
}

/// A calendar date known to a year, a month or a day. `month` is set for month and day precision,
/// `day` only for day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FuzzyDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl FuzzyDate {
    pub fn year(year: i32) -> Self {
        FuzzyDate {
            year,
            month: None,
            day: None,
        }
    }

    pub fn month(year: i32, month: u32) -> Self {
        FuzzyDate {
            year,
            month: Some(month),
            day: None,
        }
    }

    pub fn day(year: i32, month: u32, day: u32) -> Self {
        FuzzyDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = match parts.next() {
            Some(m) => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match parts.next() {
            Some(d) => Some(d.parse().ok().filter(|d| (1..=31).contains(d))?),
            None => None,
        };
        Some(FuzzyDate { year, month, day })
    }

    /// True when `other` is the same date or a more precise date within this one.
    pub fn contains(&self, other: &FuzzyDate) -> bool {
        self.year == other.year
            && self.month.is_none_or(|m| other.month == Some(m))
            && self.day.is_none_or(|d| other.day == Some(d))
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_each_precision() {
        for s in ["2021", "2021-09", "2021-09-04"] {
            assert_eq!(FuzzyDate::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            FuzzyDate::parse("2021-09").unwrap().precision(),
            Precision::Month
        );
        assert!(FuzzyDate::parse("2021-13").is_none());
        assert!(FuzzyDate::parse("soon").is_none());
    }

    #[test]
    fn a_month_contains_its_days() {
        let month = FuzzyDate::month(2021, 9);
        assert!(month.contains(&FuzzyDate::day(2021, 9, 4)));
        assert!(!month.contains(&FuzzyDate::day(2021, 10, 4)));
        assert!(!FuzzyDate::day(2021, 9, 4).contains(&month));
    }
}
