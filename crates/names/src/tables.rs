//! The knowledge the key and the scorer use, read once from the files under `data/`.
//!
//! The files are compiled in with `include_str!`, so a malformed line is a defect of this crate, not of
//! the input: [`tables()`] panics with the file and line, and the tests load every table.

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
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

/// Replacement candidates starting with one character, longest source first.
type Candidates = Vec<(Vec<char>, String)>;

/// Replaces character sequences by strings; the longest source that matches at a position wins.
///
/// The candidates are found by their first character: ASCII characters through a direct table and the
/// rest through a hash map, because the key looks up every character of every name.
#[derive(Debug)]
pub(crate) struct Substitutions {
    /// `ascii[c]` is 1 + the index into `groups` of the candidates for ASCII `c`, or 0.
    ascii: [u16; 128],
    other: FxHashMap<char, u16>,
    groups: Vec<Candidates>,
}

impl Default for Substitutions {
    fn default() -> Self {
        Substitutions {
            ascii: [0; 128],
            other: FxHashMap::default(),
            groups: Vec::new(),
        }
    }
}

impl Substitutions {
    fn parse(file: &'static str, text: &str) -> Result<Self, TableError> {
        let mut by_first: Vec<(char, Candidates)> = Vec::new();
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
            let entry = (source, target.trim().to_string());
            match by_first.iter_mut().find(|(c, _)| *c == first) {
                Some((_, group)) => group.push(entry),
                None => by_first.push((first, vec![entry])),
            }
        }
        let mut table = Substitutions::default();
        for (first, mut candidates) in by_first {
            candidates.sort_by_key(|c| std::cmp::Reverse(c.0.len()));
            table.groups.push(candidates);
            let slot = table.groups.len() as u16;
            match table.ascii.get_mut(first as usize) {
                Some(cell) => *cell = slot,
                None => {
                    table.other.insert(first, slot - 1);
                }
            }
        }
        Ok(table)
    }

    /// The candidates whose source starts with `c`, longest first.
    fn candidates(&self, c: char) -> Option<&Candidates> {
        let slot = match self.ascii.get(c as usize) {
            Some(&0) => return None,
            Some(&slot) => slot - 1,
            None => *self.other.get(&c)?,
        };
        self.groups.get(slot as usize)
    }

    /// The first characters of the sources.
    #[cfg(test)]
    pub(crate) fn first_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.groups
            .iter()
            .filter_map(|g| g.first().and_then(|(source, _)| source.first().copied()))
    }

    /// Whether `b` starts no source made of ASCII characters only: in an all-ASCII word such a byte
    /// can never start a match, so the key may copy it without looking the table up.
    pub(crate) fn ascii_inert(&self, b: u8) -> bool {
        self.candidates(char::from(b)).is_none_or(|group| {
            group
                .iter()
                .all(|(source, _)| !source.iter().all(char::is_ascii))
        })
    }

    /// Whether any source starts with `c`.
    #[cfg(test)]
    pub(crate) fn starts_with_char(&self, c: char) -> bool {
        self.candidates(c).is_some()
    }

    /// The replacement of the longest source that matches `input` at its start, and that source's length.
    pub(crate) fn match_at(&self, input: &[char]) -> Option<(&str, usize)> {
        let first = *input.first()?;
        self.candidates(first)?
            .iter()
            .find(|(source, _)| input.starts_with(source))
            .map(|(source, target)| (target.as_str(), source.len()))
    }

    /// Applies the table to `input`, appending to `out`.
    #[cfg(test)]
    pub(crate) fn apply(&self, input: &[char], out: &mut String) {
        let mut i = 0;
        while let Some(rest) = input.get(i..).filter(|r| !r.is_empty()) {
            match self.match_at(rest) {
                Some((target, len)) => {
                    out.push_str(target);
                    i += len;
                }
                None => {
                    out.extend(rest.first());
                    i += 1;
                }
            }
        }
    }
}

/// Which bytes a rewrite context accepts, as a lookup table: entry 256 stands for the edge of the token.
/// The rewrites test a context at every position of every token, so the sets are compiled once.
#[derive(Clone)]
pub(crate) struct Accept([bool; 257]);

impl fmt::Debug for Accept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes: String = (0u8..=255)
            .filter(|&b| self.accepts(Some(b)) && b.is_ascii_graphic())
            .map(char::from)
            .collect();
        write!(f, "Accept({bytes:?}, edge: {})", self.accepts(None))
    }
}

impl Accept {
    /// Reads a context: `*` anything, `^`/`$` the edge, `[abc]` one of, `[^abc]` a character not one of,
    /// `![abc]` no character from the set (another character or the edge).
    fn parse(spec: &str, edge: &str) -> Option<Accept> {
        fn set(s: &str) -> Option<&[u8]> {
            s.strip_suffix(']').map(str::as_bytes)
        }
        let mut table = [false; 257];
        if spec == "*" {
            table = [true; 257];
        } else if spec == edge {
            table[256] = true;
        } else if let Some(rest) = spec.strip_prefix("[^") {
            table = [true; 257];
            table[256] = false;
            for &b in set(rest)? {
                table[b as usize] = false;
            }
        } else if let Some(rest) = spec.strip_prefix("![") {
            table = [true; 257];
            for &b in set(rest)? {
                table[b as usize] = false;
            }
        } else if let Some(rest) = spec.strip_prefix('[') {
            for &b in set(rest)? {
                table[b as usize] = true;
            }
        } else {
            return None;
        }
        Some(Accept(table))
    }

