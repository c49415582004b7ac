//! `casebook migrate-store FROM TO`: copies a data directory's stores (the register, the web's
//! accounts, the monitor's state) into a PostgreSQL database, or back, and verifies each copy
//! (every table's rows, and the register's audit chain). A copy stopped half-way is finished by
//! running the same command again.

use crate::Global;
use anyhow::{Context, Result};
use casebook_register::store_copy::{copy_register, copy_store, CopyReport, Location, TableCopy};
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
    let mut progress = |table: &TableCopy| {
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
    };
    let register = copy_register(&from, &to, &mut progress)
        .with_context(|| format!("copying the register from {from} to {to}"))?;
    say(&register, &from, &to);
    for store in [
        &casebook_web::accounts::STORE,
        &casebook_monitor::state::STORE,
    ] {
        match copy_store(store, &from, &to, &mut progress)
            .with_context(|| format!("copying the {} from {from} to {to}", store.name))?
        {
            Some(report) => say(&report, &from, &to),
            None => eprintln!("{from} holds no {}: nothing to copy", store.name),
        }
    }
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    if let Location::Directory(dir) = &to {
        eprintln!(
            "the search index is derived: build it with `casebook --data {} reindex`",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn say(report: &CopyReport, from: &Location, to: &Location) {
    let rows: u64 = report.tables.iter().map(|t| t.rows).sum();
    let chain = if report.audit_entries > 0 {
        format!(
            " and the audit chain of {} entries verifies",
            report.audit_entries
        )
    } else {
        String::new()
    };
    eprintln!(
        "copied the {} from {from} to {to}: {} tables, {rows} rows, schema version {}; every \
         table verified equal to its source{chain}",
        report.store,
        report.tables.len(),
        report.schema_version,
    );
}
