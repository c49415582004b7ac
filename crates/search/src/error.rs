//! What can go wrong in the search index. Messages name the index directory and the reason, and
//! never repeat a query or a document's text: both may hold a victim's name.

use std::path::PathBuf;

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Creating or reading the index directory failed.
    #[error("cannot use the search index directory {dir}: {source}")]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The index engine failed while doing `action`.
    #[error("search index: {action} failed: {source}")]
    Index {
        action: &'static str,
        #[source]
        source: tantivy::TantivyError,
    },
    /// Another process holds the index's writer lock and did not release it in time.
    #[error(
        "the search index in {dir} is being written by another process (waited {waited_secs} s); \
         try again once it has finished"
    )]
    WriterBusy { dir: PathBuf, waited_secs: u64 },
    /// The directory holds an index built by an incompatible version of casebook.
    #[error(
        "the search index in {dir} was built with a different layout; run `casebook reindex` to rebuild it"
    )]
    SchemaMismatch { dir: PathBuf },
    /// The user's query could not be read.
    #[error("invalid search query: {reason}")]
    Query { reason: String },
    /// A document handed to the index is unusable.
    #[error("cannot index {kind} document: {reason}")]
    Document {
        kind: crate::Kind,
        reason: &'static str,
    },
    /// The store failed while streaming records for a rebuild.
    #[error("reading the store for a rebuild failed: {0}")]
    Source(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SearchError {
    pub(crate) fn index(action: &'static str) -> impl FnOnce(tantivy::TantivyError) -> SearchError {
        move |source| SearchError::Index { action, source }
    }
}
