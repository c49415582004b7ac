//! Near-duplicate articles (syndicated copies, one wire story on several sites) linked at ingest.
//!
//! Each stored article keeps its MinHash signature and LSH band keys
//! ([`casebook_article::near_duplicate`]); a new article looks up the articles sharing a band key
//! (one indexed lookup per band, so the cost does not grow with the store), confirms each on the
//! signatures and links the pair both ways: in `near_duplicates` and in each article's
//! `near_dupes_json`. Because it lives in the store, CLI ingests, web uploads and the monitor all
//! link against everything stored before, across processes and restarts.

use crate::error::Result;
use crate::sqlite::Ctx;
use casebook_article::near_duplicate::{Signature, DEFAULT_THRESHOLD};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeSet;
use std::path::Path;

/// How many candidates one band may yield at most: a band shared by very many articles is a
/// boilerplate body, and comparing against all of them would make one insert grow with the store.
const MAX_CANDIDATES_PER_BAND: i64 = 64;

/// Stores the signature of `article_id`'s body (computed by the caller, outside the write
/// transaction; `None` for a body too short to have one) and links it to the stored articles it
/// nearly duplicates; returns their ids, most similar first.
pub(crate) fn link(
    conn: &Connection,
    path: &Path,
    article_id: &str,
    signature: Option<&Signature>,
) -> Result<Vec<String>> {
    let Some(signature) = signature else {
        return Ok(Vec::new());
    };
    let err = || format!("linking near-duplicates of article {article_id}");
    let keys = signature.band_keys();
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    {
        let mut stmt = conn
            .prepare_cached(
                "SELECT article_id FROM article_bands WHERE band = ?1 AND key = ?2 AND article_id != ?3 LIMIT ?4",
            )
            .ctx(path, err)?;
        for (band, key) in keys.iter().enumerate() {
            let rows = stmt
                .query_map(
                    params![
                        band as i64,
                        *key as i64,
                        article_id,
                        MAX_CANDIDATES_PER_BAND
                    ],
                    |r| r.get::<_, String>(0),
                )
                .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
                .ctx(path, err)?;
            candidates.extend(rows);
        }
    }
    let mut matches: Vec<(f64, String)> = Vec::new();
    for other in candidates {
        let bytes: Option<Vec<u8>> = conn
            .prepare_cached("SELECT signature FROM article_signatures WHERE article_id = ?1")
            .and_then(|mut s| s.query_row([&other], |r| r.get(0)).optional())
            .ctx(path, err)?;
        let Some(other_signature) = bytes.as_deref().and_then(Signature::from_bytes) else {
            continue;
        };
        let similarity = signature.similarity(&other_signature);
        if similarity >= DEFAULT_THRESHOLD {
            matches.push((similarity, other));
        }
    }
    matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

    conn.prepare_cached(
        "INSERT OR REPLACE INTO article_signatures (article_id, signature) VALUES (?1, ?2)",
    )
    .and_then(|mut s| s.execute(params![article_id, signature.to_bytes()]))
    .ctx(path, err)?;
    for (band, key) in keys.iter().enumerate() {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO article_bands (band, key, article_id) VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut s| s.execute(params![band as i64, *key as i64, article_id]))
        .ctx(path, err)?;
    }
    for (similarity, other) in &matches {
        for (a, b) in [(article_id, other.as_str()), (other.as_str(), article_id)] {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO near_duplicates (article_id, other_id, similarity) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![a, b, similarity]))
            .ctx(path, err)?;
        }
        refresh_json(conn, path, other)?;
    }
    refresh_json(conn, path, article_id)?;
    Ok(matches.into_iter().map(|(_, id)| id).collect())
}

/// Rewrites an article's `near_dupes_json` from the link table, most similar first.
fn refresh_json(conn: &Connection, path: &Path, article_id: &str) -> Result<()> {
    let ids = linked(conn, path, article_id)?;
    conn.prepare_cached("UPDATE articles SET near_dupes_json = ?2 WHERE id = ?1")
        .and_then(|mut s| {
            s.execute(params![
                article_id,
                serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
            ])
        })
        .ctx(path, || {
            format!("linking near-duplicates of article {article_id}")
        })?;
    Ok(())
}

/// The articles linked to `article_id` as near-duplicates, most similar first.
pub(crate) fn linked(conn: &Connection, path: &Path, article_id: &str) -> Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT other_id FROM near_duplicates WHERE article_id = ?1 ORDER BY similarity DESC, other_id",
    )
    .and_then(|mut s| {
        s.query_map([article_id], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()
    })
    .ctx(path, || format!("reading near-duplicates of article {article_id}"))
}

/// Drops an article's signature and links (before a newer pipeline re-reads it), and unlinks it
/// from the articles it was linked to.
pub(crate) fn forget(conn: &Connection, path: &Path, article_id: &str) -> Result<()> {
    let others = linked(conn, path, article_id)?;
    let err = || format!("unlinking near-duplicates of article {article_id}");
    // The band rows are found by their keys, computed again from the stored signature.
    let signature: Option<Vec<u8>> = conn
        .prepare_cached("SELECT signature FROM article_signatures WHERE article_id = ?1")
        .and_then(|mut s| s.query_row([article_id], |r| r.get(0)).optional())
        .ctx(path, err)?;
    if let Some(signature) = signature.as_deref().and_then(Signature::from_bytes) {
        for (band, key) in signature.band_keys().iter().enumerate() {
            conn.prepare_cached(
                "DELETE FROM article_bands WHERE band = ?1 AND key = ?2 AND article_id = ?3",
            )
            .and_then(|mut s| s.execute(params![band as i64, *key as i64, article_id]))
            .ctx(path, err)?;
        }
    }
    for sql in [
        "DELETE FROM near_duplicates WHERE article_id = ?1 OR other_id = ?1",
        "DELETE FROM article_signatures WHERE article_id = ?1",
    ] {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute([article_id]))
            .ctx(path, err)?;
    }
    for other in others {
        refresh_json(conn, path, &other)?;
    }
    Ok(())
}

/// Signs and links every stored article that has no signature yet (articles stored before schema
/// version 2), oldest first, so earlier copies are found by later ones as at ingest.
pub(crate) fn backfill(conn: &Connection, path: &Path) -> Result<usize> {
    let err = || "signing articles stored before near-duplicate linking".to_string();
    let rows: Vec<(String, String)> = conn
        .prepare(
            "SELECT id, paragraphs_json FROM articles a
              WHERE NOT EXISTS (SELECT 1 FROM article_signatures s WHERE s.article_id = a.id)
              ORDER BY rowid",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<std::result::Result<Vec<_>, _>>()
        })
        .ctx(path, err)?;
    let n = rows.len();
    for (id, paragraphs) in rows {
        let paragraphs: Vec<String> = serde_json::from_str(&paragraphs).unwrap_or_default();
        let signature = Signature::of_text(&paragraphs.join(casebook_model::PARAGRAPH_SEPARATOR));
        link(conn, path, &id, signature.as_ref())?;
    }
    Ok(n)
}
