//! An article's clean text and the fields derived data (the search index) is projected from.

use serde::{Deserialize, Serialize};

/// A stored article's clean text with its headline, outlet, date, address and the people named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleText {
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
