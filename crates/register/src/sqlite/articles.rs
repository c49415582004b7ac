//! Reading articles: whether one is stored and by which pipeline version, an original's bytes, one
//! article with its clean text, mentions and evidence spans (the article page), titles for lists,
//! and visiting every article (exports) or its search fields (the search index).
//!
//! Invariants: a read never writes; an article's paragraphs are stored as a JSON list, and one that
//! is not is reported as a damaged store rather than read as empty; visits go in the order stored.

use super::{exists, Ctx, SqliteStore};
use crate::error::{RegisterError, Result};
use crate::types::*;
use crate::ArticleSearchFields;
use rusqlite::OptionalExtension;
use std::collections::BTreeMap;

impl SqliteStore {
    /// [`Store::has_article`](crate::Store::has_article).
    pub(super) fn read_has_article(&self, id: &str) -> Result<bool> {
        exists(
            &self.conn,
            &self.path,
            "SELECT 1 FROM articles WHERE id = ?1",
            id,
        )
    }

    /// [`Store::article_version`](crate::Store::article_version).
    pub(super) fn read_article_version(&self, id: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT extractor_version FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .ctx(&self.path, || "looking up an article".into())
    }

    /// [`Store::has_original`](crate::Store::has_original).
    pub(super) fn read_has_original(&self, sha256: &str) -> Result<bool> {
        exists(
            &self.conn,
            &self.path,
            "SELECT 1 FROM originals WHERE sha256 = ?1",
            sha256,
        )
    }

    /// [`Store::original_bytes`](crate::Store::original_bytes).
    pub(super) fn read_original_bytes(&self, sha256: &str) -> Result<Vec<u8>> {
        self.conn
            .prepare_cached("SELECT bytes FROM originals WHERE sha256 = ?1")
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .ctx(&self.path, || "reading an original".into())?
            .ok_or_else(|| RegisterError::UnknownId {
                kind: "original",
                id: sha256.to_string(),
            })
    }

