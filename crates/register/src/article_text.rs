//! An article as its page shows it: the clean text, the people named in it and the sentences that
//! report events, each by character range ([`crate::Store::article_text`]).

use crate::types::{ArticleRecord, ReviewState};
use serde::{Deserialize, Serialize};

/// A stored article with its clean paragraphs and what was found in them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleText {
    /// Metadata and the person mentions (character ranges into the text, with the register person
    /// each one is, a merged-away person given as stored).
    pub record: ArticleRecord,
    pub site: Option<String>,
    pub language: Option<String>,
    /// The clean paragraphs; the text is them joined by a blank line.
    pub paragraphs: Vec<String>,
    /// The sentences reporting events, in text order.
    pub evidence: Vec<EvidenceSpan>,
}

/// A sentence of an article that reports an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSpan {
    /// Character range into the article's text.
    pub start: usize,
    pub end: usize,
    pub event: String,
    pub event_type: String,
    /// The review state of this report.
    pub review: ReviewState,
}

/// What the search index is projected from: a stored article's clean text with its headline, outlet, date, address and the people named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSearchFields {
    /// Article id.
    pub id: String,
    pub title: Option<String>,
    /// The paragraphs joined by a blank line (`Article::text()`), so model offsets point into it.
    pub text: String,
    /// The outlet's name, if the page gave one.
    pub site: Option<String>,
    /// The publication date as stored (ISO 8601, possibly partial).
    pub published: Option<String>,
    pub url: Option<String>,
    /// The names of the article's people, as the article writes them, in article order.
    pub people: Vec<String>,
}
