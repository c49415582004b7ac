//! casebook-article: turns a decoded document into a clean, dated [`Article`].
//!
//! **In:** a [`casebook_ingest::Document`] — an HTML page or a pre-scraped plain-text dump, already
//! decoded to a string. **Out:** an [`Article`]: title, publication date, authors, site, language
//! and the body paragraphs, with captions, credits, related-headline lists, sharing and comment
//! widgets and footers left out — or an [`ArticleError`] saying why there is none.
//!
//! [`extract`] is the entry point; it dispatches to [`extract_html`] or [`extract_text_dump`] and
//! fills in what only the document knows (the original's hash, the record number, the URL).
//! [`date`] reads human datelines ("June 23, 2025, 8:42 a.m.", "23 червня 2025") for both.
//! No I/O happens here.

use casebook_ingest::{Document, Kind};
use casebook_model::Article;

pub mod date;
mod dump;
mod html;
mod language;
pub mod near_duplicate;

pub use dump::extract_text_dump;
pub use html::extract_html;
pub use language::detect_language;

/// Why a document yielded no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// Nothing in the document reads as an article body.
    #[error("no article text found")]
    NoArticle,
    /// The document has a title or date but its text is all site chrome (menus, related
    /// headlines, sharing and comment widgets): a listing or an empty page, not an article.
    #[error("only site chrome, no article body (a listing or an empty page?)")]
    OnlyChrome,
    /// The page has more elements than the extractor reads (a generated or hostile page, not an
    /// article); refused before parsing.
    #[error("the page has {count} elements, over the limit of {limit}")]
    TooManyElements {
        /// Start tags counted in the markup.
        count: usize,
        /// The limit in force.
        limit: usize,
    },
}

/// Extracts the article a document holds.
///
/// Sets [`Article::id`] to the original's SHA-256 (plus `#N` for the Nth record of a WARC),
/// [`Article::source`] to the document's source, [`Article::original_sha256`], and fills the URL,
/// site (the URL's host) and language when the extractor could not tell them.
pub fn extract(doc: &Document) -> Result<Article, ArticleError> {
    let mut article = match doc.kind {
        Kind::Text => extract_text_dump(&doc.source, &doc.text)?,
        Kind::Html => extract_html(&doc.source, &doc.text, doc.url.as_deref())?,
    };
    article.id = match doc.record {
        Some(n) => format!("{}#{n}", doc.original_sha256),
        None => doc.original_sha256.clone(),
    };
    article.source = doc.source.clone();
    article.original_sha256 = doc.original_sha256.clone();
    if article.url.is_none() {
        article.url = doc.url.clone();
    }
    if article.site.is_none() {
        article.site = article
            .canonical_url
            .as_deref()
            .or(article.url.as_deref())
            .and_then(host_name);
    }
    if article.language.is_none() {
        article.language = detect_language(&article.text());
    }
    Ok(article)
}

/// The host of a URL without a leading `www.`: the outlet's name when a page gives none.
fn host_name(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(kind: Kind, text: &str, record: Option<usize>) -> Document {
        let mut docs = casebook_ingest::read("in.txt", text.as_bytes());
        let mut doc = docs.remove(0).unwrap();
        doc.kind = kind;
        doc.record = record;
        doc.url = Some("https://www.qirim.example/news/1".into());
        doc
    }

    #[test]
    fn extract_fills_in_what_the_document_knows() {
        let text = "Searches in Bakhchysarai\n\nJune 23, 2025\n\n\
            Officers searched the homes of four Crimean Tatars in Bakhchysarai on Monday morning, \
            relatives said. The searches lasted about three hours.\n\n\
            Lawyers were not allowed into the houses until the searches were over.";
        let doc = document(Kind::Text, text, Some(4));
        let article = extract(&doc).unwrap();
        assert_eq!(article.id, format!("{}#4", doc.original_sha256));
        assert_eq!(article.original_sha256, doc.original_sha256);
        assert_eq!(article.source, doc.source);
        assert_eq!(
            article.url.as_deref(),
            Some("https://www.qirim.example/news/1")
        );
        assert_eq!(article.site.as_deref(), Some("qirim.example"));
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(article.title.as_deref(), Some("Searches in Bakhchysarai"));
        assert_eq!(article.paragraphs.len(), 2);
    }

    #[test]
    fn detects_ukrainian_and_russian() {
        assert_eq!(
            detect_language("Окупаційний суд у Криму заарештував кримського татарина після обшуку в його будинку.").as_deref(),
            Some("uk")
        );
        assert_eq!(
            detect_language(
                "Оккупационный суд в Крыму арестовал крымского татарина после обыска в его доме."
            )
            .as_deref(),
            Some("ru")
        );
    }
}
