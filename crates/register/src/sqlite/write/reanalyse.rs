//! What a newer pipeline's reading of a stored article replaces: its machine rows (mentions,
//! entities, event and case reports, article persons, the article row), and the events and cases
//! no other article reports any more.
//!
//! Invariants: claims, originals and every reviewer decision stay (claim ids are stable, so the
//! new reading's claims find their review state again); an event or case another article still
//! reports stays and is reconciled from the reports left.

use crate::error::Result;
use crate::sqlite::{exists, Ctx};
use rusqlite::Connection;
use std::path::Path;

/// Removes what an earlier pipeline run derived from one article (not its claims or original).
pub(super) fn remove_machine_rows(conn: &Connection, path: &Path, article: &str) -> Result<()> {
    let err = || format!("replacing the analysis of article {article}");
    let ids = |sql: &str| -> Result<Vec<String>> {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.query_map([article], |r| r.get(0))?.collect())
            .ctx(path, err)
    };
    let events = ids("SELECT DISTINCT event_id FROM event_sources WHERE article_id = ?1")?;
    let cases = ids("SELECT DISTINCT case_id FROM case_sources WHERE article_id = ?1")?;
    crate::near_dupes::forget(conn, path, article)?;
    for table in [
        "mentions",
        "entities",
        "event_sources",
        "case_defendants",
        "case_sources",
        "case_reports",
    ] {
        conn.execute(
            &format!("DELETE FROM {table} WHERE article_id = ?1"),
            [article],
        )
        .ctx(path, err)?;
    }
    for event in events {
        if !exists(
            conn,
            path,
            "SELECT 1 FROM event_sources WHERE event_id = ?1",
            &event,
        )? {
            for sql in [
                "DELETE FROM case_events WHERE event_id = ?1",
                "DELETE FROM events WHERE id = ?1",
            ] {
                conn.execute(sql, [&event]).ctx(path, err)?;
            }
        } else {
            crate::reconcile::reconcile(conn, path, &event)?;
        }
    }
    crate::case_join::refresh_names(conn, path, &cases)?;
    for case in cases {
        if !exists(
            conn,
            path,
            "SELECT 1 FROM case_sources WHERE case_id = ?1",
            &case,
        )? {
            for sql in [
                "DELETE FROM case_defendants WHERE case_id = ?1",
                "DELETE FROM case_events WHERE case_id = ?1",
                "DELETE FROM cases WHERE id = ?1",
            ] {
                conn.execute(sql, [&case]).ctx(path, err)?;
            }
        }
    }
    conn.execute(
        "DELETE FROM article_persons WHERE article_id = ?1",
        [article],
    )
    .ctx(path, err)?;
    conn.execute("DELETE FROM articles WHERE id = ?1", [article])
        .ctx(path, err)?;
    Ok(())
}
