//! What can go wrong in the register, in words a user can act on.

use std::path::PathBuf;

/// Errors of the register. Messages name the input at fault and never a victim's name.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The data directory was written by a newer casebook than this one.
    #[error(
        "the data directory {path} holds schema version {found}, newer than this casebook knows \
         (up to {supported}); use a newer casebook, nothing was changed"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// An id given by the user names nothing in the register.
    #[error("no {kind} with id {id:?} in the register")]
    UnknownId { kind: &'static str, id: String },
    /// A request the register cannot carry out as asked.
    #[error("{0}")]
    Invalid(String),
    /// The disk (or the file system quota) is full; the transaction was rolled back.
    #[error("the disk holding {path} is full: {context} was rolled back, nothing was lost; free space and run again")]
    DiskFull { path: PathBuf, context: String },
    /// The store file is damaged.
    #[error("the store at {path} is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    /// A file-system error.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// Any other error from the storage backend.
    #[error("{context}: {source}")]
    Backend {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Result alias of the register.
pub type Result<T, E = RegisterError> = std::result::Result<T, E>;
