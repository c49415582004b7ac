//! The knowledge the key and the scorer use, read once from the files under `data/`.
//!
//! The files are compiled in with `include_str!`, so a malformed line is a defect of this crate, not of
//! the input: [`tables()`] panics with the file and line, and the tests load every table.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const LATIN_LETTERS: &str = include_str!("../data/latin_letters.tsv");
const CYRILLIC: &str = include_str!("../data/cyrillic.tsv");
const TOKEN_REWRITES: &str = include_str!("../data/token_rewrites.tsv");
const MORPHOLOGY: &str = include_str!("../data/morphology.tsv");
const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");

/// A data line that could not be read: which file, which line, and why.
#[derive(Debug, thiserror::Error)]
#[error("{file} line {line}: {reason}")]
pub struct TableError {
    pub file: &'static str,
    pub line: usize,
    pub reason: String,
}

/// Replaces character sequences by strings; the longest source that matches at a position wins.
#[derive(Debug, Default)]
pub(crate) struct Substitutions {
    by_first: HashMap<char, Vec<(Vec<char>, String)>>,
}

impl Substitutions {
    fn parse(file: &'static str, text: &str) -> Result<Self, TableError> {
        let mut table = Substitutions::default();
        for (line, raw) in data_lines(text) {
            let (source, target) = raw.split_once('\t').unwrap_or((raw, ""));
            let source: Vec<char> = source.chars().collect();
            let Some(&first) = source.first() else {
                return Err(TableError {
                    file,
                    line,
                    reason: "empty source".into(),
                });
            };
            table
                .by_first
                .entry(first)
                .or_default()
                .push((source, target.trim().to_string()));
        }
        for candidates in table.by_first.values_mut() {
            candidates.sort_by_key(|c| std::cmp::Reverse(c.0.len()));
        }
        Ok(table)
    }

    /// Applies the table to `input`, appending to `out`.
    pub(crate) fn apply(&self, input: &[char], out: &mut String) {
        let mut i = 0;
        'outer: while let Some(&c) = input.get(i) {
            if let Some(candidates) = self.by_first.get(&c) {
                for (source, target) in candidates {
                    if input.get(i..i + source.len()) == Some(source.as_slice()) {
                        out.push_str(target);
                        i += source.len();
                        continue 'outer;
                    }
                }
            }
            out.push(c);
            i += 1;
        }
    }
}

/// Where a rewrite may apply, tested on the character before or after the matched text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Context {
    Any,
    /// The start (before) or end (after) of the token.
    Edge,
    /// A character from the set.
    In(Vec<u8>),
    /// A character that exists and is not in the set.
    NotIn(Vec<u8>),
    /// No character from the set: another character or the edge.
    NoneOf(Vec<u8>),
}

impl Context {
    fn parse(spec: &str, edge: &str) -> Option<Context> {
        let set = |s: &str| s.strip_suffix(']').map(|s| s.as_bytes().to_vec());
        if spec == "*" {
            Some(Context::Any)
        } else if spec == edge {
            Some(Context::Edge)
        } else if let Some(rest) = spec.strip_prefix("[^") {
            set(rest).map(Context::NotIn)
        } else if let Some(rest) = spec.strip_prefix("![") {
            set(rest).map(Context::NoneOf)
        } else if let Some(rest) = spec.strip_prefix('[') {
            set(rest).map(Context::In)
        } else {
            None
        }
    }

    fn accepts(&self, c: Option<u8>) -> bool {
        match (self, c) {
            (Context::Any, _) => true,
            (Context::Edge, c) => c.is_none(),
            (Context::In(set), Some(c)) => set.contains(&c),
            (Context::NotIn(set), Some(c)) => !set.contains(&c),
            (Context::NoneOf(set), c) => !matches!(c, Some(c) if set.contains(&c)),
            (Context::In(_) | Context::NotIn(_), None) => false,
        }
    }
}

