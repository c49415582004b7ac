//! An article's clean text with what was found in it, and article titles, as the pages show them;
//! read through the `Store` boundary.

use crate::error::WebResult;
use casebook_register::Store;
use serde::Serialize;

/// An article as the article page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub source: String,
    pub original_sha256: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub site: Option<String>,
    pub language: Option<String>,
    pub paragraphs: Vec<String>,
    /// People named, by character range, with the register person they are.
    pub mentions: Vec<MentionSpan>,
    /// Evidence sentences of events, by character range.
    pub evidence: Vec<EvidenceSpan>,
    /// Other stored articles that are near-duplicates (syndicated copies), most similar first.
    pub near_duplicates: Vec<ArticleRef>,
}

impl ArticleView {
    /// The address to link to as "at the source": `http(s)` only, never `javascript:` or a file.
    pub fn link(&self) -> Option<&str> {
        self.url
            .as_deref()
            .and_then(casebook_register::visibility::linkable_url)
    }
}

/// A link to another article: its id and what to show for it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: Option<String>,
    pub site: Option<String>,
}

/// A person named at a place of an article.
#[derive(Debug, Clone, Serialize)]
pub struct MentionSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub person: String,
}

/// A sentence of an article reporting an event.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceSpan {
    pub start: usize,
    pub end: usize,
    pub event: String,
    pub event_type: String,
    /// The review state of this report (`suggested`, `confirmed`, `rejected`).
    pub review: String,
}

/// The article with this id, or 404.
pub fn article(store: &dyn Store, id: &str) -> WebResult<ArticleView> {
    let a = store.article_text(id)?;
    let titles = store.article_titles(&a.record.near_duplicates)?;
    let near_duplicates = a
        .record
        .near_duplicates
        .iter()
        .map(|other| ArticleRef {
            id: other.clone(),
            title: titles.get(other).cloned(),
            site: None,
        })
        .collect();
    Ok(ArticleView {
        near_duplicates,
        mentions: a
            .record
            .mentions
            .into_iter()
            .map(|m| MentionSpan {
                start: m.start,
                end: m.end,
                text: m.text,
                person: m.person,
            })
            .collect(),
        evidence: a
            .evidence
            .into_iter()
            .map(|e| EvidenceSpan {
                start: e.start,
                end: e.end,
                event: e.event,
                event_type: e.event_type,
                review: e.review.as_str().to_string(),
            })
            .collect(),
        id: a.record.id,
        source: a.record.source,
        original_sha256: a.record.original_sha256,
        url: a.record.url,
        title: a.record.title,
        published: a.record.published,
        site: a.site,
        language: a.language,
        paragraphs: a.paragraphs,
    })
}

/// Titles of articles by id, for lists of sources.
pub fn article_titles(
    store: &dyn Store,
    ids: &[String],
) -> WebResult<std::collections::HashMap<String, String>> {
    Ok(store.article_titles(ids)?.into_iter().collect())
}