    #[inline]
    fn accepts(&self, c: Option<u8>) -> bool {
        let index = c.map_or(256, usize::from);
        self.0.get(index).copied().unwrap_or(false)
    }
}

/// One line of `token_rewrites.tsv`.
#[derive(Debug)]
pub(crate) enum Rewrite {
    Replace {
        before: Box<Accept>,
        from: Vec<Vec<u8>>,
        after: Box<Accept>,
        to: Vec<u8>,
        /// First bytes of the `from` alternatives: a token without any of them is left as it is.
        starts: Box<[bool; 256]>,
    },
    CollapseDoubles,
}

impl Rewrite {
    /// One left-to-right pass; contexts are read from `token` as it was before the pass.
    #[cfg(test)]
    pub(crate) fn apply(&self, token: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        if !self.apply_into(token, &mut out) {
            out = token.to_vec();
        }
        out
    }

    /// One left-to-right pass from `token` into `out` (cleared first). Returns false, leaving `out`
    /// unspecified, when the rule cannot apply and the token stays as it is.
    pub(crate) fn apply_into(&self, token: &[u8], out: &mut Vec<u8>) -> bool {
        out.clear();
        match self {
            Rewrite::CollapseDoubles => {
                if !token.windows(2).any(|w| w.first() == w.get(1)) {
                    return false;
                }
                for &c in token {
                    if out.last() != Some(&c) {
                        out.push(c);
                    }
                }
                true
            }
            Rewrite::Replace {
                before,
                from,
                after,
                to,
                starts,
            } => {
                if !token.iter().any(|&b| starts[b as usize]) {
                    return false;
                }
                let mut i = 0;
                'outer: while let Some(&c) = token.get(i) {
                    if starts[c as usize] {
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
                    }
                    out.push(c);
                    i += 1;
                }
                true
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
            let err = |reason: &str| TableError {
                file,
                line,
                reason: reason.into(),
            };
            rules.push(Rewrite::parse_line(raw).map_err(err)?);
        }
        Ok(rules)
    }

    fn parse_line(raw: &str) -> Result<Rewrite, &'static str> {
        let fields: Vec<&str> = raw.split('\t').collect();
        let [before, from, after, to] = fields.as_slice() else {
            return Err("expected four tab-separated columns");
        };
        let (Some(before), Some(after)) = (Accept::parse(before, "^"), Accept::parse(after, "$"))
        else {
            return Err("unknown context");
        };
        let from: Vec<Vec<u8>> = from.split('|').map(|a| a.as_bytes().to_vec()).collect();
        let mut starts = Box::new([false; 256]);
        for alt in &from {
            let Some(&first) = alt.first() else {
                return Err("empty alternative");
            };
            starts[first as usize] = true;
        }
        Ok(Rewrite::Replace {
            before: Box::new(before),
            from,
            after: Box::new(after),
            to: to.trim().as_bytes().to_vec(),
            starts,
        })
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
    pub patronymic_markers: FxHashSet<String>,
    /// Keys of titles and honorifics.
    pub ignore: FxHashSet<String>,
}

/// Every table the crate uses.
#[derive(Debug)]
pub(crate) struct Tables {
    pub latin: Substitutions,
    pub cyrillic: Substitutions,
    pub rewrites: Vec<Rewrite>,
    pub morphology: Morphology,
    /// Key of a given-name form → the number of its line (its equivalence class).
    pub given_names: FxHashMap<String, u32>,
    /// Case endings and given-name genders for reading inflected names (see [`crate::inflect`]).
    pub inflection: crate::inflect::Inflection,
    /// ASCII bytes neither transliteration table can change inside an all-ASCII word (see
    /// [`Substitutions::ascii_inert`]): most names in Latin script consist of these alone.
    pub ascii_inert: [bool; 128],
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
        given_names: FxHashMap::default(),
        inflection: crate::inflect::Inflection::default(),
        ascii_inert: [false; 128],
    };
    for (b, inert) in (0u8..).zip(tables.ascii_inert.iter_mut()) {
        *inert = tables.latin.ascii_inert(b) && tables.cyrillic.ascii_inert(b);
    }
    tables.morphology = parse_morphology(&tables)?;
    tables.given_names = parse_given_names(&tables)?;
    tables.inflection = crate::inflect::parse(&tables)?;
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

fn parse_given_names(tables: &Tables) -> Result<FxHashMap<String, u32>, TableError> {
    const FILE: &str = "given_names.txt";
    let mut classes = FxHashMap::default();
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
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
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
        let rule = Rewrite::parse_line("[aeiou]\ty|i\t[aeiou]\t").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rule.apply(b"mustafayev"), b"mustafaev");
        assert_eq!(rule.apply(b"aiia"), b"aa");
        assert_eq!(Rewrite::CollapseDoubles.apply(b"dzhepparr"), b"dzhepar");
    }
}