    /// [`Store::visit_articles`](crate::Store::visit_articles).
    pub(super) fn each_article(
        &self,
        f: &mut dyn FnMut(ArticleRecord) -> Result<()>,
    ) -> Result<()> {
        let err = || "listing articles".to_string();
        let mut stmt = self
            .conn
            .prepare("SELECT id, source, original_sha256, url, title, published, near_dupes_json FROM articles ORDER BY rowid")
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            let mentions: Vec<MentionRecord> = self
                .conn
                .prepare_cached(
                    "SELECT ap.person, m.text, m.start, m.\"end\", c.state FROM mentions m
                       JOIN article_persons ap ON ap.article_id = m.article_id AND ap.idx = m.person_idx
                       JOIN claims c ON c.id = ap.claim_id
                      WHERE m.article_id = ?1 ORDER BY m.seq",
                )
                .and_then(|mut s| {
                    s.query_map([&id], |r| {
                        Ok(MentionRecord {
                            person: r.get(0)?,
                            text: r.get(1)?,
                            start: r.get::<_, i64>(2)? as usize,
                            end: r.get::<_, i64>(3)? as usize,
                            review: ReviewState::parse(&r.get::<_, String>(4)?)
                                .unwrap_or(ReviewState::Suggested),
                        })
                    })?
                    .collect()
                })
                .ctx(&self.path, err)?;
            f(ArticleRecord {
                source: r.get(1).ctx(&self.path, err)?,
                original_sha256: r.get(2).ctx(&self.path, err)?,
                url: r.get(3).ctx(&self.path, err)?,
                title: r.get(4).ctx(&self.path, err)?,
                published: r.get(5).ctx(&self.path, err)?,
                near_duplicates: serde_json::from_str(&r.get::<_, String>(6).ctx(&self.path, err)?)
                    .unwrap_or_default(),
                id,
                mentions,
            })?;
        }
        Ok(())
    }

    /// [`Store::visit_article_search_fields`](crate::Store::visit_article_search_fields).
    pub(super) fn each_article_search_fields(
        &self,
        f: &mut dyn FnMut(ArticleSearchFields) -> Result<()>,
    ) -> Result<()> {
        let err = || "listing article texts".to_string();
        let mut names = self
            .conn
            .prepare("SELECT name FROM article_persons WHERE article_id = ?1 ORDER BY idx")
            .ctx(&self.path, err)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, title, paragraphs_json, site, published, url FROM articles ORDER BY rowid",
            )
            .ctx(&self.path, err)?;
        let mut rows = stmt.query([]).ctx(&self.path, err)?;
        while let Some(r) = rows.next().ctx(&self.path, err)? {
            let id: String = r.get(0).ctx(&self.path, err)?;
            let paragraphs: String = r.get(2).ctx(&self.path, err)?;
            let paragraphs: Vec<String> =
                serde_json::from_str(&paragraphs).map_err(|e| RegisterError::Corrupt {
                    path: self.path.clone(),
                    detail: format!("the paragraphs of article {id} are not a JSON list: {e}"),
                })?;
            let people = names
                .query_map([&id], |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .ctx(&self.path, err)?;
            f(ArticleSearchFields {
                title: r.get(1).ctx(&self.path, err)?,
                text: paragraphs.join(casebook_model::PARAGRAPH_SEPARATOR),
                site: r.get(3).ctx(&self.path, err)?,
                published: r.get(4).ctx(&self.path, err)?,
                url: r.get(5).ctx(&self.path, err)?,
                people,
                id,
            })?;
        }
        Ok(())
    }

    /// [`Store::article_text`](crate::Store::article_text).
    pub(super) fn read_article_text(&self, id: &str) -> Result<crate::ArticleText> {
        let err = || "reading an article".to_string();
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
        );
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT source, original_sha256, url, title, published, site, language, paragraphs_json,
                        near_dupes_json
                   FROM articles WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |r| r.try_into())
                .optional()
            })
            .ctx(&self.path, err)?;
        let Some((
            source,
            original_sha256,
            url,
            title,
            published,
            site,
            language,
            paragraphs,
            near_dupes,
        )) = row
        else {
            return Err(RegisterError::UnknownId {
                kind: "article",
                id: id.to_string(),
            });
        };
        let paragraphs: Vec<String> =
            serde_json::from_str(&paragraphs).map_err(|e| RegisterError::Corrupt {
                path: self.path.clone(),
                detail: format!("the paragraphs of article {id:?} are not a JSON list: {e}"),
            })?;
        let review = |s: Option<String>| {
            s.and_then(|s| ReviewState::parse(&s))
                .unwrap_or(ReviewState::Suggested)
        };
        let mentions = self
            .conn
            .prepare_cached(
                "SELECT ap.person, m.text, m.start, m.\"end\", c.state FROM mentions m
                   JOIN article_persons ap ON ap.article_id = m.article_id AND ap.idx = m.person_idx
                   LEFT JOIN claims c ON c.id = ap.claim_id
                  WHERE m.article_id = ?1 ORDER BY m.start",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(MentionRecord {
                        person: r.get(0)?,
                        text: r.get(1)?,
                        start: r.get::<_, i64>(2)?.max(0) as usize,
                        end: r.get::<_, i64>(3)?.max(0) as usize,
                        review: review(r.get(4)?),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .ctx(&self.path, err)?;
        let evidence = self
            .conn
            .prepare_cached(
                "SELECT es.start, es.\"end\", es.event_id, e.type, c.state
                   FROM event_sources es JOIN events e ON e.id = es.event_id
                   LEFT JOIN claims c ON c.id = es.claim_id
                  WHERE es.article_id = ?1 ORDER BY es.start",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(crate::EvidenceSpan {
                        start: r.get::<_, i64>(0)?.max(0) as usize,
                        end: r.get::<_, i64>(1)?.max(0) as usize,
                        event: r.get(2)?,
                        event_type: r.get(3)?,
                        review: review(r.get(4)?),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .ctx(&self.path, err)?;
        Ok(crate::ArticleText {
            record: ArticleRecord {
                id: id.to_string(),
                source,
                original_sha256,
                url,
                title,
                published,
                // Written by the store itself as a JSON list; an unreadable one shows no links.
                near_duplicates: serde_json::from_str(&near_dupes).unwrap_or_default(),
                mentions,
            },
            site,
            language,
            paragraphs,
            evidence,
        })
    }

    /// [`Store::article_titles`](crate::Store::article_titles).
    pub(super) fn read_article_titles(&self, ids: &[String]) -> Result<BTreeMap<String, String>> {
        let err = || "reading article titles".to_string();
        let mut out = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT COALESCE(title, source) FROM articles WHERE id = ?1")
            .ctx(&self.path, err)?;
        for id in ids {
            if let Some(title) = stmt
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()
                .ctx(&self.path, err)?
            {
                out.insert(id.clone(), title);
            }
        }
        Ok(out)
    }
}
