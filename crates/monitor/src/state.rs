//! The monitor's own state in `DATA/monitor.sqlite`: sources with their conditional-request
//! validators and failures, pages and every archived version of them, watchlists, alerts and the
//! webhook. Schema changes are numbered migrations, applied on open by the scheme every SQLite file
//! of casebook shares (`casebook_migrate`).

use crate::sources::SourceKind;
use crate::watch::{AlertDraft, Watch, WatchKind};
use crate::{MonitorError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Numbered migrations (a new schema change is a new number, never an edit of an old one).
const MIGRATIONS: &[casebook_migrate::Migration] = &[(
    1,
    r#"
CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_checked_at TEXT,
    last_ok_at TEXT,
    last_error TEXT,
    error_since TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT
);
CREATE TABLE page (
    url TEXT PRIMARY KEY,
    source_id INTEGER,
    first_seen_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    listed_updated TEXT,
    last_checked_at TEXT,
    last_error TEXT
);
CREATE TABLE page_version (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    UNIQUE (url, sha256)
);
CREATE TABLE watch (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (kind, value)
);
CREATE TABLE alert (
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL,
    dedup_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    person_id TEXT,
    event_id TEXT,
    event_type TEXT,
    article_id TEXT NOT NULL,
    url TEXT,
    evidence TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    webhook_attempts INTEGER NOT NULL DEFAULT 0,
    webhook_error TEXT,
    webhook_delivered_at TEXT
);
CREATE INDEX alert_unread ON alert (read, id);
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
)];

/// A watched source as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub id: i64,
    pub url: String,
    pub kind: SourceKind,
    pub added_at: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_checked_at: Option<String>,
    pub last_ok_at: Option<String>,
    /// The latest failure, cleared by the next success.
    pub last_error: Option<String>,
    /// When the current run of failures began.
    pub error_since: Option<String>,
    /// Consecutive failures.
    pub failures: u32,
    /// Until when the source is left alone after failures.
    pub next_attempt_at: Option<String>,
}

/// What the monitor remembers of a page between fetches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the listing last said the page changed, as of the last successful fetch.
    pub listed_updated: Option<String>,
    /// Why the last try failed, if it did.
    pub last_error: Option<String>,
    /// SHA-256 of the latest archived version.
    pub latest_sha256: Option<String>,
}

/// One archived version of a page: the evidence of what was published when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageVersion {
    pub url: String,
    pub sha256: String,
    pub captured_at: String,
    pub bytes: u64,
}

/// An alert as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: i64,
    pub watch_id: i64,
    pub dedup_key: String,
    pub created_at: String,
    pub title: String,
    pub summary: String,
    pub person_id: Option<String>,
    pub event_id: Option<String>,
    pub event_type: Option<String>,
    pub article_id: String,
    pub url: Option<String>,
    pub evidence: Option<String>,
    pub read: bool,
    pub webhook_attempts: u32,
    pub webhook_error: Option<String>,
    pub webhook_delivered_at: Option<String>,
}

/// The open state file.
pub struct MonitorState {
    conn: Connection,
}

fn source_kind(s: String) -> rusqlite::Result<SourceKind> {
    SourceKind::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown source kind {s:?}").into(),
        )
    })
}

fn watch_kind(s: String) -> rusqlite::Result<WatchKind> {
    WatchKind::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown watch kind {s:?}").into(),
        )
    })
}

const ALERT_COLUMNS: &str = "id, watch_id, dedup_key, created_at, title, summary, person_id, event_id, \
    event_type, article_id, url, evidence, read, webhook_attempts, webhook_error, webhook_delivered_at";

fn alert_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Alert> {
    Ok(Alert {
        id: r.get(0)?,
        watch_id: r.get(1)?,
        dedup_key: r.get(2)?,
        created_at: r.get(3)?,
        title: r.get(4)?,
        summary: r.get(5)?,
        person_id: r.get(6)?,
        event_id: r.get(7)?,
        event_type: r.get(8)?,
        article_id: r.get(9)?,
        url: r.get(10)?,
        evidence: r.get(11)?,
        read: r.get(12)?,
        webhook_attempts: r.get(13)?,
        webhook_error: r.get(14)?,
        webhook_delivered_at: r.get(15)?,
    })
}

