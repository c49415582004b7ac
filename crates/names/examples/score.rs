//! Scores `name A<TAB>name B` lines from standard input, one score per line: the protocol of
//! `casebook names score`, without the CLI's other crates, for quick runs of the shared scorer:
//! `python3 ../shared/tools/name_match_eval.py --cmd "target/release/examples/score"`.
//! Bad lines print `nan`; the full CLI also reports them.

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().split(b'\n') {
        let line = line?;
        let parsed = std::str::from_utf8(&line)
            .ok()
            .and_then(|l| l.trim_end_matches('\r').split_once('\t'));
        match parsed {
            Some((a, b)) => writeln!(out, "{:.4}", casebook_names::score(a, b).value)?,
            None => writeln!(out, "nan")?,
        }
    }
    Ok(())
}
