//! `casebook audit`: verify the hash-chained audit log, or show its entries.

use crate::Global;
use casebook_register::Store;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Recompute the chain; fails naming the first entry that was changed or removed.
    Verify,
    /// Show entries as JSON lines.
    Log {
        /// First entry to show.
        #[arg(long, default_value_t = 1)]
        from: i64,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

pub fn run(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    let store = casebook_register::open(&global.data)?;
    match command {
        Command::Verify => {
            let report = store.verify_audit()?;
            match report.broken {
                None => {
                    println!("audit log intact: {} entries", report.entries);
                    Ok(ExitCode::SUCCESS)
                }
                Some((seq, why)) => {
                    println!("audit log TAMPERED at entry {seq}: {why}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Log { from, limit } => {
            for entry in store.audit_entries(from, limit)? {
                println!("{}", serde_json::to_string(&entry)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
