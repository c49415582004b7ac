//! `casebook list`: other groups' lists of persons against the register.
//!
//! `casebook list import FILE --name NAME [--map COLUMN=FIELD]…` reads a CSV (UTF-8, with or without
//! a byte-order mark, or Windows-1251) or XLSX list, recognises its columns by their headers (the
//! mapping of the list's previous version first, then `--map`), reconciles it with the register and
//! stores it as the list's next version. `casebook list report NAME --format json|csv` prints the
//! reconciliation of the latest version (`--version N` for another); `casebook list changes NAME`
//! what changed between two versions; `casebook list show` the lists and their versions.

use crate::Global;
use anyhow::Context;
use casebook_lists::{read_list, Limits, Override};
use casebook_register::Provenance;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import a list file (CSV or XLSX) as the next version of the list NAME and reconcile it.
    Import {
        file: PathBuf,
        /// The list's name: versions of one list share it.
        #[arg(long)]
        name: String,
        /// COLUMN=FIELD: the column (header or number from 1) holds FIELD (name, other_names,
        /// birth_date, status, date_detained, article, term, place, case, source, or ignore).
        #[arg(long = "map", value_parser = Override::parse)]
        map: Vec<Override>,
        /// Who imports it, for the audit log.
        #[arg(long, env = "CASEBOOK_ACTOR", default_value = "casebook-list")]
        by: String,
        /// Print what was done as text or as the report's JSON.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Print the reconciliation of a list with the register.
    Report {
        name: String,
        /// json or csv.
        #[arg(long, default_value = "json")]
        format: String,
        /// Which version (the latest by default).
        #[arg(long)]
        version: Option<u32>,
    },
    /// Print what changed between two versions of a list (JSON: added, removed, changed).
    Changes {
        name: String,
        /// The earlier version (by default the one before --to).
        #[arg(long)]
        from: Option<u32>,
        /// The later version (by default the latest).
        #[arg(long)]
        to: Option<u32>,
    },
    /// List the stored lists with their versions (JSON).
    Show,
}

pub fn run(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import {
            file,
            name,
            map,
            by,
            format,
        } => import(&file, &name, &map, &by, &format, global),
        Command::Report {
            name,
            format,
            version,
        } => {
            let store = casebook_register::open(&global.data)?;
            let report = store.list_report(&name, version)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match format.as_str() {
                "json" => {
                    serde_json::to_writer_pretty(&mut out, &report)?;
                    writeln!(out)?;
                }
                "csv" => out.write_all(casebook_lists::report_csv(&report).as_bytes())?,
                other => anyhow::bail!("unknown report format {other:?}: use json or csv"),
            }
            out.flush().context("writing the report")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Changes { name, from, to } => {
            let store = casebook_register::open(&global.data)?;
            let (from, to, changes) = store.list_changes(&name, from, to)?;
            let doc = serde_json::json!({"list": name, "from": from, "to": to, "changes": changes});
            println!("{}", serde_json::to_string_pretty(&doc)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Show => {
            let store = casebook_register::open(&global.data)?;
            println!("{}", serde_json::to_string_pretty(&store.lists()?)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn import(
    file: &PathBuf,
    name: &str,
    map: &[Override],
    by: &str,
    format: &str,
    global: &Global,
) -> anyhow::Result<ExitCode> {
    if !matches!(format, "text" | "json") {
        anyhow::bail!("unknown output format {format:?}: use text or json");
    }
    let limits = Limits::default();
    let shown = file.display().to_string();
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .with_context(|| format!("cannot open {shown}"))?
        // One byte past the limit is enough to refuse the file, without reading it all.
        .take(limits.max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {shown}"))?;
    let mut store = casebook_register::open(&global.data)?;
    let previous = store.list_mapping(name)?;
    let parsed = read_list(&shown, &bytes, previous.as_ref(), map, &limits)?;
    let file_name = file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let provenance = Provenance {
        extractor_version: casebook_pipeline::EXTRACTOR_VERSION.to_string(),
        actor: by.to_string(),
    };
    let started = std::time::Instant::now();
    let done = store.import_list(name, &file_name, &parsed, &provenance)?;
    let secs = started.elapsed().as_secs_f64();
    if format == "json" {
        let report = store.list_report(name, Some(done.version))?;
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let r = &done.reconciliation;
    if done.unchanged {
        println!(
            "list {name:?}: {shown} is version {} already (sha256 {}); nothing stored",
            done.version, done.sha256
        );
    } else {
        println!(
            "list {name:?} version {}: {} rows from {shown} (sha256 {}) in {secs:.2} s",
            done.version, done.rows, done.sha256
        );
    }
    let columns: Vec<String> = parsed
        .mapping
        .headers
        .iter()
        .zip(&parsed.mapping.fields)
        .map(|(h, f)| format!("{h:?}={}", f.map_or("ignore", |f| f.as_str())))
        .collect();
    println!("columns   {}", columns.join(", "));
    println!(
        "matched {} · only in the list {} · only in the register {} · conflicts {}",
        r.matched.len(),
        r.only_in_list.len(),
        r.only_in_register.len(),
        r.conflicts.len()
    );
    if !parsed.without_name.is_empty() {
        eprintln!(
            "casebook list import: {} rows without a name were left out (rows {})",
            parsed.without_name.len(),
            parsed
                .without_name
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
