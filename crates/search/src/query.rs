//! What a caller asks the index for.

use crate::Kind;
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
