//! `casebook stats`: counts over the register, store size, and (with --check) its integrity.

use crate::register::Register;
use crate::Global;
use casebook_register::Store;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Also run the store's integrity check (SQLite's and the audit chain's).
    #[arg(long)]
    pub check: bool,
    #[arg(long)]
    pub json: bool,
}

/// Total size of the files under a directory.
pub fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Differences between the store and its derived search index (records stored but never indexed
/// after a killed ingest, or indexed records the store no longer has).
fn index_problems(store: &dyn Store, data: &Path) -> Vec<String> {
    let dir = data.join("index");
    if !dir.exists() {
        // Ingests with --no-index make none; search is off until `casebook reindex`.
        eprintln!(
            "casebook stats: no search index in {} to compare",
            dir.display()
        );
        return Vec::new();
    }
    let compared = casebook_search::SearchIndex::open_or_create(&dir)
        .map_err(casebook_pipeline::PipelineError::from)
        .and_then(|index| casebook_pipeline::compare_index(store, &index));
    match compared {
        Ok(c) if c.is_whole() => Vec::new(),
        Ok(c) => {
            let mut lines = c.problems();
            lines.push(
                "search index: the next `casebook ingest` or `casebook reindex` fills it".into(),
            );
            lines
        }
        Err(e) => vec![format!(
            "search index: cannot be compared with the store: {e}"
        )],
    }
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let store = match Register::open(global)? {
        Register::Sqlite(store) => store,
        Register::Postgres(register) => {
            // A register in PostgreSQL: its counts; the integrity check of the store and the
            // search index is a data directory's so far (`casebook audit verify` checks the log).
            if args.check {
                anyhow::bail!(
                    "stats --check runs on a data directory; for a register in PostgreSQL run \
                     `casebook audit verify`, which checks its audit log and replays the reviewers' state"
                );
            }
            print(&register.stats()?, None, None, args.json)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let stats = store.stats()?;
    let size = dir_size(&global.data);
    let problems = if args.check {
        let mut problems = store.integrity_check()?;
        problems.extend(index_problems(&store, &global.data));
        Some(problems)
    } else {
        None
    };
    print(&stats, Some(size), problems.as_deref(), args.json)?;
    Ok(match problems {
        Some(p) if !p.is_empty() => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}

/// Prints the counts, the data directory's size (none for a database) and the problems found.
fn print(
    stats: &casebook_register::Stats,
    size: Option<u64>,
    problems: Option<&[String]>,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        let mut v = serde_json::to_value(stats)?;
        if let Some(size) = size {
            v["data_dir_bytes"] = size.into();
        }
        if let Some(p) = problems {
            v["integrity_problems"] = serde_json::json!(p);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("schema version   {}", stats.schema_version);
        println!(
            "originals        {} ({} bytes)",
            stats.originals, stats.originals_bytes
        );
        println!("articles         {}", stats.articles);
        println!("persons          {}", stats.persons);
        println!("mentions         {}", stats.mentions);
        println!("events           {}", stats.events);
        println!("cases            {}", stats.cases);
        println!("decisions        {}", stats.decisions);
        println!("audit entries    {}", stats.audit_entries);
        if let Some(size) = size {
            println!("data directory   {:.1} MiB", size as f64 / 1048576.0);
        }
        for (title, map) in [
            ("events by type", &stats.events_by_type),
            ("persons by status", &stats.persons_by_status),
            ("claims by review state", &stats.claims_by_state),
        ] {
            println!("{title}:");
            for (k, n) in map {
                println!("  {k:<26} {n}");
            }
        }
        if let Some(p) = problems {
            if p.is_empty() {
                println!("integrity        ok");
            } else {
                println!("integrity        {} problems:", p.len());
                for line in p {
                    println!("  {line}");
                }
            }
        }
    }
    Ok(())
}
