//! Tokens and sentences of an article body, with character offsets.
//!
//! Sentence splitting is written by hand because it must keep the model's character offsets, honour
//! paragraph breaks, and know this field's abbreviations and initials ("Jan.", "a.m.", "art.",
//! "N. Dzhelyal"); general-purpose segmenters (UAX #29) split after initials.

use crate::data::{LANGUAGES, LEXICON};
use std::collections::HashSet;
use std::sync::LazyLock;

/// A word or punctuation token of the lower-cased text.
#[derive(Debug, Clone)]
pub struct Token {
    /// Lower-cased token text.
    pub lower: String,
    /// Character offsets into the article text.
    pub start: usize,
    pub end: usize,
    /// True for words (letters, digits, inner hyphens, apostrophes and dots), false for punctuation.
    pub is_word: bool,
    /// True when the token's first character is an upper-case letter in the original text.
    pub capitalised: bool,
}

/// A sentence: character range and token range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub first_token: usize,
    pub end_token: usize,
    pub paragraph: usize,
}

fn is_inner_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '.')
}

/// Splits `chars` (the article text as characters) into tokens.
pub fn tokenize(chars: &[char]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_alphanumeric() {
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                if d.is_alphanumeric() {
                    i += 1;
                } else if is_inner_joiner(d)
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                {
                    // "strict-regime", "Dzhelyal's" split below, "205.5", "a.m".
                    if (d == '\'' || d == '’')
                        && matches!(chars.get(i + 1), Some('s' | 'S'))
                        && !chars.get(i + 2).is_some_and(|n| n.is_alphanumeric())
                    {
                        break;
                    }
                    i += 2;
                } else {
                    break;
                }
            }
        } else if (c == '\'' || c == '’') && matches!(chars.get(i + 1), Some('s' | 'S')) {
            // The possessive "'s" is its own token so a name before it stays whole.
            i += 2;
        } else {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        tokens.push(Token {
            lower: text.to_lowercase(),
            start,
            end: i,
            is_word: c.is_alphanumeric(),
            capitalised: c.is_uppercase(),
        });
    }
    tokens
}

/// The abbreviations of every language: they are written in scripts of their own or agree, so one set
/// serves any text.
static ABBREVIATIONS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    LEXICON
        .abbreviations
        .iter()
        .chain(LANGUAGES.iter().flat_map(|l| &l.lexicon.abbreviations))
        .cloned()
        .collect()
});

fn opens_sentence(t: &Token) -> bool {
    t.capitalised
        || t.lower.chars().next().is_some_and(|c| c.is_ascii_digit())
        || matches!(
            t.lower.as_str(),
            "\"" | "“" | "«" | "(" | "'" | "‘" | "—" | "–" | "-"
        )
}

/// Splits the text into sentences. `paragraph_starts` are the character offsets where paragraphs begin.
pub fn sentences(tokens: &[Token], paragraph_starts: &[usize]) -> Vec<Sentence> {
    let paragraph_of = |offset: usize| {
        paragraph_starts
            .partition_point(|&p| p <= offset)
            .saturating_sub(1)
    };
    let mut out = Vec::new();
    let mut first = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let next = tokens.get(i + 1);
        let para = paragraph_of(t.start);
        let mut end_here = match next {
            None => true,
            Some(n) => paragraph_of(n.start) != para,
        };
        // "… by a court in Simferopol  Asan Chebiyev, a relative …": in scraped text a run of spaces
        // before a capitalised word where no punctuation stands is a line break the copy lost.
        if !end_here
            && t.is_word
            && next.is_some_and(|n| n.is_word && n.capitalised && n.start >= t.end + 2)
        {
            end_here = true;
        }
        if !end_here && matches!(t.lower.as_str(), "." | "!" | "?" | "…") {
            // Closing quotes and brackets belong to the sentence they close.
            let mut j = i + 1;
            while tokens.get(j).is_some_and(|n| {
                matches!(n.lower.as_str(), "\"" | "”" | "»" | ")" | "'" | "’")
                    && n.start == tokens[j - 1].end
            }) {
                j += 1;
            }
            let spaced = tokens.get(j).is_none_or(|n| n.start > tokens[j - 1].end);
            let opener = tokens.get(j).is_none_or(opens_sentence);
            let abbreviation = t.lower == "."
                && i > 0
                && tokens[i - 1].end == t.start
                && tokens[i - 1].is_word
                && (ABBREVIATIONS.contains(&tokens[i - 1].lower)
                    || (tokens[i - 1].capitalised && tokens[i - 1].lower.chars().count() == 1));
            if spaced && opener && !abbreviation {
                i = j - 1;
                end_here = true;
            }
        }
        if end_here {
            let last = &tokens[i];
            out.push(Sentence {
                start: tokens[first].start,
                end: last.end,
                first_token: first,
                end_token: i + 1,
                paragraph: paragraph_of(tokens[first].start),
            });
            first = i + 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let toks = tokenize(&chars);
        let mut starts = vec![0];
        for (i, w) in chars.windows(2).enumerate() {
            if w == ['\n', '\n'] {
                starts.push(i + 2);
            }
        }
        sentences(&toks, &starts)
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        let s = split(
            "On Jan. 5 at 8 a.m. officers came. N. Dzhelyal was charged under art. 173.2 of the code. \
             He denied it!\n\nA new paragraph",
        );
        assert_eq!(
            s,
            vec![
                "On Jan. 5 at 8 a.m. officers came.",
                "N. Dzhelyal was charged under art. 173.2 of the code.",
                "He denied it!",
                "A new paragraph"
            ]
        );
    }

    #[test]
    fn quotes_close_their_sentence() {
        let s = split("“He was beaten,” the lawyer said. “They took him.” Then silence.");
        assert_eq!(
            s,
            vec![
                "“He was beaten,” the lawyer said.",
                "“They took him.”",
                "Then silence."
            ]
        );
    }

    #[test]
    fn a_lost_line_break_before_a_capital_splits() {
        let s = split(
            "He was remanded by a court in Yalta  Rustem Aliev, his neighbour, was also held.",
        );
        assert_eq!(
            s,
            vec![
                "He was remanded by a court in Yalta",
                "Rustem Aliev, his neighbour, was also held."
            ]
        );
        // One space, or two before a lower-case word, joins.
        assert_eq!(split("charged  under the code of Crimea").len(), 1);
    }

    #[test]
    fn possessive_is_split_from_the_name() {
        let chars: Vec<char> = "Dzhelyal’s lawyer".chars().collect();
        let t = tokenize(&chars);
        assert_eq!(t[0].lower, "dzhelyal");
        assert_eq!(t[1].lower, "’s");
        assert_eq!(t[2].lower, "lawyer");
        let chars: Vec<char> = "strict-regime 205.5".chars().collect();
        let t = tokenize(&chars);
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].lower, "205.5");
    }
}
