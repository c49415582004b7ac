//! casebook-corpus: the project's annotated test articles and the scorers that measure the people
//! and event stages.
//!
//! In: the files of `corpus/` (format in `corpus/FORMAT.md`), each an article with its person mentions
//! marked `[[surface|person-id]]` and its gold events and cases after a `==== gold` line; and the
//! outputs of the stages for the same articles. Out: [`AnnotatedArticle`]s (the exact pipeline input
//! plus gold annotations), [`Counts`] and [`EventScores`] of a stage's output against the gold, and
//! [`oracle_people`] and [`oracle_events`], the perfect outputs of the people and event stages for
//! developing a later stage on its own.
//!
//! This is a test-support library: [`load_dir`] reads files, which pipeline stage crates must not do.

#![warn(missing_docs)]

mod align;
mod dateline;
mod error;
mod oracle;
mod parse;
mod score;

pub use align::Alignment;
pub use dateline::parse_dateline;
pub use error::CorpusError;
pub use oracle::{naive_article, oracle_events, oracle_people, OraclePeople};
pub use parse::{
    event_types, parse, AnnotatedArticle, GoldCase, GoldEvent, GoldMention, GOLD_MARKER,
};
pub use score::{match_persons, score_events, score_mentions, Counts, EventScores};

use std::path::{Path, PathBuf};

/// The repository's `corpus/` folder.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

/// The corpus a benchmark reads: the folder after `--dir` in `args` (the command line), else
/// [`default_dir`]. A benchmark has no caller to hand an error to, so one that cannot be read ends
/// the process with the reason.
pub fn load_for_bench(args: &[String]) -> Vec<AnnotatedArticle> {
    let dir = args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(default_dir);
    match load_dir(&dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot load the corpus: {e}");
            std::process::exit(1);
        }
    }
}

/// Parses every `*.txt` file of `dir`, sorted by file name. Other files (`FORMAT.md`, `people.tsv`)
/// are skipped.
pub fn load_dir(dir: &Path) -> Result<Vec<AnnotatedArticle>, CorpusError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CorpusError::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "txt") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(io(path))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            parse(&name, &text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_dir_reports_the_missing_folder() {
        let err = load_dir(Path::new("/nonexistent/corpus")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("cannot read /nonexistent/corpus"));
    }
}
