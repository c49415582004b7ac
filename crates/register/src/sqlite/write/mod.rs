//! Storing analysed articles: one article (or a batch) with its original, its persons, mentions,
//! organisations and places, events, cases and the claims that make each reviewable, and the audit
//! entry that records it. One step per file: `persons`, `events` (with `same_event`, the rule that
//! joins another article's report of the same event), `cases`, and `reanalyse` (what a newer
//! pipeline's reading replaces).
//!
//! Invariants: everything of one article is written in one transaction, or nothing is; storing an
//! article again with the same pipeline version changes nothing; a newer version replaces the
//! machine rows but keeps claims (their ids are stable) and every reviewer decision; every person
//! and event row written has a claim; indexes into an article's persons are checked, never trusted.

mod cases;
mod events;
mod persons;
mod reanalyse;
mod same_event;

use super::{now, to_json, Ctx, SqliteStore, BULK_SETUP};
use crate::audit_log::append_audit;
use crate::error::{RegisterError, Result};
use crate::identity::PersonResolver;
use crate::sql::SqliteDb;
use crate::types::*;
use crate::{AnalysedArticle, Original, Store};
use casebook_article::near_duplicate::Signature;
use casebook_model::Article;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// What every step of storing one article needs: the open transaction and which article it is.
pub(super) struct ArticleTx<'a> {
    conn: &'a Connection,
    path: &'a Path,
    /// The article's id.
    article: &'a str,
    /// The pipeline version that analysed it.
    version: &'a str,
    /// When it is stored (one time for every row of the article).
    at: &'a str,
}

impl ArticleTx<'_> {
    /// What a failed statement was doing, for its error.
    fn err(&self) -> impl Fn() -> String + '_ {
        move || format!("storing article {}", self.article)
    }
}

/// Everything `store_article` writes, in one transaction. `signature` is the article body's
/// near-duplicate signature, computed before the transaction (pure text work has no place in it).
fn write_article(
    conn: &Connection,
    path: &Path,
    original: &Original,
    analysed: &AnalysedArticle,
    signature: Option<&Signature>,
    provenance: &Provenance,
    resolver: &dyn PersonResolver,
) -> Result<StoreOutcome> {
    let article = &analysed.article;
    let err = || format!("storing article {}", article.id);
    let version = provenance.extractor_version.as_str();
    let stored_version: Option<String> = conn
        .prepare_cached("SELECT extractor_version FROM articles WHERE id = ?1")
        .and_then(|mut s| s.query_row([&article.id], |r| r.get(0)).optional())
        .ctx(path, err)?;
    let reanalysed = match stored_version {
        Some(v) if v == version => return Ok(StoreOutcome::AlreadyStored),
        Some(_) => {
            // A newer pipeline's reading replaces the older one's machine rows; claims (stable ids)
            // and every reviewer decision stay, so nothing a reviewer decided is lost.
            reanalyse::remove_machine_rows(conn, path, &article.id)?;
            true
        }
        None => false,
    };
    let at = now();
    insert_original(conn, path, original)?;
    let tx = ArticleTx {
        conn,
        path,
        article: &article.id,
        version,
        at: &at,
    };
    insert_article_row(&tx, original, article)?;
    let near = crate::near_dupes::link(conn, path, &article.id, signature)?;

    let people = &analysed.people;
    let persons = persons::write_persons(&tx, people, resolver)?;
    persons::write_mentions(&tx, people)?;
    persons::write_entities(&tx, people)?;
    let events = events::write_events(&tx, analysed, &persons.effective, &near)?;
    cases::write_cases(&tx, &analysed.events.cases, &persons, &events.ids)?;

    let payload = serde_json::json!({
        "source": article.source,
        "original": original.sha256,
        "persons": people.persons.len(),
        "events": analysed.events.events.len(),
        "cases": analysed.events.cases.len(),
        "extractor_version": version,
    });
    let action = if reanalysed { "reanalyse" } else { "ingest" };
    append_audit(
        &SqliteDb::new(conn, path),
        &provenance.actor,
        action,
        &article.id,
        &payload.to_string(),
    )?;
    let written = Written {
        persons: persons.effective,
        events: events.ids.into_iter().map(|(id, _)| id).collect(),
        new_persons: persons.new_persons,
        new_events: events.new_events,
        near_duplicates: near,
    };
    Ok(if reanalysed {
        StoreOutcome::Reanalysed(written)
    } else {
        StoreOutcome::Stored(written)
    })
}

/// The article's own row: what was read of the page, and which pipeline read it.
fn insert_article_row(tx: &ArticleTx, original: &Original, article: &Article) -> Result<()> {
    tx.conn
        .prepare_cached(
            "INSERT INTO articles (id, source, original_sha256, url, canonical_url, title, published,
           published_json, authors_json, site, language, paragraphs_json, near_dupes_json,
           extractor_version, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .and_then(|mut s| {
            s.execute(params![
                article.id,
                article.source,
                original.sha256,
                article.url,
                article.canonical_url,
                article.title,
                article.published.as_ref().map(|p| p.value.clone()),
                article.published.as_ref().map(to_json),
                to_json(&article.authors),
                article.site,
                article.language,
                to_json(&article.paragraphs),
                to_json(&article.near_duplicates),
                tx.version,
                tx.at,
            ])
        })
        .ctx(tx.path, tx.err())?;
    Ok(())
}

fn insert_original(conn: &Connection, path: &Path, original: &Original) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO originals (sha256, source, size, bytes, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| {
            s.execute(params![
                original.sha256,
                original.source,
                original.bytes.len() as i64,
                original.bytes,
                now()
            ])
        })
        .ctx(path, || format!("storing original {}", original.sha256))?;
    Ok(n > 0)
}

