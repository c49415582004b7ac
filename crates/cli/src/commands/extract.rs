//! `casebook extract`: runs only the article stage and prints one JSON line per article.
//!
//! Bad inputs do not stop the run: each gets one line on standard error naming the input and
//! the reason, the other inputs go on, and the exit status is 1 when any input (or any record of
//! a WARC file) gave no article.

use crate::inputs::{self, Input};
use crate::Global;
use casebook_model::{Article, Precision};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Above this many inputs a progress bar is worth showing (on a terminal only).
const PROGRESS_BAR_FROM: usize = 20;

#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Files (HTML, text dumps, gzip, WARC), directories (read recursively, in name order), or
    /// `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// Output formats of `casebook extract`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One JSON object per line.
    Jsonl,
}

/// One output line.
#[derive(Serialize)]
struct Line<'a> {
    /// The input path, plus `#N` for the Nth record of a WARC file.
    source: &'a str,
    id: &'a str,
    original_sha256: &'a str,
    url: Option<&'a str>,
    canonical_url: Option<&'a str>,
    title: Option<&'a str>,
    /// ISO 8601, as precise as the page allows.
    published: Option<&'a str>,
    published_precision: Option<Precision>,
    /// The first author, for quick reading; all of them are in `authors`.
    author: Option<&'a str>,
    authors: &'a [String],
    site: Option<&'a str>,
    language: Option<&'a str>,
    words: usize,
    /// The body, paragraphs separated by a blank line.
    text: String,
}

impl<'a> Line<'a> {
    fn new(article: &'a Article) -> Self {
        Line {
            source: &article.source,
            id: &article.id,
            original_sha256: &article.original_sha256,
            url: article.url.as_deref(),
            canonical_url: article.canonical_url.as_deref(),
            title: article.title.as_deref(),
            published: article.published.as_ref().map(|p| p.value.as_str()),
            published_precision: article.published.as_ref().map(|p| p.precision),
            author: article.authors.first().map(String::as_str),
            authors: &article.authors,
            site: article.site.as_deref(),
            language: article.language.as_deref(),
            words: article.word_count(),
            text: article.text(),
        }
    }
}

pub fn run(args: Args, _global: &Global) -> anyhow::Result<ExitCode> {
    let Format::Jsonl = args.format;
    let inputs = inputs::expand(&args.paths);
    let progress = if std::io::stderr().is_terminal() && inputs.len() >= PROGRESS_BAR_FROM {
        let bar = ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} inputs, {elapsed} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = |message: String| {
        progress.suspend(|| eprintln!("casebook extract: {}", inputs::printable(&message)))
    };

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for input in &inputs {
        progress.inc(1);
        let input: &Input = match input {
            Ok(input) => input,
            Err(error) => {
                report(error.to_string());
                failed = true;
                continue;
            }
        };
        let bytes = match inputs::read_bytes(input) {
            Ok(bytes) => bytes,
            Err(error) => {
                report(error.to_string());
                failed = true;
                continue;
            }
        };
        let source = input.source();
        for document in casebook_ingest::read(&source, &bytes) {
            let article = match document {
                Ok(document) => casebook_article::extract(&document)
                    .map_err(|error| format!("{}: {error}", document.source)),
                Err(error) => Err(format!("{source}: {error}")),
            };
            match article {
                Ok(article) => {
                    let written = serde_json::to_writer(&mut out, &Line::new(&article))
                        .map_err(std::io::Error::from)
                        .and_then(|()| out.write_all(b"\n"));
                    if let Err(error) = written {
                        // A closed pipe (`casebook extract … | head`) is the reader's choice to stop.
                        if error.kind() == std::io::ErrorKind::BrokenPipe {
                            return Ok(exit_code(failed));
                        }
                        return Err(anyhow::Error::new(error).context("writing to standard output"));
                    }
                }
                Err(message) => {
                    report(message);
                    failed = true;
                }
            }
        }
    }
    progress.finish_and_clear();
    if let Err(error) = out.flush() {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(anyhow::Error::new(error).context("writing to standard output"));
        }
    }
    Ok(exit_code(failed))
}

fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
