//! `casebook names`: matching keys and same-person scores.
//!
//! `casebook names key NAME…` prints the key of the name (the words are joined by spaces).
//!
//! `casebook names score [--explain]` reads lines `name A<TAB>name B` on standard input and prints one
//! score in [0, 1] per line, four decimals; 0.5 and above means "the same person". With `--explain`
//! each score is followed by a tab and the reasons. A line that cannot be scored (empty, not two
//! columns, a column without letters, not UTF-8, control characters of binary input) prints `nan` so
//! that output line N always answers input line N; its number and the reason go to standard error, never
//! the names (they may identify victims), and the command exits non-zero after the last line.

use crate::Global;
use anyhow::Context;
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the matching key of a name (lossy on purpose: for matching, never for display).
    Key {
        /// The name; several words are joined with spaces.
        #[arg(required = true)]
        name: Vec<String>,
    },
    /// Score `name A<TAB>name B` lines from standard input: one score in [0, 1] per line.
    Score {
        /// Follow each score with a tab and which tokens aligned, by which rule.
        #[arg(long)]
        explain: bool,
    },
}

pub fn run(command: Command, _global: &Global) -> anyhow::Result<ExitCode> {
    match command {
        Command::Key { name } => {
            println!("{}", casebook_names::key(&name.join(" ")));
            Ok(ExitCode::SUCCESS)
        }
        Command::Score { explain } => {
            let stdin = std::io::stdin();
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut err = std::io::stderr();
            let report = score_lines(stdin.lock(), &mut out, &mut err, explain)?;
            out.flush().context("writing the scores")?;
            if report.failed > 0 {
                anyhow::bail!(
                    "{} of {} input lines could not be scored (printed as nan; see the messages above)",
                    report.failed,
                    report.lines
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Lines read and lines that could not be scored.
#[derive(Debug, Default, PartialEq)]
struct Report {
    lines: usize,
    failed: usize,
}

/// Scores every line of `input`, writing one result per line to `out` and problems to `err`.
fn score_lines(
    input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
    explain: bool,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    for (i, line) in input.split(b'\n').enumerate() {
        let number = i + 1;
        let line = line.with_context(|| format!("reading standard input at line {number}"))?;
        report.lines += 1;
        match parse_line(&line) {
            Ok((a, b)) => {
                let score = casebook_names::score(a, b);
                if explain {
                    writeln!(out, "{:.4}\t{}", score.value, score.explanation)
                } else {
                    writeln!(out, "{:.4}", score.value)
                }
                .context("writing the scores")?;
            }
            Err(reason) => {
                report.failed += 1;
                writeln!(out, "nan").context("writing the scores")?;
                writeln!(err, "casebook names score: line {number}: {reason}")
                    .context("writing to standard error")?;
            }
        }
    }
    Ok(report)
}

/// Splits one input line into its two names, or says what is wrong with it (without quoting it).
fn parse_line(line: &[u8]) -> Result<(&str, &str), String> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|e| {
        format!(
            "not UTF-8 text (bad byte at column {})",
            e.valid_up_to() + 1
        )
    })?;
    if text.chars().any(|c| c.is_control() && c != '\t') {
        return Err("contains control characters (binary input?)".into());
    }
    if text.trim().is_empty() {
        return Err("empty line; expected `name A<TAB>name B`".into());
    }
    let columns: Vec<&str> = text.split('\t').collect();
    let [a, b] = columns.as_slice() else {
        return Err(if columns.len() == 1 {
            "one column; expected `name A<TAB>name B`".to_string()
        } else {
            format!(
                "{} columns; expected two, `name A<TAB>name B`",
                columns.len()
            )
        });
    };
    for (n, name) in [(1, a), (2, b)] {
        if !name.chars().any(char::is_alphanumeric) {
            return Err(format!("column {n} has no letters"));
        }
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_lines(input: &[u8]) -> (String, String, Report) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let report =
            score_lines(input, &mut out, &mut err, false).unwrap_or_else(|e| panic!("{e:#}"));
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            report,
        )
    }

    #[test]
    fn one_score_per_line_in_order() {
        let (out, err, report) =
            run_lines("Nariman Dzhelyal\tНариман Джелял\nMuslim Aliev\tAlim Aliev\r\n".as_bytes());
        let scores: Vec<f64> = out.lines().map(|l| l.parse().unwrap_or(f64::NAN)).collect();
        assert_eq!(scores.len(), 2);
        assert!(scores[0] >= 0.5 && scores[1] < 0.5, "{scores:?}");
        assert!(err.is_empty());
        assert_eq!(
            report,
            Report {
                lines: 2,
                failed: 0
            }
        );
    }

    #[test]
    fn bad_lines_print_nan_and_are_named_by_number_only() {
        let mut input = b"Nariman Dzhelyal\tNariman Celal\n\nEdem Bekirov\nA\tB\tC\n".to_vec();
        input.extend_from_slice(
            b"\xff\xfeEdem\tBekirov\nEdem\x00\tBekirov\n?!\tEdem Bekirov\nAli Asanov\tAli Asanov",
        );
        let (out, err, report) = run_lines(&input);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 8, "{out}");
        assert_eq!(lines.iter().filter(|l| **l == "nan").count(), 6);
        assert_eq!(lines.first(), Some(&"1.0000"));
        assert_eq!(lines.last(), Some(&"1.0000"));
        assert_eq!(
            report,
            Report {
                lines: 8,
                failed: 6
            }
        );
        for n in 2..=7 {
            assert!(err.contains(&format!("line {n}:")), "{err}");
        }
        assert!(
            !err.contains("Bekirov") && !err.contains("Edem"),
            "names leaked into: {err}"
        );
    }

    #[test]
    fn explain_follows_the_score() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        score_lines(
            "Mykola Semena\tНиколай Семена\n".as_bytes(),
            &mut out,
            &mut err,
            true,
        )
        .unwrap_or_else(|e| panic!("{e:#}"));
        let out = String::from_utf8_lossy(&out);
        assert!(out.contains("GivenNameEquivalence"), "{out}");
        assert!(out
            .split('\t')
            .next()
            .is_some_and(|s| s.parse::<f64>().is_ok()));
    }
}