impl MonitorState {
    /// Opens (creating, migrating) `DATA/monitor.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| MonitorError::Io {
            path: data_dir.display().to_string(),
            source,
        })?;
        let conn = Connection::open(data_dir.join("monitor.sqlite"))?;
        // WAL: `casebook watch` on the command line and the poller inside `serve` may share the file.
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        Self::migrate(conn)
    }

    /// A state held in memory only (tests).
    pub fn in_memory() -> Result<Self> {
        Self::migrate(Connection::open_in_memory()?)
    }

    fn migrate(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        casebook_migrate::migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
            casebook_migrate::MigrateError::Newer { found, .. } => {
                MonitorError::SchemaTooNew(found)
            }
            casebook_migrate::MigrateError::Sqlite(e) => MonitorError::Sqlite(e),
        })?;
        Ok(MonitorState { conn })
    }

    /// The schema version.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Adds a source; adding a URL already watched returns its id and changes nothing.
    pub fn add_source(&self, url: &str, kind: SourceKind, now: &str) -> Result<i64> {
        self.conn.execute(
            "INSERT OR IGNORE INTO source (url, kind, added_at) VALUES (?1, ?2, ?3)",
            params![url, kind.as_str(), now],
        )?;
        Ok(self
            .conn
            .query_row("SELECT id FROM source WHERE url = ?1", [url], |r| r.get(0))?)
    }

    /// Removes a source (its archived page versions stay: they are evidence). False if none had the id.
    pub fn remove_source(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM source WHERE id = ?1", [id])?
            > 0)
    }

    /// Every source, in the order added.
    pub fn sources(&self) -> Result<Vec<SourceRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, url, kind, added_at, etag, last_modified, last_checked_at, last_ok_at, \
             last_error, error_since, failures, next_attempt_at FROM source ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SourceRecord {
                id: r.get(0)?,
                url: r.get(1)?,
                kind: source_kind(r.get(2)?)?,
                added_at: r.get(3)?,
                etag: r.get(4)?,
                last_modified: r.get(5)?,
                last_checked_at: r.get(6)?,
                last_ok_at: r.get(7)?,
                last_error: r.get(8)?,
                error_since: r.get(9)?,
                failures: r.get(10)?,
                next_attempt_at: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A successful check: new validators (`None` keeps none), the failure run ends.
    pub fn source_ok(
        &self,
        id: i64,
        etag: Option<&str>,
        last_modified: Option<&str>,
        now: &str,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE source SET etag = ?2, last_modified = ?3, last_checked_at = ?4, last_ok_at = ?4, \
             last_error = NULL, error_since = NULL, failures = 0, next_attempt_at = NULL WHERE id = ?1",
            params![id, etag, last_modified, now],
        )?;
        Ok(())
    }

    /// A 304: the validators stay, the failure run ends.
    pub fn source_not_modified(&self, id: i64, now: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE source SET last_checked_at = ?2, last_ok_at = ?2, last_error = NULL, \
             error_since = NULL, failures = 0, next_attempt_at = NULL WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    /// A failed check: the error, since when the source has been failing, and when to try again.
    /// Returns the number of consecutive failures.
    pub fn source_failed(
        &self,
        id: i64,
        error: &str,
        now: &str,
        next_attempt_at: &str,
    ) -> Result<u32> {
        self.conn.execute(
            "UPDATE source SET last_checked_at = ?3, last_error = ?2, \
             error_since = COALESCE(error_since, ?3), failures = failures + 1, next_attempt_at = ?4 \
             WHERE id = ?1",
            params![id, error, now, next_attempt_at],
        )?;
        Ok(self
            .conn
            .query_row("SELECT failures FROM source WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    /// What is known of a page, or `None` when it was never tried.
    pub fn page(&self, url: &str) -> Result<Option<PageState>> {
        Ok(self
            .conn
            .query_row(
                "SELECT etag, last_modified, listed_updated, last_error, \
                 (SELECT sha256 FROM page_version v WHERE v.url = page.url ORDER BY v.id DESC LIMIT 1) \
                 FROM page WHERE url = ?1",
                [url],
                |r| {
                    Ok(PageState {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                        listed_updated: r.get(2)?,
                        last_error: r.get(3)?,
                        latest_sha256: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records a try at a page as of `now`: the validators and listing date to keep (the caller
    /// passes `None` to have the page fetched whole next time) and the error, if it failed.
    #[allow(clippy::too_many_arguments)]
    pub fn page_checked(
        &self,
        url: &str,
        source_id: i64,
        etag: Option<&str>,
        last_modified: Option<&str>,
        listed_updated: Option<&str>,
        error: Option<&str>,
        now: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO page (url, source_id, first_seen_at, etag, last_modified, listed_updated, \
             last_checked_at, last_error) VALUES (?1, ?2, ?7, ?3, ?4, ?5, ?7, ?6) \
             ON CONFLICT (url) DO UPDATE SET etag = ?3, last_modified = ?4, listed_updated = ?5, \
             last_checked_at = ?7, last_error = ?6",
            params![url, source_id, etag, last_modified, listed_updated, error, now],
        )?;
        Ok(())
    }

    /// Archives a version of a page unless the same bytes are archived for it already; returns
    /// whether it is new. Versions are only ever added, never replaced.
    pub fn add_version(
        &self,
        url: &str,
        sha256: &str,
        bytes: u64,
        captured_at: &str,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "INSERT OR IGNORE INTO page_version (url, sha256, captured_at, bytes) VALUES (?1, ?2, ?3, ?4)",
            params![url, sha256, captured_at, bytes as i64],
        )? > 0)
    }

    /// Every archived version of a page, oldest first.
    pub fn versions(&self, url: &str) -> Result<Vec<PageVersion>> {
        let mut stmt = self.conn.prepare(
            "SELECT url, sha256, captured_at, bytes FROM page_version WHERE url = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([url], |r| {
            Ok(PageVersion {
                url: r.get(0)?,
                sha256: r.get(1)?,
                captured_at: r.get(2)?,
                bytes: r.get::<_, i64>(3)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a watch; the same watch twice is one.
    pub fn add_watch(&self, kind: WatchKind, value: &str, now: &str) -> Result<i64> {
        let value = value.trim();
        if value.is_empty() {
            return Err(MonitorError::Invalid(format!(
                "an empty {kind} cannot be watched"
            )));
        }
        self.conn.execute(
            "INSERT OR IGNORE INTO watch (kind, value, added_at) VALUES (?1, ?2, ?3)",
            params![kind.as_str(), value, now],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM watch WHERE kind = ?1 AND value = ?2",
            params![kind.as_str(), value],
            |r| r.get(0),
        )?)
    }

    /// Removes a watch (its alerts stay). False if none had the id.
    pub fn remove_watch(&self, id: i64) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM watch WHERE id = ?1", [id])? > 0)
    }

    /// The whole watchlist.
    pub fn watches(&self) -> Result<Vec<Watch>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind, value FROM watch ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Watch {
                id: r.get(0)?,
                kind: watch_kind(r.get(1)?)?,
                value: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores an alert unless one with its key, or with the key of a syndicated copy's alert, exists;
    /// returns the new alert.
    pub fn insert_alert(&self, draft: &AlertDraft, now: &str) -> Result<Option<Alert>> {
        for key in &draft.same_story_keys {
            let said: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM alert WHERE dedup_key = ?1)",
                [key],
                |r| r.get(0),
            )?;
            if said {
                return Ok(None);
            }
        }
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO alert (watch_id, dedup_key, created_at, title, summary, person_id, \
             event_id, event_type, article_id, url, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                draft.watch_id,
                draft.dedup_key,
                now,
                draft.title,
                draft.summary,
                draft.person_id,
                draft.event_id,
                draft.event_type,
                draft.article_id,
                draft.url,
                draft.evidence
            ],
        )?;
        if inserted == 0 {
            return Ok(None);
        }
        self.alert(self.conn.last_insert_rowid())
    }

    /// One alert by id.
    pub fn alert(&self, id: i64) -> Result<Option<Alert>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ALERT_COLUMNS} FROM alert WHERE id = ?1"),
                [id],
                alert_row,
            )
            .optional()?)
    }

    /// Alerts, newest first, at most `limit`; only unread ones if asked.
    pub fn alerts(&self, unread_only: bool, limit: usize) -> Result<Vec<Alert>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ALERT_COLUMNS} FROM alert WHERE (?1 = 0 OR read = 0) ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![unread_only, limit as i64], alert_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many alerts are unread.
    pub fn unread_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM alert WHERE read = 0", [], |r| {
                r.get::<_, i64>(0)
            })?
            .max(0) as u64)
    }

    /// Marks one alert read (or unread); false if none had the id.
    pub fn set_read(&self, id: i64, read: bool) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE alert SET read = ?2 WHERE id = ?1",
            params![id, read],
        )? > 0)
    }

    /// Marks every alert read; returns how many were unread.
    pub fn mark_all_read(&self) -> Result<usize> {
        Ok(self
            .conn
            .execute("UPDATE alert SET read = 1 WHERE read = 0", [])?)
    }

    /// Sets (or with `None` clears) the webhook alerts are POSTed to.
    pub fn set_webhook(&self, url: Option<&str>) -> Result<()> {
        match url {
            Some(url) => self.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('webhook', ?1) \
                 ON CONFLICT (key) DO UPDATE SET value = ?1",
                [url],
            )?,
            None => self
                .conn
                .execute("DELETE FROM setting WHERE key = 'webhook'", [])?,
        };
        Ok(())
    }

    /// The webhook URL, if one is set.
    pub fn webhook(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = 'webhook'", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Alerts not yet delivered to the webhook and tried fewer than `max_attempts` times, oldest first.
    pub fn undelivered(&self, max_attempts: u32, limit: usize) -> Result<Vec<Alert>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ALERT_COLUMNS} FROM alert WHERE webhook_delivered_at IS NULL \
             AND webhook_attempts < ?1 ORDER BY id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![max_attempts, limit as i64], alert_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records one webhook delivery attempt: `Ok` delivered, `Err` the reason it failed.
    pub fn webhook_attempt(
        &self,
        id: i64,
        outcome: std::result::Result<(), &str>,
        now: &str,
    ) -> Result<()> {
        match outcome {
            Ok(()) => self.conn.execute(
                "UPDATE alert SET webhook_attempts = webhook_attempts + 1, webhook_error = NULL, \
                 webhook_delivered_at = ?2 WHERE id = ?1",
                params![id, now],
            )?,
            Err(why) => self.conn.execute(
                "UPDATE alert SET webhook_attempts = webhook_attempts + 1, webhook_error = ?2 WHERE id = ?1",
                params![id, why],
            )?,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(key: &str) -> AlertDraft {
        AlertDraft {
            watch_id: 1,
            dedup_key: key.into(),
            title: "detention of Server Mustafaiev".into(),
            summary: "watched person".into(),
            person_id: Some("p-1".into()),
            event_id: Some("e-1".into()),
            event_type: Some("detention".into()),
            article_id: "a-1".into(),
            url: None,
            evidence: Some("He was detained.".into()),
            same_story_keys: Vec::new(),
        }
    }

    #[test]
    fn migrations_run_once_and_reopen_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let state = MonitorState::open(dir.path()).unwrap();
        assert_eq!(
            state.schema_version().unwrap(),
            casebook_migrate::highest(MIGRATIONS)
        );
        let id = state
            .add_source(
                "https://n.example/rss",
                SourceKind::Feed,
                "2025-06-01T00:00:00Z",
            )
            .unwrap();
        drop(state);
        let state = MonitorState::open(dir.path()).unwrap();
        assert_eq!(state.sources().unwrap()[0].id, id);
    }

    #[test]
    fn failures_keep_their_first_time_until_a_success() {
        let s = MonitorState::in_memory().unwrap();
        let id = s
            .add_source("https://n.example/rss", SourceKind::Feed, "t0")
            .unwrap();
        assert_eq!(
            s.add_source("https://n.example/rss", SourceKind::Feed, "t9")
                .unwrap(),
            id
        );
        assert_eq!(s.source_failed(id, "timed out", "t1", "t2").unwrap(), 1);
        assert_eq!(s.source_failed(id, "HTTP 503", "t3", "t5").unwrap(), 2);
        let src = &s.sources().unwrap()[0];
        assert_eq!(
            (src.last_error.as_deref(), src.error_since.as_deref()),
            (Some("HTTP 503"), Some("t1"))
        );
        s.source_ok(id, Some("\"v1\""), None, "t6").unwrap();
        let src = &s.sources().unwrap()[0];
        assert_eq!(
            (src.last_error.as_deref(), src.failures, src.etag.as_deref()),
            (None, 0, Some("\"v1\""))
        );
    }

    #[test]
    fn versions_are_added_never_replaced() {
        let s = MonitorState::in_memory().unwrap();
        assert!(s
            .add_version("https://n.example/a", "aa", 10, "t1")
            .unwrap());
        assert!(!s
            .add_version("https://n.example/a", "aa", 10, "t2")
            .unwrap());
        assert!(s
            .add_version("https://n.example/a", "bb", 12, "t3")
            .unwrap());
        let v = s.versions("https://n.example/a").unwrap();
        assert_eq!(
            v.iter()
                .map(|v| (v.sha256.as_str(), v.captured_at.as_str()))
                .collect::<Vec<_>>(),
            [("aa", "t1"), ("bb", "t3")]
        );
    }

    #[test]
    fn alerts_are_deduplicated_and_read_state_counts() {
        let s = MonitorState::in_memory().unwrap();
        assert!(s
            .insert_alert(&draft("w1:event:e-1"), "t1")
            .unwrap()
            .is_some());
        assert!(s
            .insert_alert(&draft("w1:event:e-1"), "t2")
            .unwrap()
            .is_none());
        let second = s
            .insert_alert(&draft("w1:event:e-2"), "t3")
            .unwrap()
            .unwrap();
        assert_eq!(s.unread_count().unwrap(), 2);
        assert!(s.set_read(second.id, true).unwrap());
        assert_eq!(s.alerts(true, 10).unwrap().len(), 1);
        assert_eq!(s.mark_all_read().unwrap(), 1);
        assert_eq!(s.unread_count().unwrap(), 0);
        s.webhook_attempt(second.id, Err("HTTP 500"), "t4").unwrap();
        assert_eq!(s.undelivered(3, 10).unwrap().len(), 2);
        s.webhook_attempt(second.id, Ok(()), "t5").unwrap();
        assert_eq!(s.undelivered(3, 10).unwrap().len(), 1);
    }

    #[test]
    fn a_syndicated_copy_raises_no_second_alert() {
        let s = MonitorState::in_memory().unwrap();
        assert!(s
            .insert_alert(&draft("w1:person:p-1:a-1"), "t1")
            .unwrap()
            .is_some());
        let mut copy = draft("w1:person:p-1:a-2");
        copy.same_story_keys = vec!["w1:person:p-1:a-1".into()];
        assert!(s.insert_alert(&copy, "t2").unwrap().is_none());
        // Another story naming the same person is news.
        let mut other = draft("w1:person:p-1:a-3");
        other.same_story_keys = vec!["w1:person:p-1:a-4".into()];
        assert!(s.insert_alert(&other, "t3").unwrap().is_some());
        assert_eq!(s.unread_count().unwrap(), 2);
    }
}
