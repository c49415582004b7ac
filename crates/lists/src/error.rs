//! The typed errors of reading a list: each names the file and the reason.

/// Why a list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The file is larger than the limit.
    #[error("{file}: {size} bytes is more than the limit of {limit} bytes for a list")]
    TooLarge {
        file: String,
        size: usize,
        limit: usize,
    },
    /// The list has more rows than the limit.
    #[error("{file}: more than {limit} rows; split the list or raise the limit")]
    TooManyRows { file: String, limit: usize },
    /// The list has more columns than the limit.
    #[error("{file}: {columns} columns is more than the limit of {limit}")]
    TooManyColumns {
        file: String,
        columns: usize,
        limit: usize,
    },
    /// A cell is longer than the limit.
    #[error("{file}: row {row}, column {column}: a cell of {chars} characters is longer than the limit of {limit}")]
    CellTooLong {
        file: String,
        /// Row numbered from 1 after the header (0: the header itself).
        row: usize,
        /// Column numbered from 1.
        column: usize,
        chars: usize,
        limit: usize,
    },
    /// The file could not be read as a table (CSV or spreadsheet).
    #[error("{file}: {reason}")]
    Unreadable { file: String, reason: String },
    /// No column holds the persons' names.
    #[error(
        "{file}: no column holds the names (headers: {headers}); name it with --map COLUMN=name"
    )]
    NoNameColumn { file: String, headers: String },
    /// A `COLUMN=FIELD` override that names no column or no field.
    #[error("{file}: --map {given}: {reason}")]
    BadMapping {
        file: String,
        given: String,
        reason: String,
    },
}

/// The result of reading a list.
pub type Result<T> = std::result::Result<T, ListError>;