/// One line of `token_rewrites.tsv`.
#[derive(Debug)]
pub(crate) enum Rewrite {
    Replace {
        before: Context,
        from: Vec<Vec<u8>>,
        after: Context,
        to: Vec<u8>,
    },
    CollapseDoubles,
}

impl Rewrite {
    /// One left-to-right pass; contexts are read from `token` as it was before the pass.
    pub(crate) fn apply(&self, token: &[u8]) -> Vec<u8> {
        match self {
            Rewrite::CollapseDoubles => {
                let mut out: Vec<u8> = Vec::with_capacity(token.len());
                for &c in token {
                    if out.last() != Some(&c) {
                        out.push(c);
                    }
                }
                out
            }
            Rewrite::Replace {
                before,
                from,
                after,
                to,
            } => {
                let mut out = Vec::with_capacity(token.len() + 2);
                let mut i = 0;
                'outer: while i < token.len() {
                    let prev = i.checked_sub(1).and_then(|p| token.get(p)).copied();
                    if before.accepts(prev) {
                        for alt in from {
                            if token.get(i..i + alt.len()) == Some(alt.as_slice())
                                && after.accepts(token.get(i + alt.len()).copied())
                            {
                                out.extend_from_slice(to);
                                i += alt.len();
                                continue 'outer;
                            }
                        }
                    }
                    if let Some(&c) = token.get(i) {
                        out.push(c);
                    }
                    i += 1;
                }
                out
            }
        }
    }

    fn parse(file: &'static str, text: &str) -> Result<Vec<Rewrite>, TableError> {
        let mut rules = Vec::new();
        for (line, raw) in data_lines(text) {
            if raw.trim() == "collapse-doubles" {
                rules.push(Rewrite::CollapseDoubles);
                continue;
            }
            let fields: Vec<&str> = raw.split('\t').collect();
            let err = |reason: &str| TableError {
                file,
                line,
                reason: reason.into(),
            };
            let [before, from, after, to] = fields.as_slice() else {
                return Err(err("expected four tab-separated columns"));
            };
            let (Some(before), Some(after)) =
                (Context::parse(before, "^"), Context::parse(after, "$"))
            else {
                return Err(err("unknown context"));
            };
            let from: Vec<Vec<u8>> = from.split('|').map(|a| a.as_bytes().to_vec()).collect();
            if from.iter().any(|a| a.is_empty()) {
                return Err(err("empty alternative"));
            }
            rules.push(Rewrite::Replace {
                before,
                from,
                after,
                to: to.trim().as_bytes().to_vec(),
            });
        }
        Ok(rules)
    }
}

/// Surname and patronymic endings, and the tokens that are not part of a name.
#[derive(Debug, Default)]
pub(crate) struct Morphology {
    /// (feminine, masculine) ending pairs, on keys.
    pub gender: Vec<(String, String)>,
    /// Endings that Slavicise a bare Crimean Tatar surname, longest first.
    pub slavic: Vec<String>,
    pub patronymic: Vec<String>,
    /// Keys of the Turkic words that mark the token before them as the father's name.
    pub patronymic_markers: HashSet<String>,
    /// Keys of titles and honorifics.
    pub ignore: HashSet<String>,
}

/// Every table the crate uses.
#[derive(Debug)]
pub(crate) struct Tables {
    pub latin: Substitutions,
    pub cyrillic: Substitutions,
    pub rewrites: Vec<Rewrite>,
    pub morphology: Morphology,
    /// Key of a given-name form → the number of its line (its equivalence class).
    pub given_names: HashMap<String, u32>,
}

/// The tables, parsed on first use.
pub(crate) fn tables() -> &'static Tables {
    static TABLES: LazyLock<Tables> = LazyLock::new(|| match load() {
        Ok(tables) => tables,
        // The data is compiled in: a bad line is a defect of this crate, caught by its tests.
        Err(err) => panic!("casebook-names data: {err}"),
    });
    &TABLES
}

