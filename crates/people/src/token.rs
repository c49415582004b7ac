//! One pass over the text that cuts it into words, initials and punctuation, with both byte and
//! character offsets, so that every later step works on tokens and never re-scans the text.
//!
//! Written by hand because the rules that matter here are specific to names: hyphenated given names
//! ("Emir-Usein") and places ("Rostov-on-Don") stay one word, "Dzhelyal's" splits into the name and a
//! possessive, and "E.-U." is one initial, none of which a general-purpose word splitter does.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, possibly with inner hyphens, apostrophes or digits.
    Word,
    /// One or more single-letter initials with their full stops: `N.`, `E.-U.`.
    Initial,
    /// The possessive ending `'s` / `’s` (or a bare apostrophe after a plural).
    Possessive,
    /// A run of digits (with inner `.`, `,` or `:`).
    Number,
    /// Any other single character that is not white space.
    Punct,
}

/// How a word is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Starts with an upper-case letter, has lower-case letters too: `Dzhelyal`, `McDonald`.
    Title,
    /// Only upper-case letters (at least two letters): `DZHELYAL`, `FSB`.
    Upper,
    /// Starts with a lower-case letter, or has no letters at all.
    Lower,
}

/// One token with its place in the text.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    pub case: Case,
    /// Byte range in the text.
    pub start_byte: usize,
    pub end_byte: usize,
    /// Character range in the text.
    pub start: usize,
    pub end: usize,
    /// Lower-cased text with typographic apostrophes folded to `'`, for lexicon lookups.
    pub lower: String,
    /// True when the token's letters are Cyrillic.
    pub cyrillic: bool,
    /// True when the token opens a sentence, a line, or follows a colon (ignoring opening quotes).
    pub sentence_start: bool,
    /// True when a line break stands between this token and the one before it.
    pub line_break_before: bool,
}

impl Token {
    /// The token's text as it stands in `text`.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start_byte..self.end_byte).unwrap_or("")
    }

    /// True when the token is a capitalised word or an initial: what a name is made of.
    pub fn is_capitalised(&self) -> bool {
        matches!(self.kind, Kind::Word | Kind::Initial) && self.case != Case::Lower
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// Punctuation after which the next word opens a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | ':' | ';')
}

/// Two-letter initials of Russian and Ukrainian given names that start with a digraph letter
/// ("Yu. Ivanov" for Юрий, "Zh." for Жанна): written with a full stop like one-letter initials.
const DIGRAPH_INITIALS: [&str; 9] = ["Yu", "Ya", "Ye", "Yo", "Zh", "Sh", "Ch", "Kh", "Ts"];

/// Abbreviations whose full stop does not end a sentence ("Mr. Ivanov", "St. Petersburg").
const ABBREVIATIONS: [&str; 12] = [
    "mr", "mrs", "ms", "dr", "st", "jr", "gen", "col", "lt", "sgt", "prof", "no",
];

/// Punctuation that may stand between a sentence end and the sentence's first word.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '“'
            | '”'
            | '«'
            | '„'
            | '('
            | '['
            | '\''
            | '‘'
            | '’'
            | '—'
            | '–'
            | '-'
            | '*'
            | '•'
    )
}

/// The other base (nominative) forms of each capitalised Cyrillic word, lower-cased ("Ялти" → "ялта",
/// "Наримана" → "нариман"; see `casebook_names::base_forms`); empty for every other token, so that
/// English text pays nothing.
pub fn base_forms(tokens: &[Token], text: &str) -> Vec<Vec<String>> {
    tokens
        .iter()
        .map(|t| {
            if t.kind != Kind::Word || !t.cyrillic || t.case == Case::Lower {
                return Vec::new();
            }
            casebook_names::base_forms(t.text(text))
                .into_iter()
                .skip(1)
                .map(|b| b.to_lowercase())
                .filter(|b| *b != t.lower)
                .collect()
        })
        .collect()
}

