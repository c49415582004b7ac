//! `casebook export`: the whole register as one JSON document, CSV tables or FollowTheMoney lines.

use crate::Global;
use anyhow::Context;
use casebook_register::export::{export_csv, export_ftm, export_json, Format};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// json (one document), csv (a table per record type, into --out DIR) or ftm (entity lines).
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Only confirmed facts; hidden people and fields left out, initials-only people shown by initials.
    #[arg(long)]
    pub public: bool,
    /// Where to write: a file (json, ftm; standard output if not given) or a directory (csv).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let format = Format::parse(&args.format).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown export format {:?}: use json, csv or ftm",
            args.format
        )
    })?;
    let store = casebook_register::open(&global.data)?;
    match (format, &args.out) {
        (Format::Csv, None) => {
            anyhow::bail!("a CSV export is a set of tables: give a directory with --out DIR")
        }
        (Format::Csv, Some(dir)) => export_csv(&store, args.public, dir)?,
        (format, out) => {
            let mut sink: Box<dyn Write> = match out {
                Some(path) => {
                    // Written beside the target and renamed at the end, so a failed export never
                    // leaves a truncated file under the expected name.
                    let tmp = path.with_extension("partial");
                    Box::new(BufWriter::new(
                        std::fs::File::create(&tmp)
                            .with_context(|| format!("cannot create {}", tmp.display()))?,
                    ))
                }
                None => Box::new(BufWriter::new(std::io::stdout().lock())),
            };
            match format {
                Format::Json => export_json(&store, args.public, &mut sink)?,
                _ => export_ftm(&store, args.public, &mut sink)?,
            }
            sink.flush().context("writing the export")?;
            drop(sink);
            if let Some(path) = out {
                std::fs::rename(path.with_extension("partial"), path).with_context(|| {
                    format!("cannot move the export into place at {}", path.display())
                })?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
