//! `casebook audit`: verify the hash-chained audit log (against an anchor kept elsewhere, and
//! replaying the reviewers' state from it), print its head for safekeeping, or show its entries;
//! of a data directory's register or of one in PostgreSQL (`--data postgres://…`).

use crate::register::Register;
use crate::Global;
use anyhow::Context;
use casebook_register::AuditAnchor;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Recompute the chain and replay the reviewers' state (visibility, decisions, edits, claim
    /// states) from it; fails naming the first entry changed or removed and every row that differs.
    Verify {
        /// An anchor printed earlier by `casebook audit head` (SEQ:HASH or SEQ:HASH:MAC): the
        /// chain must still hold that entry unchanged, which catches deleted or rewritten tails.
        #[arg(long)]
        anchor: Option<String>,
        /// The key file the anchor was signed with, to check its MAC.
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Print the chain's head (SEQ:HASH) to keep outside the data directory; with --key, signed
    /// with an HMAC (SEQ:HASH:MAC) so that the anchor cannot be forged without the key.
    Head {
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Show entries as JSON lines.
    Log {
        /// First entry to show.
        #[arg(long, default_value_t = 1)]
        from: i64,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

fn read_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    let key =
        std::fs::read(path).with_context(|| format!("reading the key file {}", path.display()))?;
    if key.len() < 16 {
        anyhow::bail!(
            "the key file {} holds {} bytes; use at least 16 random bytes",
            path.display(),
            key.len()
        );
    }
    Ok(key)
}

pub fn run(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    let store = Register::open(global)?;
    match command {
        Command::Verify { anchor, key } => {
            let key = key.as_deref().map(read_key).transpose()?;
            let report = store.verify_audit()?;
            let mut problems = match &anchor {
                // The anchor's check includes the chain's.
                Some(anchor) => {
                    store.verify_audit_anchor(&AuditAnchor::parse(anchor)?, key.as_deref())?
                }
                None => report
                    .broken
                    .iter()
                    .map(|(seq, why)| format!("audit entry {seq}: {why}"))
                    .collect(),
            };
            problems.extend(store.replay_problems()?);
            if problems.is_empty() {
                let anchored = if anchor.is_some() {
                    ", holding the anchor"
                } else {
                    ""
                };
                println!(
                    "audit log intact: {} entries{anchored}; the reviewers' state replays from it",
                    report.entries
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!("audit log TAMPERED: {} problems", problems.len());
                for p in &problems {
                    println!("  {p}");
                }
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Head { key } => {
            let Some(head) = store.audit_head()? else {
                anyhow::bail!("the audit log is empty: nothing to anchor yet");
            };
            let head = match key {
                Some(path) => head.signed(&read_key(&path)?),
                None => head,
            };
            println!("{head}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Log { from, limit } => {
            for entry in store.audit_entries(from, limit)? {
                println!("{}", serde_json::to_string(&entry)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
