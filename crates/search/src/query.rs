//! What a caller asks the index for, and the bounds a query's text is held to.

use crate::{Kind, SearchError};
use serde::{Deserialize, Serialize};

/// How the query text is matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Full text (with the query syntax: quotes, `AND`/`OR`, `-word`, `title:`, …) and, for plain
    /// words, cross-script name matching as well.
    #[default]
    Auto,
    /// The text is a name: match it against people's names, victims' names and the names an article
    /// mentions, in any script or spelling. No full-text matching.
    Names,
    /// Full text with the words exactly as typed (case aside): no transliteration, no name keys.
    Exact,
}

/// Facet filters; every one that is set must hold. Values are compared case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Event type id (`detention`, `search`, …).
    pub event_type: Option<String>,
    /// Year of the article or event.
    pub year: Option<i32>,
    /// Place of an event or of a person.
    pub place: Option<String>,
    /// Person status (`serving_sentence`, …).
    pub status: Option<String>,
    /// Outlet (article site).
    pub outlet: Option<String>,
}

/// One search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// What to look for; empty matches every record (browse by facets).
    pub text: String,
    /// How the text is matched.
    pub mode: Mode,
    /// Only these kinds; empty means all.
    pub kinds: Vec<Kind>,
    pub filters: Filters,
    /// Include people marked hidden (review screens only).
    pub include_hidden: bool,
    /// At most this many hits (capped at [`Query::MAX_LIMIT`]); 0 returns only counts and facets.
    pub limit: usize,
    /// Skip this many hits first (paging).
    pub offset: usize,
}

impl Query {
    /// The largest page one search returns.
    pub const MAX_LIMIT: usize = 1000;

    /// A query for `text` in [`Mode::Auto`], all kinds, ten hits.
    pub fn new(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            mode: Mode::Auto,
            kinds: Vec::new(),
            filters: Filters::default(),
            include_hidden: false,
            limit: 10,
            offset: 0,
        }
    }

    /// The same query in another mode.
    pub fn mode(mut self, mode: Mode) -> Query {
        self.mode = mode;
        self
    }

    /// The same query restricted to `kinds`.
    pub fn kinds(mut self, kinds: &[Kind]) -> Query {
        self.kinds = kinds.to_vec();
        self
    }
}

/// Longest query text accepted, in characters. A search is a name or a few words; anything
/// longer is pasted text or an attack on the query parser.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words (runs between white space) a query may have.
pub const MAX_QUERY_WORDS: usize = 64;
/// Deepest nesting of brackets a query may use. The query parser descends once per level, so
/// thousands of nested parentheses overflowed the stack.
pub const MAX_QUERY_NESTING: usize = 8;

/// Refuses query text over [`MAX_QUERY_CHARS`], [`MAX_QUERY_WORDS`] or [`MAX_QUERY_NESTING`],
/// before any parser sees it. The reason names the limit, not the text (which may hold a name).
pub(crate) fn check_text(text: &str) -> Result<(), SearchError> {
    let refuse = |what: &str, found: usize, limit: usize| SearchError::Query {
        reason: format!("the query has {found} {what}, over the limit of {limit}"),
    };
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(refuse("characters", chars, MAX_QUERY_CHARS));
    }
    let words = text.split_whitespace().count();
    if words > MAX_QUERY_WORDS {
        return Err(refuse("words", words, MAX_QUERY_WORDS));
    }
    let nesting = bracket_nesting(text);
    if nesting > MAX_QUERY_NESTING {
        return Err(refuse("levels of brackets", nesting, MAX_QUERY_NESTING));
    }
    Ok(())
}

/// The deepest nesting of `(`, `[` and `{` outside double quotes (inside a phrase they are words).
fn bracket_nesting(text: &str) -> usize {
    let (mut depth, mut deepest, mut quoted) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(text: &str) -> Option<String> {
        match check_text(text) {
            Ok(()) => None,
            Err(SearchError::Query { reason }) => Some(reason),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn ordinary_queries_pass() {
        for text in [
            "",
            "Dzhelyal",
            "\"Nariman Dzhelyal\" AND (arrest OR detention)",
            "title:(searches AND (Bakhchysarai OR Simferopol))",
            "\"((((((((((((\"",
        ] {
            assert_eq!(reason(text), None, "{text}");
        }
    }

    #[test]
    fn long_wordy_and_deep_queries_are_refused_by_the_limit_they_break() {
        let deep = format!("{}a{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(reason(&deep).unwrap().contains("characters"));
        let nested = format!("{}a{}", "(".repeat(9), ")".repeat(9));
        assert_eq!(
            reason(&nested).unwrap(),
            "the query has 9 levels of brackets, over the limit of 8"
        );
        let wordy = "arrest ".repeat(65);
        assert_eq!(
            reason(&wordy).unwrap(),
            "the query has 65 words, over the limit of 64"
        );
        assert!(reason(&"я".repeat(1_001))
            .unwrap()
            .contains("1001 characters"));
        assert_eq!(reason(&"я".repeat(1_000)), None);
    }
}
