//! The ids of the stored records the search index is derived from, read cheaply (ids only), so the
//! index can be compared with the store after a crash.

use crate::error::Result;
use crate::sqlite::Ctx;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::path::Path;

/// Every stored article and event, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordIds {
    pub articles: BTreeSet<String>,
    pub events: BTreeSet<String>,
}

/// Reads the ids straight from the tables' primary keys.
pub(crate) fn read(conn: &Connection, path: &Path) -> Result<RecordIds> {
    let ids = |sql: &str| -> Result<BTreeSet<String>> {
        conn.prepare(sql)
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
            .ctx(path, || "listing record ids".into())
    };
    Ok(RecordIds {
        articles: ids("SELECT id FROM articles")?,
        events: ids("SELECT id FROM events")?,
    })
}