/// One claim as [`insert_claim`] writes it.
struct ClaimRow<'a> {
    id: &'a str,
    kind: ClaimKind,
    subject: &'a str,
    article: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    summary: &'a str,
    version: &'a str,
    at: &'a str,
}

/// Inserts a claim; a claim made again (by a newer pipeline) keeps its review state and only
/// records the newer extractor version.
fn insert_claim(conn: &Connection, path: &Path, c: &ClaimRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO claims (id, kind, subject, article_id, start, \"end\", summary, extractor_version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET extractor_version = excluded.extractor_version",
    )
    .and_then(|mut s| {
        s.execute(params![
            c.id,
            c.kind.as_str(),
            c.subject,
            c.article,
            c.start.map(|v| v as i64),
            c.end.map(|v| v as i64),
            c.summary,
            c.version,
            c.at
        ])
    })
    .ctx(path, || format!("storing claim {}", c.id))?;
    Ok(())
}

impl SqliteStore {
    /// [`Store::add_original`](crate::Store::add_original).
    pub(in crate::sqlite) fn write_original(
        &mut self,
        original: &Original,
        actor: &str,
    ) -> Result<bool> {
        self.write("storing an original", |conn, path| {
            let added = insert_original(conn, path, original)?;
            if added {
                let payload =
                    serde_json::json!({"source": original.source, "size": original.bytes.len()});
                append_audit(
                    &SqliteDb::new(conn, path),
                    actor,
                    "add_original",
                    &original.sha256,
                    &payload.to_string(),
                )?;
            }
            Ok(added)
        })
    }

    /// [`Store::store_article`](crate::Store::store_article).
    pub(in crate::sqlite) fn write_one_article(
        &mut self,
        original: &Original,
        analysed: &AnalysedArticle,
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<StoreOutcome> {
        // One article is a batch of one: the same checks, signature and transaction.
        self.write_batch(&[(original, analysed)], None, provenance, resolver)?
            .pop()
            .ok_or_else(|| RegisterError::Invalid("a batch of one article stored nothing".into()))
    }

    /// [`Store::prepare_bulk_ingest`](crate::Store::prepare_bulk_ingest): a larger page cache (a
    /// large store's indexes take new entries at random places; each page not in the cache is read
    /// back from the file and written out again at the next commit), and the write-ahead log
    /// copied back on a thread of its own instead of inside the commits ([`crate::checkpoint`]).
    /// Calling it again changes nothing.
    pub(in crate::sqlite) fn start_bulk_ingest(&mut self) -> Result<()> {
        if self.checkpointer.is_some() {
            return Ok(());
        }
        self.conn.execute_batch(BULK_SETUP).ctx(&self.path, || {
            "setting up the store for a long ingest".into()
        })?;
        self.checkpointer = Some(crate::checkpoint::Checkpointer::start(&self.path)?);
        Ok(())
    }

    /// [`Store::store_batch`](crate::Store::store_batch).
    /// `signatures` are the articles' near-duplicate signatures in the batch's order, when the
    /// caller computed them (on its analysis thread); otherwise they are computed here, before the
    /// transaction.
    pub(in crate::sqlite) fn write_batch(
        &mut self,
        batch: &[(&Original, &AnalysedArticle)],
        signatures: Option<&[Option<Signature>]>,
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<Vec<StoreOutcome>> {
        let mut pending = Vec::with_capacity(batch.len());
        for (_, analysed) in batch {
            // Checked before taking the write lock, so a re-run over stored articles never queues.
            let stored = self.article_version(&analysed.article.id)?;
            pending.push(stored.as_deref() != Some(provenance.extractor_version.as_str()));
        }
        if !pending.contains(&true) {
            return Ok(batch.iter().map(|_| StoreOutcome::AlreadyStored).collect());
        }
        let computed: Vec<Option<Signature>>;
        let signatures = match signatures {
            Some(given) if given.len() == batch.len() => given,
            _ => {
                computed = batch
                    .iter()
                    .zip(&pending)
                    .map(|((_, a), &p)| p.then(|| Signature::of_text(&a.article.text())).flatten())
                    .collect();
                &computed
            }
        };
        let what = if batch.len() == 1 {
            "storing an article"
        } else {
            "storing a batch of articles"
        };
        let stored = self.write(what, |conn, path| {
            let mut outcomes = Vec::with_capacity(batch.len());
            for (((original, analysed), pending), signature) in
                batch.iter().zip(pending).zip(signatures)
            {
                outcomes.push(if pending {
                    write_article(
                        conn,
                        path,
                        original,
                        analysed,
                        signature.as_ref(),
                        provenance,
                        resolver,
                    )?
                } else {
                    StoreOutcome::AlreadyStored
                });
            }
            Ok(outcomes)
        });
        if stored.is_err() {
            resolver.forget();
        }
        stored
    }
}
