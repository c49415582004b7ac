//! An article's clean text with what was found in it, and its title, as the pages show them (over
//! `Store`); and the article fields the search index needs, which the `Store` trait does not offer
//! yet: those open the register file read-only, so they can never change the record.

use crate::error::{WebError, WebResult};
use casebook_register::Store;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::Path;

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

/// The article fields the search index needs.
#[derive(Debug, Clone)]
pub struct ArticleFields {
    pub id: String,
    pub title: Option<String>,
    pub text: String,
    pub site: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub people: Vec<String>,
}

fn open(data_dir: &Path) -> WebResult<Connection> {
    let path = data_dir.join(casebook_register::sqlite::STORE_FILE);
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| WebError::internal("opening the register read-only", e))?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(|e| WebError::internal("opening the register read-only", e))?;
    Ok(conn)
}

fn db(e: rusqlite::Error) -> WebError {
    WebError::internal("reading the register", e)
}

/// The article with this id, or 404.
pub fn article(store: &dyn Store, id: &str) -> WebResult<ArticleView> {
    let a = store.article_text(id)?;
    Ok(ArticleView {
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

/// Visits every article's index fields, in the order stored.
pub fn visit_article_fields(
    data_dir: &Path,
    f: &mut dyn FnMut(ArticleFields) -> WebResult<()>,
) -> WebResult<()> {
    let conn = open(data_dir)?;
    let mut names = conn
        .prepare("SELECT name FROM article_persons WHERE article_id = ?1 ORDER BY idx")
        .map_err(db)?;
    let mut stmt = conn
        .prepare(
            "SELECT id, title, paragraphs_json, site, published, url FROM articles ORDER BY rowid",
        )
        .map_err(db)?;
    let mut rows = stmt.query([]).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let id: String = r.get(0).map_err(db)?;
        let paragraphs: Vec<String> =
            serde_json::from_str(&r.get::<_, String>(2).map_err(db)?).unwrap_or_default();
        let people = names
            .query_map([&id], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db)?;
        f(ArticleFields {
            title: r.get(1).map_err(db)?,
            text: paragraphs.join(casebook_model::PARAGRAPH_SEPARATOR),
            site: r.get(3).map_err(db)?,
            published: r.get(4).map_err(db)?,
            url: r.get(5).map_err(db)?,
            people,
            id,
        })?;
    }
    Ok(())
}

/// The site (outlet) of every article, by article id.
pub fn article_sites(data_dir: &Path) -> WebResult<std::collections::HashMap<String, String>> {
    let conn = open(data_dir)?;
    let mut stmt = conn
        .prepare("SELECT id, site FROM articles WHERE site IS NOT NULL")
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
        .map_err(db)?;
    Ok(rows)
}

/// Titles of articles by id, for lists of sources.
pub fn article_titles(
    store: &dyn Store,
    ids: &[String],
) -> WebResult<std::collections::HashMap<String, String>> {
    Ok(store.article_titles(ids)?.into_iter().collect())
}
