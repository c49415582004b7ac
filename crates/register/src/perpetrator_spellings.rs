//! Which spellings name one perpetrator: "judge Viktor Zaitsev", "судья Виктор Зайцев" and
//! "judge V. Zaitsev" are one judge, "FSB" and "ФСБ" one service. Persons are matched the way the
//! register matches victims (`casebook_names`, across scripts, cases and initials); a bare
//! surname joins the one person of the same role (in any language: "судья" is a judge) who has it;
//! institutions join on their name key.
//!
//! Invariants: pure (no I/O); a person never joins an institution; the spelling seen in most
//! reports names its group, and a group's id does not depend on which spellings an export holds.

use casebook_events::perpetrator::Perpetrator;
use casebook_names::{PersonIndex, PreparedName, Resolution};
use std::collections::HashMap;

/// The groups of spellings of a set of perpetrators.
#[derive(Debug, Clone, Default)]
pub struct PerpetratorSpellings {
    /// Spelling → its group's slot in `groups`.
    group_of: HashMap<String, usize>,
    /// Each group's spellings, the most reported first.
    groups: Vec<Vec<String>>,
}

impl PerpetratorSpellings {
    /// Groups `texts` (as the events stage wrote them), given most reported first.
    pub fn group<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = PerpetratorSpellings::default();
        let mut persons = PersonIndex::new();
        let mut institutions: HashMap<String, usize> = HashMap::new();
        for text in texts {
            if out.group_of.contains_key(text) {
                continue;
            }
            let perpetrator = Perpetrator::read(text);
            let slot = match perpetrator.role_class() {
                Some(role) => {
                    let name = perpetrator.name();
                    let prepared = PreparedName::new(name);
                    let joined = match persons.resolve_prepared(&prepared) {
                        Resolution::Same(slot, _) => Some(slot as usize),
                        // A bare surname, with or without initials ("judge Zaitsev", "judge V.
                        // Zaitsev"), is only ever a candidate: it joins the one known person of
                        // the same role it could be (initials that disagree are no candidate).
                        Resolution::Candidate(c) if c.len() == 1 && prepared.core_len() == 1 => {
                            let slot = c[0].0 as usize;
                            out.groups
                                .get(slot)
                                .and_then(|g| g.first())
                                .is_some_and(|first| {
                                    Perpetrator::read(first).role_class() == Some(role)
                                })
                                .then_some(slot)
                        }
                        _ => None,
                    };
                    let slot = joined.unwrap_or(out.groups.len());
                    persons.add_name(slot as u64, name);
                    slot
                }
                None => {
                    let key = casebook_names::key(perpetrator.name());
                    let key = if key.is_empty() {
                        text.to_lowercase()
                    } else {
                        key
                    };
                    *institutions.entry(key).or_insert(out.groups.len())
                }
            };
            if slot == out.groups.len() {
                out.groups.push(Vec::new());
            }
            out.groups[slot].push(text.to_string());
            out.group_of.insert(text.to_string(), slot);
        }
        out
    }

    /// Every spelling of the perpetrator written `text`, the one seen most first; just `text`
    /// when it was not grouped.
    pub fn spellings(&self, text: &str) -> Vec<String> {
        self.group_of
            .get(text)
            .and_then(|&g| self.groups.get(g))
            .cloned()
            .unwrap_or_else(|| vec![text.to_string()])
    }

    /// The spelling that names the group of `text`.
    pub fn canonical<'a>(&'a self, text: &'a str) -> &'a str {
        self.group_of
            .get(text)
            .and_then(|&g| self.groups.get(g))
            .and_then(|g| g.first())
            .map_or(text, String::as_str)
    }

    /// The groups, in the order of their first spelling.
    pub fn groups(&self) -> impl Iterator<Item = &[String]> {
        self.groups.iter().map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_official_in_two_scripts_with_initials_and_a_bare_surname() {
        let s = PerpetratorSpellings::group([
            "judge Viktor Zaitsev",
            "FSB",
            "судья Виктор Зайцев",
            "judge V. Zaitsev",
            "judge Zaitsev",
            "ФСБ",
            "prosecutor Zaitseva",
            "judge Olga Maltseva",
        ]);
        assert_eq!(
            s.spellings("judge Zaitsev"),
            [
                "judge Viktor Zaitsev",
                "судья Виктор Зайцев",
                "judge V. Zaitsev",
                "judge Zaitsev"
            ]
        );
        assert_eq!(s.canonical("ФСБ"), "FSB");
        assert_eq!(s.canonical("judge Olga Maltseva"), "judge Olga Maltseva");
        assert_eq!(s.canonical("prosecutor Zaitseva"), "prosecutor Zaitseva");
        assert_eq!(s.groups().count(), 4);
    }

    #[test]
    fn a_bare_surname_of_two_known_persons_or_of_another_role_stays_apart() {
        let s = PerpetratorSpellings::group([
            "judge Viktor Zaitsev",
            "judge Ivan Zaitsev",
            "judge Zaitsev",
            "investigator Petrenko",
            "judge Oleh Petrenko",
        ]);
        assert_eq!(s.spellings("judge Zaitsev"), ["judge Zaitsev"]);
        assert_eq!(s.spellings("judge Oleh Petrenko"), ["judge Oleh Petrenko"]);
        assert_eq!(s.canonical("unknown"), "unknown");
    }

    #[test]
    fn a_bare_surname_joins_across_languages_of_the_role_word() {
        let s = PerpetratorSpellings::group([
            "judge Viktor Zaitsev",
            "судья Зайцев",
            "прокурор Зайцев",
        ]);
        assert_eq!(s.canonical("судья Зайцев"), "judge Viktor Zaitsev");
        assert_eq!(s.canonical("прокурор Зайцев"), "прокурор Зайцев");
    }

    #[test]
    fn a_person_never_joins_an_institution() {
        let s = PerpetratorSpellings::group(["judge Krymsky", "Krymsky"]);
        assert_eq!(s.groups().count(), 2);
    }
}
