//! Prints the matching key of each name read from standard input, one per line: for checking what the
//! key does to a list of names (`cargo run -p casebook-names --example keys < names.txt`).

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().lines() {
        writeln!(out, "{}", casebook_names::key(&line?))?;
    }
    Ok(())
}
