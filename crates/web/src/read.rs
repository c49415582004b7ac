//! Read-only queries the register's `Store` trait does not offer yet: an article's clean text with
//! what was found in it, and the article fields the search index needs. They open the register file
//! read-only, so they can never change the record.

use crate::error::{WebError, WebResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
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
    /// Other stored articles that are near-duplicates (syndicated copies), most similar first.
    pub near_duplicates: Vec<ArticleRef>,
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
pub fn article(data_dir: &Path, id: &str) -> WebResult<ArticleView> {
    let conn = open(data_dir)?;
    let row = conn
        .query_row(
            "SELECT id, source, original_sha256, url, title, published, site, language, paragraphs_json
               FROM articles WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, String>(8)?,
                ))
            },
        )
        .optional()
        .map_err(db)?;
    let Some((id, source, original_sha256, url, title, published, site, language, paragraphs)) =
        row
    else {
        return Err(WebError::not_found(format!(
            "no article with id {id:?} in the register"
        )));
    };
    let paragraphs: Vec<String> = serde_json::from_str(&paragraphs)
        .map_err(|e| WebError::internal("reading an article's paragraphs", e))?;
    let mut stmt = conn
        .prepare(
            "SELECT m.start, m.\"end\", m.text, ap.person FROM mentions m
               JOIN article_persons ap ON ap.article_id = m.article_id AND ap.idx = m.person_idx
              WHERE m.article_id = ?1 ORDER BY m.start",
        )
        .map_err(db)?;
    let mentions = stmt
        .query_map([&id], |r| {
            Ok(MentionSpan {
                start: r.get::<_, i64>(0)?.max(0) as usize,
                end: r.get::<_, i64>(1)?.max(0) as usize,
                text: r.get(2)?,
                person: r.get(3)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db)?;
    let mut stmt = conn
        .prepare(
            "SELECT es.start, es.\"end\", es.event_id, e.type, COALESCE(c.state, 'suggested')
               FROM event_sources es JOIN events e ON e.id = es.event_id
               LEFT JOIN claims c ON c.id = es.claim_id
              WHERE es.article_id = ?1 ORDER BY es.start",
        )
        .map_err(db)?;
    let evidence = stmt
        .query_map([&id], |r| {
            Ok(EvidenceSpan {
                start: r.get::<_, i64>(0)?.max(0) as usize,
                end: r.get::<_, i64>(1)?.max(0) as usize,
                event: r.get(2)?,
                event_type: r.get(3)?,
                review: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db)?;
    let mut stmt = conn
        .prepare(
            "SELECT n.other_id, a.title, a.site FROM near_duplicates n JOIN articles a ON a.id = n.other_id
              WHERE n.article_id = ?1 ORDER BY n.similarity DESC, n.other_id",
        )
        .map_err(db)?;
    let near_duplicates = stmt
        .query_map([&id], |r| {
            Ok(ArticleRef {
                id: r.get(0)?,
                title: r.get(1)?,
                site: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db)?;
    Ok(ArticleView {
        near_duplicates,
        id,
        source,
        original_sha256,
        url,
        title,
        published,
        site,
        language,
        paragraphs,
        mentions,
        evidence,
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
    data_dir: &Path,
    ids: &[String],
) -> WebResult<std::collections::HashMap<String, String>> {
    let conn = open(data_dir)?;
    let mut stmt = conn
        .prepare("SELECT COALESCE(title, source) FROM articles WHERE id = ?1")
        .map_err(db)?;
    let mut out = std::collections::HashMap::new();
    for id in ids {
        if let Some(t) = stmt
            .query_row([id], |r| r.get::<_, String>(0))
            .optional()
            .map_err(db)?
        {
            out.insert(id.clone(), t);
        }
    }
    Ok(out)
}
