//! casebook-article: turns a decoded document (HTML page or pre-scraped text dump) into a clean, dated
//! [`Article`].
//!
//! TEMPORARY API SKETCH (the article helper replaces this file): the three entry points below are the
//! stable interface other crates call.

use casebook_model::Article;

/// Why a document yielded no article.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("no article text found")]
    NoArticle,
}

/// Extracts the article from a pre-scraped plain-text dump (title line, dateline, body, byline, chrome).
pub fn extract_text_dump(source: &str, text: &str) -> Result<Article, ArticleError> {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.is_empty() {
        return Err(ArticleError::NoArticle);
    }
    Ok(Article { id: source.to_string(), source: source.to_string(), paragraphs, ..Article::default() })
}

/// Extracts the article from an HTML page; `url` is where the page was fetched from, if known.
pub fn extract_html(source: &str, html: &str, url: Option<&str>) -> Result<Article, ArticleError> {
    let _ = (source, html, url);
    Err(ArticleError::NoArticle)
}
