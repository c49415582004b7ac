//! `casebook migrate-store FROM TO`: copies a whole register from a data directory (SQLite) into
//! a PostgreSQL database, or back, and verifies the copy (every table's rows and the audit chain).
//! A copy stopped half-way is finished by running the same command again.

use crate::Global;
use anyhow::{Context, Result};
use casebook_register::store_copy::{copy_register, Location};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// The register to copy: a data directory, or a `postgres://` URL.
    pub from: String,
    /// Where to copy it: an empty data directory or PostgreSQL database (a URL).
    pub to: String,
}

pub fn run(args: Args, _global: &Global) -> Result<ExitCode> {
    let started = Instant::now();
    let (from, to) = (Location::parse(&args.from), Location::parse(&args.to));
    let report = copy_register(&from, &to, &mut |table| {
        if table.earlier {
            eprintln!(
                "{:>22}: {} rows, copied by an earlier run",
                table.table, table.rows
            );
        } else {
            eprintln!(
                "{:>22}: {} rows ({:.1} s)",
                table.table,
                table.rows,
                started.elapsed().as_secs_f64()
            );
        }
    })
    .with_context(|| format!("copying the register from {from} to {to}"))?;
    let rows: u64 = report.tables.iter().map(|t| t.rows).sum();
    eprintln!(
        "copied the register from {from} to {to}: {} tables, {rows} rows, schema version {}; every \
         table verified equal to its source and the audit chain of {} entries verifies ({:.1} s)",
        report.tables.len(),
        report.schema_version,
        report.audit_entries,
        started.elapsed().as_secs_f64()
    );
    if let Location::Directory(dir) = &to {
        eprintln!(
            "the search index is derived: build it with `casebook --data {} reindex`",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
