//! Redaction by identity: finds every word of a text that is a part of a protected person's name,
//! in any case, script, transliteration or inflected form, and replaces whole words only.
//!
//! A name part is compared by its matching key (`casebook_names::key`), so `SEITKHALILOV`,
//! `seitkhalilov`, `Сейтхалилов` and `Seytkhalilov` are one word to it. Inflection is handled by the
//! case endings of `data/name_case_endings.txt`: a word matches a name part when the two keys are
//! equal once at most one ending is taken off each (`Сейтхалиловым`, `Elmaza`, `Тарасові`).

use std::collections::HashMap;
use std::sync::LazyLock;

const CASE_ENDINGS: &str = include_str!("../../data/name_case_endings.txt");

/// Name parts whose key is shorter than this are not matched on their own: one- and two-letter
/// keys (initials, particles) would black out ordinary words.
const MIN_KEY_CHARS: usize = 3;

/// The keyed case endings, longest first, read once from the data file.
static ENDINGS: LazyLock<Vec<String>> = LazyLock::new(|| load_endings(CASE_ENDINGS));

fn load_endings(text: &str) -> Vec<String> {
    let mut endings: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| casebook_names::key(l).replace(' ', ""))
        .filter(|k| !k.is_empty())
        .collect();
    endings.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    endings.dedup();
    endings
}

/// The forms a keyed word is compared under: itself, and itself with each ending taken off (the
/// stem kept at least [`MIN_KEY_CHARS`] long).
fn forms(key: &str) -> impl Iterator<Item = &str> {
    std::iter::once(key).chain(ENDINGS.iter().filter_map(move |e| {
        key.strip_suffix(e.as_str())
            .filter(|stem| stem.len() >= MIN_KEY_CHARS)
    }))
}

/// A word character: letters, digits, combining marks and the apostrophes names are written with.
/// Anything else (spaces, punctuation, hyphens) ends a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ' | 'ʹ' | '\u{300}'..='\u{36f}')
}

/// What replaces the words of one protected person; a stricter replacement wins a shared key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Replacement {
    text: String,
    /// Higher is stricter: a hidden person's part outranks an initials-only person's.
    rank: u8,
}

/// Protected name parts by every form of their key, with what replaces them.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    parts: HashMap<String, usize>,
    replacements: Vec<Replacement>,
}