pub(crate) fn load() -> Result<Tables, TableError> {
    let latin = Substitutions::parse("latin_letters.tsv", LATIN_LETTERS)?;
    let cyrillic = Substitutions::parse("cyrillic.tsv", CYRILLIC)?;
    let rewrites = Rewrite::parse("token_rewrites.tsv", TOKEN_REWRITES)?;
    let mut tables = Tables {
        latin,
        cyrillic,
        rewrites,
        morphology: Morphology::default(),
        given_names: HashMap::new(),
    };
    tables.morphology = parse_morphology(&tables)?;
    tables.given_names = parse_given_names(&tables)?;
    Ok(tables)
}

fn parse_morphology(tables: &Tables) -> Result<Morphology, TableError> {
    const FILE: &str = "morphology.tsv";
    let mut m = Morphology::default();
    for (line, raw) in data_lines(MORPHOLOGY) {
        let fields: Vec<&str> = raw.split('\t').map(str::trim).collect();
        let err = |reason: &str| TableError {
            file: FILE,
            line,
            reason: reason.into(),
        };
        match fields.as_slice() {
            ["gender", feminine, masculine] => {
                m.gender.push((feminine.to_string(), masculine.to_string()))
            }
            ["slavic", suffix] => m.slavic.push(suffix.to_string()),
            ["patronymic", suffix] => m.patronymic.push(suffix.to_string()),
            // Marker and title words are written as in the press; store their keys.
            ["patronymic-marker", word] => {
                m.patronymic_markers
                    .insert(crate::key::key_with(tables, word));
            }
            ["ignore", word] => {
                m.ignore.insert(crate::key::key_with(tables, word));
            }
            _ => return Err(err("unknown kind or wrong number of columns")),
        }
    }
    m.slavic.sort_by_key(|s| std::cmp::Reverse(s.len()));
    Ok(m)
}

fn parse_given_names(tables: &Tables) -> Result<HashMap<String, u32>, TableError> {
    const FILE: &str = "given_names.txt";
    let mut classes = HashMap::new();
    for (line, raw) in data_lines(GIVEN_NAMES) {
        for form in raw.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            let key = crate::key::key_with(tables, form);
            let err = |reason: String| TableError {
                file: FILE,
                line,
                reason,
            };
            if key.is_empty() || key.contains(' ') {
                return Err(err(format!("`{form}` is not a single-word name")));
            }
            if let Some(&other) = classes.get(&key) {
                if other != line as u32 {
                    return Err(err(format!("`{form}` has the key `{key}` of line {other}")));
                }
            }
            classes.insert(key, line as u32);
        }
    }
    Ok(classes)
}

/// Non-empty, non-comment lines with their 1-based numbers.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_loads() {
        let t = load().unwrap_or_else(|e| panic!("{e}"));
        assert!(t.rewrites.len() >= 10);
        assert!(t.given_names.len() > 200, "{}", t.given_names.len());
        assert!(t.morphology.gender.contains(&("ova".into(), "ov".into())));
        assert!(t.morphology.patronymic_markers.contains("ohlu"));
    }

    #[test]
    fn longest_substitution_wins() {
        let t = load().unwrap_or_else(|e| panic!("{e}"));
        let mut out = String::new();
        t.cyrillic
            .apply(&"джеляль".chars().collect::<Vec<_>>(), &mut out);
        assert_eq!(out, "jelal");
    }

    #[test]
    fn contexts_read_the_token_before_the_pass() {
        let rule = Rewrite::Replace {
            before: Context::In(b"aeiou".to_vec()),
            from: vec![b"y".to_vec(), b"i".to_vec()],
            after: Context::In(b"aeiou".to_vec()),
            to: Vec::new(),
        };
        assert_eq!(rule.apply(b"mustafayev"), b"mustafaev");
        assert_eq!(rule.apply(b"aiia"), b"aa");
        assert_eq!(Rewrite::CollapseDoubles.apply(b"dzhepparr"), b"dzhepar");
    }
}
