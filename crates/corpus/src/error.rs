//! What can be wrong with an annotated file or the corpus folder.

use std::path::PathBuf;

/// A corpus file that cannot be read or does not follow `corpus/FORMAT.md`.
///
/// Messages name the file and, where there is one, the 1-based line; they never repeat a person's
/// name or id, so that they can be logged.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The folder or a file in it could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// The `[[surface|person-id]]` markup of the body is broken.
    #[error("{file}:{line}: bad mention markup: {reason}")]
    Markup {
        /// The file's name.
        file: String,
        /// 1-based line number in the annotated file.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A line after `==== gold` is not a valid event or case object.
    #[error("{file}:{line}: bad gold line: {reason}")]
    Gold {
        /// The file's name.
        file: String,
        /// 1-based line number in the annotated file.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The file as a whole is not an annotated article (no gold section, no body …).
    #[error("{file}: {reason}")]
    Structure {
        /// The file's name.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

impl CorpusError {
    pub(crate) fn markup(file: &str, line: usize, reason: impl Into<String>) -> Self {
        CorpusError::Markup {
            file: file.to_string(),
            line,
            reason: reason.into(),
        }
    }

    pub(crate) fn gold(file: &str, line: usize, reason: impl Into<String>) -> Self {
        CorpusError::Gold {
            file: file.to_string(),
            line,
            reason: reason.into(),
        }
    }
}