impl Redactor {
    /// Learns every part of `names` (all spellings of one person): each word of them is replaced by
    /// `replacement` wherever it appears. `rank` orders replacements when two persons share a part.
    pub fn protect<'a>(
        &mut self,
        names: impl IntoIterator<Item = &'a str>,
        replacement: &str,
        rank: u8,
    ) {
        let slot = self.replacements.len();
        self.replacements.push(Replacement {
            text: replacement.to_string(),
            rank,
        });
        for name in names {
            for part in casebook_names::key(name).split(' ') {
                if part.len() < MIN_KEY_CHARS {
                    continue;
                }
                for form in forms(part) {
                    match self.parts.get(form) {
                        Some(&other) if self.replacements[other].rank >= rank => {}
                        _ => {
                            self.parts.insert(form.to_string(), slot);
                        }
                    }
                }
            }
        }
    }

    /// True when nothing is protected.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The replacement for one word, when the word is (an inflected form of) a protected name part.
    fn replacement_for(&self, word: &str) -> Option<usize> {
        if word.chars().count() < MIN_KEY_CHARS {
            return None;
        }
        let key = casebook_names::key(word);
        let mut best: Option<usize> = None;
        for token in key.split(' ').filter(|t| t.len() >= MIN_KEY_CHARS) {
            for form in forms(token) {
                if let Some(&slot) = self.parts.get(form) {
                    if best.is_none_or(|b| self.replacements[b].rank < self.replacements[slot].rank)
                    {
                        best = Some(slot);
                    }
                }
            }
        }
        best
    }

    /// True when any word of `text` is a protected name part.
    pub fn mentions_protected(&self, text: &str) -> bool {
        !self.is_empty() && words(text).any(|(_, w)| self.replacement_for(w).is_some())
    }

    /// `text` with every protected word replaced; a run of protected words of one replacement
    /// separated by spaces only (`Elmaz SEITKHALILOVA`) becomes one replacement.
    pub fn redact(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        // The replacement last written and where it ended in `out`, to merge runs.
        let mut last: Option<(usize, usize)> = None;
        for (start, word) in words(text) {
            let Some(slot) = self.replacement_for(word) else {
                continue;
            };
            let between = &text[copied..start];
            match last {
                Some((prev, end))
                    if prev == slot
                        && end == out.len()
                        && !between.is_empty()
                        && between.chars().all(|c| c == ' ' || c == '\u{a0}') => {}
                _ => {
                    out.push_str(between);
                    out.push_str(&self.replacements[slot].text);
                }
            }
            copied = start + word.len();
            last = Some((slot, out.len()));
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// The words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = rest.peek() {
            if is_word_char(c) {
                break;
            }
            rest.next();
        }
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !is_word_char(c) {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(names: &[&str]) -> Redactor {
        let mut r = Redactor::default();
        r.protect(names.iter().copied(), "[withheld]", 2);
        r
    }

    #[test]
    fn the_endings_file_loads_and_keys_cyrillic_and_latin_alike() {
        assert!(ENDINGS.iter().any(|e| e == "im"), "{:?}", *ENDINGS);
        assert!(ENDINGS.iter().any(|e| e == "ovi"), "{:?}", *ENDINGS);
        assert!(ENDINGS.iter().all(|e| !e.is_empty() && !e.contains(' ')));
    }

    #[test]
    fn capitals_lower_case_and_other_scripts_are_redacted() {
        let r = hidden(&["Elmaz Seitkhalilova"]);
        for (text, gone) in [
            ("SEITKHALILOVA, 36, denied the charge.", "SEITKHALILOVA"),
            ("a statement by elmaz seitkhalilova", "elmaz"),
            ("Эльмаз Сейтхалилова отказалась", "Сейтхалилова"),
            ("Ельмаз Сейтхалілова", "Ельмаз"),
        ] {
            let out = r.redact(text);
            assert!(!out.contains(gone), "{text} -> {out}");
            assert!(out.contains("[withheld]"), "{text} -> {out}");
        }
    }

    #[test]
    fn inflected_forms_are_redacted() {
        let r = hidden(&["Taras Ostapenko", "Elmaz Seitkhalilov"]);
        for text in [
            "против Сейтхалилова возбудили дело",
            "с Сейтхалиловым",
            "о Сейтхалилове",
            "Тарасові Остапенку",
            "передали Тарасу",
            "Elmaza was called",
            "Seitkhalilov's lawyer",
        ] {
            let out = r.redact(text);
            assert!(
                !out.contains("Сейтхалилов")
                    && !out.contains("Тарас")
                    && !out.contains("Elmaz")
                    && !out.contains("Seitkhalilov"),
                "{text} -> {out}"
            );
        }
        assert_eq!(
            r.redact("Тарасові Остапенку передали"),
            "[withheld] передали"
        );
    }

    #[test]
    fn whole_words_only_and_runs_merge() {
        let r = hidden(&["Elmaz Veliev"]);
        assert_eq!(
            r.redact("Elmaz Velieva and Ruslan Veliev spoke; Velikiy was not there."),
            "[withheld] and Ruslan [withheld] spoke; Velikiy was not there."
        );
        // No part of a word is ever replaced: the whole word goes.
        assert!(!r.redact("Elmaz Velievaa").contains("[withheld]a"));
        assert_eq!(r.redact("no names here"), "no names here");
    }

    #[test]
    fn the_stricter_replacement_wins_a_shared_part() {
        let mut r = Redactor::default();
        r.protect(["Server Kemalov"], "S. K.", 1);
        r.protect(["Lenur Kemalov"], "[withheld]", 2);
        assert_eq!(r.redact("Kemalov"), "[withheld]");
        assert_eq!(r.redact("Server spoke"), "S. K. spoke");
        assert!(r.mentions_protected("кемалов"));
        assert!(!r.mentions_protected("Kemal"));
    }
}