/// Cuts `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let char_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut tokens: Vec<Token> = Vec::with_capacity(n / 5 + 1);
    let mut i = 0;
    let mut pending_start = true;
    let mut line_break = false;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            if c == '\n' || c == '\r' {
                line_break = true;
                pending_start = true;
            }
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if is_letter(c) {
            // An initial: one upper-case letter and a full stop, optionally chained with hyphens
            // ("E.-U.") or directly ("A.B."); never when the letter is a word's tail.
            if c.is_uppercase()
                && char_at(i + 1) == Some('.')
                && !char_at(i + 2).is_some_and(|d| d.is_alphabetic() && d.is_lowercase())
            {
                let mut j = i + 2;
                loop {
                    let mut k = j;
                    if char_at(k).is_some_and(is_hyphen) {
                        k += 1;
                    }
                    if char_at(k).is_some_and(|d| d.is_uppercase()) && char_at(k + 1) == Some('.') {
                        j = k + 2;
                    } else {
                        break;
                    }
                }
                i = j;
                kind = Kind::Initial;
            } else if char_at(i + 2) == Some('.')
                && char_at(i + 3).is_some_and(char::is_whitespace)
                && !i
                    .checked_sub(1)
                    .and_then(char_at)
                    .is_some_and(char::is_alphanumeric)
                && DIGRAPH_INITIALS
                    .iter()
                    .any(|d| text.get(chars[i].0..byte_at(i + 2)) == Some(*d))
                && char_at(i + 4).is_some_and(char::is_uppercase)
            {
                i += 3;
                kind = Kind::Initial;
            } else {
                i += 1;
                while i < n {
                    let d = chars[i].1;
                    if is_letter(d) || d.is_numeric() || d == '\u{301}' || d == '\u{302}' {
                        i += 1;
                    } else if (is_hyphen(d) || is_apostrophe(d))
                        && char_at(i + 1).is_some_and(|e| e.is_alphabetic())
                    {
                        // A possessive "'s" at the word's end is split off below.
                        if is_apostrophe(d)
                            && matches!(char_at(i + 1), Some('s') | Some('S'))
                            && !char_at(i + 2).is_some_and(|e| e.is_alphanumeric())
                        {
                            break;
                        }
                        i += 1;
                    } else {
                        break;
                    }
                }
                kind = Kind::Word;
            }
        } else if is_apostrophe(c)
            && tokens
                .last()
                .is_some_and(|t| t.kind == Kind::Word && t.end == start)
            && (matches!(char_at(i + 1), Some('s') | Some('S'))
                && !char_at(i + 2).is_some_and(|e| e.is_alphanumeric()))
        {
            i += 2;
            kind = Kind::Possessive;
        } else if c.is_ascii_digit() {
            i += 1;
            while i < n {
                let d = chars[i].1;
                if d.is_ascii_digit()
                    || (matches!(d, '.' | ',' | ':')
                        && char_at(i + 1).is_some_and(|e| e.is_ascii_digit()))
                {
                    i += 1;
                } else {
                    break;
                }
            }
            kind = Kind::Number;
        } else {
            i += 1;
            kind = Kind::Punct;
        }
        let (start_byte, end_byte) = (byte_at(start), byte_at(i));
        let surface = &text[start_byte..end_byte];
        let (lower, case, cyrillic) = surface_features(kind, surface);
        let sentence_start =
            pending_start && matches!(kind, Kind::Word | Kind::Initial | Kind::Number);
        if matches!(
            kind,
            Kind::Word | Kind::Initial | Kind::Number | Kind::Possessive
        ) {
            pending_start = false;
        } else if kind == Kind::Punct {
            // "Mr. Ivanov": the full stop of an abbreviation does not open a sentence.
            let after_abbreviation = c == '.'
                && tokens.last().is_some_and(|t| {
                    t.kind == Kind::Word
                        && t.end == start
                        && ABBREVIATIONS.contains(&t.lower.as_str())
                });
            if ends_sentence(c) && !after_abbreviation {
                pending_start = true;
            } else if !is_opening(c) {
                pending_start = false;
            }
        }
        tokens.push(Token {
            kind,
            case,
            start_byte,
            end_byte,
            start,
            end: i,
            lower,
            cyrillic,
            sentence_start,
            line_break_before: line_break,
        });
        line_break = false;
    }
    tokens
}

/// A token's lower-cased text (apostrophes made one), its case, and whether it has Cyrillic letters.
fn surface_features(kind: Kind, surface: &str) -> (String, Case, bool) {
    let mut lower = String::with_capacity(surface.len());
    for ch in surface.chars() {
        if is_apostrophe(ch) {
            lower.push('\'');
        } else {
            lower.extend(ch.to_lowercase());
        }
    }
    let mut has_lower = false;
    let mut has_upper = false;
    let mut cyrillic = false;
    for ch in surface.chars() {
        has_lower |= ch.is_lowercase();
        has_upper |= ch.is_uppercase();
        cyrillic |= is_cyrillic(ch);
    }
    let first_upper = surface.chars().next().is_some_and(|ch| ch.is_uppercase());
    let case = match kind {
        Kind::Initial => Case::Upper,
        Kind::Word if first_upper && has_lower => Case::Title,
        Kind::Word
            if has_upper
                && !has_lower
                && surface.chars().filter(|ch| ch.is_alphabetic()).count() >= 2 =>
        {
            Case::Upper
        }
        Kind::Word if first_upper => Case::Title,
        _ => Case::Lower,
    };
    (lower, case, cyrillic)
}

/// Whether `c` is a letter; the basic Cyrillic block (all letters) is answered without the Unicode
/// table search, which is slow for every character outside ASCII.
fn is_letter(c: char) -> bool {
    ('\u{400}'..='\u{481}').contains(&c) || c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(Kind, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.text(text).to_string()))
            .collect()
    }

    #[test]
    fn keeps_hyphenated_names_and_splits_possessives() {
        let got = words("Emir-Usein Kuku's lawyer, Dzhelyal’s son");
        assert_eq!(got[0], (Kind::Word, "Emir-Usein".into()));
        assert_eq!(got[1], (Kind::Word, "Kuku".into()));
        assert_eq!(got[2], (Kind::Possessive, "'s".into()));
        assert_eq!(got[5], (Kind::Word, "Dzhelyal".into()));
        assert_eq!(got[6], (Kind::Possessive, "’s".into()));
    }

    #[test]
    fn reads_initials_as_one_token() {
        let got = words("Yu. Ivanov");
        assert_eq!(got[0], (Kind::Initial, "Yu.".into()));
        let got = words("E.-U. Kuku and N. Dzhelyal met A.B. Smith.");
        assert_eq!(got[0], (Kind::Initial, "E.-U.".into()));
        assert_eq!(got[3], (Kind::Initial, "N.".into()));
        assert_eq!(got[6], (Kind::Initial, "A.B.".into()));
        assert_eq!(got.last().map(|t| t.1.as_str()), Some("."));
    }

    #[test]
    fn offsets_are_characters() {
        let text = "Нариман Джелял said";
        let toks = tokenize(text);
        assert_eq!((toks[1].start, toks[1].end), (8, 14));
        assert!(toks[1].cyrillic);
        assert_eq!(toks[2].start, 15);
    }

    #[test]
    fn marks_sentence_starts_after_quotes() {
        let toks = tokenize("He left. \"Then Chubarov spoke: President Erdogan\"");
        let starts: Vec<bool> = toks
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.sentence_start)
            .collect();
        assert_eq!(starts, vec![true, false, true, false, false, true, false]);
    }
}
