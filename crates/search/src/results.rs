//! What a search returns: ranked hits with highlighted snippets, and facet counts over every match.

use crate::Kind;
use serde::{Deserialize, Serialize};

/// The answer to one [`crate::Query`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// How many records match in all (before paging).
    pub total: usize,
    /// The requested page of matches, best first.
    pub hits: Vec<Hit>,
    /// Counts per facet value over all matches.
    pub facets: FacetCounts,
}

/// One matching record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// What kind of record matched.
    pub kind: Kind,
    /// The record's id in the store.
    pub id: String,
    /// Relevance (BM25 with name and title boosts); comparable within one search only.
    pub score: f32,
    /// Article title, person's display name, or event type.
    pub title: Option<String>,
    /// The best passage of the record's text, with the matched words marked.
    pub snippet: Snippet,
}

/// A passage with highlighted ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The passage, at most about 180 characters.
    pub fragment: String,
    /// Half-open ranges of CHARACTER offsets into `fragment`, in order, not overlapping.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The fragment as HTML: text escaped, highlighted ranges wrapped in `<b>…</b>`.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.fragment.len() + 16);
        let mut ranges = self.highlights.iter().peekable();
        let mut open = false;
        for (i, c) in self.fragment.chars().enumerate() {
            if open && ranges.peek().is_some_and(|r| r.1 == i) {
                html.push_str("</b>");
                open = false;
                ranges.next();
            }
            if !open && ranges.peek().is_some_and(|r| r.0 == i && r.1 > i) {
                html.push_str("<b>");
                open = true;
            }
            match c {
                '&' => html.push_str("&amp;"),
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                '"' => html.push_str("&quot;"),
                '\'' => html.push_str("&#39;"),
                _ => html.push(c),
            }
        }
        if open {
            html.push_str("</b>");
        }
        html
    }

    /// The fragment with highlighted ranges wrapped in `open`/`close` (e.g. terminal colours).
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.fragment.len() + 16);
        let mut ranges = self.highlights.iter().peekable();
        let mut inside = false;
        for (i, c) in self.fragment.chars().enumerate() {
            if inside && ranges.peek().is_some_and(|r| r.1 == i) {
                out.push_str(close);
                inside = false;
                ranges.next();
            }
            if !inside && ranges.peek().is_some_and(|r| r.0 == i && r.1 > i) {
                out.push_str(open);
                inside = true;
            }
            out.push(c);
        }
        if inside {
            out.push_str(close);
        }
        out
    }
}

/// One facet value and how many matches carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value as indexed (`detention`, `2024`, `Simferopol`).
    pub value: String,
    /// How many matches carry it.
    pub count: u64,
}

/// Facet counts over every match, most frequent first (ties by value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// Record kinds.
    pub kind: Vec<FacetValue>,
    /// Event types.
    pub event_type: Vec<FacetValue>,
    /// Years of articles and events.
    pub year: Vec<FacetValue>,
    /// Places of events and people.
    pub place: Vec<FacetValue>,
    /// People's statuses.
    pub status: Vec<FacetValue>,
    /// Outlets of articles and events.
    pub outlet: Vec<FacetValue>,
}

impl FacetCounts {
    /// The count of `value` in a facet list, 0 if absent.
    pub fn count(list: &[FacetValue], value: &str) -> u64 {
        list.iter()
            .find(|v| v.value == value)
            .map_or(0, |v| v.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_and_marks_highlights() {
        let s = Snippet {
            fragment: "Джелял & <Celâl> said".into(),
            highlights: vec![(0, 6), (10, 15)],
        };
        assert_eq!(s.to_html(), "<b>Джелял</b> &amp; &lt;<b>Celâl</b>&gt; said");
        assert_eq!(s.marked("[", "]"), "[Джелял] & <[Celâl]> said");
    }

    #[test]
    fn highlight_running_to_the_end_is_closed() {
        let s = Snippet {
            fragment: "a b".into(),
            highlights: vec![(2, 3)],
        };
        assert_eq!(s.to_html(), "a <b>b</b>");
    }
}
